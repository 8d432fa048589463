//! `[catalog]` and each dataset's catalogue keys: what the DCAT-AP catalogue says that the
//! store cannot know (titles, contact, themes, coverage, update frequency).
//!
//! The catalogue is on when `[catalog]` is present. Then every value a portal requires must be
//! there, and a missing one is an error naming its key when the config loads: a harvester that
//! drops a dataset for lack of an English description does not say why. Coded values (themes,
//! frequencies, access rights, languages) are checked against the EU authority tables.

use super::Text;
use crate::authority::{self, Table};
use oxigraph::model::NamedNode;
use serde::Deserialize;

/// Datasets per catalogue page when `page_size` is not given.
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// The catalogue's own description.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub title: Text,
    pub description: Text,
    /// The publisher's site (`foaf:homepage` of the catalogue).
    pub homepage: NamedNode,
    /// The licence of the catalogue's own metadata.
    pub license: NamedNode,
    /// EU language codes (`FRA`) of the catalogue and, by default, of its datasets.
    pub languages: Vec<&'static str>,
    pub themes: Vec<&'static str>,
    pub page_size: usize,
    pub contact: Contact,
    /// EU access-right code of every dataset.
    pub access_rights: &'static str,
    /// A statement of rights over the distributions (`dct:rights`).
    pub rights: Option<Text>,
    /// The datasets' update frequency (EU code) unless one says otherwise.
    pub accrual_periodicity: &'static str,
    /// The place the datasets cover unless one says otherwise (the city).
    pub spatial: Option<Spatial>,
}

/// Who answers questions about the data (`dcat:contactPoint`, a vCard).
#[derive(Debug, Clone)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// A place the data covers: an IRI (GeoNames, INSEE…) and, for map search, its geometry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spatial {
    pub iri: String,
    /// WKT in WGS 84 longitude/latitude (`POINT(4.83 45.76)`).
    pub wkt: Option<String>,
}

/// A dataset's catalogue keys, with the catalogue's defaults applied.
#[derive(Debug, Clone, Default)]
pub struct DatasetCatalog {
    /// (language tag, keyword).
    pub keywords: Vec<(&'static str, String)>,
    pub themes: Vec<&'static str>,
    pub accrual_periodicity: &'static str,
    pub spatial: Option<Spatial>,
    /// Start and end (`xsd:date` or `xsd:gYear`) when the config gives them; otherwise the
    /// catalogue computes the span from the data.
    pub temporal: Option<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalog {
    #[serde(default)]
    title: Text,
    #[serde(default)]
    description: Text,
    homepage: Option<String>,
    license: Option<String>,
    languages: Option<Vec<String>>,
    themes: Option<Vec<String>>,
    page_size: Option<usize>,
    contact: Option<RawContact>,
    access_rights: Option<String>,
    accrual_periodicity: Option<String>,
    spatial: Option<Spatial>,
    rights: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: Option<String>,
    email: Option<String>,
}

/// The catalogue keys of `[[datasets]]`.
pub(super) struct RawDatasetCatalog {
    pub(super) keywords: Option<Keywords>,
    pub(super) themes: Option<Vec<String>>,
    pub(super) accrual_periodicity: Option<String>,
    pub(super) spatial: Option<Spatial>,
    pub(super) temporal: Option<RawTemporal>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Keywords {
    #[serde(default)]
    fr: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTemporal {
    start: String,
    end: String,
}

/// A config problem: the dotted key and what is wrong.
pub(super) type Problem = (String, String);

fn code(table: &Table, key: &str, value: &str) -> Result<&'static str, Problem> {
    table
        .codes
        .iter()
        .find(|c| **c == value)
        .copied()
        .ok_or_else(|| {
            (
                key.to_owned(),
                format!(
                    "`{value}` is not a code of the EU {} table ({})",
                    table.name,
                    table.list()
                ),
            )
        })
}

fn codes(table: &Table, key: &str, values: &[String]) -> Result<Vec<&'static str>, Problem> {
    values.iter().map(|v| code(table, key, v)).collect()
}

/// Both translations of a text the catalogue requires.
fn both(text: &Text, key: &str) -> Result<(), Problem> {
    for (lang, value) in [("fr", &text.fr), ("en", &text.en)] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            return Err((
                format!("{key}.{lang}"),
                "is required when the config has a `[catalog]` (portals show it)".into(),
            ));
        }
    }
    Ok(())
}

fn spatial(s: Option<Spatial>, key: &str) -> Result<Option<Spatial>, Problem> {
    let Some(s) = s else { return Ok(None) };
    NamedNode::new(&s.iri).map_err(|e| (format!("{key}.iri"), format!("not an IRI: {e}")))?;
    if let Some(wkt) = &s.wkt {
        let kind = wkt
            .split('(')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        let known = [
            "POINT",
            "POLYGON",
            "MULTIPOLYGON",
            "LINESTRING",
            "MULTIPOINT",
        ];
        if !known.contains(&kind.as_str()) || !wkt.trim_end().ends_with(')') {
            return Err((
                format!("{key}.wkt"),
                format!("`{wkt}` is not WKT like POINT(4.83 45.76)"),
            ));
        }
    }
    Ok(Some(s))
}

fn date(value: &str, key: &str) -> Result<String, Problem> {
    let ok =
        value.parse::<oxsdatatypes::Date>().is_ok() || value.parse::<oxsdatatypes::GYear>().is_ok();
    if ok {
        Ok(value.to_owned())
    } else {
        Err((
            key.to_owned(),
            format!("`{value}` is not a date (1850-01-01) or a year (1850)"),
        ))
    }
}

impl RawCatalog {
    /// Checks `[catalog]`; `publisher` gives the defaults of the contact and homepage.
    pub(super) fn check(
        self,
        publisher: &super::Publisher,
        base_iri: &NamedNode,
    ) -> Result<Catalog, Problem> {
        both(&self.title, "catalog.title")?;
        both(&self.description, "catalog.description")?;
        let homepage = self
            .homepage
            .or_else(|| publisher.homepage.clone())
            .unwrap_or_else(|| base_iri.as_str().to_owned());
        let homepage = NamedNode::new(&homepage)
            .map_err(|e| ("catalog.homepage".to_owned(), format!("not an IRI: {e}")))?;
        let license = NamedNode::new(
            self.license
                .as_deref()
                .unwrap_or(authority::LICENCE_OUVERTE),
        )
        .map_err(|e| ("catalog.license".to_owned(), format!("not an IRI: {e}")))?;
        let tags = self.languages.unwrap_or_else(|| vec!["fr".into()]);
        let languages = tags
            .iter()
            .map(|t| {
                authority::language_code(t).ok_or_else(|| {
                    (
                        "catalog.languages".to_owned(),
                        format!(
                            "`{t}` is not a language tag vitrine knows ({})",
                            authority::LANGUAGE_TAGS
                                .iter()
                                .map(|(t, _)| *t)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let themes = codes(
            &authority::THEMES,
            "catalog.themes",
            &self.themes.unwrap_or_else(|| vec!["EDUC".into()]),
        )?;
        let page_size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=1000).contains(&page_size) {
            return Err((
                "catalog.page_size".into(),
                "must be between 1 and 1000".into(),
            ));
        }
        let raw_contact = self.contact.unwrap_or(RawContact {
            name: None,
            email: None,
        });
        let email = raw_contact
            .email
            .or_else(|| publisher.email.clone())
            .ok_or_else(|| {
                (
                    "catalog.contact.email".to_owned(),
                    "is required (or `publisher.email`): portals show a contact point".to_owned(),
                )
            })?;
        if !email.contains('@') || email.contains(char::is_whitespace) {
            return Err((
                "catalog.contact.email".into(),
                format!("`{email}` is not an e-mail address"),
            ));
        }
        let contact = Contact {
            name: raw_contact.name.unwrap_or_else(|| publisher.name.clone()),
            email,
        };
        let access_rights = code(
            &authority::ACCESS_RIGHTS,
            "catalog.access_rights",
            self.access_rights.as_deref().unwrap_or("PUBLIC"),
        )?;
        let accrual_periodicity = code(
            &authority::FREQUENCIES,
            "catalog.accrual_periodicity",
            self.accrual_periodicity.as_deref().unwrap_or("IRREG"),
        )?;
        Ok(Catalog {
            title: self.title,
            description: self.description,
            homepage,
            license,
            languages,
            themes,
            page_size,
            contact,
            access_rights,
            rights: self.rights,
            accrual_periodicity,
            spatial: spatial(self.spatial, "catalog.spatial")?,
        })
    }
}

impl RawDatasetCatalog {
    /// Checks one dataset's keys (`prefix` is `datasets[2]`), with the catalogue's defaults.
    pub(super) fn check(
        self,
        prefix: &str,
        catalog: Option<&Catalog>,
        title: &Text,
        description: &Text,
    ) -> Result<DatasetCatalog, Problem> {
        let key = |k: &str| format!("{prefix}.{k}");
        if catalog.is_some() {
            both(title, &key("title"))?;
            both(description, &key("description"))?;
        }
        let keywords = self.keywords.unwrap_or_default();
        let keywords = (keywords.fr.into_iter().map(|k| ("fr", k)))
            .chain(keywords.en.into_iter().map(|k| ("en", k)))
            .filter(|(_, k)| !k.trim().is_empty())
            .collect();
        let themes = match self.themes {
            Some(t) => codes(&authority::THEMES, &key("themes"), &t)?,
            None => catalog.map(|c| c.themes.clone()).unwrap_or_default(),
        };
        let accrual_periodicity = match self.accrual_periodicity {
            Some(p) => code(&authority::FREQUENCIES, &key("accrual_periodicity"), &p)?,
            None => catalog.map_or("IRREG", |c| c.accrual_periodicity),
        };
        let temporal = self
            .temporal
            .map(|t| {
                Ok::<_, Problem>((
                    date(&t.start, &key("temporal.start"))?,
                    date(&t.end, &key("temporal.end"))?,
                ))
            })
            .transpose()?;
        Ok(DatasetCatalog {
            keywords,
            themes,
            accrual_periodicity,
            spatial: spatial(self.spatial, &key("spatial"))?
                .or_else(|| catalog.and_then(|c| c.spatial.clone())),
            temporal,
        })
    }
}
