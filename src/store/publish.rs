//! Loading a new version of a dataset beside the published one, then switching to it at once.

use super::provenance::Provenance;
use super::{Error, Store};
use crate::vocab::vitrine;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::time::SystemTime;

/// Quads per bulk-loader batch (see [`Staging::load`]).
const BATCH_QUADS: usize = 250_000;

/// Quads deleted per transaction when dropping an old version (see [`Store::drop_version`]).
const DROP_CHUNK: usize = 10_000;

/// A dataset version being loaded; invisible to queries until [`Staging::publish`].
#[must_use]
pub struct Staging<'s> {
    store: &'s Store,
    dataset: String,
    graph: NamedNode,
}

impl Store {
    /// Starts a new version of `dataset` in a fresh graph, first removing versions left behind
    /// by an interrupted ingest.
    pub fn stage(&self, dataset: &str) -> Result<Staging<'_>, Error> {
        self.remove_orphans(dataset)?;
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let graph = NamedNode::new_unchecked(format!("{}v{stamp}", self.graph_prefix(dataset)));
        Ok(Staging {
            store: self,
            dataset: dataset.to_owned(),
            graph,
        })
    }

    /// Removes graphs of `dataset` that are neither current nor the one kept before it.
    fn remove_orphans(&self, dataset: &str) -> Result<(), Error> {
        let current = self.current_graph(dataset)?;
        let previous = match &current {
            Some(g) => self.previous_graph(g)?,
            None => None,
        };
        let keep = |g: &NamedNode| Some(g) == current.as_ref() || Some(g) == previous.as_ref();
        let stale: Vec<NamedNode> = self
            .inner
            .named_graphs()
            .filter_map(|g| match g {
                Ok(NamedOrBlankNode::NamedNode(g)) => Some(Ok(g)),
                Ok(NamedOrBlankNode::BlankNode(_)) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|g| self.is_graph_of(&g.clone().into(), dataset) && !keep(g))
            .collect();
        for graph in stale {
            self.drop_version(&graph)?;
        }
        Ok(())
    }

    /// Deletes a version that no query can see any more.
    ///
    /// Not with [`oxigraph::store::Store::remove_named_graph`] alone: it deletes the whole graph
    /// in one transaction, which held every deleted key in memory and took 74 s for 1.2M
    /// triples (about 50 s in 10k-quad transactions). Atomicity is not needed for a graph no
    /// query sees, so the quads go in small transactions and the then empty graph name last,
    /// so an interrupted drop is finished by the next ingest. Each quad still costs six
    /// tombstones: Oxigraph exposes no range delete.
    fn drop_version(&self, graph: &NamedNode) -> Result<(), Error> {
        let mut quads = self
            .inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()));
        loop {
            let batch = quads
                .by_ref()
                .take(DROP_CHUNK)
                .collect::<Result<Vec<_>, _>>()?;
            if batch.is_empty() {
                break;
            }
            let mut transaction = self.inner.start_transaction()?;
            for quad in &batch {
                transaction.remove(quad);
            }
            transaction.commit()?;
        }
        self.inner.remove_named_graph(graph)?;
        Ok(())
    }

    pub(super) fn current_graph(&self, dataset: &str) -> Result<Option<NamedNode>, Error> {
        Ok(self
            .current_graphs()?
            .into_iter()
            .find_map(|(id, g)| (id == dataset).then_some(g)))
    }

    fn previous_graph(&self, graph: &NamedNode) -> Result<Option<NamedNode>, Error> {
        let meta = self.metadata_graph();
        for quad in self.inner.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(crate::vocab::prov::WAS_REVISION_OF),
            None,
            Some(meta.as_ref().into()),
        ) {
            if let Term::NamedNode(previous) = quad?.object {
                return Ok(Some(previous));
            }
        }
        Ok(None)
    }
}

impl Staging<'_> {
    /// The graph this version is loaded into.
    pub fn graph(&self) -> &NamedNode {
        &self.graph
    }

    /// Bulk-loads triples into this version's graph (their own graph names are replaced).
    ///
    /// The loader is not atomic, which is fine: nothing reads this graph before [`Self::publish`].
    /// It hands batches to worker threads that sort them into index files; Oxigraph's default
    /// batch of a million quads left one worker busy while mapping waited, and held 2 GiB at
    /// 12M triples. [`BATCH_QUADS`] per worker keeps the workers fed and memory bounded
    /// (measured at 1M rows: 125 s and 0.66 GiB instead of 133 s and 2 GiB).
    pub fn load<E>(&self, quads: impl IntoIterator<Item = Result<Quad, E>>) -> Result<(), E>
    where
        E: From<oxigraph::store::StorageError>,
    {
        let graph = GraphName::NamedNode(self.graph.clone());
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        // Oxigraph derives the batch size as megabytes × 1000 / threads.
        let mut loader = self
            .store
            .inner
            .bulk_loader()
            .without_atomicity()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes(BATCH_QUADS / 1000 * threads);
        loader.load_ok_quads::<E, E>(
            quads
                .into_iter()
                .map(|q| q.map(|q| Quad::new(q.subject, q.predicate, q.object, graph.clone()))),
        )?;
        loader.commit()?;
        Ok(())
    }

    /// Takes triples out of this version's graph (their own graph names are ignored), in one
    /// transaction: used for the records validation quarantines, a small share of the load.
    pub fn remove<'q>(&self, quads: impl IntoIterator<Item = &'q Quad>) -> Result<(), Error> {
        let graph = GraphNameRef::NamedNode(self.graph.as_ref());
        let mut transaction = self.store.inner.start_transaction()?;
        for q in quads {
            transaction.remove(QuadRef::new(&q.subject, &q.predicate, &q.object, graph));
        }
        transaction.commit()?;
        Ok(())
    }

    /// Number of distinct triples loaded so far.
    ///
    /// Counted by a SPARQL `COUNT(*)` scoped to this graph because the evaluator counts the
    /// encoded index keys, whereas iterating [`oxigraph::store::Store::quads_for_pattern`]
    /// looks up the text of every term (three RocksDB reads per triple, half the ingest time
    /// at 1M triples). Duplicates the mapping emitted were merged by the loader, so this is
    /// the size of the graph, not the number of triples produced.
    pub fn len(&self) -> Result<u64, Error> {
        let count_error = |e: &dyn std::fmt::Display| Error::Count {
            graph: self.graph.as_str().to_owned(),
            message: e.to_string(),
        };
        let mut query = SparqlEvaluator::new()
            .parse_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            .map_err(|e| count_error(&e))?;
        query
            .dataset_mut()
            .set_default_graph(vec![GraphName::NamedNode(self.graph.clone())]);
        let QueryResults::Solutions(mut solutions) = query
            .on_store(&self.store.inner)
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

    /// Whether nothing was loaded.
    pub fn is_empty(&self) -> Result<bool, Error> {
        Ok(self.len()? == 0)
    }

    /// Makes this version the published one, with its provenance, in one transaction; then
    /// drops versions older than the one it replaces.
    pub fn publish(self, provenance: &Provenance) -> Result<(), Error> {
        let store = self.store;
        let meta = store.metadata_graph();
        let dataset = store.dataset_iri(&self.dataset);
        let previous = store.current_graph(&self.dataset)?;
        let mut quads = provenance.quads(store, &self.dataset, &self.graph, previous.as_ref());
        quads.push(Quad::new(
            dataset.clone(),
            vitrine::CURRENT_GRAPH,
            self.graph.clone(),
            meta.clone(),
        ));
        let mut transaction = store.inner.start_transaction()?;
        let old: Vec<Quad> = transaction
            .quads_for_pattern(
                Some(dataset.as_ref().into()),
                None,
                None,
                Some(meta.as_ref().into()),
            )
            .collect::<Result<_, _>>()?;
        for quad in &old {
            transaction.remove(quad);
        }
        for quad in &quads {
            transaction.insert(QuadRef::from(quad));
        }
        transaction.commit()?;
        store.remove_orphans(&self.dataset)
    }
}
