//! The latest validation report of each dataset, kept in the store so that the server can
//! publish it at `/validation/{dataset}`, the report graph's own name.

use super::{Error, Store};
use oxigraph::model::{Graph, GraphNameRef, NamedNode, QuadRef, Triple};

impl Store {
    /// `{base}validation/{dataset}`: the named graph holding the dataset's latest report.
    pub fn validation_graph(&self, dataset: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}validation/{dataset}", self.base_iri()))
    }

    /// Replaces the dataset's report, in one transaction.
    pub fn save_validation_report(&self, dataset: &str, report: &Graph) -> Result<(), Error> {
        let graph = self.validation_graph(dataset);
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let mut transaction = self.inner.start_transaction()?;
        transaction.clear_graph(name)?;
        for t in report {
            transaction.insert(QuadRef::new(t.subject, t.predicate, t.object, name));
        }
        transaction.commit()?;
        Ok(())
    }

    /// The dataset's latest report; `None` when it was never validated.
    pub fn validation_report(&self, dataset: &str) -> Result<Option<Vec<Triple>>, Error> {
        let graph = self.validation_graph(dataset);
        let mut triples = Vec::new();
        for quad in self
            .inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
        {
            triples.push(Triple::from(quad?));
        }
        Ok((!triples.is_empty()).then_some(triples))
    }
}
