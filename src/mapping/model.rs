//! The typed mapping model every syntax (RML Turtle, later YARRRML) is parsed into, and the
//! executor runs.
//!
//! It mirrors RML-Core: a mapping is a list of triples maps, each reading one logical source and
//! producing a subject plus predicate–object pairs per record. References to other triples maps
//! are resolved to indices at parse time so execution never looks anything up by name.

pub use super::dialect::CsvDialect;
use super::functions::Function;
use super::template::Template;
use oxigraph::model::{NamedNode, Term};
use std::path::PathBuf;

/// A whole mapping document.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub triples_maps: Vec<TriplesMap>,
    /// The `@base` the mapping document declares; it wins over the processor's default base.
    pub base_iri: Option<String>,
}

/// `rml:TriplesMap`.
#[derive(Debug, Clone)]
pub struct TriplesMap {
    /// The triples map's IRI or blank-node label, used in every message about it.
    pub name: String,
    pub source: LogicalSource,
    pub subject: SubjectMap,
    pub predicate_objects: Vec<PredicateObjectMap>,
    /// `rml:baseIRI`: this triples map's own base for relative IRIs, over the mapping's.
    pub base_iri: Option<String>,
}

/// `rml:LogicalSource`: where records come from and how to read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalSource {
    /// The file as written in the mapping, resolved against the mapping's folder.
    pub path: PathBuf,
    pub formulation: Formulation,
    /// `rml:iterator`, for formulations that need one.
    pub iterator: Option<String>,
    /// `rml:null`: values that mean "no value" in this source, besides the empty string.
    pub nulls: Vec<String>,
    /// `rml:namespace` (prefix, namespace IRI) pairs for the prefixes XPath expressions use.
    pub namespaces: Vec<(String, String)>,
    /// How a CSV file is written; other formulations ignore it.
    pub dialect: CsvDialect,
}

/// `rml:referenceFormulation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Formulation {
    Csv,
    /// `rml:JSONPath` (RFC 9535); also reads JSON Lines (`.jsonl`, `.ndjson`).
    JsonPath,
    /// `rml:XPath` (XPath 1.0 with namespaces).
    XPath,
    /// A Darwin Core Archive (folder or `.zip`) read through its `meta.xml`: the iterator names
    /// the file (`core`, or an extension's row type), references are Darwin Core terms.
    DarwinCore,
}

/// Where a term map takes its value from.
#[derive(Debug, Clone)]
pub enum Value {
    /// `rml:constant`
    Constant(Term),
    /// `rml:reference`: a field of the record, used as it is.
    Reference(String),
    /// `rml:template`: a string with `{reference}` holes.
    Template(Template),
    /// `rml:functionExecution` (or the legacy `fnml:functionValue`): a built-in function.
    Function(Box<FunctionCall>),
    /// No value at all: only a blank-node term map may have none, and it then makes a new
    /// blank node for each record (RML-Core).
    Fresh,
}

/// A call to a built-in function: see [`super::functions`].
#[derive(Debug, Clone)]
pub struct FunctionCall {
    /// Resolved from the function IRI when the mapping is read.
    pub function: Function,
    /// (parameter IRI, value map), one per parameter of the function, in its order; an optional
    /// parameter the mapping leaves out holds its default.
    pub inputs: Vec<(NamedNode, Value)>,
}

impl FunctionCall {
    /// Every record field the call reads, nested calls included.
    pub fn references(&self) -> Vec<&str> {
        self.inputs
            .iter()
            .flat_map(|(_, v)| v.references())
            .collect()
    }
}

/// `rml:termType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermType {
    /// `rml:IRI`: template values are made IRI-safe (R2RML), keeping non-ASCII letters.
    Iri,
    /// `rml:URI`: template values are percent-encoded down to ASCII unreserved characters, and
    /// computed IRIs are mapped to URIs (RFC 3987 §3.1).
    Uri,
    /// `rml:UnsafeIRI`: template values are used as they are; the result must still be an IRI.
    UnsafeIri,
    BlankNode,
    Literal,
}

impl TermType {
    /// Whether terms of this type are IRIs, whatever their encoding.
    pub fn is_iri(self) -> bool {
        matches!(self, TermType::Iri | TermType::Uri | TermType::UnsafeIri)
    }
}

/// A term map: a value source plus what kind of RDF term to make of it.
#[derive(Debug, Clone)]
pub struct TermMap {
    pub value: Value,
    pub term_type: TermType,
    /// `rml:language` or `rml:languageMap`; only for literals.
    pub language: Option<Value>,
    /// `rml:datatype` or `rml:datatypeMap`; only for literals.
    pub datatype: Option<Value>,
}

/// `rml:SubjectMap`.
#[derive(Debug, Clone)]
pub struct SubjectMap {
    pub term: TermMap,
    /// `rml:class`: each adds an `rdf:type` triple.
    pub classes: Vec<NamedNode>,
    pub graphs: Vec<TermMap>,
}

/// `rml:PredicateObjectMap`.
#[derive(Debug, Clone)]
pub struct PredicateObjectMap {
    pub predicates: Vec<TermMap>,
    pub objects: Vec<ObjectMap>,
    pub graphs: Vec<TermMap>,
}

/// An object map, or a reference to another triples map whose subjects become the objects.
#[derive(Debug, Clone)]
pub enum ObjectMap {
    Term(TermMap),
    Parent {
        /// Index into [`Mapping::triples_maps`].
        parent: usize,
        /// `rml:joinCondition`s; empty means "same record".
        joins: Vec<Join>,
    },
}

/// `rml:joinCondition`: a child value and a parent value that must be equal. `rml:child` and
/// `rml:parent` are the reference shortcuts of `rml:childMap` and `rml:parentMap`.
#[derive(Debug, Clone)]
pub struct Join {
    pub child: Value,
    pub parent: Value,
}

impl TermMap {
    /// Every record field this term map reads, for checking them against the source's fields.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        [
            Some(&self.value),
            self.language.as_ref(),
            self.datatype.as_ref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(Value::references)
    }
}

impl Value {
    pub fn references(&self) -> Vec<&str> {
        match self {
            Value::Constant(_) | Value::Fresh => Vec::new(),
            Value::Reference(r) => vec![r.as_str()],
            Value::Template(t) => t.references().collect(),
            Value::Function(f) => f.references(),
        }
    }
}

impl TriplesMap {
    /// Every record field read by this triples map's own term maps (not its parents').
    pub fn references(&self) -> Vec<&str> {
        let mut refs: Vec<&str> = self.subject.term.references().collect();
        refs.extend(self.subject.graphs.iter().flat_map(TermMap::references));
        for pom in &self.predicate_objects {
            refs.extend(pom.predicates.iter().flat_map(TermMap::references));
            refs.extend(pom.graphs.iter().flat_map(TermMap::references));
            for object in &pom.objects {
                match object {
                    ObjectMap::Term(t) => refs.extend(t.references()),
                    ObjectMap::Parent { joins, .. } => {
                        refs.extend(joins.iter().flat_map(|j| j.child.references()))
                    }
                }
            }
        }
        refs.sort_unstable();
        refs.dedup();
        refs
    }
}
