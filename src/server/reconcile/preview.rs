//! `/reconcile/preview?id=`: the card OpenRefine shows in a frame when a candidate is
//! hovered — label, kind, an image, one line (makers and dates, life dates, or the
//! description) and a link to the item's page.
//!
//! It is the one HTML answer other sites may frame: its `Content-Security-Policy` is the
//! pages' own with `frame-ancestors *` (the global layer keeps a policy a handler set).

use super::properties::{self, Value};
use super::{AppState, Error, iri_of, search, type_name};
use crate::server::{html, iri};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::Term;
use serde::Deserialize;

/// The frame size the manifest asks for, in pixels.
pub(super) const WIDTH: u32 = 420;
pub(super) const HEIGHT: u32 = 120;

#[derive(Deserialize)]
pub(super) struct Params {
    id: Option<String>,
}

pub(super) async fn preview(
    State(state): State<AppState>,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let params = super::params(query)?;
    let id = params
        .id
        .filter(|i| !i.trim().is_empty())
        .ok_or_else(|| Error::BadRequest("the preview needs an `id` parameter".into()))?;
    let base = state.store.base_iri().to_owned();
    let iri = iri_of(&base, &id)?;
    let built = search::index(&state).await?;
    let st = state.clone();
    let page = tokio::task::spawn_blocking(move || -> Result<String, Error> {
        let item = built
            .item(iri.as_str())?
            .ok_or_else(|| Error::NotFound(format!("no published item has the id {id:?}")))?;
        let nodes = [iri.clone()];
        let read = |pid: &str| -> Result<Vec<Value>, Error> {
            let Some(p) = properties::named(pid) else {
                return Ok(Vec::new());
            };
            Ok(properties::values(&st.store, &nodes, p)?
                .remove(iri.as_str())
                .unwrap_or_default())
        };
        let text = |v: &Value| v.label.clone().unwrap_or_else(|| v.text().to_owned());
        let image = read("image")?.into_iter().find_map(|v| match v.term {
            Term::NamedNode(n) if n.as_str().starts_with("http") => Some(n.into_string()),
            _ => None,
        });
        let mut line: Vec<String> = read("creator")?.iter().map(text).collect();
        line.extend(read("date")?.iter().map(text).take(1));
        let life: Vec<String> = ["birth", "death"]
            .into_iter()
            .filter_map(|p| read(p).ok()?.first().map(text))
            .collect();
        if !life.is_empty() {
            line.push(life.join(" – "));
        }
        if line.is_empty() {
            line.extend(read("description")?.iter().map(text).take(1));
        }
        html::render(
            &st,
            "reconcile-preview.html",
            minijinja::context! {
                label => item.labels.first().cloned().unwrap_or_else(|| item.iri.clone()),
                kind => type_name(&item.kind),
                datasets => item.datasets,
                image,
                line => line.join(" · "),
                href => iri::local_path(&base, &item.iri).unwrap_or_else(|| item.iri.clone()),
            },
        )
        .map(|h| h.0)
    })
    .await
    .map_err(Error::internal)??;
    let policy = html::content_security_policy(state.config.server.templates.as_deref())
        .replace("frame-ancestors 'none'", "frame-ancestors *");
    let mut response = axum::response::Html(page).into_response();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Ok(response)
}
