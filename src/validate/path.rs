//! SHACL property paths: read from the shapes graph, evaluated on the data graph, and written
//! back as SPARQL text for `$PATH`.

use super::ShapesError;
use super::data::{DataGraph, Id};
use super::rdf::{Shapes as G, list, sh};
use oxigraph::model::{BlankNode, Graph, NamedNode, NamedNodeRef, Term, Triple};
use rustc_hash::FxHashSet;

/// A SHACL property path, as in `sh:path` and `sh:resultPath`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PropertyPath {
    Predicate(NamedNode),
    Inverse(Box<PropertyPath>),
    Sequence(Vec<PropertyPath>),
    Alternative(Vec<PropertyPath>),
    ZeroOrMore(Box<PropertyPath>),
    OneOrMore(Box<PropertyPath>),
    ZeroOrOne(Box<PropertyPath>),
}

impl PropertyPath {
    /// Reads the path whose node is `node` in the shapes graph.
    pub(crate) fn parse(g: &G, node: &Term) -> Result<Self, ShapesError> {
        let bad = |why: &str| ShapesError::BadPath {
            node: node.to_string(),
            why: why.to_owned(),
        };
        match node {
            Term::NamedNode(n) if g.object(node, sh::FIRST).is_none() => {
                Ok(Self::Predicate(n.clone()))
            }
            Term::Literal(_) => Err(bad("a literal is not a path")),
            _ => {
                // The member paths of the RDF list at `head`, at least two.
                let members = |head: &Term, kind: &str| -> Result<Vec<Self>, ShapesError> {
                    let items = list(g, head).ok_or_else(|| bad("malformed RDF list"))?;
                    if items.len() < 2 {
                        return Err(bad(&format!("{kind} path needs at least two members")));
                    }
                    items.iter().map(|i| Self::parse(g, i)).collect()
                };
                if g.object(node, sh::FIRST).is_some() {
                    return Ok(Self::Sequence(members(node, "a sequence")?));
                }
                let one = |p| g.object(node, p);
                if let Some(alt) = one(sh::ALTERNATIVE_PATH) {
                    return Ok(Self::Alternative(members(&alt, "an alternative")?));
                }
                let wrap = |inner: Term| Self::parse(g, &inner).map(Box::new);
                if let Some(i) = one(sh::INVERSE_PATH) {
                    return Ok(Self::Inverse(wrap(i)?));
                }
                if let Some(i) = one(sh::ZERO_OR_MORE_PATH) {
                    return Ok(Self::ZeroOrMore(wrap(i)?));
                }
                if let Some(i) = one(sh::ONE_OR_MORE_PATH) {
                    return Ok(Self::OneOrMore(wrap(i)?));
                }
                if let Some(i) = one(sh::ZERO_OR_ONE_PATH) {
                    return Ok(Self::ZeroOrOne(wrap(i)?));
                }
                Err(bad("not a SHACL property path"))
            }
        }
    }

    /// The values reached from `focus`, without duplicates, in a stable order.
    pub(crate) fn eval(&self, data: &DataGraph, focus: Id) -> Vec<Id> {
        if let Self::Predicate(p) = self {
            let Some(p) = data.predicate(p) else {
                return Vec::new();
            };
            // Indexes are sets, so one subject-predicate run has no duplicate.
            return data.objects(focus, p).collect();
        }
        let mut out = Vec::new();
        let mut seen = FxHashSet::default();
        self.step(data, focus, &mut |v| {
            if seen.insert(v) {
                out.push(v);
            }
        });
        out
    }

    fn step(&self, data: &DataGraph, from: Id, emit: &mut dyn FnMut(Id)) {
        match self {
            Self::Predicate(p) => {
                if let Some(p) = data.predicate(p) {
                    data.objects(from, p).for_each(emit);
                }
            }
            Self::Inverse(inner) => match &**inner {
                Self::Predicate(p) => {
                    if let Some(p) = data.predicate(p) {
                        data.subjects(p, from).for_each(emit);
                    }
                }
                other => other.inverse().step(data, from, emit),
            },
            Self::Sequence(steps) => {
                let mut current = vec![from];
                for step in steps {
                    let mut next = Vec::new();
                    let mut seen = FxHashSet::default();
                    for node in current {
                        step.step(data, node, &mut |v| {
                            if seen.insert(v) {
                                next.push(v);
                            }
                        });
                    }
                    current = next;
                }
                current.into_iter().for_each(emit);
            }
            Self::Alternative(options) => {
                for option in options {
                    option.step(data, from, emit);
                }
            }
            Self::ZeroOrOne(inner) => {
                emit(from);
                inner.step(data, from, emit);
            }
            Self::ZeroOrMore(inner) | Self::OneOrMore(inner) => {
                let mut seen = FxHashSet::default();
                let mut stack = Vec::new();
                if matches!(self, Self::ZeroOrMore(_)) {
                    seen.insert(from);
                    emit(from);
                }
                inner.step(data, from, &mut |v| stack.push(v));
                while let Some(node) = stack.pop() {
                    if seen.insert(node) {
                        emit(node);
                        inner.step(data, node, &mut |v| stack.push(v));
                    }
                }
            }
        }
    }

    /// Writes the path's RDF structure into `g` under fresh blank nodes and returns its node
    /// (each `sh:resultPath` gets its own copy, holding only path triples).
    pub(crate) fn to_rdf(&self, g: &mut Graph) -> Term {
        fn node(g: &mut Graph, p: NamedNodeRef<'_>, o: Term) -> Term {
            let b = BlankNode::default();
            g.insert(&Triple::new(b.clone(), p.into_owned(), o));
            Term::from(b)
        }
        match self {
            Self::Predicate(p) => p.clone().into(),
            Self::Inverse(i) => {
                let inner = i.to_rdf(g);
                node(g, sh::INVERSE_PATH, inner)
            }
            Self::ZeroOrMore(i) => {
                let inner = i.to_rdf(g);
                node(g, sh::ZERO_OR_MORE_PATH, inner)
            }
            Self::OneOrMore(i) => {
                let inner = i.to_rdf(g);
                node(g, sh::ONE_OR_MORE_PATH, inner)
            }
            Self::ZeroOrOne(i) => {
                let inner = i.to_rdf(g);
                node(g, sh::ZERO_OR_ONE_PATH, inner)
            }
            Self::Sequence(items) => rdf_list(g, items),
            Self::Alternative(items) => {
                let list = rdf_list(g, items);
                node(g, sh::ALTERNATIVE_PATH, list)
            }
        }
    }

    /// The path walked backwards: `^(a/b)` is `^b/^a`, `^(a|b)` is `^a|^b`, `^(p*)` is `(^p)*`.
    fn inverse(&self) -> Self {
        let boxed = |p: &Self| Box::new(p.inverse());
        match self {
            Self::Predicate(_) => Self::Inverse(Box::new(self.clone())),
            Self::Inverse(inner) => (**inner).clone(),
            Self::Sequence(items) => {
                Self::Sequence(items.iter().rev().map(Self::inverse).collect())
            }
            Self::Alternative(items) => {
                Self::Alternative(items.iter().map(Self::inverse).collect())
            }
            Self::ZeroOrMore(i) => Self::ZeroOrMore(boxed(i)),
            Self::OneOrMore(i) => Self::OneOrMore(boxed(i)),
            Self::ZeroOrOne(i) => Self::ZeroOrOne(boxed(i)),
        }
    }

    /// The path as a SPARQL property path, for `$PATH`.
    pub fn to_sparql(&self) -> String {
        let join = |items: &[PropertyPath], sep: &str| {
            items
                .iter()
                .map(|p| format!("({})", p.to_sparql()))
                .collect::<Vec<_>>()
                .join(sep)
        };
        match self {
            Self::Predicate(p) => p.to_string(),
            Self::Inverse(i) => format!("^({})", i.to_sparql()),
            Self::Sequence(items) => join(items, "/"),
            Self::Alternative(items) => join(items, "|"),
            Self::ZeroOrMore(i) => format!("({})*", i.to_sparql()),
            Self::OneOrMore(i) => format!("({})+", i.to_sparql()),
            Self::ZeroOrOne(i) => format!("({})?", i.to_sparql()),
        }
    }
}

fn rdf_list(g: &mut Graph, items: &[PropertyPath]) -> Term {
    let mut tail: Term = sh::NIL.into_owned().into();
    for item in items.iter().rev() {
        let first = item.to_rdf(g);
        let cell = BlankNode::default();
        g.insert(&Triple::new(cell.clone(), sh::FIRST.into_owned(), first));
        g.insert(&Triple::new(cell.clone(), sh::REST.into_owned(), tail));
        tail = cell.into();
    }
    tail
}

impl std::fmt::Display for PropertyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_sparql())
    }
}
