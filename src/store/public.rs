//! From a public query to the query a backend runs: stable graph names in, stable graph names
//! out, and nothing but the published versions in between.
//!
//! A researcher names a dataset by its public graph (`FROM <{base}graph/joconde>`,
//! `GRAPH <…>`, the protocol's `default-graph-uri`); the data sits in an internal version graph
//! whose name changes at every ingest. The planner rewrites the query's algebra against the
//! published snapshot:
//!
//! - the query dataset (`FROM`, `FROM NAMED`, or the protocol's graphs, which win) becomes the
//!   current versions of the datasets it names; a graph the publisher does not have is empty,
//!   and internal graphs (staged or superseded versions, metadata) cannot be named at all;
//! - `GRAPH <public>` reads the current version; `GRAPH ?g` ranges over the visible graphs and
//!   binds `?g` to their public names, through a small `VALUES` table joined to the pattern;
//! - without `FROM`, the default graph is the union of the published datasets. An RDF dataset's
//!   default graph is a set, but an engine reading several graphs meets a triple two datasets
//!   both hold twice, so each triple pattern over a union of several graphs reads a triple from
//!   the first graph that has it only (a `NOT EXISTS` check on the graphs before), and property
//!   paths are expanded the way SPARQL defines them so the same rule applies to their steps.
//!   With one graph in the default graph, the query runs unchanged.
//!
//! `SERVICE` patterns are left as written: they are evaluated elsewhere.

use super::view::Published;
use oxigraph::model::{NamedNode, Variable};
use spargebra::Query;
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
    QueryDataset,
};
use spargebra::term::{BlankNode, GroundTerm, NamedNodePattern, TermPattern, TriplePattern};

/// The graphs a request names through the SPARQL protocol (`default-graph-uri`,
/// `named-graph-uri`), which replace the query's own `FROM` and `FROM NAMED`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasetRequest {
    pub default: Vec<NamedNode>,
    pub named: Vec<NamedNode>,
}

impl DatasetRequest {
    /// Whether the request names no graph at all (the query's own dataset then applies).
    pub fn is_empty(&self) -> bool {
        self.default.is_empty() && self.named.is_empty()
    }
}

/// Which endpoints a query's `SERVICE` patterns may call, and for how long. The default calls
/// none: a visitor must not make the publisher's machine fetch arbitrary URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Federation {
    /// Endpoint URLs, exactly as `SERVICE <…>` names them.
    pub endpoints: Vec<String>,
    /// How long one call may take.
    pub timeout: std::time::Duration,
}

impl Federation {
    /// Whether `SERVICE <endpoint>` may be called.
    pub fn allows(&self, endpoint: &str) -> bool {
        self.endpoints.iter().any(|e| e == endpoint)
    }
}

/// A public query rewritten for a backend: its dataset names internal graphs only.
#[derive(Debug, Clone)]
pub struct PlannedQuery {
    query: Query,
    federation: Federation,
    /// The `SERVICE` patterns left in the query: their endpoint (`None` for `SERVICE ?var`) and
    /// whether they are `SILENT`. A backend that hands the query to another store checks them
    /// against [`Federation`] first, since that store would make the calls.
    services: Vec<(Option<NamedNode>, bool)>,
}

impl PlannedQuery {
    /// The query as SPARQL text, for a backend that sends it to another store.
    pub fn text(&self) -> String {
        self.query.to_string()
    }

    /// The endpoints its `SERVICE` patterns may call.
    pub fn federation(&self) -> &Federation {
        &self.federation
    }

    /// The endpoints its `SERVICE` patterns name (`None`: a variable), with their `SILENT`.
    pub fn services(&self) -> &[(Option<NamedNode>, bool)] {
        &self.services
    }

    /// The query's algebra, for a backend that evaluates it in process.
    pub(crate) fn algebra(&self) -> &Query {
        &self.query
    }
}

/// Rewrites `query`, parsed from `text`, to run on the internal graphs of `view`.
pub(super) fn plan(
    view: &Published,
    none: &NamedNode,
    text: &str,
    query: Query,
    request: Option<&DatasetRequest>,
    federation: &Federation,
    closures_in_graph: bool,
) -> PlannedQuery {
    let (query, services) = rewrite(view, none, text, query, request, closures_in_graph);
    PlannedQuery {
        query,
        federation: federation.clone(),
        services,
    }
}

fn rewrite(
    view: &Published,
    none: &NamedNode,
    text: &str,
    mut query: Query,
    request: Option<&DatasetRequest>,
    closures_in_graph: bool,
) -> (Query, Vec<(Option<NamedNode>, bool)>) {
    let given = match request.filter(|r| !r.is_empty()) {
        Some(r) => Some(QueryDataset {
            default: r.default.clone(),
            named: Some(r.named.clone()),
        }),
        None => dataset_of(&query).clone(),
    };
    let visible = |graphs: &[NamedNode]| -> Vec<(NamedNode, NamedNode)> {
        let mut out: Vec<(NamedNode, NamedNode)> = Vec::new();
        for g in graphs {
            if let Some(d) = view.by_graph(g.as_str()) {
                if !out.iter().any(|(internal, _)| *internal == d.version.graph) {
                    out.push((d.version.graph.clone(), d.graph.clone()));
                }
            }
        }
        out
    };
    let all: Vec<(NamedNode, NamedNode)> = view
        .datasets()
        .iter()
        .map(|d| (d.version.graph.clone(), d.graph.clone()))
        .collect();
    let (default, named) = match given {
        None => (all.clone(), all),
        // `FROM` alone leaves no named graph; `FROM NAMED` alone an empty default graph.
        Some(QueryDataset { default, named }) => (
            visible(&default),
            named.map_or_else(Vec::new, |n| visible(&n)),
        ),
    };
    // A store reading the query's text takes a dataset without `FROM` for its own default
    // graph (Virtuoso: every graph); an empty one is named as the graph never loaded.
    let default = if default.is_empty() && !closures_in_graph {
        vec![(none.clone(), none.clone())]
    } else {
        default
    };
    let mut engine_named: Vec<NamedNode> = default.iter().map(|(g, _)| g.clone()).collect();
    for (g, _) in &named {
        if !engine_named.contains(g) {
            engine_named.push(g.clone());
        }
    }
    let mut planner = Planner {
        default: default.into_iter().map(|(g, _)| g).collect(),
        named,
        none: none.clone(),
        fresh: Fresh::new(text),
        reads_default: false,
        blanks: Vec::new(),
        services: Vec::new(),
        closures_in_graph,
    };
    let dataset = QueryDataset {
        default: planner.default.clone(),
        named: Some(engine_named),
    };
    // Patterns are rewritten to name their graphs, so the engine needs no dataset of its own
    // unless something still reads its default graph: DESCRIBE (the engine describes from it)
    // and closures over several graphs. Declaring one makes every query slower (a store read
    // per graph, and graph-filtered scans).
    let describe = matches!(query, Query::Describe { .. });
    match &mut query {
        Query::Select {
            dataset: d,
            pattern,
            ..
        }
        | Query::Construct {
            dataset: d,
            pattern,
            ..
        }
        | Query::Describe {
            dataset: d,
            pattern,
            ..
        }
        | Query::Ask {
            dataset: d,
            pattern,
            ..
        } => {
            let taken = std::mem::replace(pattern, empty());
            *pattern = planner.pattern(taken, Scope::Default);
            *d = (describe || planner.reads_default).then_some(dataset);
        }
    }
    (query, planner.services)
}

fn dataset_of(query: &Query) -> &Option<QueryDataset> {
    match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset,
    }
}

fn empty() -> GraphPattern {
    GraphPattern::Bgp {
        patterns: Vec::new(),
    }
}

/// Which graph the patterns being rewritten are matched against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The query's default graph.
    Default,
    /// The graph of an enclosing `GRAPH`.
    Named,
}

struct Planner {
    /// The internal graphs whose union is the default graph.
    default: Vec<NamedNode>,
    /// The visible named graphs: (internal, public).
    named: Vec<(NamedNode, NamedNode)>,
    /// A graph name that is never loaded: what `GRAPH <unknown>` reads.
    none: NamedNode,
    fresh: Fresh,
    /// Whether some pattern is left to read the engine's default graph (a closure path over
    /// several graphs), which then needs the dataset declared.
    reads_default: bool,
    /// The variables that stand for the query's blank nodes where patterns are split.
    blanks: Vec<(BlankNode, Variable)>,
    /// The `SERVICE` patterns met (see [`PlannedQuery::services`]).
    services: Vec<(Option<NamedNode>, bool)>,
    /// Whether the backend evaluates `p*` and `p+` inside a `GRAPH` block; when not, closures
    /// over a one-graph default graph run on the declared dataset, as over several graphs.
    closures_in_graph: bool,
}

impl Planner {
    fn pattern(&mut self, pattern: GraphPattern, scope: Scope) -> GraphPattern {
        let boxed = |p: Box<GraphPattern>, this: &mut Self| Box::new(this.pattern(*p, scope));
        match pattern {
            GraphPattern::Bgp { patterns } if scope == Scope::Default && !patterns.is_empty() => {
                match self.default.as_slice() {
                    [_, _, ..] => self.union_bgp(patterns),
                    graphs => {
                        let graphs = graphs.to_vec();
                        let bgp = self.unblank_bgp(patterns);
                        self.in_graph(&graphs, bgp)
                    }
                }
            }
            GraphPattern::Path {
                subject,
                path,
                object,
            } if scope == Scope::Default => match self.default.as_slice() {
                [_, _, ..] => self.union_path(subject, path, object),
                [_] if !self.closures_in_graph => self.union_path(subject, path, object),
                graphs => {
                    let graphs = graphs.to_vec();
                    let path = self.unblank_path(subject, path, object);
                    self.in_graph(&graphs, path)
                }
            },
            GraphPattern::Bgp { patterns } => self.unblank_bgp(patterns),
            GraphPattern::Path {
                subject,
                path,
                object,
            } => self.unblank_path(subject, path, object),
            GraphPattern::Join { left, right } => GraphPattern::Join {
                left: boxed(left, self),
                right: boxed(right, self),
            },
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => GraphPattern::LeftJoin {
                left: boxed(left, self),
                right: boxed(right, self),
                expression: expression.map(|e| self.expression(e, scope)),
            },
            GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
                left: boxed(left, self),
                right: boxed(right, self),
            },
            GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
                expr: self.expression(expr, scope),
                inner: boxed(inner, self),
            },
            GraphPattern::Union { left, right } => GraphPattern::Union {
                left: boxed(left, self),
                right: boxed(right, self),
            },
            GraphPattern::Graph { name, inner } => {
                let inner = Box::new(self.pattern(*inner, Scope::Named));
                match name {
                    NamedNodePattern::NamedNode(public) => {
                        let internal = self
                            .named
                            .iter()
                            .find(|(_, p)| *p == public)
                            .map_or_else(|| self.none.clone(), |(i, _)| i.clone());
                        GraphPattern::Graph {
                            name: internal.into(),
                            inner,
                        }
                    }
                    NamedNodePattern::Variable(variable) => {
                        let internal = self.fresh.variable();
                        GraphPattern::Join {
                            left: Box::new(GraphPattern::Graph {
                                name: internal.clone().into(),
                                inner,
                            }),
                            right: Box::new(GraphPattern::Values {
                                variables: vec![internal, variable],
                                bindings: self
                                    .named
                                    .iter()
                                    .map(|(i, p)| {
                                        vec![
                                            Some(GroundTerm::NamedNode(i.clone())),
                                            Some(GroundTerm::NamedNode(p.clone())),
                                        ]
                                    })
                                    .collect(),
                            }),
                        }
                    }
                }
            }
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => GraphPattern::Extend {
                inner: boxed(inner, self),
                variable,
                expression: self.expression(expression, scope),
            },
            GraphPattern::Minus { left, right } => GraphPattern::Minus {
                left: boxed(left, self),
                right: boxed(right, self),
            },
            GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
                inner: boxed(inner, self),
                expression: expression
                    .into_iter()
                    .map(|e| match e {
                        OrderExpression::Asc(e) => OrderExpression::Asc(self.expression(e, scope)),
                        OrderExpression::Desc(e) => {
                            OrderExpression::Desc(self.expression(e, scope))
                        }
                    })
                    .collect(),
            },
            GraphPattern::Project { inner, variables } => GraphPattern::Project {
                inner: boxed(inner, self),
                variables,
            },
            GraphPattern::Distinct { inner } => GraphPattern::Distinct {
                inner: boxed(inner, self),
            },
            GraphPattern::Reduced { inner } => GraphPattern::Reduced {
                inner: boxed(inner, self),
            },
            GraphPattern::Slice {
                inner,
                start,
                length,
            } => GraphPattern::Slice {
                inner: boxed(inner, self),
                start,
                length,
            },
            GraphPattern::Group {
                inner,
                variables,
                aggregates,
            } => GraphPattern::Group {
                inner: boxed(inner, self),
                variables,
                aggregates: aggregates
                    .into_iter()
                    .map(|(v, a)| {
                        let a = match a {
                            AggregateExpression::FunctionCall {
                                name,
                                expr,
                                distinct,
                            } => AggregateExpression::FunctionCall {
                                name,
                                expr: self.expression(expr, scope),
                                distinct,
                            },
                            other => other,
                        };
                        (v, a)
                    })
                    .collect(),
            },
            // Evaluated by another endpoint, over its own graphs.
            service @ GraphPattern::Service { .. } => {
                if let GraphPattern::Service { name, silent, .. } = &service {
                    let endpoint = match name {
                        NamedNodePattern::NamedNode(n) => Some(n.clone()),
                        NamedNodePattern::Variable(_) => None,
                    };
                    self.services.push((endpoint, *silent));
                }
                service
            }
            values @ GraphPattern::Values { .. } => values,
        }
    }

    fn expression(&mut self, expression: Expression, scope: Scope) -> Expression {
        let e = |x: Box<Expression>, this: &mut Self| Box::new(this.expression(*x, scope));
        match expression {
            Expression::Exists(p) => Expression::Exists(Box::new(self.pattern(*p, scope))),
            Expression::Or(a, b) => Expression::Or(e(a, self), e(b, self)),
            Expression::And(a, b) => Expression::And(e(a, self), e(b, self)),
            Expression::Equal(a, b) => Expression::Equal(e(a, self), e(b, self)),
            Expression::SameTerm(a, b) => Expression::SameTerm(e(a, self), e(b, self)),
            Expression::Greater(a, b) => Expression::Greater(e(a, self), e(b, self)),
            Expression::GreaterOrEqual(a, b) => Expression::GreaterOrEqual(e(a, self), e(b, self)),
            Expression::Less(a, b) => Expression::Less(e(a, self), e(b, self)),
            Expression::LessOrEqual(a, b) => Expression::LessOrEqual(e(a, self), e(b, self)),
            Expression::In(a, list) => Expression::In(
                e(a, self),
                list.into_iter()
                    .map(|x| self.expression(x, scope))
                    .collect(),
            ),
            Expression::Add(a, b) => Expression::Add(e(a, self), e(b, self)),
            Expression::Subtract(a, b) => Expression::Subtract(e(a, self), e(b, self)),
            Expression::Multiply(a, b) => Expression::Multiply(e(a, self), e(b, self)),
            Expression::Divide(a, b) => Expression::Divide(e(a, self), e(b, self)),
            Expression::UnaryPlus(a) => Expression::UnaryPlus(e(a, self)),
            Expression::UnaryMinus(a) => Expression::UnaryMinus(e(a, self)),
            Expression::Not(a) => Expression::Not(e(a, self)),
            Expression::If(a, b, c) => Expression::If(e(a, self), e(b, self), e(c, self)),
            Expression::Coalesce(list) => Expression::Coalesce(
                list.into_iter()
                    .map(|x| self.expression(x, scope))
                    .collect(),
            ),
            Expression::FunctionCall(f, args) => Expression::FunctionCall(
                f,
                args.into_iter()
                    .map(|x| self.expression(x, scope))
                    .collect(),
            ),
            leaf @ (Expression::NamedNode(_)
            | Expression::Literal(_)
            | Expression::Variable(_)
            | Expression::Bound(_)) => leaf,
        }
    }

    /// A basic graph pattern over the union of the default graphs, each triple read once.
    /// Its blank nodes become variables first: they must still join across the patterns once
    /// these are split apart.
    fn union_bgp(&mut self, patterns: Vec<TriplePattern>) -> GraphPattern {
        let patterns: Vec<TriplePattern> = patterns
            .into_iter()
            .map(|t| TriplePattern {
                subject: self.unblank(t.subject),
                predicate: t.predicate,
                object: self.unblank(t.object),
            })
            .collect();
        let mut joined: Option<GraphPattern> = None;
        for triple in patterns {
            let once = self.once(&triple);
            joined = Some(match joined {
                None => once,
                Some(left) => GraphPattern::Join {
                    left: Box::new(left),
                    right: Box::new(once),
                },
            });
        }
        joined.unwrap_or_else(empty)
    }

    /// A pattern over a default graph made of at most one graph, read from that graph by name.
    fn in_graph(&self, graphs: &[NamedNode], inner: GraphPattern) -> GraphPattern {
        GraphPattern::Graph {
            name: graphs.first().unwrap_or(&self.none).clone().into(),
            inner: Box::new(inner),
        }
    }

    /// A basic graph pattern with its blank nodes as variables. The parser expands a path
    /// (`a/b`) into patterns joined by a blank node, which rewriting may wrap in separate
    /// `GRAPH` blocks; a query text with one blank node in two blocks is not SPARQL, and a
    /// remote backend sends the text.
    fn unblank_bgp(&mut self, patterns: Vec<TriplePattern>) -> GraphPattern {
        GraphPattern::Bgp {
            patterns: patterns
                .into_iter()
                .map(|t| TriplePattern {
                    subject: self.unblank(t.subject),
                    predicate: t.predicate,
                    object: self.unblank(t.object),
                })
                .collect(),
        }
    }

    /// A path pattern with its blank nodes as variables (see [`Planner::unblank_bgp`]).
    fn unblank_path(
        &mut self,
        subject: TermPattern,
        path: PropertyPathExpression,
        object: TermPattern,
    ) -> GraphPattern {
        GraphPattern::Path {
            subject: self.unblank(subject),
            path,
            object: self.unblank(object),
        }
    }

    /// A blank node of a pattern split across graphs, as a variable: the same one wherever the
    /// query uses that blank node (a path's steps share them with the triple patterns).
    fn unblank(&mut self, term: TermPattern) -> TermPattern {
        let TermPattern::BlankNode(b) = term else {
            return term;
        };
        if let Some((_, v)) = self.blanks.iter().find(|(x, _)| *x == b) {
            return TermPattern::Variable(v.clone());
        }
        let v = self.fresh.variable();
        self.blanks.push((b, v.clone()));
        TermPattern::Variable(v)
    }

    /// One triple pattern over the default graphs, each matching triple once: from the first
    /// graph that holds it.
    fn once(&self, triple: &TriplePattern) -> GraphPattern {
        let in_graph = |g: &NamedNode| GraphPattern::Graph {
            name: g.clone().into(),
            inner: Box::new(GraphPattern::Bgp {
                patterns: vec![triple.clone()],
            }),
        };
        let mut union: Option<GraphPattern> = None;
        for (i, graph) in self.default.iter().enumerate() {
            let mut branch = in_graph(graph);
            let earlier = self.default[..i]
                .iter()
                .map(|g| Expression::Not(Box::new(Expression::Exists(Box::new(in_graph(g))))))
                .reduce(|a, b| Expression::And(Box::new(a), Box::new(b)));
            if let Some(expr) = earlier {
                branch = GraphPattern::Filter {
                    expr,
                    inner: Box::new(branch),
                };
            }
            union = Some(match union {
                None => branch,
                Some(left) => GraphPattern::Union {
                    left: Box::new(left),
                    right: Box::new(branch),
                },
            });
        }
        match union {
            // Virtuoso answers nothing for a closure (`?v p* ?c`) whose start a `UNION`
            // binds, and the right answer when the union is a sub-select.
            Some(union @ GraphPattern::Union { .. }) if !self.closures_in_graph => {
                GraphPattern::Project {
                    inner: Box::new(union),
                    variables: variables_of(triple),
                }
            }
            union => union.unwrap_or_else(empty),
        }
    }

    /// A property path over the union of the default graphs, expanded as SPARQL 1.1 defines
    /// it (sequence as a join through a new variable, alternative as a union, negated sets as
    /// a filtered triple pattern) down to triple patterns read once. Closures (`*`, `+`, `?`)
    /// compute sets of nodes, which duplicate triples cannot change: they run as written.
    fn union_path(
        &mut self,
        subject: TermPattern,
        path: PropertyPathExpression,
        object: TermPattern,
    ) -> GraphPattern {
        match path {
            PropertyPathExpression::NamedNode(p) => self.union_bgp(vec![TriplePattern {
                subject,
                predicate: p.into(),
                object,
            }]),
            PropertyPathExpression::Reverse(p) => self.union_path(object, *p, subject),
            PropertyPathExpression::Sequence(a, b) => {
                let middle = TermPattern::Variable(self.fresh.variable());
                GraphPattern::Join {
                    left: Box::new(self.union_path(subject, *a, middle.clone())),
                    right: Box::new(self.union_path(middle, *b, object)),
                }
            }
            PropertyPathExpression::Alternative(a, b) => GraphPattern::Union {
                left: Box::new(self.union_path(subject.clone(), *a, object.clone())),
                right: Box::new(self.union_path(subject, *b, object)),
            },
            PropertyPathExpression::NegatedPropertySet(excluded) => {
                let predicate = self.fresh.variable();
                let inner = self.union_bgp(vec![TriplePattern {
                    subject,
                    predicate: predicate.clone().into(),
                    object,
                }]);
                if excluded.is_empty() {
                    return inner;
                }
                GraphPattern::Filter {
                    expr: Expression::Not(Box::new(Expression::In(
                        Box::new(Expression::Variable(predicate)),
                        excluded.into_iter().map(Expression::NamedNode).collect(),
                    ))),
                    inner: Box::new(inner),
                }
            }
            closure @ (PropertyPathExpression::ZeroOrMore(_)
            | PropertyPathExpression::OneOrMore(_)
            | PropertyPathExpression::ZeroOrOne(_)) => {
                self.reads_default = true;
                GraphPattern::Path {
                    subject: self.unblank(subject),
                    path: closure,
                    object: self.unblank(object),
                }
            }
        }
    }
}

/// The variables of a triple pattern, each once.
fn variables_of(triple: &TriplePattern) -> Vec<Variable> {
    let mut out: Vec<Variable> = Vec::new();
    let mut add = |v: &Variable| {
        if !out.contains(v) {
            out.push(v.clone());
        }
    };
    if let TermPattern::Variable(v) = &triple.subject {
        add(v);
    }
    if let NamedNodePattern::Variable(v) = &triple.predicate {
        add(v);
    }
    if let TermPattern::Variable(v) = &triple.object {
        add(v);
    }
    out
}

/// Variables the rewrite introduces, named so that they cannot clash with the query's own: their
/// common prefix appears nowhere in the query's text.
struct Fresh {
    prefix: String,
    next: usize,
}

impl Fresh {
    fn new(text: &str) -> Self {
        let mut prefix = "vitrine_".to_owned();
        while text.contains(&prefix) {
            prefix.insert(prefix.len() - 1, 'x');
        }
        Self { prefix, next: 0 }
    }

    fn variable(&mut self) -> Variable {
        self.next += 1;
        Variable::new_unchecked(format!("{}{}", self.prefix, self.next))
    }
}
