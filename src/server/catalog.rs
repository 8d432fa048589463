//! `/catalog` (DCAT-AP, paged with Hydra), `/void` and `/dumps/…` (the RDF dumps and the
//! Europeana archives): what portals harvest and what they link to.
//!
//! Harvesters are strict in ways browsers are not: udata no longer follows redirects and picks
//! its parser from the `Content-Type` of a `HEAD` without `Accept`, so every catalogue URL
//! answers 200 itself (Turtle when nothing is asked), and a page keeps the syntax of the URL it
//! was asked by (`/catalog.rdf?page=2` links to `/catalog.rdf?page=3`). JSON-LD has its context
//! inline (rdflib would fetch a remote one while parsing).

use super::negotiate::choose;
use super::resource::serialize;
use super::{AppState, Error};
use crate::catalog::dcat::{Builder, Profile};
use crate::catalog::{dump, void};
use crate::formats::{self, Format, Syntax};
use crate::reuse::edm;
use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::{GraphName, Quad, Triple};
use serde::Deserialize;
use tower::ServiceExt;

/// What the catalogue and VoID are offered in, Turtle first (what a bare `HEAD` gets).
const OFFER: [Format; 4] = [
    formats::TURTLE,
    formats::RDF_XML,
    formats::JSON_LD,
    formats::NTRIPLES,
];

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(catalog))
        .route("/catalog.{ext}", get(catalog_with_suffix))
        .route("/void", get(void_document))
        .route("/dumps/{*path}", get(dumps))
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
    format: Option<String>,
    profile: Option<String>,
}

async fn catalog(
    state: State<AppState>,
    params: Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let names: Vec<String> = params.format.iter().cloned().collect();
    let format = choose(&headers, &names, &OFFER)?;
    page(&state, &params, &headers, format, "")
}

async fn catalog_with_suffix(
    state: State<AppState>,
    Path(ext): Path<String>,
    params: Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let format = OFFER
        .iter()
        .find(|f| f.extension == ext)
        .copied()
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no catalogue in `.{ext}`; use .ttl, .rdf, .jsonld or .nt"
            ))
        })?;
    page(&state, &params, &headers, format, &format!(".{ext}"))
}

fn page(
    state: &AppState,
    params: &PageParams,
    headers: &HeaderMap,
    format: Format,
    suffix: &str,
) -> Result<Response, Error> {
    let number = match params.page.as_deref() {
        None => 1,
        Some(p) => p.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            Error::BadRequest(format!("`page={p}` is not a page number (1, 2, …)"))
        })?,
    };
    let profile = match params.profile.as_deref() {
        None => Profile::DcatAp3,
        Some(p) => Profile::named(p).ok_or_else(|| {
            Error::BadRequest(format!("unknown profile `{p}`; use dcat-ap-3 or dcat-ap-2"))
        })?,
    };
    let view = state.store.published();
    let site = super::site_url(headers);
    let builder = Builder::new(&state.config, &view, &site, profile).ok_or_else(|| {
        Error::NotFound(
            "this site publishes no catalogue (its vitrine.toml has no [catalog])".into(),
        )
    })?;
    let page = builder.page(number, suffix);
    if number > page.pages {
        return Err(Error::NotFound(format!(
            "the catalogue has {} page(s)",
            page.pages
        )));
    }
    rdf_response(&page.triples, format)
}

/// Serialises `triples` in `format`, with the headers a harvester reads.
fn rdf_response(triples: &[Triple], format: Format) -> Result<Response, Error> {
    let Syntax::Rdf(rdf) = format.syntax else {
        return Err(Error::internal("the catalogue is offered in RDF only"));
    };
    // Grouped by subject (stably: a node's own order stays), so Turtle reads as one block per
    // node.
    let mut quads: Vec<Quad> = triples
        .iter()
        .map(|t| t.clone().in_graph(GraphName::DefaultGraph))
        .collect();
    quads.sort_by_cached_key(|q| q.subject.to_string());
    let body = serialize(rdf, &quads).map_err(Error::internal)?;
    let mut response = body.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("{}; charset=utf-8", format.media_type)) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

async fn void_document(
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let names: Vec<String> = params.format.iter().cloned().collect();
    let format = choose(&headers, &names, &OFFER)?;
    let dir = state.config.store.dumps.clone();
    let store = state.store.clone();
    let (manifests, site_dump) = tokio::task::spawn_blocking(move || {
        let view = store.published();
        let current: Vec<_> = view
            .datasets()
            .iter()
            .filter_map(|d| dump::current_manifest(&view, &dir, Some(&d.id)))
            .collect();
        (current, dump::current_manifest(&view, &dir, None))
    })
    .await
    .map_err(Error::internal)?;
    let triples = void::document(
        state.store.names(),
        &manifests,
        site_dump.as_ref(),
        &super::site_url(&headers),
    );
    rdf_response(&triples, format)
}

/// A dump file, when a current manifest names it: with its checksum as `ETag`, and ranges and
/// `Content-Length` from `ServeFile`.
async fn dumps(
    State(state): State<AppState>,
    Path(path): Path<String>,
    request: Request,
) -> Result<Response, Error> {
    let dir = state.config.store.dumps.clone();
    let store = state.store.clone();
    let config = state.config.clone();
    let wanted = path.clone();
    let (file, media_type) = tokio::task::spawn_blocking(move || {
        let view = store.published();
        let mut manifests: Vec<dump::Manifest> = view
            .datasets()
            .iter()
            .filter_map(|d| dump::read_manifest(&dir, Some(&d.id)))
            .collect();
        manifests.extend(dump::read_manifest(&dir, None));
        let europeana = view
            .datasets()
            .iter()
            .filter_map(|d| edm::dump::current_manifest(&view, &config, &d.id)?.file)
            .map(|f| (f, "application/zip"));
        manifests
            .into_iter()
            .flat_map(|m| [m.ntriples, m.turtle])
            .map(|f| (f, "application/gzip"))
            .chain(europeana)
            .find(|(f, _)| f.path == wanted)
    })
    .await
    .map_err(Error::internal)?
    .ok_or_else(|| Error::NotFound(format!("no dump `{path}`")))?;
    let etag = format!("\"{}\"", file.sha256);
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let full = state.config.store.dumps.join(&file.path);
        tower_http::services::ServeFile::new_with_mime(
            full,
            &media_type.parse().expect("a media type"),
        )
        .oneshot(request)
        .await
        .map_err(Error::internal)?
        .map(axum::body::Body::new)
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    Ok(response)
}
