//! The metadata graph: which version of each dataset is published, and how each version was
//! made. Written and read the same way by every backend, as plain quads.
//!
//! For a dataset `D` (`{base}dataset/{id}`): its public graph, the current version, the last
//! version number handed out (so numbers are never reused, even after a crash), titles,
//! licence, first and latest publication. For a version `V` (its internal graph IRI): its
//! number, counts, the ingest activity with start and end times, and the files it read with
//! their SHA-256 ([`Provenance`]).

use super::Names;
use super::view::{Counts, Published, PublishedDataset, Version};
use crate::vocab::{dcat, dcterms, prov, rdf, spdx, vitrine, void, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file that went into a version, identified by its content.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Lower-case hexadecimal SHA-256 of the content.
    pub sha256: String,
    pub bytes: u64,
}

impl SourceFile {
    /// Hashes `path` without loading it whole. A folder (a Darwin Core Archive given unzipped)
    /// is hashed as the names and contents of its files, in name order.
    pub fn read(path: &Path) -> std::io::Result<Self> {
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 16];
        let mut bytes = 0;
        let files = if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()?;
            files.retain(|f| f.is_file());
            files.sort();
            files
        } else {
            vec![path.to_owned()]
        };
        for name in &files {
            if path.is_dir() {
                let file_name = name.file_name().unwrap_or_default().to_string_lossy();
                hasher.update(file_name.as_bytes());
                hasher.update([0]);
            }
            let mut file = std::fs::File::open(name)?;
            loop {
                let n = file.read(&mut buffer)?;
                if n == 0 {
                    break;
                }
                bytes += n as u64;
                hasher.update(&buffer[..n]);
            }
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            path: path.to_owned(),
            sha256,
            bytes,
        })
    }

    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What produced one version of a dataset.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Title of the dataset per language tag.
    pub titles: Vec<(String, String)>,
    pub license: NamedNode,
    /// The dataset's public graph.
    pub graph: NamedNode,
    /// The mapping; `None` for a dataset given as RDF files.
    pub mapping: Option<SourceFile>,
    pub sources: Vec<SourceFile>,
    pub started: SystemTime,
    pub ended: SystemTime,
    pub records_read: u64,
    pub records_published: u64,
    /// Record-level errors reported (a record may have several).
    pub record_errors: u64,
    pub triples: u64,
}

fn date_time(t: SystemTime) -> Term {
    Literal::new_typed_literal(
        humantime::format_rfc3339_seconds(t).to_string(),
        xsd::DATE_TIME,
    )
    .into()
}

fn count(n: u64) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into()
}

/// Collects quads of the metadata graph.
struct Writer<'a> {
    graph: &'a NamedNode,
    quads: Vec<Quad>,
}

impl Writer<'_> {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            NamedOrBlankNode::from(s.clone()),
            p,
            o,
            self.graph.clone(),
        ));
    }
}

/// The quads saying that `dataset`'s version `number` is current, replacing every quad about
/// the dataset node (the caller removes those in the same transaction). `first_published` is
/// the earlier first publication, if any.
pub(super) fn publication(
    names: &Names,
    dataset: &str,
    number: u64,
    provenance: &Provenance,
    first_published: Option<&str>,
    previous: Option<&NamedNode>,
) -> Vec<Quad> {
    let meta = names.metadata();
    let mut w = Writer {
        graph: &meta,
        quads: Vec::new(),
    };
    let ds = names.dataset(dataset);
    let version = names.version(dataset, number);
    w.add(&ds, rdf::TYPE, dcat::DATASET);
    for (lang, title) in &provenance.titles {
        if let Ok(l) = Literal::new_language_tagged_literal(title, lang) {
            w.add(&ds, dcterms::TITLE, l);
        }
    }
    w.add(
        &ds,
        dcterms::IDENTIFIER,
        Literal::new_simple_literal(dataset),
    );
    w.add(&ds, dcterms::LICENSE, provenance.license.clone());
    let now = date_time(provenance.ended);
    match first_published {
        Some(first) => w.add(
            &ds,
            dcterms::ISSUED,
            Literal::new_typed_literal(first, xsd::DATE_TIME),
        ),
        None => w.add(&ds, dcterms::ISSUED, now.clone()),
    }
    w.add(&ds, dcterms::MODIFIED, now);
    w.add(&ds, vitrine::PUBLIC_GRAPH, provenance.graph.clone());
    w.add(&ds, vitrine::CURRENT_VERSION, version.clone());
    w.add(&ds, vitrine::LAST_VERSION, count(number));

    let activity = NamedNode::new_unchecked(format!("{}/ingest", version.as_str()));
    w.add(&version, rdf::TYPE, prov::ENTITY);
    w.add(&version, dcterms::IS_VERSION_OF, ds.clone());
    w.add(&version, vitrine::VERSION_NUMBER, count(number));
    w.add(&version, prov::WAS_GENERATED_BY, activity.clone());
    w.add(&version, void::TRIPLES, count(provenance.triples));
    w.add(
        &version,
        vitrine::RECORDS_READ,
        count(provenance.records_read),
    );
    w.add(
        &version,
        vitrine::RECORDS_PUBLISHED,
        count(provenance.records_published),
    );
    w.add(
        &version,
        vitrine::RECORDS_QUARANTINED,
        count(provenance.records_read - provenance.records_published),
    );
    w.add(
        &version,
        vitrine::RECORD_ERRORS,
        count(provenance.record_errors),
    );
    if let Some(previous) = previous {
        w.add(&version, prov::WAS_REVISION_OF, previous.clone());
    }
    w.add(&activity, rdf::TYPE, prov::ACTIVITY);
    w.add(
        &activity,
        prov::STARTED_AT_TIME,
        date_time(provenance.started),
    );
    w.add(&activity, prov::ENDED_AT_TIME, date_time(provenance.ended));
    let files = provenance
        .mapping
        .iter()
        .map(|m| ("mapping", m))
        .chain(provenance.sources.iter().map(|s| ("source", s)));
    for (i, (role, file)) in files.enumerate() {
        let node = NamedNode::new_unchecked(format!("{}/{role}/{i}", version.as_str()));
        let checksum = NamedNode::new_unchecked(format!("{}/sha256", node.as_str()));
        w.add(&activity, prov::USED, node.clone());
        w.add(&node, rdf::TYPE, prov::ENTITY);
        w.add(
            &node,
            dcterms::TITLE,
            Literal::new_simple_literal(file.name()),
        );
        w.add(&node, dcterms::EXTENT, count(file.bytes));
        w.add(&node, spdx::CHECKSUM, checksum.clone());
        w.add(&checksum, rdf::TYPE, spdx::CHECKSUM_CLASS);
        w.add(&checksum, spdx::ALGORITHM, spdx::SHA256);
        w.add(
            &checksum,
            spdx::CHECKSUM_VALUE,
            Literal::new_simple_literal(&file.sha256),
        );
    }
    w.quads
}

/// The quad recording that version numbers up to `number` of `dataset` have been handed out.
pub(super) fn last_version(names: &Names, dataset: &str, number: u64) -> Quad {
    Quad::new(
        names.dataset(dataset),
        vitrine::LAST_VERSION,
        count(number),
        names.metadata(),
    )
}

/// What the metadata graph says about one dataset node.
#[derive(Default)]
struct DatasetFacts {
    graph: Option<NamedNode>,
    current: Option<NamedNode>,
    issued: Option<String>,
    modified: Option<String>,
    last_version: u64,
}

/// What the metadata graph says about one version node.
#[derive(Default)]
struct VersionFacts {
    number: Option<u64>,
    counts: Counts,
}

/// Everything the metadata graph holds, read once.
pub(super) struct Metadata {
    datasets: BTreeMap<String, DatasetFacts>,
    versions: BTreeMap<String, VersionFacts>,
    /// End time of each ingest activity, by activity IRI.
    ended: BTreeMap<String, String>,
}

impl Metadata {
    /// Reads the quads of the metadata graph (their graph names are ignored).
    pub(super) fn read(names: &Names, quads: impl IntoIterator<Item = Quad>) -> Self {
        let mut datasets: BTreeMap<String, DatasetFacts> = BTreeMap::new();
        let mut versions: BTreeMap<String, VersionFacts> = BTreeMap::new();
        let mut ended = BTreeMap::new();
        for quad in quads {
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            let p = quad.predicate.as_ref();
            let literal = match quad.object.as_ref() {
                TermRef::Literal(l) => Some(l.value()),
                _ => None,
            };
            let number = || literal.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            if let Some(id) = names.dataset_id(subject.as_str()) {
                let facts = datasets.entry(id.to_owned()).or_default();
                match (p, &quad.object) {
                    (p, Term::NamedNode(g)) if p == vitrine::PUBLIC_GRAPH => {
                        facts.graph = Some(g.clone());
                    }
                    (p, Term::NamedNode(v)) if p == vitrine::CURRENT_VERSION => {
                        facts.current = Some(v.clone());
                    }
                    (p, _) if p == dcterms::ISSUED => facts.issued = literal.map(str::to_owned),
                    (p, _) if p == dcterms::MODIFIED => {
                        facts.modified = literal.map(str::to_owned);
                    }
                    (p, _) if p == vitrine::LAST_VERSION => {
                        facts.last_version = facts.last_version.max(number());
                    }
                    _ => {}
                }
                continue;
            }
            if p == prov::ENDED_AT_TIME {
                if let Some(value) = literal {
                    ended.insert(subject.as_str().to_owned(), value.to_owned());
                }
                continue;
            }
            if names.parse_version(subject.as_str()).is_none() {
                continue;
            }
            let facts = versions.entry(subject.as_str().to_owned()).or_default();
            let counts = &mut facts.counts;
            match p {
                p if p == vitrine::VERSION_NUMBER => facts.number = Some(number()),
                p if p == void::TRIPLES => counts.triples = number(),
                p if p == vitrine::RECORDS_READ => counts.records_read = number(),
                p if p == vitrine::RECORDS_PUBLISHED => counts.records_published = number(),
                p if p == vitrine::RECORDS_QUARANTINED => counts.records_quarantined = number(),
                p if p == vitrine::RECORD_ERRORS => counts.record_errors = number(),
                _ => {}
            }
        }
        Self {
            datasets,
            versions,
            ended,
        }
    }

    /// The published view: every dataset that has a current version.
    pub(super) fn published(&self, names: &Names) -> Published {
        let mut out = Vec::new();
        for (id, facts) in &self.datasets {
            let Some(current) = &facts.current else {
                continue;
            };
            let version = self.versions.get(current.as_str());
            let number = version
                .and_then(|v| v.number)
                .or_else(|| names.parse_version(current.as_str()).map(|(_, n)| n))
                .unwrap_or(0);
            let published = self
                .ended
                .get(&format!("{}/ingest", current.as_str()))
                .or(facts.modified.as_ref())
                .cloned()
                .unwrap_or_default();
            out.push(PublishedDataset {
                id: id.clone(),
                graph: facts.graph.clone().unwrap_or_else(|| names.graph(id)),
                version: Version {
                    number,
                    graph: current.clone(),
                },
                first_published: facts.issued.clone().unwrap_or_else(|| published.clone()),
                published,
                counts: version.map(|v| v.counts).unwrap_or_default(),
            });
        }
        Published { datasets: out }
    }

    /// The highest version number handed out for `dataset`, from the counter and from the
    /// versions described.
    pub(super) fn last_version(&self, names: &Names, dataset: &str) -> u64 {
        let counter = self.datasets.get(dataset).map_or(0, |d| d.last_version);
        let described = self
            .versions
            .keys()
            .filter_map(|v| names.parse_version(v))
            .filter(|(id, _)| *id == dataset)
            .map(|(_, n)| n)
            .max()
            .unwrap_or(0);
        counter.max(described)
    }

    /// Every dataset the metadata graph mentions, published or not.
    pub(super) fn dataset_ids(&self) -> impl Iterator<Item = &str> {
        self.datasets.keys().map(String::as_str)
    }
}
