//! Stage 1 — records to RDF with RML.
//!
//! Consumes a mapping document (RML in Turtle) and the record files it names; produces a stream
//! of quads grouped by source record. Calls no other stage.
//!
//! The mapping is parsed in stages: Turtle → [`model`] (typed triples maps) → [`Executor`]
//! (opens the logical sources and yields [`MappedRecord`]s). A term map may take its value from
//! one of the built-in [`functions`] (RML-FNML). YARRRML files (`.yml`, `.yaml`) are parsed
//! into the same model. A dataset given as RDF files needs no mapping: [`RdfFiles`] reads
//! them as records of the same kind.

mod dialect;
pub mod dwca;
mod error;
mod execute;
pub mod functions;
pub mod model;
mod rdf_files;
mod rml;
mod source;
mod template;
mod yarrrml;

pub use dialect::{CsvDialect, CsvOptions};
pub use error::{Error, RecordError, RecordPosition};
pub use execute::{Coverage, Executor, Item, MappedRecord, Run};
pub use model::Mapping;
pub use rdf_files::{RdfFiles, RdfRun};
pub use rml::SourceResolver;
pub use template::{Encoding, Template, TemplateError};

use std::path::{Path, PathBuf};

impl Mapping {
    /// Reads the mapping at `path`; sources are resolved against the mapping's folder.
    pub fn from_path(path: &Path) -> Result<Self, Error> {
        Self::from_path_with_sources(path, &[])
    }

    /// Reads the mapping at `path`, reading a logical source from the entry of `sources` with the
    /// same file name when there is one, else from the mapping's folder.
    ///
    /// This lets a publisher point a shared mapping at its own export without editing it.
    pub fn from_path_with_sources(path: &Path, sources: &[PathBuf]) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let resolve = |written: &str| resolve_source(written, folder, sources);
        if is_yarrrml(path) {
            return yarrrml::parse(&text, path, &resolve);
        }
        rml::parse(&text, path, &resolve)
    }

    /// Reads every CSV source with `options` over the mapping's dialect: whoever supplies the
    /// files (vitrine.toml, `vitrine map --delimiter`) knows how they are written.
    #[must_use]
    pub fn with_csv_options(mut self, options: &CsvOptions) -> Self {
        for map in &mut self.triples_maps {
            if map.source.formulation == model::Formulation::Csv {
                options.apply(&mut map.source.dialect);
            }
        }
        self
    }

    /// Every distinct file the mapping reads.
    pub fn source_files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = self
            .triples_maps
            .iter()
            .map(|m| m.source.path.as_path())
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }
}

/// YARRRML mappings are YAML files; everything else is read as RML in Turtle.
fn is_yarrrml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// Resolves a source path as written in a mapping: a configured file with the same name first,
/// then the path relative to the mapping's folder, then the bare file name in that folder
/// (conformance suites write paths relative to another tool's folder).
///
/// A mapping reads a Darwin Core Archive through its `meta.xml`: written `meta.xml` (or any
/// `….zip`), it resolves to the configured source that is an archive (a folder holding
/// `meta.xml`, or a `.zip`), so one profile reads any publisher's export, whatever its name.
fn resolve_source(written: &str, folder: &Path, sources: &[PathBuf]) -> PathBuf {
    let name = Path::new(written).file_name();
    let archive_written = name.is_some_and(|n| n == "meta.xml")
        || Path::new(written)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if archive_written {
        if let Some(configured) = sources.iter().find(|s| s.file_name() == name) {
            return configured.clone();
        }
        if let Some(archive) = sources.iter().find(|s| dwca::is_archive(s)) {
            return archive.clone();
        }
        let relative = folder.join(written);
        return match relative.file_name() {
            Some(n) if n == "meta.xml" => relative.parent().unwrap_or(folder).to_path_buf(),
            _ => relative,
        };
    }
    if let Some(configured) = sources.iter().find(|s| s.file_name() == name) {
        return configured.clone();
    }
    let relative = folder.join(written);
    if relative.exists() {
        return relative;
    }
    match name {
        Some(name) if folder.join(name).exists() => folder.join(name),
        _ => relative,
    }
}
