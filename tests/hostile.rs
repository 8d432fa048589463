//! Hostile exports through the real binary: a corpus of more than a thousand bad records mixed
//! into good ones, in CSV, a JSON document, JSON Lines and XML (`tests/hostile/make_corpus.py`
//! writes it, with what must happen to every record). Nothing may be lost: each record is
//! published intact or listed in the quarantine report with its file and record number, the
//! counts add up, the exit status says records were quarantined, and nothing panics.

use crate::util::{stderr, vitrine};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

/// Writes the corpus into `dir` with the project's generator.
fn make_corpus(dir: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/make_corpus.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .output()
        .expect("python3 runs the corpus generator");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The rows of `vitrine query … --format csv`, header left out.
fn query(dir: &Path, sparql: &str) -> Vec<csv::StringRecord> {
    let out = vitrine(dir, &["query", sparql, "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    csv::Reader::from_reader(out.stdout.as_slice())
        .into_records()
        .map(Result::unwrap)
        .collect()
}

/// `dataset: R records read, P published, Q quarantined` from the summary.
fn counts(summary: &str, dataset: &str) -> (u64, u64, u64) {
    let line = summary
        .lines()
        .find(|l| l.starts_with(&format!("{dataset}: ")))
        .unwrap_or_else(|| panic!("no summary line for {dataset}:\n{summary}"));
    let numbers: Vec<u64> = line
        .split([' ', ','])
        .filter_map(|w| w.parse().ok())
        .take(3)
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

#[test]
fn a_thousand_hostile_records_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let expected = make_corpus(dir);
    let ingest = vitrine(dir, &["ingest"]);
    let summary = stderr(&ingest);
    assert_eq!(
        ingest.status.code(),
        Some(1),
        "records were quarantined:\n{summary}"
    );
    assert!(!summary.contains("panicked"), "{summary}");

    let published: HashSet<String> = query(
        dir,
        "SELECT ?id WHERE { ?s <http://purl.org/dc/terms/identifier> ?id }",
    )
    .iter()
    .map(|row| row[0].to_owned())
    .collect();
    let mut hostile = 0;
    for (dataset, expected) in expected.as_object().unwrap() {
        let records = expected["records"].as_array().unwrap();
        let (read, published_count, quarantined_count) = counts(&summary, dataset);
        assert_eq!(read, records.len() as u64, "{dataset}: every record read");
        assert_eq!(read, published_count + quarantined_count, "{dataset}");

        // Every quarantined record is listed with its file, record number and a reason.
        let report = dir.join(format!("reports/{dataset}.quarantine.csv"));
        let mut listed: HashMap<u64, Vec<String>> = HashMap::new();
        for row in csv::Reader::from_path(&report).unwrap().into_records() {
            let row = row.unwrap();
            assert!(
                row[0].ends_with(expected["file"].as_str().unwrap()),
                "{row:?}"
            );
            assert!(!row[3].is_empty(), "a reason: {row:?}");
            listed
                .entry(row[1].parse().unwrap())
                .or_default()
                .push(row[3].to_owned());
        }
        assert_eq!(
            listed.len() as u64,
            quarantined_count,
            "{dataset}: {report:?}"
        );

        for record in records {
            let number = record["record"].as_u64().unwrap();
            let kind = record["kind"].as_str().unwrap();
            let id = record["id"].as_str();
            hostile += u64::from(kind != "good");
            match record["expect"].as_str().unwrap() {
                "published" => {
                    assert!(
                        !listed.contains_key(&number),
                        "{dataset} record {number} ({kind}) must be published: {:?}",
                        listed.get(&number)
                    );
                    assert!(
                        published.contains(id.unwrap()),
                        "{dataset} record {number} ({kind}) is not in the store"
                    );
                }
                _ => {
                    assert!(
                        listed.contains_key(&number),
                        "{dataset} record {number} ({kind}) must be quarantined and listed"
                    );
                    // Nothing of a quarantined record is published (duplicates share their id
                    // with another quarantined record, so the id is absent too).
                    if let Some(id) = id {
                        assert!(!published.contains(id), "{dataset} {id} ({kind})");
                    }
                }
            }
        }
    }
    assert!(
        hostile >= 1_000,
        "the corpus holds {hostile} hostile records"
    );

    // What is odd but valid comes out intact: right-to-left and combining characters, control
    // characters, and the 10 MB cells.
    let titles = query(
        dir,
        "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }",
    );
    let titles: HashSet<&str> = titles.iter().map(|r| r.get(0).unwrap()).collect();
    for title in [
        "لوحة زيتية \u{202e}مقلوب\u{202c} שלום",
        "Cafe\u{301} de\u{301}cor Z\u{351}\u{352}a\u{300}\u{301}l\u{489}go",
        "Titre\u{1}avec\u{7}des\u{1b}contrôles\u{7f}",
    ] {
        assert!(titles.contains(title), "{title:?} published intact");
    }
    let huge = query(
        dir,
        "SELECT ?n WHERE { ?s <http://purl.org/dc/terms/description> ?d BIND(STRLEN(?d) AS ?n) FILTER(?n > 1000) }",
    );
    assert_eq!(huge.len(), 4, "one 10 MB cell per format");
    assert!(huge.iter().all(|r| &r[0] == "10485760"), "{huge:?}");
}
