//! CSV logical sources (`rml:CSV`): a header row names the fields; the UTF-8 BOM is skipped.
//! The delimiter, encoding, quote character, trimming and comment lines come from the source's
//! `csvw:dialect` (YARRRML `delimiter`, `encoding`; vitrine.toml and `vitrine map` may override
//! the first two).

use super::{Record, Records, Values};
use crate::mapping::error::{Error, RecordError, RecordPosition};
use crate::mapping::model::LogicalSource;
use encoding_rs_io::DecodeReaderBytesBuilder;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

struct Header {
    index: FxHashMap<String, usize>,
    nulls: Vec<String>,
}

struct CsvRecord {
    header: Arc<Header>,
    fields: csv::StringRecord,
    position: RecordPosition,
}

impl Record for CsvRecord {
    fn values(&self, reference: &str) -> Result<Values<'_>, String> {
        let value = self
            .header
            .index
            .get(reference)
            .and_then(|&i| self.fields.get(i))
            .filter(|v| !v.is_empty() && !self.header.nulls.iter().any(|n| n == v));
        Ok(value.map(Cow::Borrowed).into_iter().collect())
    }

    fn position(&self) -> &RecordPosition {
        &self.position
    }
}

pub(super) fn open(
    source: &LogicalSource,
    triples_map: &str,
    references: &[&str],
) -> Result<Records, Error> {
    let source_error = super::source_error(source, triples_map);
    let file = File::open(&source.path).map_err(|e| source_error(e.to_string()))?;
    let dialect = source.dialect;
    if dialect.delimiter == dialect.quote {
        return Err(source_error(format!(
            "the delimiter and the quote character are both {:?}",
            char::from(dialect.delimiter)
        )));
    }
    // Other encodings are decoded to UTF-8 while reading, so the file is still streamed.
    let input: Box<dyn Read> = if dialect.encoding == encoding_rs::UTF_8 {
        Box::new(file)
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(dialect.encoding))
                .bom_override(true)
                .strip_bom(true)
                .build(file),
        )
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .comment(dialect.comment)
        .trim(if dialect.trim {
            csv::Trim::All
        } else {
            csv::Trim::None
        })
        .from_reader(input);
    let columns = reader
        .headers()
        .map_err(|e| source_error(format!("unreadable header row: {e}")))?
        .clone();
    let index: FxHashMap<String, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_owned(), i))
        .collect();
    if let Some(missing) = references.iter().find(|r| !index.contains_key(**r)) {
        return Err(Error::UnknownReference {
            triples_map: triples_map.into(),
            reference: (*missing).into(),
            path: source.path.clone(),
            columns: columns.iter().collect::<Vec<_>>().join(", "),
        });
    }
    let header = Arc::new(Header {
        index,
        nulls: source.nulls.clone(),
    });
    let path: Arc<Path> = source.path.as_path().into();
    let names: Vec<String> = columns.iter().map(str::to_owned).collect();
    let encoding = dialect.encoding.name();
    let width = names.len();
    let mut number = 0;
    let mut done = false;
    let records = std::iter::from_fn(move || {
        if done {
            return None;
        }
        let first_line = reader.position().line();
        let mut fields = csv::StringRecord::new();
        let row = reader.read_record(&mut fields);
        if matches!(row, Ok(false)) {
            return None;
        }
        number += 1;
        let position = RecordPosition {
            source: Arc::clone(&path),
            record: number,
        };
        Some(match row {
            Ok(_) => Ok(Box::new(CsvRecord {
                header: Arc::clone(&header),
                fields,
                position,
            }) as Box<dyn Record + Send>),
            Err(e) => Err(match e.kind() {
                // The usual cause is an export in another encoding than the one declared.
                csv::ErrorKind::Utf8 { err, .. } => RecordError {
                    position,
                    field: names.get(err.field()).cloned(),
                    message: format!(
                        "the field is not valid {encoding}; if the file is in another encoding, \
                         declare it (csvw:encoding in RML, `encoding:` in YARRRML, e.g. windows-1252)"
                    ),
                },
                csv::ErrorKind::UnequalLengths { len, .. } => {
                    // The reader is now past the record: the line it stopped on tells whether
                    // a quote left open took the following lines into this record.
                    let last_line = reader.position().line().saturating_sub(1).max(first_line);
                    let lines = if last_line > first_line {
                        format!(
                            "lines {first_line}–{last_line} (a quoted cell left open runs over \
                             {} more lines, which are part of this record)",
                            last_line - first_line
                        )
                    } else {
                        format!("line {first_line}")
                    };
                    RecordError {
                        position,
                        field: None,
                        message: format!(
                            "malformed CSV row at {lines}: {len} fields where the header has {width}"
                        ),
                    }
                }
                _ => {
                    // An I/O error will not go away: report it once and stop.
                    done = e.is_io_error();
                    RecordError {
                        position,
                        field: None,
                        message: format!("malformed CSV row: {e}"),
                    }
                }
            }),
        })
    });
    Ok(Box::new(records))
}
