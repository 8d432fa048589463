//! `vitrine map`: a mapping's output streamed to a file or standard output, no store.
//!
//! Records are mapped on worker threads. For the line-based formats (N-Triples, N-Quads) each
//! worker also serialises its records, since writing text is about half of the work; a writer
//! thread then only copies bytes, in source order. Turtle and TriG need one serialiser for the
//! whole document (prefixes, grouping), so their quads go to the writer thread.

mod lines;

use anyhow::{Context, Result};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Quad, QuadRef, TripleRef};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vitrine::mapping::{CsvOptions, Executor, Item, MappedRecord, Mapping};

/// Records per batch handed to the writer thread.
const BATCH: usize = 256;

/// What a mapped record becomes before it is written.
enum Out {
    /// Serialised lines and their number.
    Lines(Vec<u8>, u64),
    /// Quads for the writer thread's serialiser.
    Quads(Vec<Quad>),
    /// The record could not be mapped: its errors.
    Skipped(Vec<String>),
}

pub fn map(
    mapping: &Path,
    sources: &[PathBuf],
    csv: &CsvOptions,
    base: &str,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let format = match output.and_then(|o| o.extension()).and_then(|e| e.to_str()) {
        None => RdfFormat::NQuads,
        Some(extension) => RdfFormat::from_extension(extension).with_context(|| {
            format!(
                "cannot tell the RDF format of {} from its extension",
                output.unwrap_or(mapping).display()
            )
        })?,
    };
    let parsed = Mapping::from_path_with_sources(mapping, sources)?.with_csv_options(csv);
    let run = Executor::new(&parsed, base).run()?;
    let coverage = run.coverage();
    let sink: Box<dyn Write + Send> = match output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    let line_based = matches!(format, RdfFormat::NTriples | RdfFormat::NQuads);
    let serializer = vitrine::vocab::serializer(format);
    let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Out>>(8);
    let writer = std::thread::spawn(move || -> Result<u64> {
        let mut quads = 0u64;
        if line_based {
            let mut sink = std::io::BufWriter::with_capacity(1 << 16, sink);
            for out in received.into_iter().flatten() {
                if let Out::Lines(bytes, n) = out {
                    sink.write_all(&bytes)?;
                    quads += n;
                }
            }
            sink.flush()?;
        } else {
            let mut writer =
                serializer.for_writer(std::io::BufWriter::with_capacity(1 << 16, sink));
            for out in received.into_iter().flatten() {
                if let Out::Quads(record) = out {
                    for quad in &record {
                        write_quad(&mut writer, format, quad)?;
                        quads += 1;
                    }
                }
            }
            writer.finish()?.flush()?;
        }
        Ok(quads)
    });
    let transform = |item: Item| match item {
        Ok(record) if record.errors.is_empty() && line_based => {
            let quads = unique(&record);
            // Lines are rarely longer than that: one allocation per record, not a dozen.
            let mut lines = String::with_capacity(quads.len() * 160);
            let mut n = 0;
            for quad in quads {
                lines::write_line(&mut lines, format, quad);
                n += 1;
            }
            Out::Lines(lines.into_bytes(), n)
        }
        Ok(record) if record.errors.is_empty() => Out::Quads(
            unique(&record)
                .into_iter()
                .map(QuadRef::into_owned)
                .collect(),
        ),
        Ok(record) => Out::Skipped(record.errors.iter().map(ToString::to_string).collect()),
        Err(error) => Out::Skipped(vec![error.to_string()]),
    };
    let (mut records, mut failed) = (0u64, 0u64);
    let mut batch = Vec::with_capacity(BATCH);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    run.map_parallel(threads, transform, |out| {
        records += 1;
        if let Out::Skipped(errors) = &out {
            failed += 1;
            for error in errors {
                eprintln!("vitrine: skipped {error}");
            }
            return true;
        }
        batch.push(out);
        if batch.len() == BATCH {
            // A send fails only when the writer stopped on an error, reported below.
            return batches.send(std::mem::take(&mut batch)).is_ok();
        }
        true
    });
    let _ = batches.send(batch);
    drop(batches);
    let quads = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the output writer stopped unexpectedly"))??;
    eprintln!(
        "{records} records read, {} mapped, {failed} skipped · {quads} quads",
        records - failed
    );
    if records > 0 {
        for unused in coverage.unused() {
            eprintln!("vitrine: warning: {unused} (check the reference's spelling)");
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_quad<W: Write>(
    writer: &mut oxigraph::io::WriterQuadSerializer<W>,
    format: RdfFormat,
    quad: &Quad,
) -> std::io::Result<()> {
    if format.supports_datasets() {
        writer.serialize_quad(quad)
    } else {
        writer.serialize_triple(TripleRef::from(quad.as_ref()))
    }
}

/// A record's quads without repeats; the store drops repeats across records on load.
fn unique<'a>(record: &'a MappedRecord<'_>) -> Vec<QuadRef<'a>> {
    let mut quads: Vec<QuadRef<'a>> = Vec::with_capacity(record.len());
    if record.len() <= 32 {
        // Most records make a dozen quads: comparing with the earlier ones beats hashing.
        // Predicates and objects tell quads of one record apart soonest.
        for q in record.quads() {
            if !quads.iter().any(|p| {
                p.predicate == q.predicate
                    && p.object == q.object
                    && p.subject == q.subject
                    && p.graph_name == q.graph_name
            }) {
                quads.push(q);
            }
        }
    } else {
        let mut seen = rustc_hash::FxHashSet::default();
        quads.extend(record.quads().filter(|q| seen.insert(*q)));
    }
    quads
}
