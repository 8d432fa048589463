//! `/reconcile`: the W3C Entity Reconciliation Service API 0.2, as OpenRefine speaks it, so
//! that a spreadsheet of names (artists, titles, places) can be matched against the published
//! items and extended with their data.
//!
//! - `GET /reconcile` is the service manifest; with `queries=` (or `POST` of the same form
//!   field) it answers a batch of reconciliation queries ([`query`]); with `extend=` a data
//!   extension request ([`extend`]);
//! - `/reconcile/preview?id=` is a small card OpenRefine shows in a frame ([`preview`]);
//! - `/reconcile/suggest/{entity,type,property}` auto-complete ([`suggest`]);
//! - `/reconcile/properties?type=` proposes properties to extend a column with.
//!
//! **Ids.** An item's id is its IRI relative to the base IRI (`id/joconde/000PE000015`,
//! `id/agent/monet-claude`): short, stable as long as the IRI is, and the manifest's
//! `identifierSpace` (the base IRI) followed by the id is the IRI. Full IRIs are accepted
//! wherever an id is read. The manifest's `view` URL is this server's address followed by the
//! id, since the server answers for every IRI under the base itself.
//!
//! **Types** are the kinds of item pages ([`super::kinds`]): `object`, `person`, `place`,
//! `book`, `event`… A class IRI is accepted too and read as its kind.
//!
//! Candidates come from the search index of the current publication ([`super::search`]),
//! so accents and case do not matter and a new publication is seen at once.

mod extend;
mod preview;
mod properties;
mod query;
mod suggest;

use super::{AppState, Error, kinds, search};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::NamedNode;
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/reconcile", get(service_get).post(service_post))
        .route("/reconcile/preview", get(preview::preview))
        .route("/reconcile/suggest/entity", get(suggest::entity))
        .route("/reconcile/suggest/type", get(suggest::types))
        .route("/reconcile/suggest/property", get(suggest::properties))
        .route("/reconcile/properties", get(extend::propose))
}

/// The types offered, by kind name, with the name OpenRefine shows. Every id is a kind of
/// [`kinds`] (tested); the first five are the manifest's default types.
const TYPES: &[(&str, &str)] = &[
    ("object", "Work or object"),
    ("person", "Person or group"),
    ("place", "Place"),
    ("book", "Book or text"),
    ("event", "Event"),
    ("dataset", "Dataset"),
    ("item", "Other item (period, concept, material…)"),
];

/// How many of [`TYPES`] the manifest proposes as defaults.
const DEFAULT_TYPES: usize = 5;

/// The name of the type `id`.
fn type_name(id: &str) -> &'static str {
    TYPES
        .iter()
        .find(|(t, _)| *t == id)
        .map_or("Item", |(_, name)| name)
}

/// `{id, name}` of the type `id`.
fn type_json(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "name": type_name(id)})
}

/// The kind a requested type names: a kind's name, or a class IRI read as its kind.
fn kind_of_type(requested: &str) -> Option<&'static str> {
    if let Some((id, _)) = TYPES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(requested))
    {
        return Some(id);
    }
    let kind = kinds::of([requested]);
    (kind != kinds::GENERIC).then_some(kind.name)
}

/// The IRI an id names: under the base IRI, and a valid IRI.
fn iri_of(base: &str, id: &str) -> Result<NamedNode, Error> {
    let id = id.trim();
    let iri = if id.starts_with("http://") || id.starts_with("https://") {
        if !id.starts_with(base) {
            return Err(Error::BadRequest(format!(
                "{id} is not an item of this collection: ids are IRIs under {base}, or the \
                 part after it"
            )));
        }
        id.to_owned()
    } else {
        format!("{base}{}", id.trim_start_matches('/'))
    };
    NamedNode::new(&iri)
        .map_err(|e| Error::BadRequest(format!("{id:?} does not make a valid IRI: {e}")))
}

/// The id of an item's IRI (IRIs of other sites are their own id).
fn id_of(base: &str, iri: &str) -> String {
    iri.strip_prefix(base).unwrap_or(iri).to_owned()
}

/// The form fields of a service request, from the query string or a form body.
#[derive(Deserialize, Default)]
struct Fields {
    queries: Option<String>,
    extend: Option<String>,
    callback: Option<String>,
}

async fn service_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let fields = form(raw.as_deref().unwrap_or("").as_bytes())?;
    service(state, headers, fields).await
}

async fn service_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, Error> {
    let in_url = form(raw.as_deref().unwrap_or("").as_bytes())?;
    let mut fields = form(&body)?;
    fields.callback = fields.callback.or(in_url.callback);
    fields.queries = fields.queries.or(in_url.queries);
    fields.extend = fields.extend.or(in_url.extend);
    service(state, headers, fields).await
}

fn form(bytes: &[u8]) -> Result<Fields, Error> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| {
        Error::BadRequest(format!(
            "the request is not a form with `queries` or `extend` fields: {e}"
        ))
    })
}

async fn service(state: AppState, headers: HeaderMap, fields: Fields) -> Result<Response, Error> {
    let callback = fields.callback.as_deref();
    let answer = if let Some(queries) = fields.queries {
        let batch = query::parse(&queries)?;
        let built = search::index(&state).await?;
        let st = state.clone();
        tokio::task::spawn_blocking(move || query::answer(&st, &built, batch))
            .await
            .map_err(Error::internal)??
    } else if let Some(extend) = fields.extend {
        let request = extend::parse(&extend)?;
        let built = search::index(&state).await?;
        let st = state.clone();
        tokio::task::spawn_blocking(move || extend::answer(&st, &built, &request))
            .await
            .map_err(Error::internal)??
    } else {
        manifest(&state, &headers)
    };
    json(&answer, callback)
}

/// The service manifest: what OpenRefine reads when the service is added.
fn manifest(state: &AppState, headers: &HeaderMap) -> serde_json::Value {
    let site = super::site_url(headers);
    let service = format!("{site}reconcile");
    let defaults: Vec<serde_json::Value> = TYPES[..DEFAULT_TYPES]
        .iter()
        .map(|(id, _)| type_json(id))
        .collect();
    serde_json::json!({
        "versions": ["0.2"],
        "name": state.config.publisher.name,
        "identifierSpace": state.store.base_iri(),
        "schemaSpace": crate::vocab::vitrine::NS,
        "serviceVersion": env!("CARGO_PKG_VERSION"),
        "defaultTypes": defaults,
        "view": {"url": format!("{site}{{{{id}}}}")},
        "preview": {
            "url": format!("{service}/preview?id={{{{id}}}}"),
            "width": preview::WIDTH,
            "height": preview::HEIGHT,
        },
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [],
        },
    })
}

/// A JSON answer, wrapped in `callback(…)` for JSONP when asked (older OpenRefine versions
/// and pages without CORS).
fn json(value: &serde_json::Value, callback: Option<&str>) -> Result<Response, Error> {
    let text = value.to_string();
    let Some(callback) = callback.filter(|c| !c.is_empty()) else {
        return Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response());
    };
    // A function name, not script: anything else would let a link run code on this origin.
    let valid = callback.len() <= 128
        && callback
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if !valid {
        return Err(Error::BadRequest(format!(
            "the JSONP callback {callback:?} is not a function name (letters, digits, _ $ .)"
        )));
    }
    let mut response = format!("/**/{callback}({text});").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/javascript; charset=utf-8"),
    );
    Ok(response)
}

/// A GET request's parameters, or a 400 naming the one that does not read.
fn params<T>(
    query: Result<Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, Error> {
    query
        .map(|Query(q)| q)
        .map_err(|e| Error::BadRequest(format!("bad parameters: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_a_kind() {
        let names = kinds::names();
        for (id, _) in TYPES {
            assert!(names.contains(id), "{id} is not a kind");
        }
        assert_eq!(
            kind_of_type("http://www.cidoc-crm.org/cidoc-crm/E21_Person"),
            Some("person")
        );
        assert_eq!(kind_of_type("Person"), Some("person"));
        assert_eq!(kind_of_type("urn:nothing"), None);
    }

    #[test]
    fn ids_are_iris_relative_to_the_base() {
        let base = "https://data.example.org/";
        let iri = iri_of(base, "id/joconde/000PE000015").unwrap();
        assert_eq!(
            iri.as_str(),
            "https://data.example.org/id/joconde/000PE000015"
        );
        assert_eq!(id_of(base, iri.as_str()), "id/joconde/000PE000015");
        assert_eq!(iri_of(base, iri.as_str()).unwrap(), iri);
        assert!(iri_of(base, "http://elsewhere.org/x").is_err());
        assert!(iri_of(base, "id/a b>").is_err());
    }

    #[test]
    fn jsonp_takes_function_names_only() {
        let value = serde_json::json!({"a": 1});
        assert!(json(&value, Some("cb.x_1")).is_ok());
        assert!(json(&value, Some("alert(1)//")).is_err());
    }
}
