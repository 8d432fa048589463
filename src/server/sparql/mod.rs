//! `/sparql`: the SPARQL 1.1 Protocol, read-only.
//!
//! Queries come as `?query=`, as a form body, or as an `application/sparql-query` body
//! ([`protocol`]); `default-graph-uri` and `named-graph-uri` name datasets by their public
//! graphs. Answers are negotiated from [`crate::formats`] (and an HTML table for browsers), and
//! streamed under a deadline, a bound on concurrent queries and a result limit ([`respond`]),
//! with whole answers kept until the next publication ([`cache`]). Without a query, the
//! endpoint describes itself ([`description`]) or, for a browser, shows the query page. Updates
//! are refused in every form; other methods get 405.

mod cache;
mod description;
mod protocol;
mod respond;

pub(crate) use cache::{Cached, Key, ResultCache};
pub(crate) use respond::{LIMIT_HEADER, TRUNCATED_HEADER};

use super::negotiate::choose;
use super::{AppState, Error, html};
use crate::formats::{self, Format};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use protocol::Request;

/// SELECT and ASK answers on offer, HTML last so that `*/*` gets SPARQL JSON.
const SOLUTION_OFFER: [Format; 5] = [
    formats::SPARQL_JSON,
    formats::SPARQL_XML,
    formats::CSV,
    formats::TSV,
    formats::HTML,
];

/// CONSTRUCT and DESCRIBE answers on offer.
const GRAPH_OFFER: [Format; 6] = [
    formats::TURTLE,
    formats::JSON_LD,
    formats::NTRIPLES,
    formats::NQUADS,
    formats::RDF_XML,
    formats::HTML,
];

const UPDATE_REFUSED: &str = "SPARQL Update is not accepted on the public endpoint; data changes go through `vitrine ingest`";

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sparql", get(get_sparql).post(post_sparql))
}

async fn get_sparql(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let request = Request::from_get(&uri)?;
    if request.update {
        return Err(Error::Forbidden(UPDATE_REFUSED.into()));
    }
    if request.query.is_none() {
        return describe_or_page(&state, &headers, &request, &uri);
    }
    respond::respond(state, request, headers, uri).await
}

async fn post_sparql(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let request = Request::from_post(&uri, &headers, &body)?;
    if request.update {
        return Err(Error::Forbidden(UPDATE_REFUSED.into()));
    }
    respond::respond(state, request, headers, uri).await
}

/// `GET /sparql` without a query: the service description for machines, the query page for
/// people.
fn describe_or_page(
    state: &AppState,
    headers: &HeaderMap,
    request: &Request,
    uri: &Uri,
) -> Result<Response, Error> {
    let offer = [
        formats::TURTLE,
        formats::JSON_LD,
        formats::RDF_XML,
        formats::NTRIPLES,
        formats::HTML,
    ];
    let format = choose(headers, &request.formats, &offer)?;
    let Some(rdf) = format.rdf() else {
        return Ok(html::sparql_form(state)?.into_response());
    };
    let endpoint = description::endpoint_url(headers, uri);
    let triples = description::describe(state, &endpoint);
    let quads: Vec<_> = triples
        .into_iter()
        .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
        .collect();
    let body = super::resource::serialize(rdf, &quads).map_err(Error::internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                format!("{}; charset=utf-8", format.media_type),
            ),
            (axum::http::header::VARY, "Accept".to_owned()),
        ],
        body,
    )
        .into_response())
}
