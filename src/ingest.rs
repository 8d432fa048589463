//! Wires the stages for one dataset: map its records, load them into a staged graph, publish.
//!
//! A record the mapping cannot fully turn into RDF (unreadable row, value that makes an invalid
//! IRI, bad language tag) is quarantined whole: none of its triples are published, and it is
//! reported with its file, record number and field. Published + quarantined = read, always.
//!
//! When the dataset lists shapes, the staged graph is validated before it is published: the
//! records that described a node with a `sh:Violation` are quarantined too (see
//! [`crate::validate::gate`]), and the report is written as CSV and Turtle beside the store and
//! kept in the store for `/validation/{dataset}`.

use crate::config::{Config, Dataset};
use crate::mapping::{self, Executor, Mapping, RecordError};
use crate::store::{self, Provenance, SourceFile, Store};
use crate::validate::{self, ShapesGraph, gate};
use oxigraph::model::{GraphNameRef, Quad};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Why a dataset could not be ingested. Nothing was published; the previous version stays.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The mapping or one of its sources is unusable.
    #[error("dataset `{dataset}`: {source}")]
    Mapping {
        dataset: String,
        source: Box<mapping::Error>,
    },
    /// A file listed in the config is read by no triples map, which is almost always a typo.
    #[error(
        "dataset `{dataset}`: source {} is listed in {} but the mapping {} never reads it (it reads: {reads})",
        path.display(), config.display(), mapping.display()
    )]
    UnusedSource {
        dataset: String,
        path: PathBuf,
        config: PathBuf,
        mapping: PathBuf,
        reads: String,
    },
    /// A file could not be read for its checksum.
    #[error("dataset `{dataset}`: cannot read {}: {source}", path.display())]
    Io {
        dataset: String,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The shapes files are unreadable or not valid SHACL.
    #[error("dataset `{dataset}`: {source}")]
    Shapes {
        dataset: String,
        source: validate::StandaloneError,
    },
    /// Validation could not run to the end; nothing was published.
    #[error("dataset `{dataset}`: validation failed: {source}")]
    Validate {
        dataset: String,
        source: validate::ValidateError,
    },
    /// The report files could not be written.
    #[error("dataset `{dataset}`: cannot write {}: {source}", path.display())]
    Report {
        dataset: String,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The store failed; the previous version is still the published one.
    #[error("dataset `{dataset}`: {source}")]
    Store {
        dataset: String,
        source: store::Error,
    },
}

/// What one ingest did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub dataset: String,
    pub records_read: u64,
    pub records_published: u64,
    pub records_quarantined: u64,
    /// Every record-level error, in source order.
    pub errors: Vec<RecordError>,
    /// Distinct triples in the published graph.
    pub triples: u64,
    /// What SHACL validation found; `None` when the dataset lists no shapes.
    pub validation: Option<gate::Outcome>,
    /// Subject and object maps that made no term for any record: likely typos in the mapping.
    pub unused_term_maps: Vec<String>,
    pub elapsed: Duration,
}

impl Summary {
    /// One line for the terminal.
    pub fn line(&self) -> String {
        format!(
            "{}: {} records read, {} published, {} quarantined · {} triples · {:.2} s",
            self.dataset,
            self.records_read,
            self.records_published,
            self.records_quarantined,
            self.triples,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Adapts a stage error to this dataset.
trait ForDataset<T, E> {
    fn dataset(self, dataset: &str) -> Result<T, Error>;
}

impl<T> ForDataset<T, mapping::Error> for Result<T, mapping::Error> {
    fn dataset(self, dataset: &str) -> Result<T, Error> {
        self.map_err(|source| Error::Mapping {
            dataset: dataset.into(),
            source: Box::new(source),
        })
    }
}

impl<T> ForDataset<T, store::Error> for Result<T, store::Error> {
    fn dataset(self, dataset: &str) -> Result<T, Error> {
        self.map_err(|source| Error::Store {
            dataset: dataset.into(),
            source,
        })
    }
}

/// How a dataset's mapping is run, so that it can be run again with the same result: the
/// blank nodes are named after `salt`, so replaying the run finds the quads of quarantined
/// records as they were loaded.
struct Replay<'a> {
    mapping: &'a Mapping,
    base: &'a str,
    salt: &'a str,
}

impl Replay<'_> {
    fn run(&self) -> Result<mapping::Run<'_>, mapping::Error> {
        Executor::new(self.mapping, self.base)
            .blank_node_salt(self.salt)
            .run()
    }
}

/// Maps, loads and publishes `dataset`. `on_record` is called with the number of records read
/// so far (for a progress display).
pub fn ingest(
    config: &Config,
    store: &Store,
    dataset: &Dataset,
    on_record: &dyn Fn(u64),
) -> Result<Summary, Error> {
    let id = dataset.id.as_str();
    let started = SystemTime::now();
    let clock = Instant::now();
    let mut mapping =
        Mapping::from_path_with_sources(&dataset.mapping, &dataset.sources).dataset(id)?;
    if let Some(options) = &dataset.csv {
        mapping = mapping.with_csv_options(options);
    }
    let read_files = mapping.source_files();
    if let Some(unused) = dataset
        .sources
        .iter()
        .find(|s| !read_files.contains(&s.as_path()))
    {
        return Err(Error::UnusedSource {
            dataset: id.into(),
            path: unused.clone(),
            config: config.path.clone(),
            mapping: dataset.mapping.clone(),
            reads: read_files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let hash = |path: &std::path::Path| {
        SourceFile::read(path).map_err(|source| Error::Io {
            dataset: id.into(),
            path: path.to_owned(),
            source,
        })
    };
    let mapping_file = hash(&dataset.mapping)?;
    let source_files = read_files
        .iter()
        .map(|p| hash(p))
        .collect::<Result<Vec<_>, _>>()?;

    // Shapes are read before anything is mapped: a broken shapes file stops the ingest early.
    let shapes = if dataset.shapes.is_empty() {
        None
    } else {
        Some(
            ShapesGraph::from_files(&dataset.shapes).map_err(|source| Error::Shapes {
                dataset: id.into(),
                source,
            })?,
        )
    };
    let staging = store.stage(id).dataset(id)?;
    // The staged graph's name is unique to this ingest: blank nodes named after it come out
    // the same when the mapping is replayed to take quarantined records out.
    let salt = staging
        .graph()
        .as_str()
        .rsplit('/')
        .next()
        .unwrap_or(id)
        .to_owned();
    let replay = Replay {
        mapping: &mapping,
        base: config.base_iri.as_str(),
        salt: &salt,
    };
    let run = replay.run().dataset(id)?;
    let mut read = 0;
    let mut published = 0;
    let mut errors = Vec::new();
    let mut trace = gate::Trace::default();
    let coverage = run.coverage();
    let quads = run.flat_map(|item| {
        read += 1;
        on_record(read);
        let quads: Vec<Quad> = match item {
            Ok(record) if record.errors.is_empty() => {
                published += 1;
                if shapes.is_some() {
                    trace.note(&record.position, record.quads().map(|q| q.subject));
                }
                record.into_quads()
            }
            Ok(record) => {
                errors.extend(record.errors);
                Vec::new()
            }
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        };
        quads
            .into_iter()
            .map(Ok::<_, oxigraph::store::StorageError>)
    });
    staging
        .load(quads)
        .map_err(store::Error::from)
        .dataset(id)?;
    let validation = match &shapes {
        Some(shapes) => {
            let outcome = gate_staged(config, store, &staging, shapes, &trace, &replay, id)?;
            published -= outcome.0.records_quarantined;
            errors.extend(outcome.1);
            Some(outcome.0)
        }
        None => None,
    };
    let triples = staging.len().dataset(id)?;
    let quarantined = read - published;
    let provenance = Provenance {
        titles: dataset
            .title
            .translations()
            .map(|(lang, t)| (lang.to_owned(), t.to_owned()))
            .collect(),
        license: dataset.license.clone(),
        mapping: mapping_file,
        sources: source_files,
        started,
        ended: SystemTime::now(),
        records_read: read,
        records_published: published,
        record_errors: errors.len() as u64,
        triples,
    };
    staging.publish(&provenance).dataset(id)?;
    Ok(Summary {
        dataset: id.into(),
        records_read: read,
        records_published: published,
        records_quarantined: quarantined,
        errors,
        triples,
        validation,
        unused_term_maps: if read > 0 {
            coverage.unused()
        } else {
            Vec::new()
        },
        elapsed: clock.elapsed(),
    })
}

/// Validates the staged graph, takes the records with violations out of it, and writes and
/// stores the report. Returns the outcome and one error per quarantined record.
fn gate_staged(
    config: &Config,
    store: &Store,
    staging: &store::Staging<'_>,
    shapes: &ShapesGraph,
    trace: &gate::Trace,
    replay: &Replay<'_>,
    id: &str,
) -> Result<(gate::Outcome, Vec<RecordError>), Error> {
    let report = shapes
        .validate_store(
            store.oxigraph(),
            GraphNameRef::NamedNode(staging.graph().as_ref()),
        )
        .map_err(|source| Error::Validate {
            dataset: id.into(),
            source,
        })?;
    let quarantine = trace.quarantine(&report);
    let mut errors: Vec<(usize, RecordError)> = quarantine
        .iter()
        .map(|(&index, result)| {
            let path = result
                .path
                .as_ref()
                .map(|p| format!(" {p}"))
                .unwrap_or_default();
            (
                index,
                RecordError {
                    position: trace.position(index),
                    field: None,
                    message: format!(
                        "sh:Violation on {}{path}: {}",
                        result.focus_node,
                        result.message("en").unwrap_or("(no message)")
                    ),
                },
            )
        })
        .collect();
    errors.sort_by_key(|(index, _)| *index);
    if !quarantine.is_empty() {
        let indexes: FxHashSet<usize> = quarantine.keys().copied().collect();
        // Replay the mapping: the published records come in the order they were noted.
        let replay = replay
            .run()
            .dataset(id)?
            .filter_map(|item| match item {
                Ok(record) if record.errors.is_empty() => Some(record.into_quads()),
                _ => None,
            })
            .enumerate();
        let removed = gate::quarantined_quads(replay, &indexes, trace);
        staging.remove(&removed).dataset(id)?;
    }
    let mut outcome = gate::Outcome::new(&report, quarantine.len() as u64);
    let folder = config
        .store
        .path
        .parent()
        .unwrap_or(Path::new("."))
        .join("reports");
    let write_error = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Report {
            dataset: id.into(),
            path,
            source,
        }
    };
    std::fs::create_dir_all(&folder).map_err(write_error(&folder))?;
    let csv = folder.join(format!("{id}.validation.csv"));
    gate::write_csv(&report, trace, &csv).map_err(write_error(&csv))?;
    let turtle = folder.join(format!("{id}.validation.ttl"));
    std::fs::File::create(&turtle)
        .and_then(|file| validate::to_turtle(&report, std::io::BufWriter::new(file)))
        .map_err(write_error(&turtle))?;
    outcome.files = vec![csv, turtle];
    store
        .save_validation_report(id, &report.to_graph())
        .dataset(id)?;
    Ok((outcome, errors.into_iter().map(|(_, e)| e).collect()))
}
