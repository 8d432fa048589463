//! Stage 3½ — what the heritage and Wikimedia communities reuse, made from the published view:
//! QuickStatements for Wikidata, upload sheets for Commons, IIIF manifests, EDM for Europeana.
//!
//! Every export reads the store through [`crate::store::Store`] and the config; none writes
//! back. The server offers some of them over HTTP; the CLI writes the others to files.

pub mod artwork;
pub mod commons;
pub mod iiif;
pub mod wikidata;

use std::path::PathBuf;

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error(
        "dataset `{dataset}` is published under {license}, and Wikidata takes CC0 data only; if \
         the publisher releases these facts under CC0, say so with `facts_cc0 = true` in \
         [datasets.wikidata]"
    )]
    License { dataset: String, license: String },
    #[error(
        "dataset `{dataset}` has no images (foaf:depiction with an http(s) URL): there is nothing \
         to upload to Commons"
    )]
    NoImages { dataset: String },
    #[error("writing the sheet: {0}")]
    Csv(#[from] csv::Error),
    #[error("Wikidata at {endpoint}: {message}")]
    Wikidata { endpoint: String, message: String },
    #[error("{}:{line}: {message}", path.display())]
    Matches {
        path: PathBuf,
        line: u64,
        message: String,
    },
}
