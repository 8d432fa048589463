//! Stage 3 — the store: publishing versions of datasets atomically, and one published view
//! for everyone who reads them.
//!
//! Consumes quads (from [`crate::mapping`]) and validates staged versions with
//! [`crate::validate`]; calls no stage to its right.
//!
//! ## The seam
//! [`Store`] is what the server, the catalogue, the CLI and ingest use. It is a thin, cheap to
//! clone handle over a [`Backend`] (embedded Oxigraph today, a remote SPARQL store next) and
//! owns what every backend shares:
//! - the **published view** ([`Published`]): which version of each dataset is current, with
//!   its counts and publication time, read once from the metadata graph and replaced when a
//!   publication happens, never rebuilt per request;
//! - the **public names** ([`Names`]): queries name datasets by stable graph IRIs, which the
//!   planner ([`public`]) turns into the current internal versions, so staged, superseded and
//!   internal graphs cannot be read by any query form;
//! - **publication**: a new version is loaded out of sight ([`Stage`]), validated, and made
//!   current in one transaction; the version it replaces is dropped in the background once no
//!   reader's snapshot names it (the janitor), so publishing never waits for a drop.
//!
//! ## Why versioned graphs
//! A bulk load is fast but not transactional. Loading each ingest into a fresh graph that
//! nothing reads, then switching one pointer, gives readers the previous version or the new
//! one, never a mix, and leaves the previous version intact when an ingest is killed.

mod answer;
mod backend;
mod embedded;
mod error;
pub mod items;
mod janitor;
mod metadata;
mod naming;
mod public;
mod remote;
mod view;

pub use answer::{Answer, Cancel, Solution, Solutions, Triples};
pub use backend::{Annotations, Backend, Referrers, Staging};
pub use embedded::Embedded;
pub use error::Error;
pub use metadata::{Provenance, SourceFile};
pub use naming::{Names, is_part_of};
pub use public::{DatasetRequest, Federation, PlannedQuery};
pub use remote::{Remote, Settings as RemoteSettings};
pub use view::{Counts, Published, PublishedDataset, Version};

use crate::validate::{ShapesGraph, ValidationReport};
use janitor::Janitor;
use oxigraph::model::{Graph, GraphName, NamedNode, NamedOrBlankNode, Quad, Triple};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// The publisher's store: a backend, its published view and its naming scheme.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Arc<dyn Backend>,
    names: Names,
    view: RwLock<Arc<Published>>,
    /// Held by the one [`Stage`] in progress: two ingests never interleave.
    writer: Mutex<()>,
    janitor: Janitor,
    /// Calls made to the backend, for tests and the `/health` figures.
    calls: AtomicU64,
}

/// How to run a query.
#[derive(Clone, Default)]
pub struct QueryOptions {
    /// Graphs named by the SPARQL protocol, replacing the query's `FROM`/`FROM NAMED`.
    pub dataset: Option<DatasetRequest>,
    /// Stops evaluation when fired.
    pub cancel: Cancel,
    /// The endpoints `SERVICE` may call (none by default).
    pub federation: Federation,
    /// What relative IRIs in the query resolve against when it declares no `BASE` (the
    /// endpoint's own URL, as the protocol has it).
    pub base_iri: Option<String>,
}

impl Store {
    /// Opens (or creates) the embedded store in `path` for reading and writing; `owner` says
    /// who holds it (`vitrine serve`), for the message another process gets.
    pub fn open(path: &Path, names: Names, owner: &str) -> Result<Self, Error> {
        let backend = Embedded::open(path, names.clone(), owner)?;
        Self::with_backend(Arc::new(backend), names)
    }

    /// Opens the embedded store in `path` for reading only, beside a process that writes it.
    pub fn open_read_only(path: &Path, names: Names) -> Result<Self, Error> {
        let backend = Embedded::open_read_only(path, names.clone())?;
        let store = Self::new(Arc::new(backend), names)?;
        Ok(store)
    }

    /// Opens the store `config` names for reading and writing, on behalf of `owner`: the
    /// embedded one in its folder, or a remote one (with its local staging folder).
    pub fn open_configured(
        config: &crate::config::StoreConfig,
        names: Names,
        owner: &str,
    ) -> Result<Self, Error> {
        match &config.backend {
            crate::config::StoreBackend::Embedded => Self::open(&config.path, names, owner),
            crate::config::StoreBackend::Sparql(settings) => {
                let backend = Remote::open(settings.clone(), names.clone(), &config.path, owner)?;
                Self::with_backend(Arc::new(backend), names)
            }
        }
    }

    /// Opens the store `config` names for reading only, beside a process that writes it.
    pub fn open_configured_read_only(
        config: &crate::config::StoreConfig,
        names: Names,
    ) -> Result<Self, Error> {
        match &config.backend {
            crate::config::StoreBackend::Embedded => Self::open_read_only(&config.path, names),
            crate::config::StoreBackend::Sparql(settings) => {
                let backend = Remote::open_read_only(settings.clone(), names.clone())?;
                Self::new(Arc::new(backend), names)
            }
        }
    }

    /// An empty in-memory store, for tests and one-off conversions.
    pub fn in_memory(names: Names) -> Result<Self, Error> {
        Self::with_backend(Arc::new(Embedded::in_memory(names.clone())?), names)
    }

    /// Puts a store in front of `backend`, and starts dropping what earlier runs left behind:
    /// versions superseded or half loaded when a process stopped.
    pub fn with_backend(backend: Arc<dyn Backend>, names: Names) -> Result<Self, Error> {
        let store = Self::new(backend, names)?;
        let garbage = store.garbage()?;
        for graph in garbage {
            store
                .inner
                .janitor
                .drop_later(graph, std::sync::Weak::new());
        }
        Ok(store)
    }

    fn new(backend: Arc<dyn Backend>, names: Names) -> Result<Self, Error> {
        let metadata = metadata::Metadata::read(&names, backend.metadata()?);
        let view = metadata.published(&names);
        Ok(Self {
            inner: Arc::new(Inner {
                janitor: Janitor::new(Arc::clone(&backend)),
                backend,
                names,
                view: RwLock::new(Arc::new(view)),
                writer: Mutex::new(()),
                calls: AtomicU64::new(1),
            }),
        })
    }

    /// Version graphs that are not current: superseded ones, and versions numbered but never
    /// published (an ingest stopped half way, whose graph may hold quads without being listed).
    fn garbage(&self) -> Result<Vec<NamedNode>, Error> {
        let names = &self.inner.names;
        let metadata = metadata::Metadata::read(names, self.backend().metadata()?);
        let view = self.published();
        let mut out: Vec<NamedNode> = self
            .backend()
            .version_graphs()?
            .into_iter()
            .filter(|g| !view.is_current(g))
            .collect();
        for id in metadata.dataset_ids() {
            let current = view.get(id).map_or(0, |d| d.version.number);
            for number in current + 1..=metadata.last_version(names, id) {
                let graph = names.version(id, number);
                if !out.contains(&graph) {
                    out.push(graph);
                }
            }
        }
        Ok(out)
    }

    fn backend(&self) -> &dyn Backend {
        self.inner.calls.fetch_add(1, Ordering::Relaxed);
        &*self.inner.backend
    }

    /// The naming scheme of this publisher.
    pub fn names(&self) -> &Names {
        &self.inner.names
    }

    /// The base IRI every graph and item name starts with.
    pub fn base_iri(&self) -> &str {
        self.inner.names.base()
    }

    /// What is published now. Hold the snapshot for as long as you read: it stays consistent
    /// whatever is published meanwhile.
    pub fn published(&self) -> Arc<Published> {
        Arc::clone(
            &self
                .inner
                .view
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Reads the published view again from the backend (after a publication by someone else).
    pub fn refresh(&self) -> Result<Arc<Published>, Error> {
        let names = &self.inner.names;
        let view =
            Arc::new(metadata::Metadata::read(names, self.backend().metadata()?).published(names));
        let old = std::mem::replace(
            &mut *self
                .inner
                .view
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            Arc::clone(&view),
        );
        drop(old);
        Ok(view)
    }

    /// How many calls this store has made to its backend since it was opened: what a page
    /// costs in store round trips.
    pub fn backend_calls(&self) -> u64 {
        self.inner.calls.load(Ordering::Relaxed)
    }

    /// Evaluates a SPARQL query over what is published, by public graph names (see
    /// [`public`]).
    ///
    /// ```
    /// use oxigraph::model::NamedNode;
    /// use vitrine::store::{Answer, Names, QueryOptions, Store};
    /// let store = Store::in_memory(Names::new(&NamedNode::new("https://example.org/")?))?;
    /// let Answer::Boolean(any) = store.query("ASK { ?s ?p ?o }", &QueryOptions::default())?
    /// else { panic!() };
    /// assert!(!any);
    /// # Result::<_, Box<dyn std::error::Error>>::Ok(())
    /// ```
    pub fn query(&self, sparql: &str, options: &QueryOptions) -> Result<Answer, Error> {
        let mut parser = spargebra::SparqlParser::new();
        if let Some(base) = &options.base_iri {
            parser = parser
                .with_base_iri(base)
                .map_err(|e| Error::Syntax(format!("base IRI <{base}>: {e}")))?;
        }
        let query = parser
            .parse_query(sparql)
            .map_err(|e| Error::Syntax(e.to_string()))?;
        let view = self.published();
        let none = NamedNode::new_unchecked(format!("{}vitrine/none", self.base_iri()));
        let planned = public::plan(
            &view,
            &none,
            sparql,
            query,
            options.dataset.as_ref(),
            &options.federation,
            self.inner.backend.closures_in_graph(),
        );
        tracing::debug!("planned query: {}", planned.text());
        Ok(self
            .backend()
            .query(&planned, &options.cancel)?
            .holding(view, &options.cancel))
    }

    /// The published triples about `subject`, closed over the blank nodes it points to and the
    /// resources minted under its IRI, each once.
    pub fn describe(&self, subject: &NamedNode) -> Result<Vec<Triple>, Error> {
        let mut seen = rustc_hash::FxHashSet::default();
        Ok(self
            .describe_quads(subject)?
            .into_iter()
            .map(Triple::from)
            .filter(|t| seen.insert(t.clone()))
            .collect())
    }

    /// The same statements, each in the public graph of every dataset that states it.
    pub fn describe_quads(&self, subject: &NamedNode) -> Result<Vec<Quad>, Error> {
        let view = self.published();
        let graphs: Vec<NamedNode> = view.version_graphs().cloned().collect();
        let mut quads = self.backend().describe(&graphs, subject)?;
        for quad in &mut quads {
            if let GraphName::NamedNode(g) = &quad.graph_name {
                if let Some(d) = view.by_version_graph(g) {
                    quad.graph_name = d.graph.clone().into();
                }
            }
        }
        Ok(quads)
    }

    /// The published labels and types of `nodes`, in one call.
    pub fn annotate(&self, nodes: &[NamedOrBlankNode]) -> Result<Annotations, Error> {
        let view = self.published();
        let graphs: Vec<NamedNode> = view.version_graphs().cloned().collect();
        self.backend().annotate(&graphs, nodes)
    }

    /// A page of the published statements pointing at `object`, and their total.
    pub fn referrers(
        &self,
        object: &NamedNode,
        offset: usize,
        limit: usize,
    ) -> Result<Referrers, Error> {
        let view = self.published();
        let graphs: Vec<NamedNode> = view.version_graphs().cloned().collect();
        self.backend().referrers(&graphs, object, offset, limit)
    }

    /// Starts a new version of `dataset`. Refused while another version of any dataset is
    /// being loaded through this store: ingests run one at a time.
    pub fn stage(&self, dataset: &str) -> Result<Stage<'_>, Error> {
        let guard = self.inner.writer.try_lock().map_err(|_| Error::Busy)?;
        let staging = self.backend().stage(dataset)?;
        Ok(Stage {
            store: self,
            dataset: dataset.to_owned(),
            staging,
            _writer: guard,
        })
    }

    /// The provenance of `dataset`'s current version, as the metadata graph records it: the
    /// dataset node, the version, the ingest activity and the files it used with their
    /// checksums. Empty when the dataset is not published.
    pub fn provenance(&self, dataset: &str) -> Result<Vec<Triple>, Error> {
        let view = self.published();
        let Some(current) = view.get(dataset) else {
            return Ok(Vec::new());
        };
        let node = self.inner.names.dataset(dataset);
        Ok(self
            .backend()
            .metadata()?
            .into_iter()
            .filter(|q| match &q.subject {
                NamedOrBlankNode::NamedNode(s) => {
                    *s == node || Names::is_under(s.as_str(), &current.version.graph)
                }
                NamedOrBlankNode::BlankNode(_) => false,
            })
            .map(Triple::from)
            .collect())
    }

    /// Every version the store holds, current or waiting to be dropped, as (dataset, number).
    pub fn versions_stored(&self) -> Result<Vec<(String, u64)>, Error> {
        let names = &self.inner.names;
        let mut out: Vec<(String, u64)> = self
            .backend()
            .version_graphs()?
            .iter()
            .filter_map(|g| names.parse_version(g.as_str()))
            .map(|(id, n)| (id.to_owned(), n))
            .collect();
        out.sort();
        Ok(out)
    }

    /// Replaces `dataset`'s validation report.
    pub fn save_validation_report(&self, dataset: &str, report: &Graph) -> Result<(), Error> {
        self.backend().save_report(dataset, report)
    }

    /// `dataset`'s latest validation report; `None` when it was never validated.
    pub fn validation_report(&self, dataset: &str) -> Result<Option<Vec<Triple>>, Error> {
        self.backend().report(dataset)
    }

    /// Waits until every superseded version has been dropped: a command that published
    /// something calls this before it exits, so the store does not grow across runs.
    pub fn wait_for_drops(&self, on_wait: &dyn Fn(usize)) {
        self.inner.janitor.wait_idle(on_wait);
    }

    /// How many versions wait to be dropped.
    pub fn pending_drops(&self) -> usize {
        self.inner.janitor.pending()
    }
}

/// A version of a dataset being loaded; invisible to every reader until [`Stage::publish`].
#[must_use]
pub struct Stage<'s> {
    store: &'s Store,
    dataset: String,
    staging: Box<dyn Staging + 's>,
    _writer: MutexGuard<'s, ()>,
}

impl Stage<'_> {
    /// This version's number: never reused for the dataset, so it also names its blank nodes.
    pub fn number(&self) -> u64 {
        self.staging.number()
    }

    /// Loads triples (their graph names are ignored).
    pub fn load(&mut self, quads: &mut dyn Iterator<Item = Quad>) -> Result<(), Error> {
        self.staging.load(quads)
    }

    /// Takes triples out again (their graph names are ignored).
    pub fn remove(&mut self, quads: &[Quad]) -> Result<(), Error> {
        self.staging.remove(quads)
    }

    /// Distinct triples loaded so far.
    pub fn len(&self) -> Result<u64, Error> {
        self.staging.len()
    }

    /// Whether nothing was loaded.
    pub fn is_empty(&self) -> Result<bool, Error> {
        self.staging.is_empty()
    }

    /// Validates this version against `shapes`.
    pub fn validate(&self, shapes: &ShapesGraph) -> Result<ValidationReport, Error> {
        self.staging.validate(shapes)
    }

    /// Makes this version the published one, with its provenance, in one step; readers see it
    /// from the moment this returns. The version it replaces is dropped in the background
    /// once the readers of the previous view are done.
    pub fn publish(self, provenance: &Provenance) -> Result<PublishedDataset, Error> {
        let store = self.store;
        let names = &store.inner.names;
        let before = store.published();
        let previous = before.get(&self.dataset);
        let number = self.staging.number();
        let quads = metadata::publication(
            names,
            &self.dataset,
            number,
            provenance,
            previous.map(|d| d.first_published.as_str()),
            previous.map(|d| &d.version.graph),
        );
        let superseded = previous.map(|d| d.version.graph.clone());
        self.staging.publish(quads)?;
        let view = store.refresh()?;
        if let Some(graph) = superseded {
            store
                .inner
                .janitor
                .drop_later(graph, Arc::downgrade(&before));
        }
        drop(before);
        view.get(&self.dataset).cloned().ok_or_else(|| {
            Error::Metadata(format!(
                "dataset `{}` is not published after its publication",
                self.dataset
            ))
        })
    }
}
