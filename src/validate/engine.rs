//! Validation proper: targets to focus nodes, focus nodes to value nodes, value nodes through
//! each constraint.

use super::SparqlTarget;
use super::ValidateError;
use super::data::{DataGraph, Id};
use super::path::PropertyPath;
use super::rdf::sh;
use super::report::{ValidationReport, ValidationResult};
use super::shapes::{Constraint, Shape, ShapeId, ShapesGraph, Target};
use oxigraph::model::{NamedNode, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;

/// A result before its ids are turned back into terms.
pub(crate) struct Raw {
    pub(crate) focus: Id,
    pub(crate) shape: ShapeId,
    pub(crate) component: NamedNode,
    pub(crate) path: Option<PropertyPath>,
    pub(crate) value: Option<Term>,
    pub(crate) constraint: Option<Term>,
    pub(crate) messages: Vec<Term>,
}

/// Where results go: collected for the report, or only counted when checking whether a node
/// conforms to a shape (`sh:node`, `sh:or`, …), which stops at the first one.
pub(crate) struct Sink {
    pub(crate) results: Vec<Raw>,
    pub(crate) collect: bool,
    pub(crate) count: usize,
}

impl Sink {
    pub(crate) fn new(collect: bool) -> Self {
        Self {
            results: Vec::new(),
            collect,
            count: 0,
        }
    }

    fn done(&self) -> bool {
        !self.collect && self.count > 0
    }
}

pub(crate) struct Run<'a> {
    pub(crate) shapes: &'a ShapesGraph,
    pub(crate) data: &'a DataGraph,
    pub(crate) sparql: Option<&'a SparqlTarget<'a>>,
    /// Focus nodes named by `sh:targetNode` that the data graph lacks.
    extra: Vec<Term>,
    extra_ids: FxHashMap<Term, Id>,
    rdf_type: Option<Id>,
    sub_class_of: Option<Id>,
    conforms_cache: RefCell<FxHashMap<(ShapeId, Id), bool>>,
    in_progress: RefCell<FxHashSet<(ShapeId, Id)>>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(
        shapes: &'a ShapesGraph,
        data: &'a DataGraph,
        sparql: Option<&'a SparqlTarget<'a>>,
    ) -> Self {
        Self {
            shapes,
            data,
            sparql,
            extra: Vec::new(),
            extra_ids: FxHashMap::default(),
            rdf_type: data.predicate(&sh::TYPE.into_owned()),
            sub_class_of: data.predicate(&sh::SUB_CLASS_OF.into_owned()),
            conforms_cache: RefCell::default(),
            in_progress: RefCell::default(),
        }
    }

    pub(crate) fn term(&self, id: Id) -> &Term {
        let n = self.data.term_count();
        if (id as usize) < n {
            self.data.term(id)
        } else {
            &self.extra[id as usize - n]
        }
    }

    pub(crate) fn id(&self, term: &Term) -> Option<Id> {
        self.data
            .id(term)
            .or_else(|| self.extra_ids.get(term).copied())
    }

    fn intern(&mut self, term: &Term) -> Id {
        if let Some(id) = self.id(term) {
            return id;
        }
        let id = (self.data.term_count() + self.extra.len()) as Id;
        self.extra.push(term.clone());
        self.extra_ids.insert(term.clone(), id);
        id
    }

    pub(crate) fn validate(mut self) -> Result<ValidationReport, ValidateError> {
        let mut focus_sets = Vec::new();
        for (id, shape) in self.shapes.shapes.iter().enumerate() {
            if shape.deactivated || shape.targets.is_empty() {
                continue;
            }
            let mut focus = Vec::new();
            for target in &shape.targets {
                match target {
                    Target::Node(n) => focus.push(self.intern(n)),
                    _ => focus.extend(self.target(target)),
                }
            }
            focus.sort_unstable();
            focus.dedup();
            focus_sets.push((id, focus));
        }
        let mut sink = Sink::new(true);
        for (id, focus) in focus_sets {
            for f in focus {
                self.check(id, f, &mut sink)?;
            }
        }
        Ok(self.finish(sink.results))
    }

    fn target(&self, target: &Target) -> Vec<Id> {
        let d = self.data;
        match target {
            Target::Node(n) => self.id(n).into_iter().collect(),
            Target::Class(c) => self.instances(c),
            Target::SubjectsOf(p) => match d.predicate(p) {
                Some(p) => d.with_predicate(p).map(|(s, _)| s).collect(),
                None => Vec::new(),
            },
            Target::ObjectsOf(p) => match d.predicate(p) {
                Some(p) => d.with_predicate(p).map(|(_, o)| o).collect(),
                None => Vec::new(),
            },
        }
    }

    /// Instances of `class` and of its subclasses.
    fn instances(&self, class: &Term) -> Vec<Id> {
        let (Some(ty), Some(c)) = (self.rdf_type, self.data.id(class)) else {
            return Vec::new();
        };
        let mut classes = vec![c];
        let mut seen: FxHashSet<Id> = classes.iter().copied().collect();
        let mut i = 0;
        while i < classes.len() {
            if let Some(sub) = self.sub_class_of {
                for s in self.data.subjects(sub, classes[i]) {
                    if seen.insert(s) {
                        classes.push(s);
                    }
                }
            }
            i += 1;
        }
        classes
            .iter()
            .flat_map(|c| self.data.subjects(ty, *c))
            .collect()
    }

    /// Whether `node` is a SHACL instance of `class` (through `rdfs:subClassOf*`).
    pub(crate) fn is_instance(&self, node: Id, class: &Term) -> bool {
        let (Some(ty), Some(c)) = (self.rdf_type, self.data.id(class)) else {
            return false;
        };
        let mut todo: Vec<Id> = self.data.objects(node, ty).collect();
        if todo.contains(&c) {
            return true;
        }
        let Some(sub) = self.sub_class_of else {
            return false;
        };
        let mut seen: FxHashSet<Id> = todo.iter().copied().collect();
        while let Some(t) = todo.pop() {
            if t == c {
                return true;
            }
            for sup in self.data.objects(t, sub) {
                if seen.insert(sup) {
                    todo.push(sup);
                }
            }
        }
        false
    }

    /// Validates `focus` against one shape, appending results to `sink`.
    pub(crate) fn check(
        &self,
        shape_id: ShapeId,
        focus: Id,
        sink: &mut Sink,
    ) -> Result<(), ValidateError> {
        let shape = &self.shapes.shapes[shape_id];
        if shape.deactivated {
            return Ok(());
        }
        let values = match &shape.path {
            Some(path) => path.eval(self.data, focus),
            None => vec![focus],
        };
        for constraint in &shape.constraints {
            self.apply(shape_id, shape, constraint, focus, &values, sink)?;
            if sink.done() {
                break;
            }
        }
        Ok(())
    }

    /// Whether `node` conforms to a shape. A check already under way for the same pair (a
    /// recursive shape) is taken to conform, so recursion ends.
    pub(crate) fn conforms(&self, shape: ShapeId, node: Id) -> Result<bool, ValidateError> {
        if let Some(known) = self.conforms_cache.borrow().get(&(shape, node)) {
            return Ok(*known);
        }
        if !self.in_progress.borrow_mut().insert((shape, node)) {
            return Ok(true);
        }
        let mut sink = Sink::new(false);
        let outcome = self.check(shape, node, &mut sink);
        self.in_progress.borrow_mut().remove(&(shape, node));
        outcome?;
        let ok = sink.count == 0;
        self.conforms_cache.borrow_mut().insert((shape, node), ok);
        Ok(ok)
    }

    /// Records one result of `constraint` on `shape`.
    pub(crate) fn emit(
        &self,
        sink: &mut Sink,
        shape_id: ShapeId,
        constraint: &Constraint,
        focus: Id,
        value: Option<Term>,
    ) {
        self.emit_path(sink, shape_id, constraint, focus, value, None);
    }

    /// Like [`Self::emit`], with a result path other than the shape's (`sh:closed`).
    pub(crate) fn emit_path(
        &self,
        sink: &mut Sink,
        shape_id: ShapeId,
        constraint: &Constraint,
        focus: Id,
        value: Option<Term>,
        path: Option<PropertyPath>,
    ) {
        sink.count += 1;
        if !sink.collect {
            return;
        }
        let shape: &Shape = &self.shapes.shapes[shape_id];
        sink.results.push(Raw {
            focus,
            shape: shape_id,
            component: constraint.component(),
            path: path.or_else(|| shape.path.clone()),
            value,
            constraint: None,
            messages: if shape.messages.is_empty() {
                let text = super::constraints::default_message(constraint);
                vec![oxigraph::model::Literal::new_simple_literal(text).into()]
            } else {
                shape.messages.clone()
            },
        });
    }

    /// Records a result built by the caller (SPARQL constraints carry their own messages).
    pub(crate) fn push(&self, sink: &mut Sink, raw: Raw) {
        sink.count += 1;
        if sink.collect {
            sink.results.push(raw);
        }
    }

    fn finish(&self, raws: Vec<Raw>) -> ValidationReport {
        let mut results = Vec::new();
        for raw in raws {
            let shape = &self.shapes.shapes[raw.shape];
            let result = ValidationResult {
                focus_node: self.term(raw.focus).clone(),
                path: raw.path,
                value: raw.value,
                source_shape: shape.node.clone(),
                source_constraint_component: raw.component,
                source_constraint: raw.constraint,
                severity: shape.severity.clone(),
                messages: raw.messages,
            };
            results.push(result);
        }
        ValidationReport::new(results)
    }
}
