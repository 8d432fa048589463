//! What can go wrong in the store, whichever backend holds the data.
//!
//! Backends convert their own failures (RocksDB, HTTP) into these variants, so callers match
//! on vitrine's errors only and the CLI and the server can tell a busy store from a broken one.

use std::path::PathBuf;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another process has the store open for writing.
    #[error("the store at {} is in use by {owner}; {advice}", path.display())]
    Locked {
        path: PathBuf,
        /// Who holds it, as far as the store folder tells (`vitrine serve (pid 1234)`).
        owner: String,
        /// What to do about it.
        advice: String,
    },
    /// An ingest of this store is already running.
    #[error("an ingest of this store is already running; wait for it to finish")]
    Busy,
    /// The store could not be opened: unreadable, not a store, or damaged.
    #[error("cannot open the store at {}: {message}", path.display())]
    Open { path: PathBuf, message: String },
    /// The store was written by an earlier vitrine whose layout this one does not read.
    #[error(
        "the store at {} was written by an earlier version of vitrine; delete that folder and run `vitrine ingest` again",
        path.display()
    )]
    OldLayout { path: PathBuf },
    /// A remote store did not answer as it should: unreachable, refused the login, lacks a
    /// protocol, or failed. Names the endpoint, never the credentials.
    #[error("the store at {endpoint}: {message}")]
    Remote { endpoint: String, message: String },
    /// A remote store cut an answer at `rows` rows, its own limit (Virtuoso answers at most
    /// 2²⁰ rows over HTTP, whatever its configuration). Nothing of the answer was passed on;
    /// a caller that needs everything asks again in pages of fewer rows.
    #[error(
        "the store at {endpoint}: cut the answer at {rows} rows, its limit for one answer (Virtuoso: `ResultSetMaxRows`, at most 1048576)"
    )]
    Truncated { endpoint: String, rows: u64 },
    /// Reading or writing the store failed.
    #[error("store: {0}")]
    Storage(String),
    /// The metadata graph holds something this version cannot read.
    #[error("store metadata: {0}")]
    Metadata(String),
    /// The query text is not SPARQL 1.1.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The query is valid SPARQL but not allowed here (e.g. SPARQL Update on the public side).
    #[error("{0}")]
    Refused(String),
    /// Evaluation failed.
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    /// The query was cancelled (deadline reached or the client went away).
    #[error("the query was cancelled")]
    Cancelled,
    /// Validating a staged version failed before any result was known.
    #[error("validation failed: {0}")]
    Validation(#[from] crate::validate::ValidateError),
}
