//! `GET/POST /sparql`: the SPARQL 1.1 Protocol, read-only.
//!
//! Queries come as `?query=`, as a form body, or as an `application/sparql-query` body.
//! Results are negotiated: SPARQL JSON (default), XML, CSV or TSV for SELECT/ASK; Turtle
//! (default), N-Triples, JSON-LD or RDF/XML for CONSTRUCT/DESCRIBE; and an HTML table when a
//! browser asks. Evaluation runs off the async runtime and is cancelled at [`QUERY_TIMEOUT`].

use super::negotiate::choose;
use super::{AppState, Error, QUERY_TIMEOUT, html};
use crate::store::{Answer, Cancel, DatasetRequest, QueryOptions};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sparql", get(get_query).post(post_query))
}

/// The protocol's parameters; `default-graph-uri` and `named-graph-uri` may repeat.
#[derive(Default)]
pub(super) struct Params {
    query: Option<String>,
    update: Option<String>,
    format: Option<String>,
    dataset: DatasetRequest,
}

impl Params {
    /// Reads `application/x-www-form-urlencoded` pairs (a query string or a form body).
    fn parse(encoded: &[u8]) -> Result<Self, Error> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded)
            .map_err(|e| Error::BadRequest(format!("malformed parameters: {e}")))?;
        let mut params = Params::default();
        let graph = |value: &str| {
            NamedNode::new(value)
                .map_err(|e| Error::BadRequest(format!("`{value}` is not an absolute IRI: {e}")))
        };
        for (name, value) in pairs {
            match name.as_str() {
                "query" => params.query = Some(value),
                "update" => params.update = Some(value),
                "format" => params.format = Some(value),
                "default-graph-uri" => params.dataset.default.push(graph(&value)?),
                "named-graph-uri" => params.dataset.named.push(graph(&value)?),
                _ => {}
            }
        }
        Ok(params)
    }
}

async fn get_query(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let params = Params::parse(uri.query().unwrap_or("").as_bytes())?;
    if params.query.is_none() && params.update.is_none() {
        return Ok(html::sparql_form(&state)?.into_response());
    }
    answer(state, params, &headers).await
}

async fn post_query(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let url_params = Params::parse(uri.query().unwrap_or("").as_bytes())?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let params = match content_type.as_str() {
        "application/sparql-query" => Params {
            query: Some(
                String::from_utf8(body.to_vec())
                    .map_err(|_| Error::BadRequest("the query is not UTF-8".into()))?,
            ),
            ..url_params
        },
        "application/x-www-form-urlencoded" => Params::parse(&body)?,
        "application/sparql-update" => Params {
            update: Some(String::new()),
            ..Params::default()
        },
        other => {
            return Err(Error::BadRequest(format!(
                "unsupported Content-Type `{other}`; send application/sparql-query or a form"
            )));
        }
    };
    answer(state, params, &headers).await
}

/// The media types offered for each kind of result, in our order of preference.
const SOLUTION_TYPES: [&str; 5] = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
];
const GRAPH_TYPES: [&str; 5] = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "text/html",
];

async fn answer(state: AppState, params: Params, headers: &HeaderMap) -> Result<Response, Error> {
    if params.update.is_some() {
        return Err(Error::Forbidden(
            "SPARQL Update is not accepted on the public endpoint; data changes go through `vitrine ingest`".into(),
        ));
    }
    let query = params
        .query
        .ok_or_else(|| Error::BadRequest("missing `query` parameter".into()))?;
    let format = params.format.clone();
    let lang = super::resource::page_lang(headers);
    let headers = headers.clone();
    let cancel = Cancel::new();
    let store = state.store.clone();
    let options = QueryOptions {
        dataset: Some(params.dataset),
        cancel: cancel.clone(),
    };
    let sparql = query.clone();
    let task = tokio::task::spawn_blocking(move || -> Result<Output, Error> {
        let results = store.query(&sparql, &options)?;
        render(results, &headers, format.as_deref())
    });
    let output = match tokio::time::timeout(QUERY_TIMEOUT, task).await {
        Ok(joined) => joined.map_err(Error::internal)??,
        Err(_) => {
            cancel.cancel();
            return Err(Error::Timeout(QUERY_TIMEOUT.as_secs()));
        }
    };
    match output {
        Output::Bytes(media_type, body) => {
            let mut response = body.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&format!("{media_type}; charset=utf-8"))
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept"));
            Ok(response)
        }
        Output::Table(table) => {
            let mut response = html::sparql_results(&state, &query, &table, lang)?.into_response();
            response.headers_mut().insert(
                header::VARY,
                HeaderValue::from_static("Accept, Accept-Language"),
            );
            Ok(response)
        }
    }
}

/// A rendered answer: bytes in a media type, or a table for the HTML page.
enum Output {
    Bytes(&'static str, Vec<u8>),
    Table(html::Table),
}

fn pick(
    headers: &HeaderMap,
    format: Option<&str>,
    available: &[&'static str],
) -> Result<&'static str, Error> {
    match format {
        None => choose(headers, available),
        Some(name) => {
            let wanted = match name {
                "json" | "srj" => "application/sparql-results+json",
                "xml" | "srx" => "application/sparql-results+xml",
                "csv" => "text/csv",
                "tsv" => "text/tab-separated-values",
                "ttl" | "turtle" => "text/turtle",
                "nt" | "ntriples" => "application/n-triples",
                "jsonld" => "application/ld+json",
                "rdf" | "rdfxml" => "application/rdf+xml",
                "html" => "text/html",
                other => other,
            };
            available
                .iter()
                .find(|m| **m == wanted)
                .copied()
                .ok_or_else(|| Error::NotAcceptable(available.join(", ")))
        }
    }
}

fn render(results: Answer, headers: &HeaderMap, format: Option<&str>) -> Result<Output, Error> {
    let evaluation = Error::from;
    match results {
        Answer::Graph(triples) => {
            let media_type = pick(headers, format, &GRAPH_TYPES)?;
            if media_type == "text/html" {
                let mut table =
                    html::Table::new(vec!["subject".into(), "predicate".into(), "object".into()]);
                for t in triples {
                    let t = t.map_err(evaluation)?;
                    table.push(vec![
                        Some(t.subject.into()),
                        Some(t.predicate.into()),
                        Some(t.object),
                    ]);
                }
                return Ok(Output::Table(table));
            }
            let rdf = match media_type {
                "application/n-triples" => RdfFormat::NTriples,
                "application/ld+json" => RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                },
                "application/rdf+xml" => RdfFormat::RdfXml,
                _ => RdfFormat::Turtle,
            };
            let mut serializer = RdfSerializer::from_format(rdf);
            for (prefix, ns) in crate::vocab::PREFIXES {
                serializer = serializer
                    .with_prefix(*prefix, *ns)
                    .map_err(Error::internal)?;
            }
            let mut writer = serializer.for_writer(Vec::new());
            for t in triples {
                writer
                    .serialize_triple(&t.map_err(evaluation)?)
                    .map_err(Error::internal)?;
            }
            Ok(Output::Bytes(
                media_type,
                writer.finish().map_err(Error::internal)?,
            ))
        }
        Answer::Boolean(value) => {
            let media_type = pick(headers, format, &SOLUTION_TYPES)?;
            if media_type == "text/html" {
                let mut table = html::Table::new(vec!["ASK".into()]);
                table.push(vec![Some(oxigraph::model::Literal::from(value).into())]);
                return Ok(Output::Table(table));
            }
            let bytes = QueryResultsSerializer::from_format(results_format(media_type))
                .serialize_boolean_to_writer(Vec::new(), value)
                .map_err(Error::internal)?;
            Ok(Output::Bytes(media_type, bytes))
        }
        Answer::Solutions(solutions) => {
            let media_type = pick(headers, format, &SOLUTION_TYPES)?;
            let variables = solutions.variables().to_vec();
            if media_type == "text/html" {
                let mut table =
                    html::Table::new(variables.iter().map(|v| v.as_str().to_owned()).collect());
                for s in solutions {
                    table.push(s.map_err(evaluation)?);
                }
                return Ok(Output::Table(table));
            }
            let mut writer = QueryResultsSerializer::from_format(results_format(media_type))
                .serialize_solutions_to_writer(Vec::new(), variables.clone())
                .map_err(Error::internal)?;
            for s in solutions {
                let s = s.map_err(evaluation)?;
                writer
                    .serialize(
                        variables
                            .iter()
                            .zip(&s)
                            .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
                    )
                    .map_err(Error::internal)?;
            }
            Ok(Output::Bytes(
                media_type,
                writer.finish().map_err(Error::internal)?,
            ))
        }
    }
}

fn results_format(media_type: &str) -> QueryResultsFormat {
    match media_type {
        "application/sparql-results+xml" => QueryResultsFormat::Xml,
        "text/csv" => QueryResultsFormat::Csv,
        "text/tab-separated-values" => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    }
}
