//! Pages for people: the home page, one page per item, and the SPARQL query page.
//!
//! Templates live in `templates/` and are compiled into the binary (minijinja), so the binary
//! runs from any folder. Handlers build plain serialisable views; templates only lay them out.

use super::resource::Found;
use super::{AppState, Error, iri};
use crate::labels::{self, Lang};
use crate::vocab;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use serde::Serialize;

/// The language of the page text and of dataset titles on the home page.
const LANG: &str = "fr";

/// The built-in templates, compiled into the binary so that it runs from any folder.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("item.html", include_str!("../../templates/item.html")),
    ("inbound.html", include_str!("../../templates/inbound.html")),
    (
        "kinds/item.html",
        include_str!("../../templates/kinds/item.html"),
    ),
    (
        "kinds/object.html",
        include_str!("../../templates/kinds/object.html"),
    ),
    (
        "kinds/person.html",
        include_str!("../../templates/kinds/person.html"),
    ),
    (
        "kinds/event.html",
        include_str!("../../templates/kinds/event.html"),
    ),
    (
        "kinds/book.html",
        include_str!("../../templates/kinds/book.html"),
    ),
    (
        "kinds/document.html",
        include_str!("../../templates/kinds/document.html"),
    ),
    (
        "kinds/place.html",
        include_str!("../../templates/kinds/place.html"),
    ),
    (
        "kinds/dataset.html",
        include_str!("../../templates/kinds/dataset.html"),
    ),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "reconcile-preview.html",
        include_str!("../../templates/reconcile-preview.html"),
    ),
    ("sparql.html", include_str!("../../templates/sparql.html")),
    (
        "validation.html",
        include_str!("../../templates/validation.html"),
    ),
];

/// The page templates: a publisher's folder (`[server] templates`) first, so that any page can
/// be replaced by a file of the same name, then the built-in ones.
pub(super) fn environment(
    overrides: Option<std::path::PathBuf>,
) -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_loader(move |name| {
        if let Some(folder) = &overrides {
            let path = folder.join(name);
            if path.is_file() {
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("cannot read {}: {e}", path.display()),
                    )
                });
            }
        }
        Ok(TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, source)| (*source).to_owned()))
    });
    env
}

/// The `Content-Security-Policy` of every page: nothing but the page itself — its own inline
/// style (allowed by hash, computed from the templates in use, the publisher's included),
/// images (works are shown from their museums' sites and Commons, some still over http), forms to this site — and no script at
/// all (the JSON-LD block is data, which CSP does not run). No other site may frame a page.
pub(super) fn content_security_policy(overrides: Option<&std::path::Path>) -> String {
    use base64::Engine;
    use sha2::Digest;
    let mut sources: Vec<String> = TEMPLATES.iter().map(|(_, s)| (*s).to_owned()).collect();
    if let Some(folder) = overrides {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                sources.push(text);
            }
        }
    }
    let mut hashes: Vec<String> = Vec::new();
    for source in &sources {
        let mut rest = source.as_str();
        while let Some(start) = rest.find("<style>") {
            let body = &rest[start + "<style>".len()..];
            let Some(end) = body.find("</style>") else {
                break;
            };
            let digest = sha2::Sha256::digest(&body.as_bytes()[..end]);
            let hash = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
            rest = &body[end..];
        }
    }
    let styles = if hashes.is_empty() {
        "'self'".to_owned()
    } else {
        hashes.join(" ")
    };
    format!(
        "default-src 'none'; style-src {styles}; img-src 'self' https: http: data:; \
         form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

pub(super) fn render(
    state: &AppState,
    name: &str,
    context: minijinja::Value,
) -> Result<Html<String>, Error> {
    state
        .pages
        .get_template(name)
        .and_then(|t| t.render(context))
        .map(Html)
        .map_err(Error::internal)
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Serialize)]
struct DatasetView {
    id: String,
    title: String,
    description: String,
    license: String,
    triples: u64,
    records_read: u64,
    records_published: u64,
    published_at: String,
    published: bool,
}

async fn home(State(state): State<AppState>) -> Result<Html<String>, Error> {
    let published = state.store.published();
    let datasets: Vec<DatasetView> = state
        .config
        .datasets
        .iter()
        .map(|d| {
            let status = published.get(&d.id);
            DatasetView {
                id: d.id.clone(),
                title: d.title.get(LANG).to_owned(),
                description: d.description.get(LANG).to_owned(),
                license: d.license.as_str().to_owned(),
                triples: status.map_or(0, |s| s.counts.triples),
                records_read: status.map_or(0, |s| s.counts.records_read),
                records_published: status.map_or(0, |s| s.counts.records_published),
                published_at: status.map(|s| s.published.clone()).unwrap_or_default(),
                published: status.is_some(),
            }
        })
        .collect();
    render(
        &state,
        "home.html",
        minijinja::context! {
            publisher => state.config.publisher.name.clone(),
            homepage => state.config.publisher.homepage.clone(),
            email => state.config.publisher.email.clone(),
            base => state.store.base_iri(),
            catalog => state.config.catalog.is_some(),
            datasets,
        },
    )
}

/// A term as the templates show it.
#[derive(Serialize, Clone)]
pub(super) struct TermView {
    /// `iri`, `literal` or `blank`.
    kind: &'static str,
    /// What the reader sees: a vocabulary label, the item's own label, a compact name or the IRI.
    text: String,
    /// Link target: a local path for our own IRIs, the IRI itself otherwise.
    href: Option<String>,
    /// Full IRI, language tag or datatype.
    detail: Option<String>,
    /// Tooltip: the vocabulary definition and compact name for vocabulary terms, else the IRI.
    title: Option<String>,
    /// Compact name (`crm:P108i_was_produced_by`) shown in small type beside a vocabulary label.
    name: Option<String>,
    /// Language of `text` when it is a vocabulary label.
    lang: Option<&'static str>,
}

impl TermView {
    /// `t` named by its best label among `annotations`.
    pub(super) fn labelled(
        base: &str,
        t: &Term,
        annotations: &crate::store::Annotations,
        lang: Lang,
    ) -> Self {
        let label = match t {
            Term::NamedNode(n) => best_label(
                annotations.labels.get(&NamedOrBlankNode::from(n.clone())),
                lang,
            ),
            _ => None,
        };
        Self::new(base, t, label, lang)
    }

    /// `label` is the item's own `rdfs:label`; vocabulary terms get their label from
    /// [`labels`] in `lang` instead.
    pub(super) fn new(base: &str, term: &Term, label: Option<String>, lang: Lang) -> Self {
        match term {
            Term::NamedNode(n) => {
                let iri = n.as_str();
                let name = vocab::compact_or_full(iri);
                let href = Some(iri::local_path(base, iri).unwrap_or_else(|| iri.to_owned()));
                if let Some(text) = labels::label(iri, lang) {
                    let title = match labels::definition(iri, lang) {
                        Some(definition) => format!("{definition} ({name})"),
                        None => name.clone(),
                    };
                    return TermView {
                        kind: "iri",
                        text: text.to_owned(),
                        href,
                        detail: Some(iri.to_owned()),
                        title: Some(title),
                        name: Some(name),
                        lang: Some(lang.code()),
                    };
                }
                TermView {
                    kind: "iri",
                    text: label.unwrap_or(name),
                    href,
                    detail: Some(iri.to_owned()),
                    title: Some(iri.to_owned()),
                    name: None,
                    lang: None,
                }
            }
            Term::BlankNode(b) => TermView {
                kind: "blank",
                text: format!("_:{}", b.as_str()),
                href: None,
                detail: None,
                title: None,
                name: None,
                lang: None,
            },
            Term::Literal(l) => TermView {
                kind: "literal",
                text: l.value().to_owned(),
                href: None,
                detail: l.language().map(|l| format!("@{l}")).or_else(|| {
                    let dt = l.datatype();
                    (dt != vocab::xsd::STRING).then(|| vocab::compact_or_full(dt.as_str()))
                }),
                title: None,
                name: None,
                lang: None,
            },
        }
    }
}

/// The label to show for a resource: in the reader's language, else French or English, else
/// any.
fn best_label(labels: Option<&Vec<oxigraph::model::Literal>>, lang: Lang) -> Option<String> {
    let labels = labels?;
    let with = |tag: &str| labels.iter().find(|l| l.language() == Some(tag));
    with(lang.code())
        .or_else(|| Lang::ALL.iter().find_map(|l| with(l.code())))
        .or_else(|| labels.first())
        .map(|l| l.value().to_owned())
}

/// A property of an item with its values; a value that is a node of the item itself (a blank
/// node, or an IRI minted under the item's, like its production) carries its own properties,
/// so the page reads "produced by: Production (carried out by: Monet; time-span: 1872)".
#[derive(Serialize)]
struct PropertyView {
    predicate: TermView,
    values: Vec<ValueView>,
}

#[derive(Serialize)]
struct ValueView {
    #[serde(flatten)]
    term: TermView,
    /// The properties of a node that belongs to the item.
    parts: Vec<PropertyView>,
}

/// A group of incoming links sharing their property.
#[derive(Serialize)]
struct IncomingView {
    predicate: TermView,
    subjects: Vec<TermView>,
}

/// The dataset an item comes from, as its page credits it.
#[derive(Serialize)]
struct SourceView {
    id: String,
    title: String,
    license: String,
    published: String,
}

/// Builds the pages of one item from what the store returned for it.
struct ItemBuilder<'a> {
    base: &'a str,
    found: &'a Found,
    lang: Lang,
    triples: Vec<Triple>,
}

impl ItemBuilder<'_> {
    fn label(&self, t: &Term) -> Option<String> {
        let node = match t {
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            Term::Literal(_) => return None,
        };
        best_label(self.found.annotations.labels.get(&node), self.lang).or_else(|| {
            // Nodes of the item are described in full: their labels are in the description.
            let labels: Vec<oxigraph::model::Literal> = self
                .triples
                .iter()
                .filter(|x| {
                    x.subject == node && vocab::LABEL_PREDICATES.contains(&x.predicate.as_ref())
                })
                .filter_map(|x| match &x.object {
                    Term::Literal(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            best_label(Some(&labels), self.lang)
        })
    }

    fn term(&self, t: &Term) -> TermView {
        TermView::new(self.base, t, self.label(t), self.lang)
    }

    /// Whether `t` is a node of the item: described with it, shown inside it.
    fn is_part(&self, t: &Term) -> bool {
        match t {
            Term::BlankNode(_) => true,
            Term::NamedNode(n) => crate::store::is_part_of(n.as_str(), self.found.node.as_str()),
            Term::Literal(_) => false,
        }
    }

    /// The properties of `subject` (not its types), parts nested up to `depth` levels.
    fn properties(&self, subject: &NamedOrBlankNode, depth: usize) -> Vec<PropertyView> {
        let mut out: Vec<PropertyView> = Vec::new();
        let part = subject != &NamedOrBlankNode::from(self.found.node.clone());
        for t in self.triples.iter().filter(|t| &t.subject == subject) {
            // A part's label is already the text of its link.
            if t.predicate == vocab::rdf::TYPE
                || (part && vocab::LABEL_PREDICATES.contains(&t.predicate.as_ref()))
            {
                continue;
            }
            let parts = match (&t.object, depth) {
                (Term::NamedNode(n), 1..) if self.is_part(&t.object) => {
                    self.properties(&n.clone().into(), depth - 1)
                }
                (Term::BlankNode(b), 1..) => self.properties(&b.clone().into(), depth - 1),
                _ => Vec::new(),
            };
            let value = ValueView {
                term: self.term(&t.object),
                parts,
            };
            match out
                .iter_mut()
                .find(|p| p.predicate.detail.as_deref() == Some(t.predicate.as_str()))
            {
                Some(p) => p.values.push(value),
                None => out.push(PropertyView {
                    predicate: TermView::new(
                        self.base,
                        &t.predicate.clone().into(),
                        None,
                        self.lang,
                    ),
                    values: vec![value],
                }),
            }
        }
        out
    }

    fn objects<'b>(
        &'b self,
        subject: &'b NamedOrBlankNode,
        predicates: Predicates,
    ) -> impl Iterator<Item = &'b Term> + 'b {
        self.triples
            .iter()
            .filter(move |t| &t.subject == subject && predicates.contains(&t.predicate.as_ref()))
            .map(|t| &t.object)
    }
}

pub(super) type Predicates = &'static [NamedNodeRef<'static>];

pub(super) const IMAGE_PREDICATES: Predicates = &[
    vocab::foaf::DEPICTION,
    vocab::schema::IMAGE,
    vocab::edm::IS_SHOWN_BY,
    vocab::crm::P138I_HAS_REPRESENTATION,
];
const TYPE: Predicates = &[vocab::rdf::TYPE];
pub(super) const PRODUCTION: Predicates = &[
    vocab::crm::P108I_WAS_PRODUCED_BY,
    vocab::crm::P94I_WAS_CREATED_BY,
];
pub(super) const CARRIED_OUT_BY: Predicates =
    &[vocab::crm::P14_CARRIED_OUT_BY, vocab::dcterms::CREATOR];
pub(super) const TIME_SPAN: Predicates = &[vocab::crm::P4_HAS_TIME_SPAN];
pub(super) const DATE: Predicates = &[
    vocab::dcterms::DATE,
    vocab::dcterms::CREATED,
    vocab::dcterms::ISSUED,
];
const KEEPER: Predicates = &[vocab::crm::P50_HAS_CURRENT_KEEPER];
pub(super) const DESCRIPTION: Predicates = &[vocab::dcterms::DESCRIPTION, vocab::dc::DESCRIPTION];

/// The HTML page of one item (or of one page of its incoming links), from what
/// [`super::resource`] fetched: no further store call.
pub(super) fn item_page(
    state: &AppState,
    view: &crate::store::Published,
    found: &Found,
    lang: Lang,
    inbound: Option<usize>,
    pages: usize,
) -> Result<String, Error> {
    let base = state.store.base_iri();
    let mut seen = rustc_hash::FxHashSet::default();
    let triples: Vec<Triple> = found
        .quads
        .iter()
        .map(|q| Triple::from(q.clone()))
        .filter(|t| seen.insert(t.clone()))
        .collect();
    let b = ItemBuilder {
        base,
        found,
        lang,
        triples,
    };
    let subject = NamedOrBlankNode::from(found.node.clone());
    let iri = found.node.as_str();
    let title = b
        .label(&found.node.clone().into())
        .unwrap_or_else(|| iri.to_owned());
    let type_iris: Vec<&str> = b
        .objects(&subject, TYPE)
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let kind = super::kinds::of(type_iris.iter().copied());
    let types: Vec<TermView> = b.objects(&subject, TYPE).map(|t| b.term(t)).collect();
    let image = b.objects(&subject, IMAGE_PREDICATES).find_map(|t| match t {
        Term::NamedNode(n) if n.as_str().starts_with("http") => Some(n.as_str().to_owned()),
        _ => None,
    });
    // The production's makers and dates, read through the CIDOC-CRM chain or Dublin Core.
    let productions: Vec<NamedOrBlankNode> = b
        .objects(&subject, PRODUCTION)
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n.clone().into()),
            Term::BlankNode(n) => Some(n.clone().into()),
            Term::Literal(_) => None,
        })
        .collect();
    let mut makers: Vec<TermView> = b
        .objects(&subject, CARRIED_OUT_BY)
        .map(|t| b.term(t))
        .collect();
    let mut dates: Vec<String> = b
        .objects(&subject, DATE)
        .filter_map(|t| b.label(t).or_else(|| literal(t)))
        .collect();
    for p in &productions {
        makers.extend(b.objects(p, CARRIED_OUT_BY).map(|t| b.term(t)));
        dates.extend(b.objects(p, TIME_SPAN).filter_map(|t| b.label(t)));
    }
    // Dublin Core and CIDOC-CRM layers usually say the same thing twice.
    let mut seen_makers = rustc_hash::FxHashSet::default();
    makers.retain(|m| seen_makers.insert(m.detail.clone().unwrap_or_else(|| m.text.clone())));
    let mut seen_dates = rustc_hash::FxHashSet::default();
    dates.retain(|d| seen_dates.insert(d.clone()));
    let keepers: Vec<TermView> = b.objects(&subject, KEEPER).map(|t| b.term(t)).collect();
    let description = b.objects(&subject, DESCRIPTION).find_map(literal);
    let properties = b.properties(&subject, 2);

    let mut incoming: Vec<IncomingView> = Vec::new();
    for (s, p) in &found.incoming.statements {
        let s = b.term(&s.clone().into());
        match incoming
            .iter_mut()
            .find(|g| g.predicate.detail.as_deref() == Some(p.as_str()))
        {
            Some(g) => g.subjects.push(s),
            None => incoming.push(IncomingView {
                predicate: TermView::new(base, &p.clone().into(), None, lang),
                subjects: vec![s],
            }),
        }
    }
    let mut sources: Vec<SourceView> = Vec::new();
    for q in &found.quads {
        let GraphName::NamedNode(g) = &q.graph_name else {
            continue;
        };
        let Some(d) = view.by_graph(g.as_str()) else {
            continue;
        };
        if sources.iter().any(|s| s.id == d.id) {
            continue;
        }
        let config = state.config.datasets.iter().find(|c| c.id == d.id);
        sources.push(SourceView {
            id: d.id.clone(),
            title: config.map_or_else(|| d.id.clone(), |c| c.title.get(lang.code()).to_owned()),
            license: config
                .map(|c| c.license.as_str().to_owned())
                .unwrap_or_default(),
            published: d.published.clone(),
        });
    }
    let local = iri::local_path(base, iri).unwrap_or_default();
    let query = format!("SELECT ?property ?value WHERE {{ <{iri}> ?property ?value }}");
    let json_ld = schema_org(
        iri,
        kind,
        &title,
        image.as_deref(),
        &makers,
        &dates,
        description.as_deref(),
    );
    let manifest =
        super::iiif::manifest_of(state, found).and_then(|m| super::iiif::local_href(state, &m));
    let files = super::documents::files(base, &subject, &b.triples, lang);
    let documents = super::documents::views(base, &found.documents, lang);
    let template = match inbound {
        Some(_) => "inbound.html".to_owned(),
        None => format!("kinds/{}.html", kind.name),
    };
    let context = minijinja::context! {
        publisher => state.config.publisher.name.clone(),
        lang => lang.code(),
        title,
        iri,
        local,
        kind => kind.name,
        types,
        image,
        makers,
        dates,
        keepers,
        description,
        properties,
        incoming,
        incoming_total => found.incoming.total,
        page => inbound.unwrap_or(1),
        pages,
        sources,
        query_href => format!("/sparql?query={}", percent_encode(&query)),
        json_ld,
        manifest,
        files,
        documents,
    };
    // A publisher's folder may lack a kind's template: the generic page then serves.
    let page = match state.pages.get_template(&template) {
        Ok(t) => t.render(&context),
        Err(_) => state
            .pages
            .get_template("item.html")
            .and_then(|t| t.render(&context)),
    };
    page.map_err(Error::internal)
}

fn literal(t: &Term) -> Option<String> {
    match t {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

/// The schema.org description embedded in the page for search engines, as JSON text safe
/// inside `<script>`.
fn schema_org(
    iri: &str,
    kind: super::kinds::Kind,
    name: &str,
    image: Option<&str>,
    makers: &[TermView],
    dates: &[String],
    description: Option<&str>,
) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": kind.schema,
        "@id": iri,
        "url": iri,
        "name": name,
    });
    if let Some(image) = image {
        doc["image"] = image.into();
    }
    if let Some(d) = description {
        doc["description"] = d.into();
    }
    let people: Vec<serde_json::Value> = makers
        .iter()
        .map(|m| serde_json::json!({"@type": "Person", "name": m.text, "@id": m.detail}))
        .collect();
    if !people.is_empty() {
        let key = if kind.schema == "Book" {
            "author"
        } else {
            "creator"
        };
        doc[key] = people.into();
    }
    if let Some(date) = dates.first() {
        let key = if kind.schema == "Event" {
            "startDate"
        } else {
            "dateCreated"
        };
        doc[key] = date.as_str().into();
    }
    doc.to_string().replace("</", "<\\/")
}

/// A result table for the SPARQL page: the first rows of an answer.
pub(crate) struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Option<Term>>>,
    /// The answer had more rows than the table shows.
    more: bool,
    /// A graph (CONSTRUCT, DESCRIBE) rather than solutions.
    graph: bool,
}

impl Table {
    /// The first `max` rows of `answer`.
    pub(super) fn from_answer(
        answer: crate::store::Answer,
        max: usize,
    ) -> Result<Self, crate::store::Error> {
        use crate::store::Answer;
        let mut more = false;
        let (columns, rows, graph) = match answer {
            Answer::Boolean(b) => (
                vec!["ASK".to_owned()],
                vec![vec![Some(oxigraph::model::Literal::from(b).into())]],
                false,
            ),
            Answer::Solutions(solutions) => {
                let columns = solutions
                    .variables()
                    .iter()
                    .map(|v| v.as_str().to_owned())
                    .collect();
                let mut rows = Vec::new();
                for row in solutions {
                    if rows.len() == max {
                        more = true;
                        break;
                    }
                    rows.push(row?);
                }
                (columns, rows, false)
            }
            Answer::Graph(triples) => {
                let mut rows = Vec::new();
                for t in triples {
                    if rows.len() == max {
                        more = true;
                        break;
                    }
                    let t = t?;
                    rows.push(vec![
                        Some(t.subject.into()),
                        Some(t.predicate.into()),
                        Some(t.object),
                    ]);
                }
                (
                    vec!["subject".into(), "predicate".into(), "object".into()],
                    rows,
                    true,
                )
            }
        };
        Ok(Self {
            columns,
            rows,
            more,
            graph,
        })
    }
}

/// An example query as the page lists it.
#[derive(Serialize)]
struct ExampleView {
    title: String,
    description: String,
    text: &'static str,
    href: String,
}

fn example_views() -> Vec<ExampleView> {
    super::examples::examples()
        .into_iter()
        .map(|e| ExampleView {
            href: format!("/sparql?query={}", percent_encode(e.text)),
            title: e.title,
            description: e.description,
            text: e.text,
        })
        .collect()
}

/// Percent-encodes a query parameter value.
fn percent_encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// The query page with an empty form and the example queries.
pub(super) fn sparql_form(state: &AppState) -> Result<Html<String>, Error> {
    let examples = example_views();
    let query = examples.first().map_or("", |e| e.text);
    render(
        state,
        "sparql.html",
        minijinja::context! {
            publisher => state.config.publisher.name.clone(),
            query,
            examples,
        },
    )
}

/// A download link of the answer in one format.
#[derive(Serialize)]
struct Download {
    name: &'static str,
    href: String,
}

/// The query page showing `table` under the query that produced it; the resources in it are
/// named by their labels, fetched in one store call.
pub(super) fn sparql_results(
    state: &AppState,
    query: &str,
    table: &Table,
    lang: Lang,
) -> Result<Html<String>, Error> {
    let base = state.store.base_iri();
    let nodes: Vec<NamedOrBlankNode> = table
        .rows
        .iter()
        .flatten()
        .filter_map(|t| match t {
            Some(Term::NamedNode(n)) => Some(n.clone().into()),
            _ => None,
        })
        .collect();
    let annotations = state.store.annotate(&nodes)?;
    let rows: Vec<Vec<Option<TermView>>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| {
                    t.as_ref()
                        .map(|t| TermView::labelled(base, t, &annotations, lang))
                })
                .collect()
        })
        .collect();
    let encoded = percent_encode(query);
    let offered: &[crate::formats::Format] = if table.graph {
        &crate::formats::GRAPHS
    } else {
        &crate::formats::SOLUTIONS
    };
    let downloads: Vec<Download> = offered
        .iter()
        .map(|f| Download {
            name: f.names[0],
            href: format!("/sparql?query={encoded}&format={}", f.names[0]),
        })
        .collect();
    render(
        state,
        "sparql.html",
        minijinja::context! {
            publisher => state.config.publisher.name.clone(),
            query,
            columns => table.columns.clone(),
            rows,
            count => table.rows.len(),
            more => table.more,
            downloads,
            examples => example_views(),
        },
    )
}
