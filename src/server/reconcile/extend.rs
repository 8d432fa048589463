//! Data extension: the values of some properties for reconciled items
//! (`extend={"ids": […], "properties": [{"id": …}]}`), and the properties proposed for a type
//! (`/reconcile/properties?type=`).
//!
//! Values are sent as the 0.2 protocol types them: other items as reconciled entities
//! (`{id, name}`), `xsd:dateTime` and `xsd:date` as `{date}`, integers as `{int}`, decimals as
//! `{float}`, everything else — date labels like "vers 1890" too — as `{str}`.

use super::properties::{self, PROPERTIES, Property, Shape, Value};
use super::{AppState, Error, id_of, iri_of, type_json};
use crate::server::search::Built;
use crate::vocab::xsd;
use axum::extract::Query;
use axum::response::Response;
use oxigraph::model::{NamedNode, Term};
use serde::Deserialize;
use std::sync::Arc;

/// The most ids in one request (OpenRefine sends 10 to 50 at a time).
const MAX_IDS: usize = 1000;

/// A parsed extension request.
pub(super) struct Request {
    ids: Vec<String>,
    properties: Vec<&'static Property>,
}

#[derive(Deserialize)]
struct RawRequest {
    ids: Vec<String>,
    properties: Vec<RawProperty>,
}

#[derive(Deserialize)]
struct RawProperty {
    id: String,
}

/// Reads the `extend` field.
pub(super) fn parse(text: &str) -> Result<Request, Error> {
    let bad = |m: String| Error::BadRequest(format!("`extend`: {m}"));
    let raw: RawRequest = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "not an extension request {{\"ids\": […], \"properties\": [{{\"id\": …}}]}} ({e})"
        ))
    })?;
    if raw.ids.len() > MAX_IDS {
        return Err(bad(format!(
            "{} ids in one request; send at most {MAX_IDS}",
            raw.ids.len()
        )));
    }
    let properties = raw
        .properties
        .iter()
        .map(|p| {
            properties::named(&p.id).ok_or_else(|| {
                bad(format!(
                    "unknown property {:?}; the properties are {}",
                    p.id,
                    properties::ids()
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Request {
        ids: raw.ids,
        properties,
    })
}

/// The rows of `request`; an id naming no published item is a 404 naming it.
pub(super) fn answer(
    state: &AppState,
    built: &Arc<Built>,
    request: &Request,
) -> Result<serde_json::Value, Error> {
    let base = state.store.base_iri();
    let mut iris: Vec<NamedNode> = Vec::with_capacity(request.ids.len());
    for id in &request.ids {
        let iri = iri_of(base, id)?;
        if built.item(iri.as_str())?.is_none() {
            return Err(Error::NotFound(format!(
                "`extend`: no published item has the id {id:?}"
            )));
        }
        iris.push(iri);
    }
    let mut rows = serde_json::Map::new();
    for id in &request.ids {
        rows.insert(id.clone(), serde_json::json!({}));
    }
    let mut meta = Vec::new();
    for property in &request.properties {
        let found = properties::values(&state.store, &iris, property)?;
        for (id, iri) in request.ids.iter().zip(&iris) {
            let list: Vec<serde_json::Value> = found
                .get(iri.as_str())
                .map(|values| values.iter().map(|v| cell(base, property, v)).collect())
                .unwrap_or_default();
            rows[id.as_str()][property.id] = list.into();
        }
        let mut m = serde_json::json!({"id": property.id, "name": property.name});
        if property.shape == Shape::Entity {
            m["type"] = type_json("person");
        }
        meta.push(m);
    }
    Ok(serde_json::json!({"meta": meta, "rows": rows}))
}

/// One value as the protocol types it.
fn cell(base: &str, property: &Property, value: &Value) -> serde_json::Value {
    match &value.term {
        Term::NamedNode(n) if property.shape == Shape::Entity => {
            let id = id_of(base, n.as_str());
            let name = value.label.clone().unwrap_or_else(|| id.clone());
            serde_json::json!({"id": id, "name": name})
        }
        Term::Literal(l) => {
            let text = l.value();
            let datatype = l.datatype();
            if datatype == xsd::DATE_TIME {
                serde_json::json!({"date": text})
            } else if datatype == xsd::DATE {
                serde_json::json!({"date": format!("{text}T00:00:00")})
            } else if datatype == xsd::INTEGER || datatype == xsd::NON_NEGATIVE_INTEGER {
                text.parse::<i64>().map_or_else(
                    |_| serde_json::json!({"str": text}),
                    |i| serde_json::json!({"int": i}),
                )
            } else if datatype == xsd::DECIMAL {
                text.parse::<f64>().map_or_else(
                    |_| serde_json::json!({"str": text}),
                    |f| serde_json::json!({"float": f}),
                )
            } else {
                serde_json::json!({"str": text})
            }
        }
        other => serde_json::json!({"str": value_text(other)}),
    }
}

fn value_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
    }
}

#[derive(Deserialize)]
pub(super) struct Propose {
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<usize>,
    callback: Option<String>,
}

/// `GET /reconcile/properties?type=`: the properties items of that type usually have (every
/// property for an unknown or no type).
pub(super) async fn propose(
    query: Result<Query<Propose>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let params = super::params(query)?;
    let requested = params.kind.clone().unwrap_or_default();
    let kind = super::kind_of_type(&requested).unwrap_or("");
    let list: Vec<serde_json::Value> = PROPERTIES
        .iter()
        .filter(|p| properties::applies(p, kind))
        .take(params.limit.unwrap_or(usize::MAX))
        .map(|p| serde_json::json!({"id": p.id, "name": p.name}))
        .collect();
    let mut answer = serde_json::json!({"properties": list});
    if !requested.is_empty() {
        answer["type"] = requested.into();
    }
    if let Some(limit) = params.limit {
        answer["limit"] = limit.into();
    }
    super::json(&answer, params.callback.as_deref())
}
