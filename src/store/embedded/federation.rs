//! `SERVICE` calls from the embedded store: only to the endpoints the publisher allows, each
//! call under its own time limit, over the SPARQL 1.1 Protocol.

use crate::store::{Cancel, Federation};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError, QuerySolutionIter};
use spargebra::Query;
use spargebra::algebra::GraphPattern;

/// Why a `SERVICE` call gave nothing.
#[derive(Debug, thiserror::Error)]
pub(super) enum ServiceError {
    /// The endpoint is not on the allow-list.
    #[error(
        "SERVICE <{0}> is not allowed: this endpoint only calls the endpoints listed in its federation allow-list (`[server] federation` in vitrine.toml)"
    )]
    NotAllowed(String),
    /// The call failed or timed out.
    #[error("SERVICE <{endpoint}>: {message}")]
    Call { endpoint: String, message: String },
    /// The query was cancelled before the call.
    #[error("the query was cancelled")]
    Cancelled,
}

/// Calls allowed endpoints with `ureq`, refuses the others.
pub(super) struct Handler {
    pub(super) federation: Federation,
    pub(super) cancel: Cancel,
}

impl DefaultServiceHandler for Handler {
    type Error = ServiceError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceError> {
        let endpoint = service_name.as_str();
        if !self.federation.allows(endpoint) {
            return Err(ServiceError::NotAllowed(endpoint.to_owned()));
        }
        if self.cancel.is_cancelled() {
            return Err(ServiceError::Cancelled);
        }
        let call = |message: String| ServiceError::Call {
            endpoint: endpoint.to_owned(),
            message,
        };
        let query = Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        };
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(self.federation.timeout))
            .http_status_as_error(true)
            .build()
            .new_agent();
        let response = agent
            .post(endpoint)
            .header("Accept", "application/sparql-results+json")
            .header("User-Agent", concat!("vitrine/", env!("CARGO_PKG_VERSION")))
            .send_form([("query", query.to_string())])
            .map_err(|e| call(e.to_string()))?;
        let reader = response.into_body().into_reader();
        match QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(reader)
            .map_err(|e| call(e.to_string()))?
        {
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let endpoint = endpoint.to_owned();
                Ok(QuerySolutionIter::new(
                    variables.into(),
                    solutions.map(move |s| {
                        s.map_err(|e| {
                            QueryEvaluationError::Service(Box::new(ServiceError::Call {
                                endpoint: endpoint.clone(),
                                message: e.to_string(),
                            }))
                        })
                    }),
                ))
            }
            ReaderQueryResultsParserOutput::Boolean(_) => {
                Err(call("answered a boolean to a SELECT".into()))
            }
        }
    }
}
