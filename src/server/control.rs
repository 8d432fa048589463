//! The local control socket: `vitrine ingest` hands its work to the running server.
//!
//! RocksDB admits one writer process, and the server is it while the site is up. So a server
//! listens on a Unix socket in the store's folder (`control.sock`, mode 0600), and the CLI,
//! finding it, asks the server to ingest instead of opening the store itself. The server runs
//! the ingest in its own process, readers go on being answered from the previous version until
//! the new one is published, and the CLI shows the same progress and summary, with the same
//! exit status, as a standalone run.
//!
//! Only the store's owner (or root) may use the socket: the file's mode keeps others out, and
//! the peer's credentials are checked too. The socket is never reachable from the network.
//!
//! The protocol is one JSON request line, answered by JSON [`Message`] lines.

use super::AppState;
use crate::config::Config;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The socket's file name in the store folder.
const SOCKET: &str = "control.sock";

/// Where the server of the store in `store_path` listens.
pub fn socket_path(store_path: &Path) -> PathBuf {
    store_path.join(SOCKET)
}

/// What the CLI asks.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Ingest these datasets of the config file at this path (all of them when empty).
    Ingest {
        config: PathBuf,
        datasets: Vec<String>,
    },
}

/// What the server answers, line by line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    /// A dataset's ingest starts.
    Start { dataset: String },
    /// Records read so far in the current dataset.
    Progress { records: u64 },
    /// A dataset is published: the lines of its summary.
    Report { lines: Vec<String> },
    /// Every dataset is done; the exit status the CLI should return.
    Exit { code: u8 },
    /// The ingest failed; nothing more was published. The CLI exits with status 2.
    Error { message: String },
}

/// The ingest the server is running, to refuse a second one with a useful message.
#[derive(Debug, Clone)]
pub(super) struct Running {
    datasets: String,
    since: Instant,
}

pub(super) type Slot = Arc<Mutex<Option<Running>>>;

/// Listens on the store's control socket until the server stops.
pub(super) async fn listen(state: AppState) -> std::io::Result<()> {
    let path = socket_path(&state.config.store.path);
    // This process holds the store: a socket file left there is a dead server's.
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    let owner = std::fs::metadata(&state.config.store.path)?.uid();
    loop {
        let (stream, _) = listener.accept().await?;
        let allowed = stream
            .peer_cred()
            .is_ok_and(|cred| cred.uid() == owner || cred.uid() == 0);
        let Ok(stream) = stream.into_std() else {
            continue;
        };
        if !allowed {
            tracing::warn!("control socket: refused a process of another user");
            continue;
        }
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = serve_one(&state, stream) {
                tracing::warn!("control socket: {e}");
            }
        });
    }
}

fn serve_one(state: &AppState, stream: std::os::unix::net::UnixStream) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = std::io::BufWriter::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut send = |message: &Message| -> std::io::Result<()> {
        serde_json::to_writer(&mut writer, message)?;
        writer.write_all(b"\n")?;
        writer.flush()
    };
    let request: Request = match serde_json::from_str(&line) {
        Ok(r) => r,
        Err(e) => {
            return send(&Message::Error {
                message: format!("not a request this server understands: {e}"),
            });
        }
    };
    let Request::Ingest { config, datasets } = request;
    let running = Running {
        datasets: if datasets.is_empty() {
            "every dataset".into()
        } else {
            datasets.join(", ")
        },
        since: Instant::now(),
    };
    let taken = {
        let mut slot = state
            .ingest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match slot.as_ref() {
            Some(other) => Some(other.clone()),
            None => {
                *slot = Some(running);
                None
            }
        }
    };
    if let Some(other) = taken {
        return send(&Message::Error {
            message: format!(
                "an ingest of this store is already running in `vitrine serve` ({}, for {} s); wait for it to finish",
                other.datasets,
                other.since.elapsed().as_secs()
            ),
        });
    }
    let result = ingest(state, &config, &datasets, &mut send);
    *state
        .ingest
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    match result {
        Ok(code) => send(&Message::Exit { code }),
        Err(message) => send(&Message::Error { message }),
    }
}

/// Runs the ingest the CLI asked for; `Err` is the message for the CLI.
fn ingest(
    state: &AppState,
    config_path: &Path,
    datasets: &[String],
    send: &mut dyn FnMut(&Message) -> std::io::Result<()>,
) -> Result<u8, String> {
    let config = Config::load(config_path).map_err(|e| e.to_string())?;
    let same_store = |a: &Path, b: &Path| {
        std::fs::canonicalize(a)
            .ok()
            .zip(std::fs::canonicalize(b).ok())
            .is_some_and(|(a, b)| a == b)
    };
    if !same_store(&config.store.path, &state.config.store.path) {
        return Err(format!(
            "{} names the store {}, but this server serves {}",
            config_path.display(),
            config.store.path.display(),
            state.config.store.path.display()
        ));
    }
    if config.base_iri != state.config.base_iri {
        return Err(format!(
            "{} changes base_iri to {} (the server publishes under {}); restart `vitrine serve` to change it",
            config_path.display(),
            config.base_iri,
            state.config.base_iri
        ));
    }
    let chosen = config.select(datasets).map_err(|e| e.to_string())?;
    let mut quarantined = false;
    for dataset in chosen {
        // The CLI may have gone away: the ingest still finishes, it just is not watched.
        let _ = send(&Message::Start {
            dataset: dataset.id.clone(),
        });
        let progress = std::cell::RefCell::new(&mut *send);
        let summary = crate::ingest::ingest(&config, &state.store, dataset, &|n| {
            if n % 256 == 0 {
                if let Ok(mut send) = progress.try_borrow_mut() {
                    let _ = send(&Message::Progress { records: n });
                }
            }
        })
        .map_err(|e| e.to_string())?;
        quarantined |= summary.records_quarantined > 0;
        let _ = send(&Message::Report {
            lines: summary.report(),
        });
    }
    let dumps = crate::catalog::dump::refresh(&state.store, &state.config.store.dumps);
    let line = match dumps {
        Ok(written) => format!("dumps: {} written", written.join(", ")),
        Err(e) => format!("vitrine: the dumps were not written: {e}"),
    };
    let _ = send(&Message::Report { lines: vec![line] });
    let europeana = crate::reuse::edm::dump::refresh(&state.store, &state.config);
    let line = match europeana {
        Ok(written) => format!("europeana: {} written", written.join(", ")),
        Err(e) => format!("vitrine: the Europeana dumps were not written: {e}"),
    };
    let _ = send(&Message::Report { lines: vec![line] });
    Ok(u8::from(quarantined))
}
