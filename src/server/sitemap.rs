//! `/robots.txt` and `/sitemap.xml`, so that search engines find every item page.
//!
//! The list of items is read once per publication (one query over the published union) and
//! kept until the next: a crawler fetching the sitemap and its parts does not re-run it. A
//! sitemap holds at most 50,000 URLs (sitemaps.org), so larger collections get a sitemap index
//! at `/sitemap.xml` pointing at `/sitemap/1`, `/sitemap/2`…

use super::{AppState, Error};
use crate::store::items;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use iri_string::types::IriStr;
use oxigraph::model::NamedNode;
use std::sync::Arc;

/// URLs per sitemap file.
pub(super) const PER_FILE: usize = 50_000;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
        .route("/sitemap/{n}", get(part))
}

/// The items of one publication.
pub(super) type Items = super::publication::PerPublication<Vec<NamedNode>>;

async fn robots(State(state): State<AppState>) -> Response {
    let base = state.store.base_iri();
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nAllow: /\n# Queries are for people and scripts, not crawlers.\nDisallow: /sparql\n\nSitemap: {base}sitemap.xml\n"
        ),
    )
        .into_response()
}

async fn sitemap(State(state): State<AppState>) -> Result<Response, Error> {
    let items = items(&state).await?;
    let base = state.store.base_iri();
    let lastmod = lastmod(&state);
    let body = if items.len() <= PER_FILE {
        urlset(&items, &lastmod)
    } else {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for n in 1..=items.len().div_ceil(PER_FILE) {
            out.push_str(&format!(
                "<sitemap><loc>{base}sitemap/{n}</loc>{lastmod}</sitemap>\n"
            ));
        }
        out.push_str("</sitemapindex>\n");
        out
    };
    Ok(xml(body))
}

async fn part(State(state): State<AppState>, Path(n): Path<usize>) -> Result<Response, Error> {
    let items = items(&state).await?;
    let start = n
        .checked_sub(1)
        .map(|i| i * PER_FILE)
        .filter(|s| *s < items.len())
        .ok_or_else(|| Error::NotFound(format!("no sitemap {n}")))?;
    let end = (start + PER_FILE).min(items.len());
    Ok(xml(urlset(&items[start..end], &lastmod(&state))))
}

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn lastmod(state: &AppState) -> String {
    state
        .store
        .published()
        .last_published()
        .map(|t| {
            let text = humantime::format_rfc3339_seconds(t).to_string();
            format!("<lastmod>{text}</lastmod>")
        })
        .unwrap_or_default()
}

fn urlset(items: &[NamedNode], lastmod: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for item in items.iter().filter_map(uri) {
        out.push_str("<url><loc>");
        out.push_str(&quick_xml::escape::escape(item.as_str()));
        out.push_str("</loc>");
        out.push_str(lastmod);
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Every item of the current publication (see [`crate::store::items`]), sorted, computed once
/// per publication and shared with `/oai`.
pub(super) async fn items(state: &AppState) -> Result<Arc<Vec<NamedNode>>, Error> {
    let generation = state.store.published().generation();
    if let Some(items) = state.items.get(generation) {
        return Ok(items);
    }
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        state.items.get_or_build(generation, || {
            items::list(&state.store).map_err(Error::from)
        })
    })
    .await
    .map_err(Error::internal)?
}

/// An item IRI as a URI (sitemaps take no IRIs).
fn uri(iri: &NamedNode) -> Option<String> {
    Some(IriStr::new(iri.as_str()).ok()?.encode_to_uri().to_string())
}
