//! The seam between vitrine and whatever holds the triples.
//!
//! [`Backend`] is everything the server, the catalogue, the CLI and ingest need from a store,
//! in vitrine's own terms: RDF terms and quads, vitrine's [`Answer`] streams and [`Error`]s. No
//! engine type crosses it, so a second implementation (a SPARQL 1.1 store reached over HTTP)
//! plugs in beside the embedded Oxigraph one without the rest of the code changing.
//!
//! Backends work on **internal** graph names only (see [`super::Names`]); the [`super::Store`]
//! in front of them turns public names into internal ones and keeps the published snapshot.
//!
//! What a backend must provide:
//! - read the metadata graph ([`Backend::metadata`]);
//! - evaluate an already planned query over named internal graphs, cancellable
//!   ([`Backend::query`]);
//! - the batched lookups pages need: a resource's description, the labels and types of many
//!   resources at once, the statements pointing at a resource, a page at a time
//!   ([`Backend::describe`], [`Backend::annotate`], [`Backend::referrers`]);
//! - stage a new version out of sight, validate it, and publish it in one atomic step
//!   ([`Backend::stage`], [`Staging`]);
//! - drop versions nobody reads any more ([`Backend::drop_version`]), and store the validation
//!   report of each dataset.

use super::Error;
use super::answer::{Answer, Cancel};
use super::public::PlannedQuery;
use crate::validate::{ShapesGraph, ValidationReport};
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNode, Quad, Triple};
use std::collections::HashMap;

/// A store of RDF graphs that vitrine can publish into and read from.
pub trait Backend: Send + Sync {
    /// Every quad of the metadata graph (small: a few dozen per dataset version).
    fn metadata(&self) -> Result<Vec<Quad>, Error>;

    /// Every version graph the store holds, current or not, for garbage collection.
    fn version_graphs(&self) -> Result<Vec<NamedNode>, Error>;

    /// Whether the engine evaluates a transitive path (`p*`, `p+`) inside a `GRAPH` block.
    /// Virtuoso refuses one whose ends are both unbound there ("transitive start not given")
    /// but evaluates it over the query's declared dataset; the planner then puts closures
    /// there.
    fn closures_in_graph(&self) -> bool {
        true
    }

    /// Evaluates `query`, whose dataset names internal graphs only. Evaluation stops, with
    /// [`Error::Cancelled`], when `cancel` fires.
    fn query(&self, query: &PlannedQuery, cancel: &Cancel) -> Result<Answer, Error>;

    /// The statements about `subject` in `graphs`, closed over the blank nodes it points to (its
    /// concise bounded description) and over the resources minted under its IRI
    /// (`…/production`), each with the graph holding it.
    fn describe(&self, graphs: &[NamedNode], subject: &NamedNode) -> Result<Vec<Quad>, Error>;

    /// The labels and types of `nodes` in `graphs`, in one call.
    fn annotate(
        &self,
        graphs: &[NamedNode],
        nodes: &[NamedOrBlankNode],
    ) -> Result<Annotations, Error>;

    /// The statements in `graphs` whose object is `object`, as (subject, predicate), in a
    /// stable order: `limit` of them after skipping `offset`, and how many there are in all.
    fn referrers(
        &self,
        graphs: &[NamedNode],
        object: &NamedNode,
        offset: usize,
        limit: usize,
    ) -> Result<Referrers, Error>;

    /// Starts a new version of `dataset`, invisible until it is published.
    fn stage(&self, dataset: &str) -> Result<Box<dyn Staging + '_>, Error>;

    /// Removes a version graph and its provenance. Only called for versions that are not
    /// current and that no reader's snapshot names. Returns `false` when `stop` said to stop
    /// before the end: the version is still listed by [`Backend::version_graphs`], and a later
    /// call finishes it.
    fn drop_version(&self, graph: &NamedNode, stop: &dyn Fn() -> bool) -> Result<bool, Error>;

    /// Gives back the space of dropped versions, if the store needs telling (a log-structured
    /// store keeps deleted data until it compacts). May take a while; called in the background.
    fn reclaim(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Replaces the validation report of `dataset`.
    fn save_report(&self, dataset: &str, report: &Graph) -> Result<(), Error>;

    /// The latest validation report of `dataset`, if it was ever validated.
    fn report(&self, dataset: &str) -> Result<Option<Vec<Triple>>, Error>;
}

/// A version of a dataset being loaded. Nothing reads it until [`Staging::publish`].
pub trait Staging {
    /// The number of this version (its graph is `Names::version(dataset, number)`).
    fn number(&self) -> u64;

    /// Loads triples into the version (their graph names are ignored).
    fn load(&mut self, quads: &mut dyn Iterator<Item = Quad>) -> Result<(), Error>;

    /// Takes triples out of the version again (their graph names are ignored): the records
    /// validation quarantined.
    fn remove(&mut self, quads: &[Quad]) -> Result<(), Error>;

    /// Distinct triples loaded so far.
    fn len(&self) -> Result<u64, Error>;

    /// Whether nothing was loaded.
    fn is_empty(&self) -> Result<bool, Error> {
        Ok(self.len()? == 0)
    }

    /// Validates the version against `shapes`.
    fn validate(&self, shapes: &ShapesGraph) -> Result<ValidationReport, Error>;

    /// Makes this version the published one: replaces every metadata quad about the dataset
    /// node with `metadata` (which points at this version), atomically.
    fn publish(self: Box<Self>, metadata: Vec<Quad>) -> Result<(), Error>;
}

/// Labels and types of resources, as [`Backend::annotate`] found them.
#[derive(Debug, Default, Clone)]
pub struct Annotations {
    pub labels: HashMap<NamedOrBlankNode, Vec<Literal>>,
    pub types: HashMap<NamedOrBlankNode, Vec<NamedNode>>,
}

/// A page of the statements pointing at a resource.
#[derive(Debug, Default, Clone)]
pub struct Referrers {
    /// (subject, predicate), in a stable order.
    pub statements: Vec<(NamedOrBlankNode, NamedNode)>,
    /// How many statements point at the resource in all.
    pub total: usize,
}
