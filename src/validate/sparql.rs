//! SHACL-SPARQL: `sh:sparql` constraints and SPARQL-based constraint components, evaluated by
//! Oxigraph on the store that holds the data graph.
//!
//! Pre-binding uses Oxigraph's variable substitution, which seeds evaluation with the bound
//! values; that equals the spec's pre-binding only under the restrictions of SHACL §5.2.1
//! (no MINUS, VALUES, SERVICE, no re-binding of a pre-bound variable, and subqueries that
//! project every pre-bound variable), so queries breaking them are rejected when the shapes
//! graph is read.

use super::ShapesError;
use super::path::PropertyPath as Path;
use super::rdf::{Shapes as G, sh};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::Variable;
use spargebra::Query;
use spargebra::algebra::{Expression, GraphPattern};

#[derive(Debug)]
pub(crate) struct SparqlConstraint {
    pub(crate) node: Term,
    pub(crate) query: Query,
    pub(crate) text: String,
    pub(crate) messages: Vec<Term>,
    pub(crate) deactivated: bool,
}

/// A SPARQL-based constraint component declared in the shapes graph.
#[derive(Debug)]
pub(crate) struct Component {
    iri: NamedNode,
    /// `(path, variable name, optional)`
    parameters: Vec<(NamedNode, String, bool)>,
    validator: Option<Term>,
    node_validator: Option<Term>,
    property_validator: Option<Term>,
    messages: Vec<Term>,
}

/// One use of a component by a shape, with its parameter values.
#[derive(Debug)]
pub(crate) struct ComponentCall {
    pub(crate) component: NamedNode,
    pub(crate) ask: bool,
    pub(crate) query: Query,
    pub(crate) text: String,
    pub(crate) bindings: Vec<(Variable, Term)>,
    pub(crate) messages: Vec<Term>,
}

fn bad(node: &Term, why: impl Into<String>) -> ShapesError {
    ShapesError::Sparql {
        node: node.to_string(),
        why: why.into(),
    }
}

/// The `PREFIX` lines declared by the `sh:prefixes` of `node`.
fn prefixes(g: &G<'_>, node: &Term) -> Result<String, ShapesError> {
    let mut text = String::new();
    // Declarations are also collected from what the prefix nodes import (owl:imports).
    let mut todo = g.objects(node, sh::PREFIXES);
    let mut seen = rustc_hash::FxHashSet::default();
    while let Some(p) = todo.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        todo.extend(g.objects(&p, sh::IMPORTS));
        for d in g.objects(&p, sh::DECLARE) {
            let prefix = g.object(&d, sh::PREFIX);
            let namespace = g.object(&d, sh::NAMESPACE);
            match (prefix, namespace) {
                (Some(Term::Literal(p)), Some(Term::Literal(n))) => {
                    text.push_str(&format!("PREFIX {}: <{}>\n", p.value(), n.value()));
                }
                _ => return Err(bad(&d, "sh:declare needs a sh:prefix and a sh:namespace")),
            }
        }
    }
    Ok(text)
}

/// Parses `body` (with `$PATH` replaced) and checks the pre-binding restrictions.
fn prepare(
    node: &Term,
    prefixes: &str,
    body: &str,
    path: Option<&Path>,
    prebound: &[&str],
) -> Result<(Query, String), ShapesError> {
    let body = match path {
        Some(p) => body.replace("$PATH", &p.to_sparql()),
        None => body.to_owned(),
    };
    let text = format!("{prefixes}{body}");
    let mut query = spargebra::SparqlParser::new()
        .parse_query(&text)
        .map_err(|e| bad(node, format!("{e}")))?;
    let (Query::Select { pattern, .. } | Query::Ask { pattern, .. }) = &mut query else {
        return Err(bad(node, "only SELECT and ASK queries validate"));
    };
    let check = Restrictions { node, prebound };
    check.pattern(pattern, true)?;
    // Oxigraph substitutes only projected variables; projecting a pre-bound one adds a
    // constant column, which changes no solution.
    let extra: Vec<Variable> = prebound
        .iter()
        .filter(|v| mentions(&text, v))
        .map(|v| Variable::new_unchecked(*v))
        .collect();
    project(pattern, &extra);
    Ok((query, text))
}

/// Adds `vars` to the top-level projection of a SELECT.
fn project(p: &mut GraphPattern, vars: &[Variable]) {
    match p {
        GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => project(inner, vars),
        GraphPattern::Project { variables, .. } => {
            for v in vars {
                if !variables.contains(v) {
                    variables.push(v.clone());
                }
            }
        }
        _ => {}
    }
}

struct Restrictions<'a> {
    node: &'a Term,
    prebound: &'a [&'a str],
}

impl Restrictions<'_> {
    fn pattern(&self, p: &GraphPattern, top: bool) -> Result<(), ShapesError> {
        let fail = |why: &str| Err(bad(self.node, why.to_owned()));
        match p {
            GraphPattern::Bgp { .. } | GraphPattern::Path { .. } => Ok(()),
            GraphPattern::Minus { .. } => fail("MINUS is not allowed with pre-bound variables"),
            GraphPattern::Values { .. } => fail("VALUES is not allowed with pre-bound variables"),
            GraphPattern::Service { .. } => fail("SERVICE is not allowed in SHACL queries"),
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Lateral { left, right } => {
                self.pattern(left, false)?;
                self.pattern(right, false)
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left, false)?;
                self.pattern(right, false)?;
                expression.iter().try_for_each(|e| self.expression(e))
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr)?;
                self.pattern(inner, false)
            }
            GraphPattern::Graph { inner, .. } => self.pattern(inner, false),
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => {
                if self.prebound.contains(&variable.as_str()) {
                    return Err(bad(
                        self.node,
                        format!("the pre-bound variable ${variable} cannot be assigned with AS"),
                    ));
                }
                self.expression(expression)?;
                self.pattern(inner, false)
            }
            GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner, top),
            GraphPattern::Project { inner, variables } => {
                if !top {
                    for v in self.prebound {
                        if matches!(*v, "shapesGraph" | "currentShape") {
                            continue;
                        }
                        if !variables.iter().any(|x| x.as_str() == *v) {
                            return Err(bad(
                                self.node,
                                format!("a subquery must return the pre-bound variable ${v}"),
                            ));
                        }
                    }
                }
                self.pattern(inner, false)
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                for (v, _) in aggregates {
                    if self.prebound.contains(&v.as_str()) {
                        return fail("a pre-bound variable cannot be an aggregate's result");
                    }
                }
                self.pattern(inner, false)
            }
        }
    }

    fn expression(&self, e: &Expression) -> Result<(), ShapesError> {
        match e {
            Expression::Exists(p) => self.pattern(p, false),
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => {
                self.expression(a)?;
                self.expression(b)
            }
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
                self.expression(a)
            }
            Expression::In(a, list) => {
                self.expression(a)?;
                list.iter().try_for_each(|x| self.expression(x))
            }
            Expression::If(a, b, c) => {
                self.expression(a)?;
                self.expression(b)?;
                self.expression(c)
            }
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                list.iter().try_for_each(|x| self.expression(x))
            }
            _ => Ok(()),
        }
    }
}

/// Reads the `sh:sparql` constraint `node` of `shape`.
pub(crate) fn constraint(
    g: &G<'_>,
    shape: &Term,
    node: &Term,
    path: Option<&Path>,
) -> Result<SparqlConstraint, ShapesError> {
    let Some(Term::Literal(select)) = g.object(node, sh::SELECT) else {
        return Err(bad(
            node,
            format!("the sh:sparql constraint of {shape} has no sh:select string"),
        ));
    };
    let prebound = ["this", "currentShape", "shapesGraph"];
    let (query, text) = prepare(node, &prefixes(g, node)?, select.value(), path, &prebound)?;
    Ok(SparqlConstraint {
        node: node.clone(),
        query,
        text,
        messages: g.objects(node, sh::MESSAGE),
        deactivated: g.is_true(node, sh::DEACTIVATED),
    })
}

/// Every SPARQL-based constraint component of the shapes graph.
pub(crate) fn components(g: &G<'_>) -> Result<Vec<Component>, ShapesError> {
    let mut out = Vec::new();
    let mut classes: Vec<Term> = vec![sh::CONSTRAINT_COMPONENT.into_owned().into()];
    let mut i = 0;
    while i < classes.len() {
        for sub in g.subjects(sh::SUB_CLASS_OF, classes[i].as_ref()) {
            if !classes.contains(&sub) {
                classes.push(sub);
            }
        }
        i += 1;
    }
    let mut nodes = Vec::new();
    for class in &classes {
        for n in g.subjects(sh::TYPE, class.as_ref()) {
            if !nodes.contains(&n) {
                nodes.push(n);
            }
        }
    }
    for node in nodes {
        let Term::NamedNode(iri) = &node else {
            continue;
        };
        if iri.as_str().starts_with(sh::NS) {
            continue;
        }
        let mut parameters = Vec::new();
        for p in g.objects(&node, sh::PARAMETER) {
            let Some(Term::NamedNode(path)) = g.object(&p, sh::PATH) else {
                return Err(bad(&node, "a parameter needs an IRI sh:path"));
            };
            let name = path
                .as_str()
                .rsplit(['#', '/', ':'])
                .next()
                .unwrap_or_default()
                .to_owned();
            parameters.push((path, name, g.is_true(&p, sh::OPTIONAL)));
        }
        out.push(Component {
            iri: iri.clone(),
            parameters,
            validator: g.object(&node, sh::VALIDATOR),
            node_validator: g.object(&node, sh::NODE_VALIDATOR),
            property_validator: g.object(&node, sh::PROPERTY_VALIDATOR),
            messages: g.objects(&node, sh::MESSAGE),
        });
    }
    Ok(out)
}

/// The component uses of `shape`: one per component whose mandatory parameters it sets (and
/// per combination of values when a parameter has several).
pub(crate) fn calls(
    g: &G<'_>,
    components: &[Component],
    shape: &Term,
    path: Option<&Path>,
) -> Result<Vec<ComponentCall>, ShapesError> {
    let mut out = Vec::new();
    for c in components {
        let mut combos: Vec<Vec<(Variable, Term)>> = vec![Vec::new()];
        let mut complete = true;
        for (param, name, optional) in &c.parameters {
            let values = g.objects(shape, param.as_ref());
            if values.is_empty() {
                if !optional {
                    complete = false;
                    break;
                }
                continue;
            }
            let var = Variable::new(name.clone()).map_err(|e| bad(shape, e.to_string()))?;
            combos = combos
                .into_iter()
                .flat_map(|combo| {
                    let var = var.clone();
                    values.iter().map(move |v| {
                        let mut next = combo.clone();
                        next.push((var.clone(), v.clone()));
                        next
                    })
                })
                .collect();
        }
        if !complete || c.parameters.is_empty() {
            continue;
        }
        let specific = if path.is_some() {
            &c.property_validator
        } else {
            &c.node_validator
        };
        let Some(validator) = specific.as_ref().or(c.validator.as_ref()) else {
            continue;
        };
        let (ask, body) = match (
            g.object(validator, sh::ASK),
            g.object(validator, sh::SELECT),
        ) {
            (Some(Term::Literal(a)), _) => (true, a.value().to_owned()),
            (_, Some(Term::Literal(s))) => (false, s.value().to_owned()),
            _ => return Err(bad(validator, "a validator needs sh:ask or sh:select")),
        };
        let mut messages = g.objects(validator, sh::MESSAGE);
        if messages.is_empty() {
            messages.clone_from(&c.messages);
        }
        for bindings in combos {
            let mut prebound: Vec<&str> = vec!["this", "currentShape", "shapesGraph", "value"];
            prebound.extend(bindings.iter().map(|(v, _)| v.as_str()));
            let (query, text) =
                prepare(validator, &prefixes(g, validator)?, &body, path, &prebound)?;
            out.push(ComponentCall {
                component: c.iri.clone(),
                ask,
                query,
                text,
                bindings,
                messages: messages.clone(),
            });
        }
    }
    Ok(out)
}

/// Whether the query text mentions the variable (Oxigraph refuses to bind an absent one).
pub(crate) fn mentions(text: &str, var: &str) -> bool {
    ['?', '$'].iter().any(|sigil| {
        let needle = format!("{sigil}{var}");
        text.match_indices(&needle).any(|(i, _)| {
            !text[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// Replaces `{$var}` and `{?var}` in a message with the variables' values.
pub(crate) fn fill(template: &Term, lookup: &dyn Fn(&str) -> Option<Term>) -> Term {
    let Term::Literal(l) = template else {
        return template.clone();
    };
    let mut text = l.value().to_owned();
    let mut start = 0;
    while let Some(open) = text[start..].find('{').map(|i| i + start) {
        let Some(close) = text[open..].find('}').map(|i| i + open) else {
            break;
        };
        let inner = &text[open + 1..close];
        let name = inner.strip_prefix(['$', '?']).unwrap_or("");
        match (name.is_empty(), lookup(name)) {
            (false, Some(value)) => {
                let shown = match &value {
                    Term::Literal(l) => l.value().to_owned(),
                    Term::NamedNode(n) => n.as_str().to_owned(),
                    other => other.to_string(),
                };
                text.replace_range(open..=close, &shown);
                start = open + shown.len();
            }
            _ => start = close + 1,
        }
    }
    match l.language() {
        Some(lang) => oxigraph::model::Literal::new_language_tagged_literal_unchecked(text, lang),
        None => oxigraph::model::Literal::new_simple_literal(text),
    }
    .into()
}
