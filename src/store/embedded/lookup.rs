//! The lookups item pages make, read straight from Oxigraph's indexes.

use super::{evaluation, storage};
use crate::store::backend::{Annotations, Referrers};
use crate::store::{Error, is_part_of};
use crate::vocab::{LABEL_PREDICATES, rdf};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use rustc_hash::FxHashSet;
use spargebra::Query;
use spargebra::algebra::{AggregateExpression, GraphPattern};
use spargebra::term::{TermPattern, TriplePattern};

/// The statements about `subject`, closed over blank nodes (CBD) and over the resources minted
/// under its IRI (`…/painting/1/production`), which mappings use where CIDOC-CRM needs an
/// intermediate node: a page shows the production with its artist and dates, not a bare link.
pub(super) fn describe(
    store: &Store,
    graphs: &[NamedNode],
    subject: &NamedNode,
) -> Result<Vec<Quad>, Error> {
    let mut out = Vec::new();
    for graph in graphs {
        let mut pending = vec![NamedOrBlankNode::from(subject.clone())];
        let mut visited = FxHashSet::default();
        while let Some(node) = pending.pop() {
            if !visited.insert(node.clone()) {
                continue;
            }
            for quad in store.quads_for_pattern(
                Some(node.as_ref()),
                None,
                None,
                Some(graph.as_ref().into()),
            ) {
                let quad = quad.map_err(storage)?;
                match &quad.object {
                    Term::BlankNode(b) => pending.push(b.clone().into()),
                    Term::NamedNode(n) if is_part_of(n.as_str(), subject.as_str()) => {
                        pending.push(n.clone().into())
                    }
                    _ => {}
                }
                out.push(quad);
            }
        }
    }
    Ok(out)
}

pub(super) fn annotate(
    store: &Store,
    graphs: &[NamedNode],
    nodes: &[NamedOrBlankNode],
) -> Result<Annotations, Error> {
    let mut out = Annotations::default();
    let unique: FxHashSet<&NamedOrBlankNode> = nodes.iter().collect();
    for node in unique {
        let subject = node.as_ref();
        for graph in graphs {
            let graph = Some(graph.as_ref().into());
            for predicate in LABEL_PREDICATES {
                for quad in store.quads_for_pattern(Some(subject), Some(*predicate), None, graph) {
                    if let Term::Literal(l) = quad.map_err(storage)?.object {
                        let labels = out.labels.entry(node.clone()).or_default();
                        if !labels.contains(&l) {
                            labels.push(l);
                        }
                    }
                }
            }
            for quad in store.quads_for_pattern(Some(subject), Some(rdf::TYPE), None, graph) {
                if let Term::NamedNode(t) = quad.map_err(storage)?.object {
                    let types = out.types.entry(node.clone()).or_default();
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Two queries over the encoded indexes: the page (skipped rows are never decoded) and the
/// count (nothing decoded). Statements two graphs both hold are counted once.
pub(super) fn referrers(
    store: &Store,
    graphs: &[NamedNode],
    object: &NamedNode,
    offset: usize,
    limit: usize,
) -> Result<Referrers, Error> {
    if graphs.is_empty() {
        return Ok(Referrers::default());
    }
    let s = Variable::new_unchecked("s");
    let p = Variable::new_unchecked("p");
    let n = Variable::new_unchecked("n");
    // Each graph named in the pattern: declaring a dataset to the engine instead costs a store
    // read per graph and slower scans.
    let in_graphs = graphs
        .iter()
        .map(|g| GraphPattern::Graph {
            name: g.clone().into(),
            inner: Box::new(GraphPattern::Bgp {
                patterns: vec![TriplePattern {
                    subject: TermPattern::Variable(s.clone()),
                    predicate: p.clone().into(),
                    object: TermPattern::NamedNode(object.clone()),
                }],
            }),
        })
        .reduce(|left, right| GraphPattern::Union {
            left: Box::new(left),
            right: Box::new(right),
        })
        .unwrap_or(GraphPattern::Bgp {
            patterns: Vec::new(),
        });
    let statements = GraphPattern::Distinct {
        inner: Box::new(GraphPattern::Project {
            inner: Box::new(in_graphs),
            variables: vec![s.clone(), p.clone()],
        }),
    };
    let page = GraphPattern::Slice {
        inner: Box::new(statements.clone()),
        start: offset,
        length: Some(limit),
    };
    let count = GraphPattern::Project {
        inner: Box::new(GraphPattern::Group {
            inner: Box::new(statements),
            variables: Vec::new(),
            aggregates: vec![(
                n.clone(),
                AggregateExpression::CountSolutions { distinct: false },
            )],
        }),
        variables: vec![n],
    };
    let run = |pattern: GraphPattern| -> Result<Vec<Vec<Option<Term>>>, Error> {
        let query = Query::Select {
            dataset: None,
            pattern,
            base_iri: None,
        };
        let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
            .for_query(query)
            .on_store(store)
            .execute()
            .map_err(evaluation)?
        else {
            return Ok(Vec::new());
        };
        solutions
            .map(|s| s.map(|s| s.values().to_vec()).map_err(evaluation))
            .collect()
    };
    let mut out = Referrers::default();
    let rows = if limit == 0 { Vec::new() } else { run(page)? };
    for row in rows {
        if let [Some(subject), Some(Term::NamedNode(predicate))] = row.as_slice() {
            let subject = match subject {
                Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
                _ => continue,
            };
            out.statements.push((subject, predicate.clone()));
        }
    }
    if let Some([Some(Term::Literal(total))]) = run(count)?.first().map(Vec::as_slice) {
        out.total = total.value().parse().unwrap_or(0);
    }
    Ok(out)
}
