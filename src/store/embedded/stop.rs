//! Stopping an evaluation that reads nothing more from the store.
//!
//! Oxigraph's evaluator looks at its cancellation token when it reads quads. A join whose inputs
//! are already read (a cross product of the whole store with itself, counted or sorted) then
//! runs for minutes without looking, and its thread cannot be given back. So every join of a
//! query gets a check on top of it: a `BIND` of a custom function that binds nothing, and that
//! unwinds the evaluation once the query is cancelled. The unwinding is caught at the edge of
//! the backend ([`guard`], [`Guarded`]), where it becomes [`Error::Cancelled`]; Oxigraph's state
//! is dropped on the way, as with any early return.

use crate::store::{Cancel, Error};
use oxigraph::model::{NamedNode, Variable};
use oxigraph::sparql::SparqlEvaluator;
use spargebra::Query;
use spargebra::algebra::{Expression, Function, GraphPattern};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

/// The payload of the unwinding that stops a cancelled evaluation.
struct Stopped;

/// The custom function the checks call.
const ALIVE: &str = "urn:vitrine:alive";

/// An evaluator whose checks unwind once `cancel` fires.
pub(super) fn evaluator(cancel: &Cancel) -> SparqlEvaluator {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        // The unwinding is how a query stops, not a fault: it is not reported.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Stopped>() {
                previous(info);
            }
        }));
    });
    let cancel = cancel.clone();
    SparqlEvaluator::new().with_custom_function(NamedNode::new_unchecked(ALIVE), move |args| {
        if cancel.is_cancelled() {
            std::panic::panic_any(Stopped);
        }
        // Around an expression (see [`passing`]) the check is the identity; alone it binds
        // nothing.
        args.first().cloned()
    })
}

/// `query` with a check above each join. The check binds a variable no query can name (its
/// name is not valid SPARQL) to nothing, so answers are unchanged.
pub(super) fn checked(mut query: Query) -> Query {
    let pattern = match &mut query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let taken = std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *pattern = check(taken);
    query
}

/// `expression` with a check around it, the same value: a `FILTER` or `BIND` over a cross
/// product evaluates its expression for every pair (a `REGEX` compiled each time) without
/// reading from the store, and the check above the join only sees the pairs that pass.
fn passing(expression: Expression) -> Expression {
    Expression::FunctionCall(
        Function::Custom(NamedNode::new_unchecked(ALIVE)),
        vec![expression],
    )
}

fn check(pattern: GraphPattern) -> GraphPattern {
    let b = |p: Box<GraphPattern>| Box::new(check(*p));
    let alive = |inner: GraphPattern| GraphPattern::Extend {
        inner: Box::new(inner),
        variable: Variable::new_unchecked("vitrine-alive"),
        expression: Expression::FunctionCall(
            Function::Custom(NamedNode::new_unchecked(ALIVE)),
            Vec::new(),
        ),
    };
    match pattern {
        // One check above a whole chain of joins, not one per join: the optimiser reorders a
        // chain only as a whole, and a check between two joins cuts it (the planner's union
        // over five datasets made a three-pattern query take a minute, 0.03 s without).
        join @ GraphPattern::Join { .. } => alive(chain(join)),
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => alive(GraphPattern::LeftJoin {
            left: b(left),
            right: b(right),
            expression: expression.map(passing),
        }),
        GraphPattern::Lateral { left, right } => alive(GraphPattern::Lateral {
            left: b(left),
            right: b(right),
        }),
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr: passing(expr),
            inner: b(inner),
        },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: b(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: b(inner),
            variable,
            expression: passing(expression),
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: b(inner),
            expression,
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: b(inner),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: b(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: b(inner) },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: b(inner),
            start,
            length,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: b(inner),
            variables,
            aggregates,
        },
        // Several triple patterns are joined inside the engine: a check above them too.
        GraphPattern::Bgp { patterns } if patterns.len() > 1 => {
            alive(GraphPattern::Bgp { patterns })
        }
        leaf @ (GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. }) => leaf,
    }
}

/// A chain of joins with its operands checked, and no check between its joins.
fn chain(pattern: GraphPattern) -> GraphPattern {
    match pattern {
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: Box::new(chain(*left)),
            right: Box::new(chain(*right)),
        },
        other => check(other),
    }
}

/// Runs `f`, turning the unwinding of a cancelled evaluation into [`Error::Cancelled`].
pub(super) fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) if payload.is::<Stopped>() => Err(Error::Cancelled),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// An answer's iterator whose cancelled evaluation ends with [`Error::Cancelled`], then nothing.
pub(super) struct Guarded<I> {
    inner: Option<I>,
}

impl<I> Guarded<I> {
    pub(super) fn new(inner: I) -> Self {
        Self { inner: Some(inner) }
    }
}

impl<T, I: Iterator<Item = Result<T, Error>>> Iterator for Guarded<I> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let inner = self.inner.as_mut()?;
        match catch_unwind(AssertUnwindSafe(|| inner.next())) {
            Ok(item) => item,
            Err(payload) if payload.is::<Stopped>() => {
                // The evaluation's state was left half way: it is dropped, never resumed.
                self.inner = None;
                Some(Err(Error::Cancelled))
            }
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn pattern(query: &str) -> GraphPattern {
        match checked(SparqlParser::new().parse_query(query).unwrap()) {
            Query::Select { pattern, .. } => pattern,
            _ => unreachable!(),
        }
    }

    fn joins_under(pattern: &GraphPattern) -> usize {
        match pattern {
            GraphPattern::Join { left, right } => 1 + joins_under(left) + joins_under(right),
            _ => 0,
        }
    }

    /// Three graphs joined, as the planner joins a pattern over several datasets: one check above the chain, the chain itself untouched, so the
    /// optimiser still sees (and reorders) the three operands together.
    #[test]
    fn a_chain_of_joins_gets_one_check_above_it() {
        let p = pattern(
            "SELECT * { GRAPH <g:1> { ?a <p:1> ?b } GRAPH <g:2> { ?b <p:2> ?c } GRAPH <g:3> { ?c <p:3> ?d } }",
        );
        let GraphPattern::Project { inner, .. } = p else {
            panic!("{p:?}")
        };
        let GraphPattern::Extend {
            inner, variable, ..
        } = *inner
        else {
            panic!("no check above the chain: {inner:?}")
        };
        assert_eq!(variable.as_str(), "vitrine-alive");
        assert_eq!(joins_under(&inner), 2, "{inner:?}");
    }
}
