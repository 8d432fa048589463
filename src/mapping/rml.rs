//! Reads RML mappings written in Turtle into the [`Mapping`] model.
//!
//! Users bring mappings written for Morph-KGC or RMLMapper, in the current
//! `http://w3id.org/rml/` vocabulary or the legacy R2RML + `semweb.mmlab.be` one. The legacy terms
//! are rewritten to the current ones as the graph is loaded, so the rest of this module (and the
//! executor) only knows one vocabulary.

use super::error::Error;
use super::model::{
    CsvDialect, Formulation, Join, LogicalSource, Mapping, ObjectMap, PredicateObjectMap,
    SubjectMap, TermMap, TermType, TriplesMap, Value,
};
use super::template::Template;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod fnml;

const RML: &str = "http://w3id.org/rml/";
const R2RML: &str = "http://www.w3.org/ns/r2rml#";
const LEGACY_RML: &str = "http://semweb.mmlab.be/ns/rml#";
const QL: &str = "http://semweb.mmlab.be/ns/ql#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// Resolves the file a logical source names to the file to read.
///
/// Ingest passes one that prefers the files listed in `vitrine.toml`; `vitrine map` resolves
/// against the mapping's folder only.
pub type SourceResolver<'a> = dyn Fn(&str) -> PathBuf + 'a;

/// Parses the RML mapping in `text`, read from `path`.
pub fn parse(text: &str, path: &Path, resolve: &SourceResolver<'_>) -> Result<Mapping, Error> {
    let file_base = format!("file://{}", path.display());
    let mut graph = Graph::new();
    let mut order = FxHashMap::default();
    let mut parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(&file_base)
        .unwrap_or_else(|_| RdfParser::from_format(RdfFormat::Turtle))
        .for_slice(text.as_bytes());
    for triple in parser.by_ref() {
        let triple = triple.map_err(|e| Error::Syntax {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let triple = modernise(triple.into());
        graph.insert(&triple);
        let next = order.len();
        order.entry(triple).or_insert(next);
    }
    // An `@base` written in the mapping is the base of the IRIs it generates (RML-Core).
    let declared_base = parser
        .base_iri()
        .filter(|b| *b != file_base)
        .map(str::to_owned);
    let mut mapping = Reader {
        graph: &graph,
        order: &order,
        path,
        resolve,
    }
    .mapping()?;
    mapping.base_iri = declared_base;
    Ok(mapping)
}

/// Whether `tag` is a well-formed BCP 47 tag whose primary subtag can exist: two or three
/// letters (ISO 639), or a private-use `x-…` tag. Oxigraph accepts any 1–8 letter subtag, so
/// `"english"` would pass it; RML-Core requires an error there.
pub(super) fn is_language_tag(tag: &str) -> bool {
    if Literal::new_language_tagged_literal("x", tag).is_err() {
        return false;
    }
    let primary = tag.split('-').next().unwrap_or_default();
    matches!(primary.len(), 2 | 3)
        || primary.eq_ignore_ascii_case("x")
        || primary.eq_ignore_ascii_case("i")
}

/// Rewrites legacy R2RML / RML / QL terms to their `http://w3id.org/rml/` equivalents.
fn modernise(triple: Triple) -> Triple {
    let Triple {
        subject,
        predicate,
        object,
    } = triple;
    let object = match object {
        Term::NamedNode(n) => Term::NamedNode(modern_iri(n)),
        other => other,
    };
    Triple::new(subject, modern_iri(predicate), object)
}

fn modern_iri(node: NamedNode) -> NamedNode {
    let iri = node.as_str();
    let local = [R2RML, LEGACY_RML, QL]
        .iter()
        .find_map(|ns| iri.strip_prefix(ns));
    match local {
        Some("column") => NamedNode::new_unchecked(format!("{RML}reference")),
        Some(local) => NamedNode::new_unchecked(format!("{RML}{local}")),
        None => node,
    }
}

fn rml(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{RML}{local}"))
}

fn csvw(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("http://www.w3.org/ns/csvw#{local}"))
}

struct Reader<'a> {
    graph: &'a Graph,
    /// Where each triple is written in the file: lists (classes, predicate–object maps…) are
    /// read in that order, so the output's order does not depend on blank-node labels.
    order: &'a FxHashMap<Triple, usize>,
    path: &'a Path,
    resolve: &'a SourceResolver<'a>,
}

/// Identifies a term map inside a triples map for error messages.
struct Context<'a> {
    triples_map: &'a str,
    term: String,
}

impl Context<'_> {
    fn sub(&self, term: &str) -> Context<'_> {
        Context {
            triples_map: self.triples_map,
            term: if self.term.is_empty() {
                term.to_owned()
            } else {
                format!("{} {term}", self.term)
            },
        }
    }
}

/// A term map as written: either a constant through a shortcut property (`rml:object ex:x`)
/// or a node describing the map (`rml:objectMap [ … ]`).
enum Declared {
    Constant(Term),
    Map(NamedOrBlankNode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Subject,
    Predicate,
    Object,
    Graph,
}

impl Reader<'_> {
    fn mapping(&self) -> Result<Mapping, Error> {
        let mut nodes: Vec<NamedOrBlankNode> = self
            .graph
            .subjects_for_predicate_object(
                NamedNodeRef::new_unchecked(RDF_TYPE),
                &rml("TriplesMap"),
            )
            .map(NamedOrBlankNodeRef::into_owned)
            .collect();
        // Triples maps are often left untyped: anything with a logical source is one.
        nodes.extend(
            self.graph
                .triples_for_predicate(&rml("logicalSource"))
                .map(|t| t.subject.into_owned()),
        );
        nodes.sort_by_key(node_name);
        nodes.dedup();
        nodes.retain(|n| !self.is_function_value(n.as_ref()));
        if nodes.is_empty() {
            return Err(Error::NoTriplesMap {
                path: self.path.to_owned(),
            });
        }
        let names: Vec<String> = nodes.iter().map(node_name).collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let triples_maps = nodes
            .iter()
            .zip(&names)
            .map(|(node, name)| self.triples_map(node.as_ref(), name, &index))
            .collect::<Result<Vec<_>, _>>()?;
        self.check_parents(&triples_maps)?;
        Ok(Mapping {
            triples_maps,
            base_iri: None,
        })
    }

    fn triples_map(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        name: &str,
        index: &HashMap<&str, usize>,
    ) -> Result<TriplesMap, Error> {
        let ctx = Context {
            triples_map: name,
            term: String::new(),
        };
        let source_ctx = ctx.sub("rml:logicalSource");
        let source_node = self.one_node(node, "logicalSource", &source_ctx)?;
        let source = self.logical_source(source_node.as_ref(), &source_ctx)?;

        let subject_ctx = ctx.sub("rml:subjectMap");
        let subject_node = match self
            .declared(node, "subject", "subjectMap", &subject_ctx)?
            .as_slice()
        {
            [one] => one_declared(one),
            [] => return Err(self.invalid(&ctx, "is missing rml:subjectMap".into())),
            _ => return Err(self.invalid(&ctx, "has more than one rml:subjectMap".into())),
        };
        let subject = SubjectMap {
            term: self.term_map(&subject_node, Position::Subject, &subject_ctx)?,
            classes: match &subject_node {
                Declared::Map(n) => self
                    .objects(n.as_ref(), "class")
                    .into_iter()
                    .map(|c| match c {
                        Term::NamedNode(n) => Ok(n),
                        other => Err(self.invalid(
                            &subject_ctx,
                            format!("rml:class must be an IRI, found {other}"),
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                Declared::Constant(_) => Vec::new(),
            },
            graphs: match &subject_node {
                Declared::Map(n) => self.graph_maps(n.as_ref(), &subject_ctx)?,
                Declared::Constant(_) => Vec::new(),
            },
        };

        let mut predicate_objects = Vec::new();
        for (i, pom) in self.nodes(node, "predicateObjectMap").iter().enumerate() {
            let pom_ctx = ctx.sub(&format!("rml:predicateObjectMap[{}]", i + 1));
            let pom = pom.as_ref();
            let predicates = self
                .declared(pom, "predicate", "predicateMap", &pom_ctx)?
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    let pctx = pom_ctx.sub(&format!("rml:predicateMap[{}]", j + 1));
                    self.term_map(p, Position::Predicate, &pctx)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let objects = self
                .declared(pom, "object", "objectMap", &pom_ctx)?
                .iter()
                .enumerate()
                .map(|(j, o)| {
                    let octx = pom_ctx.sub(&format!("rml:objectMap[{}]", j + 1));
                    self.object_map(o, &octx, index)
                })
                .collect::<Result<Vec<_>, _>>()?;
            if predicates.is_empty() {
                return Err(
                    self.invalid(&pom_ctx, "has no rml:predicate or rml:predicateMap".into())
                );
            }
            if objects.is_empty() {
                return Err(self.invalid(&pom_ctx, "has no rml:object or rml:objectMap".into()));
            }
            predicate_objects.push(PredicateObjectMap {
                predicates,
                objects,
                graphs: self.graph_maps(pom, &pom_ctx)?,
            });
        }
        let base_iri = match self
            .graph
            .object_for_subject_predicate(node, &rml("baseIRI"))
        {
            Some(TermRef::NamedNode(n)) => Some(n.as_str().to_owned()),
            Some(other) => {
                return Err(
                    self.invalid(&ctx, format!("rml:baseIRI must be an IRI, found {other}"))
                );
            }
            None => None,
        };
        Ok(TriplesMap {
            name: name.into(),
            source,
            subject,
            predicate_objects,
            base_iri,
        })
    }

    fn logical_source(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<LogicalSource, Error> {
        let source = self
            .objects(node, "source")
            .into_iter()
            .next()
            .ok_or_else(|| self.invalid(ctx, "has no rml:source".into()))?;
        let mut nulls = self.strings(node, "null");
        let mut dialect = CsvDialect::default();
        let written = match &source {
            Term::Literal(l) => l.value().to_owned(),
            Term::NamedNode(_) | Term::BlankNode(_) => {
                let s = as_node(&source);
                nulls.extend(self.strings(s, "null"));
                nulls.extend(self.strings_of(s, &csvw("null")));
                let dialect_node = self
                    .objects_of(s, &csvw("dialect"))
                    .into_iter()
                    .find_map(|t| NamedOrBlankNode::try_from(t).ok());
                if let Some(d) = dialect_node {
                    dialect = self.dialect(d.as_ref(), ctx)?;
                }
                let path = self
                    .graph
                    .object_for_subject_predicate(s, &rml("path"))
                    .or_else(|| self.graph.object_for_subject_predicate(s, &csvw("url")));
                match path {
                    Some(TermRef::Literal(l)) => l.value().to_owned(),
                    _ => {
                        return Err(self.invalid(
                            ctx,
                            "rml:source must be a file path, or a node with rml:path or csvw:url"
                                .into(),
                        ));
                    }
                }
            }
        };
        let formulation = match self.objects(node, "referenceFormulation").first() {
            Some(Term::NamedNode(n)) if n.as_str() == format!("{RML}CSV") => Formulation::Csv,
            Some(Term::NamedNode(n)) if n.as_str() == format!("{RML}JSONPath") => {
                Formulation::JsonPath
            }
            Some(Term::NamedNode(n)) if n.as_str() == format!("{RML}XPath") => Formulation::XPath,
            // RML-IO: `[ a rml:XPathReferenceFormulation ; rml:namespace … ]`.
            Some(f @ (Term::NamedNode(_) | Term::BlankNode(_)))
                if self.graph.contains(oxigraph::model::TripleRef::new(
                    as_node(f),
                    NamedNodeRef::new_unchecked(RDF_TYPE),
                    &rml("XPathReferenceFormulation"),
                )) =>
            {
                Formulation::XPath
            }
            Some(Term::NamedNode(n))
                if n.as_str() == "https://w3id.org/vitrine#DarwinCoreArchive" =>
            {
                Formulation::DarwinCore
            }
            None if written.to_ascii_lowercase().ends_with(".csv") => Formulation::Csv,
            None if written.to_ascii_lowercase().ends_with(".zip")
                || written.rsplit('/').next() == Some("meta.xml") =>
            {
                Formulation::DarwinCore
            }
            None if [".json", ".jsonl", ".ndjson"]
                .iter()
                .any(|e| written.to_ascii_lowercase().ends_with(e)) =>
            {
                Formulation::JsonPath
            }
            None if written.to_ascii_lowercase().ends_with(".xml") => Formulation::XPath,
            Some(other) => {
                return Err(self.invalid(
                    ctx,
                    format!(
                        "rml:referenceFormulation {other} is not supported (supported: rml:CSV, rml:JSONPath, rml:XPath)"
                    ),
                ));
            }
            None => return Err(self.invalid(ctx, "has no rml:referenceFormulation".into())),
        };
        Ok(LogicalSource {
            path: (self.resolve)(&written),
            formulation,
            iterator: self.strings(node, "iterator").into_iter().next(),
            nulls,
            namespaces: self.namespaces(node, ctx)?,
            dialect,
        })
    }

    /// `rml:namespace [ rml:namespacePrefix "ex" ; rml:namespaceURL "…" ]` on a logical source
    /// (or on its reference formulation node).
    fn namespaces(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<Vec<(String, String)>, Error> {
        let mut holders = vec![node.into_owned()];
        holders.extend(self.nodes(node, "referenceFormulation"));
        let mut namespaces = Vec::new();
        for holder in &holders {
            for ns in self.nodes(holder.as_ref(), "namespace") {
                let ns_ctx = ctx.sub("rml:namespace");
                let prefix = self.string(ns.as_ref(), "namespacePrefix", &ns_ctx)?;
                let url = self.string(ns.as_ref(), "namespaceURL", &ns_ctx)?;
                match (prefix, url) {
                    (Some(prefix), Some(url)) => namespaces.push((prefix, url)),
                    _ => {
                        return Err(self.invalid(
                            &ns_ctx,
                            "needs rml:namespacePrefix and rml:namespaceURL".into(),
                        ));
                    }
                }
            }
        }
        namespaces.sort();
        namespaces.dedup();
        Ok(namespaces)
    }

    fn object_map(
        &self,
        declared: &Declared,
        ctx: &Context<'_>,
        index: &HashMap<&str, usize>,
    ) -> Result<ObjectMap, Error> {
        if let Declared::Map(node) = declared {
            let node = node.as_ref();
            if let Some(parent) = self
                .graph
                .object_for_subject_predicate(node, &rml("parentTriplesMap"))
            {
                let parent_name = match parent {
                    TermRef::NamedNode(n) => n.as_str().to_owned(),
                    TermRef::BlankNode(b) => format!("_:{}", b.as_str()),
                    TermRef::Literal(_) => {
                        return Err(self.invalid(ctx, "rml:parentTriplesMap must be a node".into()));
                    }
                };
                let parent = *index.get(parent_name.as_str()).ok_or_else(|| {
                    self.invalid(
                        ctx,
                        format!("rml:parentTriplesMap <{parent_name}> is not a triples map of this mapping"),
                    )
                })?;
                let joins = self
                    .nodes(node, "joinCondition")
                    .iter()
                    .enumerate()
                    .map(|(i, j)| {
                        let jctx = ctx.sub(&format!("rml:joinCondition[{}]", i + 1));
                        Ok(Join {
                            child: self.join_side(j.as_ref(), "child", &jctx)?,
                            parent: self.join_side(j.as_ref(), "parent", &jctx)?,
                        })
                    })
                    .collect::<Result<_, Error>>()?;
                return Ok(ObjectMap::Parent { parent, joins });
            }
        }
        Ok(ObjectMap::Term(self.term_map(
            declared,
            Position::Object,
            ctx,
        )?))
    }

    fn term_map(
        &self,
        declared: &Declared,
        position: Position,
        ctx: &Context<'_>,
    ) -> Result<TermMap, Error> {
        let node = match declared {
            Declared::Constant(constant) => {
                let map = TermMap {
                    term_type: term_type_of(constant),
                    value: Value::Constant(constant.clone()),
                    language: None,
                    datatype: None,
                };
                check_position(&map, position).map_err(|m| self.invalid(ctx, m))?;
                return Ok(map);
            }
            Declared::Map(node) => node.as_ref(),
        };
        let mut values = Vec::new();
        if let Some(c) = self
            .graph
            .object_for_subject_predicate(node, &rml("constant"))
        {
            values.push(Value::Constant(c.into_owned()));
        }
        if let Some(r) = self.string(node, "reference", ctx)? {
            values.push(Value::Reference(r));
        }
        if let Some(t) = self.string(node, "template", ctx)? {
            values.push(Value::Template(
                Template::parse(&t).map_err(|e| self.invalid(ctx, e.to_string()))?,
            ));
        }
        if let Some(call) = self.function_call(node, ctx)? {
            values.push(Value::Function(Box::new(call)));
        }
        if values.len() > 1 {
            return Err(self.invalid(
                ctx,
                "has more than one of rml:constant, rml:reference, rml:template, rml:functionExecution".into(),
            ));
        }
        let declared_blank = self
            .graph
            .object_for_subject_predicate(node, &rml("termType"))
            .is_some_and(|t| t == TermRef::from(rml("BlankNode").as_ref()));
        let value = match values.pop() {
            Some(Value::Constant(_)) if declared_blank => {
                return Err(self.invalid(
                    ctx,
                    "a constant cannot be a blank node: rml:termType rml:BlankNode needs a reference, template or no value".into(),
                ));
            }
            Some(value) => value,
            None if declared_blank => Value::Fresh,
            None => {
                return Err(self.invalid(
                    ctx,
                    "needs one of rml:constant, rml:reference, rml:template or rml:functionExecution"
                        .into(),
                ));
            }
        };
        let language = match self.string(node, "language", ctx)? {
            Some(tag) => {
                if !is_language_tag(&tag) {
                    return Err(self.invalid(
                        ctx,
                        format!("rml:language \"{tag}\" is not a valid language tag"),
                    ));
                }
                Some(Value::Constant(Literal::new_simple_literal(tag).into()))
            }
            None => self.value_map(node, "languageMap", ctx)?,
        };
        let datatype = match self
            .graph
            .object_for_subject_predicate(node, &rml("datatype"))
        {
            Some(TermRef::NamedNode(d)) => Some(Value::Constant(d.into_owned().into())),
            Some(other) => {
                return Err(
                    self.invalid(ctx, format!("rml:datatype must be an IRI, found {other}"))
                );
            }
            None => self.value_map(node, "datatypeMap", ctx)?,
        };
        let declared_type = match self
            .graph
            .object_for_subject_predicate(node, &rml("termType"))
        {
            Some(TermRef::NamedNode(t)) => Some(match t.as_str().strip_prefix(RML) {
                Some("IRI" | "IRIref") => TermType::Iri,
                Some("URI") => TermType::Uri,
                Some("UnsafeIRI") => TermType::UnsafeIri,
                Some("BlankNode") => TermType::BlankNode,
                Some("Literal") => TermType::Literal,
                _ => return Err(self.invalid(ctx, format!("unknown rml:termType {t}"))),
            }),
            Some(other) => {
                return Err(
                    self.invalid(ctx, format!("rml:termType must be an IRI, found {other}"))
                );
            }
            None => None,
        };
        let term_type = match (declared_type, &value) {
            (Some(t), _) => t,
            (None, Value::Constant(c)) => term_type_of(c),
            (None, _)
                if position == Position::Object
                    && (language.is_some()
                        || datatype.is_some()
                        || matches!(value, Value::Reference(_) | Value::Function(_))) =>
            {
                TermType::Literal
            }
            (None, _) => TermType::Iri,
        };
        let map = TermMap {
            value,
            term_type,
            language,
            datatype,
        };
        check_position(&map, position).map_err(|m| self.invalid(ctx, m))?;
        Ok(map)
    }

    /// `rml:languageMap` / `rml:datatypeMap`: a nested term map whose value is used as a string.
    fn value_map(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        predicate: &str,
        ctx: &Context<'_>,
    ) -> Result<Option<Value>, Error> {
        let inner = ctx.sub(&format!("rml:{predicate}"));
        match self.nodes(node, predicate).first() {
            Some(map) => Ok(Some(
                self.term_map(&Declared::Map(map.clone()), Position::Object, &inner)?
                    .value,
            )),
            None => Ok(None),
        }
    }

    fn graph_maps(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<Vec<TermMap>, Error> {
        self.declared(node, "graph", "graphMap", ctx)?
            .iter()
            .enumerate()
            .map(|(i, g)| {
                self.term_map(
                    g,
                    Position::Graph,
                    &ctx.sub(&format!("rml:graphMap[{}]", i + 1)),
                )
            })
            .collect()
    }

    /// Constants given through `shortcut`, then the nodes given through `map`.
    fn declared(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        shortcut: &str,
        map: &str,
        ctx: &Context<'_>,
    ) -> Result<Vec<Declared>, Error> {
        let mut found: Vec<Declared> = self
            .objects(node, shortcut)
            .into_iter()
            .map(Declared::Constant)
            .collect();
        for m in self.objects(node, map) {
            found.push(match m {
                Term::NamedNode(n) => Declared::Map(n.into()),
                Term::BlankNode(b) => Declared::Map(b.into()),
                Term::Literal(l) => {
                    return Err(self.invalid(ctx, format!("rml:{map} must be a node, found {l}")));
                }
            });
        }
        Ok(found)
    }

    fn one_node(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        predicate: &str,
        ctx: &Context<'_>,
    ) -> Result<NamedOrBlankNode, Error> {
        match self.objects(node, predicate).as_slice() {
            [Term::NamedNode(n)] => Ok(n.clone().into()),
            [Term::BlankNode(b)] => Ok(b.clone().into()),
            [] => Err(self.invalid(ctx, format!("is missing rml:{predicate}"))),
            [_] => Err(self.invalid(ctx, format!("rml:{predicate} must be a node"))),
            _ => Err(self.invalid(ctx, format!("has more than one rml:{predicate}"))),
        }
    }

    fn string(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        predicate: &str,
        ctx: &Context<'_>,
    ) -> Result<Option<String>, Error> {
        match self
            .graph
            .object_for_subject_predicate(node, &rml(predicate))
        {
            Some(TermRef::Literal(l)) => Ok(Some(l.value().to_owned())),
            Some(other) => Err(self.invalid(
                ctx,
                format!("rml:{predicate} must be a string, found {other}"),
            )),
            None => Ok(None),
        }
    }

    /// One side of a join condition: the `rml:child`/`rml:parent` reference shortcut, or a
    /// `rml:childMap`/`rml:parentMap` term map.
    fn join_side(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        side: &str,
        ctx: &Context<'_>,
    ) -> Result<Value, Error> {
        if let Some(reference) = self.string(node, side, ctx)? {
            return Ok(Value::Reference(reference));
        }
        self.value_map(node, &format!("{side}Map"), ctx)?
            .ok_or_else(|| self.invalid(ctx, format!("needs rml:{side} or rml:{side}Map")))
    }

    /// Literal values of `rml:{local}`.
    fn strings(&self, node: NamedOrBlankNodeRef<'_>, local: &str) -> Vec<String> {
        self.strings_of(node, &rml(local))
    }

    fn strings_of(&self, node: NamedOrBlankNodeRef<'_>, predicate: &NamedNode) -> Vec<String> {
        self.objects_of(node, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect()
    }

    /// Objects of `rml:{local}`.
    fn objects(&self, node: NamedOrBlankNodeRef<'_>, local: &str) -> Vec<Term> {
        self.objects_of(node, &rml(local))
    }

    fn objects_of(&self, node: NamedOrBlankNodeRef<'_>, predicate: &NamedNode) -> Vec<Term> {
        let mut objects: Vec<Term> = self
            .graph
            .objects_for_subject_predicate(node, predicate)
            .map(TermRef::into_owned)
            .collect();
        if objects.len() > 1 {
            objects.sort_by_cached_key(|object| {
                let triple = Triple::new(node.into_owned(), predicate.clone(), object.clone());
                self.order.get(&triple).copied()
            });
        }
        objects
    }

    /// `csvw:dialect [ csvw:delimiter ";" ; … ]`, every property checked (its `rdf:type` aside).
    fn dialect(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<CsvDialect, Error> {
        let mut dialect = CsvDialect::default();
        let error = |message: String| self.invalid(ctx, format!("csvw:dialect: {message}"));
        for triple in self.graph.triples_for_subject(node) {
            let property = triple.predicate.as_str();
            if property == RDF_TYPE {
                continue;
            }
            let Some(local) = property.strip_prefix("http://www.w3.org/ns/csvw#") else {
                return Err(error(format!(
                    "<{property}> is not a CSVW dialect property"
                )));
            };
            let TermRef::Literal(value) = triple.object else {
                return Err(error(format!("csvw:{local} must be a literal")));
            };
            dialect.set(local, value.value()).map_err(error)?;
        }
        Ok(dialect)
    }

    fn nodes(&self, node: NamedOrBlankNodeRef<'_>, predicate: &str) -> Vec<NamedOrBlankNode> {
        self.objects(node, predicate)
            .into_iter()
            .filter_map(|t| NamedOrBlankNode::try_from(t).ok())
            .collect()
    }

    fn invalid(&self, ctx: &Context<'_>, message: String) -> Error {
        Error::Invalid {
            path: self.path.to_owned(),
            triples_map: ctx.triples_map.into(),
            term: if ctx.term.is_empty() {
                "the triples map".into()
            } else {
                ctx.term.clone()
            },
            message,
        }
    }

    /// A referencing object map without join conditions reads the child's own records, so the
    /// parent must read the same logical source.
    fn check_parents(&self, maps: &[TriplesMap]) -> Result<(), Error> {
        for map in maps {
            for (i, pom) in map.predicate_objects.iter().enumerate() {
                for (j, object) in pom.objects.iter().enumerate() {
                    if let ObjectMap::Parent { parent, joins } = object {
                        if joins.is_empty() && maps[*parent].source != map.source {
                            let ctx = Context {
                                triples_map: &map.name,
                                term: format!(
                                    "rml:predicateObjectMap[{}] rml:objectMap[{}]",
                                    i + 1,
                                    j + 1
                                ),
                            };
                            return Err(self.invalid(
                                &ctx,
                                format!(
                                    "parent triples map <{}> reads another logical source, so it needs a rml:joinCondition",
                                    maps[*parent].name
                                ),
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn one_declared(declared: &Declared) -> Declared {
    match declared {
        Declared::Constant(c) => Declared::Constant(c.clone()),
        Declared::Map(n) => Declared::Map(n.clone()),
    }
}

/// Subjects are IRIs or blank nodes, predicates and graphs IRIs; language and datatype only
/// make sense on literals.
fn check_position(map: &TermMap, position: Position) -> Result<(), String> {
    let allowed = match position {
        Position::Subject => map.term_type.is_iri() || map.term_type == TermType::BlankNode,
        Position::Predicate | Position::Graph => map.term_type.is_iri(),
        Position::Object => true,
    };
    if !allowed {
        return Err(format!(
            "a {} map cannot produce a {}",
            format!("{position:?}").to_lowercase(),
            match map.term_type {
                TermType::Iri | TermType::Uri | TermType::UnsafeIri => "IRI",
                TermType::BlankNode => "blank node",
                TermType::Literal => "literal",
            }
        ));
    }
    if map.term_type != TermType::Literal && (map.language.is_some() || map.datatype.is_some()) {
        return Err("rml:language and rml:datatype apply only to literals".into());
    }
    if map.language.is_some() && map.datatype.is_some() {
        return Err("has both a language and a datatype".into());
    }
    Ok(())
}

fn term_type_of(term: &Term) -> TermType {
    match term {
        Term::NamedNode(_) => TermType::Iri,
        Term::BlankNode(_) => TermType::BlankNode,
        Term::Literal(_) => TermType::Literal,
    }
}

fn as_node(term: &Term) -> NamedOrBlankNodeRef<'_> {
    match term {
        Term::NamedNode(n) => n.as_ref().into(),
        Term::BlankNode(b) => b.as_ref().into(),
        // Only called on nodes; a literal has no outgoing edges, like this placeholder.
        Term::Literal(_) => NamedNodeRef::new_unchecked("urn:vitrine:none").into(),
    }
}

fn node_name(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}
