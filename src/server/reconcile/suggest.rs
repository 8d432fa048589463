//! Auto-completion for OpenRefine's input boxes: entities by the start of their label, types
//! and properties by the start of a word of their name or their id. Answers are
//! `{"result": [{id, name, description}]}`.

use super::properties::PROPERTIES;
use super::{AppState, Error, TYPES, id_of, kind_of_type, params, search};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

/// Suggestions returned when the request gives no `limit`.
const DEFAULT_LIMIT: usize = 10;
/// The most suggestions a request may ask for.
const MAX_LIMIT: usize = 50;

/// The parameters of the three services (`type` only filters entities).
#[derive(Deserialize, Default)]
pub(super) struct Lookup {
    #[serde(default)]
    prefix: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<usize>,
    callback: Option<String>,
}

type Params = Result<Query<Lookup>, axum::extract::rejection::QueryRejection>;

/// `/reconcile/suggest/entity?prefix=&type=`.
pub(super) async fn entity(
    State(state): State<AppState>,
    query: Params,
) -> Result<Response, Error> {
    let params = params(query)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let kinds: Vec<&str> = params
        .kind
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(|t| kind_of_type(t).unwrap_or("-"))
        .into_iter()
        .collect();
    let built = search::index(&state).await?;
    let prefix = params.prefix.clone();
    let items = tokio::task::spawn_blocking(move || built.prefixed(&prefix, &kinds, limit))
        .await
        .map_err(Error::internal)??;
    let base = state.store.base_iri();
    let result: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            serde_json::json!({
                "id": id_of(base, &item.iri),
                "name": item.labels.first().cloned().unwrap_or_else(|| item.iri.clone()),
                "description": super::query::describe(item),
                "notable": [super::type_json(&item.kind)],
            })
        })
        .collect();
    super::json(
        &serde_json::json!({"result": result}),
        params.callback.as_deref(),
    )
}

/// `/reconcile/suggest/type?prefix=`.
pub(super) async fn types(query: Params) -> Result<Response, Error> {
    let params = params(query)?;
    let result: Vec<serde_json::Value> = TYPES
        .iter()
        .filter(|(id, name)| starts(&params.prefix, id, name))
        .take(params.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT))
        .map(|(id, name)| serde_json::json!({"id": id, "name": name}))
        .collect();
    super::json(
        &serde_json::json!({"result": result}),
        params.callback.as_deref(),
    )
}

/// `/reconcile/suggest/property?prefix=`.
pub(super) async fn properties(query: Params) -> Result<Response, Error> {
    let params = params(query)?;
    let result: Vec<serde_json::Value> = PROPERTIES
        .iter()
        .filter(|p| starts(&params.prefix, p.id, p.name))
        .take(params.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT))
        .map(|p| serde_json::json!({"id": p.id, "name": p.name, "description": p.description}))
        .collect();
    super::json(
        &serde_json::json!({"result": result}),
        params.callback.as_deref(),
    )
}

/// Whether `prefix` starts the id or a word of the name (case ignored; an empty prefix
/// suggests everything).
fn starts(prefix: &str, id: &str, name: &str) -> bool {
    let prefix = prefix.trim().to_lowercase();
    prefix.is_empty()
        || id.to_lowercase().starts_with(&prefix)
        || name.to_lowercase().starts_with(&prefix)
        || name
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.starts_with(&prefix))
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_start_ids_names_or_words() {
        assert!(super::starts("per", "person", "Person or group"));
        assert!(super::starts("GRO", "person", "Person or group"));
        assert!(super::starts("", "x", "y"));
        assert!(!super::starts("ers", "person", "Person or group"));
    }
}
