//! The `vitrine` binary: init, ingest, query, and its errors.

use crate::util::{stderr, vitrine, write};

#[test]
fn init_then_ingest_then_query() {
    let dir = tempfile::tempdir().unwrap();
    let init = vitrine(dir.path(), &["init", "pub"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let publisher = dir.path().join("pub");
    assert!(publisher.join("vitrine.toml").is_file());
    assert!(publisher.join("data/ATTRIBUTION.md").is_file());

    let again = vitrine(dir.path(), &["init", "pub"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    let ingest = vitrine(&publisher, &["ingest"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    assert!(
        stderr(&ingest).contains("joconde: 694 records read, 694 published, 0 quarantined"),
        "{}",
        stderr(&ingest)
    );
    let query = vitrine(
        &publisher,
        &[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object> }",
        ],
    );
    assert!(query.status.success(), "{}", stderr(&query));
    assert_eq!(String::from_utf8_lossy(&query.stdout), "n\r\n694\r\n");

    let unknown = vitrine(&publisher, &["ingest", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no dataset `nope`"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn unknown_config_key_is_named_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vitrine.toml");
    write(
        &config,
        "base_iri = \"https://data.example.org/\"\ncolour = \"blue\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n",
    );
    let out = vitrine(dir.path(), &["ingest"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.starts_with("vitrine: vitrine.toml"), "{message}");
    assert!(message.contains("unknown field `colour`"), "{message}");
}

#[test]
fn a_dataset_key_typo_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vitrine.toml");
    write(
        &config,
        "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
         [[datasets]]\nid = \"x\"\ntitle = { fr = \"X\" }\nlicense = \"https://example.org/l\"\nmaping = \"m.ttl\"\nsources = []\n",
    );
    let out = vitrine(dir.path(), &["ingest"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown field `maping`"),
        "{}",
        stderr(&out)
    );
}

/// A bundled profile runs alone on an export given by `--source`, matched by file name.
#[test]
fn map_runs_a_profile_on_given_sources() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("events.nt");
    let run = vitrine(
        root,
        &[
            "map",
            "--mapping",
            "mappings/events.yarrrml.yml",
            "--source",
            "examples/demo/data/events.csv",
            "--source",
            "examples/demo/data/participations.csv",
            "--base",
            "https://data.example.org/",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(
        err.contains("88 records read, 88 mapped, 0 skipped"),
        "{err}"
    );
    let nt = std::fs::read_to_string(&output).unwrap();
    assert!(
        nt.contains("<https://data.example.org/id/events/E01> <http://purl.org/dc/terms/title> \"Le Misanthrope\"@fr ."),
        "{}",
        &nt[..nt.len().min(2000)]
    );
    // Without the sources, the mapping's own folder has no events.csv: a clear error, status 2.
    let run = vitrine(root, &["map", "--mapping", "mappings/events.yarrrml.yml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("events.csv"), "{}", stderr(&run));
}
