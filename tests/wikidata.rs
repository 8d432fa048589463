//! `vitrine export wikidata` through the binary, against a stand-in for the Wikidata Query
//! Service on loopback: a second `vitrine serve` publishing a few `wdt:` statements, asked by
//! the same SPARQL protocol requests the export sends to query.wikidata.org. The Q-ids are the
//! fixture's, not Wikidata's.

use crate::util::{Server, ingested_demo, stderr, vitrine, write};
use std::path::Path;

/// What the stand-in Wikidata knows: two of the demo's paintings by their Joconde reference
/// (P347), the first with the same inception and height as the demo, the second with another
/// inception; two museums by their Muséofile code (P539).
const WIKIDATA: &str = r#"@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
wd:Q90001 wdt:P347 "11040000343" ;
  wdt:P571 "1793-01-01T00:00:00Z"^^xsd:dateTime ;
  wdt:P2048 75 .
wd:Q90002 wdt:P347 "000PE000015" ;
  wdt:P571 "1891-01-01T00:00:00Z"^^xsd:dateTime .
wd:Q90100 wdt:P539 "M1104" .
wd:Q90101 wdt:P539 "M5031" .
"#;

/// Starts the stand-in Wikidata endpoint in `dir`.
fn wikidata(dir: &Path) -> Server {
    std::fs::create_dir_all(dir).unwrap();
    write(&dir.join("wikidata.ttl"), WIKIDATA);
    write(
        &dir.join("vitrine.toml"),
        r#"base_iri = "https://wikidata-fixture.example/"
[publisher]
name = "Wikidata stand-in"
[store]
path = "store"
[[datasets]]
id = "wikidata"
title = { en = "wdt: statements" }
license = "https://creativecommons.org/publicdomain/zero/1.0/"
sources = ["wikidata.ttl"]
"#,
    );
    let ingest = vitrine(dir, &["ingest"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    Server::start(dir)
}

/// The lines of a QuickStatements file with their references cut off after `S813`, checked to
/// be a day-precision date.
fn statements(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let (statement, date) = line.split_once("\tS813\t+").expect("a retrieval date");
            assert_eq!(date.len(), "2026-12-06T00:00:00Z/11".len(), "{line}");
            assert!(date.ends_with("T00:00:00Z/11"), "{line}");
            statement.to_owned()
        })
        .collect()
}

#[test]
fn quickstatements_add_only_what_wikidata_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = ingested_demo(dir.path(), |config| config);
    let wikidata = wikidata(&dir.path().join("wikidata"));
    let matches = publisher.join("matches.csv");
    write(
        &matches,
        "key,wikidata\nhttps://data.example.org/id/agent/boze-joseph,http://www.wikidata.org/entity/Q90200\nPeinture à l'huile,Q90300\n",
    );
    let endpoint = format!("http://{}/sparql", wikidata.addr);
    let out = vitrine(
        &publisher,
        &[
            "export",
            "wikidata",
            "joconde",
            "--matches",
            matches.to_str().unwrap(),
            "--wikidata-endpoint",
            &endpoint,
            "-o",
            "joconde.qs",
        ],
    );
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{log}");
    let text = std::fs::read_to_string(publisher.join("joconde.qs")).unwrap();
    let reference =
        |local: &str| format!("\tS854\t\"https://data.example.org/id/joconde/{local}\"");
    let marat = reference("11040000343");
    let daru = reference("000PE000015");
    let expected = vec![
        format!("Q90002\tP217\t\"000PE000015\"\tP195\tQ90101{daru}"),
        format!("Q90002\tP195\tQ90101{daru}"),
        // The 1890 of the record is not written over Wikidata's 1891: reported instead.
        format!("Q90002\tP186\tQ90300{daru}"),
        format!("Q90002\tP2048\t100U174728{daru}"),
        format!("Q90002\tP2049\t81U174728{daru}"),
        format!("Q90001\tP217\t\"11040000343\"\tP195\tQ90100{marat}"),
        format!("Q90001\tP195\tQ90100{marat}"),
        format!("Q90001\tP170\tQ90200{marat}"),
        // Inception (1793) and height (75) are on Wikidata already.
        format!("Q90001\tP186\tQ90300{marat}"),
        format!("Q90001\tP2049\t68U174728{marat}"),
        format!("Q90001\tP18\t\"Jean-Paul Marat portre.jpg\"{marat}"),
    ];
    let mut got = statements(&text);
    let mut want = expected.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{text}");
    assert!(
        log.contains("694 items, 2 with a Wikidata item; 11 statements written"),
        "{log}"
    );
    assert!(
        log.contains("2 already on Wikidata, 1 left for a person"),
        "{log}"
    );
    assert!(
        log.contains("differs: Q90002 P571: https://data.example.org/id/joconde/000PE000015 says 1890, Wikidata has 1891"),
        "{log}"
    );
    assert!(
        log.contains("no Wikidata item for creator ANDRE Albert (1 items)"),
        "{log}"
    );
    assert!(log.contains("licence assumed: CC0"), "{log}");
    assert!(log.contains("facts_cc0"), "{log}");

    // Offline: matched by the matches file only, nothing checked, every safe statement written.
    write(
        &matches,
        "key,wikidata\nhttps://data.example.org/id/joconde/11040000343,Q90001\nhttps://data.example.org/id/museum/M1104,Q90100\n",
    );
    let out = vitrine(
        &publisher,
        &[
            "export",
            "wikidata",
            "joconde",
            "--offline",
            "--matches",
            matches.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = statements(&String::from_utf8_lossy(&out.stdout));
    let properties: Vec<&str> = got.iter().map(|l| l.split('\t').nth(1).unwrap()).collect();
    assert_eq!(
        properties,
        ["P217", "P195", "P571", "P2048", "P2049", "P18"],
        "{got:?}"
    );
    assert!(got.iter().all(|l| l.starts_with("Q90001\t")));
    assert!(stderr(&out).contains("not checked against Wikidata"));
}

#[test]
fn what_wikidata_cannot_take_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = ingested_demo(dir.path(), |config| config);
    // Gallica's records are under Licence Ouverte, and the demo does not release them as CC0.
    let out = vitrine(&publisher, &["export", "wikidata", "gallica", "--offline"]);
    assert_eq!(out.status.code(), Some(2));
    let log = stderr(&out);
    assert!(log.contains("dataset `gallica` is published under https://www.etalab.gouv.fr/licence-ouverte-open-licence"), "{log}");
    assert!(log.contains("facts_cc0 = true"), "{log}");
    assert!(out.stdout.is_empty());

    let out = vitrine(&publisher, &["export", "wikidata"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "name the dataset to export (one of: joconde, gallica, events, herbarium, documents)"
    ));

    let bad = publisher.join("bad.csv");
    write(
        &bad,
        "key,wikidata\nhttps://data.example.org/id/agent/x,Q12\nhuile,P31\n",
    );
    let out = vitrine(
        &publisher,
        &[
            "export",
            "wikidata",
            "joconde",
            "--offline",
            "--matches",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let log = stderr(&out);
    assert!(
        log.contains("bad.csv:3: `P31` is neither a Q-id nor a Wikidata entity IRI"),
        "{log}"
    );

    // An endpoint that is not there is named, not hung on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}/sparql");
    let out = vitrine(
        &publisher,
        &[
            "export",
            "wikidata",
            "joconde",
            "--wikidata-endpoint",
            &endpoint,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("Wikidata at {endpoint}:")),
        "{}",
        stderr(&out)
    );
}
