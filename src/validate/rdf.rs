//! Reading the shapes graph: the SHACL vocabulary and small graph helpers.

use oxigraph::model::{Graph, NamedNodeRef, Term, TermRef};

macro_rules! terms {
    ($ns:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(pub(crate) const $name: NamedNodeRef<'static> =
            NamedNodeRef::new_unchecked(concat!($ns, $local));)*
    };
}

/// `sh:` terms, plus the few `rdf:`/`rdfs:` ones SHACL relies on.
pub(crate) mod sh {
    use super::NamedNodeRef;
    pub(crate) const NS: &str = "http://www.w3.org/ns/shacl#";
    terms!("http://www.w3.org/1999/02/22-rdf-syntax-ns#", {
        FIRST = "first", REST = "rest", NIL = "nil", TYPE = "type",
    });
    terms!("http://www.w3.org/2002/07/owl#", { IMPORTS = "imports" });
    terms!("http://www.w3.org/2000/01/rdf-schema#", { SUB_CLASS_OF = "subClassOf", CLASS = "Class" });
    terms!("http://www.w3.org/ns/shacl#", {
        NODE_SHAPE = "NodeShape", PROPERTY_SHAPE = "PropertyShape",
        TARGET_CLASS = "targetClass", TARGET_NODE = "targetNode",
        TARGET_SUBJECTS_OF = "targetSubjectsOf", TARGET_OBJECTS_OF = "targetObjectsOf",
        PATH = "path", ALTERNATIVE_PATH = "alternativePath", INVERSE_PATH = "inversePath",
        ZERO_OR_MORE_PATH = "zeroOrMorePath", ONE_OR_MORE_PATH = "oneOrMorePath",
        ZERO_OR_ONE_PATH = "zeroOrOnePath",
        DEACTIVATED = "deactivated", SEVERITY = "severity", MESSAGE = "message",
        VIOLATION = "Violation",
        CLASS_P = "class", DATATYPE = "datatype", NODE_KIND = "nodeKind",
        MIN_COUNT = "minCount", MAX_COUNT = "maxCount",
        MIN_EXCLUSIVE = "minExclusive", MIN_INCLUSIVE = "minInclusive",
        MAX_EXCLUSIVE = "maxExclusive", MAX_INCLUSIVE = "maxInclusive",
        MIN_LENGTH = "minLength", MAX_LENGTH = "maxLength", PATTERN = "pattern", FLAGS = "flags",
        LANGUAGE_IN = "languageIn", UNIQUE_LANG = "uniqueLang",
        EQUALS = "equals", DISJOINT = "disjoint", LESS_THAN = "lessThan",
        LESS_THAN_OR_EQUALS = "lessThanOrEquals",
        NOT = "not", AND = "and", OR = "or", XONE = "xone", NODE = "node", PROPERTY = "property",
        QUALIFIED_VALUE_SHAPE = "qualifiedValueShape",
        QUALIFIED_MIN_COUNT = "qualifiedMinCount", QUALIFIED_MAX_COUNT = "qualifiedMaxCount",
        QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
        CLOSED = "closed", IGNORED_PROPERTIES = "ignoredProperties",
        HAS_VALUE = "hasValue", IN = "in",
        BLANK_NODE = "BlankNode", IRI = "IRI", LITERAL = "Literal",
        BLANK_NODE_OR_IRI = "BlankNodeOrIRI", BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral",
        IRI_OR_LITERAL = "IRIOrLiteral",
        SPARQL = "sparql", SELECT = "select", ASK = "ask", PREFIXES = "prefixes",
        DECLARE = "declare", PREFIX = "prefix", NAMESPACE = "namespace",
        CONSTRAINT_COMPONENT = "ConstraintComponent", PARAMETER = "parameter",
        OPTIONAL = "optional", VALIDATOR = "validator", NODE_VALIDATOR = "nodeValidator",
        PROPERTY_VALIDATOR = "propertyValidator",
        VALIDATION_REPORT = "ValidationReport", VALIDATION_RESULT = "ValidationResult",
        CONFORMS = "conforms", RESULT = "result", FOCUS_NODE = "focusNode",
        RESULT_PATH = "resultPath", VALUE = "value", SOURCE_SHAPE = "sourceShape",
        SOURCE_CONSTRAINT = "sourceConstraint",
        SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
        RESULT_SEVERITY = "resultSeverity", RESULT_MESSAGE = "resultMessage",
    });
}

/// The shapes graph with the lookups the shape reader needs.
pub(crate) struct Shapes<'a>(pub(crate) &'a Graph);

impl Shapes<'_> {
    pub(crate) fn objects(&self, s: &Term, p: NamedNodeRef<'_>) -> Vec<Term> {
        match s {
            Term::NamedNode(n) => self
                .0
                .objects_for_subject_predicate(n, p)
                .map(TermRef::into_owned)
                .collect(),
            Term::BlankNode(b) => self
                .0
                .objects_for_subject_predicate(b, p)
                .map(TermRef::into_owned)
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn object(&self, s: &Term, p: NamedNodeRef<'_>) -> Option<Term> {
        self.objects(s, p).into_iter().next()
    }

    pub(crate) fn subjects(&self, p: NamedNodeRef<'_>, o: TermRef<'_>) -> Vec<Term> {
        self.0
            .subjects_for_predicate_object(p, o)
            .map(|s| s.into_owned().into())
            .collect()
    }

    pub(crate) fn subjects_with(&self, p: NamedNodeRef<'_>) -> Vec<Term> {
        self.0
            .triples_for_predicate(p)
            .map(|t| t.subject.into_owned().into())
            .collect()
    }

    pub(crate) fn has(&self, s: &Term, p: NamedNodeRef<'_>, o: TermRef<'_>) -> bool {
        self.objects(s, p).iter().any(|x| x.as_ref() == o)
    }

    /// Whether the node is the subject of no triple.
    pub(crate) fn is_undescribed(&self, s: &Term) -> bool {
        match s {
            Term::NamedNode(n) => self.0.triples_for_subject(n).next().is_none(),
            Term::BlankNode(b) => self.0.triples_for_subject(b).next().is_none(),
            _ => true,
        }
    }

    pub(crate) fn is_true(&self, s: &Term, p: NamedNodeRef<'_>) -> bool {
        // Only `true` counts: the suite checks that "1"^^xsd:boolean leaves a constraint off.
        matches!(self.object(s, p), Some(Term::Literal(l)) if l.value() == "true")
    }
}

/// The members of the RDF list starting at `head`, or `None` when it is malformed or cyclic.
pub(crate) fn list(g: &Shapes<'_>, head: &Term) -> Option<Vec<Term>> {
    let mut items = Vec::new();
    let mut node = head.clone();
    let mut seen = rustc_hash::FxHashSet::default();
    while node.as_ref() != TermRef::from(sh::NIL) {
        if !seen.insert(node.clone()) {
            return None;
        }
        items.push(g.object(&node, sh::FIRST)?);
        node = g.object(&node, sh::REST)?;
    }
    Some(items)
}
