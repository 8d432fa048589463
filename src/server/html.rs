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
use oxigraph::model::{NamedNode, NamedOrBlankNodeRef, Quad, Term};
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
    let store = state.store.clone();
    let statuses = tokio::task::spawn_blocking(move || store.datasets())
        .await
        .map_err(Error::internal)??;
    let datasets: Vec<DatasetView> = state
        .config
        .datasets
        .iter()
        .map(|d| {
            let status = statuses.iter().find(|s| s.id == d.id);
            DatasetView {
                id: d.id.clone(),
                title: d.title.get(LANG).to_owned(),
                description: d.description.get(LANG).to_owned(),
                license: d.license.as_str().to_owned(),
                triples: status.map_or(0, |s| s.triples),
                records_read: status.map_or(0, |s| s.records_read),
                records_published: status.map_or(0, |s| s.records_published),
                published_at: status.map(|s| s.published_at.clone()).unwrap_or_default(),
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

/// The HTML page of one item.
pub(super) async fn item_page(
    state: &AppState,
    node: NamedNode,
    quads: Vec<Quad>,
    lang: Lang,
) -> Result<String, Error> {
    let store = state.store.clone();
    let base = store.base_iri().to_owned();
    let subject = node.clone();
    let view = tokio::task::spawn_blocking(move || -> Result<_, Error> {
        let label_of = |t: &Term| -> Result<Option<String>, Error> {
            Ok(match t {
                Term::NamedNode(n) => {
                    store.label(NamedOrBlankNodeRef::from(n.as_ref()), lang.code())?
                }
                _ => None,
            })
        };
        let mut properties: Vec<PropertyView> = Vec::new();
        let mut title = None;
        let mut types = Vec::new();
        for quad in quads.iter().filter(|q| q.subject == subject.clone().into()) {
            let predicate: Term = quad.predicate.clone().into();
            if quad.predicate == vocab::rdfs::LABEL && title.is_none() {
                if let Term::Literal(l) = &quad.object {
                    title = Some(l.value().to_owned());
                }
            }
            let value = TermView::new(&base, &quad.object, label_of(&quad.object)?, lang);
            if quad.predicate == vocab::rdf::TYPE {
                types.push(value);
                continue;
            }
            match properties
                .iter_mut()
                .find(|p| p.predicate.detail.as_deref() == Some(quad.predicate.as_str()))
            {
                Some(p) => p.values.push(value),
                None => properties.push(PropertyView {
                    predicate: TermView::new(&base, &predicate, None, lang),
                    values: vec![value],
                }),
            }
        }
        let incoming: Vec<(TermView, TermView)> = store
            .referrers(subject.as_ref(), 200)?
            .into_iter()
            .map(|(s, p)| {
                let s: Term = s.into();
                let label = label_of(&s)?;
                Ok((
                    TermView::new(&base, &s, label, lang),
                    TermView::new(&base, &p.into(), None, lang),
                ))
            })
            .collect::<Result<_, Error>>()?;
        Ok((title, types, properties, incoming))
    })
    .await
    .map_err(Error::internal)??;
    let (title, types, properties, incoming) = view;
    let local = iri::local_path(state.store.base_iri(), node.as_str()).unwrap_or_default();
    render(
        state,
        "item.html",
        minijinja::context! {
            publisher => state.config.publisher.name.clone(),
            title => title.unwrap_or_else(|| node.as_str().to_owned()),
            iri => node.as_str(),
            local,
            types,
            properties,
            incoming,
        },
    )
    .map(|h| h.0)
}

/// A result table for the SPARQL page.
pub(crate) struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Option<Term>>>,
}

impl Table {
    pub(super) fn new(columns: Vec<String>) -> Self {
        Self {
            columns,
            rows: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, row: Vec<Option<Term>>) {
        self.rows.push(row);
    }
}

/// The query page with an empty form.
pub(super) fn sparql_form(state: &AppState) -> Result<Html<String>, Error> {
    let example = "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n\nSELECT ?object ?title WHERE {\n  ?object a crm:E22_Human-Made_Object ;\n          dcterms:title ?title .\n}\nLIMIT 20";
    render(
        state,
        "sparql.html",
        minijinja::context! { publisher => state.config.publisher.name.clone(), query => example },
    )
}

/// The query page showing `table` under the query that produced it.
pub(super) fn sparql_results(
    state: &AppState,
    query: &str,
    table: &Table,
    lang: Lang,
) -> Result<Html<String>, Error> {
    let base = state.store.base_iri();
    let rows: Vec<Vec<Option<TermView>>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(|t| TermView::new(base, t, None, lang)))
                .collect()
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
        },
    )
}
