//! The DCAT-AP catalogue, VoID and dumps, through the real binary: paging as harvesters walk
//! it, dumps that match what the catalogue says of them, byte-identical dumps across stores,
//! config errors that name the key, and the quality score.

use crate::backends::{Kind, unique_base, with_store};
use crate::util::{Server, http, stderr, vitrine, write};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use sha2::Digest;
use std::io::Read;
use std::path::Path;

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const VOID: &str = "http://rdfs.org/ns/void#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

fn n(iri: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new(iri).unwrap()
}

fn parse(body: &[u8], format: RdfFormat) -> Graph {
    RdfParser::from_format(format)
        .for_slice(body)
        .map(|t| t.expect("valid RDF").into())
        .collect::<Vec<oxigraph::model::Triple>>()
        .iter()
        .collect()
}

/// The object of `s p`, when there is one.
fn value<'a>(g: &'a Graph, s: NamedOrBlankNodeRef<'_>, p: &str) -> Option<TermRef<'a>> {
    g.object_for_subject_predicate(s, n(p))
}

fn literal_u64(t: Option<TermRef<'_>>) -> u64 {
    match t {
        Some(TermRef::Literal(l)) => l.value().parse().unwrap(),
        other => panic!("not a number: {other:?}"),
    }
}

/// The demo, with a catalogue page size of one, ingested; on a remote store (under a base IRI
/// of its own), when one is given.
fn demo(dir: &Path, backend: Option<Kind>, base: &str) -> std::path::PathBuf {
    let (publisher, ingest) = crate::util::ingested_demo(dir, |text| {
        let text = text
            .replacen("[catalog]\n", "[catalog]\npage_size = 1\n", 1)
            .replacen(
                "base_iri = \"https://data.example.org/\"",
                &format!("base_iri = \"{base}\""),
                1,
            );
        match backend {
            Some(kind) => with_store(&text, kind),
            None => text,
        }
    });
    assert!(ingest.contains("dumps: documents, events, gallica, herbarium, joconde, all written"));
    publisher
}

/// Walks the catalogue from `start` by `hydra:next`, as udata does: every page answers 200 (no
/// redirect) in the syntax of the first. Returns the pages.
fn walk(addr: &str, start: &str, format: RdfFormat, media_type: &str) -> Vec<Graph> {
    let mut pages = Vec::new();
    let mut next = Some(format!("http://{addr}{start}"));
    while let Some(url) = next.take() {
        let path = url
            .strip_prefix(&format!("http://{addr}"))
            .expect("a link to this site");
        let reply = http(addr, "GET", path, &[], b"").unwrap();
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with(media_type),
            "{path}: {:?}",
            reply.header("content-type")
        );
        let page = parse(&reply.body, format);
        let views: Vec<_> = page
            .subjects_for_predicate_object(n(RDF_TYPE), n(&format!("{HYDRA}PartialCollectionView")))
            .collect();
        assert_eq!(views.len(), 1, "{path}: one view per page");
        next = value(&page, views[0], &format!("{HYDRA}next")).map(|t| match t {
            TermRef::NamedNode(u) => u.as_str().to_owned(),
            other => panic!("next is {other}"),
        });
        pages.push(page);
        assert!(pages.len() < 10, "the walk does not end");
    }
    pages
}

#[test]
fn catalogue_pages_void_and_dumps_through_the_binary() {
    catalogue_through_the_binary(None);
}

#[test]
#[ignore = "needs Virtuoso (started by .ci/run)"]
fn catalogue_pages_void_and_dumps_on_virtuoso() {
    catalogue_through_the_binary(Some(Kind::Virtuoso));
}

#[test]
#[ignore = "needs `oxigraph serve` (started by .ci/run)"]
fn catalogue_pages_void_and_dumps_on_oxigraph_server() {
    catalogue_through_the_binary(Some(Kind::Oxigraph));
}

fn catalogue_through_the_binary(backend: Option<Kind>) {
    let base = match backend {
        None => "https://data.example.org/".to_owned(),
        Some(_) => unique_base(),
    };
    let dir = tempfile::tempdir().unwrap();
    let publisher = demo(dir.path(), backend, &base);
    let server = Server::start(&publisher);
    let addr = server.addr.as_str();

    // udata's first request: HEAD without Accept on the extension-less URL.
    let head = http(addr, "HEAD", "/catalog", &[], b"").unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type"),
        Some("text/turtle; charset=utf-8")
    );

    let pages = walk(addr, "/catalog", RdfFormat::Turtle, "text/turtle");
    assert_eq!(pages.len(), 5, "five datasets, one per page");
    let catalog_iri = format!("{base}catalog");
    let catalog = n(&catalog_iri);
    let mut identifiers = Vec::new();
    for page in &pages {
        assert_eq!(
            literal_u64(value(page, catalog.into(), &format!("{HYDRA}totalItems"))),
            5
        );
        for d in page.subjects_for_predicate_object(n(RDF_TYPE), n(&format!("{DCAT}Dataset"))) {
            let id = value(page, d, "http://purl.org/dc/terms/identifier")
                .unwrap()
                .to_string();
            identifiers.push(id.clone());
            // Self-contained: the dataset's distributions are described on its page.
            let distributions: Vec<_> = page
                .objects_for_subject_predicate(d, n(&format!("{DCAT}distribution")))
                .collect();
            // Paintings and books have Europeana records; performances, specimens and dossiers
            // none (EDM's class table has none of their classes).
            let europeana =
                usize::from(id.contains("dataset/joconde") || id.contains("dataset/gallica"));
            assert_eq!(
                distributions.len(),
                3 + europeana,
                "two dumps, the endpoint and the Europeana records of {id}"
            );
            for dist in distributions {
                let TermRef::NamedNode(dist) = dist else {
                    panic!()
                };
                assert!(value(page, dist.into(), &format!("{DCAT}accessURL")).is_some());
                assert!(value(page, dist.into(), "http://purl.org/dc/terms/license").is_some());
            }
        }
    }
    identifiers.sort();
    identifiers.dedup();
    assert_eq!(identifiers.len(), 5, "every dataset once: {identifiers:?}");

    // Each serialisation keeps itself along the walk.
    assert_eq!(
        walk(
            addr,
            "/catalog.rdf",
            RdfFormat::RdfXml,
            "application/rdf+xml"
        )
        .len(),
        5
    );
    let jsonld = http(addr, "GET", "/catalog.jsonld", &[], b"").unwrap();
    assert!(
        jsonld.text().starts_with("{\"@context\":{"),
        "inline context"
    );
    assert_eq!(
        walk(
            addr,
            "/catalog.jsonld",
            crate::util::jsonld(),
            "application/ld+json"
        )
        .len(),
        5
    );
    assert_eq!(
        http(addr, "GET", "/catalog?page=6", &[], b"")
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        http(addr, "GET", "/catalog?page=0", &[], b"")
            .unwrap()
            .status,
        400
    );
    assert_eq!(
        http(addr, "GET", "/catalog?profile=dcat-ap-9", &[], b"")
            .unwrap()
            .status,
        400
    );

    // The dataset's IRI dereferences to its DCAT description.
    let dataset = http(
        addr,
        "GET",
        "/dataset/joconde",
        &[("Accept", "text/turtle")],
        b"",
    )
    .unwrap();
    let g = parse(&dataset.body, RdfFormat::Turtle);
    let joconde_iri = format!("{base}dataset/joconde");
    let joconde = n(&joconde_iri);
    assert!(g.contains(oxigraph::model::TripleRef::new(
        joconde,
        n(RDF_TYPE),
        n(&format!("{DCAT}Dataset"))
    )));

    // People find the downloads on the dataset's page, and the site's on the home page.
    let html = http(
        addr,
        "GET",
        "/dataset/joconde",
        &[("Accept", "text/html")],
        b"",
    )
    .unwrap();
    assert!(html.text().contains("Téléchargements") && html.text().contains("joconde.nt.gz"));
    let home = http(addr, "GET", "/", &[("Accept", "text/html")], b"")
        .unwrap()
        .text();
    assert!(
        home.contains("all.nt.gz") && home.contains("/catalog"),
        "{home}"
    );
    assert_eq!(
        http(addr, "GET", "/dumps/all.nt.gz", &[], b"")
            .unwrap()
            .status,
        200
    );

    // VoID counts what the dump holds, and the dump is what the catalogue says it is.
    let void = parse(
        &http(addr, "GET", "/void", &[], b"").unwrap().body,
        RdfFormat::Turtle,
    );
    let triples = literal_u64(value(&void, joconde.into(), &format!("{VOID}triples")));
    assert!(triples > 30_000, "{triples}");
    let page = pages
        .iter()
        .find(|p| {
            p.contains(oxigraph::model::TripleRef::new(
                joconde,
                n(RDF_TYPE),
                n(&format!("{DCAT}Dataset")),
            ))
        })
        .unwrap();
    let nt_iri = format!("{base}dataset/joconde/distribution/nt");
    let nt = n(&nt_iri);
    let Some(TermRef::NamedNode(url)) = value(page, nt.into(), &format!("{DCAT}downloadURL"))
    else {
        panic!("no download URL")
    };
    let path = url
        .as_str()
        .strip_prefix(&format!("http://{addr}"))
        .unwrap()
        .to_owned();
    let download = http(addr, "GET", &path, &[], b"").unwrap();
    assert_eq!(download.status, 200);
    assert_eq!(
        download.body.len() as u64,
        literal_u64(value(page, nt.into(), &format!("{DCAT}byteSize")))
    );
    let checksum_iri = format!("{base}dataset/joconde/distribution/nt#sha256");
    let checksum = n(&checksum_iri);
    let sha = hex(&sha2::Sha256::digest(&download.body));
    assert_eq!(
        value(
            page,
            checksum.into(),
            "http://spdx.org/rdf/terms#checksumValue"
        )
        .map(|t| match t {
            TermRef::Literal(l) => l.value().to_owned(),
            _ => String::new(),
        }),
        Some(sha.clone())
    );
    assert_eq!(download.header("etag"), Some(format!("\"{sha}\"").as_str()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(download.body.as_slice())
        .read_to_string(&mut text)
        .unwrap();
    let dumped = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("the dump is valid N-Triples")
        .len() as u64;
    assert_eq!(dumped, triples, "VoID counts the dump's triples");
    let range = http(addr, "GET", &path, &[("Range", "bytes=0-1")], b"").unwrap();
    assert_eq!(range.status, 206);
    assert_eq!(range.body, download.body[..2]);
    let etag = format!("\"{sha}\"");
    let again = http(addr, "GET", &path, &[("If-None-Match", &etag)], b"").unwrap();
    assert_eq!(again.status, 304);
    assert_eq!(
        http(addr, "GET", "/dumps/../vitrine.toml", &[], b"")
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        http(addr, "GET", "/dumps/datasets/nope.nt.gz", &[], b"")
            .unwrap()
            .status,
        404
    );

    // The score a publisher sees before portals do.
    let url = format!("http://{addr}/");
    let check = vitrine(&publisher, &["catalog", "--check", "--url", &url]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("Findability                                   100/100"),
        "{report}"
    );
    assert!(
        report.contains("DCAT-AP compliance                             0/30  not checked"),
        "{report}"
    );
    assert_eq!(check.status.code(), Some(0), "{report}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir`, with its bytes, by relative path.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["", "datasets"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.to_string_lossy().ends_with(".gz") {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn dumps_are_byte_identical_across_stores_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    // Blank nodes get new identifiers at every load: the dumps must not show it.
    for side in ["a", "b"] {
        let p = dir.path().join(side);
        write(
            &p.join("things.ttl"),
            "@prefix ex: <http://example.org/> .\n\
             ex:a ex:p [ ex:q \"1\" ; ex:r [ ex:s \"deep\" ] ] ; ex:t \"é\"@fr .\n\
             ex:b ex:p [ ex:q \"2\" ] .\n[] ex:orphan ex:a .\n",
        );
        write(
            &p.join("vitrine.toml"),
            "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
             [[datasets]]\nid = \"things\"\ntitle = { en = \"Things\" }\nsources = [\"things.ttl\"]\n",
        );
        let ingest = vitrine(&p, &["ingest"]);
        assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    }
    let a = files(&dir.path().join("a/dumps"));
    let b = files(&dir.path().join("b/dumps"));
    assert_eq!(
        a.len(),
        4,
        "{:?}",
        a.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(a, b, "the same data gives the same bytes");
    let mut text = String::new();
    flate2::read::GzDecoder::new(a[2].1.as_slice())
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("_:c14n"), "canonical labels: {text}");
    assert_eq!(text.lines().count(), 8);

    // On demand, from a read-only open: the same files again.
    let export = vitrine(&dir.path().join("a"), &["export", "--output", "copy"]);
    assert!(export.status.success(), "{}", stderr(&export));
    assert_eq!(files(&dir.path().join("a/copy")), a);
}

#[test]
fn catalogue_config_errors_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let base = "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n";
    write(
        &dir.path().join("t.ttl"),
        "<http://example.org/a> <http://example.org/p> \"x\" .\n",
    );
    let dataset =
        "[[datasets]]\nid = \"t\"\ntitle = { fr = \"T\", en = \"T\" }\nsources = [\"t.ttl\"]\n";
    let cases = [
        (
            "[catalog]\ntitle = { fr = \"C\", en = \"C\" }\n",
            "catalog.description.fr",
        ),
        (
            "[catalog]\ntitle = { fr = \"C\", en = \"C\" }\ndescription = { fr = \"D\", en = \"D\" }\n",
            "catalog.contact.email",
        ),
        (
            "[catalog]\ntitle = { fr = \"C\", en = \"C\" }\ndescription = { fr = \"D\", en = \"D\" }\ncontact = { email = \"a@b.org\" }\nthemes = [\"CULT\"]\n",
            "catalog.themes",
        ),
        (
            "[catalog]\ntitle = { fr = \"C\", en = \"C\" }\ndescription = { fr = \"D\", en = \"D\" }\ncontact = { email = \"a@b.org\" }\n",
            "datasets[0].description.fr",
        ),
    ];
    for (catalog, key) in cases {
        write(
            &dir.path().join("vitrine.toml"),
            &format!("{base}{catalog}{dataset}"),
        );
        let out = vitrine(dir.path(), &["catalog"]);
        assert_eq!(out.status.code(), Some(2), "{catalog}");
        assert!(
            stderr(&out).contains(&format!("`{key}`")),
            "{key}: {}",
            stderr(&out)
        );
    }
    // Without [catalog], there is no catalogue, and `vitrine catalog` says why.
    write(
        &dir.path().join("vitrine.toml"),
        &format!("{base}{dataset}"),
    );
    let out = vitrine(dir.path(), &["catalog"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no [catalog]"), "{}", stderr(&out));
}

/// DCAT-AP 3.0.1 and 2.1.1 (each served its profile of the catalogue), checked by vitrine's
/// validator and by pySHACL, and the harvest as udata does it.
#[test]
#[ignore = "needs ../shared/conformance and Pythons with rdflib and pySHACL (VITRINE_PYTHON, VITRINE_PYSHACL); .ci/run has them"]
fn dcat_ap_shapes_and_udata_harvest() {
    let shapes = crate::util::shared_conformance().join("dcat-ap");
    if !shapes.is_dir() {
        println!("conformance dcat-ap: skipped, no {}", shapes.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let publisher = demo(dir.path(), None, "https://data.example.org/");
    let server = Server::start(&publisher);
    let url = format!("http://{}/", server.addr);
    let v3 = shapes.join("3.0.1");
    let v2 = shapes.join("2.1.1");
    let sets: [(&str, &str, Vec<std::path::PathBuf>); 2] = [
        ("3.0.1", "dcat-ap-3", vec![v3.join("dcat-ap-SHACL.ttl")]),
        (
            "2.1.1",
            "dcat-ap-2",
            [
                "dcat-ap_2.1.1_shacl_shapes.ttl",
                "dcat-ap_2.1.1_shacl_range.ttl",
                "dcat-ap_2.1.1_shacl_shapes_recommended.ttl",
                "dcat-ap_2.1.1_shacl_deprecateduris.ttl",
            ]
            .iter()
            .map(|f| v2.join(f))
            .collect(),
        ),
    ];
    let mut violations = 0;
    for (version, profile, files) in &sets {
        let out = vitrine(
            &publisher,
            &["catalog", "--url", &url, "--profile", profile],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let data = dir.path().join(format!("catalog-{version}.ttl"));
        std::fs::write(&data, &out.stdout).unwrap();
        let mut args = vec!["validate".to_owned()];
        for f in files {
            args.extend(["--shapes".to_owned(), f.to_string_lossy().into_owned()]);
        }
        args.extend(["--data".to_owned(), data.to_string_lossy().into_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let report = vitrine(&publisher, &args);
        assert!(
            report.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&report)
        );
        let text = String::from_utf8_lossy(&report.stdout).into_owned();
        let count = |severity: &str| {
            text.lines()
                .find(|l| {
                    l.trim_start()
                        .trim_start_matches("sh:")
                        .starts_with(severity)
                })
                .and_then(|l| {
                    l.split_whitespace()
                        .nth(1)?
                        .trim_end_matches(':')
                        .parse::<usize>()
                        .ok()
                })
                .unwrap_or(0)
        };
        println!(
            "conformance dcat-ap {version} vitrine: {} violations, {} warnings",
            count("Violation"),
            count("Warning")
        );
        violations += count("Violation");
        if count("Violation") > 0 {
            println!("{text}");
        }
    }
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients");
    let python = |var: &str| {
        std::env::var(var).unwrap_or_else(|_| panic!("{var} names a Python (.ci/run makes one)"))
    };
    let pyshacl = std::process::Command::new(python("VITRINE_PYSHACL"))
        .arg(scripts.join("dcat_ap_pyshacl.py"))
        .args([
            format!("http://{}", server.addr),
            v3.to_string_lossy().into(),
            v2.to_string_lossy().into(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&pyshacl.stdout);
    for line in text.lines().filter(|l| l.starts_with("pyshacl:")) {
        println!("conformance dcat-ap {line}");
    }
    let harvest = std::process::Command::new(python("VITRINE_PYTHON"))
        .arg(scripts.join("harvest_udata.py"))
        .args([
            format!("http://{}", server.addr),
            "--expect-datasets".into(),
            "5".into(),
            "--min-pages".into(),
            "5".into(),
        ])
        .output()
        .unwrap();
    let harvested = String::from_utf8_lossy(&harvest.stdout);
    for line in harvested.lines().filter(|l| l.starts_with("harvest:")) {
        println!("conformance udata {line}");
    }
    assert_eq!(violations, 0, "vitrine's validator found violations");
    assert!(pyshacl.status.success(), "{text}\n{}", stderr(&pyshacl));
    assert!(
        harvest.status.success(),
        "{harvested}\n{}",
        stderr(&harvest)
    );
}
