//! The data graph as sorted arrays of interned term ids.
//!
//! Validation asks three questions millions of times: the objects of a subject and predicate,
//! the subjects of a predicate and object, and all triples of one subject. Reading those from
//! RocksDB, or from `oxrdf::Graph`'s B-trees, costs far more than a binary search in two sorted
//! `Vec<[u32; 3]>` (12 bytes a triple and index), which are also cheap to build by sorting.

use oxigraph::model::{GraphNameRef, Term, TermRef};
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

    /// Number of triples.
    pub fn len(&self) -> usize {
        self.spo.len()
    }

    /// Whether the graph has no triple.
    pub fn is_empty(&self) -> bool {
        self.spo.is_empty()
    }

    pub(crate) fn id(&self, term: TermRef<'_>) -> Option<Id> {
        self.ids.get(&term.into_owned()).copied()
    }

    pub(crate) fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub(crate) fn term(&self, id: Id) -> &Term {
        &self.terms[id as usize]
    }

    /// Iterates every triple as ids.
    pub(crate) fn triples(&self) -> impl Iterator<Item = &[Id; 3]> {
        self.spo.iter()
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

    pub(crate) fn has(&self, s: Id, p: Id, o: Id) -> bool {
        self.spo.binary_search(&[s, p, o]).is_ok()
    }
}

/// The run of `index` whose first entries equal `prefix`.
fn range<'a>(index: &'a [[Id; 3]], prefix: &[Id]) -> &'a [[Id; 3]] {
    let n = prefix.len();
    let start = index.partition_point(|t| t[..n] < *prefix);
    let end = start + index[start..].partition_point(|t| t[..n] == *prefix);
    &index[start..end]
}

#[derive(Default)]
struct Builder {
    terms: Vec<Term>,
    ids: FxHashMap<Term, Id>,
    spo: Vec<[Id; 3]>,
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
        let t = [self.intern(s), self.intern(p), self.intern(o)];
        self.spo.push(t);
    }

    fn finish(mut self) -> DataGraph {
        self.spo.sort_unstable();
        self.spo.dedup();
        let mut pos: Vec<[Id; 3]> = self.spo.iter().map(|t| [t[1], t[2], t[0]]).collect();
        pos.sort_unstable();
        DataGraph {
            terms: self.terms,
            ids: self.ids,
            spo: self.spo,
            pos,
        }
    }
}
