//! The data graph as sorted arrays of interned term ids.
//!
//! Validation asks three questions millions of times: the objects of a subject and predicate,
//! the subjects of a predicate and object, and all triples of one subject. Reading those from
//! RocksDB, or from `oxrdf::Graph`'s B-trees, costs far more than a binary search in two sorted
//! `Vec<[u32; 3]>` (12 bytes a triple and index), which are also cheap to build by sorting.

use oxigraph::model::{GraphNameRef, NamedNode, Term};
use oxigraph::store::{StorageError, Store};
use rustc_hash::FxHashMap;

/// A term of the data graph (or a focus node the shapes name that the data lacks).
pub(crate) type Id = u32;

/// An immutable, indexed copy of one graph.
#[derive(Debug, Default)]
pub struct DataGraph {
    terms: Vec<Term>,
    ids: FxHashMap<Term, Id>,
    /// `[subject, predicate, object]`, sorted.
    spo: Vec<[Id; 3]>,
    /// `[predicate, object, subject]`, sorted.
    pos: Vec<[Id; 3]>,
    /// Predicates by IRI: paths look them up for every focus node.
    predicates: FxHashMap<NamedNode, Id>,
}

impl DataGraph {
    /// Indexes the triples of `graph` in `store` (the default graph, or a staged named graph
    /// that is validated before it is published).
    pub fn from_store(store: &Store, graph: GraphNameRef<'_>) -> Result<Self, StorageError> {
        let mut builder = Builder::default();
        for quad in store.quads_for_pattern(None, None, None, Some(graph)) {
            let quad = quad?;
            builder.add(quad.subject.into(), quad.predicate.into(), quad.object);
        }
        Ok(builder.finish())
    }

    /// Indexes triples from any source (parsed files, tests).
    pub fn from_triples(triples: impl IntoIterator<Item = oxigraph::model::Triple>) -> Self {
        let mut builder = Builder::default();
        for t in triples {
            builder.add(t.subject.into(), t.predicate.into(), t.object);
        }
        builder.finish()
    }

    /// Starts an index to fill triple by triple (streamed parsing keeps memory low).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Number of triples.
    pub fn len(&self) -> usize {
        self.spo.len()
    }

    /// Whether the graph has no triple.
    pub fn is_empty(&self) -> bool {
        self.spo.is_empty()
    }

    pub(crate) fn id(&self, term: &Term) -> Option<Id> {
        self.ids.get(term).copied()
    }

    /// The id of a predicate IRI, looked up without building a `Term`.
    pub(crate) fn predicate(&self, p: &NamedNode) -> Option<Id> {
        self.predicates.get(p).copied()
    }

    pub(crate) fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub(crate) fn term(&self, id: Id) -> &Term {
        &self.terms[id as usize]
    }

    pub(crate) fn objects(&self, s: Id, p: Id) -> impl Iterator<Item = Id> + '_ {
        range(&self.spo, &[s, p]).iter().map(|t| t[2])
    }

    pub(crate) fn subjects(&self, p: Id, o: Id) -> impl Iterator<Item = Id> + '_ {
        range(&self.pos, &[p, o]).iter().map(|t| t[2])
    }

    /// `(subject, object)` of every triple with predicate `p`.
    pub(crate) fn with_predicate(&self, p: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        range(&self.pos, &[p]).iter().map(|t| (t[2], t[1]))
    }

    /// `(predicate, object)` of every triple with subject `s`.
    pub(crate) fn outgoing(&self, s: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        range(&self.spo, &[s]).iter().map(|t| (t[1], t[2]))
    }
}

/// The run of `index` whose first entries equal `prefix`.
fn range<'a>(index: &'a [[Id; 3]], prefix: &[Id]) -> &'a [[Id; 3]] {
    let n = prefix.len();
    let start = index.partition_point(|t| t[..n] < *prefix);
    let end = start + index[start..].partition_point(|t| t[..n] == *prefix);
    &index[start..end]
}

/// Collects triples for a [`DataGraph`].
#[derive(Default)]
pub struct Builder {
    terms: Vec<Term>,
    ids: FxHashMap<Term, Id>,
    spo: Vec<[Id; 3]>,
    /// Parsers emit a subject's triples together and use few predicates: checking these first
    /// saves two of the three hash lookups per triple.
    last_subject: Option<(Term, Id)>,
    recent_predicates: Vec<(Term, Id)>,
}

impl Builder {
    fn intern(&mut self, term: Term) -> Id {
        if let Some(id) = self.ids.get(&term) {
            return *id;
        }
        let id = Id::try_from(self.terms.len()).expect("more than 4 billion distinct terms");
        self.terms.push(term.clone());
        self.ids.insert(term, id);
        id
    }

    fn add(&mut self, s: Term, p: Term, o: Term) {
        let s = match &self.last_subject {
            Some((last, id)) if *last == s => *id,
            _ => {
                let id = self.intern(s.clone());
                self.last_subject = Some((s, id));
                id
            }
        };
        let p = match self.recent_predicates.iter().find(|(t, _)| *t == p) {
            Some((_, id)) => *id,
            None => {
                let id = self.intern(p.clone());
                if self.recent_predicates.len() < 32 {
                    self.recent_predicates.push((p, id));
                }
                id
            }
        };
        let t = [s, p, self.intern(o)];
        self.spo.push(t);
    }

    /// Adds one triple.
    pub fn add_triple(&mut self, t: oxigraph::model::Triple) {
        self.add(t.subject.into(), t.predicate.into(), t.object);
    }

    /// Sorts and indexes what was added.
    pub fn finish(mut self) -> DataGraph {
        self.spo.sort_unstable();
        self.spo.dedup();
        let mut pos: Vec<[Id; 3]> = self.spo.iter().map(|t| [t[1], t[2], t[0]]).collect();
        pos.sort_unstable();
        let mut predicates = FxHashMap::default();
        for run in pos.chunk_by(|a, b| a[0] == b[0]) {
            if let Term::NamedNode(n) = &self.terms[run[0][0] as usize] {
                predicates.insert(n.clone(), run[0][0]);
            }
        }
        DataGraph {
            terms: self.terms,
            ids: self.ids,
            spo: self.spo,
            pos,
            predicates,
        }
    }
}
