//! The lookups item pages make, as one SPARQL query each (two for a deep description).
//!
//! Terms go into the text through their N-Triples form (`NamedNode` and `Literal` display
//! themselves escaped), and every IRI here was validated when it was built, so nothing a
//! visitor typed is pasted into the query as is.

use super::Remote;
use super::results::value;
use crate::store::backend::{Annotations, Referrers};
use crate::store::{Error, is_part_of};
use crate::vocab::{LABEL_PREDICATES, rdf};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write;

/// Hops from the item a description first reaches through blank nodes and the resources minted
/// under the item's IRI; doubled while the answer shows there is more.
const FIRST_DEPTH: usize = 3;

/// The deepest description fetched (a chain of blank nodes longer than this is cut).
const MAX_DEPTH: usize = 48;

/// `UNION` branches (resources × graphs) per annotation query: Virtuoso refuses a query of
/// 1,000 ("Query too large, variables in state over the limit"), which 200 resources in five
/// datasets made.
const ANNOTATE_BRANCHES: usize = 400;

/// `body` in each of `graphs`, `?g` bound to the graph that matched: a union of `GRAPH <…>`
/// blocks, because stores scan for `VALUES ?g {…} GRAPH ?g {…}` (Oxigraph's server read the
/// whole graph for each page: 0.7 s against 1 ms with the name written out).
fn in_graphs(graphs: &[NamedNode], body: &str) -> String {
    graphs
        .iter()
        .map(|g| format!("{{ GRAPH {g} {{ {body} }} BIND({g} AS ?g) }}"))
        .collect::<Vec<_>>()
        .join(" UNION ")
}

/// `?x` is a blank node or a resource minted under `subject` (see [`is_part_of`]).
fn part_filter(x: &str, subject: &NamedNode) -> String {
    format!("FILTER(isBlank(?{x}) || {})", part_of(x, subject))
}

/// [`is_part_of`] in SPARQL: `?x` is an IRI minted under `owner` (`…/production`, `…#image`).
pub(super) fn part_of(x: &str, owner: &NamedNode) -> String {
    let slash = Literal::new_simple_literal(format!("{}/", owner.as_str()));
    let hash = Literal::new_simple_literal(format!("{}#", owner.as_str()));
    format!("STRSTARTS(STR(?{x}), {slash}) || STRSTARTS(STR(?{x}), {hash})")
}

/// The description of `subject` down to `depth` hops: one `UNION` branch per depth.
fn describe_query(graphs: &[NamedNode], subject: &NamedNode, depth: usize) -> String {
    let mut branches = vec![format!("{{ BIND({subject} AS ?s) {subject} ?p ?o }}")];
    for d in 1..=depth {
        let mut branch = String::from("{ ");
        let mut previous = subject.to_string();
        for hop in 1..=d {
            let node = if hop == d {
                "s".to_owned()
            } else {
                format!("x{hop}")
            };
            let _ = write!(
                branch,
                "{previous} ?p{hop} ?{node} . {} ",
                part_filter(&node, subject)
            );
            previous = format!("?{node}");
        }
        branch.push_str("?s ?p ?o }");
        branches.push(branch);
    }
    format!(
        "SELECT ?g ?s ?p ?o WHERE {{ {} }}",
        in_graphs(graphs, &branches.join(" UNION "))
    )
}

impl Remote {
    pub(super) fn describe_quads(
        &self,
        graphs: &[NamedNode],
        subject: &NamedNode,
    ) -> Result<Vec<Quad>, Error> {
        if graphs.is_empty() {
            return Ok(Vec::new());
        }
        let mut depth = FIRST_DEPTH;
        loop {
            let (variables, rows) = self.select(&describe_query(graphs, subject, depth))?;
            let mut seen = FxHashSet::default();
            let mut quads = Vec::new();
            for row in &rows {
                let (Some(Term::NamedNode(g)), Some(s), Some(Term::NamedNode(p)), Some(o)) = (
                    value(&variables, row, "g"),
                    value(&variables, row, "s"),
                    value(&variables, row, "p"),
                    value(&variables, row, "o"),
                ) else {
                    continue;
                };
                let Ok(s) = NamedOrBlankNode::try_from(s.clone()) else {
                    continue;
                };
                let quad = Quad::new(s, p.clone(), o.clone(), g.clone());
                if seen.insert(quad.clone()) {
                    quads.push(quad);
                }
            }
            if depth >= MAX_DEPTH || reaches(&quads, subject) <= depth {
                return Ok(quads);
            }
            depth *= 2;
        }
    }

    pub(super) fn annotations(
        &self,
        graphs: &[NamedNode],
        nodes: &[NamedOrBlankNode],
    ) -> Result<Annotations, Error> {
        let mut out = Annotations::default();
        // A blank node cannot be named in a query to another store; its statements come with
        // the description that reached it.
        let named: Vec<&NamedNode> = nodes
            .iter()
            .filter_map(|n| match n {
                NamedOrBlankNode::NamedNode(n) => Some(n),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect::<FxHashSet<_>>()
            .into_iter()
            .collect();
        if graphs.is_empty() || named.is_empty() {
            return Ok(out);
        }
        let predicates = LABEL_PREDICATES.iter().copied().chain([rdf::TYPE]);
        for chunk in named.chunks((ANNOTATE_BRANCHES / graphs.len()).max(1)) {
            // One branch per resource, its IRI written out: with `VALUES ?n` Oxigraph's server
            // scanned the graph (0.4 s a page against 2 ms).
            let wanted = predicates
                .clone()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let branches = chunk
                .iter()
                .map(|n| {
                    format!(
                        "{{ {} BIND({n} AS ?n) }}",
                        in_graphs(graphs, &format!("{n} ?p ?o FILTER(?p IN ({wanted}))"))
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ");
            let query = format!("SELECT ?n ?p ?o WHERE {{ {branches} }}");
            let (variables, rows) = self.select(&query)?;
            // Labels in the order of LABEL_PREDICATES, as the embedded store gives them.
            let mut labels: Vec<(usize, NamedNode, Literal)> = Vec::new();
            for row in &rows {
                let (Some(Term::NamedNode(n)), Some(Term::NamedNode(p)), Some(o)) = (
                    value(&variables, row, "n"),
                    value(&variables, row, "p"),
                    value(&variables, row, "o"),
                ) else {
                    continue;
                };
                if p.as_ref() == rdf::TYPE {
                    if let Term::NamedNode(t) = o {
                        let types = out.types.entry(n.clone().into()).or_default();
                        if !types.contains(t) {
                            types.push(t.clone());
                        }
                    }
                } else if let (Some(rank), Term::Literal(l)) =
                    (LABEL_PREDICATES.iter().position(|l| *l == p.as_ref()), o)
                {
                    labels.push((rank, n.clone(), l.clone()));
                }
            }
            labels.sort_by_key(|(rank, _, _)| *rank);
            for (_, n, l) in labels {
                let list = out.labels.entry(n.into()).or_default();
                if !list.contains(&l) {
                    list.push(l);
                }
            }
        }
        Ok(out)
    }

    /// The page and the total in one query: a `UNION` of the two.
    pub(super) fn referrer_page(
        &self,
        graphs: &[NamedNode],
        object: &NamedNode,
        offset: usize,
        limit: usize,
    ) -> Result<Referrers, Error> {
        if graphs.is_empty() {
            return Ok(Referrers::default());
        }
        let statements = format!(
            "SELECT DISTINCT ?s ?p WHERE {{ {} }}",
            in_graphs(graphs, &format!("?s ?p {object}"))
        );
        let query = format!(
            "SELECT ?s ?p ?total WHERE {{ {{ {statements} ORDER BY ?s ?p OFFSET {offset} LIMIT {limit} }} UNION {{ SELECT (COUNT(*) AS ?total) WHERE {{ {statements} }} }} }}"
        );
        let (variables, rows) = self.select(&query)?;
        let mut out = Referrers::default();
        for row in &rows {
            if let Some(Term::Literal(total)) = value(&variables, row, "total") {
                out.total = total.value().parse().unwrap_or(0);
                continue;
            }
            let (Some(s), Some(Term::NamedNode(p))) =
                (value(&variables, row, "s"), value(&variables, row, "p"))
            else {
                continue;
            };
            let Ok(s) = NamedOrBlankNode::try_from(s.clone()) else {
                continue;
            };
            out.statements.push((s, p.clone()));
        }
        // The store sorts; the order within equal keys is its own, so sort again for a page
        // boundary that does not move between two requests.
        out.statements
            .sort_by(|a, b| (a.0.to_string(), a.1.as_str()).cmp(&(b.0.to_string(), b.1.as_str())));
        Ok(out)
    }
}

/// How many hops from `subject` the farthest node of the description lies, counting a node
/// whose own statements are still to be fetched: more than the depth fetched means the
/// description is cut and must be fetched deeper.
fn reaches(quads: &[Quad], subject: &NamedNode) -> usize {
    let mut edges: FxHashMap<&NamedOrBlankNode, Vec<NamedOrBlankNode>> = FxHashMap::default();
    for q in quads {
        let next = match &q.object {
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            Term::NamedNode(n) if is_part_of(n.as_str(), subject.as_str()) => n.clone().into(),
            _ => continue,
        };
        edges.entry(&q.subject).or_default().push(next);
    }
    let start = NamedOrBlankNode::from(subject.clone());
    let mut distance: FxHashMap<NamedOrBlankNode, usize> = FxHashMap::default();
    distance.insert(start.clone(), 0);
    let mut frontier = vec![start];
    let mut depth = 0;
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for node in &frontier {
            for n in edges.get(node).into_iter().flatten() {
                if !distance.contains_key(n) {
                    distance.insert(n.clone(), depth + 1);
                    next.push(n.clone());
                }
            }
        }
        if !next.is_empty() {
            depth += 1;
        }
        frontier = next;
    }
    depth
}
