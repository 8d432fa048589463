//! VoID: what a dataset holds (triples, entities, classes, properties, links to the big
//! authority hubs), computed once per publication while its dump is written, and the VoID
//! description built from it.
//!
//! Link counts are what heritage aggregators look at first ("how many of your agents are
//! aligned with Wikidata, IdRef, the BnF, VIAF?"), so each target hub is a `void:Linkset` per
//! linking predicate.

use super::dump::Manifest;
use crate::store::Names;
use crate::vocab::{crm, dcterms, geo, rdf, schema, void, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

/// The hubs links are counted to: a name, the hub's own IRI (`void:objectsTarget`) and the
/// IRI prefixes of its resources.
pub const LINK_TARGETS: &[(&str, &str, &[&str])] = &[
    (
        "wikidata",
        "https://www.wikidata.org/",
        &[
            "http://www.wikidata.org/entity/",
            "https://www.wikidata.org/entity/",
            "https://www.wikidata.org/wiki/",
        ],
    ),
    (
        "idref",
        "https://www.idref.fr/",
        &["https://www.idref.fr/", "http://www.idref.fr/"],
    ),
    (
        "bnf",
        "https://data.bnf.fr/",
        &[
            "https://data.bnf.fr/",
            "http://data.bnf.fr/",
            "https://catalogue.bnf.fr/",
            "http://catalogue.bnf.fr/",
        ],
    ),
    (
        "viaf",
        "https://viaf.org/",
        &["http://viaf.org/viaf/", "https://viaf.org/viaf/"],
    ),
    (
        "geonames",
        "https://www.geonames.org/",
        &[
            "https://sws.geonames.org/",
            "http://sws.geonames.org/",
            "https://www.geonames.org/",
        ],
    ),
];

/// Predicates whose dates say when the items themselves are (made, performed, issued), as
/// opposed to when their records were edited: they give the temporal coverage.
const TEMPORAL_PREDICATES: &[NamedNodeRef<'static>] = &[
    dcterms::DATE,
    dcterms::CREATED,
    dcterms::ISSUED,
    crm::P82A_BEGIN_OF_THE_BEGIN,
    crm::P82B_END_OF_THE_END,
    schema::START_DATE,
    schema::END_DATE,
    schema::DATE_CREATED,
];

/// Resources shown as examples.
const EXAMPLES: usize = 3;

/// A dataset's statistics, as its manifest keeps them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Stats {
    pub triples: u64,
    /// Distinct subjects in the minted namespace (`void:uriSpace`).
    pub entities: u64,
    pub distinct_subjects: u64,
    pub distinct_objects: u64,
    pub uri_space: String,
    /// (class IRI, instances), by IRI.
    pub classes: Vec<(String, u64)>,
    /// (property IRI, triples), by IRI.
    pub properties: Vec<(String, u64)>,
    /// A few entities, the first in dump order.
    pub examples: Vec<String>,
    pub linksets: Vec<Linkset>,
    /// First and last year of the items' own dates (`xsd:gYear`), when they have any.
    pub years: Option<(i64, i64)>,
    /// West, south, east, north of the points (`geo:wktLiteral` `POINT(lon lat)`) in the data.
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
}

/// Links from a dataset to one hub through one predicate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Linkset {
    /// The hub's name in [`LINK_TARGETS`].
    pub target: String,
    pub predicate: String,
    pub links: u64,
}

/// Gathers [`Stats`] from the triples of one pass.
pub(super) struct StatsBuilder {
    stats: Stats,
    subjects: FxHashSet<u128>,
    objects: FxHashSet<u128>,
    classes: FxHashMap<String, u64>,
    properties: FxHashMap<String, u64>,
    links: FxHashMap<(usize, String), u64>,
    this_year: i64,
}

/// Two independent 64-bit hashes: distinct counts over millions of terms without keeping them.
fn key(text: &str) -> u128 {
    let mut a = rustc_hash::FxHasher::default();
    text.hash(&mut a);
    let mut b = std::hash::DefaultHasher::new();
    text.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

impl StatsBuilder {
    pub(super) fn new(names: &Names) -> Self {
        let this_year = humantime::format_rfc3339(std::time::SystemTime::now()).to_string()[..4]
            .parse()
            .unwrap_or(9999);
        Self {
            stats: Stats {
                uri_space: names.items(),
                ..Stats::default()
            },
            subjects: FxHashSet::default(),
            objects: FxHashSet::default(),
            classes: FxHashMap::default(),
            properties: FxHashMap::default(),
            links: FxHashMap::default(),
            this_year,
        }
    }

    pub(super) fn add(&mut self, t: &Triple) {
        let s = &mut self.stats;
        s.triples += 1;
        let subject = t.subject.to_string();
        if self.subjects.insert(key(&subject)) {
            s.distinct_subjects += 1;
            if let NamedOrBlankNode::NamedNode(n) = &t.subject {
                if n.as_str().starts_with(&s.uri_space) {
                    s.entities += 1;
                    if s.examples.len() < EXAMPLES {
                        s.examples.push(n.as_str().to_owned());
                    }
                }
            }
        }
        if self.objects.insert(key(&t.object.to_string())) {
            s.distinct_objects += 1;
        }
        *self
            .properties
            .entry(t.predicate.as_str().to_owned())
            .or_default() += 1;
        match &t.object {
            Term::NamedNode(o) if t.predicate == rdf::TYPE => {
                *self.classes.entry(o.as_str().to_owned()).or_default() += 1;
            }
            Term::NamedNode(o) => {
                if let Some(i) = LINK_TARGETS
                    .iter()
                    .position(|(_, _, prefixes)| prefixes.iter().any(|p| o.as_str().starts_with(p)))
                {
                    *self
                        .links
                        .entry((i, t.predicate.as_str().to_owned()))
                        .or_default() += 1;
                }
            }
            Term::Literal(l) if l.datatype() == geo::WKT_LITERAL => {
                if let Some((lon, lat)) = point(l.value()) {
                    s.bbox = Some(match s.bbox {
                        None => [lon, lat, lon, lat],
                        Some([w, so, e, n]) => [w.min(lon), so.min(lat), e.max(lon), n.max(lat)],
                    });
                }
            }
            Term::Literal(l) if TEMPORAL_PREDICATES.contains(&t.predicate.as_ref()) => {
                if let Some(year) = year(l.value(), l.datatype().as_str()) {
                    if year <= self.this_year {
                        s.years = Some(match s.years {
                            None => (year, year),
                            Some((a, b)) => (a.min(year), b.max(year)),
                        });
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn finish(mut self) -> Stats {
        let sorted = |m: FxHashMap<String, u64>| {
            let mut v: Vec<_> = m.into_iter().collect();
            v.sort();
            v
        };
        self.stats.classes = sorted(std::mem::take(&mut self.classes));
        self.stats.properties = sorted(std::mem::take(&mut self.properties));
        let mut linksets: Vec<Linkset> = self
            .links
            .into_iter()
            .map(|((i, predicate), links)| Linkset {
                target: LINK_TARGETS[i].0.to_owned(),
                predicate,
                links,
            })
            .collect();
        linksets.sort_by(|a, b| (&a.target, &a.predicate).cmp(&(&b.target, &b.predicate)));
        self.stats.linksets = linksets;
        self.stats
    }
}

/// The coordinates of a WKT point in WGS 84 (`POINT(2.35 48.85)`), when plausible.
fn point(wkt: &str) -> Option<(f64, f64)> {
    let inner = wkt
        .trim()
        .strip_prefix("POINT")?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let mut parts = inner.split_whitespace().map(str::parse::<f64>);
    let (lon, lat) = (parts.next()?.ok()?, parts.next()?.ok()?);
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

/// A WKT polygon of a bounding box (west, south, east, north).
pub fn bbox_wkt([w, s, e, n]: [f64; 4]) -> String {
    format!("POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))")
}

/// The year of a date-like literal (`xsd:date`, `dateTime`, `gYear`, `gYearMonth`).
fn year(value: &str, datatype: &str) -> Option<i64> {
    let dated = [xsd::DATE_TIME, xsd::DATE, xsd::G_YEAR, xsd::G_YEAR_MONTH].map(|d| d.as_str());
    if !dated.contains(&datatype) {
        return None;
    }
    let (sign, digits) = match value.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, value),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    (end >= 4).then(|| digits[..end].parse::<i64>().ok().map(|y| sign * y))?
}

/// `xsd:gYear` text of a year (at least four digits, as XML Schema writes it).
pub fn g_year(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    }
}

/// The VoID description of the published datasets whose manifests are `manifests` (and of
/// the site, when `site_dump` is its manifest): for `/void`.
pub fn document(
    names: &Names,
    manifests: &[Manifest],
    site_dump: Option<&Manifest>,
    site: &str,
) -> Vec<Triple> {
    let mut out = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };
    let count = |n: u64| Term::from(Literal::new_typed_literal(n.to_string(), xsd::INTEGER));
    let iri = |s: String| NamedNode::new_unchecked(s);
    let endpoint = iri(format!("{site}sparql"));
    let whole = iri(format!("{}void#site", names.base()));
    add(&whole, rdf::TYPE, void::DATASET.into());
    add(&whole, void::SPARQL_ENDPOINT, endpoint.clone().into());
    add(
        &whole,
        void::URI_SPACE,
        Literal::new_simple_literal(names.items()).into(),
    );
    if let Some(m) = site_dump {
        for file in [&m.ntriples, &m.turtle] {
            add(
                &whole,
                void::DATA_DUMP,
                iri(format!("{site}dumps/{}", file.path)).into(),
            );
        }
        add(&whole, void::TRIPLES, count(m.stats.triples));
        add(&whole, void::ENTITIES, count(m.stats.entities));
    }
    for m in manifests {
        let Some(id) = &m.dataset else { continue };
        let d = names.dataset(id);
        let s = &m.stats;
        add(&whole, void::SUBSET, d.clone().into());
        add(&d, rdf::TYPE, void::DATASET.into());
        add(&d, void::TRIPLES, count(s.triples));
        add(&d, void::ENTITIES, count(s.entities));
        add(&d, void::DISTINCT_SUBJECTS, count(s.distinct_subjects));
        add(&d, void::DISTINCT_OBJECTS, count(s.distinct_objects));
        add(
            &d,
            void::URI_SPACE,
            Literal::new_simple_literal(&s.uri_space).into(),
        );
        add(&d, void::SPARQL_ENDPOINT, endpoint.clone().into());
        for file in [&m.ntriples, &m.turtle] {
            add(
                &d,
                void::DATA_DUMP,
                iri(format!("{site}dumps/{}", file.path)).into(),
            );
        }
        for example in &s.examples {
            add(&d, void::EXAMPLE_RESOURCE, iri(example.clone()).into());
        }
        for (i, (class, n)) in s.classes.iter().enumerate() {
            let part = iri(format!("{}#class-{i}", d.as_str()));
            add(&d, void::CLASS_PARTITION, part.clone().into());
            add(&part, void::CLASS, iri(class.clone()).into());
            add(&part, void::ENTITIES, count(*n));
        }
        for (i, (property, n)) in s.properties.iter().enumerate() {
            let part = iri(format!("{}#property-{i}", d.as_str()));
            add(&d, void::PROPERTY_PARTITION, part.clone().into());
            add(&part, void::PROPERTY, iri(property.clone()).into());
            add(&part, void::TRIPLES, count(*n));
        }
        for (i, l) in s.linksets.iter().enumerate() {
            let Some((_, hub, _)) = LINK_TARGETS.iter().find(|(name, _, _)| *name == l.target)
            else {
                continue;
            };
            let set = iri(format!("{}#links-{}-{i}", d.as_str(), l.target));
            add(&set, rdf::TYPE, void::LINKSET.into());
            add(&set, void::SUBJECTS_TARGET, d.clone().into());
            add(&set, void::OBJECTS_TARGET, iri((*hub).to_owned()).into());
            add(&set, void::LINK_PREDICATE, iri(l.predicate.clone()).into());
            add(&set, void::TRIPLES, count(l.links));
            add(&d, void::SUBSET, set.into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn names() -> Names {
        Names::new(&NamedNode::new_unchecked("https://data.example.org/"))
    }

    #[test]
    fn counts_entities_classes_links_and_years() {
        let n = |s: &str| NamedNode::new_unchecked(s);
        let painting = n("https://data.example.org/id/joconde/1");
        let mut b = StatsBuilder::new(&names());
        b.add(&Triple::new(
            painting.clone(),
            rdf::TYPE,
            crm::E22_HUMAN_MADE_OBJECT,
        ));
        b.add(&Triple::new(
            painting.clone(),
            n("http://www.w3.org/2002/07/owl#sameAs"),
            n("http://www.wikidata.org/entity/Q12418"),
        ));
        b.add(&Triple::new(
            painting.clone(),
            dcterms::DATE,
            Literal::new_typed_literal("1503", xsd::G_YEAR),
        ));
        b.add(&Triple::new(
            painting.clone(),
            dcterms::MODIFIED,
            Literal::new_typed_literal("2024-05-01", xsd::DATE),
        ));
        b.add(&Triple::new(
            n("https://elsewhere.org/x"),
            dcterms::CREATED,
            Literal::new_typed_literal("-0500", xsd::G_YEAR),
        ));
        let s = b.finish();
        assert_eq!(s.triples, 5);
        assert_eq!(s.distinct_subjects, 2);
        assert_eq!(s.entities, 1);
        assert_eq!(s.distinct_objects, 5);
        assert_eq!(
            s.classes,
            vec![(crm::E22_HUMAN_MADE_OBJECT.as_str().to_owned(), 1)]
        );
        assert_eq!(s.linksets.len(), 1);
        assert_eq!(s.linksets[0].target, "wikidata");
        assert_eq!(s.linksets[0].links, 1);
        // The record's modification date is not coverage; the year before the era is.
        assert_eq!(s.years, Some((-500, 1503)));
        assert_eq!(g_year(-500), "-0500");
        assert_eq!(point("POINT(2.35 48.85)"), Some((2.35, 48.85)));
        assert_eq!(point("POINT(200 48)"), None);
        assert_eq!(
            bbox_wkt([1.0, 2.0, 3.0, 4.0]),
            "POLYGON((1 2, 3 2, 3 4, 1 4, 1 2))"
        );
    }
}
