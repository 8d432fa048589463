//! Darwin Core Archive logical sources (`referenceFormulation: dwca`): the core file or an
//! extension of an archive, read as `meta.xml` describes it (delimiter, quotes, encoding, header
//! lines). References are Darwin Core terms, by local name (`scientificName`) or full IRI;
//! `id` (or `coreid`) is the record's id column, the key extensions join on. A term `meta.xml`
//! gives a `default=` has that value wherever its column is absent or empty. A Darwin Core term
//! the archive does not have has no value; a reference that is no Darwin Core term is an error.

use super::{Record, Records, Values};
use crate::mapping::dwca::{Archive, RowFile, is_known_term};
use crate::mapping::error::{Error, RecordError, RecordPosition};
use crate::mapping::model::LogicalSource;
use encoding_rs_io::DecodeReaderBytesBuilder;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Where a term's value comes from.
#[derive(Debug, Clone)]
struct Slot {
    index: Option<usize>,
    default: Option<String>,
}

struct Layout {
    terms: FxHashMap<String, Slot>,
    nulls: Vec<String>,
}

struct DwcRecord {
    layout: Arc<Layout>,
    fields: csv::StringRecord,
    position: RecordPosition,
}

impl Record for DwcRecord {
    fn values(&self, reference: &str) -> Result<Values<'_>, String> {
        let Some(slot) = self.layout.terms.get(reference) else {
            return Ok(Values::new());
        };
        let cell = slot
            .index
            .and_then(|i| self.fields.get(i))
            .filter(|v| !v.is_empty() && !self.layout.nulls.iter().any(|n| n == v))
            .map(Cow::Borrowed)
            .or_else(|| slot.default.as_deref().map(Cow::Borrowed));
        Ok(cell.into_iter().collect())
    }

    fn position(&self) -> &RecordPosition {
        &self.position
    }
}

/// The terms of a file, by every name a mapping may use.
fn layout(file: &RowFile) -> FxHashMap<String, Slot> {
    let mut terms: FxHashMap<String, Slot> = FxHashMap::default();
    let mut local_count: FxHashMap<&str, usize> = FxHashMap::default();
    for field in &file.fields {
        *local_count.entry(field.local_name()).or_default() += 1;
    }
    for field in &file.fields {
        let slot = Slot {
            index: field.index,
            default: field.default.clone(),
        };
        // A local name two namespaces share (dc:type, dwc:type) needs the full IRI.
        if local_count[field.local_name()] == 1 {
            terms.insert(field.local_name().to_owned(), slot.clone());
        }
        terms.insert(field.term.clone(), slot);
    }
    if let Some(index) = file.id_index {
        let slot = Slot {
            index: Some(index),
            default: None,
        };
        for name in ["id", "coreid"] {
            terms.entry(name.to_owned()).or_insert_with(|| slot.clone());
        }
    }
    terms
}

pub(super) fn open(
    source: &LogicalSource,
    triples_map: &str,
    references: &[&str],
) -> Result<Records, Error> {
    let source_error = super::source_error(source, triples_map);
    let archive = Archive::open(&source.path).map_err(&source_error)?;
    let file = archive
        .row_file(source.iterator.as_deref())
        .map_err(&source_error)?
        .clone();
    let terms = layout(&file);
    if let Some(missing) = references
        .iter()
        .find(|r| !terms.contains_key(**r) && !is_known_term(r))
    {
        let mut names: Vec<&str> = file.fields.iter().map(|f| f.local_name()).collect();
        if file.id_index.is_some() {
            names.insert(0, if file.core { "id" } else { "coreid" });
        }
        return Err(Error::UnknownTerm {
            triples_map: triples_map.into(),
            reference: (*missing).into(),
            path: source.path.join(&file.location),
            terms: names.join(", "),
        });
    }
    let input = archive.open_file(&file.location).map_err(&source_error)?;
    let input: Box<dyn Read> = if file.encoding == encoding_rs::UTF_8 {
        input
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(file.encoding))
                .bom_override(true)
                .strip_bom(true)
                .build(input),
        )
    };
    let mut builder = csv::ReaderBuilder::new();
    builder
        .has_headers(false)
        .flexible(true)
        .delimiter(file.delimiter);
    match file.quote {
        Some(quote) => builder.quote(quote),
        None => builder.quoting(false),
    };
    let mut reader = builder.from_reader(input);
    // The widest row meta.xml describes: a shorter row cannot be read as it says.
    let width = file
        .fields
        .iter()
        .filter_map(|f| f.index)
        .chain(file.id_index)
        .max()
        .map_or(0, |i| i + 1);
    let widest: Option<(usize, String)> = file
        .fields
        .iter()
        .filter_map(|f| f.index.map(|i| (i, f.local_name().to_owned())))
        .max_by_key(|(i, _)| *i);
    let layout = Arc::new(Layout {
        terms,
        nulls: source.nulls.clone(),
    });
    let path: Arc<Path> = source.path.join(&file.location).into();
    let mut skip = file.ignore_header_lines;
    let mut number = 0;
    let mut done = false;
    let records = std::iter::from_fn(move || {
        loop {
            if done {
                return None;
            }
            let mut fields = csv::StringRecord::new();
            let row = reader.read_record(&mut fields);
            if matches!(row, Ok(false)) {
                return None;
            }
            if skip > 0 {
                skip -= 1;
                continue;
            }
            number += 1;
            let position = RecordPosition {
                source: Arc::clone(&path),
                record: number,
            };
            return Some(match row {
                Ok(_) if fields.len() < width => Err(RecordError {
                    position,
                    field: widest.as_ref().map(|(_, term)| term.clone()),
                    message: format!(
                        "the row has {} fields, but meta.xml puts a term at column index {} \
                         (line {})",
                        fields.len(),
                        width - 1,
                        fields.position().map_or(0, csv::Position::line)
                    ),
                }),
                Ok(_) => Ok(Box::new(DwcRecord {
                    layout: Arc::clone(&layout),
                    fields,
                    position,
                }) as Box<dyn Record + Send>),
                Err(e) => {
                    done = e.is_io_error();
                    Err(RecordError {
                        position,
                        field: None,
                        message: match e.kind() {
                            csv::ErrorKind::Utf8 { .. } => format!(
                                "the row is not valid {} as meta.xml declares",
                                file.encoding.name()
                            ),
                            _ => format!("malformed row: {e}"),
                        },
                    })
                }
            });
        }
    });
    Ok(Box::new(records))
}
