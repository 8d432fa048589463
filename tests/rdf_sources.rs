//! Datasets given as RDF files, with no mapping: the same gate, counts and publication as
//! mapped records.

use crate::util::{count, memory, select, write};
use vitrine::config::Config;

const THESAURUS: &str = r#"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://data.example.org/id/theme/> .

ex:peinture a skos:Concept ;
    skos:prefLabel "peinture"@fr, "painting"@en ;
    skos:note [ a skos:Note ; skos:prefLabel "note sur la peinture"@fr ] .

ex:gravure a skos:Concept ;
    skos:prefLabel "gravure"@fr .

ex:sans-nom a skos:Concept ;
    skos:note [ a skos:Note ; skos:prefLabel "un concept sans libellé"@fr ] .
"#;

const AUTHORITIES: &str = "<https://data.example.org/id/agent/a> <http://www.w3.org/2004/02/skos/core#prefLabel> \"A\" .
<https://data.example.org/id/agent/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .
<https://data.example.org/id/agent/b> <http://www.w3.org/2004/02/skos/core#prefLabel> \"B\" oops .
<https://data.example.org/id/agent/c> <http://www.w3.org/2004/02/skos/core#prefLabel> \"C\" .
<https://data.example.org/id/agent/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .
";

const SHAPES: &str = r#"@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/shapes/> .
ex:Concept a sh:NodeShape ; sh:targetClass skos:Concept ;
    sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ; sh:message "A concept needs a label." ] .
"#;

fn publisher(dir: &std::path::Path, extra: &str) -> Config {
    write(&dir.join("thesaurus.ttl"), THESAURUS);
    write(&dir.join("authorities.nt"), AUTHORITIES);
    write(&dir.join("shapes.ttl"), SHAPES);
    write(
        &dir.join("vitrine.toml"),
        &format!(
            "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
             [[datasets]]\nid = \"themes\"\ntitle = {{ fr = \"Thèmes\" }}\nlicense = \"https://example.org/l\"\n\
             sources = [\"thesaurus.ttl\", \"authorities.nt\"]\nshapes = [\"shapes.ttl\"]\n{extra}"
        ),
    );
    Config::load(&dir.join("vitrine.toml")).unwrap()
}

#[test]
fn rdf_files_go_through_the_gate_as_records() {
    let dir = tempfile::tempdir().unwrap();
    let config = publisher(dir.path(), "");
    let store = memory("https://data.example.org/");
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    // Records: three concepts (each with its nested note) in the Turtle file; in the N-Triples
    // file agent a, the bad line, agent c.
    assert_eq!(summary.records_read, 6, "{:?}", summary.errors);
    assert_eq!(
        summary.records_published + summary.records_quarantined,
        summary.records_read
    );
    assert_eq!(summary.records_quarantined, 2, "{:?}", summary.errors);
    let errors: Vec<String> = summary.errors.iter().map(ToString::to_string).collect();
    let nt = dir.path().join("authorities.nt").display().to_string();
    let ttl = dir.path().join("thesaurus.ttl").display().to_string();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("{nt} record 2: line 3"))),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("{ttl} record 3: sh:Violation"))
                && e.contains("A concept needs a label.")),
        "{errors:?}"
    );
    // The quarantined concept is gone with its blank note; the others are published.
    let b = "https://data.example.org/id/theme/";
    assert_eq!(
        count(
            &store,
            &format!("SELECT (COUNT(*) AS ?n) {{ <{b}sans-nom> ?p ?o }}")
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) { ?n a <http://www.w3.org/2004/02/skos/core#Note> }"
        ),
        1,
        "the note of the quarantined concept is removed with it"
    );
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) { ?c a <http://www.w3.org/2004/02/skos/core#Concept> }"
        ),
        4
    );
    let view = store.published();
    let themes = view.get("themes").unwrap();
    assert_eq!(
        themes.graph.as_str(),
        "https://data.example.org/graph/themes"
    );
    assert_eq!(themes.counts.records_quarantined, 2);
    // Provenance names both files, with no mapping.
    let provenance = store.provenance("themes").unwrap();
    let files: Vec<String> = provenance
        .iter()
        .filter(|t| t.predicate.as_str() == "http://purl.org/dc/terms/title")
        .map(|t| t.object.to_string())
        .collect();
    assert!(files.contains(&"\"thesaurus.ttl\"".to_owned()), "{files:?}");
    assert!(
        files.contains(&"\"authorities.nt\"".to_owned()),
        "{files:?}"
    );
}

/// In Turtle, a statement broken half way fails the record it belongs to, and the parser
/// resumes at the next statement.
#[test]
fn a_broken_turtle_statement_fails_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let config = publisher(dir.path(), "");
    write(
        &dir.path().join("thesaurus.ttl"),
        &THESAURUS.replace(
            "skos:prefLabel \"gravure\"@fr .",
            "skos:prefLabel \"gravure\"@fr ; skos:broader <not an iri> .",
        ),
    );
    let store = memory("https://data.example.org/");
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    let errors: Vec<String> = summary.errors.iter().map(ToString::to_string).collect();
    let ttl = dir.path().join("thesaurus.ttl").display().to_string();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("{ttl} record 2: "))),
        "{errors:?}"
    );
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) { <https://data.example.org/id/theme/gravure> ?p ?o }"
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) { <https://data.example.org/id/theme/peinture> ?p ?o }"
        ),
        4
    );
    assert_eq!(
        summary.records_published + summary.records_quarantined,
        summary.records_read
    );
}

#[test]
fn a_dataset_keeps_the_graph_name_it_is_known_by() {
    let dir = tempfile::tempdir().unwrap();
    let config = publisher(
        dir.path(),
        "graph = \"http://kasei.us/2009/09/sparql/data/data1.rdf\"\n",
    );
    let store = memory("https://data.example.org/");
    vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    let rows = select(&store, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["g"].to_string(),
        "<http://kasei.us/2009/09/sparql/data/data1.rdf>"
    );
}

#[test]
fn files_that_are_not_rdf_need_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("export.csv"), "a,b\n1,2\n");
    let base = "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
                [[datasets]]\nid = \"x\"\ntitle = { fr = \"X\" }\nlicense = \"https://example.org/l\"\n";
    let path = dir.path().join("vitrine.toml");
    write(&path, &format!("{base}sources = [\"export.csv\"]\n"));
    let err = Config::load(&path).unwrap_err().to_string();
    assert!(err.contains("`datasets[0].sources`"), "{err}");
    assert!(err.contains("export.csv is not an RDF file"), "{err}");
    write(
        &path,
        &format!(
            "{base}sources = [\"export.csv\"]\ngraph = \"https://data.example.org/vitrine/metadata\"\n"
        ),
    );
    // Checked in order: the sources first.
    assert!(Config::load(&path).is_err());
    write(&dir.path().join("x.ttl"), "");
    write(
        &path,
        &format!(
            "{base}sources = [\"x.ttl\"]\ngraph = \"https://data.example.org/vitrine/metadata\"\n"
        ),
    );
    let err = Config::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("`datasets[0].graph`") && err.contains("reserved"),
        "{err}"
    );
}
