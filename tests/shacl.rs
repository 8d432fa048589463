//! SHACL engine on small inline graphs: each Core component conforming and violating, targets,
//! paths, SHACL-SPARQL, the report graph, validating a store's named graph, and the CLI.

use crate::util::{stderr, vitrine, write};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::store::Store;
use vitrine::validate::{DataGraph, ShapesGraph, ValidationReport, parse_graph};

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
";

fn shapes(ttl: &str) -> ShapesGraph {
    let g = parse_graph(
        format!("{PREFIXES}{ttl}").as_bytes(),
        RdfFormat::Turtle,
        "shapes",
    )
    .unwrap();
    ShapesGraph::new(g).unwrap()
}

/// Validates `data` against `shapes` in a store (so SPARQL constraints run too).
fn report(shapes_ttl: &str, data: &str) -> ValidationReport {
    let shapes = shapes(shapes_ttl);
    let store = Store::new().unwrap();
    store
        .load_from_slice(RdfFormat::Turtle, format!("{PREFIXES}{data}").as_bytes())
        .unwrap();
    shapes
        .validate_store(&store, GraphNameRef::DefaultGraph)
        .unwrap()
}

/// `(focus, component, value)` with `ex:` and `sh:` shortened, sorted.
fn results(shapes_ttl: &str, data: &str) -> Vec<(String, String, String)> {
    let short = |t: &Term| {
        t.to_string()
            .replace("http://example.org/", "")
            .replace(['<', '>'], "")
    };
    let mut out: Vec<_> = report(shapes_ttl, data)
        .results
        .iter()
        .map(|r| {
            (
                short(&r.focus_node),
                r.source_constraint_component
                    .as_str()
                    .trim_start_matches("http://www.w3.org/ns/shacl#")
                    .trim_end_matches("ConstraintComponent")
                    .to_owned(),
                r.value.as_ref().map(short).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn one(focus: &str, component: &str, value: &str) -> Vec<(String, String, String)> {
    vec![(focus.into(), component.into(), value.into())]
}

/// A property shape on `ex:p` with `constraint`, targeting ex:a (conforming) and ex:b.
fn property(constraint: &str, good: &str, bad: &str) -> Vec<(String, String, String)> {
    results(
        &format!("ex:S sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:p ; {constraint} ] ."),
        &format!("ex:a ex:p {good} . ex:b ex:p {bad} ."),
    )
}

#[test]
fn value_type_components() {
    assert_eq!(
        property("sh:datatype xsd:integer", "1", "\"x\""),
        one("b", "Datatype", "\"x\"")
    );
    assert_eq!(
        property("sh:datatype xsd:integer", "1", "\"x\"^^xsd:integer"),
        one(
            "b",
            "Datatype",
            "\"x\"^^http://www.w3.org/2001/XMLSchema#integer"
        ),
        "an ill-formed literal does not have its datatype"
    );
    assert_eq!(
        property("sh:nodeKind sh:IRI", "ex:x", "\"x\""),
        one("b", "NodeKind", "\"x\"")
    );
    let r = results(
        "ex:S sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:p ; sh:class ex:C ] .",
        "ex:a ex:p ex:x . ex:x a ex:D . ex:D rdfs:subClassOf ex:C . ex:b ex:p ex:y .",
    );
    assert_eq!(r, one("b", "Class", "y"), "subclasses count");
}

#[test]
fn cardinality_range_and_string_components() {
    assert_eq!(
        property("sh:minCount 2", "1, 2", "1"),
        one("b", "MinCount", "")
    );
    assert_eq!(
        property("sh:maxCount 1", "1", "1, 2"),
        one("b", "MaxCount", "")
    );
    assert_eq!(
        property("sh:minInclusive 0", "0", "-1"),
        one(
            "b",
            "MinInclusive",
            "\"-1\"^^http://www.w3.org/2001/XMLSchema#integer"
        )
    );
    assert_eq!(
        property("sh:maxExclusive 10", "9.5", "10"),
        one(
            "b",
            "MaxExclusive",
            "\"10\"^^http://www.w3.org/2001/XMLSchema#integer"
        )
    );
    assert_eq!(
        property(
            "sh:minExclusive \"2020-01-01\"^^xsd:date",
            "\"2021-01-01\"^^xsd:date",
            "\"abc\""
        ),
        one("b", "MinExclusive", "\"abc\""),
        "incomparable values violate"
    );
    assert_eq!(
        property("sh:minLength 2", "\"ab\"", "\"a\""),
        one("b", "MinLength", "\"a\"")
    );
    assert_eq!(
        property("sh:maxLength 2", "\"ab\"", "\"abc\""),
        one("b", "MaxLength", "\"abc\"")
    );
    assert_eq!(
        property("sh:pattern \"^A\" ; sh:flags \"i\"", "\"abc\"", "\"bc\""),
        one("b", "Pattern", "\"bc\"")
    );
    assert_eq!(
        property("sh:languageIn (\"fr\")", "\"x\"@fr-CA", "\"x\"@en"),
        one("b", "LanguageIn", "\"x\"@en")
    );
    assert_eq!(
        property(
            "sh:uniqueLang true",
            "\"x\"@fr, \"y\"@en",
            "\"x\"@fr, \"y\"@fr"
        ),
        one("b", "UniqueLang", "")
    );
    assert_eq!(
        property("sh:in (1 2)", "2", "3"),
        one("b", "In", "\"3\"^^http://www.w3.org/2001/XMLSchema#integer")
    );
    assert_eq!(
        property("sh:hasValue 1", "1, 2", "2"),
        one("b", "HasValue", "")
    );
}

#[test]
fn property_pair_components() {
    let pair = |c: &str, good: &str, bad: &str| {
        results(
            &format!("ex:S sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:p ; {c} ex:q ] ."),
            &format!("ex:a {good} . ex:b {bad} ."),
        )
    };
    assert_eq!(
        pair("sh:equals", "ex:p 1 ; ex:q 1", "ex:p 1 ; ex:q 2").len(),
        2
    );
    assert_eq!(
        pair("sh:disjoint", "ex:p 1 ; ex:q 2", "ex:p 1 ; ex:q 1"),
        one(
            "b",
            "Disjoint",
            "\"1\"^^http://www.w3.org/2001/XMLSchema#integer"
        )
    );
    assert_eq!(
        pair("sh:lessThan", "ex:p 1 ; ex:q 2", "ex:p 2 ; ex:q 2"),
        one(
            "b",
            "LessThan",
            "\"2\"^^http://www.w3.org/2001/XMLSchema#integer"
        )
    );
    assert!(pair("sh:lessThanOrEquals", "ex:p 2 ; ex:q 2", "ex:p 3 ; ex:q 2").len() == 1);
}

#[test]
fn logical_and_shape_based_components() {
    let shapes = "ex:Int sh:datatype xsd:integer . ex:Pos sh:minExclusive 0 .
        ex:S sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:p ; sh:or (ex:Int [ sh:datatype xsd:string ]) ] .
        ex:T sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:q ; sh:not ex:Int ] .
        ex:U sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:r ; sh:and (ex:Int ex:Pos) ; sh:xone (ex:Int ex:Pos) ] .
        ex:V sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:s ; sh:node ex:Int ] .";
    let r = results(
        shapes,
        "ex:a ex:p 1, \"x\" ; ex:q \"x\" ; ex:r 1.5 ; ex:s 1 .
         ex:b ex:p 1.5 ; ex:q 1 ; ex:r 1 ; ex:s \"x\" .",
    );
    let components: Vec<&str> = r
        .iter()
        .map(|(f, c, _)| {
            assert!(f == "a" || f == "b");
            c.as_str()
        })
        .collect();
    // a: sh:and fails on 1.5 (xone passes: only Pos); b: or, not, xone (both Int and Pos), node.
    assert_eq!(components, ["And", "Node", "Not", "Or", "Xone"], "{r:?}");
}

#[test]
fn qualified_closed_and_nested_properties() {
    let r = results(
        "ex:S sh:targetNode ex:a ; sh:closed true ; sh:ignoredProperties (rdf:type) ;
            sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 2 ] ;
            sh:property [ sh:path ex:q ; sh:node [ sh:property [ sh:path ex:r ; sh:minCount 1 ] ] ] .",
        "ex:a a ex:Thing ; ex:p ex:x, 1 ; ex:q ex:y ; ex:extra 1 . ex:x a ex:C .",
    );
    let components: Vec<&str> = r.iter().map(|(_, c, _)| c.as_str()).collect();
    assert_eq!(components, ["Closed", "Node", "QualifiedMinCount"], "{r:?}");
}

#[test]
fn targets_and_paths() {
    let shapes = "ex:C a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
        ex:S sh:targetSubjectsOf ex:knows ; sh:property [ sh:path ( ex:knows [ sh:zeroOrMorePath ex:parent ] ) ; sh:class ex:C ] .
        ex:T sh:targetObjectsOf ex:knows ; sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:maxCount 1 ] .
        ex:U sh:targetClass ex:C ; sh:property [ sh:path [ sh:alternativePath ( ex:name ex:label ) ] ; sh:maxCount 1 ] .";
    let r = results(
        shapes,
        "ex:a a ex:C ; ex:name \"a\" ; ex:label \"A\" ; ex:knows ex:b .
         ex:c ex:knows ex:b . ex:b a ex:C ; ex:name \"b\" ; ex:parent ex:d .",
    );
    // ex:C is an implicit class target; ex:d (reached by knows/parent*) is no ex:C; ex:b has
    // two inverse knows; ex:a has a name and a label.
    let got: Vec<(&str, &str)> = r.iter().map(|(f, c, _)| (f.as_str(), c.as_str())).collect();
    assert!(got.contains(&("a", "Class")), "{r:?}");
    assert!(got.contains(&("c", "Class")), "{r:?}");
    assert!(got.contains(&("b", "MaxCount")), "{r:?}");
    assert!(got.contains(&("a", "MaxCount")), "{r:?}");
    assert!(!got.iter().any(|(_, c)| *c == "MinCount"), "{r:?}");
}

#[test]
fn severity_messages_deactivation_and_recursion() {
    let report = report(
        "ex:S sh:targetNode ex:a ; sh:severity sh:Warning ; sh:message \"Trop court\"@fr, \"Too short\"@en ;
            sh:maxLength 5 .
         ex:Off sh:targetNode ex:a ; sh:deactivated true ; sh:maxLength 0 .
         ex:R sh:targetNode ex:a ; sh:property [ sh:path ex:next ; sh:node ex:R ] .",
        "ex:a ex:next ex:a .",
    );
    assert_eq!(report.results.len(), 1, "{:?}", report.results);
    let r = &report.results[0];
    assert!(!r.is_violation());
    assert_eq!(r.severity.as_str(), "http://www.w3.org/ns/shacl#Warning");
    assert_eq!(r.message("fr"), Some("Trop court"));
    assert_eq!(r.message("en"), Some("Too short"));
    assert!(
        !report.conforms(),
        "a warning is a result: sh:conforms is false"
    );
}

#[test]
fn sparql_constraint_and_component() {
    let shapes = "ex:S sh:targetNode ex:a, ex:b ;
          sh:sparql [ sh:message \"{$this} has {?value}\" ;
            sh:select \"SELECT $this ?value WHERE { $this <http://example.org/p> ?value . FILTER(?value > 1) }\" ] .
        ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:prefix ] ;
          sh:propertyValidator [ a sh:SPARQLAskValidator ;
            sh:ask \"ASK { FILTER(STRSTARTS(STR($value), $prefix)) }\" ] .
        ex:T sh:targetNode ex:a ; sh:property [ sh:path ex:name ; ex:prefix \"Mr\" ] .";
    let r = results(
        shapes,
        "ex:a ex:p 1 ; ex:name \"Mr A\", \"B\" . ex:b ex:p 2 .",
    );
    assert_eq!(
        r,
        vec![
            ("a".into(), "http://example.org/Comp".into(), "\"B\"".into()),
            (
                "b".into(),
                "SPARQL".into(),
                "\"2\"^^http://www.w3.org/2001/XMLSchema#integer".into()
            ),
        ]
    );
    let full = report(shapes, "ex:b ex:p 2 .");
    assert_eq!(
        full.results[0].message("en"),
        Some("http://example.org/b has 2")
    );
}

#[test]
fn pre_binding_restrictions_are_enforced() {
    let g = parse_graph(
        format!("{PREFIXES} ex:S sh:targetNode ex:a ; sh:sparql [ sh:select \"SELECT $this WHERE {{ VALUES ?x {{ 1 }} }}\" ] .").as_bytes(),
        RdfFormat::Turtle,
        "shapes",
    )
    .unwrap();
    let e = ShapesGraph::new(g).unwrap_err().to_string();
    assert!(e.contains("VALUES"), "{e}");
}

#[test]
fn report_graph_has_the_spec_shape() {
    let report = report(
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
        "ex:b ex:q ex:a .",
    );
    let g = report.to_graph();
    let sh = |l: &str| NamedNode::new_unchecked(format!("http://www.w3.org/ns/shacl#{l}"));
    let rdf_type = NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let root = g
        .subjects_for_predicate_object(rdf_type, &sh("ValidationReport"))
        .next()
        .expect("a sh:ValidationReport");
    assert_eq!(
        g.object_for_subject_predicate(root, &sh("conforms"))
            .unwrap()
            .to_string(),
        "\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>"
    );
    let result = g.object_for_subject_predicate(root, &sh("result")).unwrap();
    let oxigraph::model::TermRef::BlankNode(result) = result else {
        panic!()
    };
    for p in [
        "focusNode",
        "resultPath",
        "sourceShape",
        "sourceConstraintComponent",
        "resultSeverity",
    ] {
        assert!(
            g.object_for_subject_predicate(result, &sh(p)).is_some(),
            "no sh:{p}"
        );
    }
    let path = g
        .object_for_subject_predicate(result, &sh("resultPath"))
        .unwrap();
    let oxigraph::model::TermRef::BlankNode(path) = path else {
        panic!("{path}")
    };
    assert_eq!(
        g.object_for_subject_predicate(path, &sh("inversePath"))
            .unwrap()
            .to_string(),
        "<http://example.org/p>"
    );
}

#[test]
fn validates_a_named_graph_of_a_store_in_place() {
    let store = Store::new().unwrap();
    let graph = NamedNode::new_unchecked("https://data.example.org/graph/museum/v2");
    let ex = |l: &str| NamedNode::new_unchecked(format!("http://example.org/{l}"));
    store
        .insert(&Quad::new(ex("a"), ex("p"), ex("x"), graph.clone()))
        .unwrap();
    // The same subject in the default graph must not be seen.
    store
        .insert(&Quad::new(
            ex("a"),
            ex("q"),
            ex("x"),
            oxigraph::model::GraphName::DefaultGraph,
        ))
        .unwrap();
    let shapes = shapes(
        "ex:S sh:targetSubjectsOf ex:p ; sh:closed true ; sh:property [ sh:path ex:p ] ;
           sh:sparql [ sh:select \"SELECT $this WHERE { $this <http://example.org/q> ?x }\" ] .",
    );
    let report = shapes
        .validate_store(&store, graph.as_ref().into())
        .unwrap();
    assert!(report.conforms(), "{:?}", report.results);
    let data = DataGraph::from_store(&store, GraphNameRef::DefaultGraph).unwrap();
    assert_eq!(data.len(), 1);
}

#[test]
fn bad_shapes_name_the_shape() {
    let g = parse_graph(
        format!("{PREFIXES} ex:S sh:targetNode ex:a ; sh:minCount \"many\" .").as_bytes(),
        RdfFormat::Turtle,
        "shapes",
    )
    .unwrap();
    let e = ShapesGraph::new(g).unwrap_err().to_string();
    assert!(
        e.contains("http://example.org/S") && e.contains("sh:minCount"),
        "{e}"
    );
}

#[test]
fn cli_exit_codes_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = dir.path().join("shapes.ttl");
    let good = dir.path().join("good.ttl");
    let bad = dir.path().join("bad.ttl");
    write(
        &shapes,
        &format!(
            "{PREFIXES} ex:S sh:targetClass ex:P ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ."
        ),
    );
    write(&good, &format!("{PREFIXES} ex:a a ex:P ; ex:name \"A\" ."));
    write(&bad, &format!("{PREFIXES} ex:a a ex:P ."));
    let run = |args: &[&str]| vitrine(dir.path(), args);

    let ok = run(&["validate", "-s", "shapes.ttl", "-d", "good.ttl"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("conforms: yes"));

    let no = run(&["validate", "-s", "shapes.ttl", "-d", "bad.ttl"]);
    assert_eq!(no.status.code(), Some(1), "{}", stderr(&no));
    let text = String::from_utf8_lossy(&no.stdout);
    assert!(
        text.contains("conforms: no") && text.contains("MinCountConstraintComponent: 1"),
        "{text}"
    );

    let ttl = run(&[
        "validate",
        "--format",
        "turtle",
        "-s",
        "shapes.ttl",
        "-d",
        "bad.ttl",
    ]);
    assert_eq!(ttl.status.code(), Some(1));
    let graph = parse_graph(&ttl.stdout, RdfFormat::Turtle, "stdout").unwrap();
    assert!(graph.len() >= 8, "{}", String::from_utf8_lossy(&ttl.stdout));

    let same = run(&["validate", "-s", "bad.ttl", "shapes.ttl", "-d", "bad.ttl"]);
    assert_eq!(same.status.code(), Some(1), "{}", stderr(&same));

    let missing = run(&["validate", "-s", "shapes.ttl", "-d", "nope.ttl"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("nope.ttl"),
        "{}",
        stderr(&missing)
    );

    write(
        &dir.path().join("broken.ttl"),
        &format!("{PREFIXES} ex:S sh:targetNode ex:a ; sh:nodeKind ex:Nope ."),
    );
    let broken = run(&["validate", "-s", "broken.ttl", "-d", "good.ttl"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("http://example.org/S"),
        "{}",
        stderr(&broken)
    );
}
