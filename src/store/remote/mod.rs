//! The remote backend: a SPARQL 1.1 store the publisher already runs (Virtuoso, Oxigraph's
//! server, QLever, Fuseki, GraphDB), reached only through the W3C protocols — Query, Update
//! and the Graph Store HTTP Protocol.
//!
//! What stays local: mapping, validation and quarantine run on a staging store on disk
//! (`[store] path`), so the remote store only ever receives a validated version. At
//! publication the version is pushed into a fresh version graph with Graph Store `POST`s (in
//! batches, tried again while the store restarts), checked by counting, and then one SPARQL
//! Update switches the dataset's pointer in the metadata graph. Until that update, readers see
//! the previous version; an interrupted push leaves a version graph no pointer names, which the
//! janitor drops like any superseded version.
//!
//! The local folder also holds the writer's lock: one vitrine process writes through a given
//! config at a time, as with the embedded store.

mod http;
mod lookup;
mod push;
mod results;

use super::answer::{Answer, Cancel};
use super::backend::{Annotations, Backend, Referrers, Staging};
use super::embedded::Embedded;
use super::public::PlannedQuery;
use super::{Error, Names};
use http::{Call, Client, Patience, remote};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple, TripleRef, Variable,
};
use spargebra::Query;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use ureq::http::Method;

/// Where the remote store is and how to talk to it (`[store]` with `backend = "sparql"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub query_endpoint: String,
    pub update_endpoint: String,
    pub graph_store_endpoint: String,
    /// The login, if the store asks for one (HTTP basic or digest, as it asks).
    pub user: Option<String>,
    /// The name of the environment variable holding the password: never the password itself,
    /// which is read when the store opens and never written anywhere.
    pub password_env: Option<String>,
    /// Triples per Graph Store request when a version is pushed.
    pub push_batch: usize,
    /// Requests a push keeps in flight.
    pub push_connections: usize,
    /// How long a write keeps trying a store that fails in transit (restarting, overloaded).
    pub retry_for: Duration,
    /// The longest any one request may take (queries have their own deadline).
    pub timeout: Duration,
}

impl Settings {
    /// The defaults for the keys an operator leaves out.
    pub fn new(query_endpoint: String, update_endpoint: String, graph_store: String) -> Self {
        Self {
            query_endpoint,
            update_endpoint,
            graph_store_endpoint: graph_store,
            user: None,
            password_env: None,
            push_batch: 50_000,
            push_connections: 2,
            retry_for: Duration::from_secs(120),
            timeout: Duration::from_secs(300),
        }
    }
}

/// A SPARQL 1.1 store over HTTP.
pub struct Remote {
    client: Client,
    settings: Settings,
    names: Names,
    /// The writer's local side; `None` for a reader.
    local: Option<Local>,
}

struct Local {
    /// Holds the lock and the owner file of the local folder.
    _lock: Embedded,
    /// Where staging stores are made, one per version, deleted after publication.
    staging: PathBuf,
}

impl Remote {
    /// Opens the remote store for writing, with its local staging folder in `path` held on
    /// behalf of `owner`. Checks that the store answers queries, accepts the login, takes
    /// Graph Store writes and SPARQL updates, so a wrong endpoint is reported now and names
    /// itself, not half way through a publication.
    pub fn open(settings: Settings, names: Names, path: &Path, owner: &str) -> Result<Self, Error> {
        let lock = Embedded::open(path, names.clone(), owner)?;
        let staging = path.join("staging");
        // Staging stores a stopped process left: their versions were never published.
        let _ = std::fs::remove_dir_all(&staging);
        let mut remote = Self::connect(settings, names)?;
        remote.local = Some(Local {
            _lock: lock,
            staging,
        });
        remote.probe_writes()?;
        Ok(remote)
    }

    /// Opens the remote store for reading only.
    pub fn open_read_only(settings: Settings, names: Names) -> Result<Self, Error> {
        Self::connect(settings, names)
    }

    fn connect(settings: Settings, names: Names) -> Result<Self, Error> {
        let password = match &settings.password_env {
            Some(var) => Some(std::env::var(var).map_err(|_| {
                remote(
                    &settings.query_endpoint,
                    format!("the password variable `{var}` (`password_env`) is not set"),
                )
            })?),
            None => None,
        };
        let remote = Self {
            client: Client::new(&settings, password),
            settings,
            names,
            local: None,
        };
        match remote.ask("ASK { ?s ?p ?o }")? {
            Answer::Boolean(_) => Ok(remote),
            _ => Err(remote.query_error("answered ASK with something else than a boolean")),
        }
    }

    /// A Graph Store `PUT` and `DELETE` of a one-triple graph, then an update dropping it.
    fn probe_writes(&self) -> Result<(), Error> {
        let probe = NamedNode::new_unchecked(format!("{}vitrine/probe", self.names.base()));
        let triple = Triple::new(
            probe.clone(),
            probe.clone(),
            Literal::new_simple_literal("probe"),
        );
        let body = ntriples([triple.as_ref()])?;
        self.gsp(Method::PUT, &probe, &body).map_err(|e| match e {
            Error::Remote { endpoint, message } => Error::Remote {
                endpoint,
                message: format!(
                    "no Graph Store Protocol writes here (`graph_store_endpoint`): {message}"
                ),
            },
            other => other,
        })?;
        self.gsp(Method::DELETE, &probe, b"")?;
        self.update(&format!("DROP SILENT GRAPH {probe}"))
    }

    fn query_error(&self, message: &str) -> Error {
        remote(&self.settings.query_endpoint, message.to_owned())
    }

    /// Sends a query, whose answer is read by the caller.
    fn send_query(
        &self,
        text: &str,
        accept: &str,
        timeout: Option<Duration>,
        visitor: bool,
        patience: Patience,
    ) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let body = serde_urlencoded::to_string([("query", text)])
            .map_err(|e| self.query_error(&e.to_string()))?;
        self.client.send(
            &Call {
                accept: Some(accept),
                timeout,
                visitor,
                ..Call::form(&self.settings.query_endpoint, body.as_bytes())
            },
            patience,
        )
    }

    /// Sends a visitor's query from a thread of its own and waits for the store's first
    /// bytes, giving up as soon as `cancel` fires (the deadline, or the visitor leaving): a
    /// store may compute a whole answer before it sends any of it, and a blocking read cannot
    /// be stopped from outside. The abandoned request ends with its connection.
    fn send_cancellable(
        &self,
        text: String,
        accept: &'static str,
        timeout: Option<Duration>,
        cancel: &Cancel,
    ) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let client = self.client.clone();
        let endpoint = self.settings.query_endpoint.clone();
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let body = serde_urlencoded::to_string([("query", text)])
            .map_err(|e| self.query_error(&e.to_string()))?;
        std::thread::Builder::new()
            .name("vitrine-store-query".into())
            .spawn(move || {
                let response = client.send(
                    &Call {
                        accept: Some(accept),
                        timeout,
                        visitor: true,
                        ..Call::form(&endpoint, body.as_bytes())
                    },
                    Patience::Reader,
                );
                let _ = sender.send(response);
            })
            .map_err(|e| self.query_error(&format!("cannot start a query thread: {e}")))?;
        loop {
            match receiver.recv_timeout(CANCEL_CHECK) {
                Ok(response) => return response,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if cancel.is_cancelled() {
                        return Err(Error::Cancelled);
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(self.query_error("the query thread stopped without an answer"));
                }
            }
        }
    }

    fn ask(&self, text: &str) -> Result<Answer, Error> {
        let response = self.send_query(text, results::RESULTS, None, false, Patience::Reader)?;
        results::results(&self.settings.query_endpoint, response, &Cancel::new())
    }

    /// Every row of one of vitrine's own SELECT queries, for a visitor (who should not wait
    /// long for a store that is down).
    fn select(&self, text: &str) -> Result<(Vec<Variable>, Vec<super::Solution>), Error> {
        self.select_with(text, Patience::Reader)
    }

    fn select_with(
        &self,
        text: &str,
        patience: Patience,
    ) -> Result<(Vec<Variable>, Vec<super::Solution>), Error> {
        let started = Instant::now();
        let response = self.send_query(text, results::RESULTS, None, false, patience)?;
        let rows = results::rows(&self.settings.query_endpoint, response)?;
        tracing::debug!(
            "store lookup: {} rows in {} ms: {text}",
            rows.1.len(),
            started.elapsed().as_millis()
        );
        Ok(rows)
    }

    /// Every triple of one of vitrine's own CONSTRUCT queries.
    fn construct(&self, text: &str) -> Result<Vec<Triple>, Error> {
        let response = self.send_query(text, results::GRAPH, None, false, Patience::Reader)?;
        results::triples(&self.settings.query_endpoint, response)
    }

    fn update(&self, text: &str) -> Result<(), Error> {
        let body = serde_urlencoded::to_string([("update", text)])
            .map_err(|e| remote(&self.settings.update_endpoint, e.to_string()))?;
        self.client.send(
            &Call::form(&self.settings.update_endpoint, body.as_bytes()),
            Patience::Writer,
        )?;
        Ok(())
    }

    /// A Graph Store request on `graph` with an N-Triples body.
    fn gsp(&self, method: Method, graph: &NamedNode, body: &[u8]) -> Result<(), Error> {
        let query = serde_urlencoded::to_string([("graph", graph.as_str())])
            .map_err(|e| remote(&self.settings.graph_store_endpoint, e.to_string()))?;
        let is_delete = method == Method::DELETE;
        let result = self.client.send(
            &Call {
                method,
                endpoint: &self.settings.graph_store_endpoint,
                query: Some(query),
                content_type: (!is_delete).then_some(NTRIPLES),
                accept: None,
                body,
                timeout: None,
                visitor: false,
            },
            Patience::Writer,
        );
        match result {
            Ok(_) => Ok(()),
            // Deleting a graph that is not there is what was wanted.
            Err(Error::Remote { message, .. }) if is_delete && message.contains("404") => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Replaces, in one update, the metadata statements about `dataset`'s node (those with
    /// `predicate` only, when given) by `quads`.
    fn replace_metadata(
        &self,
        dataset: &str,
        predicate: Option<&NamedNode>,
        quads: &[Quad],
    ) -> Result<(), Error> {
        let meta = self.names.metadata();
        let node = self.names.dataset(dataset);
        let p = predicate.map_or_else(|| "?p".to_owned(), ToString::to_string);
        let mut insert = String::new();
        for q in quads {
            insert.push_str(&Triple::from(q.clone()).to_string());
            insert.push_str(" .\n");
        }
        // One operation, so the switch is atomic on every store (Virtuoso commits each
        // operation of a request on its own). The `UNION` gives the pattern one solution more
        // than the statements it deletes, so the insertion happens even when there is nothing
        // to delete (Virtuoso inserts nothing for an `OPTIONAL` that matched nothing).
        self.update(&format!(
            "DELETE {{ GRAPH {meta} {{ {node} {p} ?o }} }}\nINSERT {{ GRAPH {meta} {{\n{insert}}} }}\nWHERE {{ {{ GRAPH {meta} {{ {node} {p} ?o }} }} UNION {{ BIND(1 AS ?vitrine_one) }} }}"
        ))
    }

    /// How many triples `graph` holds in the store (asked while publishing: patiently).
    fn count(&self, graph: &NamedNode) -> Result<u64, Error> {
        let (variables, rows) = self.select_with(
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"),
            Patience::Writer,
        )?;
        match rows
            .first()
            .and_then(|r| results::value(&variables, r, "n"))
        {
            Some(Term::Literal(n)) => n
                .value()
                .parse()
                .map_err(|_| self.query_error(&format!("counted `{}` triples", n.value()))),
            _ => Ok(0),
        }
    }
}

/// How often a visitor's query waiting for the store looks at its cancellation.
const CANCEL_CHECK: Duration = Duration::from_millis(20);

/// The media type pushed versions and reports are sent in.
const NTRIPLES: &str = "application/n-triples";

/// Triples as an N-Triples document.
fn ntriples<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Result<Vec<u8>, Error> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for t in triples {
        writer
            .serialize_triple(t)
            .map_err(|e| Error::Storage(e.to_string()))?;
    }
    writer.finish().map_err(|e| Error::Storage(e.to_string()))
}

impl Backend for Remote {
    fn metadata(&self) -> Result<Vec<Quad>, Error> {
        let meta = self.names.metadata();
        Ok(self
            .construct(&format!(
                "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {meta} {{ ?s ?p ?o }} }}"
            ))?
            .into_iter()
            .map(|t| t.in_graph(meta.clone()))
            .collect())
    }

    /// The versions the metadata numbered that still hold triples: asked by name, because
    /// listing every graph of a large store means scanning it.
    fn version_graphs(&self) -> Result<Vec<NamedNode>, Error> {
        let metadata = super::metadata::Metadata::read(&self.names, self.metadata()?);
        let candidates: Vec<NamedNode> = metadata
            .dataset_ids()
            .flat_map(|id| {
                (1..=metadata.last_version(&self.names, id)).map(move |n| (id.to_owned(), n))
            })
            .map(|(id, n)| self.names.version(&id, n))
            .collect();
        let mut out = Vec::new();
        for chunk in candidates.chunks(200) {
            let mut list = String::new();
            for g in chunk {
                list.push(' ');
                list.push_str(&g.to_string());
            }
            let (variables, rows) = self.select(&format!(
                "SELECT ?g WHERE {{ VALUES ?g {{{list} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
            ))?;
            for row in &rows {
                if let Some(Term::NamedNode(g)) = results::value(&variables, row, "g") {
                    out.push(g.clone());
                }
            }
        }
        Ok(out)
    }

    /// Not every store does (Virtuoso), and the dataset form works on all.
    fn closures_in_graph(&self) -> bool {
        false
    }

    fn query(&self, query: &PlannedQuery, cancel: &Cancel) -> Result<Answer, Error> {
        for (endpoint, _) in query.services() {
            match endpoint {
                Some(e) if query.federation().allows(e.as_str()) => {}
                Some(e) => {
                    return Err(Error::Evaluation(format!(
                        "SERVICE <{}> is not allowed: this endpoint only calls the endpoints listed in its federation allow-list (`[server] federation` in vitrine.toml)",
                        e.as_str()
                    )));
                }
                None => {
                    return Err(Error::Evaluation(
                        "SERVICE with a variable endpoint is not allowed: this endpoint only calls the endpoints listed in its federation allow-list".into(),
                    ));
                }
            }
        }
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let timeout = cancel
            .deadline()
            .map(|d| d.saturating_duration_since(Instant::now()));
        let graph = matches!(
            query.algebra(),
            Query::Construct { .. } | Query::Describe { .. }
        );
        let accept = if graph {
            results::GRAPH
        } else {
            results::RESULTS
        };
        let text = query.text();
        tracing::debug!("query sent to the store: {text}");
        let response = self.send_cancellable(text, accept, timeout, cancel)?;
        let endpoint = &self.settings.query_endpoint;
        if graph {
            results::graph(endpoint, response, cancel)
        } else {
            results::results(endpoint, response, cancel)
        }
    }

    fn describe(&self, graphs: &[NamedNode], subject: &NamedNode) -> Result<Vec<Quad>, Error> {
        self.describe_quads(graphs, subject)
    }

    fn annotate(
        &self,
        graphs: &[NamedNode],
        nodes: &[NamedOrBlankNode],
    ) -> Result<Annotations, Error> {
        self.annotations(graphs, nodes)
    }

    fn referrers(
        &self,
        graphs: &[NamedNode],
        object: &NamedNode,
        offset: usize,
        limit: usize,
    ) -> Result<Referrers, Error> {
        self.referrer_page(graphs, object, offset, limit)
    }

    fn stage(&self, dataset: &str) -> Result<Box<dyn Staging + '_>, Error> {
        Ok(Box::new(push::RemoteStaging::new(self, dataset)?))
    }

    /// `DROP` the graph, then its provenance: two requests, each done or not; a drop cut in
    /// between is finished the next time, since the metadata still numbers the version.
    fn drop_version(&self, graph: &NamedNode, _stop: &dyn Fn() -> bool) -> Result<bool, Error> {
        self.update(&format!("DROP SILENT GRAPH {graph}"))?;
        let meta = self.names.metadata();
        // The statements whose subject `Names::is_under` the version.
        self.update(&format!(
            "DELETE {{ GRAPH {meta} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {meta} {{ ?s ?p ?o FILTER(?s = {graph} || {}) }} }}",
            lookup::part_of("s", graph)
        ))?;
        Ok(true)
    }

    fn save_report(&self, dataset: &str, report: &Graph) -> Result<(), Error> {
        let graph = self.names.validation(dataset);
        if report.is_empty() {
            return self.update(&format!("DROP SILENT GRAPH {graph}"));
        }
        self.gsp(Method::PUT, &graph, &ntriples(report.iter())?)
    }

    fn report(&self, dataset: &str) -> Result<Option<Vec<Triple>>, Error> {
        let graph = self.names.validation(dataset);
        let triples = self.construct(&format!(
            "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        ))?;
        Ok((!triples.is_empty()).then_some(triples))
    }
}
