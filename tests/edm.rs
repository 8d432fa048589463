//! The Europeana export through the binary: the EDM archives `vitrine ingest` writes beside the
//! other dumps (one RDF/XML record per file), served under `/dumps/edm/`, listed in the DCAT
//! catalogue; a licence Europeana does not accept gives no records. And a harvest of `/oai` by
//! Sickle, the OAI-PMH client from PyPI (ignored: `.ci/run` makes the Python).

use crate::util::{Server, http, ingested_demo, stderr, vitrine, write};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, TermRef, Triple};
use std::io::Write;
use std::path::Path;

const EDM: &str = "http://www.europeana.eu/schemas/edm/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The files of a ZIP archive, read by hand from its central directory (deflated entries).
fn unzip(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let le16 = |at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
    let le32 = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap()) as usize;
    let end = zip.len() - 22;
    assert_eq!(le32(end), 0x0605_4b50, "an end of central directory");
    let (count, mut at) = (le16(end + 10), le32(end + 16));
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(le32(at), 0x0201_4b50);
        assert_eq!(le16(at + 10), 8, "deflated");
        let (csize, size, name_len, local) =
            (le32(at + 20), le32(at + 24), le16(at + 28), le32(at + 42));
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        assert_eq!(le32(local), 0x0403_4b50);
        let data = local + 30 + le16(local + 26);
        let mut inflated = Vec::new();
        let mut d = flate2::write::DeflateDecoder::new(&mut inflated);
        d.write_all(&zip[data..data + csize]).unwrap();
        d.finish().unwrap();
        assert_eq!(inflated.len(), size);
        out.push((name, inflated));
        at += 46 + name_len;
    }
    out
}

fn manifest(publisher: &Path, dataset: &str) -> serde_json::Value {
    let path = publisher.join(format!("dumps/edm/{dataset}.json"));
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn has(g: &Graph, s: &str, p: &str, o: &str) -> bool {
    g.contains(oxigraph::model::TripleRef::new(
        NamedNodeRef::new(s).unwrap(),
        NamedNodeRef::new(p).unwrap(),
        NamedNodeRef::new(o).unwrap(),
    ))
}

#[test]
fn europeana_archives_are_written_served_and_catalogued() {
    let dir = tempfile::tempdir().unwrap();
    let (publisher, log) = ingested_demo(dir.path(), |c| c);
    assert!(log.contains("europeana: "), "{log}");

    let joconde = manifest(&publisher, "joconde");
    let records = joconde["records"].as_u64().unwrap();
    assert!(records > 600, "{joconde}");
    assert_eq!(joconde["file"]["path"], "edm/joconde.zip");
    let bytes = std::fs::read(publisher.join("dumps/edm/joconde.zip")).unwrap();
    assert_eq!(joconde["file"]["bytes"].as_u64(), Some(bytes.len() as u64));
    let files = unzip(&bytes);
    assert_eq!(files.len() as u64, records);
    for (name, xml) in &files {
        assert!(name.ends_with(".xml") && !name.contains('/'), "{name}");
        let g: Graph = RdfParser::from_format(RdfFormat::RdfXml)
            .for_slice(xml)
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let cho = format!(
            "https://data.example.org/id/joconde/{}",
            name.trim_end_matches(".xml")
        );
        let aggregation = format!("{cho}#aggregation");
        assert!(
            has(&g, &cho, RDF_TYPE, &format!("{EDM}ProvidedCHO")),
            "{name}"
        );
        assert!(has(
            &g,
            &aggregation,
            RDF_TYPE,
            "http://www.openarchives.org/ore/terms/Aggregation"
        ));
        assert!(has(&g, &aggregation, &format!("{EDM}aggregatedCHO"), &cho));
        let rights: Vec<TermRef<'_>> = g
            .objects_for_subject_predicate(
                NamedNodeRef::new(&aggregation).unwrap(),
                NamedNodeRef::new(&format!("{EDM}rights")).unwrap(),
            )
            .collect();
        assert_eq!(rights.len(), 1);
        let TermRef::NamedNode(rights) = rights[0] else {
            panic!()
        };
        assert!(
            rights.as_str().starts_with("http://") && rights.as_str().ends_with('/'),
            "{rights}"
        );
    }
    // Performances have no Europeana type: a manifest, no archive.
    let events = manifest(&publisher, "events");
    assert_eq!(events["records"], 0);
    assert!(events["file"].is_null());
    assert!(!publisher.join("dumps/edm/events.zip").exists());

    let server = Server::start(&publisher);
    let zip = http(&server.addr, "GET", "/dumps/edm/joconde.zip", &[], b"").unwrap();
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    assert_eq!(zip.body, bytes);
    assert!(zip.header("etag").is_some());
    let none = http(&server.addr, "GET", "/dumps/edm/events.zip", &[], b"").unwrap();
    assert_eq!(none.status, 404);

    let catalog = http(&server.addr, "GET", "/catalog.nt", &[], b"").unwrap();
    assert_eq!(catalog.status, 200);
    let g: Graph = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(&catalog.body)
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .unwrap();
    let distribution = "https://data.example.org/dataset/joconde/distribution/edm";
    assert!(has(
        &g,
        "https://data.example.org/dataset/joconde",
        "http://www.w3.org/ns/dcat#distribution",
        distribution
    ));
    assert!(has(
        &g,
        distribution,
        "http://purl.org/dc/terms/conformsTo",
        EDM
    ));
    assert!(has(
        &g,
        distribution,
        "http://www.w3.org/ns/dcat#mediaType",
        "https://www.iana.org/assignments/media-types/application/rdf+xml"
    ));
    assert!(has(
        &g,
        distribution,
        "http://www.w3.org/ns/dcat#packageFormat",
        "https://www.iana.org/assignments/media-types/application/zip"
    ));
    assert!(has(
        &g,
        distribution,
        "http://www.w3.org/ns/dcat#downloadURL",
        &format!("http://{}/dumps/edm/joconde.zip", server.addr)
    ));
    assert!(!catalog.text().contains("dataset/events/distribution/edm"));
    drop(server);

    // A licence Europeana has no statement for: the dataset's records are refused.
    let config = publisher.join("vitrine.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let gallica = text.find("id = \"gallica\"").unwrap();
    let (head, tail) = text.split_at(gallica);
    let tail = tail.replacen(
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        1,
    );
    write(&config, &format!("{head}{tail}"));
    let ingest = vitrine(&publisher, &["ingest", "gallica"]);
    assert!(
        ingest.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&ingest)
    );
    let gallica = manifest(&publisher, "gallica");
    assert_eq!(gallica["records"], 0, "{gallica}");
    assert_eq!(gallica["refused"], 66, "{gallica}");
    assert!(!publisher.join("dumps/edm/gallica.zip").exists());
}

#[test]
#[ignore = "needs a Python with sickle in VITRINE_PYTHON; .ci/run makes one"]
fn sickle_harvests_every_record_of_every_set() {
    let python = std::env::var("VITRINE_PYTHON")
        .expect("VITRINE_PYTHON must name a Python with sickle (.ci/run makes one)");
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = ingested_demo(dir.path(), |c| c);
    let server = Server::start(&publisher);
    // What each set should hold: its items as the sitemap lists them, and the records of its
    // Europeana archive.
    let (_, sitemap) = crate::util::http_get(&server.addr, "/sitemap.xml").unwrap();
    let mut expected = serde_json::Map::new();
    for set in ["joconde", "gallica", "events", "herbarium", "documents"] {
        let items = sitemap
            .matches(&format!("<loc>https://data.example.org/id/{set}/"))
            .count();
        let edm = manifest(&publisher, set)["records"].as_u64().unwrap();
        expected.insert(set.into(), serde_json::json!({"oai_dc": items, "edm": edm}));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/oai_harvest.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(format!("http://{}", server.addr))
        .arg(serde_json::Value::Object(expected).to_string())
        .output()
        .expect("the harvest script runs");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
}
