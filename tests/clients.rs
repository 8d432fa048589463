//! The endpoint through the clients researchers use: SPARQLWrapper 2 and rdflib from PyPI,
//! against the real binary on loopback (`tests/clients/sparql_clients.py`).
//!
//! Ignored by default: it needs a Python with those packages, named by `VITRINE_PYTHON`;
//! `.ci/run` makes one and runs this test.

use crate::util::{Server, stderr, vitrine};

#[test]
#[ignore = "needs a Python with SPARQLWrapper and rdflib in VITRINE_PYTHON; .ci/run makes one"]
fn sparqlwrapper_and_rdflib() {
    let python = std::env::var("VITRINE_PYTHON").expect(
        "VITRINE_PYTHON must name a Python with SPARQLWrapper and rdflib (.ci/run makes one)",
    );
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    let ingest = vitrine(&publisher, &["ingest"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    let server = Server::start(&publisher);
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/sparql_clients.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(format!("http://{}", server.addr))
        .output()
        .expect("the client script runs");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
}
