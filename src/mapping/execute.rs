//! Runs a [`Mapping`] over its sources, yielding the quads of each record as it is read.
//!
//! Output is a pull iterator of [`MappedRecord`]s so the store's bulk loader can consume it
//! without an intermediate file, and so every quad keeps the record it came from (validation
//! traces violations back to records through it).

use super::error::{Error, RecordError, RecordPosition};
use super::model::{Mapping, ObjectMap, TermMap, TermType, TriplesMap, Value};
use super::source::{self, Record, Records};
use crate::vocab::rdf;
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The quads one source record produced through every triples map that reads its source.
///
/// The record is the unit of quarantine: either all its quads are published or none.
#[derive(Debug)]
pub struct MappedRecord {
    pub position: RecordPosition,
    pub quads: Vec<Quad>,
    /// Values of this record that could not become terms.
    pub errors: Vec<RecordError>,
}

/// An item of the run: a mapped record, or a record that could not be read at all.
pub type Item = Result<MappedRecord, RecordError>;

/// Prepares the execution of a mapping.
#[must_use]
pub struct Executor<'m> {
    mapping: &'m Mapping,
    base_iri: String,
}

type ParentIndex = HashMap<Vec<String>, Vec<Term>>;

impl<'m> Executor<'m> {
    /// Relative IRIs produced by the mapping are resolved by concatenation, as RML-Core
    /// specifies, against the mapping's own `@base` when it declares one, else `default_base`.
    pub fn new(mapping: &'m Mapping, default_base: impl Into<String>) -> Self {
        Self {
            mapping,
            base_iri: mapping
                .base_iri
                .clone()
                .unwrap_or_else(|| default_base.into()),
        }
    }

    /// Opens every source and checks their references; the records are read lazily, each
    /// source once, whatever the number of triples maps reading it.
    pub fn run(self) -> Result<Run<'m>, Error> {
        let terms = Terms {
            mapping: self.mapping,
            base_iri: self.base_iri,
        };
        let mut parent_indexes = HashMap::new();
        for map in &self.mapping.triples_maps {
            for object in map.predicate_objects.iter().flat_map(|p| &p.objects) {
                if let ObjectMap::Parent { parent, joins } = object {
                    if !joins.is_empty() {
                        let key = (
                            *parent,
                            joins.iter().map(|j| j.parent.clone()).collect::<Vec<_>>(),
                        );
                        if let Entry::Vacant(slot) = parent_indexes.entry(key) {
                            let index = terms.index_parent(*parent, &slot.key().1)?;
                            slot.insert(index);
                        }
                    }
                }
            }
        }
        // Group triples maps by logical source, in mapping order.
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, map) in self.mapping.triples_maps.iter().enumerate() {
            match groups
                .iter_mut()
                .find(|(first, _)| self.mapping.triples_maps[*first].source == map.source)
            {
                Some((_, members)) => members.push(i),
                None => groups.push((i, vec![i])),
            }
        }
        // Open all sources first so a bad reference fails before any record is produced.
        let mut sources = Vec::with_capacity(groups.len());
        for (first, members) in groups {
            let first_map = &self.mapping.triples_maps[first];
            let mut references = Vec::new();
            for &m in &members {
                let map = &self.mapping.triples_maps[m];
                references.extend(map.references());
                for object in map.predicate_objects.iter().flat_map(|p| &p.objects) {
                    if let ObjectMap::Parent { parent, joins } = object {
                        if joins.is_empty() {
                            references.extend(
                                self.mapping.triples_maps[*parent].subject.term.references(),
                            );
                        }
                    }
                }
            }
            references.sort_unstable();
            references.dedup();
            sources.push((
                members,
                source::open(&first_map.source, &first_map.name, &references)?,
            ));
        }
        Ok(Run {
            terms,
            parent_indexes,
            sources: sources.into_iter(),
            current: None,
        })
    }
}

/// A mapping being executed; iterate it to get each record's quads.
pub struct Run<'m> {
    terms: Terms<'m>,
    parent_indexes: HashMap<(usize, Vec<String>), ParentIndex>,
    sources: std::vec::IntoIter<(Vec<usize>, Records)>,
    current: Option<(Vec<usize>, Records)>,
}

impl Iterator for Run<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let Run {
            terms,
            parent_indexes,
            sources,
            current,
        } = self;
        loop {
            if let Some((maps, records)) = current {
                match records.next() {
                    Some(Ok(record)) => {
                        let mut out = MappedRecord {
                            position: record.position().clone(),
                            quads: Vec::new(),
                            errors: Vec::new(),
                        };
                        for &m in maps.iter() {
                            map_record(terms, parent_indexes, m, record.as_ref(), &mut out);
                        }
                        return Some(Ok(out));
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None => *current = None,
                }
            }
            *current = Some(sources.next()?);
        }
    }
}

/// Adds to `out` what triples map `map_index` makes of `record`.
fn map_record(
    terms: &Terms<'_>,
    parent_indexes: &HashMap<(usize, Vec<String>), ParentIndex>,
    map_index: usize,
    record: &dyn Record,
    out: &mut MappedRecord,
) {
    {
        let map = &terms.mapping.triples_maps[map_index];
        let errors = &mut out.errors;
        let quads = &mut out.quads;
        let subjects = terms.subjects(map, record, errors);
        if subjects.is_empty() {
            return;
        }
        let subject_graphs = terms.graphs(&map.subject.graphs, record, errors);
        for subject in &subjects {
            for class in &map.subject.classes {
                for graph in &subject_graphs {
                    quads.push(Quad::new(
                        subject.clone(),
                        rdf::TYPE,
                        class.clone(),
                        graph.clone(),
                    ));
                }
            }
        }
        for pom in &map.predicate_objects {
            let predicates: Vec<NamedNode> = pom
                .predicates
                .iter()
                .flat_map(|p| terms.terms(p, record, errors))
                .filter_map(|t| match t {
                    Term::NamedNode(n) => Some(n),
                    _ => None,
                })
                .collect();
            let mut objects = Vec::new();
            for object in &pom.objects {
                match object {
                    ObjectMap::Term(t) => objects.extend(terms.terms(t, record, errors)),
                    ObjectMap::Parent { parent, joins } if joins.is_empty() => objects.extend(
                        terms
                            .subjects(&terms.mapping.triples_maps[*parent], record, errors)
                            .into_iter()
                            .map(Term::from),
                    ),
                    ObjectMap::Parent { parent, joins } => {
                        let key: Option<Vec<String>> = joins
                            .iter()
                            .map(|j| {
                                record
                                    .values(&j.child)
                                    .into_iter()
                                    .next()
                                    .map(Cow::into_owned)
                            })
                            .collect();
                        let index_key = (*parent, joins.iter().map(|j| j.parent.clone()).collect());
                        if let (Some(key), Some(index)) = (key, parent_indexes.get(&index_key)) {
                            objects.extend(index.get(&key).into_iter().flatten().cloned());
                        }
                    }
                }
            }
            // The graphs of a predicate–object map are its own plus the subject map's; the
            // default graph only when neither names one.
            let graphs = if pom.graphs.is_empty() {
                subject_graphs.clone()
            } else {
                let mut g: Vec<GraphName> = subject_graphs
                    .iter()
                    .filter(|g| !g.is_default_graph())
                    .cloned()
                    .collect();
                g.extend(terms.graphs(&pom.graphs, record, errors));
                g
            };
            for subject in &subjects {
                for predicate in &predicates {
                    for object in &objects {
                        for graph in &graphs {
                            quads.push(Quad::new(
                                subject.clone(),
                                predicate.clone(),
                                object.clone(),
                                graph.clone(),
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// Turns term maps into RDF terms for one record.
struct Terms<'m> {
    mapping: &'m Mapping,
    base_iri: String,
}

impl Terms<'_> {
    /// Reads a parent source once, keyed by the values of its join references.
    fn index_parent(&self, parent: usize, keys: &[String]) -> Result<ParentIndex, Error> {
        let map = &self.mapping.triples_maps[parent];
        let mut references: Vec<&str> = map.subject.term.references().collect();
        references.extend(keys.iter().map(String::as_str));
        let mut index: ParentIndex = HashMap::new();
        for record in source::open(&map.source, &map.name, &references)? {
            // Unreadable parent records are reported when the parent's own source is mapped.
            let Ok(record) = record else { continue };
            let Some(key) = keys
                .iter()
                .map(|k| record.values(k).into_iter().next().map(Cow::into_owned))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let mut errors = Vec::new();
            for subject in self.subjects(map, record.as_ref(), &mut errors) {
                index.entry(key.clone()).or_default().push(subject.into());
            }
        }
        Ok(index)
    }

    fn subjects(
        &self,
        map: &TriplesMap,
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> Vec<NamedOrBlankNode> {
        self.terms(&map.subject.term, record, errors)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.into()),
                Term::BlankNode(b) => Some(b.into()),
                Term::Literal(_) => None,
            })
            .collect()
    }

    /// The graphs of a subject or predicate–object map: the default graph when none is given.
    fn graphs(
        &self,
        maps: &[TermMap],
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> Vec<GraphName> {
        if maps.is_empty() {
            return vec![GraphName::DefaultGraph];
        }
        maps.iter()
            .flat_map(|m| self.terms(m, record, errors))
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.into()),
                _ => None,
            })
            .collect()
    }

    fn terms(
        &self,
        map: &TermMap,
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> Vec<Term> {
        let error = |field: &str, message: String| RecordError {
            position: record.position().clone(),
            field: Some(field.into()),
            message,
        };
        // IRIs from templates that can only expand to valid IRIs skip validation (hot path).
        let trusted = matches!(&map.value, Value::Template(t) if t.always_valid_iri());
        let strings: Vec<(String, &str)> = match &map.value {
            Value::Constant(c) => return vec![c.clone()],
            Value::Reference(r) => record
                .values(r)
                .into_iter()
                .map(|v| (v.into_owned(), r.as_str()))
                .collect(),
            Value::Template(t) => t
                .expand(
                    |r| record.values(r).into_iter().next(),
                    map.term_type == TermType::Iri,
                )
                .map(|v| (v, t.references().next().unwrap_or_default()))
                .into_iter()
                .collect(),
            // Like a reference: IRIs are used as computed, never percent-encoded.
            Value::Function(call) => {
                let field = call.references().first().copied().unwrap_or_default();
                match call.evaluate(record) {
                    Ok(values) => values.into_iter().map(|v| (v, field)).collect(),
                    Err(message) => {
                        errors.push(error(field, message));
                        Vec::new()
                    }
                }
            }
        };
        let mut terms = Vec::with_capacity(strings.len());
        for (value, field) in strings {
            let term = match map.term_type {
                TermType::Iri if trusted => Ok(self.trusted_iri(value).into()),
                TermType::Iri => self.iri(&value).map(Term::from),
                TermType::BlankNode => BlankNode::new(blank_id(&value))
                    .map(Term::from)
                    .map_err(|e| e.to_string()),
                TermType::Literal => self
                    .literal(map, value, record)
                    .map(|t| natural(t, map, record)),
            };
            match term {
                Ok(t) => terms.push(t),
                Err(message) => errors.push(error(field, message)),
            }
        }
        terms
    }

    /// An IRI known to be valid once resolved: see [`super::Template::always_valid_iri`].
    fn trusted_iri(&self, value: String) -> NamedNode {
        if super::template::has_scheme(&value) {
            NamedNode::new_unchecked(value)
        } else {
            NamedNode::new_unchecked(format!("{}{value}", self.base_iri))
        }
    }

    fn iri(&self, value: &str) -> Result<NamedNode, String> {
        let iri = if super::template::has_scheme(value) {
            Cow::Borrowed(value)
        } else {
            Cow::Owned(format!("{}{value}", self.base_iri))
        };
        NamedNode::new(iri.as_ref()).map_err(|e| format!("<{iri}> is not a valid IRI: {e}"))
    }

    fn literal(&self, map: &TermMap, value: String, record: &dyn Record) -> Result<Term, String> {
        let single = |v: &Value| -> Option<String> {
            match v {
                Value::Constant(Term::Literal(l)) => Some(l.value().to_owned()),
                Value::Constant(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
                Value::Constant(Term::BlankNode(_)) => None,
                Value::Reference(r) => record.values(r).into_iter().next().map(Cow::into_owned),
                Value::Template(t) => t.expand(|r| record.values(r).into_iter().next(), false),
                Value::Function(f) => f.evaluate(record).ok()?.into_iter().next(),
            }
        };
        if let Some(language) = map.language.as_ref().and_then(single) {
            if !super::rml::is_language_tag(&language) {
                return Err(format!("\"{language}\" is not a language tag"));
            }
            return Literal::new_language_tagged_literal(value, &language)
                .map(Term::from)
                .map_err(|e| format!("\"{language}\" is not a language tag: {e}"));
        }
        if let Some(datatype) = map.datatype.as_ref().and_then(single) {
            let datatype = self.iri(&datatype)?;
            return Ok(Literal::new_typed_literal(value, datatype).into());
        }
        Ok(Literal::new_simple_literal(value).into())
    }
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
