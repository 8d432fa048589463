//! `GET /files/{dataset}/{path}`: the files records publish (a dossier's PDF, its plates).
//!
//! The path is never joined to a folder: the IRI it names is looked up as the
//! `dcat:downloadURL` of a published distribution, and what is served is the copy the ingest
//! kept under that distribution's SHA-256 (see [`crate::files`]). So only a file of the
//! current publication can be served, `..` and encoded tricks name no IRI that is published,
//! and an edit of the export folder changes nothing until the next ingest.
//!
//! Served with the type the graph gives it, `Content-Length`, ranges (`206`, for PDF readers
//! that fetch pages), `ETag` = the checksum and `304` for a matching `If-None-Match`, and a
//! `Content-Disposition`: images and HTML pages inline, anything else as a download with its
//! name. A file is not a page of this site: `Content-Security-Policy: sandbox` keeps an HTML
//! dossier's scripts, if any, away from the site's origin.

use super::{AppState, Error, iri};
use crate::formats;
use crate::store::{Answer, QueryOptions};
use crate::vocab::{dcat, spdx};
use axum::Router;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::Term;
use tower::ServiceExt;
use tower_http::services::ServeFile;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/files/{*rest}", get(file))
}

/// What the published graph says about a file: its checksum and media type.
struct Published {
    sha256: String,
    media_type: String,
}

async fn file(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> Result<Response, Error> {
    let base = state.store.base_iri().to_owned();
    let not_found = || Error::NotFound(format!("no published file at {}", uri.path()));
    let url = iri::from_request_path(&base, uri.path()).ok_or_else(not_found)?;
    let store = state.store.clone();
    let query = format!(
        "SELECT ?sha ?type WHERE {{ ?d <{}> <{url}> ; <{}>/<{}> ?sha . OPTIONAL {{ ?d <{}> ?type }} }} LIMIT 1",
        dcat::DOWNLOAD_URL.as_str(),
        spdx::CHECKSUM.as_str(),
        spdx::CHECKSUM_VALUE.as_str(),
        dcat::MEDIA_TYPE.as_str(),
    );
    let found = tokio::task::spawn_blocking(move || -> Result<Option<Published>, Error> {
        let Answer::Solutions(mut rows) = store.query(&query, &QueryOptions::default())? else {
            return Ok(None);
        };
        let Some(row) = rows.next().transpose()? else {
            return Ok(None);
        };
        let text = |t: &Option<Term>| match t {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
            _ => None,
        };
        Ok(text(&row[0]).map(|sha256| Published {
            sha256: sha256.to_ascii_lowercase(),
            media_type: text(&row[1])
                .and_then(|t| t.strip_prefix(formats::IANA_MEDIA_TYPES).map(str::to_owned))
                .unwrap_or_else(|| formats::OCTET_STREAM.to_owned()),
        }))
    })
    .await
    .map_err(Error::internal)??
    .ok_or_else(not_found)?;
    let folder = crate::files::folder(&state.config.store.path);
    let kept = crate::files::kept(&folder, &found.sha256)
        .filter(|p| p.is_file())
        .ok_or_else(not_found)?;
    let etag = format!("\"{}\"", found.sha256);
    let matches = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ServeFile::new(&kept)
            .oneshot(request)
            .await
            .map_err(Error::internal)?
            .map(axum::body::Body::new)
    };
    let headers = response.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).map_err(Error::internal);
    headers.insert(header::ETAG, value(&etag)?);
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, value(&found.media_type)?);
        let name = uri.path().rsplit('/').next().unwrap_or("file");
        let inline = found.media_type.starts_with("image/") || found.media_type == "text/html";
        let disposition = format!(
            "{}; filename*=UTF-8''{name}",
            if inline { "inline" } else { "attachment" }
        );
        headers.insert(header::CONTENT_DISPOSITION, value(&disposition)?);
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
            ),
        );
    }
    Ok(response)
}
