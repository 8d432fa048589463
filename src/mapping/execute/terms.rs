//! Term maps made into RDF terms for one record: templates expanded and encoded, IRIs
//! resolved against the base and checked, literals with their language or datatype (constant
//! ones used as the mapping holds them), blank nodes named after the run.

use super::super::error::{Error, RecordError};
use super::super::functions::strings;
use super::super::model::{Join, Mapping, TermMap, TermType, Value};
use super::super::rml::is_language_tag;
use super::super::source::{self, Record, Values};
use super::super::template::{Encoding, has_scheme};
use super::coverage::Slots;
use super::{Graphs, ParentIndex, product};
use crate::vocab::rml;
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Term};
use smallvec::{SmallVec, smallvec};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// Turns term maps into RDF terms for one record.
pub(super) struct Terms<'m> {
    pub(super) mapping: &'m Mapping,
    /// The base IRI of each triples map: its `rml:baseIRI`, else the mapping's.
    pub(super) bases: Vec<String>,
    /// Prefix of value-less blank nodes, random per run so two runs never share a node.
    pub(super) salt: String,
    /// Which term maps made a term.
    pub(super) coverage: Arc<Slots>,
}

impl Terms<'_> {
    /// Reads a parent source once, keyed by the values of its join keys.
    pub(super) fn index_parent(&self, parent: usize, joins: &[Join]) -> Result<ParentIndex, Error> {
        let map = &self.mapping.triples_maps[parent];
        let mut references: Vec<&str> = map.subject.term.references().collect();
        references.extend(joins.iter().flat_map(|j| j.parent.references()));
        let mut index: ParentIndex = HashMap::new();
        for record in source::open(&map.source, &map.name, &references)? {
            // Unreadable parent records are reported when the parent's own source is mapped.
            let Ok(record) = record else { continue };
            let Ok(sides) = joins
                .iter()
                .map(|j| strings(&j.parent, record.as_ref()))
                .collect::<Result<Vec<_>, _>>()
            else {
                continue;
            };
            let mut errors = Vec::new();
            let subjects = self.subjects(parent, record.as_ref(), &mut errors);
            for key in product(sides) {
                index
                    .entry(key)
                    .or_default()
                    .extend(subjects.iter().cloned().map(Term::from));
            }
        }
        Ok(index)
    }

    pub(super) fn subjects(
        &self,
        map_index: usize,
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> SmallVec<[NamedOrBlankNode; 1]> {
        let map = &self.mapping.triples_maps[map_index];
        // A literal subject cannot be: the mapping parsers refuse literal subject maps.
        self.terms(&map.subject.term, map_index, record, errors)
            .into_iter()
            .filter_map(|t| NamedOrBlankNode::try_from(t).ok())
            .collect()
    }

    /// The named graphs of a subject or predicate–object map; `rml:defaultGraph` is the
    /// default graph.
    pub(super) fn graphs(
        &self,
        maps: &[TermMap],
        owner: usize,
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> Graphs {
        maps.iter()
            .flat_map(|m| self.terms(m, owner, record, errors))
            .filter_map(|t| match t {
                Term::NamedNode(n) if n == rml::DEFAULT_GRAPH => Some(GraphName::DefaultGraph),
                Term::NamedNode(n) => Some(n.into()),
                _ => None,
            })
            .collect()
    }

    /// The terms `map`, a term map of triples map `owner`, makes of `record`.
    pub(super) fn terms(
        &self,
        map: &TermMap,
        owner: usize,
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> SmallVec<[Term; 1]> {
        let base = self.bases[owner].as_str();
        let error = |field: &str, message: String| RecordError {
            position: record.position().clone(),
            field: Some(field.into()),
            message,
        };
        let encoding = match map.term_type {
            TermType::Iri => Encoding::IriSafe,
            TermType::Uri => Encoding::Uri,
            TermType::UnsafeIri | TermType::BlankNode | TermType::Literal => Encoding::Verbatim,
        };
        // IRIs from templates that can only expand to valid IRIs skip validation (hot path);
        // URI-encoded values are a subset of IRI-safe ones.
        let trusted = encoding != Encoding::Verbatim
            && matches!(&map.value, Value::Template(t) if t.always_valid_iri());
        let strings: SmallVec<[(String, &str); 1]> = match &map.value {
            Value::Constant(c) => return smallvec![c.clone()],
            // One node per record of this triples map, the same each time the record is met
            // (as a child, and as a parent of a join); unique to the run.
            Value::Fresh => {
                return smallvec![
                    BlankNode::new_unchecked(format!(
                        "{}m{owner}r{}",
                        self.salt,
                        record.position().record
                    ))
                    .into(),
                ];
            }
            Value::Reference(r) => match record.values(r) {
                Ok(values) => values
                    .into_iter()
                    .map(|v| (v.into_owned(), r.as_str()))
                    .collect(),
                Err(message) => {
                    errors.push(error(r, message));
                    return SmallVec::new();
                }
            },
            Value::Template(t) => {
                let mut failure = None;
                let expanded = t.expand_all(
                    |r| {
                        record.values(r).unwrap_or_else(|message| {
                            failure.get_or_insert((r.to_owned(), message));
                            Values::new()
                        })
                    },
                    encoding,
                );
                if let Some((field, message)) = failure {
                    errors.push(error(&field, message));
                    return SmallVec::new();
                }
                let field = t.references().next().unwrap_or_default();
                expanded.into_iter().map(|v| (v, field)).collect()
            }
            // Like a reference: IRIs are used as computed, never percent-encoded.
            Value::Function(call) => {
                let field = call.references().first().copied().unwrap_or_default();
                match call.evaluate(record) {
                    Ok(values) => values.into_iter().map(|v| (v, field)).collect(),
                    Err(message) => {
                        errors.push(error(field, message));
                        SmallVec::new()
                    }
                }
            }
        };
        let computed = matches!(map.value, Value::Reference(_) | Value::Function(_));
        let mut terms = SmallVec::with_capacity(strings.len());
        for (value, field) in strings {
            let term = match map.term_type {
                _ if trusted => Ok(trusted_iri(base, value).into()),
                // A computed rml:URI is an IRI mapped to a URI (RFC 3987 §3.1).
                TermType::Uri if computed => iri(base, &to_uri(&value)).map(Term::from),
                TermType::Iri | TermType::Uri | TermType::UnsafeIri => {
                    iri(base, &value).map(Term::from)
                }
                TermType::BlankNode => BlankNode::new(blank_id(&value))
                    .map(Term::from)
                    .map_err(|e| e.to_string()),
                TermType::Literal => {
                    literal(base, map, value, record).map(|t| natural(t, map, record))
                }
            };
            match term {
                Ok(t) => terms.push(t),
                Err(message) => errors.push(error(field, message)),
            }
        }
        terms
    }
}

/// An IRI known to be valid once resolved: see [`super::super::template::Template::always_valid_iri`].
fn trusted_iri(base: &str, value: String) -> NamedNode {
    if has_scheme(&value) {
        NamedNode::new_unchecked(value)
    } else {
        NamedNode::new_unchecked(format!("{base}{value}"))
    }
}

/// Resolves a relative IRI by concatenation, as RML-Core specifies, and checks the result.
fn iri(base: &str, value: &str) -> Result<NamedNode, String> {
    let iri = if has_scheme(value) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(format!("{base}{value}"))
    };
    NamedNode::new(iri.as_ref()).map_err(|e| format!("<{iri}> is not a valid IRI: {e}"))
}

/// Percent-encodes the characters of an IRI that a URI cannot hold; a value that is no IRI
/// reference is left for [`iri`] to refuse.
fn to_uri(value: &str) -> Cow<'_, str> {
    match iri_string::types::IriReferenceStr::new(value) {
        Ok(iri) if !value.is_ascii() => Cow::Owned(iri.encode_to_uri().to_string()),
        _ => Cow::Borrowed(value),
    }
}

fn literal(base: &str, map: &TermMap, value: String, record: &dyn Record) -> Result<Term, String> {
    // Constant tags and datatypes (nearly all) are used as the mapping holds them.
    match (&map.language, &map.datatype) {
        (Some(Value::Constant(Term::Literal(tag))), _)
            // Both mapping parsers refuse an invalid constant tag.
            if !tag.value().bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            return Ok(Literal::new_language_tagged_literal_unchecked(value, tag.value()).into());
        }
        (None, Some(Value::Constant(Term::NamedNode(datatype)))) => {
            return Ok(Literal::new_typed_literal(value, datatype.clone()).into());
        }
        _ => {}
    }
    // Language and datatype maps give one string each; their first value is used.
    let single = |v: &Value| strings(v, record).ok()?.into_iter().next();
    if let Some(language) = map.language.as_ref().and_then(single) {
        if !is_language_tag(&language) {
            return Err(format!("\"{language}\" is not a language tag"));
        }
        return Literal::new_language_tagged_literal(value, &language)
            .map(Term::from)
            .map_err(|e| format!("\"{language}\" is not a language tag: {e}"));
    }
    if let Some(datatype) = map.datatype.as_ref().and_then(single) {
        let datatype = iri(base, &datatype)?;
        return Ok(Literal::new_typed_literal(value, datatype).into());
    }
    Ok(Literal::new_simple_literal(value).into())
}

/// RML-Core's natural RDF literal: a plain literal from a reference takes the datatype its
/// source gives the value (a JSON number or boolean), unless the term map sets one or a language.
fn natural(term: Term, map: &TermMap, record: &dyn Record) -> Term {
    let (Value::Reference(reference), None, None) = (&map.value, &map.language, &map.datatype)
    else {
        return term;
    };
    match &term {
        Term::Literal(l) if l.datatype() == oxigraph::model::vocab::xsd::STRING => record
            .natural_datatype(reference, l.value())
            .map_or(term.clone(), |datatype| {
                Literal::new_typed_literal(l.value(), datatype).into()
            }),
        _ => term,
    }
}

/// Blank-node identifiers must be plain names; values from records may hold anything, so
/// anything else is hex-encoded to keep equal values on the same node.
fn blank_id(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric()) {
        value.to_owned()
    } else {
        value.bytes().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_ids_are_stable_and_valid() {
        assert_eq!(blank_id("abc1"), "abc1");
        assert_eq!(blank_id("a b"), "612062");
        assert!(BlankNode::new(blank_id("é/x")).is_ok());
    }
}
