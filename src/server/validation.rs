//! `/validation/{dataset}`: the dataset's latest SHACL report, as the `sh:ValidationReport`
//! graph for machines and as a table for the data team.

use super::negotiate::resource_format;
use super::resource::serialize;
use super::{AppState, Error, html};
use crate::formats::Syntax;
use crate::vocab;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const SH: &str = "http://www.w3.org/ns/shacl#";
/// Rows shown on the page; the RDF and the CSV beside the store have them all.
const ROWS_SHOWN: usize = 500;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/validation/{dataset}", get(report))
}

#[derive(Deserialize)]
struct FormatParam {
    format: Option<String>,
}

#[derive(Serialize, Default)]
pub(super) struct Row {
    severity: String,
    focus: String,
    path: String,
    value: String,
    message: String,
    shape: String,
    component: String,
}

async fn report(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    Query(param): Query<FormatParam>,
    headers: axum::http::HeaderMap,
) -> Result<Response, Error> {
    let store = state.store.clone();
    let id = dataset.clone();
    let triples = tokio::task::spawn_blocking(move || store.validation_report(&id))
        .await
        .map_err(Error::internal)??
        .ok_or_else(|| Error::NotFound(format!("no validation report for dataset `{dataset}`")))?;
    let format = resource_format(&headers, param.format.as_deref())?;
    let (body, content_type) = match format.syntax {
        Syntax::Html | Syntax::Results(_) | Syntax::Json => {
            let (conforms, rows) = rows(&triples);
            let count = rows.len();
            let page = html::render(
                &state,
                "validation.html",
                minijinja::context! {
                    publisher => state.config.publisher.name.clone(),
                    dataset => dataset,
                    conforms => conforms,
                    count => count,
                    shown => ROWS_SHOWN.min(count),
                    rows => rows.into_iter().take(ROWS_SHOWN).collect::<Vec<_>>(),
                },
            )?;
            (page.0.into_bytes(), "text/html; charset=utf-8".to_owned())
        }
        Syntax::Rdf(rdf) => (
            serialize(
                rdf,
                &triples
                    .iter()
                    .map(|t| t.clone().in_graph(oxigraph::model::GraphName::DefaultGraph))
                    .collect::<Vec<_>>(),
            )
            .map_err(Error::internal)?,
            format!("{}; charset=utf-8", format.media_type),
        ),
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// Whether the report conforms, and one row per result, violations first.
pub(super) fn rows(triples: &[Triple]) -> (bool, Vec<Row>) {
    let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Triple>> = HashMap::new();
    for t in triples {
        by_subject.entry(&t.subject).or_default().push(t);
    }
    let sh = |local: &str| format!("{SH}{local}");
    let text = |t: &Term| match t {
        Term::NamedNode(n) => vocab::compact_or_full(n.as_str()),
        Term::BlankNode(_) => "(complex path)".to_owned(),
        Term::Literal(l) => l.value().to_owned(),
    };
    let mut conforms = false;
    let mut rows = Vec::new();
    for properties in by_subject.values() {
        let get = |local: &str| {
            let p = sh(local);
            properties
                .iter()
                .find(|t| t.predicate.as_str() == p)
                .map(|t| &t.object)
        };
        if let Some(Term::Literal(l)) = get("conforms") {
            conforms = l.value() == "true";
        }
        let Some(focus) = get("focusNode") else {
            continue;
        };
        rows.push(Row {
            severity: get("resultSeverity")
                .map(|s| text(s).trim_start_matches("sh:").to_owned())
                .unwrap_or_default(),
            focus: match focus {
                Term::NamedNode(n) => n.as_str().to_owned(),
                other => other.to_string(),
            },
            path: get("resultPath").map(text).unwrap_or_default(),
            value: get("value").map(text).unwrap_or_default(),
            message: get("resultMessage").map(text).unwrap_or_default(),
            shape: get("sourceShape").map(text).unwrap_or_default(),
            component: get("sourceConstraintComponent")
                .map(text)
                .unwrap_or_default(),
        });
    }
    rows.sort_by(|a, b| {
        (a.severity != "Violation", &a.severity, &a.focus).cmp(&(
            b.severity != "Violation",
            &b.severity,
            &b.focus,
        ))
    });
    (conforms, rows)
}
