//! The `vitrine` command: picks a mode, wires the library, turns errors into exit codes.
//!
//! Exit status: 0 success; 1 some records were quarantined (the rest is published);
//! 2 error (nothing new was published). Errors print on one line, prefixed `vitrine:`.

mod cli;
mod convert;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::{Cli, Command};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::sparql::QueryResults;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use vitrine::config::Config;
use vitrine::ingest::{self, Summary};
use vitrine::store::Store;
use vitrine::{scaffold, server};

/// The bulk loader sorts millions of small index keys per batch and frees them at once, and
/// mapping allocates a few short strings per triple on one thread that another frees: with
/// glibc's allocator that was over a third of the ingest time and a quarter of `vitrine map`'s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many record-level errors the terminal summary lists before saying "and N more".
const ERRORS_SHOWN: usize = 10;

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
            eprintln!("vitrine: {e:#}");
            ExitCode::from(2)
        }
    }
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
            let store = open_store(&config)?;
            let summaries = ingest_all(&config, &store, &datasets)?;
            Ok(exit_code(&summaries))
        }
        Command::Serve { bind } => {
            let store = open_store(&config)?;
            if !store.has_published_data()? {
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
        Command::Query { query, format } => {
            let store = open_store(&config)?;
            let results = store.query(&query, None)?;
            print_results(results, format.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
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

fn open_store(config: &Config) -> Result<Store> {
    std::fs::create_dir_all(&config.store.path)
        .with_context(|| format!("cannot create {}", config.store.path.display()))?;
    Ok(Store::open(&config.store.path, &config.base_iri)?)
}

fn ingest_all(config: &Config, store: &Store, ids: &[String]) -> Result<Vec<Summary>> {
    let datasets: Vec<_> = if ids.is_empty() {
        config.datasets.iter().collect()
    } else {
        ids.iter()
            .map(|id| {
                config.dataset(id).with_context(|| {
                    format!(
                        "no dataset `{id}` in {} (it has: {})",
                        config.path.display(),
                        config
                            .datasets
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            })
            .collect::<Result<_>>()?
    };
    if datasets.is_empty() {
        bail!("{} declares no dataset", config.path.display());
    }
    let mut summaries = Vec::new();
    for dataset in datasets {
        let bar = ProgressBar::new_spinner().with_prefix(dataset.id.clone());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix}: {human_pos} records ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
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

fn report(summary: &Summary) {
    eprintln!("{}", summary.line());
    for unused in &summary.unused_term_maps {
        eprintln!("  mapping: {unused} (check the reference's spelling)");
    }
    match &summary.validation {
        None => eprintln!("  validation: no shapes listed, nothing was validated"),
        Some(v) => {
            eprintln!(
                "  validation: {} violations, {} warnings, {} infos · {} records quarantined by violations",
                v.violations, v.warnings, v.infos, v.records_quarantined
            );
            for (shape, component, n) in v.by_shape.iter().take(ERRORS_SHOWN) {
                eprintln!("    {n:>7}  {shape}  {component}");
            }
            if v.by_shape.len() > ERRORS_SHOWN {
                eprintln!(
                    "    … and {} more shape/constraint pairs",
                    v.by_shape.len() - ERRORS_SHOWN
                );
            }
            for example in &v.examples {
                eprintln!("    e.g. {example}");
            }
            for file in &v.files {
                eprintln!("  report: {}", file.display());
            }
        }
    }
    for error in summary.errors.iter().take(ERRORS_SHOWN) {
        eprintln!("  quarantined: {error}");
    }
    if summary.errors.len() > ERRORS_SHOWN {
        eprintln!("  … and {} more", summary.errors.len() - ERRORS_SHOWN);
    }
}

fn exit_code(summaries: &[Summary]) -> ExitCode {
    if summaries.iter().any(|s| s.records_quarantined > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_results(results: QueryResults<'static>, format: Option<&str>) -> Result<()> {
    use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
    use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
    let mut stdout = std::io::stdout().lock();
    let results_format = |name: &str| match name {
        "json" => Ok(QueryResultsFormat::Json),
        "xml" => Ok(QueryResultsFormat::Xml),
        "csv" => Ok(QueryResultsFormat::Csv),
        "tsv" => Ok(QueryResultsFormat::Tsv),
        other => bail!("unknown format `{other}` for SELECT/ASK; use table, json, xml, csv or tsv"),
    };
    match results {
        QueryResults::Boolean(value) => match format.unwrap_or("table") {
            "table" => writeln!(stdout, "{value}")?,
            name => {
                QueryResultsSerializer::from_format(results_format(name)?)
                    .serialize_boolean_to_writer(stdout, value)?
                    .flush()?;
            }
        },
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            match format.unwrap_or("table") {
                "table" => {
                    let mut table = comfy_table::Table::new();
                    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
                    table.set_header(variables.iter().map(|v| v.as_str()));
                    let mut rows = 0;
                    for solution in solutions {
                        let solution = solution?;
                        table.add_row(
                            variables.iter().map(|v| {
                                solution.get(v).map(ToString::to_string).unwrap_or_default()
                            }),
                        );
                        rows += 1;
                    }
                    writeln!(stdout, "{table}\n{rows} row(s)")?;
                }
                name => {
                    let mut writer = QueryResultsSerializer::from_format(results_format(name)?)
                        .serialize_solutions_to_writer(stdout, variables)?;
                    for solution in solutions {
                        writer.serialize(&solution?)?;
                    }
                    writer.finish()?.flush()?;
                }
            }
        }
        QueryResults::Graph(triples) => {
            let rdf = match format.unwrap_or("ttl") {
                "ttl" | "turtle" => RdfFormat::Turtle,
                "nt" => RdfFormat::NTriples,
                "jsonld" => RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                },
                "rdf" => RdfFormat::RdfXml,
                other => bail!(
                    "unknown format `{other}` for CONSTRUCT/DESCRIBE; use ttl, nt, jsonld or rdf"
                ),
            };
            let mut serializer = RdfSerializer::from_format(rdf);
            for (prefix, ns) in vitrine::vocab::PREFIXES {
                serializer = serializer.with_prefix(*prefix, *ns)?;
            }
            let mut writer = serializer.for_writer(stdout);
            for triple in triples {
                writer.serialize_triple(&triple?)?;
            }
            writer.finish()?.flush()?;
        }
    }
    Ok(())
}
