//! Validation as the gate of publication: which source records a report quarantines, and the
//! report files written for the data team.
//!
//! A result is traced to the records whose triples have its focus node as subject, the records
//! that described that node. A record is quarantined when a node it described has a
//! `sh:Violation`; warnings and infos are reported and the record is published. Tracing by
//! subject means a violation on a shared node (an artist made by many rows) quarantines every
//! row that described it: the data team fixes the artist once.

use super::{ValidationReport, ValidationResult};
use crate::mapping::RecordPosition;
use crate::vocab::compact_or_full;
use oxigraph::model::{NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which records described which nodes, noted while mapping.
#[derive(Debug, Default)]
pub struct Trace {
    sources: Vec<Arc<Path>>,
    /// (index into `sources`, record number) of each noted record, in noting order.
    records: Vec<(u32, u64)>,
    /// Indexes into `records` of the records with triples about each subject.
    subjects: FxHashMap<NamedOrBlankNode, Vec<usize>>,
}

impl Trace {
    /// Notes a record (one that will be published unless validation says otherwise) and the
    /// subjects of its quads; records are numbered in the order they are noted.
    pub fn note<'a>(
        &mut self,
        position: &RecordPosition,
        subjects: impl IntoIterator<Item = NamedOrBlankNodeRef<'a>>,
    ) {
        let source = match self.sources.iter().rposition(|s| *s == position.source) {
            Some(i) => i,
            None => {
                self.sources.push(position.source.clone());
                self.sources.len() - 1
            }
        };
        let index = self.records.len();
        self.records.push((source as u32, position.record));
        let mut previous = None;
        for subject in subjects {
            // A record's quads come grouped by subject: one lookup per subject.
            if previous == Some(subject) {
                continue;
            }
            previous = Some(subject);
            let list = self.subjects.entry(subject.into_owned()).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }

    /// The noted records that described `node`.
    pub fn records_of(&self, node: &Term) -> &[usize] {
        let subject = match node {
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            Term::Literal(_) => return &[],
        };
        self.subjects.get(&subject).map_or(&[], Vec::as_slice)
    }

    /// Where noted record `index` is.
    pub fn position(&self, index: usize) -> RecordPosition {
        let (source, record) = self.records[index];
        RecordPosition {
            source: self.sources[source as usize].clone(),
            record,
        }
    }

    /// The records to quarantine, each with the first violation traced to it.
    pub fn quarantine<'r>(
        &self,
        report: &'r ValidationReport,
    ) -> FxHashMap<usize, &'r ValidationResult> {
        let mut out = FxHashMap::default();
        for result in report.results.iter().filter(|r| r.is_violation()) {
            for &record in self.records_of(&result.focus_node) {
                out.entry(record).or_insert(result);
            }
        }
        out
    }
}

/// What validation did to one dataset, for the summary.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub violations: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Records not published because of a violation.
    pub records_quarantined: u64,
    /// Results per (source shape, constraint component), most frequent first.
    pub by_shape: Vec<(String, String, usize)>,
    /// The first few results of each severity, as one line each, for the terminal.
    pub examples: Vec<String>,
    /// The report files written, when any.
    pub files: Vec<PathBuf>,
}

/// Results of each severity quoted in [`Outcome::examples`].
const EXAMPLES: usize = 3;

impl Outcome {
    pub fn new(report: &ValidationReport, records_quarantined: u64) -> Self {
        let mut counts: FxHashMap<(String, String), usize> = FxHashMap::default();
        let (mut violations, mut warnings, mut infos) = (0, 0, 0);
        let mut examples = Vec::new();
        for r in &report.results {
            let severity = severity(r);
            let seen = match severity {
                "Violation" => &mut violations,
                "Warning" => &mut warnings,
                _ => &mut infos,
            };
            *seen += 1;
            if *seen <= EXAMPLES {
                let path = r.path.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
                examples.push(format!(
                    "{severity}: {}{path}: {}",
                    term_text(&r.focus_node),
                    r.message("en").unwrap_or("(no message)")
                ));
            }
            *counts
                .entry((
                    shape_name(r),
                    compact_or_full(r.source_constraint_component.as_str()),
                ))
                .or_default() += 1;
        }
        let mut by_shape: Vec<(String, String, usize)> =
            counts.into_iter().map(|((s, c), n)| (s, c, n)).collect();
        by_shape.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Self {
            violations,
            warnings,
            infos,
            records_quarantined,
            by_shape,
            examples,
            files: Vec::new(),
        }
    }
}

/// The report as CSV, one row per result and traced record: file, record number, focus node,
/// path, value, severity, message, shape, component. A result traced to no record (its focus
/// node is nobody's subject) has empty file and record cells.
pub fn write_csv(report: &ValidationReport, trace: &Trace, path: &Path) -> std::io::Result<()> {
    let mut out = csv::Writer::from_path(path)?;
    out.write_record([
        "file",
        "record",
        "focus_node",
        "path",
        "value",
        "severity",
        "message",
        "shape",
        "component",
    ])?;
    for r in &report.results {
        let cells = |file: String, record: String| {
            [
                file,
                record,
                term_text(&r.focus_node),
                r.path.as_ref().map(ToString::to_string).unwrap_or_default(),
                r.value.as_ref().map(term_text).unwrap_or_default(),
                severity(r).to_owned(),
                r.message("en").unwrap_or_default().to_owned(),
                shape_name(r),
                compact_or_full(r.source_constraint_component.as_str()),
            ]
        };
        let records = trace.records_of(&r.focus_node);
        if records.is_empty() {
            out.write_record(cells(String::new(), String::new()))?;
        }
        for &record in records {
            let position = trace.position(record);
            out.write_record(cells(
                position.source.display().to_string(),
                position.record.to_string(),
            ))?;
        }
    }
    out.flush()
}

/// A shape as people can find it: its IRI, or for an anonymous property shape its path.
fn shape_name(result: &ValidationResult) -> String {
    match (&result.source_shape, &result.path) {
        (Term::BlankNode(_), Some(path)) => format!("[sh:path {path}]"),
        (shape, _) => compact_or_full(&term_text(shape)),
    }
}

/// `Violation`, `Warning`, `Info` (or a custom severity's local name).
fn severity(result: &ValidationResult) -> &str {
    result
        .severity
        .as_str()
        .rsplit('#')
        .next()
        .unwrap_or_default()
}

/// A term as a spreadsheet shows it: IRIs and literals by their text, blank nodes as `_:id`.
fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
    }
}

/// The quads to take out of the staged graph: what the `quarantined` records (noted-record
/// indexes) made, minus what kept records also made — a triple two records agree on stays
/// published with the one that is kept. `records` replays the mapping's published records in
/// noting order; only kept quads about nodes a quarantined record described are remembered.
pub fn quarantined_quads(
    records: impl Iterator<Item = (usize, Vec<Quad>)>,
    quarantined: &FxHashSet<usize>,
    trace: &Trace,
) -> FxHashSet<Quad> {
    let touched: FxHashSet<&NamedOrBlankNode> = trace
        .subjects
        .iter()
        .filter(|(_, records)| records.iter().any(|r| quarantined.contains(r)))
        .map(|(node, _)| node)
        .collect();
    let mut removed = FxHashSet::default();
    let mut shared = FxHashSet::default();
    for (index, quads) in records {
        if quarantined.contains(&index) {
            removed.extend(quads);
        } else {
            shared.extend(quads.into_iter().filter(|q| touched.contains(&q.subject)));
        }
    }
    removed.retain(|q| !shared.contains(q));
    removed
}
