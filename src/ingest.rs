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
use crate::mapping::{self, Coverage, Executor, Item, Mapping, RdfFiles, RecordError};
use crate::store::{self, Provenance, SourceFile, Stage, Store};
use crate::validate::{self, ShapesGraph, gate};
use oxigraph::model::Quad;
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
    /// The version number published.
    pub version: u64,
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
    /// Every quarantined record with its reasons (see [`write_quarantine`]).
    pub quarantine_report: PathBuf,
    pub elapsed: Duration,
}

impl Summary {
    /// One line for the terminal.
    pub fn line(&self) -> String {
        format!(
            "{}: {} records read, {} published, {} quarantined · {} triples · version {} · {:.2} s",
            self.dataset,
            self.records_read,
            self.records_published,
            self.records_quarantined,
            self.triples,
            self.version,
            self.elapsed.as_secs_f64()
        )
    }
}

/// How many record-level errors and shape counts a report lists before saying "and N more".
const ERRORS_SHOWN: usize = 10;

impl Summary {
    /// The lines the terminal shows after an ingest: the summary line, mapping typos, the
    /// validation outcome and the first quarantined records. The same lines whether the CLI
    /// ran the ingest or handed it to a running server.
    pub fn report(&self) -> Vec<String> {
        let mut lines = vec![self.line()];
        for unused in &self.unused_term_maps {
            lines.push(format!(
                "  mapping: {unused} (check the reference's spelling)"
            ));
        }
        match &self.validation {
            None => lines.push("  validation: no shapes listed, nothing was validated".into()),
            Some(v) => {
                lines.push(format!(
                    "  validation: {} violations, {} warnings, {} infos · {} records quarantined by violations",
                    v.violations, v.warnings, v.infos, v.records_quarantined
                ));
                for (shape, component, n) in v.by_shape.iter().take(ERRORS_SHOWN) {
                    lines.push(format!("    {n:>7}  {shape}  {component}"));
                }
                if v.by_shape.len() > ERRORS_SHOWN {
                    lines.push(format!(
                        "    … and {} more shape/constraint pairs",
                        v.by_shape.len() - ERRORS_SHOWN
                    ));
                }
                for example in &v.examples {
                    lines.push(format!("    e.g. {example}"));
                }
                for file in &v.files {
                    lines.push(format!("  report: {}", file.display()));
                }
            }
        }
        for error in self.errors.iter().take(ERRORS_SHOWN) {
            lines.push(format!("  quarantined: {error}"));
        }
        if self.errors.len() > ERRORS_SHOWN {
            lines.push(format!("  … and {} more", self.errors.len() - ERRORS_SHOWN));
        }
        if !self.errors.is_empty() {
            lines.push(format!(
                "  quarantine report: {}",
                self.quarantine_report.display()
            ));
        }
        lines
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

/// Where a dataset's records come from: a mapping over exports, or RDF files as they are.
enum Records {
    Mapped(Mapping),
    Rdf(RdfFiles),
}

/// How a dataset's records are read, so that they can be read again with the same result: the
/// blank nodes are named after `salt`, so replaying the run finds the quads of quarantined
/// records as they were loaded.
struct Replay<'a> {
    records: &'a Records,
    base: &'a str,
    salt: &'a str,
    /// The IRI prefix of the dataset's files and the folder they are kept in.
    files: (&'a str, &'a Path),
}

/// The records of a run, and which term maps made terms (mapped datasets only).
type Run<'a> = (Box<dyn Iterator<Item = Item<'a>> + 'a>, Option<Coverage>);

impl<'a> Replay<'a> {
    fn run(&self) -> Result<Run<'a>, mapping::Error> {
        Ok(match self.records {
            Records::Mapped(mapping) => {
                let run = Executor::new(mapping, self.base)
                    .blank_node_salt(self.salt)
                    .run()?;
                let coverage = run.coverage();
                // The files a record publishes are kept before it counts as published; a
                // replay checks them again (kept files are not copied twice).
                let (prefix, folder) = self.files;
                let run = run.map(move |item| {
                    item.map(|mut record| {
                        if record.errors.is_empty() {
                            if let Err(e) = crate::files::keep(&record, prefix, folder) {
                                record.errors.push(e);
                            }
                        }
                        record
                    })
                });
                (Box::new(run), Some(coverage))
            }
            Records::Rdf(files) => {
                let run = files.run()?.map(shorten);
                (Box::new(run), None)
            }
        })
    }
}

/// Records read from RDF files borrow nothing: their lifetime shortens to a mapped run's.
fn shorten<'a>(item: Item<'static>) -> Item<'a> {
    item
}

/// Reads the mapping (or checks the RDF files) and hashes every file for provenance.
fn prepare(
    config: &Config,
    dataset: &Dataset,
) -> Result<(Records, Option<SourceFile>, Vec<SourceFile>), Error> {
    let id = dataset.id.as_str();
    let hash = |path: &Path| {
        SourceFile::read(path).map_err(|source| Error::Io {
            dataset: id.into(),
            path: path.to_owned(),
            source,
        })
    };
    let Some(mapping_path) = &dataset.mapping else {
        let files = dataset
            .sources
            .iter()
            .map(|p| hash(p))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok((Records::Rdf(RdfFiles::new(&dataset.sources)), None, files));
    };
    let mut mapping =
        Mapping::from_path_with_sources(mapping_path, &dataset.sources).dataset(id)?;
    if let Some(options) = &dataset.csv {
        mapping = mapping.with_csv_options(options);
    }
    let read_files: Vec<PathBuf> = mapping
        .source_files()
        .into_iter()
        .map(Path::to_path_buf)
        .collect();
    if let Some(unused) = dataset.sources.iter().find(|s| !read_files.contains(s)) {
        return Err(Error::UnusedSource {
            dataset: id.into(),
            path: unused.clone(),
            config: config.path.clone(),
            mapping: mapping_path.clone(),
            reads: read_files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let mapping_file = hash(mapping_path)?;
    let files = read_files
        .iter()
        .map(|p| hash(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Records::Mapped(mapping), Some(mapping_file), files))
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
    let (records, mapping_file, source_files) = prepare(config, dataset)?;

    // Shapes are read before anything is loaded: a broken shapes file stops the ingest early.
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
    let mut stage = store.stage(id).dataset(id)?;
    // The version number is never reused: blank nodes named after it come out the same when
    // the records are read again to take quarantined ones out, and differ from every other
    // version's.
    let salt = format!("{id}v{}", stage.number());
    let files_prefix = crate::files::prefix(config.base_iri.as_str(), id);
    let files_folder = crate::files::folder(&config.store.path);
    let replay = Replay {
        records: &records,
        base: config.base_iri.as_str(),
        salt: &salt,
        files: (&files_prefix, &files_folder),
    };
    let (run, coverage) = replay.run().dataset(id)?;
    let mut read = 0;
    let mut published = 0;
    let mut errors = Vec::new();
    let mut trace = gate::Trace::default();
    let mut quads = run.flat_map(|item| {
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
    });
    stage.load(&mut quads).dataset(id)?;
    drop(quads);
    let validation = match &shapes {
        Some(shapes) => {
            let outcome = gate_staged(config, store, &mut stage, shapes, &trace, &replay, id)?;
            published -= outcome.0.records_quarantined;
            errors.extend(outcome.1);
            Some(outcome.0)
        }
        None => None,
    };
    let triples = stage.len().dataset(id)?;
    let quarantined = read - published;
    let provenance = Provenance {
        titles: dataset
            .title
            .translations()
            .map(|(lang, t)| (lang.to_owned(), t.to_owned()))
            .collect(),
        license: dataset.license.clone(),
        graph: dataset.graph.clone(),
        mapping: mapping_file,
        sources: source_files,
        started,
        ended: SystemTime::now(),
        records_read: read,
        records_published: published,
        record_errors: errors.len() as u64,
        triples,
    };
    let version = stage.publish(&provenance).dataset(id)?.version.number;
    let quarantine_report = reports_folder(config).join(format!("{id}.quarantine.csv"));
    write_quarantine(&errors, &quarantine_report).map_err(|source| Error::Report {
        dataset: id.into(),
        path: quarantine_report.clone(),
        source,
    })?;
    Ok(Summary {
        dataset: id.into(),
        version,
        records_read: read,
        records_published: published,
        records_quarantined: quarantined,
        errors,
        triples,
        validation,
        unused_term_maps: match coverage {
            Some(coverage) if read > 0 => coverage.unused(),
            _ => Vec::new(),
        },
        quarantine_report,
        elapsed: clock.elapsed(),
    })
}

/// Where the reports of an ingest go: `reports/` beside the store.
fn reports_folder(config: &Config) -> PathBuf {
    config
        .store
        .path
        .parent()
        .unwrap_or(Path::new("."))
        .join("reports")
}

/// Writes every record-level error of the run, one line each (a record may have several),
/// so that a data team can fix its export from the list instead of from the first ten lines
/// of a terminal. Written on every ingest, with only its header when nothing was quarantined,
/// so the file never describes an older run.
fn write_quarantine(errors: &[RecordError], path: &Path) -> std::io::Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let mut out = csv::Writer::from_path(path)?;
    out.write_record(["file", "record", "field", "reason"])?;
    for error in errors {
        out.write_record([
            error.position.source.display().to_string().as_str(),
            error.position.record.to_string().as_str(),
            error.field.as_deref().unwrap_or_default(),
            error.message.as_str(),
        ])?;
    }
    out.flush()
}

/// Validates the staged graph, takes the records with violations out of it, and writes and
/// stores the report. Returns the outcome and one error per quarantined record.
fn gate_staged(
    config: &Config,
    store: &Store,
    stage: &mut Stage<'_>,
    shapes: &ShapesGraph,
    trace: &gate::Trace,
    replay: &Replay<'_>,
    id: &str,
) -> Result<(gate::Outcome, Vec<RecordError>), Error> {
    let report = stage.validate(shapes).dataset(id)?;
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
        // Replay the records: the published ones come in the order they were noted.
        let replay = replay
            .run()
            .dataset(id)?
            .0
            .filter_map(|item| match item {
                Ok(record) if record.errors.is_empty() => Some(record.into_quads()),
                _ => None,
            })
            .enumerate();
        let removed: Vec<Quad> = gate::quarantined_quads(replay, &indexes, trace)
            .into_iter()
            .collect();
        stage.remove(&removed).dataset(id)?;
    }
    let mut outcome = gate::Outcome::new(&report, quarantine.len() as u64);
    let folder = reports_folder(config);
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
