//! Stage 3 — the embedded Oxigraph store, with atomic publishing.
//!
//! Consumes quads (from [`crate::mapping`]) and serves them back to queries. Calls no stage to
//! its right.
//!
//! ## Why versioned graphs
//! Each ingest loads a dataset into a fresh named graph (`{base}graph/{dataset}/{version}`)
//! with Oxigraph's bulk loader, which is fast but not transactional. Nothing reads that graph
//! until one small transaction in the metadata graph points the dataset at it. Queries only
//! see the graphs the metadata points at (see [`Store::query`]), so a reader sees the previous
//! version or the new one, never a mix, and a crash mid-load leaves an orphan graph that the
//! next ingest removes. The version before the current one is kept until the next publish, so
//! a query that started just before a switch still finds its data.

mod provenance;
mod publish;
mod query;
mod validation;

pub use provenance::{DatasetStatus, Provenance, SourceFile};
pub use publish::Staging;
pub use query::QueryFailure;

use crate::vocab::vitrine;
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, TermRef};
use std::path::Path;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// RocksDB could not open or write the store.
    #[error("store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// Another vitrine process has the store open.
    #[error("the store at {} is in use by another process ({message}); stop `vitrine serve` first", path.display())]
    Locked {
        path: std::path::PathBuf,
        message: String,
    },
    /// Counting the triples of a staged graph failed.
    #[error("counting the triples of {graph}: {message}")]
    Count { graph: String, message: String },
    /// The bulk loader failed.
    #[error("bulk load: {0}")]
    Load(#[from] oxigraph::store::LoaderError),
}

/// The publisher's store: Oxigraph plus the naming scheme of graphs under the base IRI.
#[derive(Clone)]
pub struct Store {
    inner: oxigraph::store::Store,
    base_iri: String,
}

impl Store {
    /// Opens (or creates) the store in `path`.
    pub fn open(path: &Path, base_iri: &NamedNode) -> Result<Self, Error> {
        let inner = oxigraph::store::Store::open(path).map_err(|e| {
            let message = e.to_string();
            if message.contains("lock") {
                Error::Locked {
                    path: path.to_owned(),
                    message,
                }
            } else {
                Error::Storage(e)
            }
        })?;
        Ok(Self::from_oxigraph(inner, base_iri))
    }

    /// An in-memory store, for tests and one-off conversions.
    pub fn in_memory(base_iri: &NamedNode) -> Result<Self, Error> {
        Ok(Self::from_oxigraph(
            oxigraph::store::Store::new()?,
            base_iri,
        ))
    }

    fn from_oxigraph(inner: oxigraph::store::Store, base_iri: &NamedNode) -> Self {
        Self {
            inner,
            base_iri: base_iri.as_str().to_owned(),
        }
    }

    /// The base IRI every graph and item name starts with.
    pub fn base_iri(&self) -> &str {
        &self.base_iri
    }

    /// The graph holding provenance and the pointers to current dataset versions.
    pub fn metadata_graph(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}graph/metadata", self.base_iri))
    }

    /// The IRI naming a dataset (subject of its provenance).
    pub fn dataset_iri(&self, dataset: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}dataset/{dataset}", self.base_iri))
    }

    /// The graphs currently published, one per dataset, in dataset order.
    pub fn current_graphs(&self) -> Result<Vec<(String, NamedNode)>, Error> {
        let meta = self.metadata_graph();
        let prefix = format!("{}dataset/", self.base_iri);
        let mut graphs = Vec::new();
        for quad in self.inner.quads_for_pattern(
            None,
            Some(vitrine::CURRENT_GRAPH),
            None,
            Some(meta.as_ref().into()),
        ) {
            let quad = quad?;
            let (
                oxigraph::model::NamedOrBlankNode::NamedNode(dataset),
                oxigraph::model::Term::NamedNode(graph),
            ) = (quad.subject, quad.object)
            else {
                continue;
            };
            if let Some(id) = dataset.as_str().strip_prefix(&prefix) {
                graphs.push((id.to_owned(), graph));
            }
        }
        graphs.sort();
        Ok(graphs)
    }

    /// Whether any dataset has been published.
    pub fn has_published_data(&self) -> Result<bool, Error> {
        Ok(!self.current_graphs()?.is_empty())
    }

    /// The published quads about `subject`: its own statements, and those of the blank nodes it
    /// points to (its concise bounded description), across every current dataset graph.
    pub fn describe(&self, subject: NamedNodeRef<'_>) -> Result<Vec<Quad>, Error> {
        let mut out = Vec::new();
        for (_, graph) in self.current_graphs()? {
            let mut pending = vec![oxigraph::model::NamedOrBlankNode::from(
                subject.into_owned(),
            )];
            let mut seen = std::collections::HashSet::new();
            while let Some(node) = pending.pop() {
                if !seen.insert(node.clone()) {
                    continue;
                }
                for quad in self.inner.quads_for_pattern(
                    Some(node.as_ref()),
                    None,
                    None,
                    Some(graph.as_ref().into()),
                ) {
                    let quad = quad?;
                    if let oxigraph::model::Term::BlankNode(b) = &quad.object {
                        pending.push(b.clone().into());
                    }
                    out.push(quad);
                }
            }
        }
        Ok(out)
    }

    /// Up to `limit` published statements pointing at `object`, as (subject, predicate).
    pub fn referrers(
        &self,
        object: NamedNodeRef<'_>,
        limit: usize,
    ) -> Result<Vec<(oxigraph::model::NamedOrBlankNode, NamedNode)>, Error> {
        let mut out = Vec::new();
        for (_, graph) in self.current_graphs()? {
            for quad in self.inner.quads_for_pattern(
                None,
                None,
                Some(object.into()),
                Some(graph.as_ref().into()),
            ) {
                if out.len() >= limit {
                    return Ok(out);
                }
                let quad = quad?;
                out.push((quad.subject, quad.predicate));
            }
        }
        Ok(out)
    }

    /// The first `rdfs:label` of `node` in the published graphs, preferring `lang`.
    pub fn label(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        lang: &str,
    ) -> Result<Option<String>, Error> {
        let mut best: Option<(bool, String)> = None;
        for (_, graph) in self.current_graphs()? {
            for quad in self.inner.quads_for_pattern(
                Some(node),
                Some(crate::vocab::rdfs::LABEL),
                None,
                Some(graph.as_ref().into()),
            ) {
                if let TermRef::Literal(l) = quad?.object.as_ref() {
                    let preferred = l.language() == Some(lang);
                    if best.as_ref().is_none_or(|(p, _)| preferred && !p) {
                        best = Some((preferred, l.value().to_owned()));
                    }
                }
            }
        }
        Ok(best.map(|(_, l)| l))
    }

    /// The underlying Oxigraph store, for stages that need its full API.
    pub fn oxigraph(&self) -> &oxigraph::store::Store {
        &self.inner
    }

    fn graph_prefix(&self, dataset: &str) -> String {
        format!("{}graph/{dataset}/", self.base_iri)
    }

    fn is_graph_of(&self, graph: &GraphName, dataset: &str) -> bool {
        matches!(graph, GraphName::NamedNode(g) if g.as_str().starts_with(&self.graph_prefix(dataset)))
    }
}
