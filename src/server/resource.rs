//! `GET /id/…`, and any other path no page claims: every resource minted under the base IRI, as
//! RDF for machines and HTML for people.
//!
//! The thing's own URI answers `200` with content negotiation (`Vary: Accept`), names the
//! concrete document in `Content-Location` and lists the alternatives in `Link`; with
//! `see_other` it answers `303` to `/doc/…` (the same path under `/doc`), which negotiates the
//! same way. A suffix (`.ttl`,
//! `.jsonld`, `.nt`, `.nq`, `.rdf`, `.html`) or `?format=` picks one representation directly.
//! `?inbound` (with `&page=N`) pages through the statements that point at the item, so that an
//! artist with ten thousand works has a small document and a complete list.
//!
//! Documents only change at publication: the `ETag` is derived from the published versions,
//! a matching `If-None-Match` is answered `304` before the store is read, and whole documents
//! are kept in the result cache until the next publication.

use super::negotiate::{RESOURCE_FORMATS, resource_format};
use super::sparql::{Cached, Key};
use super::{AppState, Error, html, iri};
use crate::formats::{Format, Syntax};
use crate::labels::Lang;
use crate::store::{Annotations, Published};
use crate::vocab::{self, dcterms, hydra, rdf, rdfs, xsd};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use serde::Deserialize;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::SystemTime;

/// Statements per page of incoming links.
pub(super) const INBOUND_PAGE: usize = 100;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/id/{*rest}", get(thing))
        .route("/doc/{*rest}", get(document))
}

/// Paths no page claims may still name a resource minted under the base (`/object/4242`).
pub(super) async fn fallback(
    state: State<AppState>,
    method: axum::http::Method,
    uri: OriginalUri,
    params: Query<Params>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return Err(Error::NotFound("no such page".into()));
    }
    thing(state, uri, params, headers).await
}

#[derive(Deserialize, Default)]
pub(super) struct Params {
    format: Option<String>,
    /// Present (any value) for the incoming links.
    inbound: Option<String>,
    page: Option<usize>,
}

async fn thing(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if state.config.server.see_other {
        let mut target = format!("/doc{}", uri.path());
        if let Some(q) = uri.query() {
            target = format!("{target}?{q}");
        }
        let mut response = StatusCode::SEE_OTHER.into_response();
        response
            .headers_mut()
            .insert(header::LOCATION, header_value(&target));
        return Ok(response);
    }
    respond(state, uri.path(), "", params, headers).await
}

async fn document(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let path = &uri.path()["/doc".len()..];
    respond(state, path, "/doc", params, headers).await
}

/// What one request asks for, before the store is read.
struct Asked {
    /// The thing's path (`/id/…`) as received.
    path: String,
    /// What documents' paths start with: nothing, or `/doc` in the 303 style.
    documents: &'static str,
    format: Format,
    /// The format was given by a suffix of the path, which may also be part of the name.
    suffix: Option<Format>,
    /// What `Accept` and `?format=` ask for, used when the suffix is part of the name.
    negotiated: Option<Format>,
    lang: Lang,
    /// The page of incoming links, when those were asked for (1-based).
    inbound: Option<usize>,
}

async fn respond(
    state: AppState,
    path: &str,
    documents: &'static str,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let suffix = path
        .rsplit_once('.')
        .filter(|(stem, _)| !stem.ends_with('/'))
        .and_then(|(_, ext)| Format::with_extension(ext, &RESOURCE_FORMATS));
    let (format, negotiated) = match suffix {
        Some(f) => (f, resource_format(&headers, params.format.as_deref()).ok()),
        None => {
            let f = resource_format(&headers, params.format.as_deref())?;
            (f, Some(f))
        }
    };
    let asked = Asked {
        path: path.to_owned(),
        documents,
        format,
        suffix,
        negotiated,
        lang: page_lang(&headers),
        inbound: params
            .inbound
            .is_some()
            .then(|| params.page.unwrap_or(1).max(1)),
    };
    let view = state.store.published();
    let tag = etag(view.generation(), &asked);
    let modified = view.last_published();
    if not_modified(&headers, &tag, modified) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        validators(response.headers_mut(), &state, &asked, &tag, modified);
        return Ok(response);
    }
    let key = Key::document(&view, asked.representation());
    let document = match state.cache.get(&key) {
        Some(hit) => hit,
        None => {
            let (body, links, format) = build(&state, &asked, Arc::clone(&view)).await?;
            let document = Cached {
                media_type: format.media_type,
                html: format.syntax == Syntax::Html,
                body: Bytes::from(body),
                links: Some(links),
            };
            state.cache.insert(key, document.clone());
            document
        }
    };
    let mut response = document.body.into_response();
    let h = response.headers_mut();
    let content_type = format!("{}; charset=utf-8", document.media_type);
    h.insert(header::CONTENT_TYPE, header_value(&content_type));
    validators(h, &state, &asked, &tag, modified);
    // The concrete document this representation also lives at.
    let at = format!("{}{}", asked.documents, asked.path);
    let mut location = match asked.suffix {
        Some(_) => at,
        None => format!("{at}.{}", asked.format.extension),
    };
    if let Some(page) = asked.inbound {
        location.push_str(&format!("?inbound&page={page}"));
    }
    h.insert(header::CONTENT_LOCATION, header_value(&location));
    if let Some(links) = &document.links {
        h.insert(header::LINK, header_value(links));
    }
    Ok(response)
}

impl Asked {
    /// Everything the request chose that the document depends on: path, part, format (and the
    /// negotiated one, for a suffix that may be part of the name), and the language of a page.
    fn representation(&self) -> String {
        let mut out = format!("{} {:?} {}", self.path, self.inbound, self.format.extension);
        let mut formats = vec![self.format];
        if let (Some(_), Some(n)) = (self.suffix, self.negotiated) {
            out.push_str(&format!(" or {}", n.extension));
            formats.push(n);
        }
        if formats.iter().any(|f| f.syntax == Syntax::Html) {
            out.push_str(&format!(" {}", self.lang.code()));
        }
        out
    }
}

/// The validator of one representation: the published versions and everything the request
/// chose. It changes exactly when a dataset is published again.
fn etag(generation: u64, asked: &Asked) -> String {
    let mut h = DefaultHasher::new();
    (generation, asked.representation()).hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

/// Whether the client's copy is current: `If-None-Match` when given, else `If-Modified-Since`.
pub(super) fn not_modified(headers: &HeaderMap, tag: &str, modified: Option<SystemTime>) -> bool {
    if let Some(given) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return given.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == tag
        });
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, modified) {
        // HTTP dates have whole seconds.
        (Some(since), Some(modified)) => {
            let seconds = |t: SystemTime| {
                t.duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            };
            seconds(modified) <= seconds(since)
        }
        _ => false,
    }
}

/// The headers a document and its `304` share.
fn validators(
    h: &mut HeaderMap,
    state: &AppState,
    asked: &Asked,
    tag: &str,
    modified: Option<SystemTime>,
) {
    h.insert(header::ETAG, header_value(tag));
    if let Some(m) = modified {
        h.insert(
            header::LAST_MODIFIED,
            header_value(&httpdate::fmt_http_date(m)),
        );
    }
    h.insert(
        header::CACHE_CONTROL,
        header_value(&format!(
            "public, max-age={}",
            state.config.server.item_max_age.as_secs()
        )),
    );
    // Pages follow Accept-Language; RDF documents do not depend on it.
    let vary = match (asked.suffix, asked.format.syntax) {
        (Some(_), Syntax::Html) => Some("Accept-Language"),
        (Some(_), _) => None,
        (None, Syntax::Html) => Some("Accept, Accept-Language"),
        (None, _) => Some("Accept"),
    };
    if let Some(vary) = vary {
        h.insert(header::VARY, HeaderValue::from_static(vary));
    }
}

/// The document, and the `Link` header naming its alternates and neighbours.
async fn build(
    state: &AppState,
    asked: &Asked,
    view: Arc<Published>,
) -> Result<(Vec<u8>, String, Format), Error> {
    let base = state.store.base_iri().to_owned();
    let not_found = || Error::NotFound(format!("nothing is published at {}", asked.path));
    let whole = iri::from_request_path(&base, &asked.path).ok_or_else(not_found)?;
    let store = state.store.clone();
    let (asked_format, suffix, negotiated) = (asked.format, asked.suffix, asked.negotiated);
    let inbound = asked.inbound;
    let (found, format) = tokio::task::spawn_blocking(move || -> Result<_, Error> {
        // The path as given first: a local name may itself contain a dot.
        let mut node = NamedNode::new_unchecked(whole.clone());
        let mut quads = store.describe_quads(&node)?;
        let mut by_suffix = false;
        if quads.is_empty() {
            let Some((stem, _)) = whole.rsplit_once('.').filter(|_| suffix.is_some()) else {
                return Ok(None);
            };
            node = NamedNode::new_unchecked(stem);
            quads = store.describe_quads(&node)?;
            by_suffix = true;
        }
        if quads.is_empty() {
            return Ok(None);
        }
        // A suffix that turned out to be part of the name chose nothing.
        let format = match (by_suffix, suffix) {
            (false, Some(_)) => negotiated.unwrap_or(asked_format),
            _ => asked_format,
        };
        let (offset, limit) = match inbound {
            Some(page) => ((page - 1) * INBOUND_PAGE, INBOUND_PAGE),
            // The page lists the first incoming links; RDF documents only count them.
            None if format.syntax == Syntax::Html => (0, INBOUND_PAGE),
            None => (0, 0),
        };
        let incoming = store.referrers(&node, offset, limit)?;
        let mut linked: Vec<NamedOrBlankNode> = quads
            .iter()
            .filter_map(|q| match &q.object {
                Term::NamedNode(n) => Some(n.clone().into()),
                _ => None,
            })
            .collect();
        linked.extend(incoming.statements.iter().map(|(s, _)| s.clone()));
        linked.push(node.clone().into());
        let annotations = store.annotate(&linked)?;
        let documents = super::documents::referring(&store, &node, &incoming)?;
        let found = Found {
            node,
            quads,
            incoming,
            annotations,
            documents,
        };
        Ok(Some((found, format)))
    })
    .await
    .map_err(Error::internal)??
    .ok_or_else(not_found)?;
    let local = iri::local_path(&base, found.node.as_str()).unwrap_or_else(|| asked.path.clone());
    let document = format!("{}{local}", asked.documents);
    let mut links: Vec<String> = RESOURCE_FORMATS
        .iter()
        .map(|f| {
            format!(
                "<{document}.{}>; rel=\"alternate\"; type=\"{}\"",
                f.extension, f.media_type
            )
        })
        .collect();
    links.push(format!(
        "<{document}.{}>; rel=\"describedby\"; type=\"{}\"",
        format.extension, format.media_type
    ));
    let pages = found.incoming.total.div_ceil(INBOUND_PAGE).max(1);
    if let Some(page) = asked.inbound {
        if page > 1 {
            links.push(format!(
                "<{document}?inbound&page={}>; rel=\"prev\"",
                page - 1
            ));
        }
        if page < pages {
            links.push(format!(
                "<{document}?inbound&page={}>; rel=\"next\"",
                page + 1
            ));
        }
    }
    let body = match (format.syntax, asked.inbound) {
        (Syntax::Rdf(rdf), page) => {
            let manifest = super::iiif::manifest_of(state, &found);
            let quads = rdf_document(&base, &local, &found, page, pages, manifest.as_deref());
            serialize(rdf, &quads).map_err(Error::internal)?
        }
        (_, page) => html::item_page(state, &view, &found, asked.lang, page, pages)?.into_bytes(),
    };
    Ok((body, links.join(", "), format))
}

/// What the store said about an item: its description, a page of the links pointing at it,
/// and the labels and types of every resource either names.
pub(super) struct Found {
    pub node: NamedNode,
    /// Each statement in the public graph of the dataset stating it.
    pub quads: Vec<Quad>,
    pub incoming: crate::store::Referrers,
    pub annotations: Annotations,
    /// The dossiers referring to the item, with their titles and audiences (pages only).
    pub documents: Vec<super::documents::Referring>,
}

/// The RDF of an item's document: its description (each statement in its dataset's graph),
/// the labels and types of the resources it links to (in the default graph, as context), and
/// where its incoming links are, with their count; or, for `?inbound`, one page of those links
/// with Hydra paging controls. An item with images also names its IIIF manifest
/// (`dcterms:hasFormat`, the manifest `dcterms:conformsTo` IIIF Presentation 3).
fn rdf_document(
    base: &str,
    local: &str,
    found: &Found,
    inbound: Option<usize>,
    pages: usize,
    manifest: Option<&str>,
) -> Vec<Quad> {
    let node = &found.node;
    let collection = NamedNode::new_unchecked(format!("{base}{}?inbound", &local[1..]));
    let page_iri = |n: usize| NamedNode::new_unchecked(format!("{}&page={n}", collection.as_str()));
    let context = |s: NamedOrBlankNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
        Quad::new(s, p, o, GraphName::DefaultGraph)
    };
    let mut out: Vec<Quad> = Vec::new();
    let mut annotated: Vec<NamedOrBlankNode> = Vec::new();
    match inbound {
        None => {
            out.extend(found.quads.iter().cloned());
            for q in &found.quads {
                if let Term::NamedNode(n) = &q.object {
                    annotated.push(n.clone().into());
                }
            }
            out.push(context(
                node.clone().into(),
                rdfs::SEE_ALSO,
                collection.clone().into(),
            ));
            if let Some(manifest) = manifest {
                let manifest = NamedNode::new_unchecked(manifest);
                out.push(context(
                    node.clone().into(),
                    dcterms::HAS_FORMAT,
                    manifest.clone().into(),
                ));
                out.push(context(
                    manifest.into(),
                    dcterms::CONFORMS_TO,
                    NamedNode::new_unchecked(crate::reuse::iiif::CONTEXT).into(),
                ));
            }
        }
        Some(page) => {
            for (s, p) in &found.incoming.statements {
                out.push(Quad::new(
                    s.clone(),
                    p.clone(),
                    node.clone(),
                    GraphName::DefaultGraph,
                ));
                annotated.push(s.clone());
            }
            let view = page_iri(page);
            out.push(context(
                view.clone().into(),
                rdf::TYPE,
                hydra::PARTIAL_COLLECTION_VIEW.into(),
            ));
            out.push(context(
                collection.clone().into(),
                hydra::VIEW,
                view.clone().into(),
            ));
            out.push(context(
                view.clone().into(),
                hydra::FIRST,
                page_iri(1).into(),
            ));
            out.push(context(
                view.clone().into(),
                hydra::LAST,
                page_iri(pages).into(),
            ));
            if page > 1 {
                out.push(context(
                    view.clone().into(),
                    hydra::PREVIOUS,
                    page_iri(page - 1).into(),
                ));
            }
            if page < pages {
                out.push(context(view.into(), hydra::NEXT, page_iri(page + 1).into()));
            }
        }
    }
    out.push(context(
        collection.clone().into(),
        rdf::TYPE,
        hydra::COLLECTION.into(),
    ));
    out.push(context(
        collection.into(),
        hydra::TOTAL_ITEMS,
        Literal::new_typed_literal(found.incoming.total.to_string(), xsd::INTEGER).into(),
    ));
    let mut seen = rustc_hash::FxHashSet::default();
    for n in annotated {
        if !seen.insert(n.clone()) {
            continue;
        }
        for l in found.annotations.labels.get(&n).into_iter().flatten() {
            out.push(context(n.clone(), rdfs::LABEL, l.clone().into()));
        }
        for t in found.annotations.types.get(&n).into_iter().flatten() {
            out.push(context(n.clone(), rdf::TYPE, t.clone().into()));
        }
    }
    out
}

/// The label language the reader asked for (`Accept-Language`), French by default.
pub(super) fn page_lang(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Serialises quads, with the usual prefixes. N-Quads and TriG keep the graph of each statement;
/// the other formats (JSON-LD included, which clients read as one graph) get the triples, each
/// once.
pub(super) fn serialize(
    format: oxigraph::io::RdfFormat,
    quads: &[Quad],
) -> std::io::Result<Vec<u8>> {
    if let oxigraph::io::RdfFormat::JsonLd { .. } = format {
        return json_ld(quads);
    }
    let mut writer = vocab::serializer(format).for_writer(Vec::new());
    if matches!(
        format,
        oxigraph::io::RdfFormat::NQuads | oxigraph::io::RdfFormat::TriG
    ) {
        for quad in quads {
            writer.serialize_quad(quad)?;
        }
    } else {
        let mut seen = rustc_hash::FxHashSet::default();
        for quad in quads {
            let triple = Triple::from(quad.clone());
            if seen.insert(triple.clone()) {
                writer.serialize_triple(&triple)?;
            }
        }
    }
    writer.finish()
}

/// JSON-LD with the usual prefixes as an inline `@context` (oxigraph's generic serializer
/// writes none): compact enough to read, and nothing a client would fetch while parsing.
fn json_ld(quads: &[Quad]) -> std::io::Result<Vec<u8>> {
    let mut serializer = oxjsonld::JsonLdSerializer::new();
    for (prefix, ns) in vocab::PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *ns)
            .map_err(std::io::Error::other)?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    let mut seen = rustc_hash::FxHashSet::default();
    for quad in quads {
        let triple = Triple::from(quad.clone());
        if seen.insert(triple.clone()) {
            writer.serialize_quad(
                triple
                    .as_ref()
                    .in_graph(oxigraph::model::GraphNameRef::DefaultGraph),
            )?;
        }
    }
    writer.finish()
}
