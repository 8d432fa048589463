//! What can go wrong while mapping: either the mapping itself (fatal, names the triples map and
//! term map) or one record (soft, names the source file, record number and field).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A fault in the mapping document or its sources that stops the whole run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The mapping file could not be read.
    #[error("cannot read mapping {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The mapping file is not valid Turtle.
    #[error("mapping {} is not valid Turtle: {message}", path.display())]
    Syntax { path: PathBuf, message: String },
    /// The YARRRML mapping is not valid YAML, or its document-level keys are not YARRRML.
    #[error("mapping {} is not valid YARRRML: {message}", path.display())]
    Yarrrml { path: PathBuf, message: String },
    /// The mapping has no triples map at all.
    #[error("mapping {} has no rml:TriplesMap", path.display())]
    NoTriplesMap { path: PathBuf },
    /// A term of the mapping is missing, repeated or unusable.
    #[error("mapping {}: triples map <{triples_map}>, {term}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        triples_map: String,
        /// Where in the triples map, e.g. `rml:predicateObjectMap[2] rml:objectMap[1]`.
        term: String,
        message: String,
    },
    /// A dataset's RDF file could not be opened.
    #[error("cannot read RDF file {}: {message}", path.display())]
    RdfFile { path: PathBuf, message: String },
    /// A logical source could not be opened.
    #[error("triples map <{triples_map}>: cannot open source {}: {message}", path.display())]
    Source {
        triples_map: String,
        path: PathBuf,
        message: String,
    },
    /// A reference names a field that the source does not have.
    #[error(
        "triples map <{triples_map}>: reference `{reference}` is not a column of {} (columns: {columns})",
        path.display()
    )]
    UnknownReference {
        triples_map: String,
        reference: String,
        path: PathBuf,
        columns: String,
    },
    /// A reference on a Darwin Core Archive names a term its meta.xml does not give the file.
    #[error(
        "triples map <{triples_map}>: `{reference}` is not a Darwin Core term, nor a term meta.xml \
         gives {} (a reference on a Darwin Core Archive is a term's local name or IRI; this file's \
         terms: {terms})",
        path.display()
    )]
    UnknownTerm {
        triples_map: String,
        reference: String,
        path: PathBuf,
        terms: String,
    },
}

/// Where a record sits in its source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordPosition {
    /// Shared by all the records of a file (a position is copied with every record).
    pub source: Arc<Path>,
    /// 1-based number of the record in the file (the CSV header is not a record).
    pub record: u64,
}

impl fmt::Display for RecordPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} record {}", self.source.display(), self.record)
    }
}

/// One record that could not be (fully) mapped. The run goes on; the record is reported.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{position}{}: {message}", field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default())]
pub struct RecordError {
    pub position: RecordPosition,
    /// The field (or template) that produced the bad value, when one did.
    pub field: Option<String>,
    pub message: String,
}

/// The message a caught panic carries (`panic!` gives a `&str` or a `String`), for the error
/// of the record it hit.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
