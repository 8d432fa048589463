//! Europeana: each record of a dataset as an EDM record — an `edm:ProvidedCHO` (the object,
//! described by the DC layer), an `ore:Aggregation` (who provides it, where it is shown, under
//! which rights) and an `edm:WebResource` for its image.
//!
//! Records are derived from the published DC layer every profile writes (see
//! [`super::oai_dc::FIELDS`]), not from a profile's own vocabulary, so any dataset whose items
//! have a Europeana type and a licence Europeana accepts gets records. What Europeana requires
//! and the DC layer may lack is filled in from what is known, never invented: a text without
//! `dc:language` gets `und` (undetermined), an item without subject, type, place or period gets
//! its class as `dc:type`. An item has no record
//! ([`Refusal`]) when its classes name nothing Europeana aggregates (a performance, a person),
//! when it has neither title nor description (Europeana requires one), or when its licence has
//! no Europeana statement (see [`rights`]).
//!
//! The XML is written by hand rather than by an RDF/XML serialiser: Europeana validates records
//! against its XML schema (EDM-EXTERNAL), which wants typed node elements (`<edm:ProvidedCHO
//! rdf:about>`), not the `<rdf:Description>` a generic serialiser writes; it is still RDF/XML,
//! and the tests read it back as such.

pub mod dump;
mod rights;

pub use rights::{LICENCE_OUVERTE_AS, europeana_rights};

use super::oai_dc::{Described, FIELDS, Value, label};
use crate::config::Config;
use crate::store::{Annotations, Answer, Error, QueryOptions, Store, items};
use crate::vocab::{crm, dc, dcmitype, dcterms, edm, foaf, lrmoo, ore, rdf, rdfs, schema};
use oxigraph::model::{NamedNode, Term};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;

/// Europeana's five types of digital object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdmType {
    Image,
    Text,
    Sound,
    Video,
    ThreeD,
}

impl EdmType {
    /// The value of `edm:type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "IMAGE",
            Self::Text => "TEXT",
            Self::Sound => "SOUND",
            Self::Video => "VIDEO",
            Self::ThreeD => "3D",
        }
    }
}

/// Classes (namespace, local name) and the Europeana type of their instances, media types
/// first: a recording typed both `dcmitype:Sound` and `crm:E73_Information_Object` is SOUND.
/// Europeana's type is that of the digital representation, not of the page's layout (the
/// server's `kinds` table), hence a table of its own. Events, people and places are not
/// objects Europeana aggregates, and have none.
const TYPES: &[(&str, &str, EdmType)] = &[
    (dcmitype::NS, "MovingImage", EdmType::Video),
    (schema::NS, "VideoObject", EdmType::Video),
    (schema::NS, "Movie", EdmType::Video),
    (dcmitype::NS, "Sound", EdmType::Sound),
    (schema::NS, "AudioObject", EdmType::Sound),
    (schema::NS, "MusicRecording", EdmType::Sound),
    (schema::NS, "3DModel", EdmType::ThreeD),
    (dcmitype::NS, "StillImage", EdmType::Image),
    (dcmitype::NS, "Image", EdmType::Image),
    (schema::NS, "VisualArtwork", EdmType::Image),
    (schema::NS, "Photograph", EdmType::Image),
    (dcmitype::NS, "Text", EdmType::Text),
    (dcterms::NS, "BibliographicResource", EdmType::Text),
    (schema::NS, "Book", EdmType::Text),
    (lrmoo::NS, "F3_Manifestation", EdmType::Text),
    (lrmoo::NS, "F1_Work", EdmType::Text),
    (crm::NS, "E22_Human-Made_Object", EdmType::Image),
    (crm::NS, "E24_Physical_Human-Made_Thing", EdmType::Image),
    (crm::NS, "E73_Information_Object", EdmType::Text),
];

/// The Europeana type of an item of classes `types`.
pub fn edm_type(types: &[&str]) -> Option<EdmType> {
    TYPES.iter().find_map(|(ns, local, kind)| {
        types
            .iter()
            .any(|t| t.strip_prefix(ns) == Some(local))
            .then_some(*kind)
    })
}

/// Why an item has no Europeana record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("none of its classes is a kind of object Europeana aggregates")]
    NoType,
    #[error("its licence <{0}> has no Europeana rights statement")]
    Rights(String),
    #[error("it has neither a title nor a description, one of which Europeana requires")]
    Untitled,
}

/// The type and rights of an item's record: from its classes, and from its own
/// `dcterms:license` (the first, in order) or else its dataset's licence. `named`: whether the
/// item has a title, label or description.
pub fn eligibility(
    types: &[&str],
    licences: &[&str],
    named: bool,
    dataset_licence: &str,
) -> Result<(EdmType, String), Refusal> {
    let kind = edm_type(types).ok_or(Refusal::NoType)?;
    if !named {
        return Err(Refusal::Untitled);
    }
    let mut licences = licences.to_vec();
    licences.sort_unstable();
    let licence = licences.first().copied().unwrap_or(dataset_licence);
    let rights = europeana_rights(licence).ok_or_else(|| Refusal::Rights(licence.to_owned()))?;
    Ok((kind, rights))
}

/// Who provides a dataset's records.
pub struct Context<'a> {
    /// The publisher: `edm:provider`, and `edm:dataProvider` when an item names no keeper.
    pub publisher: &'a str,
    /// The dataset's licence, for items without their own.
    pub licence: &'a str,
}

impl<'a> Context<'a> {
    /// The context of the dataset `id` of `config`.
    pub fn of(config: &'a Config, id: &str) -> Option<Self> {
        Some(Self {
            publisher: &config.publisher.name,
            licence: config.dataset(id)?.license.as_str(),
        })
    }
}

/// The items, among those of the publication, that have a Europeana record: one query over
/// their classes and licences, so a harvester's list is known without reading each item.
pub fn eligible(store: &Store, config: &Config) -> Result<HashSet<NamedNode>, Error> {
    let prefix = store.names().items();
    let query = format!(
        "SELECT ?s ?t ?l ?named WHERE {{ ?s a ?t OPTIONAL {{ ?s <{}> ?l }} \
         BIND(EXISTS {{ ?s <{}>|<{}>|<{}> ?name }} AS ?named) \
         FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{prefix}\")) }}",
        dcterms::LICENSE.as_str(),
        dcterms::TITLE.as_str(),
        rdfs::LABEL.as_str(),
        dcterms::DESCRIPTION.as_str(),
    );
    let Answer::Solutions(rows) = store.query(&query, &QueryOptions::default())? else {
        return Ok(HashSet::new());
    };
    let mut found: BTreeMap<NamedNode, (Vec<String>, Vec<String>, bool)> = BTreeMap::new();
    for row in rows {
        let row = row?;
        let (Some(Some(Term::NamedNode(s))), Some(Some(Term::NamedNode(t)))) =
            (row.first(), row.get(1))
        else {
            continue;
        };
        let entry = found.entry(s.clone()).or_default();
        entry.0.push(t.as_str().to_owned());
        if let Some(Some(Term::NamedNode(l))) = row.get(2) {
            entry.1.push(l.as_str().to_owned());
        }
        if let Some(Some(Term::Literal(named))) = row.get(3) {
            entry.2 |= named.value() == "true";
        }
    }
    let view = store.published();
    Ok(found
        .into_iter()
        .filter(|(s, (types, licences, named))| {
            let Some(d) = items::dataset_of(s.as_str(), store.names(), view.datasets()) else {
                return false;
            };
            let Some(ctx) = Context::of(config, &d.id) else {
                return false;
            };
            let licences: Vec<&str> = licences.iter().map(String::as_str).collect();
            let types: Vec<&str> = types.iter().map(String::as_str).collect();
            eligibility(&types, &licences, *named, ctx.licence).is_ok()
        })
        .map(|(s, _)| s)
        .collect())
}

/// One Europeana record.
#[derive(Debug, Clone)]
pub struct Record {
    pub cho: NamedNode,
    pub edm_type: EdmType,
    /// The rights statement, `http://…/`.
    pub rights: String,
    /// The CHO's DC elements (`dc:title`…) in order.
    pub fields: Vec<(&'static str, Value)>,
    pub data_provider: String,
    pub provider: String,
    /// The image, when the item has one.
    pub image: Option<String>,
}

impl Record {
    /// The record of `item`, or why it has none.
    pub fn new(item: &Described, labels: &Annotations, ctx: &Context<'_>) -> Result<Self, Refusal> {
        let types = item.iris(rdf::TYPE);
        let licences = item.iris(dcterms::LICENSE);
        let named = [dcterms::TITLE, rdfs::LABEL, dcterms::DESCRIPTION]
            .into_iter()
            .any(|p| !item.objects(p).is_empty());
        let (kind, rights) = eligibility(&types, &licences, named, ctx.licence)?;
        let mut fields = Vec::new();
        for field in FIELDS {
            let Some(element) = field.edm else { continue };
            fields.extend(item.values(field, labels).into_iter().map(|v| (element, v)));
        }
        // Europeana requires one of dc:subject, dc:type, dcterms:spatial, dcterms:temporal: an
        // item with none is typed by the class that made its Europeana type (a true statement,
        // and a resource Europeana can look up).
        let classified = [
            "dc:subject",
            "dc:type",
            "dcterms:spatial",
            "dcterms:temporal",
        ];
        if !fields.iter().any(|(e, _)| classified.contains(e)) {
            if let Some(class) = types
                .iter()
                .copied()
                .find(|t| edm_type(&[*t]) == Some(kind))
            {
                fields.push((
                    "dc:type",
                    Value::Resource {
                        iri: class.to_owned(),
                        label: None,
                    },
                ));
            }
        }
        // Europeana requires a language for texts; ISO 639-2 `und` says it is not known.
        if kind == EdmType::Text && !fields.iter().any(|(e, _)| *e == "dc:language") {
            fields.push((
                "dc:language",
                Value::Text {
                    value: "und".into(),
                    lang: None,
                },
            ));
        }
        let keeper = item
            .objects(crm::P50_HAS_CURRENT_KEEPER)
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => label(labels, n).map(|(l, _)| l),
                _ => None,
            });
        let image = [
            edm::IS_SHOWN_BY,
            foaf::DEPICTION,
            crm::P138I_HAS_REPRESENTATION,
        ]
        .into_iter()
        .find_map(|p| {
            item.iris(p)
                .into_iter()
                .find(|i| !crate::store::is_part_of(i, item.item.as_str()))
                .map(str::to_owned)
        });
        Ok(Self {
            cho: item.item.clone(),
            edm_type: kind,
            rights,
            fields,
            data_provider: keeper.unwrap_or_else(|| ctx.publisher.to_owned()),
            provider: ctx.publisher.to_owned(),
            image,
        })
    }

    /// The aggregation's IRI: a fragment of the item's, so it names nothing else published.
    pub fn aggregation(&self) -> String {
        format!("{}#aggregation", self.cho.as_str())
    }

    /// Writes the record as an `rdf:RDF` element.
    pub fn write<W: Write>(&self, w: &mut Writer<W>) -> std::io::Result<()> {
        w.create_element("rdf:RDF")
            .with_attributes([
                ("xmlns:rdf", rdf::NS),
                ("xmlns:dc", dc::NS),
                ("xmlns:dcterms", dcterms::NS),
                ("xmlns:edm", edm::NS),
                ("xmlns:ore", ore::NS),
            ])
            .write_inner_content(|w| {
                w.create_element("edm:ProvidedCHO")
                    .with_attribute(("rdf:about", self.cho.as_str()))
                    .write_inner_content(|w| {
                        for (element, value) in &self.fields {
                            write_value(w, element, value)?;
                        }
                        w.create_element("edm:type")
                            .write_text_content(BytesText::new(self.edm_type.as_str()))?;
                        Ok(())
                    })?;
                w.create_element("ore:Aggregation")
                    .with_attribute(("rdf:about", self.aggregation().as_str()))
                    .write_inner_content(|w| {
                        resource(w, "edm:aggregatedCHO", self.cho.as_str())?;
                        w.create_element("edm:dataProvider")
                            .write_text_content(BytesText::new(&self.data_provider))?;
                        resource(w, "edm:isShownAt", self.cho.as_str())?;
                        if let Some(image) = &self.image {
                            resource(w, "edm:isShownBy", image)?;
                        }
                        w.create_element("edm:provider")
                            .write_text_content(BytesText::new(&self.provider))?;
                        resource(w, "edm:rights", &self.rights)
                    })?;
                if let Some(image) = &self.image {
                    w.create_element("edm:WebResource")
                        .with_attribute(("rdf:about", image.as_str()))
                        .write_inner_content(|w| resource(w, "edm:rights", &self.rights))?;
                }
                Ok(())
            })?;
        Ok(())
    }

    /// The record as a whole RDF/XML document.
    pub fn to_xml(&self) -> Vec<u8> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        let written = w
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .and_then(|()| self.write(&mut w));
        // Writing to memory does not fail.
        debug_assert!(written.is_ok());
        let mut out = w.into_inner();
        out.push(b'\n');
        out
    }
}

fn resource<W: Write>(w: &mut Writer<W>, element: &str, iri: &str) -> std::io::Result<()> {
    w.create_element(element)
        .with_attribute(("rdf:resource", iri))
        .write_empty()?;
    Ok(())
}

/// A DC value: a literal as text, a resource by its label when it has one (what Europeana
/// shows), else by reference.
fn write_value<W: Write>(w: &mut Writer<W>, element: &str, value: &Value) -> std::io::Result<()> {
    let (text, lang) = match value {
        Value::Text { value, lang } => (value, lang),
        Value::Resource {
            label: Some((label, lang)),
            ..
        } => (label, lang),
        Value::Resource { iri, label: None } => return resource(w, element, iri),
    };
    let e = w.create_element(element);
    let e = match lang {
        Some(lang) => e.with_attribute(("xml:lang", lang.as_str())),
        None => e,
    };
    e.write_text_content(BytesText::new(text))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_rights_decide_eligibility() {
        let painting = [crm::E22_HUMAN_MADE_OBJECT.as_str()];
        let etalab = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
        assert_eq!(
            eligibility(&painting, &[], true, etalab),
            Ok((EdmType::Image, LICENCE_OUVERTE_AS.to_owned()))
        );
        assert_eq!(
            eligibility(&painting, &[], false, etalab),
            Err(Refusal::Untitled)
        );
        let event = ["http://www.cidoc-crm.org/cidoc-crm/E7_Activity"];
        assert_eq!(eligibility(&event, &[], true, etalab), Err(Refusal::NoType));
        let odbl = "https://opendatacommons.org/licenses/odbl/1-0/";
        assert_eq!(
            eligibility(&painting, &[odbl], true, etalab),
            Err(Refusal::Rights(odbl.into()))
        );
        let book = [
            "http://www.cidoc-crm.org/cidoc-crm/E73_Information_Object",
            "http://purl.org/dc/dcmitype/Sound",
        ];
        assert_eq!(edm_type(&book), Some(EdmType::Sound));
    }

    fn described(
        item: &str,
        statements: &[(oxigraph::model::NamedNodeRef<'_>, Term)],
    ) -> Described {
        let item = NamedNode::new_unchecked(item);
        Described {
            triples: statements
                .iter()
                .map(|(p, o)| oxigraph::model::Triple::new(item.clone(), *p, o.clone()))
                .collect(),
            item,
        }
    }

    /// The record written as RDF/XML and read back.
    fn parsed(record: &Record) -> oxigraph::model::Graph {
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::RdfXml)
            .for_slice(&record.to_xml())
            .map(|q| q.map(oxigraph::model::Triple::from))
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn what_europeana_requires_is_filled_in_from_what_is_known() {
        use oxigraph::model::{Literal, NamedNodeRef};
        let ctx = Context {
            publisher: "Ville & Cie <musées>",
            licence: "https://creativecommons.org/publicdomain/zero/1.0/",
        };
        let painting = described(
            "https://d.org/id/x/1",
            &[
                (rdf::TYPE, crm::E22_HUMAN_MADE_OBJECT.into_owned().into()),
                (
                    dcterms::TITLE,
                    Literal::new_language_tagged_literal_unchecked("« L'été » & <co>", "fr").into(),
                ),
            ],
        );
        let record = Record::new(&painting, &Annotations::default(), &ctx).unwrap();
        assert_eq!(
            record.rights,
            "http://creativecommons.org/publicdomain/zero/1.0/"
        );
        let g = parsed(&record);
        let cho = NamedNodeRef::new_unchecked("https://d.org/id/x/1");
        let title = g
            .object_for_subject_predicate(
                cho,
                NamedNodeRef::new_unchecked(&format!("{}title", dc::NS)),
            )
            .unwrap();
        assert_eq!(title.to_string(), "\"« L'été » & <co>\"@fr");
        let kind = g
            .object_for_subject_predicate(
                cho,
                NamedNodeRef::new_unchecked(&format!("{}type", dc::NS)),
            )
            .unwrap();
        assert_eq!(kind, crm::E22_HUMAN_MADE_OBJECT.into());
        let aggregation = NamedNodeRef::new_unchecked("https://d.org/id/x/1#aggregation");
        let provider = g
            .object_for_subject_predicate(aggregation, edm::PROVIDER)
            .unwrap();
        assert_eq!(provider.to_string(), "\"Ville & Cie <musées>\"");
        // No image: no isShownBy, no web resource.
        assert!(
            g.object_for_subject_predicate(aggregation, edm::IS_SHOWN_BY)
                .is_none()
        );
        assert_eq!(
            g.subjects_for_predicate_object(rdf::TYPE, edm::WEB_RESOURCE)
                .count(),
            0
        );

        let book = described(
            "https://d.org/id/x/2",
            &[
                (
                    rdf::TYPE,
                    NamedNode::new_unchecked("http://purl.org/dc/terms/BibliographicResource")
                        .into(),
                ),
                (dcterms::TITLE, Literal::new_simple_literal("Livre").into()),
                (
                    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/type"),
                    Literal::new_simple_literal("texte").into(),
                ),
            ],
        );
        let g = parsed(&Record::new(&book, &Annotations::default(), &ctx).unwrap());
        let book = NamedNodeRef::new_unchecked("https://d.org/id/x/2");
        let language = g.object_for_subject_predicate(book, dc::LANGUAGE).unwrap();
        assert_eq!(language.to_string(), "\"und\"");
        let kind = g.object_for_subject_predicate(book, edm::TYPE).unwrap();
        assert_eq!(kind.to_string(), "\"TEXT\"");
    }
}
