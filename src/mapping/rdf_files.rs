//! Datasets given as RDF files (a thesaurus, an authority file, another tool's output): read
//! as they are, as records, so they go through the same validation gate, quarantine and
//! provenance as mapped records.
//!
//! A record is a named subject's statements as the file writes them: consecutive triples about
//! one IRI, with the blank nodes that follow it (Turtle, JSON-LD and RDF/XML write a nested
//! resource right after the statement that points to it).
//!
//! Syntax errors fail a record, never the run. N-Triples and N-Quads are read line by line, so
//! a bad line is a record of its own, reported with its line number, and the lines around it
//! are published. In the other syntaxes a statement cannot be told from the next without
//! parsing, so an error fails the record being read when it occurs (the parser then resumes at
//! the next statement where the syntax allows: Turtle and TriG do, RDF/XML and JSON-LD stop).
//!
//! Blank nodes are renamed after a salt, the file's position and their order of appearance, so
//! reading the files again (to take quarantined records out) names them the same way. Graph
//! names in N-Quads or TriG files are dropped: a dataset is one graph.

use super::error::{Error, RecordError, RecordPosition};
use super::execute::{Item, MappedRecord};
use crate::config::rdf_format;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// RDF files to read as records.
#[must_use]
pub struct RdfFiles {
    files: Vec<PathBuf>,
    salt: String,
}

impl RdfFiles {
    pub fn new(files: &[PathBuf]) -> Self {
        Self {
            files: files.to_vec(),
            salt: "b".into(),
        }
    }

    /// Names blank nodes after `salt` (letters and digits are kept).
    pub fn blank_node_salt(mut self, salt: &str) -> Self {
        self.salt = salt.chars().filter(char::is_ascii_alphanumeric).collect();
        self
    }

    /// Opens every file (an unreadable one stops the run before any record is read).
    pub fn run(&self) -> Result<RdfRun, Error> {
        let mut opened = Vec::new();
        for (index, path) in self.files.iter().enumerate() {
            let format = rdf_format(path).ok_or_else(|| Error::RdfFile {
                path: path.clone(),
                message: "not an RDF file extension".into(),
            })?;
            let file = std::fs::File::open(path).map_err(|e| Error::RdfFile {
                path: path.clone(),
                message: e.to_string(),
            })?;
            let parser = RdfParser::from_format(format)
                .with_base_iri(file_iri(path))
                .map_err(|e| Error::RdfFile {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            let events = if matches!(format, RdfFormat::NTriples | RdfFormat::NQuads) {
                Events::Lines(Box::new(Lines {
                    lines: BufReader::new(file).lines(),
                    parser,
                    line: 0,
                    ready: VecDeque::new(),
                }))
            } else {
                Events::Document(Box::new(parser.for_reader(BufReader::new(file))))
            };
            opened.push(FileRun {
                source: Arc::from(path.as_path()),
                prefix: format!("{}f{index}n", self.salt),
                events,
                blanks: FxHashMap::default(),
                record: 0,
                pending: None,
                done: false,
            });
        }
        Ok(RdfRun {
            files: opened.into_iter(),
            current: None,
        })
    }
}

/// A `file:` IRI for relative IRIs in a file that declares no base.
fn file_iri(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let text = absolute.to_string_lossy();
    let encoded: String = text
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_owned(),
            '%' => "%25".to_owned(),
            '#' => "%23".to_owned(),
            '?' => "%3F".to_owned(),
            c => c.to_string(),
        })
        .collect();
    format!("file://{encoded}")
}

/// The records of every file, in order.
pub struct RdfRun {
    files: std::vec::IntoIter<FileRun>,
    current: Option<FileRun>,
}

impl Iterator for RdfRun {
    type Item = Item<'static>;

    fn next(&mut self) -> Option<Item<'static>> {
        loop {
            if self.current.is_none() {
                self.current = Some(self.files.next()?);
            }
            if let Some(item) = self.current.as_mut().and_then(FileRun::next_record) {
                return Some(item);
            }
            self.current = None;
        }
    }
}

/// What a file's parser yields.
enum Event {
    Quad(Quad),
    /// A syntax or read error; `line` is 1-based where known. `alone`: the error is a record
    /// by itself (a bad line); otherwise it fails the record being read.
    Error {
        message: String,
        line: Option<u64>,
        alone: bool,
    },
}

/// A file's parser: line by line for the line-based syntaxes, else over the whole document.
enum Events {
    Lines(Box<Lines>),
    Document(Box<dyn Iterator<Item = Result<Quad, RdfParseError>>>),
}

/// A line-based file, read a line at a time.
struct Lines {
    lines: std::io::Lines<BufReader<std::fs::File>>,
    parser: RdfParser,
    line: u64,
    ready: VecDeque<Quad>,
}

impl Events {
    fn next(&mut self) -> Option<Event> {
        match self {
            Events::Document(quads) => Some(match quads.next()? {
                Ok(quad) => Event::Quad(quad),
                Err(RdfParseError::Syntax(e)) => Event::Error {
                    line: e.location().map(|l| l.start.line + 1),
                    message: e.to_string(),
                    alone: false,
                },
                Err(e) => Event::Error {
                    message: e.to_string(),
                    line: None,
                    alone: false,
                },
            }),
            Events::Lines(state) => loop {
                let Lines {
                    lines,
                    parser,
                    line,
                    ready,
                } = &mut **state;
                if let Some(quad) = ready.pop_front() {
                    return Some(Event::Quad(quad));
                }
                let text = match lines.next()? {
                    Ok(text) => text,
                    Err(e) => {
                        *line += 1;
                        return Some(Event::Error {
                            message: format!("line {line}: {e}"),
                            line: Some(*line),
                            alone: true,
                        });
                    }
                };
                *line += 1;
                let trimmed = text.trim();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                for quad in parser.clone().for_slice(text.as_bytes()) {
                    match quad {
                        Ok(quad) => ready.push_back(quad),
                        Err(e) => {
                            ready.clear();
                            return Some(Event::Error {
                                // The parser counts lines in the slice it was given: one.
                                message: format!(
                                    "line {line}: {}",
                                    e.to_string().trim_start_matches("Parser error at line 1 ")
                                ),
                                line: Some(*line),
                                alone: true,
                            });
                        }
                    }
                }
            },
        }
    }
}

struct FileRun {
    source: Arc<Path>,
    /// Blank nodes are named `{prefix}{n}`.
    prefix: String,
    events: Events,
    blanks: FxHashMap<BlankNode, BlankNode>,
    /// Records started so far.
    record: u64,
    /// Read past the end of the previous record.
    pending: Option<Pending>,
    done: bool,
}

impl FileRun {
    fn position(&self) -> RecordPosition {
        RecordPosition {
            source: Arc::clone(&self.source),
            record: self.record,
        }
    }

    fn rename(&mut self, node: BlankNode) -> BlankNode {
        let next = self.blanks.len();
        let prefix = &self.prefix;
        self.blanks
            .entry(node)
            .or_insert_with(|| BlankNode::new_unchecked(format!("{prefix}{next}")))
            .clone()
    }

    fn quad(&mut self, quad: Quad) -> Quad {
        let subject = match quad.subject {
            NamedOrBlankNode::BlankNode(b) => self.rename(b).into(),
            named => named,
        };
        let object = match quad.object {
            Term::BlankNode(b) => self.rename(b).into(),
            other => other,
        };
        Quad::new(subject, quad.predicate, object, GraphName::DefaultGraph)
    }

    fn next_record(&mut self) -> Option<Item<'static>> {
        let mut quads: Vec<Quad> = Vec::new();
        let mut errors: Vec<(String, Option<u64>)> = Vec::new();
        loop {
            let event = match self.pending.take() {
                Some(event) => event,
                None if self.done => break,
                None => match self.events.next() {
                    None => {
                        self.done = true;
                        break;
                    }
                    Some(Event::Quad(quad)) => Event::Quad(self.quad(quad)),
                    Some(error) => error,
                },
            };
            match event {
                Event::Quad(quad) => {
                    let starts_record = match (&quad.subject, quads.first()) {
                        (_, None) | (NamedOrBlankNode::BlankNode(_), Some(_)) => false,
                        (subject, Some(first)) => *subject != first.subject,
                    };
                    if starts_record || (!errors.is_empty() && quads.is_empty()) {
                        self.pending = Some(Event::Quad(quad));
                        break;
                    }
                    quads.push(quad);
                }
                Event::Error {
                    message,
                    line,
                    alone,
                } => {
                    // Errors on one line are one fault (a parser may report a bad token twice).
                    let same_line =
                        line.is_some() && errors.last().is_some_and(|(_, l)| *l == line);
                    if same_line {
                        continue;
                    }
                    if alone && !(quads.is_empty() && errors.is_empty()) {
                        self.pending = Some(Event::Error {
                            message,
                            line,
                            alone,
                        });
                        break;
                    }
                    // A bad line starts a record of its own, which the next quad ends.
                    errors.push((message, line));
                }
            }
        }
        if quads.is_empty() && errors.is_empty() {
            return None;
        }
        self.record += 1;
        let errors: Vec<RecordError> = errors
            .into_iter()
            .map(|(message, _)| RecordError {
                position: self.position(),
                field: None,
                message,
            })
            .collect();
        if quads.is_empty() {
            let mut errors = errors.into_iter();
            let first = errors.next()?;
            return Some(Err(first));
        }
        let mut record = MappedRecord::from_quads(self.position(), quads);
        record.errors = errors;
        Some(Ok(record))
    }
}

/// What was read past the end of the record being built.
type Pending = Event;
