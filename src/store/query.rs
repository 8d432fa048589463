//! SPARQL over what is published, and nothing else.
//!
//! A query that names no dataset (`FROM`/`FROM NAMED`) sees the union of the current dataset
//! graphs as its default graph, and the current graphs plus the metadata graph as named graphs.
//! Versions being loaded or kept for rollback stay invisible.

use super::{Error, Store};
use oxigraph::model::{GraphName, NamedOrBlankNode};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator, SparqlSyntaxError,
};

/// Why a query gave no results.
#[derive(Debug, thiserror::Error)]
pub enum QueryFailure {
    /// The text is not a SPARQL 1.1 query.
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    /// Evaluation failed, or was cancelled.
    #[error("query evaluation failed: {0}")]
    Evaluation(#[from] QueryEvaluationError),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] Error),
}

impl Store {
    /// Evaluates a SPARQL query over the published datasets. `cancel` stops evaluation when
    /// triggered (the server's timeout uses it).
    ///
    /// ```
    /// use oxigraph::model::NamedNode;
    /// use oxigraph::sparql::QueryResults;
    /// let store = vitrine::store::Store::in_memory(&NamedNode::new("https://example.org/")?)?;
    /// let QueryResults::Boolean(any) = store.query("ASK { ?s ?p ?o }", None)? else { panic!() };
    /// assert!(!any);
    /// # Result::<_, Box<dyn std::error::Error>>::Ok(())
    /// ```
    pub fn query(
        &self,
        sparql: &str,
        cancel: Option<CancellationToken>,
    ) -> Result<QueryResults<'static>, QueryFailure> {
        let mut evaluator = SparqlEvaluator::new();
        if let Some(token) = cancel {
            evaluator = evaluator.with_cancellation_token(token);
        }
        let mut prepared = evaluator.parse_query(sparql)?;
        if prepared.dataset().is_default_dataset() {
            let graphs = self.current_graphs()?;
            let dataset = prepared.dataset_mut();
            dataset.set_default_graph(
                graphs
                    .iter()
                    .map(|(_, g)| GraphName::NamedNode(g.clone()))
                    .collect(),
            );
            let mut named: Vec<NamedOrBlankNode> =
                graphs.into_iter().map(|(_, g)| g.into()).collect();
            named.push(self.metadata_graph().into());
            dataset.set_available_named_graphs(named);
        }
        Ok(prepared.on_store(&self.inner).execute()?)
    }
}
