//! The store interface battery: what any backend behind `vitrine::store::Store` must do.
//!
//! Each check takes a factory for an empty store, so the same bodies run on every backend: the
//! embedded one in memory and on disk, and the remote backend on Virtuoso and on `oxigraph
//! serve` (ignored tests: `.ci/run` starts both stores, see `tests/backends.rs`).

use crate::util::provenance;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;
use vitrine::store::{Answer, Cancel, DatasetRequest, Error, Names, QueryOptions, Store};

/// The base IRI of the embedded stores; remote ones share a store between tests, so each test
/// publishes under a base of its own there.
const BASE: &str = "https://data.example.org/";

thread_local! {
    /// The base IRI of the store the running test made (tests run one per thread).
    static TEST_BASE: std::cell::RefCell<String> = std::cell::RefCell::new(BASE.to_owned());
}

/// The running test's base IRI.
fn base() -> String {
    TEST_BASE.with(|b| b.borrow().clone())
}

/// Where the running test's items live.
fn ex() -> String {
    format!("{}id/", base())
}

/// A factory for an empty store, and what must live as long as it (a folder, a lock).
type Factory = fn() -> (Store, Box<dyn std::any::Any>);

fn names() -> Names {
    Names::new(&NamedNode::new(base()).unwrap())
}

fn in_memory() -> (Store, Box<dyn std::any::Any>) {
    (Store::in_memory(names()).unwrap(), Box::new(()))
}

fn on_disk() -> (Store, Box<dyn std::any::Any>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store"), names(), "battery").unwrap();
    (store, Box::new(dir))
}

/// A remote store from `tests/backends.rs`, under a base IRI no other test uses.
fn remote(kind: crate::backends::Kind) -> (Store, Box<dyn std::any::Any>) {
    TEST_BASE.with(|b| *b.borrow_mut() = crate::backends::unique_base());
    let dir = tempfile::tempdir().unwrap();
    let store = crate::backends::open(kind, &dir.path().join("store"), names());
    (store, Box::new(dir))
}

fn virtuoso() -> (Store, Box<dyn std::any::Any>) {
    remote(crate::backends::Kind::Virtuoso)
}

fn oxigraph_server() -> (Store, Box<dyn std::any::Any>) {
    remote(crate::backends::Kind::Oxigraph)
}

fn iri(local: &str) -> NamedNode {
    NamedNode::new(format!("{}{local}", ex())).unwrap()
}

fn triple(s: &str, p: &str, o: impl Into<Term>) -> Quad {
    Quad::new(iri(s), iri(p), o, GraphName::DefaultGraph)
}

fn label(s: &str, text: &str) -> Quad {
    Quad::new(
        iri(s),
        vitrine::vocab::rdfs::LABEL,
        Literal::new_language_tagged_literal(text, "fr").unwrap(),
        GraphName::DefaultGraph,
    )
}

/// Loads and publishes `quads` as a new version of `dataset`.
fn publish(store: &Store, dataset: &str, quads: Vec<Quad>) -> u64 {
    let mut stage = store.stage(dataset).unwrap();
    stage.load(&mut quads.into_iter()).unwrap();
    let n = stage.len().unwrap();
    stage
        .publish(&provenance(store, dataset, n))
        .unwrap()
        .version
        .number
}

/// Two datasets sharing an agent: `a` holds two works and the agent's label, `b` one event
/// and the same label (the triple both hold).
fn two_datasets(store: &Store) {
    publish(
        store,
        "a",
        vec![
            triple("work/1", "creator", iri("agent/x")),
            triple("work/2", "creator", iri("agent/x")),
            label("work/1", "Œuvre un"),
            label("agent/x", "X"),
        ],
    );
    publish(
        store,
        "b",
        vec![
            triple("event/1", "performer", iri("agent/x")),
            label("agent/x", "X"),
        ],
    );
}

/// Every term of a SELECT answer, as text.
fn select(store: &Store, query: &str, dataset: Option<DatasetRequest>) -> Vec<Vec<String>> {
    let options = QueryOptions {
        dataset,
        ..QueryOptions::default()
    };
    let Answer::Solutions(solutions) = store
        .query(query, &options)
        .unwrap_or_else(|e| panic!("{e}\n{query}"))
    else {
        panic!("not a SELECT: {query}")
    };
    solutions
        .map(|row| {
            row.unwrap()
                .into_iter()
                .map(|t| t.map(|t| t.to_string()).unwrap_or_default())
                .collect()
        })
        .collect()
}

fn count(store: &Store, query: &str, dataset: Option<DatasetRequest>) -> usize {
    select(store, query, dataset)[0][0]
        .trim_start_matches('"')
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// No answer term may name an internal graph.
fn assert_no_internal_names(rows: &[Vec<String>]) {
    for row in rows {
        for term in row {
            assert!(!term.contains("/vitrine/"), "internal name in {row:?}");
        }
    }
}

macro_rules! battery {
    ($($(#[$attr:meta])* $backend:ident),*) => {
        $(
            mod $backend {
                #[test]
                $(#[$attr])*
                fn empty_store_publishes_nothing() {
                    super::empty_store_publishes_nothing(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn staged_versions_are_invisible() {
                    super::staged_versions_are_invisible(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn stable_graph_names_in_every_query_form() {
                    super::stable_graph_names_in_every_query_form(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn internal_graphs_cannot_be_named() {
                    super::internal_graphs_cannot_be_named(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn the_default_graph_is_a_duplicate_free_union() {
                    super::the_default_graph_is_a_duplicate_free_union(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn republishing_replaces_and_drops_the_old_version() {
                    super::republishing_replaces_and_drops_the_old_version(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn lookups_answer_in_one_call() {
                    super::lookups_answer_in_one_call(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn a_named_public_graph_is_kept() {
                    super::a_named_public_graph_is_kept(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn validation_reports_round_trip() {
                    super::validation_reports_round_trip(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn one_ingest_at_a_time() {
                    super::one_ingest_at_a_time(super::$backend);
                }
                #[test]
                $(#[$attr])*
                fn a_cancelled_query_stops() {
                    super::a_cancelled_query_stops(super::$backend);
                }
            }
        )*
    };
}

battery!(
    in_memory,
    on_disk,
    #[ignore = "needs Virtuoso (started by .ci/run)"]
    virtuoso,
    #[ignore = "needs `oxigraph serve` (started by .ci/run)"]
    oxigraph_server
);

fn empty_store_publishes_nothing(factory: Factory) {
    let (store, _guard) = factory();
    assert!(store.published().is_empty());
    assert_eq!(
        count(&store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", None),
        0
    );
    assert!(select(&store, "SELECT ?g { GRAPH ?g {} }", None).is_empty());
}

fn staged_versions_are_invisible(factory: Factory) {
    let (store, _guard) = factory();
    let base = base();
    let mut stage = store.stage("a").unwrap();
    assert_eq!(stage.number(), 1);
    stage
        .load(&mut vec![label("work/1", "staged")].into_iter())
        .unwrap();
    // Loaded but not published: no query form, lookup or view sees it.
    let staged = names().version("a", 1);
    let staged = staged.as_str();
    for query in [
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }".to_owned(),
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }".to_owned(),
        format!("SELECT (COUNT(*) AS ?n) FROM <{staged}> {{ ?s ?p ?o }}"),
        format!("SELECT (COUNT(*) AS ?n) {{ GRAPH <{staged}> {{ ?s ?p ?o }} }}"),
        format!("SELECT (COUNT(*) AS ?n) FROM <{base}graph/a> {{ ?s ?p ?o }}"),
    ] {
        assert_eq!(count(&store, &query, None), 0, "{query}");
    }
    assert!(store.published().is_empty());
    assert!(store.describe(&iri("work/1")).unwrap().is_empty());
    stage.publish(&provenance(&store, "a", 1)).unwrap();
    assert_eq!(
        count(&store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", None),
        1
    );
}

fn stable_graph_names_in_every_query_form(factory: Factory) {
    let (store, _guard) = factory();
    let base = base();
    let ex = ex();
    two_datasets(&store);
    // Re-publish `a`: its version changes, its name does not.
    two_datasets(&store);
    let a = format!("{base}graph/a");
    let b = format!("{base}graph/b");
    let works = format!("SELECT (COUNT(*) AS ?n) {{ ?w <{ex}creator> ?c }}");
    let from = |g: &str| {
        works.replace(
            "SELECT (COUNT(*) AS ?n)",
            &format!("SELECT (COUNT(*) AS ?n) FROM <{g}>"),
        )
    };
    assert_eq!(count(&store, &from(&a), None), 2);
    assert_eq!(count(&store, &from(&b), None), 0);
    assert_eq!(count(&store, &from(&format!("{base}graph/nope")), None), 0);
    // Paths read the same graphs: one named graph, none, or the union (where a closure runs
    // on the engine's own default graph).
    let path = format!("SELECT (COUNT(*) AS ?n) {{ ?w <{ex}creator>/<{ex}creator>* ?c }}");
    let path_from = |g: &str| path.replacen("{", &format!("FROM <{g}> {{"), 1);
    assert_eq!(count(&store, &path_from(&a), None), 2);
    assert_eq!(count(&store, &path_from(&b), None), 0);
    assert_eq!(
        count(&store, &path_from(&format!("{base}graph/nope")), None),
        0
    );
    assert_eq!(count(&store, &path, None), 2);
    // GRAPH <public>.
    assert_eq!(
        count(
            &store,
            &format!("SELECT (COUNT(*) AS ?n) {{ GRAPH <{a}> {{ ?w <{ex}creator> ?c }} }}"),
            None
        ),
        2
    );
    // GRAPH ?g binds the public names, within FROM NAMED when given.
    let graphs = select(
        &store,
        "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
        None,
    );
    assert_eq!(graphs, [vec![format!("<{a}>")], vec![format!("<{b}>")]]);
    let named = select(
        &store,
        &format!("SELECT DISTINCT ?g FROM NAMED <{b}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        None,
    );
    assert_eq!(named, [vec![format!("<{b}>")]]);
    // A graph name bound outside GRAPH restricts it.
    let bound = select(
        &store,
        &format!("SELECT ?s {{ VALUES ?g {{ <{b}> }} GRAPH ?g {{ ?s <{ex}performer> ?o }} }}"),
        None,
    );
    assert_eq!(bound, [vec![format!("<{ex}event/1>")]]);
    // The protocol's default-graph-uri and named-graph-uri, which replace FROM.
    let request = DatasetRequest {
        default: vec![NamedNode::new(&b).unwrap()],
        named: vec![NamedNode::new(&a).unwrap()],
    };
    assert_eq!(count(&store, &from(&a), Some(request.clone())), 0);
    let protocol_graphs = select(
        &store,
        "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
        Some(request),
    );
    assert_eq!(protocol_graphs, [vec![format!("<{a}>")]]);
    // Whatever the form, no answer shows a version graph.
    for query in [
        "SELECT * { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o }",
        "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT ?g { GRAPH ?g {} }",
    ] {
        assert_no_internal_names(&select(&store, query, None));
    }
    let Answer::Graph(triples) = store
        .query(
            "CONSTRUCT { ?g <urn:holds> ?s } WHERE { GRAPH ?g { ?s ?p ?o } }",
            &QueryOptions::default(),
        )
        .unwrap()
    else {
        panic!()
    };
    let subjects: BTreeSet<String> = triples.map(|t| t.unwrap().subject.to_string()).collect();
    assert_eq!(
        subjects,
        [format!("<{a}>"), format!("<{b}>")].into_iter().collect()
    );
}

fn internal_graphs_cannot_be_named(factory: Factory) {
    let (store, _guard) = factory();
    two_datasets(&store);
    let n = names();
    for internal in [n.metadata(), n.version("a", 1), n.validation("a")] {
        let i = internal.as_str();
        for query in [
            format!("SELECT (COUNT(*) AS ?n) FROM <{i}> {{ ?s ?p ?o }}"),
            format!("SELECT (COUNT(*) AS ?n) {{ GRAPH <{i}> {{ ?s ?p ?o }} }}"),
            format!("SELECT (COUNT(*) AS ?n) FROM NAMED <{i}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        ] {
            assert_eq!(count(&store, &query, None), 0, "{query}");
        }
        let request = DatasetRequest {
            default: vec![internal.clone()],
            named: vec![internal.clone()],
        };
        assert_eq!(
            count(
                &store,
                "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                Some(request)
            ),
            0
        );
    }
}

fn the_default_graph_is_a_duplicate_free_union(factory: Factory) {
    let (store, _guard) = factory();
    let base = base();
    let ex = ex();
    two_datasets(&store);
    // 4 + 2 triples, one of them in both datasets.
    assert_eq!(
        count(&store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", None),
        5
    );
    let x = format!("<{ex}agent/x>");
    assert_eq!(
        select(&store, &format!("SELECT ?l {{ {x} ?p ?l }}"), None).len(),
        1
    );
    // Through a sequence path, a blank node and a join, each solution once.
    let creator = format!("<{ex}creator>");
    let rdfs_label = "<http://www.w3.org/2000/01/rdf-schema#label>";
    assert_eq!(
        select(
            &store,
            &format!("SELECT ?w ?l {{ ?w {creator}/{rdfs_label} ?l }}"),
            None
        )
        .len(),
        2
    );
    assert_eq!(
        select(
            &store,
            &format!("SELECT ?w {{ ?w {creator} [ {rdfs_label} ?l ] }}"),
            None
        )
        .len(),
        2
    );
    assert_eq!(
        select(&store, &format!("SELECT ?p {{ {x} !{creator} ?l }}"), None).len(),
        1
    );
    // FROM both graphs: the same set; GRAPH ?g: once per graph that holds it.
    assert_eq!(
        count(
            &store,
            &format!(
                "SELECT (COUNT(*) AS ?n) FROM <{base}graph/a> FROM <{base}graph/b> {{ ?s ?p ?o }}"
            ),
            None
        ),
        5
    );
    assert_eq!(
        count(
            &store,
            &format!("SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ {x} ?p ?o }} }}"),
            None
        ),
        2
    );
    assert_eq!(store.describe(&iri("agent/x")).unwrap().len(), 1);
}

fn republishing_replaces_and_drops_the_old_version(factory: Factory) {
    let (store, _guard) = factory();
    let ex = ex();
    let first = publish(&store, "a", vec![label("work/1", "one")]);
    let reader = store.published();
    let second = publish(
        &store,
        "a",
        vec![label("work/1", "two"), label("work/2", "deux")],
    );
    assert_eq!((first, second), (1, 2));
    let view = store.published();
    let a = view.get("a").unwrap();
    assert_eq!(a.version.number, 2);
    assert_eq!(a.counts.triples, 2);
    assert!(!a.published.is_empty() && a.published_at().is_some());
    assert_eq!(
        select(&store, &format!("SELECT ?l {{ <{ex}work/1> ?p ?l }}"), None),
        [vec!["\"two\"@fr".to_owned()]]
    );
    // A reader still holding the previous view keeps its version until it lets go.
    assert_eq!(reader.get("a").unwrap().version.number, 1);
    assert_eq!(store.pending_drops(), 1);
    drop(reader);
    store.wait_for_drops(&|_| {});
    assert_eq!(store.versions_stored().unwrap(), [("a".to_owned(), 2)]);
    // A version staged and abandoned is never numbered again.
    let abandoned = store.stage("a").unwrap();
    assert_eq!(abandoned.number(), 3);
    drop(abandoned);
    assert_eq!(publish(&store, "a", vec![label("work/1", "four")]), 4);
}

fn lookups_answer_in_one_call(factory: Factory) {
    let (store, _guard) = factory();
    two_datasets(&store);
    let described = store.describe(&iri("work/1")).unwrap();
    assert_eq!(described.len(), 2);
    let before = store.backend_calls();
    let nodes: Vec<NamedOrBlankNode> = ["work/1", "work/2", "agent/x", "event/1", "nobody"]
        .iter()
        .map(|l| iri(l).into())
        .collect();
    let annotations = store.annotate(&nodes).unwrap();
    assert_eq!(
        store.backend_calls(),
        before + 1,
        "labels of many nodes in one call"
    );
    assert_eq!(
        annotations.labels[&nodes[2]].len(),
        1,
        "a shared label, once"
    );
    assert_eq!(annotations.labels[&nodes[0]][0].value(), "Œuvre un");
    assert!(!annotations.labels.contains_key(&nodes[4]));
    // Referrers of the agent: three statements in two datasets, paged.
    let all = store.referrers(&iri("agent/x"), 0, 10).unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.statements.len(), 3);
    let page = store.referrers(&iri("agent/x"), 1, 1).unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.statements, all.statements[1..2]);
}

fn a_named_public_graph_is_kept(factory: Factory) {
    let (store, _guard) = factory();
    let kept = NamedNode::new("http://kasei.us/2009/09/sparql/data/data1.rdf").unwrap();
    let mut stage = store.stage("data1").unwrap();
    stage.load(&mut vec![label("x", "x")].into_iter()).unwrap();
    let mut p = provenance(&store, "data1", 1);
    p.graph = kept.clone();
    stage.publish(&p).unwrap();
    assert_eq!(store.published().get("data1").unwrap().graph, kept);
    assert_eq!(
        select(&store, "SELECT ?g { GRAPH ?g {} }", None),
        [vec![format!("<{}>", kept.as_str())]]
    );
    assert_eq!(
        count(
            &store,
            &format!(
                "SELECT (COUNT(*) AS ?n) FROM <{}> {{ ?s ?p ?o }}",
                kept.as_str()
            ),
            None
        ),
        1
    );
}

fn validation_reports_round_trip(factory: Factory) {
    let (store, _guard) = factory();
    assert!(store.validation_report("a").unwrap().is_none());
    let mut report = oxigraph::model::Graph::new();
    report.insert(oxigraph::model::TripleRef::new(
        iri("report").as_ref(),
        vitrine::vocab::rdf::TYPE,
        iri("Report").as_ref(),
    ));
    store.save_validation_report("a", &report).unwrap();
    assert_eq!(store.validation_report("a").unwrap().unwrap().len(), 1);
    // Reports are not data: no query sees them.
    assert_eq!(
        count(
            &store,
            "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
            None
        ),
        0
    );
}

fn one_ingest_at_a_time(factory: Factory) {
    let (store, _guard) = factory();
    let first = store.stage("a").unwrap();
    assert!(matches!(store.stage("b"), Err(Error::Busy)));
    drop(first);
    assert!(store.stage("b").is_ok());
}

fn a_cancelled_query_stops(factory: Factory) {
    let (store, _guard) = factory();
    // 100³ = a million rows: as many as a store answers at once (Virtuoso stops near 2²⁰).
    let quads: Vec<Quad> = (0..100)
        .map(|i| triple(&format!("n/{i}"), "p", Literal::from(i)))
        .collect();
    publish(&store, "a", quads);
    let cancel = Cancel::new();
    let options = QueryOptions {
        cancel: cancel.clone(),
        ..QueryOptions::default()
    };
    // Cancelled 100 ms from now: while the store computes (a remote store may compute the
    // whole answer before it sends a byte) or while the answer streams.
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        cancel.cancel();
    });
    let started = std::time::Instant::now();
    let mut read = 0;
    let mut last = None;
    match store.query("SELECT * { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }", &options) {
        Err(e) => last = Some(e),
        Ok(Answer::Solutions(rows)) => {
            for row in rows {
                match row {
                    Ok(_) => read += 1,
                    Err(e) => {
                        last = Some(e);
                        break;
                    }
                }
            }
        }
        Ok(_) => panic!("not solutions"),
    }
    assert!(
        matches!(last, Some(Error::Cancelled)),
        "{read} rows, then {last:?}"
    );
    assert!(read < 1_000_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    canceller.join().unwrap();
}
