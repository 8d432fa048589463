//! Stage 4 — publishing over HTTP: the SPARQL endpoint, dereferenceable URIs, HTML pages.
//!
//! Consumes the [`Store`]; calls no other stage except [`crate::ingest`] at start-up (from the
//! CLI). The router is split by resource; global layers (trace, timeout, CORS, compression) are
//! added here, per-route concerns live with their route.

pub mod control;
mod error;
mod html;
mod iri;
mod negotiate;
mod ops;
mod resource;
mod sparql;
mod validation;

pub use error::Error;

use crate::config::Config;
use crate::store::Store;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::trace::TraceLayer;

/// How long a SPARQL query may run before it is cancelled.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pages: Arc<minijinja::Environment<'static>>,
    /// The ingest handed over through the control socket, if one is running.
    ingest: control::Slot,
}

impl AppState {
    /// Prepares the state; templates are compiled once here.
    pub fn new(store: Store, config: Config) -> Self {
        Self {
            store,
            config: Arc::new(config),
            pages: Arc::new(html::environment()),
            ingest: control::Slot::default(),
        }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(html::router())
        .merge(sparql::router())
        .merge(resource::router())
        .merge(validation::router())
        .merge(ops::router())
        .fallback(|| async { Error::NotFound("no such page".into()) })
        .layer(CompressionLayer::new())
        .layer(CorsLayer::permissive())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `state` on `bind` until Ctrl-C or SIGTERM, and takes ingests handed over on the
/// store's control socket (see [`control`]).
pub async fn serve(state: AppState, bind: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    let control = tokio::spawn(control::listen(state.clone()));
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    control.abort();
    served
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
