//! Crash safety, proven by killing: `kill -9` of an ingest at random moments, on its own and
//! inside the server, then checks that the store opens without repair, serves one whole
//! version (never a mix, never empty) and takes the next ingest.
//!
//! Ignored by default (a minute or two); `.ci/run` runs it and prints the `kill loop:` line.
//! `VITRINE_KILLS` sets the number of kills (default 24).

use crate::util::{Server, stderr, vitrine, write};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TRIPLES: usize = 120_000;

/// The dataset's N-Triples for a variant: the same subjects, labels that say which variant.
fn variant(v: usize) -> String {
    let mut nt = String::with_capacity(TRIPLES * 100);
    for i in 0..TRIPLES {
        nt.push_str(&format!(
            "<https://data.example.org/id/big/{}> <http://www.w3.org/2000/01/rdf-schema#label> \"item {i} variant {v}\" .\n",
            i / 4
        ));
    }
    nt
}

/// The published content of the dataset, as a sorted set of N-Triples lines.
fn served(publisher: &Path) -> BTreeSet<String> {
    let out = vitrine(
        publisher,
        &[
            "query",
            "--format",
            "nt",
            "CONSTRUCT { ?s ?p ?o } FROM <https://data.example.org/graph/big> WHERE { ?s ?p ?o }",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A small random generator: the kill moments only need to spread, and the seed is printed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn ingest(publisher: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["ingest", "big"])
        .current_dir(publisher)
        .env_remove("VITRINE_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
#[ignore = "kills the binary a few dozen times (a minute or two); .ci/run runs it"]
fn kill_loop() {
    let kills: usize = std::env::var("VITRINE_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(24);
    let dir = tempfile::tempdir().unwrap();
    let publisher = dir.path();
    write(&publisher.join("data/big.nt"), &variant(0));
    write(
        &publisher.join("vitrine.toml"),
        "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
         [[datasets]]\nid = \"big\"\ntitle = { en = \"Big\" }\nlicense = \"https://example.org/l\"\nsources = [\"data/big.nt\"]\n",
    );
    let contents: Vec<BTreeSet<String>> = (0..2)
        .map(|v| variant(v).lines().map(str::to_owned).collect())
        .collect();
    let started = Instant::now();
    let first = vitrine(publisher, &["ingest"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // Kills land anywhere in an ingest and the drop that follows it.
    let span = started.elapsed().as_millis() as u64 * 2;
    assert_eq!(served(publisher), contents[0]);
    let mut published = 0;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut random = Random(seed);
    let (mut alone, mut in_server, mut new_versions) = (0, 0, 0);
    for kill in 0..kills {
        let next = 1 - published;
        write(&publisher.join("data/big.nt"), &variant(next));
        let wait = Duration::from_millis(random.below(span));
        if kill % 2 == 0 {
            let mut child = ingest(publisher);
            std::thread::sleep(wait);
            let _ = child.kill();
            let _ = child.wait();
            alone += 1;
        } else {
            let mut server = Server::start(publisher);
            let mut child = ingest(publisher);
            std::thread::sleep(wait);
            server.kill();
            // The CLI is told the server stopped; it exits on its own.
            let _ = child.wait();
            in_server += 1;
        }
        // The store opens without repair and serves one whole version.
        let status = vitrine(publisher, &["status"]);
        assert_eq!(
            status.status.code(),
            Some(0),
            "kill {kill} after {wait:?}: {}",
            stderr(&status)
        );
        let now = served(publisher);
        if now == contents[next] {
            published = next;
            new_versions += 1;
        } else {
            assert!(
                now == contents[published],
                "kill {kill} after {wait:?} (seed {seed}): the served graph is neither version ({} triples)",
                now.len()
            );
        }
    }
    // The next ingest succeeds and leaves only its own version behind.
    write(&publisher.join("data/big.nt"), &variant(1 - published));
    let last = vitrine(publisher, &["ingest"]);
    assert_eq!(last.status.code(), Some(0), "{}", stderr(&last));
    assert_eq!(served(publisher), contents[1 - published]);
    let status = String::from_utf8_lossy(&vitrine(publisher, &["status"]).stdout).into_owned();
    assert!(!status.contains("superseded"), "{status}");
    println!(
        "kill loop: {kills} kills survived ({alone} of a standalone ingest, {in_server} of the server during a handed-over ingest; \
         {new_versions} landed after publication), the store opened without repair each time and served one whole version; \
         the next ingest succeeded (seed {seed})"
    );
}
