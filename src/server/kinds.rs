//! What kind of thing an item is, from its types: which template lays out its page and which
//! schema.org type search engines are told it is. One table, read by both.

use crate::vocab::{crm, dcat, schema};

/// A kind of item page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Kind {
    /// The template under `kinds/` (`object` → `kinds/object.html`).
    pub name: &'static str,
    /// The schema.org type of its embedded JSON-LD.
    pub schema: &'static str,
}

const fn kind(name: &'static str, schema: &'static str) -> Kind {
    Kind { name, schema }
}

pub(super) const GENERIC: Kind = kind("item", "Thing");

/// Type IRIs and the kind they make, the more specific first: an item gets the kind of the
/// first row one of its types matches.
const KINDS: &[(&str, Kind)] = &[
    ("E22_Human-Made_Object", kind("object", "VisualArtwork")),
    (
        "E24_Physical_Human-Made_Thing",
        kind("object", "CreativeWork"),
    ),
    // A natural-history specimen: the object layout (image, date, keeper); schema.org has no
    // type for it.
    ("E20_Biological_Object", kind("object", "Thing")),
    ("E21_Person", kind("person", "Person")),
    ("E74_Group", kind("person", "Organization")),
    ("E39_Actor", kind("person", "Person")),
    ("E7_Activity", kind("event", "Event")),
    ("E5_Event", kind("event", "Event")),
    ("E53_Place", kind("place", "Place")),
    ("E31_Document", kind("document", "CreativeWork")),
    ("E73_Information_Object", kind("book", "Book")),
];

/// The same for other vocabularies, by full IRI.
const OTHER_KINDS: &[(&str, Kind)] = &[
    (
        "http://purl.org/dc/terms/BibliographicResource",
        kind("book", "Book"),
    ),
    (
        "http://iflastandards.info/ns/lrm/lrmoo/F1_Work",
        kind("book", "Book"),
    ),
    (
        "http://iflastandards.info/ns/lrm/lrmoo/F3_Manifestation",
        kind("book", "Book"),
    ),
    ("http://xmlns.com/foaf/0.1/Person", kind("person", "Person")),
    (
        "http://xmlns.com/foaf/0.1/Organization",
        kind("person", "Organization"),
    ),
    (
        "http://www.europeana.eu/schemas/edm/ProvidedCHO",
        kind("object", "CreativeWork"),
    ),
    (
        "http://rdfs.org/ns/void#Dataset",
        kind("dataset", "Dataset"),
    ),
];

/// Every kind an item can have, by name, once each (the generic one last).
pub(super) fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for (_, kind) in KINDS.iter().chain(OTHER_KINDS) {
        if !names.contains(&kind.name) {
            names.push(kind.name);
        }
    }
    names.push(GENERIC.name);
    names
}

/// The kind of an item with `types`.
pub(super) fn of<'a>(types: impl IntoIterator<Item = &'a str> + Clone) -> Kind {
    let matches = |iri: &str| types.clone().into_iter().any(|t| t == iri);
    for (local, kind) in KINDS {
        if matches(&format!("{}{local}", crm::NS)) {
            return *kind;
        }
    }
    for (iri, kind) in OTHER_KINDS {
        if matches(iri) {
            return *kind;
        }
    }
    if matches(dcat::DATASET.as_str()) {
        return kind("dataset", "Dataset");
    }
    if let Some(t) = types.into_iter().find_map(|t| t.strip_prefix(schema::NS)) {
        return match t {
            "Person" | "Organization" => kind("person", "Person"),
            "Event" | "TheaterEvent" | "MusicEvent" => kind("event", "Event"),
            "Place" => kind("place", "Place"),
            "Book" => kind("book", "Book"),
            _ => kind("object", "CreativeWork"),
        };
    }
    GENERIC
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_type_wins() {
        let crm = |l: &str| format!("{}{l}", crm::NS);
        let painting = [crm("E22_Human-Made_Object")];
        assert_eq!(of(painting.iter().map(String::as_str)).name, "object");
        let author = [
            "http://purl.org/dc/terms/Agent".to_owned(),
            crm("E21_Person"),
        ];
        assert_eq!(of(author.iter().map(String::as_str)).schema, "Person");
        assert_eq!(of(["urn:x:unknown"]), GENERIC);
    }
}
