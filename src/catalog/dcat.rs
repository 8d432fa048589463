//! The DCAT-AP catalogue: built from the config (what the publisher says) and the published
//! view and dump manifests (what the store holds), one page of datasets at a time.
//!
//! Every node a page mentions is described on that page (a harvester reads pages one by one)
//! and every value from an authority table is typed with the class DCAT-AP expects, so the
//! shapes can check it without the EU vocabularies. Identifiers (`{base}dataset/{id}`) are under
//! the base IRI; the URLs a harvester fetches (pages, landing pages, dumps, the endpoint) are
//! under `site`, the address the catalogue was asked for, so they answer wherever vitrine runs.

use super::dump;
use super::void::{bbox_wkt, g_year};
use crate::authority::{self, ACCESS_RIGHTS, FREQUENCIES, LANGUAGES, THEME_LABELS, THEMES};
use crate::config::{Catalog, Config, Dataset, Spatial, Text};
use crate::store::{Published, PublishedDataset};
use crate::vocab::{dcat, dcterms, foaf, geo, hydra, locn, rdf, rdfs, skos, vcard, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term, Triple};
use sha2::{Digest, Sha256};
use std::path::Path;

mod distribution;

/// The SPARQL 1.1 Protocol, which the endpoint conforms to.
const SPARQL_PROTOCOL: &str = "https://www.w3.org/TR/sparql11-protocol/";

/// Which DCAT-AP the catalogue follows. The two disagree on three points, so one document
/// cannot satisfy both: 2.1.1 wants `dcat:byteSize` as `xsd:decimal`, SHA-1 checksums and
/// `locn:geometry` as a literal; 3.0.1 wants `xsd:nonNegativeInteger`, any algorithm (vitrine
/// gives SHA-256) and `locn:geometry` as a `locn:Geometry` node (the literal goes to
/// `dcat:bbox`). 3.0.1 is the default; harvesters still on 2 ask with `?profile=dcat-ap-2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    DcatAp3,
    DcatAp2,
}

impl Profile {
    /// The profile a `profile=` parameter names.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "dcat-ap-3" | "dcat-ap-3.0.1" => Some(Self::DcatAp3),
            "dcat-ap-2" | "dcat-ap-2.1.1" => Some(Self::DcatAp2),
            _ => None,
        }
    }

    /// What page links add to keep the profile.
    fn parameter(self) -> &'static str {
        match self {
            Self::DcatAp3 => "",
            Self::DcatAp2 => "profile=dcat-ap-2&",
        }
    }
}

/// One page of the catalogue: its triples and where it sits.
pub struct Page {
    pub triples: Vec<Triple>,
    pub number: usize,
    pub pages: usize,
}

/// Builds the catalogue.
pub struct Builder<'a> {
    config: &'a Config,
    catalog: &'a Catalog,
    view: &'a Published,
    /// The dumps folder (manifests).
    dumps: &'a Path,
    /// Public root URL of the site, ending with `/`.
    site: &'a str,
    profile: Profile,
}

struct Out(Vec<Triple>);

impl Out {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.0.push(Triple::new(s.clone(), p, o));
    }

    fn text(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, text: &Text) {
        for (lang, value) in text.translations() {
            self.add(
                s,
                p,
                Literal::new_language_tagged_literal_unchecked(value, lang),
            );
        }
    }

    /// `s p o`, with `o` typed `class` (a value from a vocabulary the harvester may not load).
    fn typed(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: &str, class: NamedNodeRef<'_>) {
        let o = iri(o);
        self.add(s, p, o.clone());
        self.add(&o, rdf::TYPE, class);
    }

    fn date_time(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, value: &str) {
        if !value.is_empty() {
            self.add(s, p, Literal::new_typed_literal(value, xsd::DATE_TIME));
        }
    }
}

/// The centre of the bounding box of a WKT geometry's coordinates, as a WKT point.
fn centroid(wkt: &str) -> Option<String> {
    let numbers: Vec<f64> = wkt
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|t| t.parse().ok())
        .collect();
    if numbers.len() < 2 || !numbers.len().is_multiple_of(2) {
        return None;
    }
    let (lons, lats): (Vec<f64>, Vec<f64>) = numbers.chunks(2).map(|c| (c[0], c[1])).unzip();
    let mid = |v: &[f64]| {
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
        f64::midpoint(lo, hi)
    };
    Some(format!("POINT({} {})", mid(&lons), mid(&lats)))
}

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

/// The table's IRI of a code the config checked.
fn code_iri(table: &authority::Table, code: &str) -> String {
    table
        .iri(code)
        .unwrap_or_else(|| format!("{}{code}", table.base))
}

impl<'a> Builder<'a> {
    /// The catalogue of `config` over `view`, with its URLs under `site` (ending with `/`);
    /// `None` when the config has no `[catalog]`.
    pub fn new(
        config: &'a Config,
        view: &'a Published,
        site: &'a str,
        profile: Profile,
    ) -> Option<Self> {
        Some(Self {
            catalog: config.catalog.as_ref()?,
            dumps: &config.store.dumps,
            config,
            view,
            site,
            profile,
        })
    }
}

impl Builder<'_> {
    /// The catalogue's IRI.
    pub fn catalog_iri(&self) -> NamedNode {
        iri(&format!("{}catalog", self.config.base_iri.as_str()))
    }

    fn service_iri(&self) -> NamedNode {
        iri(&format!("{}service/sparql", self.config.base_iri.as_str()))
    }

    fn publisher_iri(&self) -> NamedNode {
        iri(&format!("{}publisher", self.config.base_iri.as_str()))
    }

    fn contact_iri(&self) -> NamedNode {
        iri(&format!("{}contact", self.config.base_iri.as_str()))
    }

    /// The published datasets of the config, in config order.
    fn datasets(&self) -> Vec<(&Dataset, &PublishedDataset)> {
        self.config
            .datasets
            .iter()
            .filter_map(|d| Some((d, self.view.get(&d.id)?)))
            .collect()
    }

    /// Page `number` (1-based; past the end gives the last page), whose links keep `suffix`
    /// (`.ttl`, or empty for the negotiated URL).
    pub fn page(&self, number: usize, suffix: &str) -> Page {
        let all = self.datasets();
        let size = self.catalog.page_size;
        let pages = all.len().div_ceil(size).max(1);
        let number = number.clamp(1, pages);
        let on_page = &all[((number - 1) * size).min(all.len())..(number * size).min(all.len())];
        let mut out = Out(Vec::new());
        self.catalog_node(&mut out, on_page, all.len());
        let keep = self.profile.parameter();
        let url = |n: usize| iri(&format!("{}catalog{suffix}?{keep}page={n}", self.site));
        let view = url(number);
        let catalog = self.catalog_iri();
        out.add(&catalog, hydra::VIEW, view.clone());
        out.add(&view, rdf::TYPE, hydra::PARTIAL_COLLECTION_VIEW);
        out.add(&view, hydra::FIRST, url(1));
        out.add(&view, hydra::LAST, url(pages));
        if number > 1 {
            out.add(&view, hydra::PREVIOUS, url(number - 1));
        }
        if number < pages {
            out.add(&view, hydra::NEXT, url(number + 1));
        }
        for (config, published) in on_page {
            self.dataset(&mut out, config, published);
        }
        Page {
            triples: out.0,
            number,
            pages,
        }
    }

    /// The description of one dataset alone (its IRI dereferenced), with the catalogue's
    /// shared nodes it needs.
    pub fn dataset_document(&self, id: &str) -> Option<Vec<Triple>> {
        let (config, published) = self.datasets().into_iter().find(|(d, _)| d.id == id)?;
        let mut out = Out(Vec::new());
        self.dataset(&mut out, config, published);
        self.service(&mut out, &self.service_iri(), &[(config, published)]);
        Some(out.0)
    }

    fn catalog_node(&self, out: &mut Out, on_page: &[(&Dataset, &PublishedDataset)], total: usize) {
        let c = &self.catalog_iri();
        let catalog = self.catalog;
        out.add(c, rdf::TYPE, dcat::CATALOG);
        out.add(c, rdf::TYPE, hydra::COLLECTION);
        out.text(c, dcterms::TITLE, &catalog.title);
        out.text(c, dcterms::DESCRIPTION, &catalog.description);
        out.add(
            c,
            hydra::TOTAL_ITEMS,
            Literal::new_typed_literal(total.to_string(), xsd::INTEGER),
        );
        self.publisher(out, c);
        out.typed(c, foaf::HOMEPAGE, catalog.homepage.as_str(), foaf::DOCUMENT);
        for lang in &catalog.languages {
            out.typed(
                c,
                dcterms::LANGUAGE,
                &code_iri(&LANGUAGES, lang),
                dcterms::LINGUISTIC_SYSTEM,
            );
        }
        out.typed(
            c,
            dcterms::LICENSE,
            catalog.license.as_str(),
            dcterms::LICENSE_DOCUMENT,
        );
        let taxonomy = iri(THEMES.base.trim_end_matches('/'));
        out.add(c, dcat::THEME_TAXONOMY, taxonomy.clone());
        out.add(&taxonomy, rdf::TYPE, skos::CONCEPT_SCHEME);
        out.text(
            &taxonomy,
            dcterms::TITLE,
            &Text {
                fr: Some("Thèmes des données".into()),
                en: Some("Data theme".into()),
            },
        );
        let dates = self.view.datasets();
        if let Some(first) = dates.iter().map(|d| &d.first_published).min() {
            out.date_time(c, dcterms::ISSUED, first);
        }
        if let Some(last) = dates.iter().map(|d| &d.published).max() {
            out.date_time(c, dcterms::MODIFIED, last);
        }
        out.add(c, rdfs::SEE_ALSO, iri(&format!("{}void", self.site)));
        let service = self.service_iri();
        out.add(c, dcat::SERVICE, service.clone());
        self.service(out, &service, on_page);
        for (d, _) in on_page {
            out.add(c, dcat::DATASET_PROP, self.config_names().dataset(&d.id));
        }
    }

    fn config_names(&self) -> crate::store::Names {
        crate::store::Names::new(&self.config.base_iri)
    }

    fn publisher(&self, out: &mut Out, of: &NamedNode) {
        let p = self.publisher_iri();
        out.add(of, dcterms::PUBLISHER, p.clone());
        out.add(&p, rdf::TYPE, foaf::AGENT);
        out.add(&p, rdf::TYPE, foaf::ORGANIZATION);
        out.add(
            &p,
            foaf::NAME,
            Literal::new_simple_literal(&self.config.publisher.name),
        );
    }

    fn contact(&self, out: &mut Out, of: &NamedNode) {
        let k = self.contact_iri();
        out.add(of, dcat::CONTACT_POINT, k.clone());
        out.add(&k, rdf::TYPE, vcard::KIND);
        out.add(&k, rdf::TYPE, vcard::ORGANIZATION);
        out.add(
            &k,
            vcard::FN,
            Literal::new_simple_literal(&self.catalog.contact.name),
        );
        out.add(
            &k,
            vcard::HAS_EMAIL,
            iri(&format!("mailto:{}", self.catalog.contact.email)),
        );
    }

    fn endpoint(&self) -> NamedNode {
        iri(&format!("{}sparql", self.site))
    }

    fn service(&self, out: &mut Out, s: &NamedNode, serves: &[(&Dataset, &PublishedDataset)]) {
        out.add(s, rdf::TYPE, dcat::DATA_SERVICE);
        out.add(
            s,
            dcterms::IDENTIFIER,
            Literal::new_simple_literal(s.as_str()),
        );
        out.text(
            s,
            dcterms::TITLE,
            &Text {
                fr: Some(format!(
                    "Point d'accès SPARQL — {}",
                    self.config.publisher.name
                )),
                en: Some(format!("SPARQL endpoint — {}", self.config.publisher.name)),
            },
        );
        out.add(s, dcat::ENDPOINT_URL, self.endpoint());
        out.add(s, dcat::ENDPOINT_DESCRIPTION, self.endpoint());
        out.typed(s, dcterms::CONFORMS_TO, SPARQL_PROTOCOL, dcterms::STANDARD);
        out.typed(
            s,
            dcterms::ACCESS_RIGHTS,
            &code_iri(&ACCESS_RIGHTS, self.catalog.access_rights),
            dcterms::RIGHTS_STATEMENT,
        );
        self.publisher(out, s);
        for (d, _) in serves {
            out.add(s, dcat::SERVES_DATASET, self.config_names().dataset(&d.id));
        }
    }

    fn dataset(&self, out: &mut Out, d: &Dataset, published: &PublishedDataset) {
        let node = self.config_names().dataset(&d.id);
        let n = &node;
        out.add(n, rdf::TYPE, dcat::DATASET);
        out.add(
            n,
            dcterms::IDENTIFIER,
            Literal::new_simple_literal(n.as_str()),
        );
        out.text(n, dcterms::TITLE, &d.title);
        out.text(n, dcterms::DESCRIPTION, &d.description);
        for (lang, keyword) in &d.catalog.keywords {
            out.add(
                n,
                dcat::KEYWORD,
                Literal::new_language_tagged_literal_unchecked(keyword, *lang),
            );
        }
        for theme in &d.catalog.themes {
            let t = iri(&code_iri(&THEMES, theme));
            out.add(n, dcat::THEME, t.clone());
            out.add(&t, rdf::TYPE, skos::CONCEPT);
            out.add(&t, skos::IN_SCHEME, iri(THEMES.base.trim_end_matches('/')));
            if let Some((_, en, fr)) = THEME_LABELS.iter().find(|(c, _, _)| c == theme) {
                out.text(
                    &t,
                    skos::PREF_LABEL,
                    &Text {
                        fr: Some((*fr).into()),
                        en: Some((*en).into()),
                    },
                );
            }
        }
        self.publisher(out, n);
        self.contact(out, n);
        out.date_time(n, dcterms::ISSUED, &published.first_published);
        out.date_time(n, dcterms::MODIFIED, &published.published);
        out.typed(
            n,
            dcterms::ACCRUAL_PERIODICITY,
            &code_iri(&FREQUENCIES, d.catalog.accrual_periodicity),
            dcterms::FREQUENCY,
        );
        for lang in &self.catalog.languages {
            out.typed(
                n,
                dcterms::LANGUAGE,
                &code_iri(&LANGUAGES, lang),
                dcterms::LINGUISTIC_SYSTEM,
            );
        }
        out.typed(
            n,
            dcterms::ACCESS_RIGHTS,
            &code_iri(&ACCESS_RIGHTS, self.catalog.access_rights),
            dcterms::RIGHTS_STATEMENT,
        );
        out.typed(
            n,
            dcat::LANDING_PAGE,
            &format!("{}dataset/{}", self.site, d.id),
            foaf::DOCUMENT,
        );
        let manifest = dump::current_manifest(self.view, self.dumps, Some(&d.id));
        // Where the items are, from their coordinates, else where the config says.
        let from_data = manifest
            .as_ref()
            .and_then(|m| m.stats.bbox)
            .map(|b| Spatial {
                iri: format!("{}#spatial", n.as_str()),
                wkt: Some(bbox_wkt(b)),
            });
        if let Some(place) = from_data.as_ref().or(d.catalog.spatial.as_ref()) {
            self.location(out, n, place);
        }
        // Years from the data become whole days: DCAT-AP 2 and 3 both take `xsd:date`.
        let span = d.catalog.temporal.clone().or_else(|| {
            let (a, b) = manifest.as_ref()?.stats.years?;
            Some((
                format!("{}-01-01", g_year(a)),
                format!("{}-12-31", g_year(b)),
            ))
        });
        if let Some((start, end)) = span {
            let t = iri(&format!("{}#period", n.as_str()));
            out.add(n, dcterms::TEMPORAL, t.clone());
            out.add(&t, rdf::TYPE, dcterms::PERIOD_OF_TIME);
            let typed = |v: &str| {
                let datatype = if v.trim_start_matches('-').contains('-') {
                    xsd::DATE
                } else {
                    xsd::G_YEAR
                };
                Literal::new_typed_literal(v, datatype)
            };
            out.add(&t, dcat::START_DATE, typed(&start));
            out.add(&t, dcat::END_DATE, typed(&end));
        }
        if let Some(m) = &manifest {
            self.dump_distributions(out, d, published, m);
        }
        let europeana = crate::reuse::edm::dump::current_manifest(self.view, self.config, &d.id);
        if let Some(file) = europeana.and_then(|m| m.file) {
            self.europeana_distribution(out, d, published, &file);
        }
        self.sparql_distribution(out, d, published);
    }

    fn location(&self, out: &mut Out, n: &NamedNode, place: &Spatial) {
        let p = iri(&place.iri);
        out.add(n, dcterms::SPATIAL, p.clone());
        out.add(&p, rdf::TYPE, dcterms::LOCATION);
        let Some(wkt) = &place.wkt else { return };
        if let Some(centre) = centroid(wkt) {
            out.add(
                &p,
                dcat::CENTROID,
                Literal::new_typed_literal(centre, geo::WKT_LITERAL),
            );
        }
        let wkt = Literal::new_typed_literal(wkt, geo::WKT_LITERAL);
        if self.profile == Profile::DcatAp2 {
            out.add(&p, dcat::BBOX, wkt.clone());
            out.add(&p, locn::GEOMETRY, wkt);
        } else {
            // One geometry node per place, named after it under the catalogue.
            let digest = Sha256::digest(place.iri.as_bytes());
            let key: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
            let shape = iri(&format!("{}#geometry-{key}", self.catalog_iri().as_str()));
            out.add(&p, dcat::BBOX, wkt.clone());
            out.add(&p, locn::GEOMETRY, shape.clone());
            out.add(&shape, rdf::TYPE, locn::GEOMETRY_CLASS);
            out.add(&shape, geo::AS_WKT, wkt);
        }
    }
}
