//! SHACL Core and SHACL-SPARQL validation of a graph held in an Oxigraph store.
//!
//! The shapes graph is read once into a [`ShapesGraph`]; the data graph is indexed once into a
//! [`DataGraph`] (from a store's graph, in place, or from parsed files); SPARQL-based
//! constraints run on the store itself through [`SparqlTarget`]. The result is a
//! [`ValidationReport`], whose results carry the focus node and severity the ingest pipeline
//! needs to quarantine records, and which renders as the spec's `sh:ValidationReport` graph.
//!
//! ```
//! use oxigraph::io::RdfFormat;
//! use vitrine::validate::{DataGraph, ShapesGraph, parse_graph};
//! let shapes = parse_graph(br#"@prefix sh: <http://www.w3.org/ns/shacl#> .
//!     @prefix ex: <http://example.org/> .
//!     ex:S a sh:NodeShape ; sh:targetClass ex:Person ;
//!       sh:property [ sh:path ex:name ; sh:minCount 1 ] ."#, RdfFormat::Turtle, "shapes")?;
//! let data = parse_graph(b"<http://example.org/p> a <http://example.org/Person> .",
//!     RdfFormat::Turtle, "data")?;
//! let shapes = ShapesGraph::new(shapes)?;
//! let data = DataGraph::from_triples(data.iter().map(|t| t.into_owned()));
//! let report = shapes.validate(&data, None)?;
//! assert_eq!(report.results.len(), 1);
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

mod constraints;
mod data;
mod engine;
mod execute;
pub mod gate;
mod path;
mod rdf;
mod report;
mod shapes;
mod sparql;
mod standalone;
mod values;

pub use data::{Builder as DataGraphBuilder, DataGraph};
pub use path::PropertyPath;
pub use report::{ValidationReport, ValidationResult};
pub use shapes::ShapesGraph;
pub use standalone::{StandaloneError, text_summary, to_turtle, validate_files};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphName, GraphNameRef, NamedNode, Triple};
use oxigraph::store::{StorageError, Store};
use std::path::Path;

/// The shapes graph is not valid SHACL (or uses what we do not support).
#[derive(Debug, thiserror::Error)]
pub enum ShapesError {
    #[error("shape {shape}: {why}")]
    Shape { shape: String, why: String },
    #[error("path {node}: {why}")]
    BadPath { node: String, why: String },
    #[error("SPARQL in {node}: {why}")]
    Sparql { node: String, why: String },
}

/// Validation could not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("the shapes use SPARQL constraints, but no store was given to run them on")]
    NoStore,
    #[error("SPARQL query of {node} failed: {message}")]
    Query { node: String, message: String },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// An RDF file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("cannot tell the RDF format of {file} from its extension")]
    Format { file: String },
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
}

/// Where SPARQL-based constraints run: the store holding the data graph, which graph of it,
/// and (optionally) the named graph holding the shapes, for `$shapesGraph`.
pub struct SparqlTarget<'a> {
    pub store: &'a Store,
    pub graph: GraphName,
    pub shapes_graph: Option<NamedNode>,
}

impl ShapesGraph {
    /// Validates an indexed data graph. `sparql` is needed only when [`Self::uses_sparql`].
    pub fn validate(
        &self,
        data: &DataGraph,
        sparql: Option<&SparqlTarget<'_>>,
    ) -> Result<ValidationReport, ValidateError> {
        if sparql.is_none() && self.uses_sparql() {
            return Err(ValidateError::NoStore);
        }
        engine::Run::new(self, data, sparql).validate()
    }

    /// Validates one graph of `store` in place (the pipeline's staged named graph).
    pub fn validate_store(
        &self,
        store: &Store,
        graph: GraphNameRef<'_>,
    ) -> Result<ValidationReport, ValidateError> {
        let data = DataGraph::from_store(store, graph)?;
        let target = SparqlTarget {
            store,
            graph: graph.into_owned(),
            shapes_graph: None,
        };
        self.validate(&data, Some(&target))
    }
}

impl ShapesGraph {
    /// Reads shapes files (format by extension), for the pipeline's per-dataset `shapes` list.
    pub fn from_files(files: &[impl AsRef<Path>]) -> Result<Self, StandaloneError> {
        let triples = read_files(files)?;
        Ok(Self::new(triples.iter().map(Triple::as_ref).collect())?)
    }
}

/// Parses RDF bytes (`name` is used in errors).
pub fn parse_graph(bytes: &[u8], format: RdfFormat, name: &str) -> Result<Graph, LoadError> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format).for_slice(bytes) {
        let quad = quad.map_err(|e| LoadError::Syntax {
            file: name.to_owned(),
            message: e.to_string(),
        })?;
        graph.insert(&Triple::from(quad));
    }
    Ok(graph)
}

/// The RDF format of a file, from its extension.
fn format_of(file: &Path) -> Result<RdfFormat, LoadError> {
    file.extension()
        .and_then(|e| e.to_str())
        .and_then(RdfFormat::from_extension)
        .ok_or_else(|| LoadError::Format {
            file: file.display().to_string(),
        })
}

/// Parses RDF files into triples, the format guessed from each extension. Blank nodes keep the
/// labels the parser gives them, so one file read as both shapes and data shares its nodes.
pub fn read_files(files: &[impl AsRef<Path>]) -> Result<Vec<Triple>, LoadError> {
    let mut triples = Vec::new();
    for file in files {
        let file = file.as_ref();
        let name = file.display().to_string();
        let format = format_of(file)?;
        let bytes = std::fs::read(file).map_err(|source| LoadError::Io {
            file: name.clone(),
            source,
        })?;
        let base = format!(
            "file://{}",
            std::path::absolute(file)
                .unwrap_or(file.to_path_buf())
                .display()
        );
        let parser = RdfParser::from_format(format)
            .with_base_iri(&base)
            .unwrap_or_else(|_| RdfParser::from_format(format));
        for quad in parser.for_slice(&bytes) {
            let quad = quad.map_err(|e| LoadError::Syntax {
                file: name.clone(),
                message: e.to_string(),
            })?;
            triples.push(Triple::from(quad));
        }
    }
    Ok(triples)
}
