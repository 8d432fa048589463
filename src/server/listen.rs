//! The HTTP listener, with the limits a public site needs against slow and greedy clients.
//!
//! `axum::serve` runs hyper without a timer, so a client that sends its headers a byte at a
//! time, or keeps a connection open without sending anything, holds that connection (and its
//! task) forever; ten thousand such clients take the site down. Here hyper gets a timer and a
//! header deadline, its read buffer bounds the request head, connections are counted, and
//! request bodies that stall are dropped.

use crate::config::ServerConfig;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// How long the server waits after an accept error (too many open files) before accepting
/// again, instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (for at most a query deadline).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: &ServerConfig,
    shutdown: impl Future<Output = ()>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    // A body that stalls for a header deadline is dropped, and no request may take longer
    // than a query that waited for its slot and ran to its deadline: a backstop for bodies
    // sent a byte at a time just fast enough.
    let whole_request = limits.queue_timeout + limits.query_timeout + limits.header_timeout;
    let service = ServiceBuilder::new()
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            whole_request,
        ))
        .layer(RequestBodyTimeoutLayer::new(limits.header_timeout))
        .service(app);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // At the limit, new clients wait in the system's accept queue rather than in memory.
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A streamed answer ends with a small write (the last chunk): without TCP_NODELAY it
        // waits for the client's delayed acknowledgement, 40 ms per query.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
        let connection =
            builder.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(whole_request, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("stopped with requests still in flight");
    }
}
