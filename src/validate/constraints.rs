//! The SHACL Core constraint components, each applied to a focus node and its value nodes.

use super::ValidateError;
use super::data::Id;
use super::engine::{Run, Sink};
use super::path::PropertyPath;
use super::shapes::{Bound, Constraint, NodeKind, Shape, ShapeId};
use super::values;
use oxigraph::model::{NamedNode, Term};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

impl Run<'_> {
    pub(crate) fn apply(
        &self,
        shape_id: ShapeId,
        shape: &Shape,
        c: &Constraint,
        focus: Id,
        values: &[Id],
        sink: &mut Sink,
    ) -> Result<(), ValidateError> {
        let each = |sink: &mut Sink, ok: &dyn Fn(Id, &Term) -> bool| {
            for v in values {
                let term = self.term(*v);
                if !ok(*v, term) {
                    self.emit(sink, shape_id, c, focus, Some(term.clone()));
                }
            }
        };
        match c {
            Constraint::Class(class) => each(sink, &|v, t| {
                !matches!(t, Term::Literal(_)) && self.is_instance(v, class)
            }),
            Constraint::Datatype(d) => each(sink, &|_, t| values::has_datatype(t, d.as_str())),
            Constraint::NodeKind(kind) => each(sink, &|_, t| node_kind(*kind, t)),
            Constraint::MinCount(n) => {
                if (values.len() as u64) < *n {
                    self.emit(sink, shape_id, c, focus, None);
                }
            }
            Constraint::MaxCount(n) => {
                if values.len() as u64 > *n {
                    self.emit(sink, shape_id, c, focus, None);
                }
            }
            Constraint::Range(bound, limit) => each(sink, &|_, t| {
                let ord = values::compare(t, limit);
                match bound {
                    Bound::MinExclusive => ord == Some(Ordering::Greater),
                    Bound::MinInclusive => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
                    Bound::MaxExclusive => ord == Some(Ordering::Less),
                    Bound::MaxInclusive => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                }
            }),
            Constraint::MinLength(n) => each(sink, &|_, t| {
                lexical(t).is_some_and(|s| s.chars().count() as u64 >= *n)
            }),
            Constraint::MaxLength(n) => each(sink, &|_, t| {
                lexical(t).is_some_and(|s| s.chars().count() as u64 <= *n)
            }),
            Constraint::Pattern(re) => {
                each(sink, &|_, t| lexical(t).is_some_and(|s| re.is_match(s)))
            }
            Constraint::LanguageIn(ranges) => each(sink, &|_, t| match t {
                Term::Literal(l) => l
                    .language()
                    .is_some_and(|tag| ranges.iter().any(|r| lang_matches(tag, r))),
                _ => false,
            }),
            Constraint::UniqueLang => {
                let mut counts: FxHashMap<String, usize> = FxHashMap::default();
                for v in values {
                    if let Term::Literal(l) = self.term(*v)
                        && let Some(tag) = l.language()
                    {
                        *counts.entry(tag.to_ascii_lowercase()).or_default() += 1;
                    }
                }
                let mut dups: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
                dups.sort();
                for _ in dups {
                    self.emit(sink, shape_id, c, focus, None);
                }
            }
            Constraint::Equals(p) => {
                let other = self.objects(focus, p);
                for v in values.iter().filter(|v| !other.contains(v)) {
                    self.emit(sink, shape_id, c, focus, Some(self.term(*v).clone()));
                }
                for o in other.iter().filter(|o| !values.contains(o)) {
                    self.emit(sink, shape_id, c, focus, Some(self.term(*o).clone()));
                }
            }
            Constraint::Disjoint(p) => {
                let other = self.objects(focus, p);
                each(sink, &|v, _| !other.contains(&v));
            }
            Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                let strict = matches!(c, Constraint::LessThan(_));
                // One result per failing pair, as the suite expects.
                let other = self.objects(focus, p);
                for v in values {
                    let t = self.term(*v);
                    for o in &other {
                        let ok = match values::compare(t, self.term(*o)) {
                            Some(Ordering::Less) => true,
                            Some(Ordering::Equal) => !strict,
                            _ => false,
                        };
                        if !ok {
                            self.emit(sink, shape_id, c, focus, Some(t.clone()));
                        }
                    }
                }
            }
            Constraint::Not(s) => {
                for v in values {
                    if self.conforms(*s, *v)? {
                        self.emit(sink, shape_id, c, focus, Some(self.term(*v).clone()));
                    }
                }
            }
            Constraint::And(list) | Constraint::Or(list) | Constraint::Xone(list) => {
                for v in values {
                    let mut passed = 0;
                    for s in list {
                        if self.conforms(*s, *v)? {
                            passed += 1;
                        }
                    }
                    let ok = match c {
                        Constraint::And(_) => passed == list.len(),
                        Constraint::Or(_) => passed > 0,
                        _ => passed == 1,
                    };
                    if !ok {
                        self.emit(sink, shape_id, c, focus, Some(self.term(*v).clone()));
                    }
                }
            }
            Constraint::Node(s) => {
                for v in values {
                    if !self.conforms(*s, *v)? {
                        self.emit(sink, shape_id, c, focus, Some(self.term(*v).clone()));
                    }
                }
            }
            Constraint::Property(s) => {
                for v in values {
                    self.check(*s, *v, sink)?;
                    if !sink.collect && sink.count > 0 {
                        break;
                    }
                }
            }
            Constraint::QualifiedMin {
                shape: q,
                count,
                siblings,
            }
            | Constraint::QualifiedMax {
                shape: q,
                count,
                siblings,
            } => {
                let mut n = 0u64;
                for v in values {
                    if self.conforms(*q, *v)? {
                        let mut in_sibling = false;
                        for s in siblings {
                            if self.conforms(*s, *v)? {
                                in_sibling = true;
                                break;
                            }
                        }
                        if !in_sibling {
                            n += 1;
                        }
                    }
                }
                let failed = match c {
                    Constraint::QualifiedMin { .. } => n < *count,
                    _ => n > *count,
                };
                if failed {
                    self.emit(sink, shape_id, c, focus, None);
                }
            }
            Constraint::Closed(allowed) => {
                for v in values {
                    for (p, o) in self.data.outgoing(*v) {
                        let Term::NamedNode(pn) = self.term(p) else {
                            continue;
                        };
                        if !allowed.contains(pn) {
                            let path = Some(PropertyPath::Predicate(pn.clone()));
                            let value = Some(self.term(o).clone());
                            self.emit_path(sink, shape_id, c, focus, value, path);
                        }
                    }
                }
            }
            Constraint::HasValue(expected) => {
                if !values.iter().any(|v| self.term(*v) == expected) {
                    self.emit(sink, shape_id, c, focus, None);
                }
            }
            Constraint::In(list) => each(sink, &|_, t| list.contains(t)),
            Constraint::Sparql(s) => self.sparql_constraint(shape_id, shape, s, focus, sink)?,
            Constraint::Component(call) => {
                self.component(shape_id, shape, call, focus, values, sink)?;
            }
        }
        Ok(())
    }

    fn objects(&self, focus: Id, p: &NamedNode) -> Vec<Id> {
        match self.data.predicate(p) {
            Some(p) => self.data.objects(focus, p).collect(),
            None => Vec::new(),
        }
    }
}

fn node_kind(kind: NodeKind, t: &Term) -> bool {
    let (b, i, l) = (
        matches!(t, Term::BlankNode(_)),
        matches!(t, Term::NamedNode(_)),
        matches!(t, Term::Literal(_)),
    );
    match kind {
        NodeKind::BlankNode => b,
        NodeKind::Iri => i,
        NodeKind::Literal => l,
        NodeKind::BlankNodeOrIri => b || i,
        NodeKind::BlankNodeOrLiteral => b || l,
        NodeKind::IriOrLiteral => i || l,
    }
}

/// `str()` of an IRI or literal; blank nodes have none, so length and pattern checks fail.
fn lexical(t: &Term) -> Option<&str> {
    match t {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

/// SPARQL `langMatches` (RFC 4647 basic filtering).
fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let (tag, range) = (tag.to_ascii_lowercase(), range.to_ascii_lowercase());
    tag == range
        || tag
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// The message of a Core result whose shape has no `sh:message`, so reports and the
/// quarantine CSV always say what is wrong (the spec leaves such messages to the engine).
pub(crate) fn default_message(c: &Constraint) -> String {
    match c {
        Constraint::Class(class) => format!("Value is not an instance of {class}"),
        Constraint::Datatype(d) => format!("Value is not a well-formed literal of datatype {d}"),
        Constraint::NodeKind(k) => format!("Value is not of node kind {k:?}"),
        Constraint::MinCount(n) => format!("Fewer than {n} values"),
        Constraint::MaxCount(n) => format!("More than {n} values"),
        Constraint::Range(bound, limit) => {
            let op = match bound {
                Bound::MinExclusive => ">",
                Bound::MinInclusive => ">=",
                Bound::MaxExclusive => "<",
                Bound::MaxInclusive => "<=",
            };
            format!("Value is not {op} {limit}")
        }
        Constraint::MinLength(n) => format!("Value has fewer than {n} characters"),
        Constraint::MaxLength(n) => format!("Value has more than {n} characters"),
        Constraint::Pattern(re) => format!("Value does not match the pattern \"{re}\""),
        Constraint::LanguageIn(tags) => format!("Language tag is not one of {}", tags.join(", ")),
        Constraint::UniqueLang => "A language tag is used by more than one value".into(),
        Constraint::Equals(p) => format!("Values differ from the values of {p}"),
        Constraint::Disjoint(p) => format!("Value is also a value of {p}"),
        Constraint::LessThan(p) => format!("Value is not less than the values of {p}"),
        Constraint::LessThanOrEquals(p) => {
            format!("Value is not less than or equal to the values of {p}")
        }
        Constraint::Not(_) => "Value conforms to a shape it must not conform to".into(),
        Constraint::And(_) => "Value does not conform to all the shapes of sh:and".into(),
        Constraint::Or(_) => "Value conforms to none of the shapes of sh:or".into(),
        Constraint::Xone(_) => "Value does not conform to exactly one shape of sh:xone".into(),
        Constraint::Node(_) => "Value does not conform to the shape of sh:node".into(),
        Constraint::QualifiedMin { count, .. } => {
            format!("Fewer than {count} values conform to the qualified value shape")
        }
        Constraint::QualifiedMax { count, .. } => {
            format!("More than {count} values conform to the qualified value shape")
        }
        Constraint::Closed(_) => "Predicate is not allowed by the closed shape".into(),
        Constraint::HasValue(t) => format!("Missing the value {t}"),
        Constraint::In(_) => "Value is not one of the allowed values (sh:in)".into(),
        Constraint::Property(_) | Constraint::Sparql(_) | Constraint::Component(_) => {
            "Value does not conform to the constraint".into()
        }
    }
}
