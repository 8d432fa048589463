//! The validation report: results for the caller, and the `sh:ValidationReport` graph.

use super::path::PropertyPath;
use super::rdf::sh;
use oxigraph::model::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::BTreeMap;

/// One `sh:ValidationResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    /// The node that failed; the pipeline traces it back to its source records.
    pub focus_node: Term,
    /// `sh:resultPath` (its `Display` is SPARQL property path syntax).
    pub path: Option<PropertyPath>,
    pub value: Option<Term>,
    pub source_shape: Term,
    pub source_constraint_component: NamedNode,
    /// The `sh:sparql` constraint node, for SPARQL-based constraints.
    pub source_constraint: Option<Term>,
    /// `sh:Violation`, `sh:Warning`, `sh:Info` or a custom severity.
    pub severity: NamedNode,
    /// `sh:resultMessage` values (language-tagged when the shapes say so).
    pub messages: Vec<Term>,
}

impl ValidationResult {
    /// Whether this result is a `sh:Violation` (the level that blocks publication).
    pub fn is_violation(&self) -> bool {
        self.severity.as_ref() == sh::VIOLATION
    }

    /// The first message, preferring `lang`, then untagged, then any.
    pub fn message(&self, lang: &str) -> Option<&str> {
        fn text(t: &Term) -> Option<&str> {
            match t {
                Term::Literal(l) => Some(l.value()),
                _ => None,
            }
        }
        let lang_of = |t: &Term| match t {
            Term::Literal(l) => l.language().map(str::to_owned),
            _ => None,
        };
        self.messages
            .iter()
            .find(|m| lang_of(m).as_deref() == Some(lang))
            .or_else(|| self.messages.iter().find(|m| lang_of(m).is_none()))
            .or_else(|| self.messages.first())
            .and_then(text)
    }
}

/// The outcome of validating one data graph.
#[derive(Debug, Clone, Default)]
pub struct ValidationReport {
    pub results: Vec<ValidationResult>,
}

impl ValidationReport {
    pub(crate) fn new(results: Vec<ValidationResult>) -> Self {
        Self { results }
    }

    /// `sh:conforms`: true when there is no result at all, of any severity (as the spec says).
    pub fn conforms(&self) -> bool {
        self.results.is_empty()
    }

    /// Every result, in the order found.
    pub fn results(&self) -> &[ValidationResult] {
        &self.results
    }

    /// Number of results per severity IRI.
    pub fn by_severity(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for r in &self.results {
            *counts.entry(short(r.severity.as_str())).or_default() += 1;
        }
        counts
    }

    /// The report as the spec's `sh:ValidationReport` graph.
    pub fn to_graph(&self) -> Graph {
        let mut g = Graph::new();
        let report = BlankNode::default();
        let t =
            |g: &mut Graph, s: &NamedOrBlankNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
                g.insert(&Triple::new(s.clone(), p.into_owned(), o));
            };
        let root: NamedOrBlankNode = report.into();
        t(
            &mut g,
            &root,
            sh::TYPE,
            sh::VALIDATION_REPORT.into_owned().into(),
        );
        t(
            &mut g,
            &root,
            sh::CONFORMS,
            Literal::from(self.conforms()).into(),
        );
        for r in &self.results {
            let node: NamedOrBlankNode = BlankNode::default().into();
            t(&mut g, &root, sh::RESULT, node.clone().into());
            t(
                &mut g,
                &node,
                sh::TYPE,
                sh::VALIDATION_RESULT.into_owned().into(),
            );
            t(&mut g, &node, sh::FOCUS_NODE, r.focus_node.clone());
            if let Some(p) = &r.path {
                let copy = p.to_rdf(&mut g);
                t(&mut g, &node, sh::RESULT_PATH, copy);
            }
            if let Some(v) = &r.value {
                t(&mut g, &node, sh::VALUE, v.clone());
            }
            t(&mut g, &node, sh::SOURCE_SHAPE, r.source_shape.clone());
            t(
                &mut g,
                &node,
                sh::SOURCE_CONSTRAINT_COMPONENT,
                r.source_constraint_component.clone().into(),
            );
            if let Some(c) = &r.source_constraint {
                t(&mut g, &node, sh::SOURCE_CONSTRAINT, c.clone());
            }
            t(
                &mut g,
                &node,
                sh::RESULT_SEVERITY,
                r.severity.clone().into(),
            );
            for m in &r.messages {
                t(&mut g, &node, sh::RESULT_MESSAGE, m.clone());
            }
        }
        g
    }
}

/// `sh:Violation` → `Violation`, for counts and text output.
pub(crate) fn short(iri: &str) -> String {
    iri.strip_prefix(sh::NS).unwrap_or(iri).to_owned()
}
