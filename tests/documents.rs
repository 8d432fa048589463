//! The documents profile (teaching dossiers and their files) on the demo: counts and key paths
//! computed from the two sheets, files checked against their bytes, `/files/…` served with its
//! headers and nothing outside it, dossiers listed on the pages of what they refer to, and a
//! missing, changed or escaping file quarantined through the binary.

use crate::profiles::{profiles, select};
use crate::util::{Reply, get_through, send, stderr, vitrine, write};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;
use vitrine::config::Config;

const BASE: &str = "https://data.example.org/";

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn get(path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let p = profiles();
    let config = Config::load(&p.dir.path().join("vitrine.toml")).unwrap();
    get_through(
        vitrine::server::AppState::new(p.store.clone(), config),
        path,
        headers,
    )
}

#[test]
fn documents_profile() {
    let p = profiles();
    let dossiers = p.csv("dossiers.csv");
    let files = p.csv("dossier-files.csv");
    assert_eq!((dossiers.len(), files.len()), (8, 12));
    let s = &p.summaries["documents"];
    assert_eq!(s.records_quarantined, 0, "{:?}", s.errors);
    assert_eq!(s.records_read, (dossiers.len() + files.len()) as u64);
    let q = |body: &str| {
        select(
            &p.store,
            &format!(
                "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/> PREFIX dcterms: <http://purl.org/dc/terms/>
                 PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
                 BASE <{BASE}> {body}"
            ),
        )
    };
    let n = |body: &str| q(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"))[0]["n"].clone();
    assert_eq!(n("?d a crm:E31_Document"), dossiers.len().to_string());
    assert_eq!(n("?d dcat:distribution ?f"), files.len().to_string());
    // Every reference and every audience of the sheet, as IRIs.
    let refs: usize = dossiers
        .iter()
        .map(|d| d["refers_to"].split('|').count())
        .sum();
    assert_eq!(n("?d crm:P67_refers_to ?x"), refs.to_string());
    let audiences: usize = dossiers
        .iter()
        .map(|d| d["audience"].split('|').count())
        .sum();
    assert_eq!(
        n(
            "?d dcterms:audience ?a FILTER(STRSTARTS(STR(?a), 'https://w3id.org/vitrine/audience#'))"
        ),
        audiences.to_string()
    );
    // A specimen of the herbarium, not published in this demo, is still referred to.
    assert_eq!(
        n("<id/documents/D04> crm:P67_refers_to <id/herbarium/8528>"),
        "1"
    );
    // Each local file: its size and its checksum are the file's; the URL is linked only.
    for f in &files {
        let file = &f["file"];
        let rows = q(&format!(
            "SELECT ?url ?size ?sha ?type WHERE {{ ?d dcterms:title '''{}'''@fr ; dcat:downloadURL ?url ; dcat:mediaType ?type .
               <id/documents/{}> dcat:distribution ?d .
               OPTIONAL {{ ?d dcat:byteSize ?size }} OPTIONAL {{ ?d spdx:checksum/spdx:checksumValue ?sha }} }}",
            f["title"], f["dossier"]
        ));
        assert_eq!(rows.len(), 1, "{file}: {rows:?}");
        let row = &rows[0];
        if file.starts_with("https://") {
            assert_eq!(&row["url"], file);
            assert!(
                !row.contains_key("size") && !row.contains_key("sha"),
                "{row:?}"
            );
            continue;
        }
        let path = p.dir.path().join("data").join(file);
        assert_eq!(row["url"], format!("{BASE}files/documents/{file}"));
        assert_eq!(
            row["size"],
            std::fs::metadata(&path).unwrap().len().to_string()
        );
        assert_eq!(row["sha"], sha256(&path));
        if !f["sha256"].is_empty() {
            assert_eq!(row["sha"], f["sha256"]);
        }
        let expected = if file.ends_with(".pdf") {
            "application/pdf"
        } else if file.ends_with(".png") {
            "image/png"
        } else {
            "text/html"
        };
        assert_eq!(
            row["type"],
            format!("http://www.iana.org/assignments/media-types/{expected}")
        );
    }
    // Authors and institutions are the agents every profile shares.
    assert_eq!(
        n(
            "<id/documents/D05> dcterms:creator <id/agent/roussel-anne> . <id/agent/roussel-anne> a crm:E21_Person"
        ),
        "1"
    );
}

#[test]
fn demo_pdfs_are_whole() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/data/dossiers");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"),
            "{path:?}"
        );
        // The cross-reference table points at each object.
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[start..].starts_with("xref\n"), "{path:?}");
        for (i, line) in text[start..]
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .enumerate()
        {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "{path:?} object {}",
                i + 1
            );
        }
    }
}

#[test]
fn files_are_served_with_their_headers() {
    let p = profiles();
    let path = "/files/documents/dossiers/courbet-catalogue.pdf";
    let file = p.dir.path().join("data/dossiers/courbet-catalogue.pdf");
    let length = std::fs::metadata(&file).unwrap().len();
    let etag = format!("\"{}\"", sha256(&file));
    let whole = get(path, &[]);
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        whole.headers[header::CONTENT_LENGTH],
        length.to_string().as_str()
    );
    assert_eq!(whole.headers[header::ETAG], etag.as_str());
    assert_eq!(whole.headers[header::ACCEPT_RANGES], "bytes");
    assert!(
        whole.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename*=UTF-8''courbet-catalogue.pdf")
    );
    assert!(whole.body.starts_with("%PDF-1.4"));
    let part = get(path, &[(header::RANGE, "bytes=0-7")]);
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.body, "%PDF-1.4");
    assert_eq!(
        part.headers[header::CONTENT_RANGE],
        format!("bytes 0-7/{length}").as_str()
    );
    let again = get(path, &[(header::IF_NONE_MATCH, etag.as_str())]);
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // Images are shown inline; an HTML file is sandboxed, not given the site's page policy.
    let png = get("/files/documents/dossiers/planches/paysage-1.png", &[]);
    assert_eq!(png.headers[header::CONTENT_TYPE], "image/png");
    assert!(
        png.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    let html = get("/files/documents/dossiers/planches/index.html", &[]);
    assert_eq!(html.headers[header::CONTENT_TYPE], "text/html");
    assert!(
        html.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("sandbox")
    );
}

#[test]
fn nothing_outside_published_files_is_served() {
    for path in [
        "/files/documents/../../vitrine.toml",
        "/files/documents/dossiers/../../vitrine.toml",
        "/files/documents/%2e%2e/%2e%2e/vitrine.toml",
        "/files/documents/..%2f..%2fvitrine.toml",
        "/files/documents/%2Fetc%2Fpasswd",
        "/files/documents//etc/passwd",
        "/files/sha256/c6",
        // In the export's folder, but named by no record.
        "/files/documents/dossiers/make-files.py",
        "/files/documents/dossiers.csv",
        "/files/",
    ] {
        let reply = get(path, &[]);
        assert!(
            reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("base_iri"), "{path}");
    }
}

#[test]
fn pages_list_the_dossiers_and_their_files() {
    let html = [(header::ACCEPT, "text/html")];
    // A painting's page lists the teaching dossier about it, with its audience.
    let painting = get("/id/joconde/M5060000061", &html);
    assert_eq!(painting.status, StatusCode::OK);
    let section = painting
        .body
        .split("id=\"documents\"")
        .nth(1)
        .expect("a Dossiers section");
    assert!(
        section.contains("&#x2f;id&#x2f;documents&#x2f;D01"),
        "{section}"
    );
    assert!(section.contains("L&#x27;impressionnisme : Monet, Manet, Degas"));
    assert!(section.contains("collège, lycée"));
    // An event's page too, in the reader's language.
    let event = get(
        "/id/events/E13",
        &[
            (header::ACCEPT, "text/html"),
            (header::ACCEPT_LANGUAGE, "en"),
        ],
    );
    assert!(event.body.contains("&#x2f;id&#x2f;documents&#x2f;D08"));
    assert!(event.body.contains("general public"));
    // A painting no dossier is about has no such section.
    let other = get("/id/joconde/000PE000015", &html);
    assert!(!other.body.contains("id=\"documents\""));
    // A dossier's page: its PDF as a download with type and size, its plates inline.
    let d03 = get("/id/documents/D03", &html);
    let files = d03
        .body
        .split("id=\"files\"")
        .nth(1)
        .expect("a Files section");
    assert!(files.contains("&#x2f;files&#x2f;documents&#x2f;dossiers&#x2f;courbet-catalogue.pdf"));
    assert!(files.contains("application&#x2f;pdf · 922 o"), "{files}");
    assert!(files.contains("https:&#x2f;&#x2f;editions.example.org"));
    let d07 = get("/id/documents/D07", &html);
    assert!(d07.body.contains(
        "<img src=\"&#x2f;files&#x2f;documents&#x2f;dossiers&#x2f;planches&#x2f;paysage-1.png\""
    ));
}

/// A missing file, a file that is not the one the row's checksum names, and a path leaving the
/// export's folder: each row is quarantined with its file, record and field; the run goes on.
#[test]
fn broken_files_are_quarantined_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    let data = publisher.join("data");
    std::fs::remove_file(data.join("dossiers/gautier-conference.pdf")).unwrap();
    let changed = data.join("dossiers/courbet-catalogue.pdf");
    let mut bytes = std::fs::read(&changed).unwrap();
    bytes.extend_from_slice(b"% edited\n");
    std::fs::write(&changed, bytes).unwrap();
    let sheet = data.join("dossier-files.csv");
    let mut text = std::fs::read_to_string(&sheet).unwrap();
    text.push_str("D02,../vitrine.toml,,Configuration\n");
    write(&sheet, &text);
    let ingest = vitrine(&publisher, &["ingest", "documents"]);
    let out = stderr(&ingest);
    assert_eq!(ingest.status.code(), Some(1), "{out}");
    // The three rows, and the dossier whose only file is missing (its shape needs a file).
    assert!(
        out.contains("documents: 21 records read, 17 published, 4 quarantined"),
        "{out}"
    );
    assert!(
        out.contains("dossier-files.csv record 12, field `file`: file `dossiers/gautier-conference.pdf` is not in the export's folder"),
        "{out}"
    );
    assert!(
        out.contains("dossier-files.csv record 4, field `file`: file `dossiers/courbet-catalogue.pdf` has SHA-256"),
        "{out}"
    );
    assert!(out.contains("the record says c62e95fe"), "{out}");
    assert!(
        out.contains("dossier-files.csv record 13, field `file`: file `../vitrine.toml` is not a path inside the export's folder"),
        "{out}"
    );
    let report =
        std::fs::read_to_string(publisher.join("reports/documents.quarantine.csv")).unwrap();
    let rows: BTreeSet<(&str, &str)> = report
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            (cells.next().unwrap(), cells.next().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        BTreeSet::from([
            ("./data/dossier-files.csv", "4"),
            ("./data/dossier-files.csv", "12"),
            ("./data/dossier-files.csv", "13"),
            ("./data/dossiers.csv", "8"),
        ])
    );
    assert_eq!(
        report.matches("../vitrine.toml").count(),
        1,
        "reported once: {report}"
    );
    // What was published is served from the kept copy: editing the export changes nothing.
    let good = data.join("dossiers/moreau-fiche-mediation.pdf");
    let published = std::fs::read(&good).unwrap();
    std::fs::write(&good, b"%PDF-1.4 replaced\n").unwrap();
    let config = Config::load(&publisher.join("vitrine.toml")).unwrap();
    let store = crate::util::open(&config);
    let reply = send(
        vitrine::server::app(vitrine::server::AppState::new(store.clone(), config)),
        Request::get("/files/documents/dossiers/moreau-fiche-mediation.pdf")
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body.as_bytes(), published.as_slice());
    let gone = send(
        vitrine::server::app(vitrine::server::AppState::new(
            store,
            Config::load(&publisher.join("vitrine.toml")).unwrap(),
        )),
        Request::get("/files/documents/dossiers/gautier-conference.pdf")
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}
