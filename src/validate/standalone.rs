//! `vitrine validate`: shapes and data from files, like the pyshacl command line.

use super::{DataGraph, LoadError, ShapesError, ShapesGraph, SparqlTarget, ValidateError};
use super::{ValidationReport, report::short};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Graph, GraphName, NamedNode, Triple};
use oxigraph::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why standalone validation could not produce a report.
#[derive(Debug, thiserror::Error)]
pub enum StandaloneError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("bad shapes graph: {0}")]
    Shapes(#[from] ShapesError),
    #[error(transparent)]
    Validate(#[from] ValidateError),
    #[error("cannot set up the SPARQL store: {0}")]
    Store(String),
}

/// The name the shapes graph gets in the in-memory store, for `$shapesGraph`.
const SHAPES_GRAPH: &str = "urn:x-vitrine:shapes-graph";

/// Validates data files against shapes files. A file listed on both sides is parsed once, so
/// its blank nodes are the same in both graphs (W3C test-suite style).
pub fn validate_files(
    shapes: &[PathBuf],
    data: &[PathBuf],
) -> Result<(ValidationReport, ShapesGraph), StandaloneError> {
    let mut shared: Vec<(PathBuf, Vec<Triple>)> = Vec::new();
    let mut shapes_graph = Graph::new();
    for file in shapes {
        let triples = super::read_files(&[file])?;
        shapes_graph.extend(triples.iter().map(Triple::as_ref));
        if data.contains(file) {
            shared.push((file.clone(), triples));
        }
    }
    let shapes = ShapesGraph::new(shapes_graph)?;
    let started = std::time::Instant::now();
    let needs_store = shapes.uses_sparql();
    let mut kept: Vec<Triple> = Vec::new();
    let mut builder = DataGraph::builder();
    for file in data {
        if let Some((_, triples)) = shared.iter().find(|(f, _)| f == file) {
            for t in triples {
                builder.add_triple(t.clone());
            }
            if needs_store {
                kept.extend(triples.iter().cloned());
            }
            continue;
        }
        stream(file, &mut |t| {
            if needs_store {
                kept.push(t.clone());
            }
            builder.add_triple(t);
        })?;
    }
    tracing::debug!(elapsed = ?started.elapsed(), "data parsed");
    let index = builder.finish();
    tracing::debug!(elapsed = ?started.elapsed(), triples = index.len(), "data indexed");
    let report = if needs_store {
        let store = Store::new().map_err(|e| StandaloneError::Store(e.to_string()))?;
        let name = NamedNode::new_unchecked(SHAPES_GRAPH);
        let quads = kept
            .iter()
            .map(|t| {
                t.as_ref()
                    .in_graph(GraphName::DefaultGraph.as_ref())
                    .into_owned()
            })
            .chain(
                shapes
                    .graph()
                    .iter()
                    .map(|t| t.in_graph(name.as_ref()).into_owned()),
            );
        store
            .extend(quads)
            .map_err(|e| StandaloneError::Store(e.to_string()))?;
        drop(kept);
        let target = SparqlTarget {
            store: &store,
            graph: GraphName::DefaultGraph,
            shapes_graph: Some(name),
        };
        shapes.validate(&index, Some(&target))?
    } else {
        shapes.validate(&index, None)?
    };
    tracing::debug!(elapsed = ?started.elapsed(), results = report.results.len(), "validated");
    Ok((report, shapes))
}

/// Parses one RDF file triple by triple, without holding them all. Parsing runs on its own
/// thread, handing over batches, so it overlaps with indexing (about half of the time each).
fn stream(file: &Path, sink: &mut dyn FnMut(Triple)) -> Result<(), LoadError> {
    let name = file.display().to_string();
    let format = super::format_of(file)?;
    let reader = std::fs::File::open(file).map_err(|source| LoadError::Io {
        file: name.clone(),
        source,
    })?;
    let reader = std::io::BufReader::with_capacity(1 << 20, reader);
    const BATCH: usize = 4096;
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Triple>>(16);
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            for quad in RdfParser::from_format(format).for_reader(reader) {
                let quad = quad.map_err(|e| LoadError::Syntax {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
                batch.push(Triple::from(quad));
                if batch.len() == BATCH
                    && send
                        .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    return Ok(());
                }
            }
            let _ = send.send(batch);
            Ok(())
        });
        for batch in receive {
            batch.into_iter().for_each(&mut *sink);
        }
        parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// How many results the text summary lists.
const EXAMPLES: usize = 10;

/// The terminal summary: verdict, counts per severity, component and shape, first results.
pub fn text_summary(report: &ValidationReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "conforms: {}",
        if report.conforms() { "yes" } else { "no" }
    );
    if report.conforms() {
        return out;
    }
    let _ = writeln!(out, "results: {}", report.results.len());
    for (severity, n) in report.by_severity() {
        let _ = writeln!(out, "  {severity}: {n}");
    }
    let mut components: BTreeMap<String, usize> = BTreeMap::new();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    for r in &report.results {
        *components
            .entry(short(r.source_constraint_component.as_str()))
            .or_default() += 1;
        // Anonymous property shapes are named by their path, which people recognise.
        let shape = match (&r.source_shape, &r.path) {
            (oxigraph::model::Term::BlankNode(_), Some(path)) => format!("[sh:path {path}]"),
            (shape, _) => shape.to_string(),
        };
        *shapes.entry(shape).or_default() += 1;
    }
    let _ = writeln!(out, "by component:");
    for (c, n) in &components {
        let _ = writeln!(out, "  {c}: {n}");
    }
    let _ = writeln!(out, "by shape:");
    for (s, n) in &shapes {
        let _ = writeln!(out, "  {s}: {n}");
    }
    let _ = writeln!(out, "first results:");
    for r in report.results.iter().take(EXAMPLES) {
        let _ = write!(
            out,
            "  [{}] {} {}",
            short(r.severity.as_str()),
            r.focus_node,
            short(r.source_constraint_component.as_str())
        );
        if let Some(p) = &r.path {
            let _ = write!(out, " path {p}");
        }
        if let Some(v) = &r.value {
            let _ = write!(out, " value {v}");
        }
        if let Some(m) = r.message("en") {
            let _ = write!(out, ": {m}");
        }
        out.push('\n');
    }
    if report.results.len() > EXAMPLES {
        let _ = writeln!(out, "  … and {} more", report.results.len() - EXAMPLES);
    }
    out
}

/// The `sh:ValidationReport` graph in Turtle.
pub fn to_turtle(report: &ValidationReport, out: impl std::io::Write) -> std::io::Result<()> {
    let mut writer = RdfSerializer::from_format(RdfFormat::Turtle)
        .with_prefix("sh", super::rdf::sh::NS)
        .map_err(std::io::Error::other)?
        .for_writer(out);
    for t in report.to_graph().iter() {
        writer.serialize_triple(t)?;
    }
    writer.finish()?;
    Ok(())
}
