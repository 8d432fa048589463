//! The store side of an ingest: the triple count it reports is the size of the graph it loaded,
//! whatever duplicates the mapping emitted, and re-ingesting keeps only two versions.

use crate::util::{count, fresh_demo};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad};
use vitrine::store::Store;

/// Counts a graph the slow, independent way: decoding every quad.
fn decoded_len(store: &Store, graph: &NamedNode) -> u64 {
    let mut n = 0;
    for quad in store
        .oxigraph()
        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
    {
        quad.unwrap();
        n += 1;
    }
    n
}

fn quad(s: usize, o: usize) -> Result<Quad, vitrine::store::Error> {
    Ok(Quad::new(
        NamedNode::new_unchecked(format!("https://example.org/item/{s}")),
        NamedNode::new_unchecked("https://example.org/p"),
        Literal::new_simple_literal(format!("value {o}")),
        GraphName::DefaultGraph,
    ))
}

#[test]
fn staged_count_is_the_number_of_distinct_triples() {
    let dir = tempfile::tempdir().unwrap();
    let base = NamedNode::new("https://example.org/").unwrap();
    let store = Store::open(&dir.path().join("store"), &base).unwrap();
    let staging = store.stage("d").unwrap();
    assert!(staging.is_empty().unwrap());
    // 3000 triples, each emitted twice within one load, then all again in a second load.
    let triples = || (0..3000).map(|i| quad(i / 3, i % 3));
    staging.load(triples().chain(triples())).unwrap();
    staging.load(triples()).unwrap();
    assert_eq!(staging.len().unwrap(), 3000);
    assert_eq!(decoded_len(&store, staging.graph()), 3000);
    assert!(!staging.is_empty().unwrap());
}

#[test]
fn reported_triples_equal_the_published_graph_across_reingests() {
    let demo = fresh_demo().unwrap();
    let dataset = &demo.config.datasets[0];
    let graph_count = |store: &Store| count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }");
    assert!(demo.summary.triples > 0);
    assert_eq!(demo.summary.triples, graph_count(&demo.store));
    let mut versions = Vec::new();
    for _ in 0..3 {
        // Version IRIs are stamped in milliseconds.
        std::thread::sleep(std::time::Duration::from_millis(5));
        let summary = vitrine::ingest::ingest(&demo.config, &demo.store, dataset, &|_| {}).unwrap();
        assert_eq!(summary.triples, demo.summary.triples);
        assert_eq!(summary.triples, graph_count(&demo.store));
        let current = demo.store.current_graphs().unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(decoded_len(&demo.store, &current[0].1), summary.triples);
        versions.push(current[0].1.clone());
    }
    // The current version and the one it replaced are kept, older ones are dropped.
    let prefix = format!("{}graph/{}/", demo.store.base_iri(), dataset.id);
    let kept: Vec<NamedNode> = demo
        .store
        .oxigraph()
        .named_graphs()
        .filter_map(|g| match g.unwrap() {
            NamedOrBlankNode::NamedNode(g) if g.as_str().starts_with(&prefix) => Some(g),
            _ => None,
        })
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.contains(&versions[2]) && kept.contains(&versions[1]));
    assert_eq!(decoded_len(&demo.store, &versions[0]), 0);
}
