//! Human labels and one-line definitions for the vocabulary terms vitrine publishes, so pages can
//! say "a été produit par" / "was produced by" instead of `crm:P108i_was_produced_by`.
//!
//! Used by the server's HTML pages; calls no pipeline stage. The term tables are the Turtle files
//! of `ontologies/` (one per vocabulary, `rdfs:label` and `skos:definition` in French and
//! English). They are compiled into the binary and parsed once, on first use, with Oxigraph's
//! Turtle parser.
//!
//! Why Turtle and not CSV: a table is then plain RDF that reviewers read like the data it labels,
//! that language tags make unambiguous, that the store could serve as is, and that needs no
//! parser beyond the one vitrine already has.

use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::{NamedNode, Term};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The embedded term tables: file name and Turtle text.
pub const TABLES: &[(&str, &str)] = &[
    ("crm.ttl", include_str!("../ontologies/crm.ttl")),
    ("lrmoo.ttl", include_str!("../ontologies/lrmoo.ttl")),
    ("dcterms.ttl", include_str!("../ontologies/dcterms.ttl")),
    ("dc.ttl", include_str!("../ontologies/dc.ttl")),
    ("dcmitype.ttl", include_str!("../ontologies/dcmitype.ttl")),
    ("edm.ttl", include_str!("../ontologies/edm.ttl")),
    ("dcat.ttl", include_str!("../ontologies/dcat.ttl")),
    ("foaf.ttl", include_str!("../ontologies/foaf.ttl")),
    ("core.ttl", include_str!("../ontologies/core.ttl")),
    (
        "provenance.ttl",
        include_str!("../ontologies/provenance.ttl"),
    ),
    ("vitrine.ttl", include_str!("../ontologies/vitrine.ttl")),
    ("dwc.ttl", include_str!("../ontologies/dwc.ttl")),
    ("audience.ttl", include_str!("../ontologies/audience.ttl")),
];

const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const DEFINITION: &str = "http://www.w3.org/2004/02/skos/core#definition";

/// A language the term tables are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// French, the default.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Every language the tables carry.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 tag, as written in the tables and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    fn from_code(tag: &str) -> Option<Self> {
        let primary = tag.split('-').next()?;
        if primary.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language to show for an `Accept-Language` header: the one of French and English the
    /// reader ranks higher (RFC 9110 quality values, ties to the earlier entry), else French.
    ///
    /// French is the default because the demo publisher, its records and the page text are
    /// French; a reader who asks for English first still gets English labels.
    ///
    /// ```
    /// use vitrine::labels::Lang;
    /// assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9,fr;q=0.8")), Lang::En);
    /// assert_eq!(Lang::from_accept_language(Some("de, en;q=0.5, fr;q=0.7")), Lang::Fr);
    /// assert_eq!(Lang::from_accept_language(Some("de")), Lang::Fr);
    /// assert_eq!(Lang::from_accept_language(None), Lang::Fr);
    /// ```
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let mut best: Option<(f32, Lang)> = None;
        for entry in header.unwrap_or_default().split(',') {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(|t| Lang::from_code(t.trim())) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Lang::Fr, |(_, lang)| lang)
    }
}

/// What the tables say about one term, per language.
#[derive(Debug, Default, Clone)]
pub struct TermText {
    labels: [Option<String>; 2],
    definitions: [Option<String>; 2],
}

impl TermText {
    /// The label in `lang`, if the table has one.
    pub fn label(&self, lang: Lang) -> Option<&str> {
        self.labels[lang as usize].as_deref()
    }

    /// The definition in `lang`, if the table has one.
    pub fn definition(&self, lang: Lang) -> Option<&str> {
        self.definitions[lang as usize].as_deref()
    }
}

/// A term table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Turtle of a table does not parse.
    #[error("ontologies/{file}: {source}")]
    Syntax {
        file: String,
        #[source]
        source: RdfSyntaxError,
    },
    /// A table gives a term two labels or two definitions in the same language.
    #[error("ontologies/{file}: <{term}> has more than one {what} in `{lang}`")]
    Duplicate {
        file: String,
        term: String,
        what: &'static str,
        lang: &'static str,
    },
}

/// Terms by IRI.
#[derive(Debug, Default)]
pub struct Labels {
    terms: FxHashMap<String, TermText>,
}

impl Labels {
    /// Reads the embedded tables, failing on the first error.
    pub fn embedded() -> Result<Self, Error> {
        let mut labels = Labels::default();
        for (file, text) in TABLES {
            labels.add(file, text)?;
        }
        Ok(labels)
    }

    /// Adds the terms of one Turtle table. Triples other than French or English `rdfs:label` and
    /// `skos:definition` literals are ignored, so tables may carry types and comments.
    pub fn add(&mut self, file: &str, turtle: &str) -> Result<(), Error> {
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle) {
            let quad = quad.map_err(|source| Error::Syntax {
                file: file.to_owned(),
                source,
            })?;
            let (Term::Literal(literal), oxigraph::model::NamedOrBlankNode::NamedNode(subject)) =
                (&quad.object, &quad.subject)
            else {
                continue;
            };
            let Some(lang) = literal.language().and_then(Lang::from_code) else {
                continue;
            };
            let text = self.terms.entry(subject.as_str().to_owned()).or_default();
            let (slot, what) = match quad.predicate.as_str() {
                LABEL => (&mut text.labels[lang as usize], "rdfs:label"),
                DEFINITION => (&mut text.definitions[lang as usize], "skos:definition"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(Error::Duplicate {
                    file: file.to_owned(),
                    term: subject.as_str().to_owned(),
                    what,
                    lang: lang.code(),
                });
            }
            *slot = Some(literal.value().to_owned());
        }
        Ok(())
    }

    /// What the tables say about `iri`.
    pub fn get(&self, iri: &str) -> Option<&TermText> {
        self.terms.get(iri)
    }

    /// Every labelled term, by IRI.
    pub fn iter(&self) -> impl Iterator<Item = (NamedNode, &TermText)> {
        self.terms
            .iter()
            .map(|(iri, text)| (NamedNode::new_unchecked(iri.as_str()), text))
    }
}

/// The embedded tables, parsed on first use. A broken table (caught by the tests) is logged and
/// leaves the pages showing compact names rather than failing them.
fn embedded() -> &'static Labels {
    static LABELS: LazyLock<Labels> = LazyLock::new(|| {
        Labels::embedded().unwrap_or_else(|e| {
            tracing::error!("vocabulary labels unavailable: {e}");
            Labels::default()
        })
    });
    &LABELS
}

/// The label of a vocabulary term in `lang`.
///
/// ```
/// use vitrine::labels::{Lang, label};
/// let p108i = "http://www.cidoc-crm.org/cidoc-crm/P108i_was_produced_by";
/// assert_eq!(label(p108i, Lang::Fr), Some("a été produit par"));
/// assert_eq!(label(p108i, Lang::En), Some("was produced by"));
/// assert_eq!(label("http://example.org/unknown", Lang::Fr), None);
/// ```
pub fn label(iri: &str, lang: Lang) -> Option<&'static str> {
    embedded().get(iri)?.label(lang)
}

/// The one-line definition of a vocabulary term in `lang`, written by the project.
///
/// ```
/// use vitrine::labels::{Lang, definition};
/// let e22 = "http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object";
/// assert!(definition(e22, Lang::En).is_some_and(|d| d.contains("made by people")));
/// assert!(definition(e22, Lang::Fr).is_some_and(|d| d.contains("fabriqué par l'humain")));
/// ```
pub fn definition(iri: &str, lang: Lang) -> Option<&'static str> {
    embedded().get(iri)?.definition(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses_and_labels_every_term_in_both_languages() {
        let labels = Labels::embedded().unwrap();
        let mut n = 0;
        for (iri, text) in labels.iter() {
            for lang in Lang::ALL {
                assert!(text.label(lang).is_some(), "{iri} has no {lang:?} label");
                assert!(
                    text.definition(lang).is_some(),
                    "{iri} has no {lang:?} definition"
                );
            }
            n += 1;
        }
        assert!(n > 300, "{n} terms");
    }

    #[test]
    fn duplicate_labels_are_reported_with_the_term() {
        let mut labels = Labels::default();
        let err = labels
            .add(
                "x.ttl",
                "<http://e/p> <http://www.w3.org/2000/01/rdf-schema#label> \"a\"@fr, \"b\"@fr .",
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ontologies/x.ttl: <http://e/p> has more than one rdfs:label in `fr`"
        );
        let err = labels
            .add("y.ttl", "<http://e/p> <http://e/q> .")
            .unwrap_err();
        assert!(err.to_string().starts_with("ontologies/y.ttl: "), "{err}");
    }

    #[test]
    fn accept_language_quality_and_default() {
        let pick = |h| Lang::from_accept_language(Some(h));
        assert_eq!(pick("en-US,en;q=0.9"), Lang::En);
        assert_eq!(pick("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(pick("en;q=0.4, fr;q=0.6"), Lang::Fr);
        assert_eq!(pick("fr;q=0, en;q=0.1"), Lang::En);
        assert_eq!(pick("EN"), Lang::En);
        assert_eq!(pick("*"), Lang::Fr);
        assert_eq!(pick("en;q=bogus"), Lang::Fr);
        assert_eq!(pick(""), Lang::Fr);
    }
}
