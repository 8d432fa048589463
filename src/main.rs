//! The `vitrine` command: picks a mode, wires the library, turns errors into exit codes.
//!
//! Exit status: 0 success; 1 some records were quarantined (the rest is published);
//! 2 error (nothing new was published). Errors print on one line, prefixed `vitrine:`.

mod cli;
mod convert;
mod handover;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::{Cli, Command, ExportKind};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use vitrine::config::Config;
use vitrine::ingest::{self, Summary};
use vitrine::store::{Answer, Names, QueryOptions, Store};
use vitrine::{scaffold, server};

/// The bulk loader sorts millions of small index keys per batch and frees them at once, and
/// mapping allocates a few short strings per triple on one thread that another frees: with
/// glibc's allocator that was over a third of the ingest time and a quarter of `vitrine map`'s.
///
/// mimalloc is built with its `override` feature, so that it also serves `malloc`/`free` for
/// RocksDB's C++ code. Without it the process had two allocators, and Oxigraph hands RocksDB's
/// error messages (allocated by C's `strdup`) to a Rust `CString`, freed by the global
/// allocator: every storage error — a store held by another process, a full disk — crashed
/// the binary with a segmentation fault in `mi_free` instead of being reported.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        let level = if matches!(cli.command, Command::Serve { .. }) {
            "info"
        } else {
            "warn"
        };
        tracing_subscriber::EnvFilter::new(level)
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("vitrine: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes. The library's errors already say their cause (a library user
/// sees it with `to_string`): a cause is added only when the message does not say it yet.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    if let Command::Init { dir } = &cli.command {
        let config = scaffold::init(dir)?;
        println!(
            "Wrote a starter publisher in {}.\nEdit {}, then run `vitrine ingest` and `vitrine serve` there.",
            dir.display(),
            config.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Map {
        mapping,
        sources,
        base,
        delimiter,
        encoding,
        output,
    } = &cli.command
    {
        let csv = vitrine::mapping::CsvOptions::parse(delimiter.as_deref(), encoding.as_deref())
            .map_err(|e| anyhow::anyhow!("--delimiter/--encoding: {e}"))?;
        return convert::map(mapping, sources, &csv, base, output.as_deref());
    }
    if let Command::Validate {
        shapes,
        data,
        format,
    } = &cli.command
    {
        return validate(shapes, data, format);
    }
    let config = load_config(cli.config)?;
    match cli.command {
        Command::Init { .. } | Command::Map { .. } | Command::Validate { .. } => {
            unreachable!("handled above")
        }
        Command::Ingest { datasets } => {
            if let Some(code) = handover::ingest(&config, &datasets)? {
                return Ok(code);
            }
            let store = open_store(&config, "vitrine ingest")?;
            let summaries = ingest_all(&config, &store, &datasets);
            // Also after an error: the datasets published before it get their dumps.
            let dumps_written = write_dumps(&config, &store);
            finish_drops(&store);
            let code = exit_code(&summaries?);
            Ok(if dumps_written {
                code
            } else {
                ExitCode::from(2)
            })
        }
        Command::Serve { bind } => {
            let store = open_store(&config, "vitrine serve")?;
            if store.published().is_empty() {
                // The dumps are written in the background once the server listens.
                eprintln!("The store is empty: ingesting every dataset first.");
                ingest_all(&config, &store, &[])?;
            }
            let bind = bind.unwrap_or(config.server.bind);
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            eprintln!("Serving {} on http://{bind}/", config.publisher.name);
            runtime
                .block_on(server::serve(server::AppState::new(store, config), bind))
                .with_context(|| format!("cannot serve on {bind}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Status => {
            // Beside a writer that compacts, a table file the reader had not opened yet may be
            // gone by the time it reads it: read again from a fresh open.
            let mut attempt = 0;
            let (store, superseded) = loop {
                let read = open_reader(&config).and_then(|store| {
                    let superseded = superseded_versions(&store)?;
                    Ok((store, superseded))
                });
                match read {
                    Err(e) if attempt < 5 && format!("{e:#}").contains("No such file") => {
                        attempt += 1;
                        std::thread::sleep(std::time::Duration::from_millis(200 * attempt));
                    }
                    other => break other?,
                }
            };
            print_status(&store, superseded)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            what,
            dataset,
            output,
            matches,
            wikidata_endpoint,
            offline,
        } => match what {
            ExportKind::Dumps => {
                if let Some(dataset) = dataset {
                    bail!("`vitrine export dumps` writes every dataset; `{dataset}` is not needed");
                }
                dumps(&config, output)
            }
            ExportKind::Wikidata => {
                let store = open_reader(&config)?;
                let dataset = exported_dataset(&config, &store, dataset.as_deref())?;
                let matches = match &matches {
                    Some(path) => vitrine::reuse::wikidata::Matches::load(path)?,
                    None => Default::default(),
                };
                let wikidata = vitrine::reuse::wikidata::Wikidata::new(&wikidata_endpoint);
                let retrieved = humantime::format_rfc3339(std::time::SystemTime::now()).to_string();
                let export = vitrine::reuse::wikidata::export(
                    &store,
                    dataset,
                    &vitrine::reuse::wikidata::Options {
                        matches: &matches,
                        wikidata: (!offline).then_some(&wikidata),
                        retrieved: &retrieved[..10],
                    },
                )?;
                let mut text = export.lines.join("\n");
                if !text.is_empty() {
                    text.push('\n');
                }
                write_output(output.as_deref(), &text)?;
                eprintln!("licence assumed: {}", export.license);
                eprintln!(
                    "{} items, {} with a Wikidata item; {} statements written ({}), {} already on Wikidata, {} left for a person",
                    export.items,
                    export.matched,
                    export.lines.len(),
                    export
                        .written
                        .iter()
                        .map(|(p, n)| format!("{p} {n}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    export.already,
                    export.conflicts.len()
                );
                if offline {
                    eprintln!(
                        "not checked against Wikidata (--offline): QuickStatements adds the reference to a statement that exists"
                    );
                }
                for conflict in &export.conflicts {
                    eprintln!("  differs: {conflict}");
                }
                for (what, n) in &export.unmatched_values {
                    eprintln!("  no Wikidata item for {what} ({n} items): add it to --matches");
                }
                Ok(ExitCode::SUCCESS)
            }
            ExportKind::Commons => {
                let store = open_reader(&config)?;
                let dataset = exported_dataset(&config, &store, dataset.as_deref())?;
                let sheet = vitrine::reuse::commons::export(&store, &dataset.id)?;
                write_output(output.as_deref(), &sheet.to_csv()?)?;
                eprintln!(
                    "{} images of {} items; {} already on Commons (named in already_on_commons \
                     and kept under their file name, which Pattypan skips), {} to upload",
                    sheet.rows.len(),
                    sheet.items,
                    sheet.on_commons,
                    sheet.rows.len() - sheet.on_commons
                );
                if sheet.without_license > 0 {
                    eprintln!(
                        "  {} new images have no licence template: the data states the record's \
                         licence, not the photograph's; fill `license` before uploading",
                        sheet.without_license
                    );
                }
                if sheet.without_extension > 0 {
                    eprintln!(
                        "  {} new images have URLs naming no image format: give their `name` an \
                         extension (Pattypan needs one to upload from a URL)",
                        sheet.without_extension
                    );
                }
                eprintln!(
                    "Pattypan reads .xls: save the CSV as Excel 97-2003 with its Artwork template \
                     in a second tab; OpenRefine reads the CSV as is"
                );
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::Catalog {
            check,
            url,
            shapes,
            profile,
        } => catalog(&config, check, url, &shapes, &profile),
        Command::Query { query, format } => {
            let store = open_reader(&config)?;
            let results = store.query(&query, &QueryOptions::default())?;
            print_results(results, format.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `vitrine catalog`: the catalogue in Turtle, or its quality score.
fn catalog(
    config: &Config,
    check: bool,
    url: Option<String>,
    shapes: &[PathBuf],
    profile: &str,
) -> Result<ExitCode> {
    use vitrine::catalog::{check as catalogue, dcat::Profile, quality};
    let profile = Profile::named(profile)
        .with_context(|| format!("unknown profile `{profile}`; use dcat-ap-3 or dcat-ap-2"))?;
    if config.catalog.is_none() {
        return Err(catalogue::Error::NoCatalog.into());
    }
    let site = url.unwrap_or_else(|| format!("http://{}/", config.server.bind));
    let site = if site.ends_with('/') {
        site
    } else {
        format!("{site}/")
    };
    let store = open_reader(config)?;
    let triples = catalogue::whole_catalogue(config, &store, &site, profile)?;
    if !check {
        let mut writer = vitrine::vocab::serializer(oxigraph::io::RdfFormat::Turtle)
            .for_writer(std::io::stdout().lock());
        for triple in &triples {
            writer.serialize_triple(triple)?;
        }
        writer.finish()?.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let graph: oxigraph::model::Graph = triples.iter().collect();
    let non_compliant = if shapes.is_empty() {
        None
    } else {
        Some(catalogue::non_compliant(&graph, shapes)?)
    };
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent();
    let status = |url: &str| -> Option<u16> {
        let answer = match agent.head(url).call() {
            Ok(r) if r.status().as_u16() != 405 => Ok(r),
            _ => agent.get(url).header("Range", "bytes=0-0").call(),
        };
        answer.ok().map(|r| r.status().as_u16())
    };
    let report = quality::assess(&quality::Inputs {
        graph: &graph,
        status: &status,
        non_compliant: non_compliant.as_ref(),
    });
    print!("{report}");
    Ok(if report.rating() == quality::Rating::Excellent {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `vitrine validate`: exit 0 when the data conforms, 1 when it does not.
fn validate(shapes: &[PathBuf], data: &[PathBuf], format: &str) -> Result<ExitCode> {
    if !matches!(format, "text" | "turtle") {
        bail!("unknown format `{format}`; use text or turtle");
    }
    let (report, _) = vitrine::validate::validate_files(shapes, data)?;
    let stdout = std::io::stdout().lock();
    if format == "turtle" {
        vitrine::validate::to_turtle(&report, stdout)?;
    } else {
        let mut stdout = stdout;
        write!(stdout, "{}", vitrine::validate::text_summary(&report))?;
    }
    Ok(if report.conforms() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn load_config(explicit: Option<PathBuf>) -> Result<Config> {
    let path = match explicit {
        Some(path) => path,
        None if std::path::Path::new("vitrine.toml").is_file() => PathBuf::from("vitrine.toml"),
        None => {
            let demo = scaffold::demo_config()?;
            eprintln!(
                "No ./vitrine.toml here: using the bundled demo ({}).",
                demo.display()
            );
            demo
        }
    };
    Ok(Config::load(&path)?)
}

/// Opens the store to write it, as `owner`.
fn open_store(config: &Config, owner: &str) -> Result<Store> {
    Ok(Store::open_configured(
        &config.store,
        Names::new(&config.base_iri),
        owner,
    )?)
}

/// Opens the store to read it, without taking it from whoever writes it (a running server, an
/// ingest): what is on disk when it opens.
/// `vitrine export` (dumps): every dataset's and the site's dumps into `output`.
fn dumps(config: &Config, output: Option<PathBuf>) -> Result<ExitCode> {
    let store = open_reader(config)?;
    let dir = output.unwrap_or_else(|| config.store.dumps.clone());
    let ids: Vec<Option<String>> = store
        .published()
        .datasets()
        .iter()
        .map(|d| Some(d.id.clone()))
        .chain([None])
        .collect();
    if ids.len() == 1 {
        bail!("nothing is published yet: run `vitrine ingest` first");
    }
    for id in ids {
        let m = vitrine::catalog::dump::write(&store, &dir, id.as_deref())?;
        for file in [&m.ntriples, &m.turtle] {
            println!(
                "{}  {} bytes  sha256 {}",
                dir.join(&file.path).display(),
                file.bytes,
                file.sha256
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The configured and published dataset an export names.
fn exported_dataset<'c>(
    config: &'c Config,
    store: &Store,
    id: Option<&str>,
) -> Result<&'c vitrine::config::Dataset> {
    let ids = || {
        config
            .datasets
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(id) = id else {
        bail!("name the dataset to export (one of: {})", ids());
    };
    let Some(dataset) = config.dataset(id) else {
        bail!(
            "no dataset `{id}` in {} (datasets: {})",
            config.path.display(),
            ids()
        );
    };
    if store.published().get(id).is_none() {
        bail!("dataset `{id}` is not published yet: run `vitrine ingest {id}` first");
    }
    Ok(dataset)
}

/// Writes `text` to `path`, or to standard output.
fn write_output(path: Option<&std::path::Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

fn open_reader(config: &Config) -> Result<Store> {
    Ok(Store::open_configured_read_only(
        &config.store,
        Names::new(&config.base_iri),
    )?)
}

/// Waits for superseded versions to be dropped before the process exits, showing that it does.
fn finish_drops(store: &Store) {
    if store.pending_drops() == 0 {
        return;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    store.wait_for_drops(&|n| {
        bar.set_message(format!("removing {n} superseded version(s) from the store"));
        bar.tick();
    });
    bar.finish_and_clear();
}

fn ingest_all(config: &Config, store: &Store, ids: &[String]) -> Result<Vec<Summary>> {
    let mut summaries = Vec::new();
    for dataset in config.select(ids)? {
        let bar = progress_bar(&dataset.id);
        let summary = ingest::ingest(config, store, dataset, &|n| {
            if n % 256 == 0 {
                bar.set_position(n);
            }
        });
        bar.finish_and_clear();
        let summary = summary?;
        report(&summary);
        summaries.push(summary);
    }
    Ok(summaries)
}

/// Writes the dumps (and their statistics) of what was just published; false when some were
/// not written. The publication stands if this fails: the catalogue leaves out stale dumps,
/// and `vitrine serve` or `vitrine export` writes them again. The run still ends in error, so
/// a scheduled ingest does not hide a catalogue without its files.
fn write_dumps(config: &Config, store: &Store) -> bool {
    let mut written_all = true;
    match vitrine::catalog::dump::refresh(store, &config.store.dumps) {
        Ok(written) if !written.is_empty() => {
            eprintln!(
                "dumps: {} written in {}",
                written.join(", "),
                config.store.dumps.display()
            );
        }
        Ok(_) => {}
        Err(e) => {
            written_all = false;
            eprintln!(
                "vitrine: the dumps were not written (the datasets are published; `vitrine serve` \
                 or `vitrine export` writes them again): {e}"
            );
        }
    }
    match vitrine::reuse::edm::dump::refresh(store, config) {
        Ok(written) if !written.is_empty() => {
            eprintln!("europeana: {} written", written.join(", "));
        }
        Ok(_) => {}
        Err(e) => {
            written_all = false;
            eprintln!(
                "vitrine: the Europeana dumps were not written (the datasets are published; \
                 `vitrine serve` or `vitrine export` writes them again): {e}"
            );
        }
    }
    written_all
}

/// The spinner shown while a dataset's records are read.
fn progress_bar(dataset: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_prefix(dataset.to_owned());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix}: {human_pos} records ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

fn report(summary: &Summary) {
    report_lines(&summary.report());
}

/// Prints an ingest's summary lines (see [`Summary::report`]).
fn report_lines(lines: &[String]) {
    for line in lines {
        eprintln!("{line}");
    }
}

fn exit_code(summaries: &[Summary]) -> ExitCode {
    if summaries.iter().any(|s| s.records_quarantined > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Versions in the store that are not published any more (not yet dropped).
fn superseded_versions(store: &Store) -> Result<usize> {
    let published = store.published();
    Ok(store
        .versions_stored()?
        .iter()
        .filter(|(id, n)| published.get(id).is_none_or(|d| d.version.number != *n))
        .count())
}

fn print_status(store: &Store, superseded: usize) -> Result<()> {
    let published = store.published();
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header([
        "dataset",
        "graph",
        "version",
        "published",
        "triples",
        "records read",
        "published",
        "quarantined",
    ]);
    for d in published.datasets() {
        table.add_row([
            d.id.clone(),
            d.graph.as_str().to_owned(),
            d.version.number.to_string(),
            d.published.clone(),
            d.counts.triples.to_string(),
            d.counts.records_read.to_string(),
            d.counts.records_published.to_string(),
            d.counts.records_quarantined.to_string(),
        ]);
    }
    let mut stdout = std::io::stdout().lock();
    if published.is_empty() {
        writeln!(stdout, "Nothing is published yet: run `vitrine ingest`.")?;
    } else {
        writeln!(stdout, "{table}")?;
    }
    if superseded > 0 {
        writeln!(
            stdout,
            "{superseded} superseded version(s) still in the store, to be dropped by the process that holds it."
        )?;
    }
    Ok(())
}

fn print_results(results: Answer, format: Option<&str>) -> Result<()> {
    use oxigraph::sparql::results::QueryResultsSerializer;
    use vitrine::formats::{self, Format};
    let mut stdout = std::io::stdout().lock();
    let pick = |offered: &[Format]| -> Result<Format> {
        let name = format.unwrap_or_default();
        Format::named(name, offered).with_context(|| {
            format!(
                "unknown format `{name}` for this query; use {}",
                Format::listed(offered)
            )
        })
    };
    match results {
        Answer::Boolean(value) => match format.unwrap_or("table") {
            "table" => writeln!(stdout, "{value}")?,
            _ => {
                let results = pick(&formats::SOLUTIONS)?
                    .results()
                    .context("not a results format")?;
                QueryResultsSerializer::from_format(results)
                    .serialize_boolean_to_writer(stdout, value)?
                    .flush()?;
            }
        },
        Answer::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            match format.unwrap_or("table") {
                "table" => {
                    let mut table = comfy_table::Table::new();
                    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
                    table.set_header(variables.iter().map(|v| v.as_str()));
                    let mut rows = 0;
                    for solution in solutions {
                        table.add_row(
                            solution?
                                .iter()
                                .map(|t| t.as_ref().map(ToString::to_string).unwrap_or_default()),
                        );
                        rows += 1;
                    }
                    writeln!(stdout, "{table}\n{rows} row(s)")?;
                }
                _ => {
                    let results = pick(&formats::SOLUTIONS)?
                        .results()
                        .context("not a results format")?;
                    let mut writer = QueryResultsSerializer::from_format(results)
                        .serialize_solutions_to_writer(stdout, variables.clone())?;
                    for solution in solutions {
                        let solution = solution?;
                        writer.serialize(
                            variables
                                .iter()
                                .zip(&solution)
                                .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
                        )?;
                    }
                    writer.finish()?.flush()?;
                }
            }
        }
        Answer::Graph(triples) => {
            let rdf = match format {
                None => formats::TURTLE,
                Some(_) => pick(&formats::GRAPHS)?,
            }
            .rdf()
            .context("not an RDF format")?;
            let mut writer = vitrine::vocab::serializer(rdf).for_writer(stdout);
            for triple in triples {
                writer.serialize_triple(&triple?)?;
            }
            writer.finish()?.flush()?;
        }
    }
    Ok(())
}
