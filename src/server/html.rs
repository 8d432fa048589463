//! Pages for people: the home page, one page per item, and the SPARQL query page.
//!
//! Templates live in `templates/` and are compiled into the binary (minijinja), so the binary
//! runs from any folder. Handlers build plain serialisable views; templates only lay them out.

use super::{AppState, Error, iri};
use crate::labels::{self, Lang};
use crate::vocab;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use serde::Serialize;

/// The language of the page text and of dataset titles on the home page.
const LANG: &str = "fr";

pub(super) fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    for (name, source) in [
        ("base.html", include_str!("../../templates/base.html")),
        ("home.html", include_str!("../../templates/home.html")),
        ("item.html", include_str!("../../templates/item.html")),
        ("sparql.html", include_str!("../../templates/sparql.html")),
        (
            "validation.html",
            include_str!("../../templates/validation.html"),
        ),
    ] {
        // The templates are part of the binary; a syntax error is caught by the tests.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!("template {name}: {e}");
        }
    }
    env
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
    /// `label` is the item's own `rdfs:label`; vocabulary terms get their label from
    /// [`labels`] in `lang` instead.
    fn new(base: &str, term: &Term, label: Option<String>, lang: Lang) -> Self {
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

#[derive(Serialize)]
struct PropertyView {
    predicate: TermView,
    values: Vec<TermView>,
}

/// Incoming links listed on an item page; the page says how many more there are.
const INCOMING_SHOWN: usize = 200;

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

/// The HTML page of one item: three store calls whatever its size — its description, a page
/// of the statements pointing at it, and the labels of everything either names.
pub(super) async fn item_page(
    state: &AppState,
    node: NamedNode,
    triples: Vec<Triple>,
    lang: Lang,
) -> Result<String, Error> {
    let store = state.store.clone();
    let base = store.base_iri().to_owned();
    let subject = NamedOrBlankNode::from(node.clone());
    let me = subject.clone();
    let view = tokio::task::spawn_blocking(move || -> Result<_, Error> {
        let subject = me;
        let incoming = store.referrers(&node, 0, INCOMING_SHOWN)?;
        let mut linked: Vec<NamedOrBlankNode> = triples
            .iter()
            .filter_map(|t| match &t.object {
                Term::NamedNode(n) => Some(n.clone().into()),
                _ => None,
            })
            .collect();
        linked.extend(incoming.statements.iter().map(|(s, _)| s.clone()));
        linked.push(subject.clone());
        let annotations = store.annotate(&linked)?;
        let label_of = |t: &Term| match t {
            Term::NamedNode(n) => best_label(
                annotations.labels.get(&NamedOrBlankNode::from(n.clone())),
                lang,
            ),
            _ => None,
        };
        let mut properties: Vec<PropertyView> = Vec::new();
        let mut types = Vec::new();
        for triple in triples.iter().filter(|t| t.subject == subject) {
            let predicate: Term = triple.predicate.clone().into();
            let value = TermView::new(&base, &triple.object, label_of(&triple.object), lang);
            if triple.predicate == vocab::rdf::TYPE {
                types.push(value);
                continue;
            }
            match properties
                .iter_mut()
                .find(|p| p.predicate.detail.as_deref() == Some(triple.predicate.as_str()))
            {
                Some(p) => p.values.push(value),
                None => properties.push(PropertyView {
                    predicate: TermView::new(&base, &predicate, None, lang),
                    values: vec![value],
                }),
            }
        }
        let title = best_label(annotations.labels.get(&subject), lang);
        let rows: Vec<(TermView, TermView)> = incoming
            .statements
            .into_iter()
            .map(|(s, p)| {
                let s: Term = s.into();
                let label = label_of(&s);
                (
                    TermView::new(&base, &s, label, lang),
                    TermView::new(&base, &p.into(), None, lang),
                )
            })
            .collect();
        Ok((title, types, properties, rows, incoming.total))
    })
    .await
    .map_err(Error::internal)??;
    let (title, types, properties, incoming, incoming_total) = view;
    let local = iri::local_path(state.store.base_iri(), node_iri(&subject)).unwrap_or_default();
    render(
        state,
        "item.html",
        minijinja::context! {
            publisher => state.config.publisher.name.clone(),
            title => title.unwrap_or_else(|| node_iri(&subject).to_owned()),
            iri => node_iri(&subject),
            local,
            types,
            properties,
            incoming_more => incoming_total.saturating_sub(incoming.len()),
            incoming,
            incoming_total,
        },
    )
    .map(|h| h.0)
}

fn node_iri(node: &NamedOrBlankNode) -> &str {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(b) => b.as_str(),
    }
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
                    t.as_ref().map(|t| {
                        let label = match t {
                            Term::NamedNode(n) => best_label(
                                annotations.labels.get(&NamedOrBlankNode::from(n.clone())),
                                lang,
                            ),
                            _ => None,
                        };
                        TermView::new(base, t, label, lang)
                    })
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
