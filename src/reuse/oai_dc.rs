//! The Dublin Core layer every vitrine profile writes (`dcterms:title`, `creator`, `date`…), read
//! back from an item's published description, and written as `oai_dc`, the format every
//! OAI-PMH repository must offer. The Europeana record ([`super::edm`]) reads the same layer
//! through the same table, so the two formats never say different things about an item.

use crate::store::{Annotations, Error, Store};
use crate::vocab::{dc, dcterms, rdfs};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::io::Write;

/// The `oai_dc` namespace, its schema and the location of the schema.
pub const NS: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
pub const SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One statement of the DC layer and where each format writes it.
pub(crate) struct Field {
    /// The `dcterms:` property read.
    pub source: &'static str,
    /// The element of an `edm:ProvidedCHO` (`None`: not on the CHO).
    pub edm: Option<&'static str>,
    /// The `oai_dc` element.
    pub oai_dc: &'static str,
}

const fn field(source: &'static str, edm: Option<&'static str>, oai_dc: &'static str) -> Field {
    Field {
        source,
        edm,
        oai_dc,
    }
}

/// The DC layer, in the order records list it. `dcterms:license` goes to `edm:rights` on the
/// Europeana aggregation, mapped (see [`super::edm::europeana_rights`]), never to the CHO.
pub(crate) const FIELDS: &[Field] = &[
    field("title", Some("dc:title"), "dc:title"),
    field("creator", Some("dc:creator"), "dc:creator"),
    field("contributor", Some("dc:contributor"), "dc:contributor"),
    field("subject", Some("dc:subject"), "dc:subject"),
    field("description", Some("dc:description"), "dc:description"),
    field("publisher", Some("dc:publisher"), "dc:publisher"),
    field("date", Some("dc:date"), "dc:date"),
    field("created", Some("dcterms:created"), "dc:date"),
    field("type", Some("dc:type"), "dc:type"),
    field("medium", Some("dcterms:medium"), "dc:format"),
    field("extent", Some("dcterms:extent"), "dc:format"),
    field("identifier", Some("dc:identifier"), "dc:identifier"),
    field("source", Some("dc:source"), "dc:source"),
    field("language", Some("dc:language"), "dc:language"),
    field("relation", Some("dc:relation"), "dc:relation"),
    field("spatial", Some("dcterms:spatial"), "dc:coverage"),
    field("temporal", Some("dcterms:temporal"), "dc:coverage"),
    field("rights", Some("dc:rights"), "dc:rights"),
    field("license", None, "dc:rights"),
];

/// A value of the DC layer: a literal, or a resource (with its label when it has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text {
        value: String,
        lang: Option<String>,
    },
    Resource {
        iri: String,
        label: Option<(String, Option<String>)>,
    },
}

/// An item's published description, and the labels of the resources it points to.
pub struct Described {
    pub item: NamedNode,
    pub triples: Vec<Triple>,
}

/// The descriptions of `items` (one lookup each) and the labels of everything they point to
/// (one lookup in all).
pub fn read(store: &Store, items: &[NamedNode]) -> Result<(Vec<Described>, Annotations), Error> {
    let mut described = Vec::with_capacity(items.len());
    let mut objects: Vec<NamedOrBlankNode> = Vec::new();
    for item in items {
        let triples: Vec<Triple> = store
            .describe(item)?
            .into_iter()
            .filter(|t| t.subject.as_ref() == NamedOrBlankNode::from(item.clone()).as_ref())
            .collect();
        objects.extend(triples.iter().filter_map(|t| match &t.object {
            Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
            _ => None,
        }));
        described.push(Described {
            item: item.clone(),
            triples,
        });
    }
    let mut seen = std::collections::HashSet::new();
    objects.retain(|o| seen.insert(o.clone()));
    let labels = if objects.is_empty() {
        Annotations::default()
    } else {
        store.annotate(&objects)?
    };
    Ok((described, labels))
}

impl Described {
    /// The objects of `predicate` on the item, in a stable order.
    pub fn objects(&self, predicate: NamedNodeRef<'_>) -> Vec<&Term> {
        let mut out: Vec<&Term> = self
            .triples
            .iter()
            .filter(|t| t.predicate.as_ref() == predicate)
            .map(|t| &t.object)
            .collect();
        out.sort_by_cached_key(|t| t.to_string());
        out
    }

    /// The IRIs among the objects of `predicate`.
    pub fn iris(&self, predicate: NamedNodeRef<'_>) -> Vec<&str> {
        self.objects(predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The values of the DC field `field`: a title falls back on `rdfs:label`, a language is
    /// written as its ISO 639 code.
    pub(crate) fn values(&self, field: &Field, labels: &Annotations) -> Vec<Value> {
        let predicate = NamedNode::new_unchecked(format!("{}{}", dcterms::NS, field.source));
        let mut terms = self.objects(predicate.as_ref());
        if terms.is_empty() && field.source == "title" {
            terms = self.objects(rdfs::LABEL);
        }
        terms
            .into_iter()
            .filter_map(|term| match term {
                Term::Literal(l) => Some(Value::Text {
                    value: l.value().to_owned(),
                    lang: l.language().map(str::to_owned),
                }),
                Term::NamedNode(n) if field.source == "language" => Some(Value::Text {
                    value: language_code(n.as_str()),
                    lang: None,
                }),
                Term::NamedNode(n) => Some(Value::Resource {
                    iri: n.as_str().to_owned(),
                    label: label(labels, n),
                }),
                _ => None,
            })
            .collect()
    }
}

/// The label of `node` (the first in order, so that records are deterministic).
pub(crate) fn label(labels: &Annotations, node: &NamedNode) -> Option<(String, Option<String>)> {
    labels
        .labels
        .get(&NamedOrBlankNode::from(node.clone()))?
        .iter()
        .map(|l| (l.value().to_owned(), l.language().map(str::to_owned)))
        .min()
}

/// The ISO 639 code of a language IRI (Library of Congress, EU authority table, Lexvo), or the
/// IRI itself.
pub(crate) fn language_code(iri: &str) -> String {
    let last = iri.trim_end_matches('/').rsplit('/').next().unwrap_or(iri);
    let is_code = (2..=3).contains(&last.len()) && last.chars().all(|c| c.is_ascii_alphabetic());
    if is_code {
        last.to_ascii_lowercase()
    } else {
        iri.to_owned()
    }
}

/// Writes the `oai_dc` record of `item`: its IRI as the first identifier, then the DC layer.
pub fn write<W: Write>(
    w: &mut Writer<W>,
    item: &Described,
    labels: &Annotations,
) -> std::io::Result<()> {
    w.create_element("oai_dc:dc")
        .with_attributes([
            ("xmlns:oai_dc", NS),
            ("xmlns:dc", dc::NS),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", &*format!("{NS} {SCHEMA}")),
        ])
        .write_inner_content(|w| {
            w.create_element("dc:identifier")
                .write_text_content(BytesText::new(item.item.as_str()))?;
            for field in FIELDS {
                for value in item.values(field, labels) {
                    let (text, lang) = match value {
                        Value::Text { value, lang } => (value, lang),
                        Value::Resource { iri, label } => match label {
                            Some((label, lang)) => (label, lang),
                            None => (iri, None),
                        },
                    };
                    let element = w.create_element(field.oai_dc);
                    let element = match &lang {
                        Some(lang) => element.with_attribute(("xml:lang", lang.as_str())),
                        None => element,
                    };
                    element.write_text_content(BytesText::new(&text))?;
                }
            }
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::language_code;

    #[test]
    fn language_iris_become_codes() {
        assert_eq!(
            language_code("http://id.loc.gov/vocabulary/iso639-2/fre"),
            "fre"
        );
        assert_eq!(
            language_code("http://publications.europa.eu/resource/authority/language/FRA"),
            "fra"
        );
        assert_eq!(
            language_code("https://example.org/langue/francais"),
            "https://example.org/langue/francais"
        );
    }
}
