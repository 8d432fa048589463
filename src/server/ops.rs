//! Operations: `/health` answers 200 with what is published (dataset, version, counts).

use super::{AppState, Error};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, Error> {
    let published = state.store.published();
    let datasets: Vec<serde_json::Value> = published
        .datasets()
        .iter()
        .map(|d| {
            serde_json::json!({
                "id": d.id,
                "graph": d.graph.as_str(),
                "version": d.version.number,
                "published": d.published,
                "triples": d.counts.triples,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "status": "ok",
        "datasets": datasets.len(),
        "published": datasets,
        "pending_drops": state.store.pending_drops(),
    })))
}
