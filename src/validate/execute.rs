//! Running the SHACL-SPARQL queries on the store, with the pre-bound variables substituted.

use super::data::Id;
use super::engine::{Raw, Run, Sink};
use super::path::PropertyPath;
use super::shapes::{Shape, ShapeId};
use super::sparql::{self, ComponentCall, SparqlConstraint};
use super::{SparqlTarget, ValidateError};
use oxigraph::model::{GraphName, Term};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator, Variable};
use spargebra::Query;

impl Run<'_> {
    fn sparql_target(&self) -> Result<&SparqlTarget<'_>, ValidateError> {
        self.sparql.ok_or(ValidateError::NoStore)
    }

    fn run_query(
        &self,
        node: &Term,
        query: &Query,
        text: &str,
        bindings: &[(&str, Term)],
    ) -> Result<QueryResults<'static>, ValidateError> {
        let target = self.sparql_target()?;
        // Unoptimised evaluation hands the pre-bound values down into every group, FILTER and
        // BIND, as the spec's substitution semantics require; the optimiser would evaluate
        // inner groups on their own, where the variables are unbound (pre-binding-003..005).
        let mut prepared = SparqlEvaluator::new()
            .without_optimizations()
            .for_query(query.clone());
        for (name, term) in bindings {
            if sparql::mentions(text, name) {
                prepared =
                    prepared.substitute_variable(Variable::new_unchecked(*name), term.clone());
            }
        }
        if let GraphName::NamedNode(g) = &target.graph {
            prepared
                .dataset_mut()
                .set_default_graph(vec![GraphName::NamedNode(g.clone())]);
        }
        prepared
            .on_store(target.store)
            .execute()
            .map_err(|e| ValidateError::Query {
                node: node.to_string(),
                message: e.to_string(),
            })
    }

    /// The pre-bound variables every query gets.
    fn common(&self, shape: &Shape, focus: Id) -> Vec<(&'static str, Term)> {
        let mut b = vec![
            ("this", self.term(focus).clone()),
            ("currentShape", shape.node.clone()),
        ];
        if let Some(g) = self.sparql.and_then(|t| t.shapes_graph.clone()) {
            b.push(("shapesGraph", g.into()));
        }
        b
    }

    pub(crate) fn sparql_constraint(
        &self,
        shape_id: ShapeId,
        shape: &Shape,
        c: &SparqlConstraint,
        focus: Id,
        sink: &mut Sink,
    ) -> Result<(), ValidateError> {
        if c.deactivated {
            return Ok(());
        }
        let bindings = self.common(shape, focus);
        let results = self.run_query(&c.node, &c.query, &c.text, &bindings)?;
        self.solutions(
            results,
            shape_id,
            shape,
            focus,
            &c.node,
            &bindings,
            &c.messages,
            &sparql_component(),
            Some(&c.node),
            sink,
        )
    }

    pub(crate) fn component(
        &self,
        shape_id: ShapeId,
        shape: &Shape,
        call: &ComponentCall,
        focus: Id,
        values: &[Id],
        sink: &mut Sink,
    ) -> Result<(), ValidateError> {
        let mut bindings: Vec<(&str, Term)> = self.common(shape, focus);
        for (v, t) in &call.bindings {
            bindings.push((v.as_str(), t.clone()));
        }
        let node: Term = call.component.clone().into();
        if call.ask {
            for v in values {
                let mut b = bindings.clone();
                b.push(("value", self.term(*v).clone()));
                let QueryResults::Boolean(ok) =
                    self.run_query(&node, &call.query, &call.text, &b)?
                else {
                    return Err(ValidateError::Query {
                        node: node.to_string(),
                        message: "an ASK validator did not answer true or false".into(),
                    });
                };
                if !ok {
                    let lookup =
                        |name: &str| b.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone());
                    self.push(
                        sink,
                        Raw {
                            focus,
                            shape: shape_id,
                            component: call.component.clone(),
                            path: shape.path.clone(),
                            value: Some(self.term(*v).clone()),
                            constraint: None,
                            messages: messages(&call.messages, shape, &lookup),
                        },
                    );
                    if sink_done(sink) {
                        break;
                    }
                }
            }
            return Ok(());
        }
        if shape.path.is_none() {
            bindings.push(("value", self.term(focus).clone()));
        }
        let results = self.run_query(&node, &call.query, &call.text, &bindings)?;
        self.solutions(
            results,
            shape_id,
            shape,
            focus,
            &node,
            &bindings,
            &call.messages,
            &call.component,
            None,
            sink,
        )
    }

    /// Turns each solution of a SELECT constraint or validator into a result.
    #[allow(clippy::too_many_arguments)]
    fn solutions(
        &self,
        results: QueryResults<'static>,
        shape_id: ShapeId,
        shape: &Shape,
        focus: Id,
        node: &Term,
        bindings: &[(&str, Term)],
        templates: &[Term],
        component: &oxigraph::model::NamedNode,
        constraint: Option<&Term>,
        sink: &mut Sink,
    ) -> Result<(), ValidateError> {
        let QueryResults::Solutions(solutions) = results else {
            return Err(ValidateError::Query {
                node: node.to_string(),
                message: "a SELECT was expected".into(),
            });
        };
        for solution in solutions {
            let solution: QuerySolution = solution.map_err(|e| ValidateError::Query {
                node: node.to_string(),
                message: e.to_string(),
            })?;
            if let Some(Term::Literal(l)) = solution.get("failure")
                && (l.value() == "true" || l.value() == "1")
            {
                return Err(ValidateError::Query {
                    node: node.to_string(),
                    message: "the query reported a failure (?failure)".into(),
                });
            }
            let value = solution
                .get("value")
                .cloned()
                .or_else(|| shape.path.is_none().then(|| self.term(focus).clone()));
            let path = match solution.get("path") {
                Some(Term::NamedNode(p)) if shape.path.is_none() => {
                    Some(PropertyPath::Predicate(p.clone()))
                }
                _ => shape.path.clone(),
            };
            let lookup = |name: &str| {
                solution.get(name).cloned().or_else(|| {
                    bindings
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, t)| t.clone())
                })
            };
            let messages = match solution.get("message") {
                Some(m @ Term::Literal(_)) => vec![m.clone()],
                _ => messages(templates, shape, &lookup),
            };
            self.push(
                sink,
                Raw {
                    focus,
                    shape: shape_id,
                    component: component.clone(),
                    path,
                    value,
                    constraint: constraint.cloned(),
                    messages,
                },
            );
            if sink_done(sink) {
                break;
            }
        }
        Ok(())
    }
}

fn sink_done(sink: &Sink) -> bool {
    !sink.collect && sink.count > 0
}

fn sparql_component() -> oxigraph::model::NamedNode {
    oxigraph::model::NamedNode::new_unchecked(format!(
        "{}SPARQLConstraintComponent",
        super::rdf::sh::NS
    ))
}

/// The constraint's message templates filled in, or else the shape's messages.
fn messages(templates: &[Term], shape: &Shape, lookup: &dyn Fn(&str) -> Option<Term>) -> Vec<Term> {
    if templates.is_empty() {
        return shape.messages.clone();
    }
    templates.iter().map(|t| sparql::fill(t, lookup)).collect()
}
