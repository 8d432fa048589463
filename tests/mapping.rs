//! The RML engine on small hand-written mappings: vocabularies, errors, quarantine.

use crate::util::{run_rml, write, write_config};
use vitrine::config::Config;
use vitrine::mapping::{Executor, Mapping};

const LEGACY: &str = r#"
@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix ex: <http://example.org/> .
<#People> rml:logicalSource [ rml:source "people.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://example.org/person/{name}" ; rr:class ex:Person ] ;
  rr:predicateObjectMap [ rr:predicate ex:name ; rr:objectMap [ rml:reference "name" ; rr:language "fr" ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:page ; rr:objectMap [ rr:column "page" ; rr:termType rr:IRI ] ] .
"#;

#[test]
fn legacy_vocabulary_and_iri_safe_templates() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("people.csv"),
        "\u{feff}name,page\nJosé Martí,http://ex.org/a%20b\nA/B C,\n",
    );
    let (quads, errors) = run_rml(dir.path(), LEGACY);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        quads.contains(
            &"<http://example.org/person/José%20Martí> <http://example.org/name> \"José Martí\"@fr"
                .to_owned()
        ),
        "{quads:#?}"
    );
    // A reference-valued IRI is used as it is, never re-encoded.
    assert!(quads.contains(&"<http://example.org/person/José%20Martí> <http://example.org/page> <http://ex.org/a%20b>".to_owned()));
    assert!(quads.contains(&"<http://example.org/person/A%2FB%20C> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/Person>".to_owned()));
    // The empty cell makes no triple.
    assert_eq!(quads.iter().filter(|q| q.contains("/page>")).count(), 1);
}

#[test]
fn unknown_reference_names_the_triples_map_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("people.csv"), "nom,page\nx,y\n");
    let path = dir.path().join("mapping.ttl");
    write(&path, LEGACY);
    let mapping = Mapping::from_path(&path).unwrap();
    let err = Executor::new(&mapping, "http://example.org/")
        .run()
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("reference `name` is not a column"), "{err}");
    assert!(err.contains("(columns: nom, page)"), "{err}");
    assert!(err.contains("#People>"), "{err}");
}

#[test]
fn bad_mapping_names_the_term_map() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("people.csv"), "name\nx\n");
    let path = dir.path().join("mapping.ttl");
    write(
        &path,
        &LEGACY.replace(
            "rr:template \"http://example.org/person/{name}\"",
            "rr:template \"http://example.org/person/{name\"",
        ),
    );
    let err = Mapping::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("rml:subjectMap"), "{err}");
    assert!(err.contains("unclosed `{`"), "{err}");
    write(&path, "this is not turtle");
    let err = Mapping::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("is not valid Turtle"), "{err}");
}

#[test]
fn bad_records_are_quarantined_with_their_position_and_counts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("m.ttl"), LEGACY);
    // Record 2's page is not an IRI; record 3 has a missing column (malformed row).
    write(
        &dir.path().join("people.csv"),
        "name,page\nAda,http://ex.org/ada\nBob,not an iri\nCy\nDee,\n",
    );
    write_config(dir.path(), "people", &["people.csv"], &[]);
    let config = Config::load(&dir.path().join("vitrine.toml")).unwrap();
    let store = crate::util::memory("https://data.example.org/");
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    assert_eq!(summary.records_read, 4);
    assert_eq!(summary.records_published, 2);
    assert_eq!(summary.records_quarantined, 2);
    let messages: Vec<String> = summary.errors.iter().map(ToString::to_string).collect();
    let csv = dir.path().join("people.csv").display().to_string();
    assert!(
        messages[0].starts_with(&format!(
            "{csv} record 2, field `page`: <https://data.example.org/not an iri> is not a valid IRI"
        )),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with(&format!("{csv} record 3: malformed CSV row")),
        "{messages:?}"
    );
    // Nothing of a quarantined record is published.
    assert!(!crate::util::ask(&store, "ASK { ?s ?p \"Bob\"@fr }"));
}

#[test]
fn an_unused_source_in_the_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("m.ttl"), LEGACY);
    write(&dir.path().join("people.csv"), "name,page\nAda,\n");
    write(&dir.path().join("other.csv"), "x\n1\n");
    write_config(dir.path(), "people", &["people.csv", "other.csv"], &[]);
    let config = Config::load(&dir.path().join("vitrine.toml")).unwrap();
    let store = crate::util::memory(config.base_iri.as_str());
    let err = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("other.csv is listed in"), "{err}");
    assert!(err.contains("never reads it"), "{err}");
}

const RML_CORE: &str = r#"
@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.org/> .
<#Works> rml:baseIRI <http://works.example/> ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ;
      rml:path "works.json" ] ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "{$.id}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:uri ;
      rml:objectMap [ rml:template "http://example.org/name/{$.names[*]}" ; rml:termType rml:URI ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:by ; rml:objectMap [ rml:parentTriplesMap <#Makers> ;
      rml:joinCondition [ rml:childMap [ rml:template "m-{$.maker}" ] ;
                          rml:parentMap [ rml:reference "$.key" ] ] ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:note ; rml:objectMap [ rml:reference "$.note" ] ;
      rml:graph rml:defaultGraph, ex:notes ] .
<#Makers> rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ;
      rml:path "makers.json" ] ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:termType rml:BlankNode ] ;
  rml:predicateObjectMap [ rml:predicate ex:key ; rml:objectMap [ rml:reference "$.key" ] ] .
"#;

/// RML-Core terms beyond R2RML: a triples map's own base, multi-valued template references
/// (one term per value), `rml:URI` encoding, join conditions on term maps, value-less blank
/// nodes (one per record) and `rml:defaultGraph` next to a named graph.
#[test]
fn rml_core_term_maps_joins_and_graphs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("works.json"),
        r#"[{"id": "w1", "names": ["Zoë", "A/B"], "maker": "1", "note": "n"}]"#,
    );
    write(
        &dir.path().join("makers.json"),
        r#"[{"key": "m-1"}, {"key": "m-2"}]"#,
    );
    let (quads, errors) = run_rml(dir.path(), RML_CORE);
    assert!(errors.is_empty(), "{errors:?}");
    let w1 = "<http://works.example/w1>";
    for expected in [
        format!("{w1} <http://example.org/uri> <http://example.org/name/Zo%C3%AB>"),
        format!("{w1} <http://example.org/uri> <http://example.org/name/A%2FB>"),
        format!("{w1} <http://example.org/note> \"n\""),
        format!("{w1} <http://example.org/note> \"n\" <http://example.org/notes>"),
    ] {
        assert!(
            quads.contains(&expected),
            "missing {expected} in {quads:#?}"
        );
    }
    // The join matches maker m-1 only, a blank node of its own.
    let by: Vec<&String> = quads.iter().filter(|q| q.contains("/by>")).collect();
    assert_eq!(by.len(), 1, "{quads:#?}");
    let maker = by[0].split(' ').nth(2).unwrap();
    assert!(maker.starts_with("_:"), "{maker}");
    assert!(quads.contains(&format!("{maker} <http://example.org/key> \"m-1\"")));
    let blank_subjects = quads.iter().filter(|q| q.contains("/key>")).count();
    assert_eq!(blank_subjects, 2, "one fresh blank node per maker record");
}

#[test]
fn a_constant_blank_node_is_a_mapping_error() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("works.json"), "[]");
    let path = dir.path().join("mapping.ttl");
    write(
        &path,
        r#"@prefix rml: <http://w3id.org/rml/> .
<#Works> rml:logicalSource [ rml:source "works.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:constant "School" ; rml:termType rml:BlankNode ] ."#,
    );
    let err = Mapping::from_path(&path).unwrap_err().to_string();
    assert!(
        err.contains("#Works") && err.contains("rml:subjectMap") && err.contains("blank node"),
        "{err}"
    );
}

/// Mapping on worker threads hands out the same items, in the same order, as iterating.
#[test]
fn parallel_mapping_gives_what_iterating_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,name\n");
    for i in 0..2000 {
        // Every 7th row has an invalid IRI in it: a record error, in order too.
        let name = if i % 7 == 0 {
            "a b{".to_owned()
        } else {
            format!("n{i}")
        };
        csv.push_str(&format!("{i},{name}\n"));
    }
    write(&dir.path().join("rows.csv"), &csv);
    let path = dir.path().join("mapping.ttl");
    write(
        &path,
        r#"@prefix rml: <http://w3id.org/rml/> .
<#Rows> rml:logicalSource [ rml:source "rows.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/{id}" ] ;
  rml:predicateObjectMap [ rml:predicate <http://example.org/name> ;
      rml:objectMap [ rml:reference "name" ; rml:termType rml:IRI ] ] ."#,
    );
    let mapping = Mapping::from_path(&path).unwrap();
    let describe = |item: vitrine::mapping::Item| match item {
        Ok(r) => format!(
            "{} {:?} {:?}",
            r.position.record,
            r.quads().collect::<Vec<_>>(),
            r.errors
        ),
        Err(e) => e.to_string(),
    };
    let sequential: Vec<String> = Executor::new(&mapping, "http://example.org/")
        .run()
        .unwrap()
        .map(describe)
        .collect();
    let mut parallel = Vec::new();
    Executor::new(&mapping, "http://example.org/")
        .run()
        .unwrap()
        .for_each_parallel(3, |item| {
            parallel.push(describe(item));
            true
        });
    assert_eq!(sequential.len(), 2000);
    assert!(
        sequential
            .iter()
            .filter(|s| s.contains("not a valid IRI"))
            .count()
            > 200
    );
    assert_eq!(parallel, sequential);
    // Stopping early stops.
    let mut seen = 0;
    Executor::new(&mapping, "http://example.org/")
        .run()
        .unwrap()
        .for_each_parallel(2, |_| {
            seen += 1;
            seen < 10
        });
    assert_eq!(seen, 10);
}

/// Classes and predicate–object maps are applied in the order the file writes them, whatever
/// labels the parser gives their blank nodes, so two runs write identical files.
#[test]
fn output_follows_the_mapping_file_order() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("items.csv"), "id,a,b,c,d\n1,w,x,y,z\n");
    let path = dir.path().join("mapping.ttl");
    write(
        &path,
        r#"@prefix rml: <http://w3id.org/rml/> .
        @prefix ex: <http://example.org/> .
        <#Items> rml:logicalSource [ rml:source "items.csv" ; rml:referenceFormulation rml:CSV ] ;
          rml:subjectMap [ rml:template "http://example.org/{id}" ; rml:class ex:Zeta, ex:Alpha, ex:Mid ] ;
          rml:predicateObjectMap [ rml:predicate ex:p4 ; rml:objectMap [ rml:reference "d" ] ] ,
            [ rml:predicate ex:p1 ; rml:objectMap [ rml:reference "a" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:p3 ; rml:objectMap [ rml:reference "c" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:p2 ; rml:objectMap [ rml:reference "b" ] ] .
        "#,
    );
    for _ in 0..5 {
        let mapping = Mapping::from_path(&path).unwrap();
        let objects: Vec<String> = Executor::new(&mapping, "http://example.org/")
            .run()
            .unwrap()
            .flat_map(|r| {
                let r = r.unwrap();
                r.quads().map(|q| q.object.to_string()).collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            objects,
            [
                "<http://example.org/Zeta>",
                "<http://example.org/Alpha>",
                "<http://example.org/Mid>",
                "\"z\"",
                "\"w\"",
                "\"y\"",
                "\"x\"",
            ]
        );
    }
}

/// Ingest tells which XML references matched nothing in the whole export, and still publishes.
#[test]
fn ingest_reports_references_that_never_matched() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("m.ttl"),
        r#"@prefix rml: <http://w3id.org/rml/> .
        @prefix ex: <http://example.org/> .
        <#Books> rml:logicalSource [ rml:source "books.xml" ; rml:referenceFormulation rml:XPath ;
             rml:iterator "/books/book" ] ;
          rml:subjectMap [ rml:template "http://example.org/book/{@id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "title" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:author ; rml:objectMap [ rml:reference "autor" ] ] .
        "#,
    );
    write(
        &dir.path().join("books.xml"),
        "<books><book id=\"1\"><title>Salammbô</title><author>Flaubert</author></book></books>",
    );
    write_config(dir.path(), "books", &["books.xml"], &[]);
    let config = Config::load(&dir.path().join("vitrine.toml")).unwrap();
    let store = crate::util::memory(config.base_iri.as_str());
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    assert_eq!(summary.records_published, 1);
    assert_eq!(summary.triples, 1);
    assert_eq!(
        summary.unused_term_maps.len(),
        1,
        "{:?}",
        summary.unused_term_maps
    );
    assert!(
        summary.unused_term_maps[0].ends_with(
            "#Books (books.xml): the object map of <http://example.org/author> (reference `autor`) made no term for any record"
        ),
        "{:?}",
        summary.unused_term_maps
    );
}

/// vitrine.toml says how a dataset's CSV files are written, over what the mapping says.
#[test]
fn the_config_gives_the_csv_dialect() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("m.ttl"), LEGACY);
    std::fs::write(
        dir.path().join("people.csv"),
        b"name;page\nJos\xe9 Mart\xed;http://ex.org/jm\n",
    )
    .unwrap();
    write_config(dir.path(), "people", &["people.csv"], &[]);
    let toml = dir.path().join("vitrine.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    write(
        &toml,
        &format!("{text}csv = {{ delimiter = \";\", encoding = \"windows-1252\" }}\n"),
    );
    let config = Config::load(&toml).unwrap();
    let store = crate::util::memory(config.base_iri.as_str());
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    assert_eq!(summary.records_published, 1, "{:?}", summary.errors);
    assert_eq!(
        crate::util::count(
            &store,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://example.org/name> \"José Martí\"@fr } }"
        ),
        1
    );
    write(&toml, &format!("{text}csv = {{ delimiter = \"tab\" }}\n"));
    let error = Config::load(&toml).unwrap_err().to_string();
    assert!(
        error.contains("`datasets[0].csv`") && error.contains("delimiter \"tab\""),
        "{error}"
    );
}
