//! `GET /id/…`: every item minted under the base IRI, as RDF for machines and HTML for people.
//!
//! The thing's own URI answers `200` with content negotiation (`Vary: Accept`), names the
//! concrete document in `Content-Location` and lists the alternatives in `Link`. A suffix
//! (`.ttl`, `.jsonld`, `.nt`, `.rdf`, `.html`) or `?format=` picks one representation directly.

use super::negotiate::{RESOURCE_FORMATS, resource_format};
use super::{AppState, Error, html, iri};
use crate::formats::{Format, Syntax};
use crate::vocab;
use axum::Router;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::io::RdfSerializer;
use oxigraph::model::{NamedNode, Triple};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/id/{*rest}", get(resource))
}

/// A described resource: its IRI, the format its suffix asked for, its triples.
type Found = (NamedNode, Option<Format>, Vec<Triple>);

#[derive(Deserialize)]
pub(super) struct FormatParam {
    format: Option<String>,
}

async fn resource(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(param): Query<FormatParam>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let base = state.store.base_iri().to_owned();
    let path = uri.path().to_owned();
    let not_found = || Error::NotFound(format!("nothing is published at {path}"));
    let whole = iri::from_request_path(&base, &path).ok_or_else(not_found)?;
    let store = state.store.clone();
    let lookup = move || -> Result<Option<Found>, Error> {
        // The path as given first: a local name may itself contain a dot.
        let node = NamedNode::new_unchecked(whole.clone());
        let quads = store.describe(&node)?;
        if !quads.is_empty() {
            return Ok(Some((node, None, quads)));
        }
        let Some((stem, suffix)) = whole.rsplit_once('.') else {
            return Ok(None);
        };
        let Some(format) = Format::with_extension(suffix, &RESOURCE_FORMATS) else {
            return Ok(None);
        };
        let node = NamedNode::new_unchecked(stem);
        let quads = store.describe(&node)?;
        Ok((!quads.is_empty()).then_some((node, Some(format), quads)))
    };
    let (node, suffix_format, quads) = tokio::task::spawn_blocking(lookup)
        .await
        .map_err(Error::internal)??
        .ok_or_else(not_found)?;

    let format = match suffix_format {
        Some(f) => f,
        None => resource_format(&headers, param.format.as_deref())?,
    };
    let document = iri::local_path(&base, node.as_str()).unwrap_or_else(|| path.clone());
    let body = match format.syntax {
        Syntax::Rdf(rdf) => serialize(rdf, &quads).map_err(Error::internal)?,
        _ => {
            let page = html::item_page(&state, node.clone(), quads, page_lang(&headers)).await?;
            page.into_bytes()
        }
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    let content_type = format!("{}; charset=utf-8", format.media_type);
    h.insert(header::CONTENT_TYPE, header_value(&content_type));
    // The page's labels follow Accept-Language; RDF documents do not depend on it.
    let vary = match format.syntax {
        Syntax::Html => "Accept, Accept-Language",
        _ => "Accept",
    };
    h.insert(header::VARY, HeaderValue::from_static(vary));
    h.insert(
        header::CONTENT_LOCATION,
        header_value(&format!("{document}.{}", format.extension)),
    );
    let links: Vec<String> = RESOURCE_FORMATS
        .iter()
        .map(|f| {
            format!(
                "<{document}.{}>; rel=\"alternate\"; type=\"{}\"",
                f.extension, f.media_type
            )
        })
        .collect();
    h.insert(header::LINK, header_value(&links.join(", ")));
    Ok(response)
}

/// The label language the reader asked for (`Accept-Language`), French by default.
pub(super) fn page_lang(headers: &HeaderMap) -> crate::labels::Lang {
    crate::labels::Lang::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Serialises triples, with the usual prefixes.
pub(super) fn serialize(
    format: oxigraph::io::RdfFormat,
    triples: &[Triple],
) -> std::io::Result<Vec<u8>> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in vocab::PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *ns)
            .map_err(std::io::Error::other)?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in triples {
        writer.serialize_triple(triple)?;
    }
    writer.finish()
}
