//! Stage 4 — publishing over HTTP: the SPARQL endpoint, dereferenceable URIs, HTML pages.
//!
//! Consumes the [`Store`]; calls no other stage except [`crate::ingest`] at start-up (from the
//! CLI). The router is split by resource; global layers (trace, timeout, CORS, compression) are
//! added here, per-route concerns live with their route.

mod catalog;
pub mod control;
mod dataset;
mod documents;
mod error;
mod examples;
mod files;
mod html;
mod iiif;
mod iri;
mod kinds;
mod listen;
mod negotiate;
mod oai;
mod ops;
mod publication;
mod reconcile;
mod resource;
mod search;
mod sitemap;
mod sparql;
mod validation;

pub use error::Error;

use crate::config::Config;
use crate::store::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pages: Arc<minijinja::Environment<'static>>,
    /// One permit per query allowed to evaluate at once.
    slots: Arc<tokio::sync::Semaphore>,
    /// Whole answers, until the next publication.
    cache: Arc<sparql::ResultCache>,
    /// The ingest handed over through the control socket, if one is running.
    ingest: control::Slot,
    /// The item URLs of the current publication, for the sitemap.
    items: Arc<sitemap::Items>,
    /// The text index of the current publication.
    search: Arc<search::SearchIndex>,
    /// The items with a Europeana record in the current publication, for `/oai`.
    europeana: Arc<oai::Eligible>,
}

impl AppState {
    /// Prepares the state; templates are compiled once here.
    pub fn new(store: Store, config: Config) -> Self {
        Self {
            slots: Arc::new(tokio::sync::Semaphore::new(
                config.server.max_concurrent_queries,
            )),
            cache: Arc::new(sparql::ResultCache::new(config.server.cache_bytes)),
            store,
            pages: Arc::new(html::environment(config.server.templates.clone())),
            config: Arc::new(config),
            ingest: control::Slot::default(),
            items: Arc::default(),
            search: Arc::default(),
            europeana: Arc::default(),
        }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let server = &state.config.server;
    Router::new()
        .merge(html::router())
        .merge(sparql::router())
        .merge(resource::router())
        .merge(iiif::router())
        .merge(files::router())
        .merge(validation::router())
        .merge(sitemap::router())
        .merge(search::router())
        .merge(reconcile::router())
        .merge(dataset::router())
        .merge(catalog::router())
        .merge(oai::router())
        .merge(ops::router())
        .fallback(resource::fallback)
        .layer(DefaultBodyLimit::max(server.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            server.max_url_bytes,
            url_limit,
        ))
        .layer(security_headers(&state))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(whole_files)))
        .layer(cors(&server.cors_origins))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Files that answer ranges (`/files/…`, dumps) are sent as stored: a range and a
/// `Content-Length` then count the file's own bytes, and an ETag names them.
fn whole_files(
    _: axum::http::StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    !headers.contains_key(header::ACCEPT_RANGES)
}

/// Refuses a request target (path and query) longer than `max` bytes with 414, before any
/// handler decodes it.
async fn url_limit(
    axum::extract::State(max): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > max {
        use axum::response::IntoResponse;
        return (
            axum::http::StatusCode::URI_TOO_LONG,
            format!(
                "the request target is {length} bytes, more than the {max} this server accepts; \
                 send a long SPARQL query with POST\n"
            ),
        )
            .into_response();
    }
    next.run(request).await
}

/// The `Content-Security-Policy` of HTML answers (see [`html::content_security_policy`]),
/// unless the handler set its own (the reconciliation preview, which OpenRefine frames).
fn security_headers(
    state: &AppState,
) -> SetResponseHeaderLayer<impl Fn(&axum::response::Response) -> Option<HeaderValue> + Clone + use<>>
{
    let policy = HeaderValue::from_str(&html::content_security_policy(
        state.config.server.templates.as_deref(),
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        move |response: &axum::response::Response| {
            let html = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html"));
            // A published HTML file (`/files/…`) keeps its own, stricter, sandbox policy.
            let own = response
                .headers()
                .contains_key(header::CONTENT_SECURITY_POLICY);
            (html && !own).then(|| policy.clone())
        },
    )
}

/// The public root of the site as the client reached it (`http://host/`), behind a proxy from
/// its `X-Forwarded-*` headers.
fn site_url(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{scheme}://{host}/")
}

/// Who may query from a browser: any origin by default, as public endpoints allow, or the
/// listed ones.
fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::HEAD])
        .allow_headers([
            header::ACCEPT,
            header::CONTENT_TYPE,
            header::ACCEPT_LANGUAGE,
        ])
        .expose_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static(sparql::LIMIT_HEADER),
            HeaderName::from_static(sparql::TRUNCATED_HEADER),
        ]);
    if origins.iter().any(|o| o == "*") {
        return layer.allow_origin(Any);
    }
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    layer.allow_origin(AllowOrigin::list(list))
}

/// Serves `state` on `bind` until Ctrl-C or SIGTERM, and takes ingests handed over on the
/// store's control socket (see [`control`]).
pub async fn serve(state: AppState, bind: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    let control = tokio::spawn(control::listen(state.clone()));
    // The first visitor to search should not wait for the index.
    let indexing = state.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = search::rebuild(&indexing) {
            tracing::warn!("search index: {e}");
        }
        // Dumps a crash or an older vitrine left stale (or never wrote).
        match crate::catalog::dump::refresh(&indexing.store, &indexing.config.store.dumps) {
            Ok(written) if !written.is_empty() => {
                tracing::info!("dumps written: {}", written.join(", "));
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("dumps: {e}"),
        }
        match crate::reuse::edm::dump::refresh(&indexing.store, &indexing.config) {
            Ok(written) if !written.is_empty() => {
                tracing::info!("Europeana dumps written: {}", written.join(", "));
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("Europeana dumps: {e}"),
        }
    });
    let limits = state.config.server.clone();
    listen::run(listener, app(state), &limits, shutdown_signal()).await;
    control.abort();
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
