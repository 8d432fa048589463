//! Runs a [`Mapping`] over its sources, yielding the quads of each record as it is read.
//!
//! Output is a pull iterator of [`MappedRecord`]s so the store's bulk loader can consume it
//! without an intermediate file, and so every quad keeps the record it came from (validation
//! traces violations back to records through it).

mod coverage;
mod parallel;
mod record;
mod terms;

pub use coverage::Coverage;
use coverage::Slots;
use record::Held;
pub use record::MappedRecord;
use terms::Terms;

use super::error::{Error, RecordError, panic_message};
use super::functions::strings;
use super::model::{Join, Mapping, ObjectMap, TermMap, Value};
use super::source::{self, Record, Records};
use crate::vocab::rdf;
use oxigraph::model::{BlankNode, GraphName, Term};
use smallvec::SmallVec;
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
    let position = record.position().clone();
    // A bug met by one value must cost that record, not the run: a panic while mapping it
    // becomes its error (and it is quarantined like any record that cannot be mapped).
    let mapped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = MappedRecord::new(position.clone(), expected);
        for &m in maps {
            map_record(terms, parent_indexes, m, record, &mut out);
        }
        // A bad value read by several term maps (a file named by a subject and an object) is
        // reported once.
        if out.errors.len() > 1 {
            let mut seen = rustc_hash::FxHashSet::default();
            out.errors
                .retain(|e| seen.insert((e.field.clone(), e.message.clone())));
        }
        out
    }));
    mapped.unwrap_or_else(|panic| {
        let what = panic_message(panic.as_ref());
        let mut out = MappedRecord::new(position.clone(), 0);
        out.errors.push(RecordError {
            position,
            field: None,
            message: format!("vitrine failed on this record ({what}); please report it"),
        });
        out
    })
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
    let subjects = terms.subjects(map_index, record, &mut out.errors);
    if subjects.is_empty() {
        return;
    }
    terms.coverage.subject(map_index);
    let subjects: SmallVec<[u32; 1]> = subjects.into_iter().map(|s| out.subject(s)).collect();
    // Named graphs of the subject map; the default graph is implied only when no map names one.
    let subject_graphs = terms.graphs(&map.subject.graphs, map_index, record, &mut out.errors);
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
                for t in terms.terms(p, map_index, record, &mut out.errors) {
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
                    for term in terms.terms(t, map_index, record, &mut out.errors) {
                        objects.push(out.object(Held::Record(term)));
                    }
                }
                ObjectMap::Parent { parent, joins } if joins.is_empty() => {
                    for subject in terms.subjects(*parent, record, &mut out.errors) {
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
                        Err((field, message)) => out.errors.push(RecordError {
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
            graphs.extend(terms.graphs(&pom.graphs, map_index, record, &mut out.errors));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::error::RecordPosition;
    use crate::mapping::source::Values;
    use std::path::Path;

    /// A record whose reading hits a bug: what a panic in a reader or a function looks like
    /// to the executor.
    struct Panicking(RecordPosition);

    impl Record for Panicking {
        fn values(&self, _: &str) -> Result<Values<'_>, String> {
            panic!("index out of bounds in a test record")
        }
        fn position(&self) -> &RecordPosition {
            &self.0
        }
    }

    #[test]
    fn a_panic_while_mapping_a_record_becomes_its_error() {
        let dir = tempfile::tempdir().unwrap();
        let mapping = dir.path().join("m.yml");
        std::fs::write(dir.path().join("w.csv"), "id\n1\n").unwrap();
        std::fs::write(
            &mapping,
            "mappings:\n  w:\n    sources: [[w.csv~csv]]\n    s: http://ex.org/$(id)\n    po: [[http://ex.org/p, $(id)]]\n",
        )
        .unwrap();
        let mapping = Mapping::from_path(&mapping).unwrap();
        let terms = Terms {
            mapping: &mapping,
            bases: vec!["http://ex.org/".into()],
            salt: "t".into(),
            coverage: Arc::new(Slots::new(&mapping)),
        };
        let position = RecordPosition {
            source: Path::new("w.csv").into(),
            record: 7,
        };
        // The panic message still reaches stderr through the default hook; the run goes on.
        let out = map_all(
            &terms,
            &ParentIndexes::default(),
            &[0],
            &Panicking(position.clone()),
        );
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].position, position);
        assert!(
            out.errors[0]
                .message
                .contains("index out of bounds in a test record"),
            "{}",
            out.errors[0]
        );
        assert_eq!(out.quads().count(), 0);
    }
}
