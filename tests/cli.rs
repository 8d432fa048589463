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

/// The dumps are written after the publication: when they cannot be, the datasets stay
/// published and the run ends in error, so a scheduled ingest does not hide it.
#[test]
fn dumps_that_cannot_be_written_end_the_run_in_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    // A file where the dumps folder goes.
    write(&publisher.join("dumps"), "not a folder");
    let ingest = vitrine(&publisher, &["ingest", "events"]);
    let err = stderr(&ingest);
    assert_eq!(ingest.status.code(), Some(2), "{err}");
    assert!(
        err.contains("events: 88 records read, 88 published, 0 quarantined"),
        "{err}"
    );
    assert!(
        err.contains("the dumps were not written (the datasets are published;"),
        "{err}"
    );
    assert!(err.contains("./dumps/datasets: Not a directory"), "{err}");
    let status = vitrine(&publisher, &["status"]);
    assert!(status.status.success(), "{}", stderr(&status));
    assert!(String::from_utf8_lossy(&status.stdout).contains(" events "));
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

/// The same profile on the same records saved as a French spreadsheet does (`;`, Windows-1252):
/// `--delimiter` and `--encoding` make the output identical, and a bad value is refused.
#[test]
fn map_reads_a_semicolon_windows_1252_export_with_the_dialect_options() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for name in ["events.csv", "participations.csv"] {
        let mut reader =
            csv::Reader::from_path(root.join("examples/demo/data").join(name)).unwrap();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(Vec::new());
        writer.write_record(reader.headers().unwrap()).unwrap();
        for row in reader.records() {
            writer.write_record(&row.unwrap()).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!unmappable, "{name} has characters Windows-1252 lacks");
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let map = |folder: &std::path::Path, dialect: &[&str]| {
        let output = dir.path().join("out.nt");
        let mut args = vec![
            "map",
            "--mapping",
            "mappings/events.yarrrml.yml",
            "--base",
            "https://data.example.org/",
        ];
        let events = folder.join("events.csv");
        let participations = folder.join("participations.csv");
        args.extend(["--source", events.to_str().unwrap()]);
        args.extend(["--source", participations.to_str().unwrap()]);
        args.extend(dialect);
        args.extend(["--output", output.to_str().unwrap()]);
        let run = vitrine(root, &args);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        std::fs::read_to_string(&output).unwrap()
    };
    let expected = map(&root.join("examples/demo/data"), &[]);
    let got = map(
        dir.path(),
        &["--delimiter", ";", "--encoding", "windows-1252"],
    );
    assert!(expected.contains("Théâtre"), "the sample has accents");
    assert_eq!(got, expected);
    let run = vitrine(
        root,
        &[
            "map",
            "--mapping",
            "mappings/events.yarrrml.yml",
            "--encoding",
            "latin-42",
        ],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("encoding \"latin-42\""),
        "{}",
        stderr(&run)
    );
}
