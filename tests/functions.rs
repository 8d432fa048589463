//! RML-FNML built-in functions: both vocabularies, nesting, multi-valued results, errors.

use crate::util::{run_rml, write, write_config};
use vitrine::config::Config;
use vitrine::mapping::Mapping;

const CSV: &str = "name,tags,date\n\
                   José Martí, poésie ;exil; ,vers 1890\n\
                   Ada,calcul,fin du XVIIe siècle\n";

const CURRENT: &str = r#"
@prefix rml: <http://w3id.org/rml/> .
@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .
@prefix idlab-fn: <https://w3id.org/imec/idlab/function#> .
@prefix vfn: <https://w3id.org/vitrine/fn#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
<#People> rml:logicalSource [ rml:source "people.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/person/{name}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:upper ; rml:objectMap [ rml:functionExecution [
      rml:function grel:toUpperCase ;
      rml:input [ rml:parameter grel:valueParam ; rml:inputValueMap [ rml:reference "name" ] ] ] ;
    rml:returnMap [ rml:constant <https://w3id.org/function/ontology#output> ] ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:tag ; rml:objectMap [ rml:language "fr" ; rml:functionExecution [
      rml:function grel:string_trim ;
      rml:input [ rml:parameter grel:valueParam ; rml:inputValueMap [ rml:functionExecution [
        rml:function grel:string_split ;
        rml:input [ rml:parameter grel:valueParam ; rml:inputValueMap [ rml:reference "tags" ] ] ,
                  [ rml:parameter grel:p_string_sep ; rml:inputValue ";" ] ] ] ] ] ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:initials ; rml:objectMap [ rml:functionExecution [
      rml:function grel:string_replace ;
      rml:input [ rml:parameter grel:valueParam ; rml:inputValueMap [ rml:reference "name" ] ] ,
                [ rml:parameter grel:p_string_find ; rml:inputValue "(\\w)\\w*\\s*" ] ,
                [ rml:parameter grel:p_string_replace ; rml:inputValue "$1." ] ] ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:page ; rml:objectMap [ rml:termType rml:IRI ; rml:functionExecution [
      rml:functionMap [ rml:constant idlab-fn:concat ] ;
      rml:input [ rml:parameterMap [ rml:constant idlab-fn:str ] ; rml:inputValue "http://example.org/page/" ] ,
                [ rml:parameter idlab-fn:otherStr ; rml:inputValueMap [ rml:functionExecution [
                  rml:function grel:string_split ;
                  rml:input [ rml:parameter grel:valueParameter ; rml:inputValueMap [ rml:reference "name" ] ] ,
                            [ rml:parameter grel:param_string_sep ; rml:inputValue " " ] ] ] ] ] ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:begin ; rml:objectMap [ rml:datatype xsd:dateTime ; rml:functionExecution [
      rml:function vfn:dateBegin ;
      rml:input [ rml:parameter vfn:value ; rml:inputValueMap [ rml:reference "date" ] ] ] ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:end ; rml:objectMap [ rml:datatype xsd:dateTime ; rml:functionExecution [
      rml:function vfn:dateEnd ;
      rml:input [ rml:parameter vfn:value ; rml:inputValueMap [ rml:reference "date" ] ] ] ] ] .
"#;

/// The same calls in the FnO form of RMLMapper and Morph-KGC, with a function value that names
/// a logical source as RMLMapper's examples do.
const LEGACY: &str = r#"
@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix fnml: <http://semweb.mmlab.be/ns/fnml#> .
@prefix fno: <https://w3id.org/function/ontology#> .
@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .
@prefix ex: <http://example.org/> .
<#Source> rml:source "people.csv" ; rml:referenceFormulation ql:CSV .
<#People> rml:logicalSource <#Source> ;
  rr:subjectMap [ rr:template "http://example.org/person/{name}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:upper ; rr:objectMap [ fnml:functionValue [
      rml:logicalSource <#Source> ;
      rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap [ rr:constant grel:toUpperCase ] ] ,
                            [ rr:predicate grel:valueParam ; rr:objectMap [ rml:reference "name" ] ] ] ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:tag ; rr:objectMap [ rr:language "fr" ; fnml:functionValue [
      rr:predicateObjectMap [ rr:predicate fno:executes ; rr:object grel:string_trim ] ,
                            [ rr:predicate grel:valueParam ; rr:objectMap [ fnml:functionValue [
        rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap [ rr:constant grel:string_split ] ] ,
                              [ rr:predicate grel:valueParam ; rr:objectMap [ rml:reference "tags" ] ] ,
                              [ rr:predicate grel:p_string_sep ; rr:objectMap [ rr:constant ";" ] ] ] ] ] ] ] ] .
"#;

const JOSE: &str = "<http://example.org/person/José%20Martí>";

#[test]
fn current_vocabulary_nested_and_multi_valued() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("people.csv"), CSV);
    let (quads, errors) = run_rml(dir.path(), CURRENT);
    assert!(errors.is_empty(), "{errors:?}");
    let has = |q: &str| quads.contains(&q.to_owned());
    assert!(
        has(&format!("{JOSE} <http://example.org/upper> \"JOSÉ MARTÍ\"")),
        "{quads:#?}"
    );
    // trim(split(tags, ";")): one value per part, the blank part is no value.
    let tags: Vec<&String> = quads
        .iter()
        .filter(|q| q.starts_with(JOSE) && q.contains("/tag>"))
        .collect();
    assert_eq!(tags.len(), 2, "{tags:#?}");
    assert!(has(&format!(
        "{JOSE} <http://example.org/tag> \"poésie\"@fr"
    )));
    assert!(has(&format!("{JOSE} <http://example.org/tag> \"exil\"@fr")));
    assert!(has(&format!(
        "{JOSE} <http://example.org/initials> \"J.M.\""
    )));
    // A function-valued IRI is used as computed, never percent-encoded; one per split part.
    assert!(has(&format!(
        "{JOSE} <http://example.org/page> <http://example.org/page/José>"
    )));
    assert!(has(&format!(
        "{JOSE} <http://example.org/page> <http://example.org/page/Martí>"
    )));
    let dt = "^^<http://www.w3.org/2001/XMLSchema#dateTime>";
    assert!(has(&format!(
        "{JOSE} <http://example.org/begin> \"1885-01-01T00:00:00\"{dt}"
    )));
    assert!(has(&format!(
        "{JOSE} <http://example.org/end> \"1895-12-31T23:59:59\"{dt}"
    )));
    assert!(has(&format!(
        "<http://example.org/person/Ada> <http://example.org/begin> \"1670-01-01T00:00:00\"{dt}"
    )));
}

#[test]
fn legacy_fno_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("people.csv"), CSV);
    let (quads, errors) = run_rml(dir.path(), LEGACY);
    assert!(errors.is_empty(), "{errors:?}");
    let expected = [
        format!("{JOSE} <http://example.org/tag> \"exil\"@fr"),
        format!("{JOSE} <http://example.org/tag> \"poésie\"@fr"),
        format!("{JOSE} <http://example.org/upper> \"JOSÉ MARTÍ\""),
        "<http://example.org/person/Ada> <http://example.org/tag> \"calcul\"@fr".to_owned(),
        "<http://example.org/person/Ada> <http://example.org/upper> \"ADA\"".to_owned(),
    ];
    let mut expected = expected.to_vec();
    expected.sort();
    // The function value is not taken for a triples map of its own.
    assert_eq!(quads, expected);
}

#[test]
fn unknown_function_is_a_mapping_error_naming_the_term_map() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("people.csv"), CSV);
    let path = dir.path().join("mapping.ttl");
    let mapping = r#"
@prefix rml: <http://w3id.org/rml/> .
@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .
<#People> rml:logicalSource [ rml:source "people.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/person/{name}" ] ;
  rml:predicateObjectMap [ rml:predicate <http://example.org/x> ; rml:objectMap [ rml:functionExecution [
      rml:function <http://example.org/fn#shout> ;
      rml:input [ rml:parameter grel:valueParam ; rml:inputValueMap [ rml:reference "name" ] ] ] ] ] .
"#;
    write(&path, mapping);
    let err = Mapping::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("#People>"), "{err}");
    assert!(
        err.contains("rml:predicateObjectMap[1] rml:objectMap[1] rml:functionExecution"),
        "{err}"
    );
    assert!(
        err.contains("unknown function <http://example.org/fn#shout>"),
        "{err}"
    );
    // A parameter the function does not have is a mapping error too.
    write(
        &path,
        &mapping
            .replace("<http://example.org/fn#shout>", "grel:toUpperCase")
            .replace("grel:valueParam", "grel:p_string_sep"),
    );
    let err = Mapping::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("has no parameter"), "{err}");
}

#[test]
fn an_unreadable_date_quarantines_its_record() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("m.ttl"), CURRENT);
    write(
        &dir.path().join("people.csv"),
        "name,tags,date\nAda,calcul,1843\nBob,x,un beau jour\nCy,y,XIXe siècle\n",
    );
    write_config(dir.path(), "people", &["people.csv"], &[]);
    let config = Config::load(&dir.path().join("vitrine.toml")).unwrap();
    let store = crate::util::memory("https://data.example.org/");
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {}).unwrap();
    assert_eq!(summary.records_read, 3);
    assert_eq!(summary.records_published, 2);
    assert_eq!(summary.records_quarantined, 1);
    let messages: Vec<String> = summary.errors.iter().map(ToString::to_string).collect();
    let csv = dir.path().join("people.csv").display().to_string();
    // Both bounds report the date: each term map that failed is named by its function.
    for function in ["dateBegin", "dateEnd"] {
        assert!(
            messages.iter().any(|m| m.starts_with(&format!(
                "{csv} record 2, field `date`: vfn:{function} cannot read \"un beau jour\" as a date"
            ))),
            "{messages:?}"
        );
    }
    let bob = crate::util::ask(&store, "ASK { <http://example.org/person/Bob> ?p ?o }");
    assert!(!bob, "nothing of a quarantined record is published");
}

#[test]
fn the_demo_splits_subjects_and_reads_years() {
    let d = crate::util::demo();
    let base = d.config.base_iri.as_str();
    let rows = crate::util::select(
        &d.store,
        &format!(
            "SELECT ?s WHERE {{ <{base}id/joconde/000PE000244> <http://purl.org/dc/terms/subject> ?s }}"
        ),
    );
    let mut subjects: Vec<String> = rows.iter().map(|r| r["s"].to_string()).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "\"lune\"@fr",
            "\"représentation animalière (oiseau)\"@fr",
            "\"étoile\"@fr"
        ]
    );
}

/// A YARRRML mapping calling the heritage functions on one column each, so every CSV row is
/// one accepted or refused case.
const HERITAGE: &str = r#"
prefixes:
  ex: http://example.org/
  vfn: https://w3id.org/vitrine/fn#
mappings:
  case:
    sources: [cases.csv~csv]
    s: http://example.org/case/$(n)
    po:
      - [ex:height, {function: vfn:dimensionValue, parameters: [[vfn:value, $(dims)], [vfn:kind, height]]}]
      - p: ex:unit
        o: {function: vfn:dimensionUnit, parameters: [[vfn:value, $(dims)], [vfn:kind, hauteur]], type: iri}
      - [ex:width, {function: vfn:dimensionValue, parameters: [[vfn:value, $(dims)], [vfn:kind, width]]}]
      - p: ex:agent
        o: {function: vfn:agentIri, parameters: [[vfn:value, $(agent)]], type: iri}
      - [ex:name, {function: vfn:agentName, parameters: [[vfn:value, $(agent)]]}]
      - [ex:dates, {function: vfn:agentDates, parameters: [[vfn:value, $(agent)]]}]
      - [ex:role, {function: vfn:agentRole, parameters: [[vfn:value, $(agent)]]}]
      - p: owl:sameAs
        o: {function: vfn:wikidata, parameters: [[vfn:value, $(wikidata)]], type: iri}
      - p: owl:sameAs
        o: {function: vfn:idref, parameters: [[vfn:value, $(idref)]], type: iri}
      - [ex:ark, {function: vfn:ark, parameters: [[vfn:value, $(ark)]]}]
      - [ex:problem, {function: vfn:identifierProblem, parameters: [[vfn:value, $(wikidata)], [vfn:scheme, wikidata]]}]
      - [ex:problem, {function: vfn:identifierProblem, parameters: [[vfn:value, $(idref)], [vfn:scheme, idref]]}]
      - p: ex:language
        o: {function: vfn:language, parameters: [[vfn:value, $(lang)]], type: iri}
"#;

#[test]
fn heritage_functions_accept_and_refuse() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("m.yml"), HERITAGE);
    write(
        &dir.path().join("cases.csv"),
        "n,dims,agent,wikidata,idref,ark,lang\n\
         1,Hauteur en cm 1.64 ; Longueur en cm 6.6 ; Epaisseur en cm,\"Mislin, Jacques (1807-1878). Auteur du texte\",Q535,026927608,https://gallica.bnf.fr/ark:/12148/bpt6k91072621,fre\n\
         2,81 x 100,Anonyme,Q47OO,026927609,ark:/12148/bpt6k91072622,français\n\
         3,grand format,ANDRE Albert,,,,klingon\n",
    );
    let mapping = Mapping::from_path(&dir.path().join("m.yml")).unwrap_or_else(|e| panic!("{e}"));
    let (quads, errors) = crate::util::run_mapping(&mapping, "http://example.org/base/");
    let has = |s: &str| quads.iter().any(|q| q.contains(s));
    let case = |n: u8, rest: &str| has(&format!("<http://example.org/case/{n}> {rest}"));
    // Row 1: every value accepted.
    assert!(case(1, "<http://example.org/height> \"1.64\""));
    assert!(case(
        1,
        "<http://example.org/unit> <http://vocab.getty.edu/aat/300379098>"
    ));
    assert!(
        !case(1, "<http://example.org/width>"),
        "no width in the text"
    );
    assert!(case(
        1,
        "<http://example.org/agent> <http://example.org/base/id/agent/mislin-jacques>"
    ));
    assert!(case(1, "<http://example.org/name> \"Mislin, Jacques\""));
    assert!(case(1, "<http://example.org/dates> \"1807-1878\""));
    assert!(case(1, "<http://example.org/role> \"Auteur du texte\""));
    assert!(case(
        1,
        "<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q535>"
    ));
    assert!(case(
        1,
        "<http://www.w3.org/2002/07/owl#sameAs> <https://www.idref.fr/026927608/id>"
    ));
    assert!(case(
        1,
        "<http://example.org/ark> \"ark:/12148/bpt6k91072621\""
    ));
    assert!(case(
        1,
        "<http://example.org/language> <http://id.loc.gov/vocabulary/iso639-2/fre>"
    ));
    assert!(!case(1, "<http://example.org/problem>"));
    // Row 2: crossed dimensions read; anonymous maker, bad identifiers refused with a reason.
    assert!(case(2, "<http://example.org/height> \"81\""));
    assert!(case(2, "<http://example.org/width> \"100\""));
    assert!(!case(2, "<http://example.org/agent>"), "Anonyme is nobody");
    assert!(!case(2, "<http://example.org/name>"));
    assert!(!case(2, "owl#sameAs"));
    assert!(
        !case(2, "<http://example.org/ark>"),
        "wrong ARK check character"
    );
    assert!(case(
        2,
        "<http://example.org/problem> \"wikidata identifier \\\"Q47OO\\\" refused"
    ));
    assert!(case(
        2,
        "<http://example.org/problem> \"idref identifier \\\"026927609\\\" refused"
    ));
    assert!(case(
        2,
        "<http://example.org/language> <http://id.loc.gov/vocabulary/iso639-2/fre>"
    ));
    // Row 3: unreadable dimensions are a record error naming the text (which quarantines the
    // record at ingest); the maker is still read.
    assert!(case(
        3,
        "<http://example.org/agent> <http://example.org/base/id/agent/andre-albert>"
    ));
    assert!(
        !case(3, "<http://example.org/language>"),
        "klingon is no language code"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("record 3")
                && e.contains("cannot read \"grand format\" as dimensions")),
        "{errors:?}"
    );
    assert_eq!(
        errors.iter().filter(|e| !e.contains("record 3")).count(),
        0,
        "{errors:?}"
    );
}

#[test]
fn unknown_kinds_and_schemes_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("m.yml"),
        &HERITAGE
            .replace("[vfn:kind, height]", "[vfn:kind, colour]")
            .replace("[vfn:scheme, idref]", "[vfn:scheme, isni]"),
    );
    write(
        &dir.path().join("cases.csv"),
        "n,dims,agent,wikidata,idref,ark,lang\n1,81,,,0,,\n",
    );
    let mapping = Mapping::from_path(&dir.path().join("m.yml")).unwrap();
    let (quads, errors) = crate::util::run_mapping(&mapping, "http://example.org/base/");
    assert!(
        quads
            .iter()
            .all(|q| !q.contains("<http://example.org/height>"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("\"colour\" is not a kind of dimension")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("\"isni\" is not an identifier scheme")),
        "{errors:?}"
    );
}

/// The case that used to abort a whole run (`vitrine map` exited 101 with no output): an agent
/// heading with an unclosed parenthesis. Through the binary, every row is mapped.
#[test]
fn an_unclosed_parenthesis_in_a_heading_maps() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("m.yml"), HERITAGE);
    write(
        &dir.path().join("cases.csv"),
        "n,dims,agent,wikidata,idref,ark,lang\n1,,Dupont (,,,,\n2,,\"Martin (1801-1870\",,,,\n3,,Durand,,,,\n",
    );
    let out = crate::util::vitrine(dir.path(), &["map", "--mapping", "m.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::util::stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("<http://example.org/case/1> <http://example.org/name> \"Dupont\""),
        "{text}"
    );
    assert!(
        text.contains("<http://example.org/case/2> <http://example.org/dates> \"1801-1870\""),
        "{text}"
    );
    assert!(
        text.contains("<http://example.org/case/3> <http://example.org/name> \"Durand\""),
        "{text}"
    );
}
