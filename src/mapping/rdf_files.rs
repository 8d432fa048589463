//! Datasets given as RDF files (a thesaurus, an authority file, another tool's output): read
//! as they are, as records, so they go through the same validation gate, quarantine and
//! provenance as mapped records.
//!
//! A record is a named subject's statements as the file writes them: consecutive triples about
//! one IRI, with the blank nodes that follow it (Turtle, JSON-LD and RDF/XML write a nested
//! resource right after the statement that points to it). A statement the parser rejects is a
//! record of its own, reported with its line, and the file is read on where the syntax allows
//! (line-based N-Triples and N-Quads; Turtle and TriG from the next statement).
//!
//! Blank nodes are renamed after a salt, the file's position and their order of appearance, so
//! reading the files again (to take quarantined records out) names them the same way. Graph
//! names in N-Quads or TriG files are dropped: a dataset is one graph.

use super::error::{Error, RecordError, RecordPosition};
use super::execute::{Item, MappedRecord};
use crate::config::rdf_format;
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
use rustc_hash::FxHashMap;
use std::io::BufReader;
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
            opened.push(FileRun {
                source: Arc::from(path.as_path()),
                prefix: format!("{}f{index}n", self.salt),
                quads: Box::new(parser.for_reader(BufReader::new(file))),
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

struct FileRun {
    source: Arc<Path>,
    /// Blank nodes are named `{prefix}{n}`.
    prefix: String,
    quads: Box<dyn Iterator<Item = Result<Quad, RdfParseError>>>,
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
        loop {
            let item = match self.pending.take() {
                Some(Pending::Quad(quad)) => Ok(quad),
                Some(Pending::Error(e)) => Err(e),
                None if self.done => break,
                None => match self.quads.next() {
                    None => {
                        self.done = true;
                        break;
                    }
                    Some(Ok(quad)) => Ok(self.quad(quad)),
                    Some(Err(e)) => Err(e),
                },
            };
            match item {
                Ok(quad) => {
                    let starts_record = match (&quad.subject, quads.first()) {
                        (_, None) | (NamedOrBlankNode::BlankNode(_), Some(_)) => false,
                        (subject, Some(first)) => *subject != first.subject,
                    };
                    if starts_record {
                        self.pending = Some(Pending::Quad(quad));
                        break;
                    }
                    quads.push(quad);
                }
                Err(e) => {
                    if !quads.is_empty() {
                        // The statements before the error make a record; the error is the next.
                        self.pending = Some(Pending::Error(e));
                        break;
                    }
                    // An I/O error ends the file; a syntax error ends one statement.
                    if matches!(e, RdfParseError::Io(_)) {
                        self.done = true;
                    }
                    self.record += 1;
                    return Some(Err(RecordError {
                        position: self.position(),
                        field: None,
                        message: e.to_string(),
                    }));
                }
            }
        }
        if quads.is_empty() {
            return None;
        }
        self.record += 1;
        Some(Ok(MappedRecord::from_quads(self.position(), quads)))
    }
}

/// What was read past the end of the record being built.
enum Pending {
    Quad(Quad),
    Error(RdfParseError),
}
