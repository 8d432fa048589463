//! The properties the reconciliation service knows, one table read by the scoring of queries,
//! data extension, property suggestions and the preview card, and how their values are read
//! from the store.
//!
//! Each property is a SPARQL path from an item to its values, built from the predicate lists
//! the item pages read (`html::DATE`, `html::PRODUCTION`…), so that a page and a reconciled
//! column show the same maker and the same date.

use super::super::html::{
    CARRIED_OUT_BY, DATE, DESCRIPTION, IMAGE_PREDICATES, PRODUCTION, Predicates, TIME_SPAN,
};
use super::super::{Error, kinds};
use crate::store::{Answer, QueryOptions, Store};
use crate::vocab::{crm, dcterms, owl, rdfs};
use oxigraph::model::{NamedNode, Term};
use rustc_hash::FxHashMap;

/// What a property's values are, which decides how they are compared and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// Text: compared folded.
    Text,
    /// Dates or date labels ("1890", "vers 1890", "2025-09-26T20:00:00"): compared by year.
    Date,
    /// Other items, sent as reconciled entities (`{id, name}`).
    Entity,
    /// Links to other sites (Wikidata, images): compared as IRIs.
    Link,
}

/// A property of the service.
pub(super) struct Property {
    /// Its id in queries, extension requests and suggestions.
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub shape: Shape,
    /// The kinds whose items usually have it, proposed for them (empty: every kind).
    pub kinds: &'static [&'static str],
    /// The SPARQL path from `?s` to `?v`.
    path: fn() -> String,
}

/// The properties, in the order they are proposed.
pub(super) const PROPERTIES: &[Property] = &[
    Property {
        id: "label",
        name: "Label",
        description: "the name or title (rdfs:label, skos:prefLabel, dcterms:title, foaf:name)",
        shape: Shape::Text,
        kinds: &[],
        path: label_path,
    },
    Property {
        id: "creator",
        name: "Creator",
        description: "who made a work (dcterms:creator, or who carried out its production)",
        shape: Shape::Entity,
        kinds: &["object", "book"],
        path: creator_path,
    },
    Property {
        id: "date",
        name: "Date",
        description: "when a work was made or an event took place (dcterms:date, or the \
                      time-span of its production)",
        shape: Shape::Date,
        kinds: &["object", "book", "event"],
        path: date_path,
    },
    Property {
        id: "birth",
        name: "Date of birth",
        description: "the time-span of a person's birth (crm:P98i_was_born)",
        shape: Shape::Date,
        kinds: &["person"],
        path: birth_path,
    },
    Property {
        id: "death",
        name: "Date of death",
        description: "the time-span of a person's death (crm:P100i_died_in)",
        shape: Shape::Date,
        kinds: &["person"],
        path: death_path,
    },
    Property {
        id: "identifier",
        name: "Identifier",
        description: "an inventory number, a museum code, an ARK (dcterms:identifier, or the \
                      symbolic content of an E42 identifier)",
        shape: Shape::Text,
        kinds: &[],
        path: identifier_path,
    },
    Property {
        id: "sameAs",
        name: "Same as",
        description: "the same thing elsewhere, e.g. on Wikidata (owl:sameAs); a Wikidata id \
                      like Q687 matches its IRI",
        shape: Shape::Link,
        kinds: &["person", "place", "book"],
        path: same_as_path,
    },
    Property {
        id: "image",
        name: "Image",
        description: "an image of the item (foaf:depiction, schema:image…)",
        shape: Shape::Link,
        kinds: &["object", "book"],
        path: image_path,
    },
    Property {
        id: "description",
        name: "Description",
        description: "a description of the item (dcterms:description)",
        shape: Shape::Text,
        kinds: &["object", "book", "event"],
        path: description_path,
    },
];

/// The property named `id` (case does not matter: OpenRefine users type them).
pub(super) fn named(id: &str) -> Option<&'static Property> {
    PROPERTIES.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// The ids of every property, for error messages.
pub(super) fn ids() -> String {
    PROPERTIES
        .iter()
        .map(|p| p.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `property` is proposed for items of `kind`.
pub(super) fn applies(property: &Property, kind: &str) -> bool {
    property.kinds.is_empty() || property.kinds.contains(&kind) || !kinds::names().contains(&kind)
}

/// `(<a>|<b>|<c>)`.
fn alternatives(predicates: Predicates) -> String {
    let list: Vec<String> = predicates.iter().map(ToString::to_string).collect();
    format!("({})", list.join("|"))
}

/// The label predicates of pages, and the titles and names search also reads.
fn label_path() -> String {
    const MORE: Predicates = &[dcterms::TITLE, crate::vocab::foaf::NAME];
    let pages = alternatives(crate::vocab::LABEL_PREDICATES);
    format!("{pages}|{}", alternatives(MORE))
}

fn creator_path() -> String {
    let by = alternatives(CARRIED_OUT_BY);
    format!("{by}|({}/{by})", alternatives(PRODUCTION))
}

fn date_path() -> String {
    format!(
        "{}|({}/{}/{})",
        alternatives(DATE),
        alternatives(PRODUCTION),
        alternatives(TIME_SPAN),
        rdfs::LABEL
    )
}

fn life_event(event: oxigraph::model::NamedNodeRef<'static>) -> String {
    format!("{event}/{}/{}", alternatives(TIME_SPAN), rdfs::LABEL)
}

fn birth_path() -> String {
    life_event(crm::P98I_WAS_BORN)
}

fn death_path() -> String {
    life_event(crm::P100I_DIED_IN)
}

fn identifier_path() -> String {
    format!(
        "{}|({}/{})",
        dcterms::IDENTIFIER,
        crm::P1_IS_IDENTIFIED_BY,
        crm::P190_HAS_SYMBOLIC_CONTENT
    )
}

fn same_as_path() -> String {
    owl::SAME_AS.to_string()
}

fn image_path() -> String {
    alternatives(IMAGE_PREDICATES)
}

fn description_path() -> String {
    alternatives(DESCRIPTION)
}

/// One value of a property, with the label of the item it names, if any.
#[derive(Debug, Clone)]
pub(super) struct Value {
    pub term: Term,
    pub label: Option<String>,
}

impl Value {
    /// The text a value is compared by: a literal's lexical form, an IRI as it is.
    pub(super) fn text(&self) -> &str {
        match &self.term {
            Term::Literal(l) => l.value(),
            Term::NamedNode(n) => n.as_str(),
            Term::BlankNode(b) => b.as_str(),
        }
    }
}

/// IRIs per query: the `VALUES` block stays a size every store reads.
const CHUNK: usize = 200;

/// The values of `property` for each of `items` (by IRI), in the store's order, each lexical
/// value once. The IRIs are [`NamedNode`]s, so they are valid IRIs before they are written into
/// the query.
pub(super) fn values(
    store: &Store,
    items: &[NamedNode],
    property: &Property,
) -> Result<FxHashMap<String, Vec<Value>>, Error> {
    let mut out: FxHashMap<String, Vec<Value>> = FxHashMap::default();
    let path = (property.path)();
    let label = if property.shape == Shape::Entity {
        format!("OPTIONAL {{ ?v {} ?l }}", rdfs::LABEL)
    } else {
        String::new()
    };
    for chunk in items.chunks(CHUNK) {
        let list: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        // Read inside each graph: over the union default graph every pattern reads from the
        // first graph that holds it, which the evaluator does not join from the `VALUES` (on
        // the demo, a date took 1.5 s for four items this way, 20 ms in `GRAPH ?g`). An item,
        // its parts and the labels of what it links to come from one mapping, so one graph.
        let query = format!(
            "SELECT ?s ?v ?l WHERE {{ GRAPH ?g {{ VALUES ?s {{ {} }} ?s {path} ?v . {label} }} }}",
            list.join(" ")
        );
        let Answer::Solutions(rows) = store.query(&query, &QueryOptions::default())? else {
            continue;
        };
        for row in rows {
            let row = row?;
            let (Some(Term::NamedNode(s)), Some(v)) = (row[0].clone(), row[1].clone()) else {
                continue;
            };
            let label = match &row[2] {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            };
            let list = out.entry(s.into_string()).or_default();
            let value = Value { term: v, label };
            match list.iter_mut().find(|x| x.text() == value.text()) {
                Some(seen) => {
                    if seen.label.is_none() {
                        seen.label = value.label;
                    }
                }
                None => list.push(value),
            }
        }
    }
    Ok(out)
}

/// The items (at most `limit`) with a value of `property` written `texts` — or, for links,
/// ending in `/` and one of them (a Wikidata id for its IRI). The texts are written into the
/// query as escaped string literals.
pub(super) fn subjects(
    store: &Store,
    property: &Property,
    texts: &[&str],
    limit: usize,
) -> Result<Vec<String>, Error> {
    let list: Vec<String> = texts
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| oxigraph::model::Literal::new_simple_literal(*t).to_string())
        .collect();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let tail = if property.shape == Shape::Link {
        " || STRENDS(STR(?v), CONCAT(\"/\", ?x))"
    } else {
        ""
    };
    let query = format!(
        "SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ VALUES ?x {{ {} }} ?s {} ?v . \
         FILTER(isIRI(?s) && (STR(?v) = ?x{tail})) }} }} LIMIT {limit}",
        list.join(" "),
        (property.path)()
    );
    let Answer::Solutions(rows) = store.query(&query, &QueryOptions::default())? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for row in rows {
        if let Some(Term::NamedNode(s)) = row?[0].clone() {
            out.push(s.into_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kinds_exist() {
        let names = kinds::names();
        for (i, p) in PROPERTIES.iter().enumerate() {
            assert!(
                PROPERTIES[..i].iter().all(|q| q.id != p.id),
                "{} twice",
                p.id
            );
            for k in p.kinds {
                assert!(names.contains(k), "{}: no kind {k}", p.id);
            }
        }
        assert_eq!(named("SAMEAS").map(|p| p.id), Some("sameAs"));
    }

    #[test]
    fn paths_parse_as_sparql() {
        for p in PROPERTIES {
            let query = format!(
                "SELECT ?v WHERE {{ VALUES ?s {{ <http://example.org/a> }} ?s {} ?v }}",
                (p.path)()
            );
            spargebra::SparqlParser::new()
                .parse_query(&query)
                .unwrap_or_else(|e| panic!("{}: {e}\n{query}", p.id));
        }
    }
}
