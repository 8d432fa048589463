//! Documents on item pages: a dossier's files, and on the page of a work, an event or a
//! specimen, the dossiers that refer to it (`crm:P67_refers_to`) with their audience.
//!
//! The dossiers referring to an item are found with one query for all of them, and only when
//! the first page of incoming links holds a `P67_refers_to`: a painting in ten dossiers costs
//! one store lookup, an item in none costs nothing.

use super::Error;
use super::iri;
use crate::formats;
use crate::labels::{self, Lang};
use crate::store::{Answer, QueryOptions, Referrers, Store};
use crate::vocab::{crm, dcat, dcterms, rdf};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use serde::Serialize;

/// A dossier that refers to an item, as its page lists it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct DocumentView {
    pub href: String,
    pub title: String,
    /// The audiences' labels in the reader's language.
    pub audiences: Vec<String>,
}

/// A dossier referring to an item, as the store gives it: its IRI, titles and audiences.
pub(super) type Referring = (NamedNode, Vec<Term>, Vec<NamedNode>);

/// A file of a dossier, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FileView {
    pub title: String,
    pub href: String,
    /// `application/pdf`.
    pub media_type: String,
    /// "12,4 Ko" / "12.4 kB".
    pub size: Option<String>,
    /// Shown inline (an image), rather than linked.
    pub image: bool,
}

/// The dossiers that refer to `node`, in one query; nothing when no incoming link on the
/// page is a `P67_refers_to` (`incoming` is that page).
pub(super) fn referring(
    store: &Store,
    node: &NamedNode,
    incoming: &Referrers,
) -> Result<Vec<Referring>, Error> {
    if !incoming
        .statements
        .iter()
        .any(|(_, p)| p.as_ref() == crm::P67_REFERS_TO)
    {
        return Ok(Vec::new());
    }
    let query = format!(
        "SELECT ?doc ?title ?audience WHERE {{ ?doc <{}> <{}> ; <{}> <{}> . \
         OPTIONAL {{ ?doc <{}> ?title }} OPTIONAL {{ ?doc <{}> ?audience }} }} ORDER BY ?doc LIMIT 2000",
        crm::P67_REFERS_TO.as_str(),
        node.as_str(),
        rdf::TYPE.as_str(),
        crm::E31_DOCUMENT.as_str(),
        dcterms::TITLE.as_str(),
        dcterms::AUDIENCE.as_str(),
    );
    let Answer::Solutions(rows) = store.query(&query, &QueryOptions::default())? else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Referring> = Vec::new();
    for row in rows {
        let row = row?;
        let Some(Term::NamedNode(doc)) = row[0].clone() else {
            continue;
        };
        if out.last().is_none_or(|(d, ..)| d != &doc) {
            out.push((doc, Vec::new(), Vec::new()));
        }
        let Some((_, titles, audiences)) = out.last_mut() else {
            continue;
        };
        if let Some(title) = row[1].clone().filter(|t| !titles.contains(t)) {
            titles.push(title);
        }
        if let Some(Term::NamedNode(a)) = row[2].clone().filter(|a| match a {
            Term::NamedNode(n) => !audiences.contains(n),
            _ => false,
        }) {
            audiences.push(a);
        }
    }
    Ok(out)
}

/// The views of [`referring`]'s dossiers in `lang`.
pub(super) fn views(base: &str, found: &[Referring], lang: Lang) -> Vec<DocumentView> {
    found
        .iter()
        .map(|(doc, titles, audiences)| DocumentView {
            href: iri::local_path(base, doc.as_str()).unwrap_or_else(|| doc.as_str().to_owned()),
            title: pick(titles, lang).unwrap_or_else(|| doc.as_str().to_owned()),
            audiences: audiences
                .iter()
                .map(|a| {
                    labels::label(a.as_str(), lang)
                        .map_or_else(|| a.as_str().to_owned(), str::to_owned)
                })
                .collect(),
        })
        .collect()
}

/// The literal in `lang`, else any.
fn pick(literals: &[Term], lang: Lang) -> Option<String> {
    let text = |t: &Term| match t {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    };
    literals
        .iter()
        .find(|t| matches!(t, Term::Literal(l) if l.language() == Some(lang.code())))
        .or_else(|| literals.first())
        .and_then(text)
}

/// The files of `subject` (its `dcat:distribution`s) among `triples`, the item's description.
pub(super) fn files(
    base: &str,
    subject: &NamedOrBlankNode,
    triples: &[Triple],
    lang: Lang,
) -> Vec<FileView> {
    let objects = |s: &NamedOrBlankNode, p: oxigraph::model::NamedNodeRef<'_>| {
        triples
            .iter()
            .filter(move |t| &t.subject == s && t.predicate.as_ref() == p)
            .map(|t| t.object.clone())
            .collect::<Vec<Term>>()
    };
    let mut out = Vec::new();
    for distribution in objects(subject, dcat::DISTRIBUTION_PROP) {
        let Term::NamedNode(d) = distribution else {
            continue;
        };
        let d = NamedOrBlankNode::from(d);
        let Some(Term::NamedNode(url)) = objects(&d, dcat::DOWNLOAD_URL).into_iter().next() else {
            continue;
        };
        let media_type = objects(&d, dcat::MEDIA_TYPE)
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => n
                    .as_str()
                    .strip_prefix(formats::IANA_MEDIA_TYPES)
                    .map(str::to_owned),
                _ => None,
            })
            .unwrap_or_else(|| formats::OCTET_STREAM.to_owned());
        let size = objects(&d, dcat::BYTE_SIZE)
            .into_iter()
            .find_map(|t| match t {
                Term::Literal(l) => l.value().parse::<u64>().ok().map(|n| human_size(n, lang)),
                _ => None,
            });
        let href = iri::local_path(base, url.as_str()).unwrap_or_else(|| url.as_str().to_owned());
        let title = pick(&objects(&d, dcterms::TITLE), lang).unwrap_or_else(|| {
            url.as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
        out.push(FileView {
            title,
            image: media_type.starts_with("image/"),
            href,
            media_type,
            size,
        });
    }
    out.sort_by(|a, b| a.href.cmp(&b.href));
    out
}

/// A size for people: "946 o", "12,4 Ko", "3,1 Mo" in French; "946 B", "12.4 kB" in English.
fn human_size(bytes: u64, lang: Lang) -> String {
    let (units, comma) = match lang {
        Lang::Fr => (["o", "Ko", "Mo", "Go"], true),
        Lang::En => (["B", "kB", "MB", "GB"], false),
    };
    if bytes < 1000 {
        return format!("{bytes} {}", units[0]);
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    let text = if comma { text.replace('.', ",") } else { text };
    format!("{text} {}", units[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_each_language() {
        assert_eq!(human_size(946, Lang::Fr), "946 o");
        assert_eq!(human_size(12_400, Lang::Fr), "12,4 Ko");
        assert_eq!(human_size(3_100_000, Lang::En), "3.1 MB");
    }
}
