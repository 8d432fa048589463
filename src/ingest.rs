//! Wires the stages for one dataset: map its records, load them into a staged graph, publish.
//!
//! A record the mapping cannot fully turn into RDF (unreadable row, value that makes an invalid
//! IRI, bad language tag) is quarantined whole: none of its triples are published, and it is
//! reported with its file, record number and field. Published + quarantined = read, always.

use crate::config::{Config, Dataset};
use crate::mapping::{self, Executor, Mapping, RecordError};
use crate::store::{self, Provenance, SourceFile, Store};
use oxigraph::model::Quad;
use std::path::PathBuf;
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
    let mapping =
        Mapping::from_path_with_sources(&dataset.mapping, &dataset.sources).dataset(id)?;
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

    let run = Executor::new(&mapping, config.base_iri.as_str())
        .run()
        .dataset(id)?;
    let staging = store.stage(id).dataset(id)?;
    let mut read = 0;
    let mut published = 0;
    let mut errors = Vec::new();
    let quads = run.flat_map(|item| {
        read += 1;
        on_record(read);
        let quads: Vec<Quad> = match item {
            Ok(record) if record.errors.is_empty() => {
                published += 1;
                record.quads
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
        elapsed: clock.elapsed(),
    })
}
