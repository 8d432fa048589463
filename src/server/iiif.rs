//! `GET /iiif/{dataset}/{local}/manifest.json`: the IIIF Presentation 3.0 manifest of an item
//! with images (built by [`crate::reuse::iiif`]), and the link to it that item documents carry.
//!
//! A manifest changes only at publication, like the item's documents: it has the same kind of
//! `ETag` (the published versions and the path), the same `Cache-Control`, and is kept in the
//! result cache until the next publication. CORS, which viewers on other sites need, is the
//! router's.
//!
//! Item documents name the manifest with `dcterms:hasFormat` (and say what it is with
//! `dcterms:conformsTo` the Presentation 3 context), not with Linked Art's `la:subject_of`:
//! that would need a digital-object node between the item and the manifest in every
//! description, while `hasFormat` is the one triple Dublin Core harvesters already follow.

use super::resource::{Found, not_modified};
use super::sparql::{Cached, Key};
use super::{AppState, Error, iri};
use crate::reuse::{artwork, iiif};
use crate::vocab::{dcterms, foaf};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::{NamedOrBlankNode, Term};
use std::hash::{DefaultHasher, Hash, Hasher};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/iiif/{dataset}/{*rest}", get(manifest))
}

async fn manifest(
    State(state): State<AppState>,
    Path((dataset, _)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let path = uri.path().to_owned();
    let not_found = || Error::NotFound(format!("no IIIF manifest is published at {path}"));
    // The raw path: `{local}` keeps its percent-encoding until it is made an IRI.
    let local = path
        .strip_prefix(&format!("/iiif/{dataset}/"))
        .and_then(|rest| rest.strip_suffix("/manifest.json"))
        .filter(|l| !l.is_empty())
        .ok_or_else(not_found)?
        .to_owned();
    let view = state.store.published();
    if view.get(&dataset).is_none() || state.config.dataset(&dataset).is_none() {
        return Err(not_found());
    }
    let mut h = DefaultHasher::new();
    (view.generation(), "iiif", &path).hash(&mut h);
    let tag = format!("\"{:016x}\"", h.finish());
    let modified = view.last_published();
    if not_modified(&headers, &tag, modified) {
        let mut response = axum::http::StatusCode::NOT_MODIFIED.into_response();
        validators(response.headers_mut(), &state, &tag, modified);
        return Ok(response);
    }
    let key = Key::document(&view, format!("iiif {path}"));
    let body = match state.cache.get(&key) {
        Some(hit) => hit.body,
        None => {
            let json = build(&state, &dataset, &local)
                .await?
                .ok_or_else(not_found)?;
            let body = Bytes::from(serde_json::to_vec_pretty(&json).map_err(Error::internal)?);
            state.cache.insert(
                key,
                Cached {
                    media_type: iiif::MEDIA_TYPE,
                    html: false,
                    body: body.clone(),
                    links: None,
                },
            );
            body
        }
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(iiif::MEDIA_TYPE),
    );
    validators(h, &state, &tag, modified);
    Ok(response)
}

/// The manifest of the first candidate item that is a member of `dataset` with an image.
async fn build(
    state: &AppState,
    dataset: &str,
    local: &str,
) -> Result<Option<serde_json::Value>, Error> {
    let base = state.store.base_iri().to_owned();
    let candidates: Vec<String> = iiif::item_candidates("", dataset, local)
        .iter()
        .filter_map(|path| iri::from_request_path(&base, path))
        .collect();
    let store = state.store.clone();
    let dataset_id = dataset.to_owned();
    let found = tokio::task::spawn_blocking(move || -> Result<_, Error> {
        for item in candidates {
            if let Some(artwork) = artwork::read_one(&store, &dataset_id, &item)? {
                return Ok(Some(artwork));
            }
        }
        Ok(None)
    })
    .await
    .map_err(Error::internal)??;
    let Some(artwork) = found else {
        return Ok(None);
    };
    let config = &state.config;
    let site = iiif::Site {
        base: &base,
        documents: if config.server.see_other { "/doc" } else { "" },
        publisher: &config.publisher.name,
        publisher_homepage: config.publisher.homepage.as_deref(),
    };
    Ok(iiif::manifest(&artwork, dataset, &site))
}

/// The headers a manifest and its `304` share: those of the item documents.
fn validators(
    h: &mut HeaderMap,
    state: &AppState,
    tag: &str,
    modified: Option<std::time::SystemTime>,
) {
    let value = |s: &str| HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""));
    h.insert(header::ETAG, value(tag));
    if let Some(m) = modified {
        h.insert(header::LAST_MODIFIED, value(&httpdate::fmt_http_date(m)));
    }
    h.insert(
        header::CACHE_CONTROL,
        value(&format!(
            "public, max-age={}",
            state.config.server.item_max_age.as_secs()
        )),
    );
}

/// The manifest IRI of the item a document describes, when it has one: the item has an image
/// (`foaf:depiction` with an http(s) URL, what the manifest paints) and is part of a configured
/// dataset. Read from the description already fetched, so item documents cost no extra query.
pub(super) fn manifest_of(state: &AppState, found: &Found) -> Option<String> {
    let node = found.node.as_str();
    let about = |predicate: oxigraph::model::NamedNodeRef<'static>| {
        found.quads.iter().filter(move |q| {
            q.predicate == predicate
                && matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == node)
        })
    };
    let has_image = about(foaf::DEPICTION).any(|q| {
        matches!(&q.object, Term::NamedNode(n)
            if n.as_str().starts_with("https://") || n.as_str().starts_with("http://"))
    });
    if !has_image {
        return None;
    }
    let names = state.store.names();
    let dataset = about(dcterms::IS_PART_OF).find_map(|q| match &q.object {
        Term::NamedNode(n) => names
            .dataset_id(n.as_str())
            .filter(|id| state.config.dataset(id).is_some())
            .map(str::to_owned),
        _ => None,
    })?;
    let base = state.store.base_iri();
    iiif::manifest_path(base, &dataset, node).map(|path| format!("{base}{path}"))
}

/// The manifest's path on this site (`/iiif/…`), as a URI for `href`.
pub(super) fn local_href(state: &AppState, manifest: &str) -> Option<String> {
    iri::local_path(state.store.base_iri(), manifest)
}
