//! Loading a version into its own graph of the embedded store, then publishing it in one
//! transaction.

use super::{Embedded, storage};
use crate::store::Error;
use crate::store::backend::Staging;
use crate::validate::{ShapesGraph, ValidationReport};
use crate::vocab::vitrine;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, QuadRef, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};

/// Quads per bulk-loader batch (see [`bulk_load`]).
const BATCH_QUADS: usize = 250_000;

pub(super) struct EmbeddedStaging<'s> {
    store: &'s Embedded,
    dataset: String,
    number: u64,
    graph: NamedNode,
}

impl<'s> EmbeddedStaging<'s> {
    /// Hands out the next version number of `dataset` and records it before anything is
    /// loaded, so a version left behind by a crash is never numbered again.
    pub(super) fn new(store: &'s Embedded, dataset: &str) -> Result<Self, Error> {
        let names = &store.names;
        let metadata = crate::store::metadata::Metadata::read(names, store_metadata(store)?);
        let number = metadata.last_version(names, dataset) + 1;
        replace_metadata(
            store,
            dataset,
            Some(vitrine::LAST_VERSION),
            &[crate::store::metadata::last_version(names, dataset, number)],
        )?;
        Ok(Self {
            store,
            dataset: dataset.to_owned(),
            number,
            graph: names.version(dataset, number),
        })
    }
}

fn store_metadata(store: &Embedded) -> Result<Vec<Quad>, Error> {
    crate::store::backend::Backend::metadata(store)
}

/// Replaces, in one transaction, the metadata quads about `dataset`'s node (those with
/// `predicate` only, when given) by `quads`.
fn replace_metadata(
    store: &Embedded,
    dataset: &str,
    predicate: Option<NamedNodeRef<'_>>,
    quads: &[Quad],
) -> Result<(), Error> {
    let meta = store.names.metadata();
    let node = store.names.dataset(dataset);
    let mut transaction = store.inner.start_transaction().map_err(storage)?;
    let old: Vec<Quad> = transaction
        .quads_for_pattern(
            Some(node.as_ref().into()),
            predicate,
            None,
            Some(meta.as_ref().into()),
        )
        .collect::<Result<_, _>>()
        .map_err(storage)?;
    for quad in &old {
        transaction.remove(quad);
    }
    for quad in quads {
        transaction.insert(quad);
    }
    transaction.commit().map_err(storage)
}

impl Staging for EmbeddedStaging<'_> {
    fn number(&self) -> u64 {
        self.number
    }

    /// Bulk-loads triples into this version's graph.
    ///
    /// The loader is not atomic, which is fine: nothing reads this graph before it is
    /// published. It hands batches to worker threads that sort them into index files;
    /// Oxigraph's default batch of a million quads left one worker busy while mapping waited,
    /// and held 2 GiB at 12M triples. [`BATCH_QUADS`] per worker keeps the workers fed and
    /// memory bounded (measured at 1M rows: 125 s and 0.66 GiB instead of 133 s and 2 GiB).
    fn load(&mut self, quads: &mut dyn Iterator<Item = Quad>) -> Result<(), Error> {
        bulk_load(
            &self.store.inner,
            &GraphName::NamedNode(self.graph.clone()),
            quads,
        )
    }

    fn remove(&mut self, quads: &[Quad]) -> Result<(), Error> {
        let graph = GraphNameRef::NamedNode(self.graph.as_ref());
        let mut transaction = self.store.inner.start_transaction().map_err(storage)?;
        for q in quads {
            transaction.remove(QuadRef::new(&q.subject, &q.predicate, &q.object, graph));
        }
        transaction.commit().map_err(storage)
    }

    fn len(&self) -> Result<u64, Error> {
        count(&self.store.inner, &GraphName::NamedNode(self.graph.clone()))
    }

    fn validate(&self, shapes: &ShapesGraph) -> Result<ValidationReport, Error> {
        Ok(shapes.validate_store(
            &self.store.inner,
            GraphNameRef::NamedNode(self.graph.as_ref()),
        )?)
    }

    fn publish(self: Box<Self>, metadata: Vec<Quad>) -> Result<(), Error> {
        replace_metadata(self.store, &self.dataset, None, &metadata)
    }
}

/// Bulk-loads triples into `graph` of `store` (their own graph names are ignored).
///
/// The loader is not atomic, which is fine: nothing reads a staged graph before it is
/// published. It hands batches to worker threads that sort them into index files;
/// Oxigraph's default batch of a million quads left one worker busy while mapping waited,
/// and held 2 GiB at 12M triples. [`BATCH_QUADS`] per worker keeps the workers fed and
/// memory bounded (measured at 1M rows: 125 s and 0.66 GiB instead of 133 s and 2 GiB).
pub(in crate::store) fn bulk_load(
    store: &oxigraph::store::Store,
    graph: &GraphName,
    quads: &mut dyn Iterator<Item = Quad>,
) -> Result<(), Error> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // Oxigraph derives the batch size as megabytes × 1000 / threads.
    let mut loader = store
        .bulk_loader()
        .without_atomicity()
        .with_num_threads(threads)
        .with_max_memory_size_in_megabytes(BATCH_QUADS / 1000 * threads);
    loader
        .load_ok_quads::<oxigraph::store::StorageError, oxigraph::store::StorageError>(
            quads.map(|q| Ok(Quad::new(q.subject, q.predicate, q.object, graph.clone()))),
        )
        .map_err(storage)?;
    loader.commit().map_err(storage)
}

/// The number of triples in `graph`.
///
/// Counted by a SPARQL `COUNT(*)` scoped to the graph because the evaluator counts the
/// encoded index keys, whereas iterating the quads looks up the text of every term (three
/// RocksDB reads per triple, half the ingest time at 1M triples). Duplicates the mapping
/// emitted were merged by the loader, so this is the size of the graph, not the number of
/// triples produced.
pub(in crate::store) fn count(
    store: &oxigraph::store::Store,
    graph: &GraphName,
) -> Result<u64, Error> {
    let count_error =
        |e: &dyn std::fmt::Display| Error::Storage(format!("counting the triples of {graph}: {e}"));
    let mut query = SparqlEvaluator::new()
        .parse_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        .map_err(|e| count_error(&e))?;
    query.dataset_mut().set_default_graph(vec![graph.clone()]);
    let QueryResults::Solutions(mut solutions) = query
        .on_store(store)
        .execute()
        .map_err(|e| count_error(&e))?
    else {
        return Err(count_error(&"not a SELECT result"));
    };
    let solution = solutions
        .next()
        .ok_or_else(|| count_error(&"no result row"))?
        .map_err(|e| count_error(&e))?;
    match solution.get("n") {
        Some(Term::Literal(n)) => n.value().parse().map_err(|e| count_error(&e)),
        other => Err(count_error(&format!("unexpected count {other:?}"))),
    }
}
