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
    /// The request body is of a type (or charset) the endpoint does not read.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The query ran past its time limit and was cancelled.
    #[error(
        "the query was stopped after {0} s, the endpoint's time limit; narrow it down or add a LIMIT"
    )]
    Timeout(u64),
    /// The query was stopped before it answered.
    #[error("the query was stopped before it answered")]
    Cancelled,
    /// Every query slot stayed busy: try again after this many seconds.
    #[error("the endpoint is busy with other queries; try again in {0} s")]
    Overloaded(u64),
    /// The remote store behind the server did not answer (its endpoint is logged, not shown).
    #[error("the store behind this server is not answering; try again later")]
    StoreUnavailable,
    /// Something broke on our side.
    #[error("internal error")]
    Internal(String),
}

impl Error {
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Timeout(_)
            | Error::Overloaded(_)
            | Error::Cancelled
            | Error::StoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
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
        let mut response = (
            self.status(),
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            format!("{self}\n"),
        )
            .into_response();
        if let Error::Overloaded(seconds) = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

impl From<crate::store::Error> for Error {
    fn from(e: crate::store::Error) -> Self {
        use crate::store::Error as Store;
        match e {
            Store::Syntax(_) | Store::Evaluation(_) => Error::BadRequest(e.to_string()),
            Store::Refused(message) => Error::Forbidden(message),
            Store::Cancelled => Error::Cancelled,
            remote @ (Store::Remote { .. } | Store::Truncated { .. }) => {
                tracing::error!("{remote}");
                Error::StoreUnavailable
            }
            other => Error::internal(other),
        }
    }
}
