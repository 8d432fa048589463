//! Logical sources: files read record by record, each record answering references.
//!
//! Every reference formulation plugs in behind [`Record`], so the executor never knows whether a
//! value came from a CSV cell, a JSONPath match or an XPath node.

mod csv;
mod dwca;
mod json;
mod xml;

use super::error::{Error, RecordError, RecordPosition};
use super::model::{Formulation, LogicalSource};
use oxigraph::model::NamedNodeRef;
use smallvec::SmallVec;
use std::borrow::Cow;

/// The values of a reference in one record: nearly always one, held without allocating.
pub type Values<'a> = SmallVec<[Cow<'a, str>; 1]>;

/// One record of a logical source.
pub trait Record {
    /// The values of `reference` in this record: none when the field is empty or null; an
    /// error when the reference selects something that is not a value (a JSON array or object).
    fn values(&self, reference: &str) -> Result<Values<'_>, String>;
    /// Where this record is.
    fn position(&self) -> &RecordPosition;
    /// The datatype the source itself gives `value`, one of the values of `reference` (JSON
    /// numbers and booleans): RML-Core's natural RDF literal, used when the term map sets no
    /// datatype or language. Sources of plain text have none.
    fn natural_datatype(&self, _reference: &str, _value: &str) -> Option<NamedNodeRef<'static>> {
        None
    }
}

/// The records of a source, in file order; a malformed record is an error item, not the end.
/// Records are `Send` so that they can be mapped on worker threads (see
/// [`super::Run::for_each_parallel`]); the reading itself stays on one thread.
pub type Records = Box<dyn Iterator<Item = Result<Box<dyn Record + Send>, RecordError>>>;

/// The error for a source that cannot be opened or read as a whole, naming the triples map.
fn source_error<'a>(
    source: &'a LogicalSource,
    triples_map: &'a str,
) -> impl Fn(String) -> Error + 'a {
    move |message| Error::Source {
        triples_map: triples_map.into(),
        path: source.path.clone(),
        message,
    }
}

/// Opens a logical source and checks that every reference used on it exists (CSV) or at least
/// parses (JSONPath, XPath: their records have no fixed set of fields).
pub fn open(
    source: &LogicalSource,
    triples_map: &str,
    references: &[&str],
) -> Result<Records, Error> {
    match source.formulation {
        Formulation::Csv => csv::open(source, triples_map, references),
        Formulation::JsonPath => json::open(source, triples_map, references),
        Formulation::XPath => xml::open(source, triples_map, references),
        Formulation::DarwinCore => dwca::open(source, triples_map, references),
    }
}
