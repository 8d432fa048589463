//! RML-FNML: term maps whose value is a function call, in the two vocabularies mappings use.
//!
//! The current one (`http://w3id.org/rml/`):
//!
//! ```turtle
//! [ rml:functionExecution [
//!     rml:function grel:toUpperCase ;                      # or rml:functionMap [ rml:constant … ]
//!     rml:input [ rml:parameter grel:valueParam ;          # or rml:parameterMap [ rml:constant … ]
//!                 rml:inputValueMap [ rml:reference "x" ] ] ,   # any term map, a function too
//!               [ rml:parameter grel:p_string_sep ; rml:inputValue ";" ] ] ;
//!   rml:returnMap [ rml:constant fno:output ] ]            # optional
//! ```
//!
//! The draft names Morph-KGC documents (`execution`, `valueMap`) are read too, in that namespace
//! or `fnml:`. Every built-in has one output, so the return map is not read.
//!
//! The legacy FnO form of RMLMapper and Morph-KGC describes the call as a nested triples map:
//!
//! ```turtle
//! [ fnml:functionValue [
//!     rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap [ rr:constant grel:toUpperCase ] ] ,
//!                           [ rr:predicate grel:valueParam ; rr:objectMap [ rml:reference "x" ] ] ] ]
//! ```
//!
//! Its `rr:` terms are already modernised by the loader. Such a function value may even carry an
//! `rml:logicalSource`: it is still not a triples map of its own.

use super::{Context, Declared, Position, RML, Reader};
use crate::mapping::error::Error;
use crate::mapping::model::{FunctionCall, Value};
use oxigraph::model::{NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};

const FNML: &str = "http://semweb.mmlab.be/ns/fnml#";
const FNO_EXECUTES: [&str; 2] = [
    "https://w3id.org/function/ontology#executes",
    "http://w3id.org/function/ontology#executes",
];

fn fnml(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{FNML}{local}"))
}

impl Reader<'_> {
    /// Whether `node` is the `fnml:functionValue` of some term map.
    pub(super) fn is_function_value(&self, node: NamedOrBlankNodeRef<'_>) -> bool {
        let node: TermRef<'_> = match node {
            NamedOrBlankNodeRef::NamedNode(n) => n.into(),
            NamedOrBlankNodeRef::BlankNode(b) => b.into(),
        };
        self.graph
            .subjects_for_predicate_object(&fnml("functionValue"), node)
            .next()
            .is_some()
    }

    /// The function call a term map node describes, if it describes one.
    pub(super) fn function_call(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<Option<FunctionCall>, Error> {
        let current = self.fn_nodes(node, &["functionExecution", "execution"]);
        let legacy = self.nodes_of(node, &fnml("functionValue"));
        match (current.as_slice(), legacy.as_slice()) {
            ([], []) => Ok(None),
            ([execution], []) => self
                .execution(execution.as_ref(), &ctx.sub("rml:functionExecution"))
                .map(Some),
            ([], [value]) => self
                .function_value(value.as_ref(), &ctx.sub("fnml:functionValue"))
                .map(Some),
            _ => Err(self.invalid(ctx, "has more than one function execution".into())),
        }
    }

    fn execution(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<FunctionCall, Error> {
        let mut functions = self.fn_objects(node, &["function"]);
        for map in self.fn_objects(node, &["functionMap"]) {
            functions.push(self.constant_of(&map).ok_or_else(|| {
                self.invalid(ctx, "rml:functionMap must have an rml:constant".into())
            })?);
        }
        let function = match functions.as_slice() {
            [Term::NamedNode(f)] => f.as_str().to_owned(),
            [] => return Err(self.invalid(ctx, "has no rml:function".into())),
            [other] => {
                return Err(
                    self.invalid(ctx, format!("rml:function must be an IRI, found {other}"))
                );
            }
            _ => return Err(self.invalid(ctx, "has more than one rml:function".into())),
        };
        let mut given = Vec::new();
        for (i, input) in self.fn_nodes(node, &["input"]).iter().enumerate() {
            let ictx = ctx.sub(&format!("rml:input[{}]", i + 1));
            let input = input.as_ref();
            let mut parameters = self.fn_objects(input, &["parameter"]);
            for map in self.fn_objects(input, &["parameterMap"]) {
                parameters.extend(self.constant_of(&map));
            }
            let parameter = match parameters.as_slice() {
                [Term::NamedNode(p)] => p.clone(),
                _ => {
                    return Err(self.invalid(
                        &ictx,
                        "needs one rml:parameter (an IRI) or rml:parameterMap".into(),
                    ));
                }
            };
            let mut values: Vec<Value> = self
                .fn_objects(input, &["inputValue"])
                .into_iter()
                .map(Value::Constant)
                .collect();
            for map in self.fn_nodes(input, &["inputValueMap", "valueMap"]) {
                let mctx = ictx.sub("rml:inputValueMap");
                values.push(
                    self.term_map(&Declared::Map(map), Position::Object, &mctx)?
                        .value,
                );
            }
            match values.pop() {
                Some(value) if values.is_empty() => given.push((parameter, value)),
                _ => {
                    return Err(self.invalid(
                        &ictx,
                        "needs one rml:inputValue or rml:inputValueMap".into(),
                    ));
                }
            }
        }
        FunctionCall::new(&function, given).map_err(|m| self.invalid(ctx, m))
    }

    fn function_value(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        ctx: &Context<'_>,
    ) -> Result<FunctionCall, Error> {
        let mut function = None;
        let mut given = Vec::new();
        for (i, pom) in self.nodes(node, "predicateObjectMap").iter().enumerate() {
            let pctx = ctx.sub(&format!("rml:predicateObjectMap[{}]", i + 1));
            let pom = pom.as_ref();
            let objects = self.declared(pom, "object", "objectMap", &pctx)?;
            let [object] = objects.as_slice() else {
                return Err(self.invalid(&pctx, "needs exactly one rml:objectMap".into()));
            };
            for predicate in self.declared(pom, "predicate", "predicateMap", &pctx)? {
                let Some(Term::NamedNode(predicate)) = self.declared_constant(&predicate) else {
                    return Err(self.invalid(&pctx, "rml:predicate must be a constant IRI".into()));
                };
                if FNO_EXECUTES.contains(&predicate.as_str()) {
                    match self.declared_constant(object) {
                        Some(Term::NamedNode(f)) if function.is_none() => {
                            function = Some(f.as_str().to_owned());
                        }
                        Some(Term::NamedNode(_)) => {
                            return Err(self.invalid(ctx, "has more than one fno:executes".into()));
                        }
                        _ => {
                            return Err(self.invalid(
                                &pctx,
                                "fno:executes needs a constant function IRI".into(),
                            ));
                        }
                    }
                    continue;
                }
                let value = match object {
                    Declared::Constant(c) => Value::Constant(c.clone()),
                    Declared::Map(_) => {
                        self.term_map(object, Position::Object, &pctx.sub("rml:objectMap"))?
                            .value
                    }
                };
                given.push((predicate, value));
            }
        }
        let function = function.ok_or_else(|| {
            self.invalid(
                ctx,
                "has no rml:predicateObjectMap with fno:executes naming the function".into(),
            )
        })?;
        FunctionCall::new(&function, given).map_err(|m| self.invalid(ctx, m))
    }

    /// The constant a shortcut or a `[ rml:constant … ]` map gives.
    fn declared_constant(&self, declared: &Declared) -> Option<Term> {
        match declared {
            Declared::Constant(c) => Some(c.clone()),
            Declared::Map(NamedOrBlankNode::NamedNode(n)) => self.constant_of(&n.clone().into()),
            Declared::Map(NamedOrBlankNode::BlankNode(b)) => self.constant_of(&b.clone().into()),
        }
    }

    /// The `rml:constant` of a node given as a term.
    fn constant_of(&self, term: &Term) -> Option<Term> {
        let node: NamedOrBlankNodeRef<'_> = match term {
            Term::NamedNode(n) => n.as_ref().into(),
            Term::BlankNode(b) => b.as_ref().into(),
            Term::Literal(_) => return None,
        };
        self.graph
            .object_for_subject_predicate(node, &super::rml("constant"))
            .map(TermRef::into_owned)
    }

    /// The objects of `node` for each local name, in the current namespace and `fnml:`.
    fn fn_objects(&self, node: NamedOrBlankNodeRef<'_>, locals: &[&str]) -> Vec<Term> {
        locals
            .iter()
            .flat_map(|local| [format!("{RML}{local}"), format!("{FNML}{local}")])
            .flat_map(|iri| {
                self.graph
                    .objects_for_subject_predicate(node, &NamedNode::new_unchecked(iri))
                    .map(TermRef::into_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn fn_nodes(&self, node: NamedOrBlankNodeRef<'_>, locals: &[&str]) -> Vec<NamedOrBlankNode> {
        self.fn_objects(node, locals)
            .into_iter()
            .filter_map(into_node)
            .collect()
    }

    fn nodes_of(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        predicate: &NamedNode,
    ) -> Vec<NamedOrBlankNode> {
        self.graph
            .objects_for_subject_predicate(node, predicate)
            .map(TermRef::into_owned)
            .filter_map(into_node)
            .collect()
    }
}

fn into_node(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        Term::Literal(_) => None,
    }
}
