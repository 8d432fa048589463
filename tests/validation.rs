//! Validation as the gate of publication: violations quarantine the records that described
//! the node, warnings are published and reported, counts add up, reports are written and served.

use crate::util::{count, send, stderr, vitrine, write, write_config};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::path::Path;
use vitrine::config::Config;

const MAPPING: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<#Works> rml:logicalSource <#csv> ;
  rml:subjectMap [ rml:template "https://data.example.org/id/works/{id}" ; rml:class ex:Work ] ;
  rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "title" ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:maker ; rml:objectMap [ rml:template "https://data.example.org/id/agent/{artist}" ] ] .
<#Agents> rml:logicalSource <#csv> ;
  rml:subjectMap [ rml:template "https://data.example.org/id/agent/{artist}" ] ;
  rml:predicateObjectMap [ rml:predicate rdfs:label ; rml:objectMap [ rml:reference "artist" ] ] .
<#csv> rml:source "works.csv" ; rml:referenceFormulation rml:CSV .
"#;

const SHAPES: &str = r#"@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:WorkShape a sh:NodeShape ; sh:targetClass ex:Work ;
  sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:message "a work needs a title"@en ] ;
  sh:property [ sh:path ex:note ; sh:minCount 1 ; sh:severity sh:Warning ] .
"#;

fn project(dir: &Path) {
    write(&dir.join("m.ttl"), MAPPING);
    write(&dir.join("shapes.ttl"), SHAPES);
    write(
        &dir.join("works.csv"),
        "id,title,artist\n1,Vase,Ada\n2,,Ada\n3,Cup,Bob\n",
    );
    write_config(dir, "works", &["works.csv"], &["shapes.ttl"]);
}

#[test]
fn violations_quarantine_their_records_and_warnings_are_published() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let config = Config::load(&dir.path().join("vitrine.toml")).unwrap();
    let store = crate::util::memory(config.base_iri.as_str());
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    assert_eq!(
        (
            summary.records_read,
            summary.records_published,
            summary.records_quarantined
        ),
        (3, 2, 1)
    );
    let validation = summary.validation.as_ref().unwrap();
    assert_eq!((validation.violations, validation.warnings), (1, 3));
    assert_eq!(validation.records_quarantined, 1);
    assert_eq!(summary.errors.len(), 1);
    let error = summary.errors[0].to_string();
    assert!(
        error.contains("works.csv record 2") && error.contains("a work needs a title"),
        "{error}"
    );
    // Work 2 is gone; the label of Ada, which record 1 also made, stays published.
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) WHERE { ?w a <http://example.org/Work> }"
        ),
        2
    );
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) WHERE { <https://data.example.org/id/works/2> ?p ?w }"
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) WHERE { <https://data.example.org/id/agent/Ada> ?p ?l }"
        ),
        1
    );
    // The CSV report traces each result to its file and record.
    let csv = std::fs::read_to_string(dir.path().join("reports/works.validation.csv")).unwrap();
    assert!(csv.starts_with("file,record,focus_node,path"), "{csv}");
    assert!(
        csv.lines().any(
            |l| l.contains("works.csv,2,https://data.example.org/id/works/2")
                && l.contains("Violation")
                && l.contains("a work needs a title")
        ),
        "{csv}"
    );
    assert_eq!(csv.lines().filter(|l| l.contains("Warning")).count(), 3);
    assert!(dir.path().join("reports/works.validation.ttl").is_file());

    // The report is served as RDF and as a page.
    let app = vitrine::server::app(vitrine::server::AppState::new(store, config));
    let get = |uri: &str, accept: &str| {
        let request = Request::get(uri)
            .header("accept", accept)
            .body(Body::empty())
            .unwrap();
        let reply = send(app.clone(), request);
        (reply.status, reply.body)
    };
    let (status, turtle) = get("/validation/works", "text/turtle");
    assert_eq!(status, StatusCode::OK);
    assert!(
        turtle.contains("sh:Violation") && turtle.contains("sh:conforms false"),
        "{turtle}"
    );
    let (status, page) = get("/validation/works", "text/html");
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("a work needs a title") && page.contains("4 résultat(s)"),
        "{page}"
    );
    assert_eq!(
        get("/validation/nothing", "text/turtle").0,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn the_command_line_reports_validation_and_exits_1_on_quarantine() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let output = vitrine(dir.path(), &["ingest"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("3 records read, 2 published, 1 quarantined"),
        "{err}"
    );
    assert!(
        err.contains("1 violations, 3 warnings, 0 infos · 1 records quarantined by violations"),
        "{err}"
    );
    assert!(err.contains("sh:MinCountConstraintComponent"), "{err}");
    // With the title fixed, everything is published and the exit code is 0.
    write(
        &dir.path().join("works.csv"),
        "id,title,artist\n1,Vase,Ada\n2,Jug,Ada\n3,Cup,Bob\n",
    );
    let output = vitrine(dir.path(), &["ingest"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
