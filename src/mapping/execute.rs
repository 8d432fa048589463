//! Runs a [`Mapping`] over its sources, yielding the quads of each record as it is read.
//!
//! Output is a pull iterator of [`MappedRecord`]s so the store's bulk loader can consume it
//! without an intermediate file, and so every quad keeps the record it came from (validation
//! traces violations back to records through it).

mod coverage;
mod parallel;
mod record;

pub use coverage::Coverage;
use coverage::Slots;
use record::Held;
pub use record::MappedRecord;

use super::error::{Error, RecordError};
use super::functions::strings;
use super::model::{Join, Mapping, ObjectMap, TermMap, TermType, Value};
use super::source::{self, Record, Records, Values};
use super::template::Encoding;
use crate::vocab::{rdf, rml};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Term};
use smallvec::{SmallVec, smallvec};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// An item of the run: a mapped record, or a record that could not be read at all.
pub type Item<'m> = Result<MappedRecord<'m>, RecordError>;

/// Prepares the execution of a mapping.
#[must_use]
pub struct Executor<'m> {
    mapping: &'m Mapping,
    base_iri: String,
    salt: Option<String>,
}

/// A parent triples map's subjects by the values of its join keys.
type ParentIndex = HashMap<Vec<String>, Vec<Term>>;
/// Parent indexes by (parent triples map, its join keys as written), so that several object
/// maps joining the same parent on the same keys read it once.
type ParentIndexes = HashMap<(usize, String), ParentIndex>;

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
            salt: None,
        }
    }

    /// Names the run's value-less blank nodes after `salt` (plain letters and digits) rather
    /// than a random prefix, so that running the mapping again makes the same nodes: ingest
    /// replays a run to take quarantined records out of a staged graph.
    pub fn blank_node_salt(mut self, salt: &str) -> Self {
        self.salt = Some(salt.chars().filter(char::is_ascii_alphanumeric).collect());
        self
    }

    /// Opens every source and checks their references; the records are read lazily, each
    /// source once, whatever the number of triples maps reading it.
    pub fn run(self) -> Result<Run<'m>, Error> {
        let terms = Terms {
            mapping: self.mapping,
            bases: self
                .mapping
                .triples_maps
                .iter()
                .map(|m| m.base_iri.clone().unwrap_or_else(|| self.base_iri.clone()))
                .collect(),
            salt: self
                .salt
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| BlankNode::default().as_str().to_owned()),
            coverage: Arc::new(Slots::new(self.mapping)),
        };
        let mut parent_indexes = ParentIndexes::default();
        for map in &self.mapping.triples_maps {
            for object in map.predicate_objects.iter().flat_map(|p| &p.objects) {
                if let ObjectMap::Parent { parent, joins } = object {
                    if !joins.is_empty() {
                        if let Entry::Vacant(slot) = parent_indexes.entry(index_key(*parent, joins))
                        {
                            slot.insert(terms.index_parent(*parent, joins)?);
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
    parent_indexes: ParentIndexes,
    sources: std::vec::IntoIter<(Vec<usize>, Records)>,
    current: Option<(Vec<usize>, Records)>,
}

impl Run<'_> {
    /// Tells, once the run has been consumed, which term maps never made a term.
    pub fn coverage(&self) -> Coverage {
        self.terms.coverage.coverage()
    }
}

impl<'m> Iterator for Run<'m> {
    type Item = Item<'m>;

    fn next(&mut self) -> Option<Item<'m>> {
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
                        return Some(Ok(map_all(terms, parent_indexes, maps, record.as_ref())));
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None => *current = None,
                }
            }
            *current = Some(sources.next()?);
        }
    }
}

/// What every triples map reading a record's source (`maps`) makes of it.
fn map_all<'m>(
    terms: &Terms<'m>,
    parent_indexes: &ParentIndexes,
    maps: &[usize],
    record: &dyn Record,
) -> MappedRecord<'m> {
    let expected = maps
        .iter()
        .map(|&m| {
            let map = &terms.mapping.triples_maps[m];
            map.subject.classes.len() + map.predicate_objects.len()
        })
        .sum();
    let mut out = MappedRecord::new(record.position().clone(), expected);
    for &m in maps {
        map_record(terms, parent_indexes, m, record, &mut out);
    }
    out
}

/// Adds to `out` what triples map `map_index` makes of `record`.
fn map_record<'m>(
    terms: &Terms<'m>,
    parent_indexes: &ParentIndexes,
    map_index: usize,
    record: &dyn Record,
    out: &mut MappedRecord<'m>,
) {
    let mapping: &'m Mapping = terms.mapping;
    let map = &mapping.triples_maps[map_index];
    let mut errors = std::mem::take(&mut out.errors);
    let subjects = terms.subjects(map_index, record, &mut errors);
    if subjects.is_empty() {
        out.errors = errors;
        return;
    }
    terms.coverage.subject(map_index);
    let subjects: SmallVec<[u32; 1]> = subjects.into_iter().map(|s| out.subject(s)).collect();
    // Named graphs of the subject map; the default graph is implied only when no map names one.
    let subject_graphs = terms.graphs(&map.subject.graphs, map_index, record, &mut errors);
    let class_graphs: SmallVec<[u32; 1]> = or_default(subject_graphs.clone())
        .into_iter()
        .map(|g| out.graph(g))
        .collect();
    if !map.subject.classes.is_empty() {
        let predicate = out.predicate(Held::Mapping(rdf::TYPE));
        for class in &map.subject.classes {
            let class = out.object(Held::Mapping(class.as_ref().into()));
            for &subject in &subjects {
                for &graph in &class_graphs {
                    out.quad(subject, predicate, class, graph);
                }
            }
        }
    }
    let mut predicates = Vec::new();
    let mut objects = Vec::new();
    // Object maps numbered across the predicate–object maps, for the coverage.
    let mut object_index = 0;
    for pom in &map.predicate_objects {
        predicates.clear();
        for p in &pom.predicates {
            // Constant predicates (nearly all) are borrowed from the mapping, not copied.
            if let Value::Constant(Term::NamedNode(n)) = &p.value {
                predicates.push(out.predicate(Held::Mapping(n.as_ref())));
            } else {
                for t in terms.terms(p, map_index, record, &mut errors) {
                    if let Term::NamedNode(n) = t {
                        predicates.push(out.predicate(Held::Record(n)));
                    }
                }
            }
        }
        objects.clear();
        for object in &pom.objects {
            let before = objects.len();
            match object {
                ObjectMap::Term(TermMap {
                    value: Value::Constant(c),
                    ..
                }) => objects.push(out.object(Held::Mapping(c.as_ref()))),
                ObjectMap::Term(t) => {
                    for term in terms.terms(t, map_index, record, &mut errors) {
                        objects.push(out.object(Held::Record(term)));
                    }
                }
                ObjectMap::Parent { parent, joins } if joins.is_empty() => {
                    for subject in terms.subjects(*parent, record, &mut errors) {
                        objects.push(out.object(Held::Record(subject.into())));
                    }
                }
                ObjectMap::Parent { parent, joins } => {
                    let sides: Result<Vec<Vec<String>>, (String, String)> = joins
                        .iter()
                        .map(|j| strings(&j.child, record).map_err(|e| (side_field(&j.child), e)))
                        .collect();
                    match sides {
                        Ok(sides) => {
                            if let Some(index) = parent_indexes.get(&index_key(*parent, joins)) {
                                for key in product(sides) {
                                    for term in index.get(&key).into_iter().flatten() {
                                        objects.push(out.object(Held::Record(term.clone())));
                                    }
                                }
                            }
                        }
                        Err((field, message)) => errors.push(RecordError {
                            position: record.position().clone(),
                            field: Some(field),
                            message,
                        }),
                    }
                }
            }
            if objects.len() > before {
                terms.coverage.object(map_index, object_index);
            }
            object_index += 1;
        }
        // A predicate–object map's triples go to its own graphs plus the subject map's.
        let graphs: Cow<'_, [u32]> = if pom.graphs.is_empty() {
            Cow::Borrowed(&class_graphs)
        } else {
            let mut graphs = subject_graphs.clone();
            graphs.extend(terms.graphs(&pom.graphs, map_index, record, &mut errors));
            graphs.dedup();
            Cow::Owned(
                or_default(graphs)
                    .into_iter()
                    .map(|g| out.graph(g))
                    .collect(),
            )
        };
        for &subject in &subjects {
            for &predicate in &predicates {
                for &object in &objects {
                    for &graph in graphs.iter() {
                        out.quad(subject, predicate, object, graph);
                    }
                }
            }
        }
    }
    out.errors = errors;
}

/// The graphs a term goes to: nearly always one.
type Graphs = SmallVec<[GraphName; 1]>;

fn or_default(mut graphs: Graphs) -> Graphs {
    if graphs.is_empty() {
        graphs.push(GraphName::DefaultGraph);
    }
    graphs
}

fn index_key(parent: usize, joins: &[Join]) -> (usize, String) {
    (
        parent,
        format!("{:?}", joins.iter().map(|j| &j.parent).collect::<Vec<_>>()),
    )
}

/// The field named in an error about a join side.
fn side_field(value: &Value) -> String {
    value
        .references()
        .first()
        .copied()
        .unwrap_or_default()
        .to_owned()
}

/// Every combination of one value per join condition: a multi-valued side joins on each value.
fn product(sides: Vec<Vec<String>>) -> Vec<Vec<String>> {
    sides.into_iter().fold(vec![Vec::new()], |keys, values| {
        keys.iter()
            .flat_map(|key| {
                values.iter().map(move |v| {
                    let mut key = key.clone();
                    key.push(v.clone());
                    key
                })
            })
            .collect()
    })
}

/// Turns term maps into RDF terms for one record.
struct Terms<'m> {
    mapping: &'m Mapping,
    /// The base IRI of each triples map: its `rml:baseIRI`, else the mapping's.
    bases: Vec<String>,
    /// Prefix of value-less blank nodes, random per run so two runs never share a node.
    salt: String,
    /// Which term maps made a term.
    coverage: Arc<Slots>,
}

impl Terms<'_> {
    /// Reads a parent source once, keyed by the values of its join keys.
    fn index_parent(&self, parent: usize, joins: &[Join]) -> Result<ParentIndex, Error> {
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

    fn subjects(
        &self,
        map_index: usize,
        record: &dyn Record,
        errors: &mut Vec<RecordError>,
    ) -> SmallVec<[NamedOrBlankNode; 1]> {
        let map = &self.mapping.triples_maps[map_index];
        self.terms(&map.subject.term, map_index, record, errors)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.into()),
                Term::BlankNode(b) => Some(b.into()),
                Term::Literal(_) => None,
            })
            .collect()
    }

    /// The named graphs of a subject or predicate–object map; `rml:defaultGraph` is the
    /// default graph.
    fn graphs(
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
    fn terms(
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

/// An IRI known to be valid once resolved: see [`super::Template::always_valid_iri`].
fn trusted_iri(base: &str, value: String) -> NamedNode {
    if super::template::has_scheme(&value) {
        NamedNode::new_unchecked(value)
    } else {
        NamedNode::new_unchecked(format!("{base}{value}"))
    }
}

/// Resolves a relative IRI by concatenation, as RML-Core specifies, and checks the result.
fn iri(base: &str, value: &str) -> Result<NamedNode, String> {
    let iri = if super::template::has_scheme(value) {
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
        if !super::rml::is_language_tag(&language) {
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
