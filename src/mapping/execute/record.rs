//! What one source record becomes: its quads, held compactly.
//!
//! A record typically makes a dozen quads about one subject with constant predicates. Holding
//! each term once and the quads as indexes means the subject is not copied per quad and the
//! mapping's constants (predicates, classes, constant objects) are borrowed, not copied at all:
//! allocation was a fifth of a mapping run before.

use super::super::error::{RecordError, RecordPosition};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, Term,
    TermRef,
};

/// The quads one source record produced through every triples map that reads its source.
///
/// The record is the unit of quarantine: either all its quads are published or none.
#[derive(Debug)]
pub struct MappedRecord<'m> {
    pub position: RecordPosition,
    /// Values of this record that could not become terms.
    pub errors: Vec<RecordError>,
    subjects: Vec<NamedOrBlankNode>,
    predicates: Vec<Held<NamedNodeRef<'m>, NamedNode>>,
    objects: Vec<Held<TermRef<'m>, Term>>,
    graphs: Vec<GraphName>,
    /// Indexes into the four lists above.
    quads: Vec<[u32; 4]>,
}

/// A term borrowed from the mapping (a constant) or made from the record.
#[derive(Debug)]
pub(super) enum Held<B, O> {
    Mapping(B),
    Record(O),
}

impl<'m> MappedRecord<'m> {
    /// `quads`: about how many quads the record will make, to allocate once.
    pub(super) fn new(position: RecordPosition, quads: usize) -> Self {
        Self {
            position,
            errors: Vec::new(),
            subjects: Vec::with_capacity(1),
            predicates: Vec::with_capacity(quads),
            objects: Vec::with_capacity(quads),
            graphs: Vec::with_capacity(1),
            quads: Vec::with_capacity(quads),
        }
    }

    /// A record whose quads were read as they are (a dataset given as RDF files).
    pub(crate) fn from_quads(position: RecordPosition, quads: Vec<Quad>) -> MappedRecord<'static> {
        let mut record = MappedRecord::new(position, quads.len());
        for quad in quads {
            // A record is the statements about one subject: it is held once.
            let s = match record.subjects.iter().position(|s| *s == quad.subject) {
                Some(i) => i as u32,
                None => record.subject(quad.subject),
            };
            let p = record.predicate(Held::Record(quad.predicate));
            let o = record.object(Held::Record(quad.object));
            let g = record.graph(quad.graph_name);
            record.quad(s, p, o, g);
        }
        record
    }

    /// The record's quads, in the order the mapping made them.
    pub fn quads(&self) -> impl ExactSizeIterator<Item = QuadRef<'_>> + '_ {
        self.quads.iter().map(|&[s, p, o, g]| {
            QuadRef::new(
                &self.subjects[s as usize],
                match &self.predicates[p as usize] {
                    Held::Mapping(n) => *n,
                    Held::Record(n) => n.as_ref(),
                },
                match &self.objects[o as usize] {
                    Held::Mapping(t) => *t,
                    Held::Record(t) => t.as_ref(),
                },
                GraphNameRef::from(&self.graphs[g as usize]),
            )
        })
    }

    pub fn into_quads(self) -> Vec<Quad> {
        self.quads().map(QuadRef::into_owned).collect()
    }

    pub fn len(&self) -> usize {
        self.quads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    pub(super) fn subject(&mut self, subject: NamedOrBlankNode) -> u32 {
        push(&mut self.subjects, subject)
    }

    pub(super) fn predicate(&mut self, predicate: Held<NamedNodeRef<'m>, NamedNode>) -> u32 {
        push(&mut self.predicates, predicate)
    }

    pub(super) fn object(&mut self, object: Held<TermRef<'m>, Term>) -> u32 {
        push(&mut self.objects, object)
    }

    /// Graphs repeat (nearly always the default graph alone): each is held once.
    pub(super) fn graph(&mut self, graph: GraphName) -> u32 {
        match self.graphs.iter().position(|g| *g == graph) {
            Some(i) => i as u32,
            None => push(&mut self.graphs, graph),
        }
    }

    pub(super) fn quad(&mut self, subject: u32, predicate: u32, object: u32, graph: u32) {
        self.quads.push([subject, predicate, object, graph]);
    }
}

fn push<T>(list: &mut Vec<T>, item: T) -> u32 {
    list.push(item);
    // A record with four billion terms cannot be read into memory in the first place.
    (list.len() - 1) as u32
}
