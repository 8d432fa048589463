//! The store side of an ingest: the triple count it reports is the size of the graph it loaded,
//! whatever duplicates the mapping emitted, and superseded versions do not pile up.

use crate::util::{count, fresh_demo, memory, provenance};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
use vitrine::store::Store;

fn quad(s: usize, o: usize) -> Quad {
    Quad::new(
        NamedNode::new_unchecked(format!("https://example.org/item/{s}")),
        NamedNode::new_unchecked("https://example.org/p"),
        Literal::new_simple_literal(format!("value {o}")),
        GraphName::DefaultGraph,
    )
}

#[test]
fn staged_count_is_the_number_of_distinct_triples() {
    let store = memory("https://example.org/");
    let mut stage = store.stage("d").unwrap();
    assert!(stage.is_empty().unwrap());
    // 3000 triples, each emitted twice within one load, then all again in a second load.
    let triples = || (0..3000).map(|i| quad(i / 3, i % 3));
    stage.load(&mut triples().chain(triples())).unwrap();
    stage.load(&mut triples()).unwrap();
    assert_eq!(stage.len().unwrap(), 3000);
    assert!(!stage.is_empty().unwrap());
    stage.publish(&provenance(&store, "d", 3000)).unwrap();
    assert_eq!(
        count(&store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
        3000,
        "the published graph holds each triple once"
    );
}

#[test]
fn reported_triples_equal_the_published_graph_across_reingests() {
    let demo = fresh_demo().unwrap();
    let dataset = &demo.config.datasets[0];
    let graph_count = |store: &Store| count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }");
    assert!(demo.summary.triples > 0);
    assert_eq!(demo.summary.triples, graph_count(&demo.store));
    let mut numbers = vec![demo.summary.version];
    for _ in 0..3 {
        let summary = vitrine::ingest::ingest(&demo.config, &demo.store, dataset, &|_| {}).unwrap();
        assert_eq!(summary.triples, demo.summary.triples);
        assert_eq!(summary.triples, graph_count(&demo.store));
        let published = demo.store.published();
        assert_eq!(published.datasets().len(), 1);
        assert_eq!(published.datasets()[0].counts.triples, summary.triples);
        numbers.push(summary.version);
    }
    // Version numbers follow one another and are never reused.
    assert_eq!(numbers, [1, 2, 3, 4]);
    demo.store.wait_for_drops(&|_| {});
    assert_eq!(
        demo.store.versions_stored().unwrap(),
        [(dataset.id.clone(), 4)]
    );
}
