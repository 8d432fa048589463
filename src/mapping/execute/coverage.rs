//! Which term maps never made a term in a whole run.
//!
//! A reference that matches nothing in any record is nearly always a typo in the mapping. CSV
//! references are checked against the header when the source is opened, but XML and JSON have
//! no header: an element absent from every record of an export may just be optional, so the run
//! goes on and the data team is told at the end, naming the triples map and the term map.

use super::super::model::{Formulation, Mapping, ObjectMap, TermMap, Value};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the run learnt about its term maps; obtained from [`super::Run::coverage`] before the
/// run is consumed, read after it.
#[derive(Clone)]
pub struct Coverage(Arc<Slots>);

pub(super) struct Slots {
    used: Vec<AtomicBool>,
    /// What to call each watched term map; `None` for those not watched.
    labels: Vec<Option<String>>,
    /// The first slot of each triples map: its subject map, then its object maps in order.
    starts: Vec<usize>,
}

impl Coverage {
    /// One message per watched subject or object map that made no term for any record, in
    /// mapping order.
    pub fn unused(&self) -> Vec<String> {
        self.0
            .used
            .iter()
            .zip(&self.0.labels)
            .filter(|(used, _)| !used.load(Ordering::Relaxed))
            .filter_map(|(_, label)| label.as_ref())
            .map(|label| format!("{label} made no term for any record"))
            .collect()
    }
}

impl Slots {
    /// Watches the reference- and template-valued term maps of sources without a header (XML,
    /// JSON). A function may rightly make nothing (an identifier check that warns only on bad
    /// identifiers), and so may a join; CSV references were checked against the header.
    pub(super) fn new(mapping: &Mapping) -> Self {
        let mut labels = Vec::new();
        let mut starts = Vec::new();
        for map in &mapping.triples_maps {
            starts.push(labels.len());
            let watched = !matches!(
                map.source.formulation,
                Formulation::Csv | Formulation::DarwinCore
            );
            let file = map.source.path.file_name().map_or_else(
                || map.source.path.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            );
            let owner = format!("triples map {} ({file})", map.name);
            let label = |value: &Value, what: &str| {
                describe(value)
                    .filter(|_| watched)
                    .map(|d| format!("{owner}: {what} ({d})"))
            };
            labels.push(label(&map.subject.term.value, "the subject map"));
            for pom in &map.predicate_objects {
                let predicate = match pom.predicates.first().map(|p| &p.value) {
                    Some(Value::Constant(p)) => format!("the object map of {p}"),
                    _ => "an object map".to_owned(),
                };
                for object in &pom.objects {
                    labels.push(match object {
                        ObjectMap::Term(TermMap { value, .. }) => label(value, &predicate),
                        ObjectMap::Parent { .. } => None,
                    });
                }
            }
        }
        Self {
            used: labels.iter().map(|_| AtomicBool::new(false)).collect(),
            labels,
            starts,
        }
    }

    pub(super) fn coverage(self: &Arc<Self>) -> Coverage {
        Coverage(Arc::clone(self))
    }

    /// Notes that the subject map of triples map `map` made a term.
    pub(super) fn subject(&self, map: usize) {
        self.mark(self.starts[map]);
    }

    /// Notes that object map `object` (counted across the triples map's predicate–object maps)
    /// made a term.
    pub(super) fn object(&self, map: usize, object: usize) {
        self.mark(self.starts[map] + 1 + object);
    }

    fn mark(&self, slot: usize) {
        // Read first: once set, the flag's cache line is only shared, never written again.
        if let Some(used) = self.used.get(slot) {
            if !used.load(Ordering::Relaxed) {
                used.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// The references a term map reads, when it reads any directly.
fn describe(value: &Value) -> Option<String> {
    match value {
        Value::Reference(r) => Some(format!("reference `{r}`")),
        Value::Template(t) => Some(format!(
            "template on {}",
            t.references()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Value::Function(_) | Value::Constant(_) | Value::Fresh => None,
    }
}
