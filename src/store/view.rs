//! What is published now: one immutable snapshot, shared by every reader until the next
//! publication replaces it.
//!
//! The snapshot is read from the metadata graph once, when the store opens and after each
//! publication, not per request: an item page or a query reads it from memory. A reader keeps
//! the `Arc` it started with for as long as it reads, so a publication in the middle of a
//! query changes nothing for that query, and a superseded version is dropped only once no
//! reader holds a snapshot that names it.

use oxigraph::model::NamedNode;
use std::time::SystemTime;

/// The published datasets, in id order.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub(super) datasets: Vec<PublishedDataset>,
}

/// One published dataset at its current version.
#[derive(Debug, Clone)]
pub struct PublishedDataset {
    /// The dataset id from the config (`joconde`).
    pub id: String,
    /// Its public graph: the name queries use, stable across re-ingests.
    pub graph: NamedNode,
    /// The version now published.
    pub version: Version,
    /// When this version was published (`xsd:dateTime`, UTC).
    pub published: String,
    /// When the dataset was first published (`xsd:dateTime`, UTC).
    pub first_published: String,
    pub counts: Counts,
}

/// A loaded version of a dataset. Its number grows by one at every ingest and is never reused,
/// so `(dataset, number)` identifies the content that was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub number: u64,
    /// The internal graph holding it; never shown to the public.
    pub(crate) graph: NamedNode,
}

/// The counts an ingest recorded for a version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Distinct triples in the published graph.
    pub triples: u64,
    pub records_read: u64,
    pub records_published: u64,
    pub records_quarantined: u64,
    /// Record-level errors reported (a record may have several).
    pub record_errors: u64,
}

impl Published {
    /// The published datasets, in id order.
    pub fn datasets(&self) -> &[PublishedDataset] {
        &self.datasets
    }

    /// Whether nothing is published.
    pub fn is_empty(&self) -> bool {
        self.datasets.is_empty()
    }

    /// The dataset `id`, when it is published.
    pub fn get(&self, id: &str) -> Option<&PublishedDataset> {
        self.datasets.iter().find(|d| d.id == id)
    }

    /// The dataset whose public graph is `iri`.
    pub fn by_graph(&self, iri: &str) -> Option<&PublishedDataset> {
        self.datasets.iter().find(|d| d.graph.as_str() == iri)
    }

    /// The dataset whose current version is held in the internal graph `graph`.
    pub(crate) fn by_version_graph(&self, graph: &NamedNode) -> Option<&PublishedDataset> {
        self.datasets.iter().find(|d| d.version.graph == *graph)
    }

    /// A number that changes exactly when some dataset is published again (not when the store
    /// is reopened): what validators (`ETag`) and caches of derived documents are keyed on.
    pub fn generation(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        for d in &self.datasets {
            std::hash::Hash::hash(&(&d.id, d.version.number, &d.published), &mut hasher);
        }
        std::hash::Hasher::finish(&hasher)
    }

    /// When the newest of the published versions was published.
    pub fn last_published(&self) -> Option<SystemTime> {
        self.datasets.iter().filter_map(|d| d.published_at()).max()
    }

    /// The internal graphs of every current version.
    pub(crate) fn version_graphs(&self) -> impl Iterator<Item = &NamedNode> {
        self.datasets.iter().map(|d| &d.version.graph)
    }

    /// Whether `graph` is the internal graph of a current version.
    pub(crate) fn is_current(&self, graph: &NamedNode) -> bool {
        self.version_graphs().any(|g| g == graph)
    }
}

impl PublishedDataset {
    /// The publication time, for `Last-Modified` and the catalogue.
    pub fn published_at(&self) -> Option<SystemTime> {
        humantime::parse_rfc3339(&self.published).ok()
    }
}
