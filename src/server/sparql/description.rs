//! The SPARQL 1.1 Service Description of the endpoint: what it speaks, what it answers in, and
//! its dataset (the union of the published datasets as default graph, each dataset as a named
//! graph with its public name and size).

use super::super::AppState;
use super::SOLUTION_OFFER;
use crate::formats;
use crate::vocab::{rdf, void, xsd};
use axum::http::{HeaderMap, Uri};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";

fn sd(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SD}{local}"))
}

/// The endpoint's URL as the client reached it.
pub(super) fn endpoint_url(headers: &HeaderMap, uri: &Uri) -> String {
    let site = super::super::site_url(headers);
    format!("{site}{}", uri.path().trim_start_matches('/'))
}

/// The description's triples.
pub(super) fn describe(state: &AppState, endpoint: &str) -> Vec<Triple> {
    let mut out = Vec::new();
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };
    let service: NamedOrBlankNode = BlankNode::default().into();
    let endpoint = NamedNode::new(endpoint)
        .unwrap_or_else(|_| NamedNode::new_unchecked(format!("{}sparql", state.store.base_iri())));
    add(&service, rdf::TYPE.into_owned(), sd("Service").into());
    add(&service, sd("endpoint"), endpoint.into());
    // Queries only: updates are refused.
    add(
        &service,
        sd("supportedLanguage"),
        sd("SPARQL11Query").into(),
    );
    let graph_formats = [
        formats::TURTLE,
        formats::JSON_LD,
        formats::NTRIPLES,
        formats::NQUADS,
        formats::RDF_XML,
    ];
    for f in SOLUTION_OFFER
        .iter()
        .chain(&graph_formats)
        .filter(|f| !f.iri.is_empty())
    {
        add(
            &service,
            sd("resultFormat"),
            NamedNode::new_unchecked(f.iri).into(),
        );
    }
    add(&service, sd("feature"), sd("UnionDefaultGraph").into());
    if !state.config.server.federation.is_empty() {
        add(&service, sd("feature"), sd("BasicFederatedQuery").into());
    }
    add(
        &service,
        sd("defaultEntailmentRegime"),
        NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple").into(),
    );
    let dataset: NamedOrBlankNode = BlankNode::default().into();
    add(&service, sd("defaultDataset"), dataset.clone().into());
    add(&dataset, rdf::TYPE.into_owned(), sd("Dataset").into());
    let default: NamedOrBlankNode = BlankNode::default().into();
    add(&dataset, sd("defaultGraph"), default.clone().into());
    add(&default, rdf::TYPE.into_owned(), sd("Graph").into());
    let published = state.store.published();
    for d in published.datasets() {
        let named: NamedOrBlankNode = BlankNode::default().into();
        let graph: NamedOrBlankNode = BlankNode::default().into();
        add(&dataset, sd("namedGraph"), named.clone().into());
        add(&named, rdf::TYPE.into_owned(), sd("NamedGraph").into());
        add(&named, sd("name"), d.graph.clone().into());
        add(&named, sd("graph"), graph.clone().into());
        add(&graph, rdf::TYPE.into_owned(), sd("Graph").into());
        add(
            &graph,
            void::TRIPLES.into_owned(),
            Literal::new_typed_literal(d.counts.triples.to_string(), xsd::INTEGER).into(),
        );
    }
    out
}
