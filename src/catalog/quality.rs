//! data.europa.eu's Metadata Quality Assessment (MQA) of a DCAT-AP catalogue, computed locally
//! so that `vitrine catalog --check` shows a publisher the score harvesters will give, and what
//! to fix, before they harvest. A pure function: the caller does the HTTP requests and the SHACL
//! run and hands in their results.
//!
//! # Sources
//! - Methodology: <https://data.europa.eu/mqa/methodology> (also in the data provider manual,
//!   <https://dataeuropa.gitlab.io/data-provider-manual/metadata-quality-dashboard/>): the five
//!   dimensions, 405 points, the weights, the rating table and "only the distribution with the
//!   highest number of points is used" for interoperability, read through the implementations
//!   that quote it, <https://github.com/mjanez/ckan-mqa> (README and `config/defaults.py`).
//! - Which entity a check is computed on: ckan-mqa's table, and piveau (the software behind
//!   data.europa.eu's MQA), whose per-distribution results hold the URL, licence, rights, size
//!   and date measurements. The dates are read on datasets here (see the table).
//! - Non-proprietary and machine-readable formats: data.europa.eu's own lists,
//!   `edp-non-proprietary-format.rdf` and `edp-machine-readable-format.rdf` in
//!   <https://gitlab.com/european-data-portal/edp-vocabularies>; the codes are those of the EU
//!   file-type table <http://publications.europa.eu/resource/authority/file-type>.
//!
//! # Rules
//! | Dimension (max) | Check | Weight | Computed on |
//! |---|---|---|---|
//! | Findability (100) | `dcat:keyword` / `dcat:theme` / `dct:spatial` / `dct:temporal` | 30/30/20/20 | dataset |
//! | Accessibility (100) | `dcat:accessURL` answers | 50 | distribution |
//! | | `dcat:downloadURL` present / answers | 20/30 | distribution |
//! | Interoperability (110) | `dct:format` / `dcat:mediaType` / both from vocabularies | 20/10/10 | dataset's best distribution |
//! | | format non-proprietary / machine-readable | 20/20 | dataset's best distribution |
//! | | DCAT-AP compliance (no SHACL violation) | 30 | dataset |
//! | Reusability (75) | `dct:license` / from the EU licence table | 20/10 | distribution |
//! | | `dct:accessRights` / from the EU access-right table | 10/5 | dataset |
//! | | `dcat:contactPoint` / `dct:publisher` | 20/10 | dataset |
//! | Contextuality (20) | `dct:rights` / `dcat:byteSize` | 5/5 | distribution |
//! | | `dct:issued` / `dct:modified` | 5/5 | dataset (its own or one of its distributions') |
//!
//! - A check awards `weight × passed / of`, rounded to the nearest integer (halves up) per check,
//!   as the MQA shows whole points per indicator; dimensions and the total add up the rounded
//!   checks. A check with nothing to count (`of` = 0) awards 0, never the full weight.
//! - Interoperability: the methodology counts, per dataset, only its distribution with the most
//!   interoperability points (first in IRI order on a tie); a dataset without distributions
//!   fails these checks.
//! - A URL answers when `status` gives 200–399; a distribution passes when it has such URLs and
//!   all of them answer. Each distinct URL is asked once.
//! - A property is present when it has an object other than an empty literal.
//! - Vocabularies: a format is an IRI of the EU file-type table, a media type an IANA IRI
//!   (`https://` as DCAT-AP 3 writes it, or `http://` as DCAT-AP 2 did); a distribution passes
//!   when it states at least one of them and every one it states is from its vocabulary.
//! - Datasets are the nodes typed `dcat:Dataset` or linked by `dcat:dataset`; distributions
//!   likewise with `dcat:Distribution` and `dcat:distribution`.
//! - Ratings (methodology table): Excellent 351–405, Good 221–350, Sufficient 121–220,
//!   Bad 0–120. (piveau's code counts 120 as Sufficient; we follow the published table.)
//! - DCAT-AP compliance comes only from the caller's SHACL run: without one it is reported as
//!   not checked and awards 0 points, so a catalogue is never rated on a check nobody ran.

use std::collections::{HashMap, HashSet};
use std::fmt;

use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};

/// The terms and tables the assessment reads, under the names its rules use.
mod terms {
    pub use crate::authority::{MACHINE_READABLE, NON_PROPRIETARY};
    pub use crate::vocab::dcat::{
        ACCESS_URL, BYTE_SIZE, CONTACT_POINT, DATASET, DATASET_PROP as HAS_DATASET, DISTRIBUTION,
        DISTRIBUTION_PROP as HAS_DISTRIBUTION, DOWNLOAD_URL, KEYWORD, MEDIA_TYPE, THEME,
    };
    pub use crate::vocab::dcterms::{
        ACCESS_RIGHTS, FORMAT, ISSUED, LICENSE, MODIFIED, PUBLISHER, RIGHTS, SPATIAL, TEMPORAL,
    };
    pub use crate::vocab::rdf::TYPE;

    pub const FILE_TYPE: &str = crate::authority::FILE_TYPES.base;
    pub const LICENCE: &str = crate::authority::EU_LICENCES;
    pub const ACCESS_RIGHT: &str = crate::authority::ACCESS_RIGHTS.base;
    pub const IANA: [&str; 2] = [
        crate::authority::IANA_MEDIA_TYPES,
        "http://www.iana.org/assignments/media-types/",
    ];
    /// Licence Ouverte / Open Licence 2.0. The EU licence table gives this page as the
    /// `skos:exactMatch` of `ETALAB_2_0`, and data.gouv.fr publishes it as is, so we count it as
    /// from the vocabulary. Whether data.europa.eu's harvester follows that match too is not
    /// documented: the EU IRI `…/licence/ETALAB_2_0` is the safe choice for a publisher.
    pub const ETALAB_2_0: [&str; 2] = [
        crate::authority::LICENCE_OUVERTE,
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ];
}

pub struct Inputs<'a> {
    /// The whole catalogue (all pages merged): a dataset's distributions may sit on another page.
    pub graph: &'a Graph,
    /// HTTP status of a URL (None: could not connect). The caller does the requests.
    pub status: &'a dyn Fn(&str) -> Option<u16>,
    /// Datasets (by IRI or blank node) with at least one DCAT-AP SHACL violation; None when
    /// compliance was not checked.
    pub non_compliant: Option<&'a HashSet<NamedOrBlankNode>>,
}

/// What a check counts: the MQA computes some checks on datasets, others on distributions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Dataset,
    Distribution,
}

/// One MQA indicator, with enough detail (`passed`/`of`, `missing`) to say what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub max: u32,
    pub points: u32,
    pub passed: usize,
    pub of: usize,
    /// Datasets or distributions that fail the check (IRI, or `_:id` for a blank node), the
    /// first 10 in IRI order, so the publisher knows where to start.
    pub missing: Vec<String>,
    /// The check could not be made (no SHACL run): 0 points, never shown as a pass.
    pub not_checked: bool,
    pub computed_on: Entity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub name: &'static str,
    pub checks: Vec<Check>,
}

impl Dimension {
    pub fn points(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }

    pub fn max(&self) -> u32 {
        self.checks.iter().map(|c| c.max).sum()
    }
}

/// Kept per check rather than as one number: the publisher needs to know where points go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub dimensions: Vec<Dimension>,
    pub datasets: usize,
    pub distributions: usize,
}

impl Report {
    pub fn points(&self) -> u32 {
        self.dimensions.iter().map(Dimension::points).sum()
    }

    pub fn max(&self) -> u32 {
        self.dimensions.iter().map(Dimension::max).sum()
    }

    pub fn rating(&self) -> Rating {
        Rating::for_points(self.points())
    }
}

/// The MQA shows providers only this category, not the points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Excellent,
    Good,
    Sufficient,
    Bad,
}

impl Rating {
    fn for_points(points: u32) -> Self {
        match points {
            351.. => Self::Excellent,
            221..=350 => Self::Good,
            121..=220 => Self::Sufficient,
            _ => Self::Bad,
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f) // the variants are named as the MQA names its ratings
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Dataset => "datasets",
            Self::Distribution => "distributions",
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Metadata quality (data.europa.eu MQA): {}/{} points, {}",
            self.points(),
            self.max(),
            self.rating()
        )?;
        writeln!(
            f,
            "{} datasets, {} distributions; Excellent 351-405, Good 221-350, Sufficient 121-220, Bad 0-120",
            self.datasets, self.distributions
        )?;
        for dimension in &self.dimensions {
            writeln!(f)?;
            let total = format!("{}/{}", dimension.points(), dimension.max());
            writeln!(f, "{:<46}{total:>7}", dimension.name)?;
            for check in &dimension.checks {
                let points = format!("{}/{}", check.points, check.max);
                if check.not_checked {
                    writeln!(
                        f,
                        "  {:<44}{points:>7}  not checked (no DCAT-AP validation was run): 0 points",
                        check.name
                    )?;
                    continue;
                }
                writeln!(
                    f,
                    "  {:<44}{points:>7}  ({}/{} {})",
                    check.name, check.passed, check.of, check.computed_on
                )?;
                if !check.missing.is_empty() {
                    let more = (check.of - check.passed).saturating_sub(check.missing.len());
                    write!(f, "      missing: {}", check.missing.join(", "))?;
                    if more > 0 {
                        write!(f, " and {more} more")?;
                    }
                    writeln!(f)?;
                }
            }
        }
        Ok(())
    }
}

type Node<'g> = NamedOrBlankNodeRef<'g>;

/// Scores the catalogue as data.europa.eu would, so the publisher sees it first; the rules and
/// their sources are in the module documentation.
pub fn assess(inputs: &Inputs) -> Report {
    use Entity::{Dataset, Distribution};
    use terms::*;
    let g = inputs.graph;
    let ds = Population::new(g, Dataset, DATASET, HAS_DATASET);
    let di = Population::new(g, Distribution, DISTRIBUTION, HAS_DISTRIBUTION);
    let parts: Vec<Vec<Node<'_>>> = ds.nodes.iter().map(|&d| parts_of(g, d)).collect();
    // `max_by_key` keeps the last maximum: reversed, that is the first distribution in IRI order.
    let best: Vec<Interop> = parts
        .iter()
        .map(|p| {
            p.iter()
                .rev()
                .map(|&d| Interop::of(g, d))
                .max_by_key(Interop::points)
        })
        .map(Option::unwrap_or_default)
        .collect();
    let mut probe = Probe {
        graph: g,
        status: inputs.status,
        seen: HashMap::new(),
    };
    let on_datasets = |name, max, property| ds.check(name, max, |_, d| has(g, d, property));
    let on_distributions = |name, max, p| di.check(name, max, |_, d| has(g, d, p));
    let mut reached = |name, max, p| di.check(name, max, |_, d| probe.reached(d, p));
    let interop =
        |name, max, pass: fn(&Interop) -> bool| ds.check(name, max, |i, _| pass(&best[i]));
    let dated = |name, max, p| {
        ds.check(name, max, |i, d| {
            has(g, d, p) || parts[i].iter().any(|&x| has(g, x, p))
        })
    };
    let known = |name, max, on: &Population<'_>, p, known: fn(TermRef<'_>) -> bool| {
        on.check(name, max, |_, d| objects(g, d, p).any(known))
    };
    const COMPLIANCE: &str = "DCAT-AP compliance";
    let compliance = match inputs.non_compliant {
        Some(failing) => ds.check(COMPLIANCE, 30, |_, d| !failing.contains(&d.into_owned())),
        None => Check {
            not_checked: true,
            ..ds.check(COMPLIANCE, 30, |_, _| false)
        },
    };

    let dimensions = vec![
        Dimension {
            name: "Findability",
            checks: vec![
                on_datasets("Keyword usage (dcat:keyword)", 30, KEYWORD),
                on_datasets("Categories (dcat:theme)", 30, THEME),
                on_datasets("Geo search (dct:spatial)", 20, SPATIAL),
                on_datasets("Time-based search (dct:temporal)", 20, TEMPORAL),
            ],
        },
        Dimension {
            name: "Accessibility",
            checks: vec![
                reached("AccessURL accessible (2xx/3xx)", 50, ACCESS_URL),
                on_distributions("DownloadURL (dcat:downloadURL)", 20, DOWNLOAD_URL),
                reached("DownloadURL accessible (2xx/3xx)", 30, DOWNLOAD_URL),
            ],
        },
        Dimension {
            name: "Interoperability",
            checks: vec![
                interop("Format (dct:format)", 20, |i| i.format),
                interop("Media type (dcat:mediaType)", 10, |i| i.media_type),
                interop("Format/media type from vocabulary", 10, |i| i.vocabulary),
                interop("Non-proprietary format", 20, |i| i.non_proprietary),
                interop("Machine-readable format", 20, |i| i.machine_readable),
                compliance,
            ],
        },
        Dimension {
            name: "Reusability",
            checks: vec![
                on_distributions("Licence information (dct:license)", 20, LICENSE),
                known("Licence vocabulary", 10, &di, LICENSE, known_licence),
                on_datasets("Access restrictions (dct:accessRights)", 10, ACCESS_RIGHTS),
                known(
                    "Access restrictions vocabulary",
                    5,
                    &ds,
                    ACCESS_RIGHTS,
                    |o| in_table(o, ACCESS_RIGHT).is_some(),
                ),
                on_datasets("Contact point (dcat:contactPoint)", 20, CONTACT_POINT),
                on_datasets("Publisher (dct:publisher)", 10, PUBLISHER),
            ],
        },
        Dimension {
            name: "Contextuality",
            checks: vec![
                on_distributions("Rights (dct:rights)", 5, RIGHTS),
                on_distributions("File size (dcat:byteSize)", 5, BYTE_SIZE),
                dated("Date of issue (dct:issued)", 5, ISSUED),
                dated("Modification date (dct:modified)", 5, MODIFIED),
            ],
        },
    ];
    Report {
        dimensions,
        datasets: ds.nodes.len(),
        distributions: di.nodes.len(),
    }
}

/// The datasets or the distributions of the catalogue: what a check's share is taken of.
struct Population<'g> {
    on: Entity,
    nodes: Vec<Node<'g>>,
}

impl<'g> Population<'g> {
    /// The nodes typed `class` or linked by `link` (an untyped dataset still counts), in IRI order.
    fn new(g: &'g Graph, on: Entity, class: NamedNodeRef<'_>, link: NamedNodeRef<'_>) -> Self {
        let typed = g.subjects_for_predicate_object(terms::TYPE, class);
        let linked = g.triples_for_predicate(link).filter_map(|t| node(t.object));
        let nodes = sorted(typed.chain(linked));
        Self { on, nodes }
    }

    /// `pass` gets each node with its index, for facts computed beforehand per node.
    fn check(
        &self,
        name: &'static str,
        max: u32,
        mut pass: impl FnMut(usize, Node<'g>) -> bool,
    ) -> Check {
        let (mut passed, mut missing) = (0, Vec::new());
        for (i, &node) in self.nodes.iter().enumerate() {
            if pass(i, node) {
                passed += 1;
            } else if missing.len() < 10 {
                missing.push(label(node));
            }
        }
        let of = self.nodes.len();
        Check {
            name,
            max,
            points: share(max, passed, of),
            passed,
            of,
            missing,
            not_checked: false,
            computed_on: self.on,
        }
    }
}

/// The interoperability facts of one distribution; a dataset scores with its best one.
#[derive(Debug, Default, Clone, Copy)]
struct Interop {
    format: bool,
    media_type: bool,
    vocabulary: bool,
    non_proprietary: bool,
    machine_readable: bool,
}

impl Interop {
    fn of(g: &Graph, distribution: Node<'_>) -> Self {
        use terms::{FILE_TYPE, FORMAT, MACHINE_READABLE, MEDIA_TYPE, NON_PROPRIETARY};
        let formats: Vec<TermRef<'_>> = objects(g, distribution, FORMAT).collect();
        let media_types: Vec<TermRef<'_>> = objects(g, distribution, MEDIA_TYPE).collect();
        let codes: Vec<&str> = formats
            .iter()
            .filter_map(|&f| in_table(f, FILE_TYPE))
            .collect();
        Self {
            format: has(g, distribution, FORMAT),
            media_type: has(g, distribution, MEDIA_TYPE),
            vocabulary: !(formats.is_empty() && media_types.is_empty())
                && codes.len() == formats.len()
                && media_types.iter().all(|&m| is_iana(m)),
            non_proprietary: codes.iter().any(|c| listed(c, NON_PROPRIETARY)),
            machine_readable: codes.iter().any(|c| listed(c, MACHINE_READABLE)),
        }
    }

    fn points(&self) -> u32 {
        let points = |passed: bool, weight: u32| if passed { weight } else { 0 };
        points(self.format, 20)
            + points(self.media_type, 10)
            + points(self.vocabulary, 10)
            + points(self.non_proprietary, 20)
            + points(self.machine_readable, 20)
    }
}

/// Asks each distinct URL once: access and download URLs are often the same.
struct Probe<'a> {
    graph: &'a Graph,
    status: &'a dyn Fn(&str) -> Option<u16>,
    seen: HashMap<String, bool>,
}

impl Probe<'_> {
    fn answers(&mut self, url: &str) -> bool {
        if let Some(&answers) = self.seen.get(url) {
            return answers;
        }
        let answers = matches!((self.status)(url), Some(200..=399));
        self.seen.insert(url.to_owned(), answers);
        answers
    }

    /// Whether the distribution has URLs under `property` and all of them answer.
    fn reached(&mut self, distribution: Node<'_>, property: NamedNodeRef<'_>) -> bool {
        let graph = self.graph;
        let urls: Vec<&str> = objects(graph, distribution, property)
            .filter_map(url)
            .collect();
        !urls.is_empty() && urls.iter().all(|u| self.answers(u))
    }
}

/// `max × passed / of`, rounded half up; 0 when there is nothing to count.
fn share(max: u32, passed: usize, of: usize) -> u32 {
    if of == 0 {
        return 0;
    }
    let (max, passed, of) = (u128::from(max), passed.min(of) as u128, of as u128);
    u32::try_from((2 * max * passed + of) / (2 * of)).unwrap_or(u32::MAX)
}

fn parts_of<'g>(g: &'g Graph, dataset: Node<'g>) -> Vec<Node<'g>> {
    sorted(objects(g, dataset, terms::HAS_DISTRIBUTION).filter_map(node))
}

fn sorted<'g>(nodes: impl Iterator<Item = Node<'g>>) -> Vec<Node<'g>> {
    let mut nodes: Vec<Node<'g>> = nodes.collect::<HashSet<_>>().into_iter().collect();
    nodes.sort_by_cached_key(|&n| label(n));
    nodes
}

fn label(node: Node<'_>) -> String {
    match node {
        NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNodeRef::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn node(term: TermRef<'_>) -> Option<Node<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn objects<'g>(
    g: &'g Graph,
    subject: Node<'g>,
    p: NamedNodeRef<'g>,
) -> impl Iterator<Item = TermRef<'g>> {
    g.objects_for_subject_predicate(subject, p)
}

/// Empty literals are what exporters write for an unfilled field: they do not count.
fn has(g: &Graph, subject: Node<'_>, property: NamedNodeRef<'_>) -> bool {
    objects(g, subject, property)
        .any(|o| !matches!(o, TermRef::Literal(l) if l.value().trim().is_empty()))
}

fn iri(term: TermRef<'_>) -> Option<&str> {
    match term {
        TermRef::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

/// Literals too: a URL written as a string still tells whether the data can be reached.
fn url(term: TermRef<'_>) -> Option<&str> {
    match term {
        TermRef::NamedNode(n) => Some(n.as_str()),
        TermRef::Literal(l) => Some(l.value()).filter(|v| !v.trim().is_empty()),
        _ => None,
    }
}

/// The code of an IRI of an EU authority table (`…/file-type/CSV` → `CSV`).
fn in_table<'t>(term: TermRef<'t>, table: &str) -> Option<&'t str> {
    iri(term)?
        .strip_prefix(table)
        .filter(|code| !code.is_empty() && !code.contains('/'))
}

fn is_iana(term: TermRef<'_>) -> bool {
    let media_type = iri(term).and_then(|i| terms::IANA.iter().find_map(|p| i.strip_prefix(p)));
    media_type
        .and_then(|m| m.split_once('/'))
        .is_some_and(|(kind, sub)| !kind.is_empty() && !sub.is_empty())
}

/// Whether `code` is in a space-separated `list` of codes.
fn listed(code: &str, list: &str) -> bool {
    list.split_whitespace().any(|c| c == code)
}

fn known_licence(term: TermRef<'_>) -> bool {
    in_table(term, terms::LICENCE).is_some()
        || iri(term).is_some_and(|i| terms::ETALAB_2_0.contains(&i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{NamedNode, Triple};
    use std::cell::Cell;

    /// Two datasets, three distributions, every check passed: each test edits one thing.
    const COMPLETE: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://example.org/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix eu: <http://publications.europa.eu/resource/authority/> .
@prefix iana: <https://www.iana.org/assignments/media-types/> .

ex:catalog a dcat:Catalog ; dcat:dataset ex:dataset-1, ex:dataset-2 .
ex:dataset-1 a dcat:Dataset ; dcat:keyword "paintings"@en ; dcat:theme eu:data-theme\/EDUC ;
    dct:spatial eu:country\/FRA ; dct:temporal [ dcat:startDate "1850-01-01"^^xsd:date ] ;
    dct:accessRights eu:access-right\/PUBLIC ; dcat:contactPoint [ dct:title "Desk" ] ;
    dct:publisher ex:museum ; dct:issued "2024-01-15"^^xsd:date ;
    dct:modified "2025-03-01"^^xsd:date ; dcat:distribution ex:dist-1-ttl .
ex:dataset-2 a dcat:Dataset ; dcat:keyword "letters"@en ; dcat:theme eu:data-theme\/EDUC ;
    dct:spatial eu:country\/FRA ; dct:temporal [ dcat:startDate "1900-01-01"^^xsd:date ] ;
    dct:accessRights eu:access-right\/PUBLIC ; dcat:contactPoint [ dct:title "Desk" ] ;
    dct:publisher ex:museum ; dcat:distribution ex:dist-2-csv, ex:dist-2-jsonld .

ex:dist-1-ttl a dcat:Distribution ; dcat:accessURL ex:dataset-1 ;
    dcat:downloadURL <http://example.org/files/1.ttl> ; dct:format ft:RDF_TURTLE ;
    dcat:mediaType iana:text\/turtle ; dct:license eu:licence\/CC_BY_4_0 ;
    dct:rights [ dct:description "Free reuse" ] ; dcat:byteSize 2048 .
# dct:issued and dct:modified here count for dataset-2.
ex:dist-2-csv a dcat:Distribution ; dcat:accessURL <http://example.org/files/2.csv> ;
    dcat:downloadURL <http://example.org/files/2.csv> ; dct:format ft:CSV ;
    dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
    dct:license eu:licence\/CC_BY_4_0 ; dct:rights [ dct:description "Free reuse" ] ;
    dct:issued "2024-02-01"^^xsd:date ; dct:modified "2025-02-01"^^xsd:date ; dcat:byteSize 512 .
ex:dist-2-jsonld a dcat:Distribution ; dcat:accessURL ex:dataset-2 ;
    dcat:downloadURL <http://example.org/files/2.jsonld> ; dct:format ft:JSON_LD ;
    dcat:mediaType iana:application\/ld\+json ;
    dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> ;
    dct:rights [ dct:description "Free reuse" ] ; dcat:byteSize 4096 .
"#;
    const DATASET_1: &str = "http://example.org/dataset-1";
    const DATASET_2: &str = "http://example.org/dataset-2";

    /// COMPLETE with one edit, which must apply: a silent no-op would pass for the wrong reason.
    fn edited(from: &str, to: &str) -> String {
        assert!(COMPLETE.contains(from), "{from}");
        COMPLETE.replacen(from, to, 1)
    }

    fn assess_with(
        turtle: &str,
        status: &dyn Fn(&str) -> Option<u16>,
        non_compliant: Option<&HashSet<NamedOrBlankNode>>,
    ) -> Report {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle) {
            graph.insert(&Triple::from(quad.expect("test Turtle parses")));
        }
        let inputs = Inputs {
            graph: &graph,
            status,
            non_compliant,
        };
        assess(&inputs)
    }

    fn assess_ok(turtle: &str) -> Report {
        assess_with(turtle, &|_| Some(200), Some(&HashSet::new()))
    }

    /// A check's points, passes and what it lists as missing.
    fn score<'r>(report: &'r Report, name: &str) -> (u32, usize, Vec<&'r str>) {
        let mut checks = report.dimensions.iter().flat_map(|d| &d.checks);
        let c = checks.find(|c| c.name.starts_with(name)).expect(name);
        let missing = c.missing.iter().map(String::as_str).collect();
        (c.points, c.passed, missing)
    }

    #[test]
    fn complete_catalogue_scores_405_excellent_asking_each_url_once() {
        let calls = Cell::new(0);
        let counting = |_: &str| Some(200).inspect(|_| calls.set(calls.get() + 1));
        let report = assess_with(COMPLETE, &counting, Some(&HashSet::new()));
        assert_eq!((report.datasets, report.distributions), (2, 3));
        for c in report.dimensions.iter().flat_map(|d| &d.checks) {
            let full = c.points == c.max && c.missing.is_empty();
            assert!(full && !c.not_checked, "{c:?}");
        }
        let per_dimension: Vec<_> = report.dimensions.iter().map(Dimension::max).collect();
        assert_eq!(per_dimension, [100, 100, 110, 75, 20]);
        assert_eq!((report.points(), report.max()), (405, 405));
        assert_eq!(report.rating(), Rating::Excellent);
        // Five distinct URLs: dist-2-csv's access and download URLs are one.
        assert_eq!(calls.get(), 5);
        let text = report.to_string();
        assert!(text.contains("405/405 points, Excellent"), "{text}");
        assert!(text.contains("30/30  (2/2 datasets)"), "{text}");
    }

    #[test]
    fn keywords_missing_on_one_of_two_datasets_give_half_the_weight() {
        let report = assess_ok(&edited(r#"dcat:keyword "letters"@en ;"#, ""));
        assert_eq!(score(&report, "Keyword usage"), (15, 1, vec![DATASET_2]));
        assert_eq!(report.points(), 390);
        let text = report.to_string();
        assert!(
            text.contains("missing: http://example.org/dataset-2"),
            "{text}"
        );
    }

    #[test]
    fn unreachable_or_failing_urls_lose_their_share() {
        let unreachable = |u: &str| (u != "http://example.org/files/1.ttl").then_some(200);
        let report = assess_with(COMPLETE, &unreachable, Some(&HashSet::new()));
        let dist_1 = vec!["http://example.org/dist-1-ttl"];
        assert_eq!(score(&report, "DownloadURL accessible"), (20, 2, dist_1));
        assert_eq!(score(&report, "DownloadURL (dcat").0, 20); // present
        assert_eq!(score(&report, "AccessURL").0, 50);
        assert_eq!(report.points(), 395);

        let not_found = |u: &str| Some(if u == DATASET_2 { 404 } else { 302 });
        let report = assess_with(COMPLETE, &not_found, Some(&HashSet::new()));
        let dist_2 = vec!["http://example.org/dist-2-jsonld"];
        assert_eq!(score(&report, "AccessURL"), (33, 2, dist_2)); // 50 × 2/3
        assert_eq!(report.points(), 388);
    }

    #[test]
    fn proprietary_format_loses_non_proprietary_points_unless_a_better_distribution_exists() {
        let xls = edited("ft:RDF_TURTLE", "ft:XLS").replace("text\\/turtle", "text\\/csv");
        let report = assess_ok(&xls);
        assert_eq!(score(&report, "Non-proprietary"), (10, 1, vec![DATASET_1]));
        assert_eq!(score(&report, "Machine-readable").0, 20); // XLS is
        assert_eq!(report.points(), 395);
        // dataset-2 keeps its JSON-LD distribution: only the best distribution counts.
        assert_eq!(assess_ok(&edited("ft:CSV", "ft:XLS")).points(), 405);
    }

    #[test]
    fn compliance_not_checked_gives_zero_and_says_so() {
        let report = assess_with(COMPLETE, &|_| Some(200), None);
        let mut checks = report.dimensions.iter().flat_map(|d| &d.checks);
        let compliance = checks.find(|c| c.name == "DCAT-AP compliance").unwrap();
        assert!(compliance.not_checked);
        assert_eq!((compliance.points, compliance.passed), (0, 0));
        assert_eq!((report.points(), report.max()), (375, 405));
        assert!(report.to_string().contains("0/30  not checked"), "{report}");

        let failing = HashSet::from([NamedNode::new_unchecked(DATASET_2).into()]);
        let report = assess_with(COMPLETE, &|_| Some(200), Some(&failing));
        let compliance = score(&report, "DCAT-AP compliance");
        assert_eq!(compliance, (15, 1, vec![DATASET_2]));
    }

    #[test]
    fn licence_outside_the_eu_table_counts_as_present_not_as_known() {
        let cc_by = "<https://creativecommons.org/licenses/by/4.0/>";
        let report = assess_ok(&edited("eu:licence\\/CC_BY_4_0", cc_by));
        assert_eq!(score(&report, "Licence information").0, 20);
        let dist_1 = vec!["http://example.org/dist-1-ttl"];
        assert_eq!(score(&report, "Licence vocabulary"), (7, 2, dist_1)); // 10 × 2/3
    }

    #[test]
    fn empty_or_odd_catalogues_score_zero_without_panicking() {
        let empty = assess_ok("");
        assert_eq!((empty.datasets, empty.distributions), (0, 0));
        assert_eq!(empty.points(), 0);
        assert_eq!((empty.max(), empty.rating()), (405, Rating::Bad));
        assert!(empty.to_string().contains("0/405 points, Bad"));

        let odd = assess_ok(
            r#"<http://example.org/d> a <http://www.w3.org/ns/dcat#Dataset> ;
                <http://www.w3.org/ns/dcat#keyword> "" ;
                <http://www.w3.org/ns/dcat#distribution> "not a node", [] ."#,
        );
        assert_eq!((odd.datasets, odd.distributions), (1, 1));
        assert_eq!(score(&odd, "Keyword usage").0, 0); // an empty keyword is none
        assert_eq!(odd.points(), 30); // only DCAT-AP compliance passes
        assert!(score(&odd, "AccessURL").2[0].starts_with("_:"));
    }

    #[test]
    fn shares_round_half_up_and_ratings_follow_the_published_table() {
        let shares = [(30, 1, 2), (20, 2, 3), (5, 1, 2), (50, 0, 0)];
        assert_eq!(shares.map(|(m, p, o)| share(m, p, o)), [15, 13, 3, 0]);
        use Rating::*;
        let ratings = [351, 350, 221, 220, 121, 120].map(Rating::for_points);
        assert_eq!(
            ratings,
            [Excellent, Good, Good, Sufficient, Sufficient, Bad]
        );
    }
}
