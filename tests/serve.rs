//! The store's owner processes, through the real binary: re-ingest while the site is served,
//! concurrent readers, one ingest at a time, and storage errors reported (never a crash).

use crate::util::{Server, http_get, open, stderr, urlencode, vitrine, write};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use vitrine::config::Config;

/// A demo publisher written to a temporary folder and ingested by the binary.
fn publisher() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    let ingest = vitrine(&publisher, &["ingest"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    (dir, publisher)
}

/// The triples of the events dataset, as the endpoint counts them.
fn events_count(addr: &str) -> Option<u64> {
    let query = "SELECT (COUNT(*) AS ?n) FROM <https://data.example.org/graph/events> { ?s ?p ?o }";
    let (status, body) = http_get(
        addr,
        &format!("/sparql?format=csv&query={}", urlencode(query)),
    )
    .ok()?;
    (status == 200).then(|| body.lines().nth(1)?.trim().parse().ok())?
}

/// Removes the last `n` rows of a CSV file.
fn drop_rows(path: &Path, n: usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    write(path, &(lines[..lines.len() - n].join("\n") + "\n"));
}

/// `vitrine ingest` beside `vitrine serve` hands the work to the server: the site stays up,
/// a reader sees the old count or the new one and nothing else, and the CLI shows the usual
/// summary and exit status.
#[test]
fn reingest_through_a_running_server_with_a_reader() {
    let (_dir, publisher) = publisher();
    let server = Server::start(&publisher);
    let before = events_count(&server.addr).expect("the endpoint answers");
    let seen = Arc::new(std::sync::Mutex::new(BTreeSet::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (seen, stop, addr) = (seen.clone(), stop.clone(), server.addr.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(Ordering::SeqCst) {
                seen.lock().unwrap().insert(events_count(&addr));
                reads += 1;
            }
            reads
        })
    };
    drop_rows(&publisher.join("data/events.csv"), 5);
    let ingest = vitrine(&publisher, &["ingest", "events"]);
    let err = stderr(&ingest);
    assert_eq!(ingest.status.code(), Some(0), "{err}");
    assert!(
        err.contains("holds this store: it runs the ingest"),
        "{err}"
    );
    assert!(
        err.contains("events: 83 records read, 83 published, 0 quarantined"),
        "{err}"
    );
    let after = events_count(&server.addr).unwrap();
    stop.store(true, Ordering::SeqCst);
    let reads = reader.join().unwrap();
    assert!(after < before, "{after} < {before}");
    let seen = seen.lock().unwrap().clone();
    assert!(reads > 1, "the reader ran during the ingest");
    assert!(
        seen.iter().all(|c| *c == Some(before) || *c == Some(after)),
        "only the old and the new count: {seen:?} (old {before}, new {after})"
    );
    // Readers of the store beside the server: query and status read it without taking it.
    let query = vitrine(
        &publisher,
        &[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) FROM <https://data.example.org/graph/events> { ?s ?p ?o }",
        ],
    );
    assert_eq!(query.status.code(), Some(0), "{}", stderr(&query));
    assert_eq!(
        String::from_utf8_lossy(&query.stdout),
        format!("n\r\n{after}\r\n")
    );
    let status = vitrine(&publisher, &["status"]);
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("https://data.example.org/graph/events")
    );
    // An unknown dataset is an error from the server too, with the CLI's exit status.
    let unknown = vitrine(&publisher, &["ingest", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no dataset `nope`"),
        "{}",
        stderr(&unknown)
    );
}

/// A big RDF-file dataset, slow enough to be caught in the middle of its ingest.
fn add_big_dataset(publisher: &Path, triples: usize) {
    let mut nt = String::with_capacity(triples * 90);
    for i in 0..triples {
        nt.push_str(&format!(
            "<https://data.example.org/id/big/{}> <http://www.w3.org/2000/01/rdf-schema#label> \"item {i}\" .\n",
            i / 4
        ));
    }
    write(&publisher.join("data/big.nt"), &nt);
    let config = publisher.join("vitrine.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "\n[[datasets]]\nid = \"big\"\ntitle = { fr = \"Gros\", en = \"Big\" }\ndescription = { fr = \"Des libellés\", en = \"Labels\" }\nlicense = \"https://example.org/l\"\nsources = [\"data/big.nt\"]\n",
    );
    write(&config, &text);
}

/// Two ingests of one store at once: the second is refused with a clear message, whether the
/// first runs in the server or on its own.
#[test]
fn a_second_ingest_is_refused() {
    let (_dir, publisher) = publisher();
    add_big_dataset(&publisher, 400_000);
    let server = Server::start(&publisher);
    let first = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["ingest", "big"])
        .current_dir(&publisher)
        .env_remove("VITRINE_CONFIG")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let second = vitrine(&publisher, &["ingest", "events"]);
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("big: 100000 records read, 100000 published"),
        "{}",
        stderr(&first)
    );
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(
        err.contains("an ingest of this store is already running in `vitrine serve` (big,"),
        "{err}"
    );
    drop(server);

    // Without a server: the store is held by the first process, and the second says by whom.
    let config = Config::load(&publisher.join("vitrine.toml")).unwrap();
    let held = open(&config);
    let refused = vitrine(&publisher, &["ingest", "events"]);
    let err = stderr(&refused);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "is in use by vitrine tests (pid {}); wait for it to finish, or stop it first",
            std::process::id()
        )),
        "{err}"
    );
    let serve = vitrine(&publisher, &["serve", "--bind", "127.0.0.1:0"]);
    assert_eq!(serve.status.code(), Some(2), "{}", stderr(&serve));
    assert!(stderr(&serve).contains("is in use by vitrine tests"));
    drop(held);
}

/// A store that cannot be opened is an error with exit status 2 and a message, never a crash.
#[test]
fn an_unreadable_store_is_reported() {
    let (_dir, publisher) = publisher();
    let store = publisher.join("store");
    // Damaged: the file naming the current manifest points nowhere.
    write(&store.join("CURRENT"), "MANIFEST-999999\n");
    for args in [&["ingest"][..], &["query", "ASK {}"], &["status"]] {
        let out = vitrine(&publisher, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("vitrine: cannot open the store at "),
            "{args:?}: {err}"
        );
    }
    // Not a folder at all.
    std::fs::remove_dir_all(&store).unwrap();
    write(&store, "not a store");
    let out = vitrine(&publisher, &["ingest"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("vitrine: cannot open the store at "),
        "{}",
        stderr(&out)
    );
}
