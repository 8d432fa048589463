//! `vitrine ingest` beside a running server: the work is handed to the server over the store's
//! control socket, and shown here as if it ran here (same progress, summary and exit status).

use crate::{progress_bar, report_lines};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::process::ExitCode;
use vitrine::config::Config;
use vitrine::server::control::{Message, Request, socket_path};

/// Runs the ingest in the server that holds the store, if one is running; `None` when there is
/// none and the ingest should run here.
pub fn ingest(config: &Config, datasets: &[String]) -> Result<Option<ExitCode>> {
    let Ok(stream) = UnixStream::connect(socket_path(&config.store.path)) else {
        return Ok(None);
    };
    let owner = vitrine::store::Embedded::owner(&config.store.path)
        .unwrap_or_else(|| "vitrine serve".into());
    eprintln!(
        "{owner} holds this store: it runs the ingest and keeps serving the current data until the new version is published."
    );
    let config_path = std::fs::canonicalize(&config.path)
        .with_context(|| format!("cannot resolve {}", config.path.display()))?;
    let mut writer = stream.try_clone()?;
    serde_json::to_writer(
        &mut writer,
        &Request::Ingest {
            config: config_path,
            datasets: datasets.to_vec(),
        },
    )?;
    writer.write_all(b"\n")?;
    writer.flush()?;
    let mut bar = None;
    for line in BufReader::new(stream).lines() {
        let message: Message = serde_json::from_str(&line?)
            .context("the server answered something this vitrine does not understand")?;
        match message {
            Message::Start { dataset } => bar = Some(progress_bar(&dataset)),
            Message::Progress { records } => {
                if let Some(bar) = &bar {
                    bar.set_position(records);
                }
            }
            Message::Report { lines } => {
                if let Some(bar) = bar.take() {
                    bar.finish_and_clear();
                }
                report_lines(&lines);
            }
            Message::Exit { code } => return Ok(Some(ExitCode::from(code))),
            Message::Error { message } => {
                if let Some(bar) = bar.take() {
                    bar.finish_and_clear();
                }
                bail!("{message}");
            }
        }
    }
    bail!("the server stopped before the ingest finished; the previous version is still published")
}
