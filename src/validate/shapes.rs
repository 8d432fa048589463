//! The shapes graph, read once into shapes with their targets, paths and constraints.

use super::ShapesError;
use super::path::PropertyPath as Path;
use super::rdf::{Shapes as G, list, sh};
use super::sparql::{self, Component, ComponentCall, SparqlConstraint};
use oxigraph::model::{Graph, NamedNode, Term, TermRef};
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

pub(crate) type ShapeId = usize;

#[derive(Debug)]
pub(crate) struct Shape {
    pub(crate) node: Term,
    pub(crate) path: Option<Path>,
    pub(crate) targets: Vec<Target>,
    pub(crate) deactivated: bool,
    pub(crate) severity: NamedNode,
    pub(crate) messages: Vec<Term>,
    pub(crate) constraints: Vec<Constraint>,
}

#[derive(Debug)]
pub(crate) enum Target {
    Class(Term),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum NodeKind {
    BlankNode,
    Iri,
    Literal,
    BlankNodeOrIri,
    BlankNodeOrLiteral,
    IriOrLiteral,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Bound {
    MinExclusive,
    MinInclusive,
    MaxExclusive,
    MaxInclusive,
}

#[derive(Debug)]
pub(crate) enum Constraint {
    Class(Term),
    Datatype(NamedNode),
    NodeKind(NodeKind),
    MinCount(u64),
    MaxCount(u64),
    Range(Bound, Term),
    MinLength(u64),
    MaxLength(u64),
    Pattern(Regex),
    LanguageIn(Vec<String>),
    UniqueLang,
    Equals(NamedNode),
    Disjoint(NamedNode),
    LessThan(NamedNode),
    LessThanOrEquals(NamedNode),
    Not(ShapeId),
    And(Vec<ShapeId>),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    Node(ShapeId),
    Property(ShapeId),
    QualifiedMin {
        shape: ShapeId,
        count: u64,
        siblings: Vec<ShapeId>,
    },
    QualifiedMax {
        shape: ShapeId,
        count: u64,
        siblings: Vec<ShapeId>,
    },
    Closed(FxHashSet<NamedNode>),
    HasValue(Term),
    In(Vec<Term>),
    Sparql(Box<SparqlConstraint>),
    Component(Box<ComponentCall>),
}

impl Constraint {
    /// The constraint component IRI reported as `sh:sourceConstraintComponent`.
    pub(crate) fn component(&self) -> NamedNode {
        let local = match self {
            Self::Class(_) => "ClassConstraintComponent",
            Self::Datatype(_) => "DatatypeConstraintComponent",
            Self::NodeKind(_) => "NodeKindConstraintComponent",
            Self::MinCount(_) => "MinCountConstraintComponent",
            Self::MaxCount(_) => "MaxCountConstraintComponent",
            Self::Range(Bound::MinExclusive, _) => "MinExclusiveConstraintComponent",
            Self::Range(Bound::MinInclusive, _) => "MinInclusiveConstraintComponent",
            Self::Range(Bound::MaxExclusive, _) => "MaxExclusiveConstraintComponent",
            Self::Range(Bound::MaxInclusive, _) => "MaxInclusiveConstraintComponent",
            Self::MinLength(_) => "MinLengthConstraintComponent",
            Self::MaxLength(_) => "MaxLengthConstraintComponent",
            Self::Pattern(_) => "PatternConstraintComponent",
            Self::LanguageIn(_) => "LanguageInConstraintComponent",
            Self::UniqueLang => "UniqueLangConstraintComponent",
            Self::Equals(_) => "EqualsConstraintComponent",
            Self::Disjoint(_) => "DisjointConstraintComponent",
            Self::LessThan(_) => "LessThanConstraintComponent",
            Self::LessThanOrEquals(_) => "LessThanOrEqualsConstraintComponent",
            Self::Not(_) => "NotConstraintComponent",
            Self::And(_) => "AndConstraintComponent",
            Self::Or(_) => "OrConstraintComponent",
            Self::Xone(_) => "XoneConstraintComponent",
            Self::Node(_) => "NodeConstraintComponent",
            Self::Property(_) => "PropertyConstraintComponent",
            Self::QualifiedMin { .. } => "QualifiedMinCountConstraintComponent",
            Self::QualifiedMax { .. } => "QualifiedMaxCountConstraintComponent",
            Self::Closed(_) => "ClosedConstraintComponent",
            Self::HasValue(_) => "HasValueConstraintComponent",
            Self::In(_) => "InConstraintComponent",
            Self::Sparql(_) => "SPARQLConstraintComponent",
            Self::Component(c) => return c.component.clone(),
        };
        NamedNode::new_unchecked(format!("{}{local}", sh::NS))
    }
}

/// A parsed shapes graph, ready to validate any number of data graphs.
#[derive(Debug)]
pub struct ShapesGraph {
    pub(crate) graph: Graph,
    pub(crate) shapes: Vec<Shape>,
}

impl ShapesGraph {
    /// Reads every shape of `graph`. Errors name the offending shape or term.
    pub fn new(graph: Graph) -> Result<Self, ShapesError> {
        let (shapes, _) = {
            let mut reader = Reader {
                g: G(&graph),
                ids: FxHashMap::default(),
                shapes: Vec::new(),
                todo: Vec::new(),
                components: sparql::components(&G(&graph))?,
            };
            for node in reader.roots() {
                reader.id(&node);
            }
            while let Some((id, node)) = reader.todo.pop() {
                let shape = reader.read(&node)?;
                reader.shapes[id] = Some(shape);
            }
            let shapes: Vec<Shape> = reader
                .shapes
                .into_iter()
                .map(|s| s.expect("every queued shape is read"))
                .collect();
            (shapes, ())
        };
        Ok(Self { graph, shapes })
    }

    /// The shapes graph as parsed (the report copies path structures from it).
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Whether some constraint needs the SPARQL engine.
    pub fn uses_sparql(&self) -> bool {
        self.shapes.iter().any(|s| {
            s.constraints
                .iter()
                .any(|c| matches!(c, Constraint::Sparql(_) | Constraint::Component(_)))
        })
    }
}

struct Reader<'a> {
    g: G<'a>,
    ids: FxHashMap<Term, ShapeId>,
    shapes: Vec<Option<Shape>>,
    todo: Vec<(ShapeId, Term)>,
    components: Vec<Component>,
}

impl Reader<'_> {
    /// Nodes that are shapes whether or not another shape refers to them.
    fn roots(&self) -> Vec<Term> {
        let mut roots = Vec::new();
        for class in [sh::NODE_SHAPE, sh::PROPERTY_SHAPE] {
            roots.extend(self.g.subjects(sh::TYPE, class.into()));
        }
        for target in [
            sh::TARGET_CLASS,
            sh::TARGET_NODE,
            sh::TARGET_SUBJECTS_OF,
            sh::TARGET_OBJECTS_OF,
        ] {
            roots.extend(self.g.subjects_with(target));
        }
        let mut seen = FxHashSet::default();
        roots.retain(|r| seen.insert(r.clone()));
        roots
    }

    fn id(&mut self, node: &Term) -> ShapeId {
        if let Some(id) = self.ids.get(node) {
            return *id;
        }
        let id = self.shapes.len();
        self.shapes.push(None);
        self.ids.insert(node.clone(), id);
        self.todo.push((id, node.clone()));
        id
    }

    fn shape_list(
        &mut self,
        shape: &Term,
        head: &Term,
        what: &str,
    ) -> Result<Vec<ShapeId>, ShapesError> {
        let items = list(&self.g, head).ok_or_else(|| ShapesError::Shape {
            shape: shape.to_string(),
            why: format!("the value of {what} is not a well-formed RDF list"),
        })?;
        Ok(items.iter().map(|i| self.id(i)).collect())
    }

    fn read(&mut self, node: &Term) -> Result<Shape, ShapesError> {
        let g = &self.g;
        let bad = |why: String| ShapesError::Shape {
            shape: node.to_string(),
            why,
        };
        if g.is_undescribed(node) {
            // The official DCAT-AP 3.0.1 files refer to such shapes; pySHACL stops there, we
            // treat them as shapes without constraints (which every node conforms to) and say so.
            tracing::warn!("shape {node} is referred to but not described in the shapes graph");
        }
        let paths = g.objects(node, sh::PATH);
        if paths.len() > 1 {
            return Err(bad("a property shape has exactly one sh:path".into()));
        }
        let path_node = paths.into_iter().next();
        let path = path_node.as_ref().map(|p| Path::parse(g, p)).transpose()?;
        let mut targets = Vec::new();
        for c in g.objects(node, sh::TARGET_CLASS) {
            targets.push(Target::Class(c));
        }
        let is_shape_typed = g.has(node, sh::TYPE, sh::NODE_SHAPE.into())
            || g.has(node, sh::TYPE, sh::PROPERTY_SHAPE.into());
        if is_shape_typed && g.has(node, sh::TYPE, sh::CLASS.into()) {
            targets.push(Target::Class(node.clone()));
        }
        for n in g.objects(node, sh::TARGET_NODE) {
            targets.push(Target::Node(n));
        }
        let iri = |t: Term, what: &str| match t {
            Term::NamedNode(n) => Ok(n),
            other => Err(bad(format!("{what} must be an IRI, not {other}"))),
        };
        for p in g.objects(node, sh::TARGET_SUBJECTS_OF) {
            targets.push(Target::SubjectsOf(iri(p, "sh:targetSubjectsOf")?));
        }
        for p in g.objects(node, sh::TARGET_OBJECTS_OF) {
            targets.push(Target::ObjectsOf(iri(p, "sh:targetObjectsOf")?));
        }
        let severity = match g.object(node, sh::SEVERITY) {
            Some(Term::NamedNode(n)) => n,
            _ => sh::VIOLATION.into_owned(),
        };
        let count = |t: Term, what: &str| {
            match &t {
                Term::Literal(l) => l.value().parse::<u64>().map_err(|_| ()),
                _ => Err(()),
            }
            .map_err(|()| bad(format!("{what} must be a non-negative integer, not {t}")))
        };

        let mut constraints = Vec::new();
        for c in g.objects(node, sh::CLASS_P) {
            constraints.push(Constraint::Class(c));
        }
        for d in g.objects(node, sh::DATATYPE) {
            constraints.push(Constraint::Datatype(iri(d, "sh:datatype")?));
        }
        for k in g.objects(node, sh::NODE_KIND) {
            let kind = match k.as_ref() {
                TermRef::NamedNode(n) if n == sh::BLANK_NODE => NodeKind::BlankNode,
                TermRef::NamedNode(n) if n == sh::IRI => NodeKind::Iri,
                TermRef::NamedNode(n) if n == sh::LITERAL => NodeKind::Literal,
                TermRef::NamedNode(n) if n == sh::BLANK_NODE_OR_IRI => NodeKind::BlankNodeOrIri,
                TermRef::NamedNode(n) if n == sh::BLANK_NODE_OR_LITERAL => {
                    NodeKind::BlankNodeOrLiteral
                }
                TermRef::NamedNode(n) if n == sh::IRI_OR_LITERAL => NodeKind::IriOrLiteral,
                _ => return Err(bad(format!("{k} is not a node kind"))),
            };
            constraints.push(Constraint::NodeKind(kind));
        }
        for (p, what, is_min) in [
            (sh::MIN_COUNT, "sh:minCount", true),
            (sh::MAX_COUNT, "sh:maxCount", false),
        ] {
            for v in g.objects(node, p) {
                let n = count(v, what)?;
                constraints.push(if is_min {
                    Constraint::MinCount(n)
                } else {
                    Constraint::MaxCount(n)
                });
            }
        }
        for (p, bound) in [
            (sh::MIN_EXCLUSIVE, Bound::MinExclusive),
            (sh::MIN_INCLUSIVE, Bound::MinInclusive),
            (sh::MAX_EXCLUSIVE, Bound::MaxExclusive),
            (sh::MAX_INCLUSIVE, Bound::MaxInclusive),
        ] {
            for v in g.objects(node, p) {
                constraints.push(Constraint::Range(bound, v));
            }
        }
        for v in g.objects(node, sh::MIN_LENGTH) {
            constraints.push(Constraint::MinLength(count(v, "sh:minLength")?));
        }
        for v in g.objects(node, sh::MAX_LENGTH) {
            constraints.push(Constraint::MaxLength(count(v, "sh:maxLength")?));
        }
        let flags = match g.object(node, sh::FLAGS) {
            Some(Term::Literal(l)) => l.value().to_owned(),
            _ => String::new(),
        };
        for p in g.objects(node, sh::PATTERN) {
            let Term::Literal(p) = &p else {
                return Err(bad(format!("sh:pattern must be a literal, not {p}")));
            };
            constraints.push(Constraint::Pattern(regex(p.value(), &flags).map_err(bad)?));
        }
        for l in g.objects(node, sh::LANGUAGE_IN) {
            let tags = list(g, &l)
                .ok_or_else(|| bad("sh:languageIn is not a well-formed RDF list".into()))?;
            constraints.push(Constraint::LanguageIn(
                tags.iter()
                    .map(|t| match t {
                        Term::Literal(l) => Ok(l.value().to_owned()),
                        other => Err(bad(format!("language tag {other} is not a literal"))),
                    })
                    .collect::<Result<_, _>>()?,
            ));
        }
        if g.is_true(node, sh::UNIQUE_LANG) {
            constraints.push(Constraint::UniqueLang);
        }
        for (p, what) in [
            (sh::EQUALS, "sh:equals"),
            (sh::DISJOINT, "sh:disjoint"),
            (sh::LESS_THAN, "sh:lessThan"),
            (sh::LESS_THAN_OR_EQUALS, "sh:lessThanOrEquals"),
        ] {
            for v in g.objects(node, p) {
                let v = iri(v, what)?;
                constraints.push(match what {
                    "sh:equals" => Constraint::Equals(v),
                    "sh:disjoint" => Constraint::Disjoint(v),
                    "sh:lessThan" => Constraint::LessThan(v),
                    _ => Constraint::LessThanOrEquals(v),
                });
            }
        }
        let closed = g.is_true(node, sh::CLOSED);
        let mut allowed = FxHashSet::default();
        if closed {
            for p in g.objects(node, sh::PROPERTY) {
                if let Some(Term::NamedNode(n)) = g.object(&p, sh::PATH) {
                    allowed.insert(n);
                }
            }
            for l in g.objects(node, sh::IGNORED_PROPERTIES) {
                for t in list(g, &l).ok_or_else(|| {
                    bad("sh:ignoredProperties is not a well-formed RDF list".into())
                })? {
                    if let Term::NamedNode(n) = t {
                        allowed.insert(n);
                    }
                }
            }
        }
        for v in g.objects(node, sh::HAS_VALUE) {
            constraints.push(Constraint::HasValue(v));
        }
        for l in g.objects(node, sh::IN) {
            let items =
                list(g, &l).ok_or_else(|| bad("sh:in is not a well-formed RDF list".into()))?;
            constraints.push(Constraint::In(items));
        }
        let messages = g.objects(node, sh::MESSAGE);
        let deactivated = g.is_true(node, sh::DEACTIVATED);
        let sparql_nodes = g.objects(node, sh::SPARQL);
        let qualified_min = g.objects(node, sh::QUALIFIED_MIN_COUNT);
        let qualified_max = g.objects(node, sh::QUALIFIED_MAX_COUNT);
        let qualified_disjoint = g.is_true(node, sh::QUALIFIED_VALUE_SHAPES_DISJOINT);
        let mut sparql_constraints = Vec::new();
        for s in sparql_nodes {
            sparql_constraints.push(sparql::constraint(g, node, &s, path.as_ref())?);
        }
        let calls = sparql::calls(g, &self.components, node, path.as_ref())?;

        // Below, `self` is borrowed mutably to allocate referenced shapes.
        for s in sparql_constraints {
            constraints.push(Constraint::Sparql(Box::new(s)));
        }
        for c in calls {
            constraints.push(Constraint::Component(Box::new(c)));
        }
        let g = G(self.g.0);
        for v in g.objects(node, sh::NOT) {
            constraints.push(Constraint::Not(self.id(&v)));
        }
        for (p, what) in [
            (sh::AND, "sh:and"),
            (sh::OR, "sh:or"),
            (sh::XONE, "sh:xone"),
        ] {
            for l in g.objects(node, p) {
                let ids = self.shape_list(node, &l, what)?;
                constraints.push(match what {
                    "sh:and" => Constraint::And(ids),
                    "sh:or" => Constraint::Or(ids),
                    _ => Constraint::Xone(ids),
                });
            }
        }
        for v in g.objects(node, sh::NODE) {
            constraints.push(Constraint::Node(self.id(&v)));
        }
        for v in g.objects(node, sh::PROPERTY) {
            constraints.push(Constraint::Property(self.id(&v)));
        }
        for q in g.objects(node, sh::QUALIFIED_VALUE_SHAPE) {
            let shape = self.id(&q);
            let mut siblings = Vec::new();
            if qualified_disjoint {
                for parent in g.subjects(sh::PROPERTY, node.as_ref()) {
                    for sibling in g.objects(&parent, sh::PROPERTY) {
                        if &sibling == node {
                            continue;
                        }
                        for qs in g.objects(&sibling, sh::QUALIFIED_VALUE_SHAPE) {
                            siblings.push(self.id(&qs));
                        }
                    }
                }
            }
            for v in &qualified_min {
                constraints.push(Constraint::QualifiedMin {
                    shape,
                    count: count(v.clone(), "sh:qualifiedMinCount")?,
                    siblings: siblings.clone(),
                });
            }
            for v in &qualified_max {
                constraints.push(Constraint::QualifiedMax {
                    shape,
                    count: count(v.clone(), "sh:qualifiedMaxCount")?,
                    siblings: siblings.clone(),
                });
            }
        }
        if closed {
            constraints.push(Constraint::Closed(allowed));
        }
        Ok(Shape {
            node: node.clone(),
            path,
            targets,
            deactivated,
            severity,
            messages,
            constraints,
        })
    }
}

/// Compiles an XPath-style `sh:pattern` with its `sh:flags` (`i`, `m`, `s`, `x`; `q` quotes).
fn regex(pattern: &str, flags: &str) -> Result<Regex, String> {
    let mut inline = String::new();
    let mut quoted = false;
    for f in flags.chars() {
        match f {
            'i' | 'm' | 's' | 'x' => inline.push(f),
            'q' => quoted = true,
            other => return Err(format!("unknown sh:flags letter `{other}`")),
        }
    }
    let body = if quoted {
        regex::escape(pattern)
    } else {
        pattern.to_owned()
    };
    let full = if inline.is_empty() {
        body
    } else {
        format!("(?{inline}){body}")
    };
    Regex::new(&full).map_err(|e| format!("sh:pattern `{pattern}` is not a valid regex: {e}"))
}
