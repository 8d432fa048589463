//! CSV dialects, JSON (JSONPath) and XML (XPath) logical sources: iterators, nested and multi-valued
//! references, JSON Lines with a bad line, namespaces, a real Gallica SRU file and a few official
//! RML-Core cases.

use crate::util::write;
use oxigraph::io::{RdfFormat, RdfParser};
use std::path::{Path, PathBuf};
use vitrine::mapping::{Executor, Mapping};

const XSD: &str = "<http://www.w3.org/2001/XMLSchema#";
const PREFIXES: &str =
    "@prefix rml: <http://w3id.org/rml/> .\n@prefix ex: <http://example.org/> .\n";

/// Runs the mapping file at `path`: sorted quads, errors, and the record numbers mapped.
fn run_file(path: &Path, base: &str) -> (Vec<String>, Vec<String>, Vec<u64>) {
    let mapping = Mapping::from_path(path).unwrap();
    let (mut quads, mut errors, mut records) = (Vec::new(), Vec::new(), Vec::new());
    for item in Executor::new(&mapping, base).run().unwrap() {
        match item {
            Ok(r) => {
                records.push(r.position.record);
                quads.extend(r.quads().map(|q| q.to_string()));
                errors.extend(r.errors.iter().map(ToString::to_string));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    quads.sort();
    (quads, errors, records)
}

fn run(dir: &Path, mapping: &str) -> (Vec<String>, Vec<String>, Vec<u64>) {
    let path = dir.join("mapping.ttl");
    write(&path, &format!("{PREFIXES}{mapping}"));
    run_file(&path, "http://example.org/base/")
}

fn sorted(quads: &[&str]) -> Vec<String> {
    let mut quads: Vec<String> = quads.iter().map(|q| (*q).to_owned()).collect();
    quads.sort();
    quads
}

#[test]
fn json_iterator_nested_references_arrays_and_null() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("objects.json"),
        r#"{"museum": "M", "items": [
          {"id": 1, "title": "Vase", "maker": {"name": "Ada"}, "tags": ["a", 2, null],
           "date": null, "onView": true, "price": 2.5, "Object Type": "pot"},
          {"id": "b2", "title": "Cup", "maker": {"name": null}, "tags": [], "date": "1900"}
        ]}"#,
    );
    let (quads, errors, records) = run(
        dir.path(),
        r#"<#Objects> rml:logicalSource [ rml:source "objects.json" ;
             rml:referenceFormulation rml:JSONPath ; rml:iterator "$.items[*]" ] ;
          rml:subjectMap [ rml:template "http://example.org/obj/{$.id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "title" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:maker ; rml:objectMap [ rml:reference "$.maker.name" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:tag ; rml:objectMap [ rml:reference "$.tags[*]" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:date ; rml:objectMap [ rml:reference "date" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:onView ; rml:objectMap [ rml:reference "$.onView" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:price ; rml:objectMap [ rml:reference "price" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:type ; rml:objectMap [ rml:reference "Object Type" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:unknown ; rml:objectMap [ rml:reference "$.nowhere" ] ] .
        "#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records, [1, 2]);
    let o1 = "<http://example.org/obj/1>";
    let o2 = "<http://example.org/obj/b2>";
    let expected = [
        format!("{o1} <http://example.org/title> \"Vase\""),
        format!("{o1} <http://example.org/maker> \"Ada\""),
        format!("{o1} <http://example.org/tag> \"a\""),
        format!("{o1} <http://example.org/tag> \"2\"^^{XSD}integer>"),
        format!("{o1} <http://example.org/onView> \"true\"^^{XSD}boolean>"),
        format!("{o1} <http://example.org/price> \"2.5\"^^{XSD}double>"),
        format!("{o1} <http://example.org/type> \"pot\""),
        format!("{o2} <http://example.org/title> \"Cup\""),
        format!("{o2} <http://example.org/date> \"1900\""),
    ];
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(quads, sorted(&expected));
}

/// RML-Core: a reference selecting an array (or an object) is an error naming the field, with
/// the `[*]` that selects its items; the record is quarantined, the others are mapped.
#[test]
fn json_reference_to_an_array_is_a_record_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("objects.json"),
        r#"[{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": "c"}]"#,
    );
    let (quads, errors, records) = run(
        dir.path(),
        r#"<#Objects> rml:logicalSource [ rml:source "objects.json" ;
             rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
          rml:subjectMap [ rml:template "http://example.org/obj/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:tag ; rml:objectMap [ rml:reference "tags" ] ] .
        "#,
    );
    assert_eq!(records, [1, 2]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("objects.json record 1, field `tags`")
            && errors[0].contains("write `tags[*]`"),
        "{errors:?}"
    );
    assert_eq!(
        quads,
        sorted(&["<http://example.org/obj/2> <http://example.org/tag> \"c\""])
    );
}

#[test]
fn json_lines_bad_line_is_one_record_error_and_the_rest_is_mapped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("people.jsonl"),
        "{\"id\": \"ada\", \"name\": \"Ada\"}\n{\"id\": \"bob\", \"name\": \n\n{\"id\": \"cy\", \"name\": \"Cy\"}\n",
    );
    let (quads, errors, records) = run(
        dir.path(),
        r#"<#People> rml:logicalSource [ rml:source "people.jsonl" ; rml:referenceFormulation rml:JSONPath ] ;
          rml:subjectMap [ rml:template "http://example.org/p/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:name ; rml:objectMap [ rml:reference "name" ] ] .
        "#,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("people.jsonl record 2"), "{errors:?}");
    assert!(errors[0].contains("line 2 is not valid JSON"), "{errors:?}");
    assert_eq!(records, [1, 3]);
    assert_eq!(
        quads,
        sorted(&[
            "<http://example.org/p/ada> <http://example.org/name> \"Ada\"",
            "<http://example.org/p/cy> <http://example.org/name> \"Cy\"",
        ])
    );
}

const CATALOGUE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<cat:catalogue xmlns:cat="http://example.org/cat#" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <cat:item id="1"><dc:title>Vase</dc:title><dc:subject>a</dc:subject><dc:subject>b</dc:subject>
    <cat:maker xmlns:foaf="http://xmlns.com/foaf/0.1/"><foaf:name>Ada</foaf:name></cat:maker></cat:item>
  <cat:item id="2"><dc:title>Cup &amp; saucer</dc:title><dc:subject/></cat:item>
  <item id="3"><dc:title>Not in the namespace</dc:title></item>
  <cat:group><cat:item id="4"><dc:title>Too deep</dc:title></cat:item></cat:group>
</cat:catalogue>
"#;

fn catalogue_mapping(iterator: &str) -> String {
    format!(
        r#"<#Items> rml:logicalSource [ rml:source "catalogue.xml" ; rml:referenceFormulation rml:XPath ;
             rml:iterator "{iterator}" ;
             rml:namespace [ rml:namespacePrefix "c" ; rml:namespaceURL "http://example.org/cat#" ] ;
             rml:namespace [ rml:namespacePrefix "f" ; rml:namespaceURL "http://xmlns.com/foaf/0.1/" ] ] ;
          rml:subjectMap [ rml:template "http://example.org/item/{{@id}}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "dc:title" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:subject ; rml:objectMap [ rml:reference "dc:subject/text()" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:maker ; rml:objectMap [ rml:reference "c:maker/f:name" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:count ; rml:objectMap [ rml:reference "count(dc:subject)" ] ] .
        "#
    )
}

#[test]
fn xml_namespaces_and_attributes_streamed_or_not() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("catalogue.xml"), CATALOGUE);
    let item =
        |n: &str, rest: &str| format!("<http://example.org/item/{n}> <http://example.org/{rest}");
    let expected = [
        item("1", "title> \"Vase\""),
        item("1", "subject> \"a\""),
        item("1", "subject> \"b\""),
        item("1", "maker> \"Ada\""),
        item("1", "count> \"2\""),
        item("2", "title> \"Cup & saucer\""),
        item("2", "count> \"1\""),
    ];
    let expected = sorted(&expected.iter().map(String::as_str).collect::<Vec<_>>());
    // A plain path is streamed; the predicate forces the whole-document reader.
    for iterator in ["/c:catalogue/c:item", "/c:catalogue/c:item[@id]"] {
        let (quads, errors, records) = run(dir.path(), &catalogue_mapping(iterator));
        assert!(errors.is_empty(), "{iterator}: {errors:?}");
        assert_eq!(records, [1, 2], "{iterator}");
        assert_eq!(quads, expected, "{iterator}");
    }
    let (quads, errors, _) = run(dir.path(), &catalogue_mapping("//c:item"));
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        quads.iter().any(|q| q.contains("\"Too deep\"")),
        "{quads:?}"
    );
}

#[test]
fn malformed_xml_is_a_record_error_after_the_good_records() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("catalogue.xml"),
        "<cat:catalogue xmlns:cat=\"http://example.org/cat#\"><cat:item id=\"1\"/><cat:item id=\"2\"></oops></cat:catalogue>",
    );
    let (quads, errors, records) = run(dir.path(), &catalogue_mapping("/c:catalogue/c:item"));
    assert_eq!(records, [1]);
    assert_eq!(
        quads,
        ["<http://example.org/item/1> <http://example.org/count> \"0\""]
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("catalogue.xml record 2"), "{errors:?}");
}

#[test]
fn gallica_sru_records() {
    let dir = tempfile::tempdir().unwrap();
    let Some(data) = shared("data/gallica-oai-dc/bnf-bo.xml") else {
        return;
    };
    std::fs::copy(&data, dir.path().join("bnf-bo.xml")).unwrap();
    let (quads, errors, records) = run(
        dir.path(),
        r#"<#Books> rml:logicalSource [ rml:source "bnf-bo.xml" ; rml:referenceFormulation rml:XPath ;
             rml:iterator "/srw:records/srw:record" ] ;
          rml:subjectMap [ rml:reference "srw:recordData/oai_dc:dc/dc:identifier" ; rml:class ex:Book ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ;
             rml:objectMap [ rml:reference "srw:recordData/oai_dc:dc/dc:title" ; rml:language "fr" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:thumbnail ;
             rml:objectMap [ rml:reference "srw:extraRecordData/thumbnail" ; rml:termType rml:IRI ] ] .
        "#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 66);
    assert_eq!(records.last(), Some(&66));
    let count = |p: &str| quads.iter().filter(|q| q.contains(p)).count();
    assert_eq!(count("<http://example.org/Book>"), 66);
    assert_eq!(count("<http://example.org/title>"), 66);
    assert_eq!(count("<http://example.org/thumbnail>"), 66);
    assert!(quads.contains(&"<https://gallica.bnf.fr/ark:/12148/bpt6k91072621> <http://example.org/thumbnail> <https://gallica.bnf.fr/ark:/12148/bpt6k91072621.thumbnail>".to_owned()), "{quads:#?}");
    assert!(quads.iter().any(|q| q.starts_with(
        "<https://gallica.bnf.fr/ark:/12148/bpt6k91072621> <http://example.org/title> \"Vie du bienheureux innocent V"
    )));
}

/// A file of the shared material beside the project (`../shared/`), when it is there.
fn shared(relative: &str) -> Option<PathBuf> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = ["../shared", "../../shared"]
        .iter()
        .map(|s| project.join(s).join(relative))
        .find(|p| p.exists());
    if found.is_none() {
        eprintln!("skipped: shared {relative} is not there");
    }
    found
}

/// Runs an official RML-Core case and returns (produced, expected) sorted N-Quads lines.
fn conformance(case: &str) -> Option<(Vec<String>, Vec<String>)> {
    let folder = shared(&format!("conformance/{case}"))?;
    let (quads, errors, _) = run_file(&folder.join("mapping.ttl"), "http://example.com/");
    assert!(errors.is_empty(), "{case}: {errors:?}");
    let expected = std::fs::read(folder.join("output.nq")).unwrap();
    let mut expected: Vec<String> = RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&expected)
        .map(|q| q.unwrap().to_string())
        .collect();
    expected.sort();
    Some((quads, expected))
}

#[test]
fn official_rml_core_cases() {
    for case in [
        "rml-core/RMLTC0001a-JSON",
        "rml-core/RMLTC0002a-JSON",
        "rml-core/RMLTC0025a-JSON",
        "rml-core/RMLTC0009a-JSON",
        "rml-core/RMLTC0013a-JSON",
        "rml-core-csv-xml/xml/RMLTC0001a",
        "rml-core-csv-xml/xml/RMLTC0002a",
        "rml-core-csv-xml/xml/rml_spec_example_section_3",
    ] {
        if let Some((produced, expected)) = conformance(case) {
            assert_eq!(produced, expected, "{case}");
        }
    }
}

#[test]
fn rml_io_namespaces_on_the_reference_formulation() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("catalogue.xml"), CATALOGUE);
    let (quads, errors, records) = run(
        dir.path(),
        r#"<#Items> rml:logicalSource [ rml:source "catalogue.xml" ; rml:iterator "/k:catalogue/k:item" ;
             rml:referenceFormulation [ a rml:XPathReferenceFormulation ;
               rml:namespace [ rml:namespacePrefix "k" ; rml:namespaceURL "http://example.org/cat#" ] ;
               rml:namespace [ rml:namespacePrefix "t" ; rml:namespaceURL "http://purl.org/dc/elements/1.1/" ] ] ] ;
          rml:subjectMap [ rml:template "http://example.org/item/{@id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "t:title" ] ] .
        "#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records, [1, 2]);
    assert_eq!(
        quads,
        sorted(&[
            "<http://example.org/item/1> <http://example.org/title> \"Vase\"",
            "<http://example.org/item/2> <http://example.org/title> \"Cup & saucer\"",
        ])
    );
}

/// A `;`-separated Windows-1252 export, as spreadsheets save them in France: "Musée", "Gérôme".
const LATIN1_CSV: &[u8] =
    b"id;artiste;mus\xe9e\r\n1;G\xe9r\xf4me;Mus\xe9e d'Orsay\r\n2;N/A;Louvre\r\n";

fn latin1_expected() -> Vec<String> {
    sorted(&[
        "<http://example.org/obj/1> <http://example.org/maker> \"Gérôme\"",
        "<http://example.org/obj/1> <http://example.org/keeper> \"Musée d'Orsay\"",
        "<http://example.org/obj/2> <http://example.org/keeper> \"Louvre\"",
    ])
}

#[test]
fn csv_dialect_delimiter_and_encoding_in_rml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("export.csv"), LATIN1_CSV).unwrap();
    let (quads, errors, records) = run(
        dir.path(),
        r#"@prefix csvw: <http://www.w3.org/ns/csvw#> .
        <#Objects> rml:logicalSource [ rml:referenceFormulation rml:CSV ;
             rml:source [ a csvw:Table ; csvw:url "export.csv" ; csvw:null "N/A" ;
               csvw:dialect [ a csvw:Dialect ; csvw:delimiter ";" ; csvw:encoding "windows-1252" ] ] ] ;
          rml:subjectMap [ rml:template "http://example.org/obj/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:maker ; rml:objectMap [ rml:reference "artiste" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:keeper ; rml:objectMap [ rml:reference "musée" ] ] .
        "#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records, [1, 2]);
    assert_eq!(quads, latin1_expected());
}

#[test]
fn csv_dialect_delimiter_and_encoding_in_yarrrml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("export.csv"), LATIN1_CSV).unwrap();
    let path = dir.path().join("mapping.yml");
    write(
        &path,
        r#"prefixes:
  ex: http://example.org/
sources:
  export:
    access: export.csv
    referenceFormulation: csv
    delimiter: ";"
    encoding: windows-1252
    null: N/A
mappings:
  objects:
    sources: export
    s: http://example.org/obj/$(id)
    po:
      - [ex:maker, $(artiste)]
      - [ex:keeper, $(musée)]
"#,
    );
    let (quads, errors, records) = run_file(&path, "http://example.org/base/");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records, [1, 2]);
    assert_eq!(quads, latin1_expected());
}

#[test]
fn csv_in_another_encoding_than_declared_is_reported_record_by_record() {
    let dir = tempfile::tempdir().unwrap();
    // The header is ASCII, so the file opens; each row with a Windows-1252 byte is refused.
    std::fs::write(
        dir.path().join("export.csv"),
        b"id;artiste\r\n1;G\xe9r\xf4me\r\n2;Monet\r\n",
    )
    .unwrap();
    let (quads, errors, records) = run(
        dir.path(),
        r#"@prefix csvw: <http://www.w3.org/ns/csvw#> .
        <#Objects> rml:logicalSource [ rml:referenceFormulation rml:CSV ;
             rml:source [ a csvw:Table ; csvw:url "export.csv" ; csvw:dialect [ csvw:delimiter ";" ] ] ] ;
          rml:subjectMap [ rml:template "http://example.org/obj/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:maker ; rml:objectMap [ rml:reference "artiste" ] ] .
        "#,
    );
    assert_eq!(records, [2]);
    assert_eq!(
        quads,
        ["<http://example.org/obj/2> <http://example.org/maker> \"Monet\""]
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("export.csv record 1, field `artiste`")
            && errors[0].contains("not valid UTF-8")
            && errors[0].contains("encoding"),
        "{errors:?}"
    );
}

#[test]
fn bad_csv_dialects_name_the_term() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("export.csv"), LATIN1_CSV).unwrap();
    for (dialect, expected) in [
        (r#"csvw:delimiter ";;""#, r#"delimiter ";;""#),
        (r#"csvw:encoding "latin-42""#, r#"encoding "latin-42""#),
        (
            r#"csvw:skipRows 2"#,
            "csvw:skipRows is not supported (supported: csvw:delimiter",
        ),
        (r#"csvw:header false"#, "header false is not supported"),
        (
            r#"csvw:trim "sometimes""#,
            r#"trim "sometimes" must be true or false"#,
        ),
        (
            r#"<http://example.org/sep> ";""#,
            "<http://example.org/sep> is not a CSVW dialect property",
        ),
    ] {
        let path = dir.path().join("mapping.ttl");
        write(
            &path,
            &format!(
                r#"{PREFIXES}@prefix csvw: <http://www.w3.org/ns/csvw#> .
            <#Objects> rml:logicalSource [ rml:referenceFormulation rml:CSV ;
                 rml:source [ a csvw:Table ; csvw:url "export.csv" ; csvw:dialect [ {dialect} ] ] ] ;
              rml:subjectMap [ rml:template "http://example.org/obj/{{id}}" ] ."#
            ),
        );
        let error = Mapping::from_path(&path).unwrap_err().to_string();
        assert!(
            error.contains("#Objects")
                && error.contains("csvw:dialect")
                && error.contains(expected),
            "{error}"
        );
    }
    let path = dir.path().join("mapping.yml");
    write(
        &path,
        "mappings:\n  o:\n    sources:\n      access: export.csv\n      delimiter: tab\n    s: http://example.org/$(id)\n",
    );
    let error = Mapping::from_path(&path).unwrap_err().to_string();
    assert!(error.contains(r#"delimiter "tab""#), "{error}");
}

/// Runs `mapping` (written into `dir`) and returns what the run's coverage reports.
fn unused(dir: &Path, mapping: &str) -> Vec<String> {
    let path = dir.join("mapping.ttl");
    write(&path, &format!("{PREFIXES}{mapping}"));
    let parsed = Mapping::from_path(&path).unwrap();
    let run = Executor::new(&parsed, "http://example.org/").run().unwrap();
    let coverage = run.coverage();
    assert!(run.count() > 0);
    coverage.unused()
}

/// XML and JSON have no header: a reference that matches nothing in a whole source is reported
/// at the end (most likely a typo), naming the triples map, the predicate and the reference.
#[test]
fn references_matching_nothing_in_a_whole_source_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("catalogue.xml"), CATALOGUE);
    write(
        &dir.path().join("items.json"),
        r#"[{"id": 1, "title": "Vase"}, {"id": 2}]"#,
    );
    write(&dir.path().join("items.csv"), "id,title,note\n1,Vase,\n");
    let found = unused(
        dir.path(),
        r#"<#Xml> rml:logicalSource [ rml:source "catalogue.xml" ; rml:referenceFormulation rml:XPath ;
             rml:iterator "/cat:catalogue/cat:item" ] ;
          rml:subjectMap [ rml:template "http://example.org/item/{@id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "dc:title" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:creator ; rml:objectMap [ rml:reference "dc:creatr" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:page ; rml:objectMap [ rml:template "http://example.org/p/{dc:identifier}" ] ] .
        <#Json> rml:logicalSource [ rml:source "items.json" ; rml:referenceFormulation rml:JSONPath ;
             rml:iterator "$[*]" ] ;
          rml:subjectMap [ rml:template "http://example.org/j/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "title" ] ] ;
          rml:predicateObjectMap [ rml:predicate ex:label ; rml:objectMap [ rml:reference "titel" ] ] .
        <#Csv> rml:logicalSource [ rml:source "items.csv" ; rml:referenceFormulation rml:CSV ] ;
          rml:subjectMap [ rml:template "http://example.org/c/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:note ; rml:objectMap [ rml:reference "note" ] ] .
        "#,
    );
    // Triples maps are named by their IRI, here under the temporary folder.
    let found: Vec<&str> = found
        .iter()
        .map(|m| {
            m.split_once("mapping.ttl#")
                .map_or(m.as_str(), |(_, rest)| rest)
        })
        .collect();
    assert_eq!(
        found,
        [
            "Json (items.json): the object map of <http://example.org/label> (reference `titel`) made no term for any record",
            "Xml (catalogue.xml): the object map of <http://example.org/creator> (reference `dc:creatr`) made no term for any record",
            "Xml (catalogue.xml): the object map of <http://example.org/page> (template on `dc:identifier`) made no term for any record",
        ],
        "the CSV column exists (checked against the header) and is only empty: not reported"
    );
}

/// The other CSVW dialect properties vitrine reads: quote character, trimming, comment lines,
/// and the defaults some mappings spell out (`csvw:header true`, `csvw:headerRowCount 1`).
#[test]
fn csv_dialect_quote_trim_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("export.csv"),
        "# exported 2026-11-29\nid| title\n1|'Vase| bleu'\n# end\n2|  Cup  \n",
    );
    let (quads, errors, records) = run(
        dir.path(),
        r##"@prefix csvw: <http://www.w3.org/ns/csvw#> .
        <#Objects> rml:logicalSource [ rml:referenceFormulation rml:CSV ;
             rml:source [ a csvw:Table ; csvw:url "export.csv" ;
               csvw:dialect [ a csvw:Dialect ; csvw:delimiter "|" ; csvw:quoteChar "'" ; csvw:trim true ;
                 csvw:commentPrefix "#" ; csvw:header true ; csvw:headerRowCount 1 ; csvw:doubleQuote true ] ] ] ;
          rml:subjectMap [ rml:template "http://example.org/obj/{id}" ] ;
          rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "title" ] ] .
        "##,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records, [1, 2]);
    assert_eq!(
        quads,
        sorted(&[
            "<http://example.org/obj/1> <http://example.org/title> \"Vase| bleu\"",
            "<http://example.org/obj/2> <http://example.org/title> \"Cup\"",
        ])
    );
}

/// A plain iterator path (`$.items[*]`) streams the document; any other JSONPath reads it whole.
/// Both give the same records, numbered alike; a document that breaks off keeps its good records.
#[test]
fn streamed_json_documents_match_whole_ones() {
    let dir = tempfile::tempdir().unwrap();
    let document = r#"{"meta": {"items": ["not these"]}, "items": [
        {"id": 1, "title": "Vase", "tags": ["a", "b"]}, {"id": 2}, 7, {"id": 3, "title": "Cup"}],
        "after": {"items": [{"id": 99}]}}"#;
    write(&dir.path().join("items.json"), document);
    let mapping = |iterator: &str| {
        format!(
            r#"<#Items> rml:logicalSource [ rml:source "items.json" ; rml:referenceFormulation rml:JSONPath ;
                 rml:iterator "{iterator}" ] ;
              rml:subjectMap [ rml:template "http://example.org/item/{{id}}" ] ;
              rml:predicateObjectMap [ rml:predicate ex:title ; rml:objectMap [ rml:reference "title" ] ] ;
              rml:predicateObjectMap [ rml:predicate ex:tag ; rml:objectMap [ rml:reference "tags[*]" ] ] ."#
        )
    };
    let streamed = run(dir.path(), &mapping("$.items[*]"));
    let whole = run(dir.path(), &mapping("$.items[0:]"));
    assert_eq!(streamed, whole);
    let (quads, errors, records) = streamed;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records, [1, 2, 3, 4]);
    assert_eq!(quads.len(), 4, "{quads:?}");

    write(
        &dir.path().join("items.json"),
        r#"{"items": [{"id": 1, "title": "Vase"}, {"id": 2, "title": "Cup"}, {"id": 3, "title": "#,
    );
    let (quads, errors, records) = run(dir.path(), &mapping("$.items[*]"));
    assert_eq!(records, [1, 2]);
    assert_eq!(quads.len(), 2);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("items.json record 3")
            && errors[0].contains("not valid JSON after record 2"),
        "{errors:?}"
    );
}
