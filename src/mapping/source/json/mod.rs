//! JSON logical sources (`rml:JSONPath`): museums and APIs export JSON documents or JSON Lines.
//!
//! `rml:iterator` (RFC 9535 JSONPath, default `$`) selects the records; every reference is a
//! JSONPath evaluated against one record. RML test cases write references both as `$.Name` and
//! as `Name`, so a reference not starting with `$` is taken relative to the record. Every path is
//! parsed once when the source is opened.
//!
//! When the iterator starts with a plain path to an array (`$[*]`, `$.items[*]`, and nested
//! ones such as `$.records[*].contributors[*]`), the document is streamed ([`stream`]): the
//! array's items one by one, the rest of the path applied to each, so memory holds a few
//! records whatever the file size, and a document that breaks off after good records ends
//! with one record error. Any other iterator may look anywhere (or refer to the root), so the
//! whole document is read into memory. A JSON Lines file (`.jsonl`, `.ndjson`)
//! is read line by line, each line a document, so a bad line is one record error and the rest
//! of the file is still mapped.
//!
//! JSON has no header, so references are not checked against fields: a missing member is simply
//! no value. Numbers and booleans keep their type as RML-Core's natural RDF literals
//! (`xsd:integer`, `xsd:double`, `xsd:boolean`).

mod stream;

use super::{Record, Records, Values};
use crate::mapping::error::{Error, RecordError, RecordPosition};
use crate::mapping::model::LogicalSource;
use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::js_path_process;
use oxigraph::model::NamedNodeRef;
use oxigraph::model::vocab::xsd;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// The parsed references of a source, shared by its records.
struct Paths {
    references: HashMap<String, JpQuery>,
    nulls: Vec<String>,
}

struct JsonRecord {
    value: Value,
    paths: Arc<Paths>,
    position: RecordPosition,
}

impl Record for JsonRecord {
    fn values(&self, reference: &str) -> Result<Values<'_>, String> {
        let compiled;
        let query = match self.paths.references.get(reference) {
            Some(query) => query,
            // Every reference is parsed at open time; this is only a safety net.
            None => match parse_reference(reference) {
                Ok(query) => {
                    compiled = query;
                    &compiled
                }
                Err(message) => return Err(message),
            },
        };
        let mut out = Values::new();
        for found in js_path_process(query, &self.value).unwrap_or_default() {
            push_value(found.val, reference, &self.paths.nulls, &mut out)?;
        }
        Ok(out)
    }

    fn position(&self) -> &RecordPosition {
        &self.position
    }

    fn natural_datatype(&self, reference: &str, value: &str) -> Option<NamedNodeRef<'static>> {
        let query = self.paths.references.get(reference)?;
        let found = js_path_process(query, &self.value).ok()?;
        found
            .iter()
            .flat_map(|f| match f.val {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            })
            .find_map(|v| match v {
                Value::Number(n) if n.to_string() == value => Some(if n.is_f64() {
                    xsd::DOUBLE
                } else {
                    xsd::INTEGER
                }),
                Value::Bool(b) if b.to_string() == value => Some(xsd::BOOLEAN),
                _ => None,
            })
    }
}

/// Strings as they are, numbers and booleans by their JSON lexical form, one value per array
/// item; `null`, the empty string, `rml:null` values and objects are no value.
fn push_value<'a>(
    value: &'a Value,
    reference: &str,
    nulls: &[String],
    out: &mut Values<'a>,
) -> Result<(), String> {
    match value {
        Value::Null => {}
        Value::String(s) => {
            if !s.is_empty() && !nulls.iter().any(|n| n == s) {
                out.push(Cow::Borrowed(s.as_str()));
            }
        }
        Value::Number(n) => {
            let n = n.to_string();
            if !nulls.contains(&n) {
                out.push(Cow::Owned(n));
            }
        }
        Value::Bool(b) => {
            let b = if *b { "true" } else { "false" };
            if !nulls.iter().any(|n| n == b) {
                out.push(Cow::Borrowed(b));
            }
        }
        // RML-Core: a reference must select values; `[*]` selects an array's items.
        Value::Array(_) => {
            return Err(format!(
                "`{reference}` selects a JSON array, not values (write `{reference}[*]` for its items)"
            ));
        }
        Value::Object(_) => {
            return Err(format!("`{reference}` selects a JSON object, not a value"));
        }
    }
    Ok(())
}

/// Parses a reference: absolute (`$.a.b`), relative to the record (`a.b`, `@.a`), or a bare
/// member name that is not a JSONPath shorthand (`Country Code`).
fn parse_reference(reference: &str) -> Result<JpQuery, String> {
    let reference = reference.trim();
    let parsed = if reference.starts_with('$') {
        parse_json_path(reference)
    } else if let Some(rest) = reference.strip_prefix('@') {
        parse_json_path(&format!("${rest}"))
    } else {
        parse_json_path(&format!("$.{reference}")).or_else(|_| {
            let quoted = reference.replace('\\', "\\\\").replace('\'', "\\'");
            parse_json_path(&format!("$['{quoted}']"))
        })
    };
    parsed.map_err(|e| e.to_string())
}

/// JSON Lines files are recognised by their extension.
fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

pub(super) fn open(
    source: &LogicalSource,
    triples_map: &str,
    references: &[&str],
) -> Result<Records, Error> {
    let source_error = super::source_error(source, triples_map);
    let iterator_text = source.iterator.as_deref().unwrap_or("$");
    let iterator = parse_json_path(iterator_text).map_err(|e| {
        source_error(format!(
            "rml:iterator `{iterator_text}` is not a valid JSONPath: {e}"
        ))
    })?;
    let mut compiled = HashMap::new();
    for reference in references {
        let query = parse_reference(reference).map_err(|e| {
            source_error(format!(
                "reference `{reference}` is not a valid JSONPath: {e}"
            ))
        })?;
        compiled.insert((*reference).to_owned(), query);
    }
    let paths = Arc::new(Paths {
        references: compiled,
        nulls: source.nulls.clone(),
    });
    let file = File::open(&source.path).map_err(|e| source_error(e.to_string()))?;
    let reader = BufReader::new(file);
    if is_json_lines(&source.path) {
        return Ok(Box::new(JsonLines {
            lines: reader.split(b'\n'),
            line: 0,
            record: 0,
            pending: VecDeque::new(),
            iterator,
            paths,
            path: source.path.as_path().into(),
            done: false,
        }));
    }
    // The rest of a nested iterator parses whenever the whole one did; if not, the document
    // is read whole.
    let streamed = stream::split_iterator(iterator_text).and_then(|(names, rest)| match rest {
        None => Some((names, None)),
        Some(rest) => parse_json_path(&rest).ok().map(|each| (names, Some(each))),
    });
    let Some((names, each)) = streamed else {
        return whole_document(reader, &iterator, paths, source, &source_error);
    };
    let items = stream::items(reader, names);
    // A file that is not JSON from the start is the source's error, as for a whole document.
    let first = match items.recv() {
        Ok(Err(message)) => return Err(source_error(format!("not valid JSON: {message}"))),
        Ok(Ok(value)) => Some(value),
        Err(_) => None,
    };
    Ok(Box::new(JsonStream {
        first,
        items,
        each,
        pending: VecDeque::new(),
        record: 0,
        paths,
        path: source.path.as_path().into(),
    }))
}

/// The records of a document read whole, for iterators that may look anywhere in it.
fn whole_document(
    reader: BufReader<File>,
    iterator: &JpQuery,
    paths: Arc<Paths>,
    source: &LogicalSource,
    source_error: &dyn Fn(String) -> Error,
) -> Result<Records, Error> {
    let document: Value = serde_json::from_reader(reader)
        .map_err(|e| source_error(format!("not valid JSON: {e}")))?;
    let selected = select(iterator, &document);
    drop(document);
    let path: Arc<Path> = source.path.as_path().into();
    Ok(Box::new(selected.into_iter().enumerate().map(
        move |(i, value)| {
            Ok(Box::new(JsonRecord {
                value,
                paths: Arc::clone(&paths),
                position: RecordPosition {
                    source: Arc::clone(&path),
                    record: i as u64 + 1,
                },
            }) as Box<dyn Record + Send>)
        },
    )))
}

/// The records the iterator selects in one document, copied out of it.
fn select(iterator: &JpQuery, document: &Value) -> Vec<Value> {
    js_path_process(iterator, document)
        .unwrap_or_default()
        .into_iter()
        .map(|found| found.val.clone())
        .collect()
}

/// The records of a streamed document, as its parsing thread hands them over.
struct JsonStream {
    /// Received while opening, to tell a broken file from a broken record.
    first: Option<Value>,
    items: std::sync::mpsc::Receiver<Result<Value, String>>,
    /// The rest of a nested iterator, applied to each streamed item.
    each: Option<JpQuery>,
    /// Records selected in the current item and not yet returned.
    pending: VecDeque<Value>,
    /// 1-based number of the last record produced (or reported as unreadable).
    record: u64,
    paths: Arc<Paths>,
    path: Arc<Path>,
}

impl Iterator for JsonStream {
    type Item = Result<Box<dyn Record + Send>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = loop {
            if let Some(value) = self.pending.pop_front() {
                break Ok(value);
            }
            let item = match self.first.take() {
                Some(value) => Ok(value),
                None => self.items.recv().ok()?,
            };
            match (item, &self.each) {
                (Ok(value), Some(each)) => self.pending = select(each, &value).into(),
                (item, _) => break item,
            }
        };
        self.record += 1;
        let position = RecordPosition {
            source: Arc::clone(&self.path),
            record: self.record,
        };
        Some(match item {
            Ok(value) => Ok(Box::new(JsonRecord {
                value,
                paths: Arc::clone(&self.paths),
                position,
            })),
            Err(message) => Err(RecordError {
                position,
                field: None,
                message: format!(
                    "the document is not valid JSON after record {}: {message}",
                    self.record - 1
                ),
            }),
        })
    }
}

/// Reads a JSON Lines file one line at a time.
struct JsonLines {
    /// Lines as bytes: a line that is not UTF-8 is that record's error, not the file's.
    lines: std::io::Split<BufReader<File>>,
    /// 1-based number of the last line read.
    line: u64,
    /// 1-based number of the last record produced (or reported as unreadable).
    record: u64,
    /// Records selected in the current line and not yet returned.
    pending: VecDeque<Value>,
    iterator: JpQuery,
    paths: Arc<Paths>,
    path: Arc<Path>,
    /// Set after an I/O error.
    done: bool,
}

impl Iterator for JsonLines {
    type Item = Result<Box<dyn Record + Send>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(value) = self.pending.pop_front() {
                self.record += 1;
                return Some(Ok(Box::new(JsonRecord {
                    value,
                    paths: Arc::clone(&self.paths),
                    position: self.here(),
                })));
            }
            if self.done {
                return None;
            }
            let line = self.lines.next()?;
            self.line += 1;
            let parsed = match line {
                Ok(line) if line.trim_ascii().is_empty() => continue,
                Ok(line) => serde_json::from_slice::<Value>(&line)
                    .map_err(|e| format!("line {} is not valid JSON: {e}", self.line)),
                Err(e) => {
                    // An I/O error will not go away: report it and stop.
                    self.done = true;
                    Err(format!("line {} cannot be read: {e}", self.line))
                }
            };
            match parsed {
                Ok(document) => self.pending = select(&self.iterator, &document).into(),
                Err(message) => {
                    self.record += 1;
                    let error = RecordError {
                        position: self.here(),
                        field: None,
                        message,
                    };
                    return Some(Err(error));
                }
            }
        }
    }
}

impl JsonLines {
    fn here(&self) -> RecordPosition {
        RecordPosition {
            source: Arc::clone(&self.path),
            record: self.record,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::model::Formulation;
    use serde_json::json;

    fn values(record: &Value, reference: &str) -> Result<Vec<String>, String> {
        let query = parse_reference(reference).unwrap();
        let mut out = Values::new();
        for found in js_path_process(&query, record).unwrap() {
            push_value(found.val, reference, &["N/A".to_owned()], &mut out)?;
        }
        Ok(out.into_iter().map(Cow::into_owned).collect())
    }

    #[test]
    fn references_absolute_relative_and_bare_names() {
        let record = json!({"Name": "Venus", "a": {"b": [1, 2.5, true, null, ""]},
                            "Country Code": "FR", "it's": "x", "none": "N/A",
                            "mixed": [1, {"c": 1}]});
        let get = |reference| values(&record, reference).unwrap();
        assert_eq!(get("$.Name"), ["Venus"]);
        assert_eq!(get("Name"), ["Venus"]);
        assert_eq!(get("@.Name"), ["Venus"]);
        assert_eq!(get("$['Country Code']"), ["FR"]);
        assert_eq!(get("Country Code"), ["FR"]);
        assert_eq!(get("it's"), ["x"]);
        assert_eq!(get("$.a.b[*]"), ["1", "2.5", "true"]);
        assert_eq!(get("$.missing"), Vec::<String>::new());
        assert_eq!(get("none"), Vec::<String>::new());
        // RML-Core: selecting an array or an object is an error, not a list of values.
        for reference in ["a.b", "$.a", "$.mixed[*]"] {
            assert!(values(&record, reference).is_err(), "{reference}");
        }
        assert!(parse_reference("$[").is_err());
    }

    fn source(dir: &Path, name: &str, text: &str, iterator: Option<&str>) -> LogicalSource {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        LogicalSource {
            path,
            formulation: Formulation::JsonPath,
            iterator: iterator.map(str::to_owned),
            nulls: Vec::new(),
            namespaces: Vec::new(),
            dialect: Default::default(),
        }
    }

    #[test]
    fn records_are_numbered_in_iterator_order() {
        let dir = tempfile::tempdir().unwrap();
        let source = source(
            dir.path(),
            "d.json",
            r#"{"a": [{"n": "x"}, {"n": "y"}], "b": {"n": "z"}}"#,
            Some("$..n"),
        );
        let records: Vec<_> = open(&source, "tm", &["$"])
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let got: Vec<(u64, String)> = records
            .iter()
            .map(|r| (r.position().record, r.values("$").unwrap()[0].to_string()))
            .collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn nested_iterators_stream_the_same_records_as_the_whole_document() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"{"records": [
            {"id": 1, "contributors": [{"n": "a"}, {"n": "b"}]},
            {"id": 2, "contributors": []},
            {"id": 3},
            {"id": 4, "contributors": [{"n": "c", "x": {"n": "deep"}}]}
        ]}"#;
        let names = |iterator: &str, file: &str| -> Vec<(u64, Vec<String>)> {
            let source = source(dir.path(), file, text, Some(iterator));
            open(&source, "tm", &["$..n"])
                .unwrap()
                .map(|r| {
                    let r = r.unwrap();
                    let values = r.values("$..n").unwrap();
                    let values = values.iter().map(|v| v.to_string()).collect();
                    (r.position().record, values)
                })
                .collect()
        };
        // Streamed, and the same through a filter that forces the whole document.
        let streamed = names("$.records[*].contributors[*]", "a.json");
        let whole = names("$.records[?@.id].contributors[*]", "b.json");
        assert_eq!(streamed, whole);
        assert_eq!(
            streamed,
            [
                (1, vec!["a".to_owned()]),
                (2, vec!["b".to_owned()]),
                (3, vec!["c".to_owned(), "deep".to_owned()])
            ]
        );
    }

    #[test]
    fn a_nested_stream_that_breaks_off_keeps_the_records_before() {
        let dir = tempfile::tempdir().unwrap();
        let source = source(
            dir.path(),
            "d.json",
            r#"{"records": [{"c": [{"n": 1}, {"n": 2}]}, {"c": [{"n": 3}, {"n": "#,
            Some("$.records[*].c[*]"),
        );
        let records: Vec<_> = open(&source, "tm", &["n"]).unwrap().collect();
        assert_eq!(records.len(), 3, "two records, then the error");
        assert!(records[0].is_ok() && records[1].is_ok());
        let error = records[2].as_ref().err().unwrap();
        assert_eq!(error.position.record, 3);
        assert!(error.message.contains("after record 2"), "{error}");
    }

    #[test]
    fn mapping_level_problems_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let bad_iterator = source(dir.path(), "d.json", "[]", Some("$["));
        let err = open(&bad_iterator, "tm", &[]).err().unwrap().to_string();
        assert!(err.contains("rml:iterator `$[`"), "{err}");
        let bad_json = source(dir.path(), "e.json", "{", None);
        let err = open(&bad_json, "tm", &[]).err().unwrap().to_string();
        assert!(
            err.contains("not valid JSON") && err.contains("<tm>"),
            "{err}"
        );
        let ok = source(dir.path(), "f.json", "[]", None);
        let err = open(&ok, "tm", &["$.a["]).err().unwrap().to_string();
        assert!(err.contains("reference `$.a[`"), "{err}");
    }

    #[test]
    fn json_lines_iterator_applies_to_each_line() {
        let dir = tempfile::tempdir().unwrap();
        let source = source(
            dir.path(),
            "d.NDJSON",
            "{\"xs\": [1, 2]}\nnot json\n{\"xs\": [3]}\n",
            Some("$.xs[*]"),
        );
        let items: Vec<_> = open(&source, "tm", &["$"]).unwrap().collect();
        let summary: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(r) => format!("{}={}", r.position().record, r.values("$").unwrap()[0]),
                Err(e) => format!("{}!", e.position.record),
            })
            .collect();
        assert_eq!(summary, ["1=1", "2=2", "3!", "4=3"]);
    }
}
