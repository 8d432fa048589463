//! Operations: `/health` answers 200 when the store can be read.

use super::{AppState, Error};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, Error> {
    let datasets = tokio::task::spawn_blocking(move || state.store.current_graphs())
        .await
        .map_err(Error::internal)??;
    Ok(Json(
        serde_json::json!({ "status": "ok", "datasets": datasets.len() }),
    ))
}
