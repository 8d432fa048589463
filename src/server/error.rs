//! Errors at the HTTP edge: each variant has one status; internal details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed (bad SPARQL, bad parameter).
    #[error("{0}")]
    BadRequest(String),
    /// Nothing is published at this address.
    #[error("{0}")]
    NotFound(String),
    /// None of the formats the client accepts can be produced.
    #[error("none of the requested formats is available; available: {0}")]
    NotAcceptable(String),
    /// The operation is not allowed on the public endpoint.
    #[error("{0}")]
    Forbidden(String),
    /// The query ran past its time limit and was cancelled.
    #[error("the query was cancelled after {0} s; narrow it down or add a LIMIT")]
    Timeout(u64),
    /// Something broke on our side.
    #[error("internal error")]
    Internal(String),
}

impl Error {
    fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs an internal failure and hides it behind a generic message.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!("{e}");
        Error::Internal(e.to_string())
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        (
            self.status(),
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            format!("{self}\n"),
        )
            .into_response()
    }
}

impl From<crate::store::Error> for Error {
    fn from(e: crate::store::Error) -> Self {
        use crate::store::Error as Store;
        match e {
            Store::Syntax(_) | Store::Evaluation(_) => Error::BadRequest(e.to_string()),
            Store::Refused(message) => Error::Forbidden(message),
            Store::Cancelled => Error::Timeout(super::QUERY_TIMEOUT.as_secs()),
            other => Error::internal(other),
        }
    }
}
