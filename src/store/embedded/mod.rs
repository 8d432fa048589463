//! The embedded backend: an Oxigraph store (RocksDB on disk, or in memory for tests), in the
//! publisher's own process.
//!
//! RocksDB admits one writer process. Whoever opens the store writes `vitrine.owner` beside
//! its files (the command and process id), so a second process is told who holds the store
//! instead of a bare "lock" message.

mod federation;
mod lookup;
pub(super) mod staging;
mod stop;

use super::answer::{Answer, Cancel, Solutions, Triples};
use super::backend::{Annotations, Backend, Referrers, Staging};
use super::public::PlannedQuery;
use super::{Error, Names};
use oxigraph::model::{Graph, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, QuadRef, Triple};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults};
use oxigraph::store::StorageError;
use std::path::{Path, PathBuf};

/// Quads deleted per transaction when dropping a version (see [`Embedded::drop_version`]).
const DROP_CHUNK: usize = 10_000;

/// Chunks deleted between two flushes of the memtables (see [`Embedded::drop_version`]).
const FLUSH_EVERY: usize = 20;

/// How many times a read-only open is tried beside a writer (see [`Embedded::open_read_only`]).
const READ_ONLY_ATTEMPTS: u64 = 10;

/// The file naming the process that holds the store.
const OWNER_FILE: &str = "vitrine.owner";

/// An Oxigraph store holding the publisher's graphs.
pub struct Embedded {
    inner: oxigraph::store::Store,
    names: Names,
    /// The folder, for on-disk stores (the owner file is removed on drop).
    path: Option<PathBuf>,
}

impl Embedded {
    /// Opens (or creates) the store in `path` for reading and writing, on behalf of `owner`
    /// (e.g. `vitrine serve`), which is recorded for other processes to read.
    pub fn open(path: &Path, names: Names, owner: &str) -> Result<Self, Error> {
        std::fs::create_dir_all(path).map_err(|e| Error::Open {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let inner = on_disk::open(path).map_err(|e| open_error(path, &e))?;
        // Informative only: RocksDB's own lock is what keeps a second writer out.
        let _ = std::fs::write(
            path.join(OWNER_FILE),
            format!("{owner} (pid {})\n", std::process::id()),
        );
        let store = Self {
            inner,
            names,
            path: Some(path.to_owned()),
        };
        store.check_layout(path)?;
        Ok(store)
    }

    /// Opens the store in `path` for reading only, beside a process that writes it: answers
    /// come from what was on disk when it was opened.
    pub fn open_read_only(path: &Path, names: Names) -> Result<Self, Error> {
        if !path.join("CURRENT").is_file() {
            return Err(Error::Open {
                path: path.to_owned(),
                message: "no store here yet (run `vitrine ingest` first)".into(),
            });
        }
        // The writer may compact, and delete a table file, between the moment the reader reads
        // the list of files and the moment it opens them; once opened, files stay readable.
        // So a failed open is tried again a few times before it is reported.
        let mut attempt = 0;
        let inner = loop {
            match on_disk::open_read_only(path) {
                Ok(inner) => break inner,
                Err(e)
                    if attempt < READ_ONLY_ATTEMPTS && e.to_string().contains("No such file") =>
                {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
                }
                Err(e) => return Err(open_error(path, &e)),
            }
        };
        let store = Self {
            inner,
            names,
            path: None,
        };
        store.check_layout(path)?;
        Ok(store)
    }

    /// An in-memory store, for tests and one-off conversions.
    pub fn in_memory(names: Names) -> Result<Self, Error> {
        Ok(Self {
            inner: oxigraph::store::Store::new().map_err(storage)?,
            names,
            path: None,
        })
    }

    /// Refuses stores written with the naming of vitrine 0.1 (versions under `{base}graph/`),
    /// whose data this version would neither see nor clean up.
    fn check_layout(&self, path: &Path) -> Result<(), Error> {
        let old = NamedNode::new_unchecked(format!("{}graph/metadata", self.names.base()));
        if self
            .inner
            .contains_named_graph(old.as_ref())
            .map_err(storage)?
        {
            return Err(Error::OldLayout {
                path: path.to_owned(),
            });
        }
        Ok(())
    }

    /// Who holds the store at `path`, as its owner file says.
    pub fn owner(path: &Path) -> Option<String> {
        let text = std::fs::read_to_string(path.join(OWNER_FILE)).ok()?;
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path.join(OWNER_FILE));
        }
    }
}

/// A fresh on-disk Oxigraph store in `path` for a remote backend's staging: loaded, validated
/// and pushed, then deleted with its folder.
pub(super) fn open_staging(path: &Path) -> Result<oxigraph::store::Store, Error> {
    on_disk::open(path).map_err(|e| open_error(path, &e))
}

/// On-disk stores need RocksDB, a C++ build that the fuzz targets leave out
/// (`--no-default-features`); such a build only has in-memory stores.
mod on_disk {
    use oxigraph::store::{StorageError, Store};
    use std::path::Path;

    #[cfg(feature = "rocksdb")]
    pub fn open(path: &Path) -> Result<Store, StorageError> {
        Store::open(path)
    }

    #[cfg(feature = "rocksdb")]
    pub fn open_read_only(path: &Path) -> Result<Store, StorageError> {
        Store::open_read_only(path)
    }

    #[cfg(feature = "rocksdb")]
    pub fn flush(store: &Store) -> Result<(), StorageError> {
        store.flush()
    }

    #[cfg(feature = "rocksdb")]
    pub fn optimize(store: &Store) -> Result<(), StorageError> {
        store.optimize()
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn open(_: &Path) -> Result<Store, StorageError> {
        Err(StorageError::Other(
            "this build has no on-disk store (built without RocksDB)".into(),
        ))
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn open_read_only(path: &Path) -> Result<Store, StorageError> {
        open(path)
    }

    /// In memory there is nothing to flush or compact.
    #[cfg(not(feature = "rocksdb"))]
    pub fn flush(_: &Store) -> Result<(), StorageError> {
        Ok(())
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn optimize(_: &Store) -> Result<(), StorageError> {
        Ok(())
    }
}

/// Tells a store held by another process from one that cannot be read.
fn open_error(path: &Path, e: &StorageError) -> Error {
    let message = e.to_string();
    // RocksDB: "IO error: While lock file: …/LOCK: Resource temporarily unavailable".
    if message.contains("lock file") || message.contains("/LOCK") {
        return Error::Locked {
            path: path.to_owned(),
            owner: Embedded::owner(path).unwrap_or_else(|| "another process".into()),
            advice: "wait for it to finish, or stop it first".into(),
        };
    }
    Error::Open {
        path: path.to_owned(),
        message,
    }
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "written `map_err(storage)` at every call"
)]
pub(super) fn storage(e: StorageError) -> Error {
    Error::Storage(e.to_string())
}

fn evaluation(e: QueryEvaluationError) -> Error {
    match e {
        QueryEvaluationError::Cancelled => Error::Cancelled,
        other => Error::Evaluation(other.to_string()),
    }
}

impl Backend for Embedded {
    fn metadata(&self) -> Result<Vec<Quad>, Error> {
        let meta = self.names.metadata();
        self.inner
            .quads_for_pattern(None, None, None, Some(meta.as_ref().into()))
            .collect::<Result<_, _>>()
            .map_err(storage)
    }

    fn version_graphs(&self) -> Result<Vec<NamedNode>, Error> {
        let mut out = Vec::new();
        for graph in self.inner.named_graphs() {
            if let NamedOrBlankNode::NamedNode(g) = graph.map_err(storage)? {
                if self.names.parse_version(g.as_str()).is_some() {
                    out.push(g);
                }
            }
        }
        Ok(out)
    }

    fn query(&self, query: &PlannedQuery, cancel: &Cancel) -> Result<Answer, Error> {
        let token = CancellationToken::new();
        let hook = token.clone();
        cancel.on_cancel(move || hook.cancel());
        let evaluator = stop::evaluator(cancel)
            // Oxigraph is built without its own HTTP client: `SERVICE` goes through this
            // handler, which only calls the endpoints the publisher allows.
            .with_default_service_handler(federation::Handler {
                federation: query.federation().clone(),
                cancel: cancel.clone(),
            })
            .with_cancellation_token(token);
        let algebra = stop::checked(query.algebra().clone());
        let results = stop::guard(|| {
            evaluator
                .for_query(algebra)
                .on_store(&self.inner)
                .execute()
                .map_err(evaluation)
        })?;
        Ok(match results {
            QueryResults::Boolean(b) => Answer::Boolean(b),
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                Answer::Solutions(Solutions::new(
                    variables,
                    stop::Guarded::new(
                        solutions.map(|s| Ok(s.map_err(evaluation)?.values().to_vec())),
                    ),
                ))
            }
            QueryResults::Graph(triples) => Answer::Graph(Triples::new(stop::Guarded::new(
                triples.map(|t| t.map_err(evaluation)),
            ))),
        })
    }

    fn describe(&self, graphs: &[NamedNode], subject: &NamedNode) -> Result<Vec<Quad>, Error> {
        lookup::describe(&self.inner, graphs, subject)
    }

    fn annotate(
        &self,
        graphs: &[NamedNode],
        nodes: &[NamedOrBlankNode],
    ) -> Result<Annotations, Error> {
        lookup::annotate(&self.inner, graphs, nodes)
    }

    fn referrers(
        &self,
        graphs: &[NamedNode],
        object: &NamedNode,
        offset: usize,
        limit: usize,
    ) -> Result<Referrers, Error> {
        lookup::referrers(&self.inner, graphs, object, offset, limit)
    }

    fn stage(&self, dataset: &str) -> Result<Box<dyn Staging + '_>, Error> {
        Ok(Box::new(staging::EmbeddedStaging::new(self, dataset)?))
    }

    /// Deletes a version graph, then its provenance.
    ///
    /// Not with [`oxigraph::store::Store::remove_named_graph`] alone: it deletes the whole
    /// graph in one transaction, which holds every deleted key in memory. Atomicity is not
    /// needed for a graph no query sees, so the quads go in small transactions and the graph
    /// name last, and an interrupted drop is finished the next time the store opens.
    fn drop_version(&self, graph: &NamedNode, stop: &dyn Fn() -> bool) -> Result<bool, Error> {
        // One iterator over a snapshot for the whole graph: a new one per chunk would walk
        // over the tombstones of every quad deleted before it (151 s instead of 41 s at 1.2M
        // triples with 1,000-quad chunks).
        let mut quads = self
            .inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()));
        let mut chunks = 0;
        loop {
            if stop() {
                return Ok(false);
            }
            let batch = quads
                .by_ref()
                .take(DROP_CHUNK)
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage)?;
            if batch.is_empty() {
                break;
            }
            let mut transaction = self.inner.start_transaction().map_err(storage)?;
            for quad in &batch {
                transaction.remove(quad);
            }
            transaction.commit().map_err(storage)?;
            chunks += 1;
            if chunks % FLUSH_EVERY == 0 {
                // Each flush lets RocksDB start a new write-ahead log; the deletions of a
                // million-triple version otherwise sit in one 500 MB log, which RocksDB then
                // keeps on disk to recycle.
                on_disk::flush(&self.inner).map_err(storage)?;
            }
        }
        let meta = self.names.metadata();
        let provenance: Vec<Quad> = self
            .inner
            .quads_for_pattern(None, None, None, Some(meta.as_ref().into()))
            .filter(|q| {
                q.as_ref().is_ok_and(|q| {
                    matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if Names::is_under(s.as_str(), graph))
                })
            })
            .collect::<Result<_, _>>()
            .map_err(storage)?;
        let mut transaction = self.inner.start_transaction().map_err(storage)?;
        for quad in &provenance {
            transaction.remove(quad);
        }
        transaction
            .remove_named_graph(graph.as_ref())
            .map_err(storage)?;
        transaction.commit().map_err(storage)?;
        Ok(true)
    }

    /// Deleting a version writes a tombstone per index key; RocksDB only frees the space, and
    /// stops reading past the tombstones, once it has compacted them away. The write-ahead log
    /// holding the deletions is only let go once every column family has been flushed (a
    /// quiet one kept a 500 MB log alive at 1.2M triples).
    fn reclaim(&self) -> Result<(), Error> {
        on_disk::flush(&self.inner).map_err(storage)?;
        on_disk::optimize(&self.inner).map_err(storage)
    }

    fn save_report(&self, dataset: &str, report: &Graph) -> Result<(), Error> {
        let graph = self.names.validation(dataset);
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let mut transaction = self.inner.start_transaction().map_err(storage)?;
        transaction.clear_graph(name).map_err(storage)?;
        for t in report {
            transaction.insert(QuadRef::new(t.subject, t.predicate, t.object, name));
        }
        transaction.commit().map_err(storage)
    }

    fn report(&self, dataset: &str) -> Result<Option<Vec<Triple>>, Error> {
        let graph = self.names.validation(dataset);
        let triples: Vec<Triple> = self
            .inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .map_err(storage)?;
        Ok((!triples.is_empty()).then_some(triples))
    }
}
