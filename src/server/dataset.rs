//! `/dataset/{id}`: the page of one dataset (its IRI, `{base}dataset/{id}`, dereferenced):
//! what it is, how much it holds per class, a few of its items, how its last validation went;
//! for machines, the provenance of its current version.

use super::negotiate::resource_format;
use super::resource::{page_lang, serialize};
use super::{AppState, Error, html};
use crate::formats::Syntax;
use crate::store::{Answer, QueryOptions};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::{NamedOrBlankNode, Term};
use serde::{Deserialize, Serialize};

/// Items shown as a sample.
const SAMPLE: usize = 12;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/dataset/{id}", get(page))
}

#[derive(Deserialize)]
struct FormatParam {
    format: Option<String>,
}

#[derive(Serialize)]
struct ClassCount {
    class: html::TermView,
    count: u64,
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(param): Query<FormatParam>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let config = state
        .config
        .datasets
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Error::NotFound(format!("no dataset `{id}`")))?
        .clone();
    let view = state.store.published();
    let format = resource_format(&headers, param.format.as_deref())?;
    let store = state.store.clone();
    let published = view.get(&id).cloned();
    if let Syntax::Rdf(rdf) = format.syntax {
        let id = config.id.clone();
        let mut quads: Vec<_> = tokio::task::spawn_blocking(move || store.provenance(&id))
            .await
            .map_err(Error::internal)??;
        // With a catalogue, the dataset's IRI is first its DCAT-AP description.
        let site = super::site_url(&headers);
        let dcat = crate::catalog::dcat::Builder::new(
            &state.config,
            &view,
            &site,
            crate::catalog::dcat::Profile::DcatAp3,
        )
        .and_then(|builder| builder.dataset_document(&config.id));
        if let Some(dcat) = dcat {
            quads.splice(0..0, dcat);
        }
        let quads: Vec<_> = quads
            .into_iter()
            .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
            .collect();
        let mut response = serialize(rdf, &quads)
            .map_err(Error::internal)?
            .into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(format.media_type),
        );
        return Ok(response);
    }
    let lang = page_lang(&headers);
    let dumps_dir = state.config.store.dumps.clone();
    let graph = published.as_ref().map(|d| d.graph.as_str().to_owned());
    let dataset = id.clone();
    let (classes, sample, (report, manifest)) = tokio::task::spawn_blocking(move || -> Result<_, Error> {
        let Some(graph) = graph else {
            return Ok((Vec::new(), (Vec::new(), Default::default()), (None, None)));
        };
        let rows = |q: String| -> Result<Vec<Vec<Option<Term>>>, Error> {
            let Answer::Solutions(s) = store.query(&q, &QueryOptions::default())? else {
                return Ok(Vec::new());
            };
            Ok(s.collect::<Result<_, _>>()?)
        };
        let classes: Vec<(Term, u64)> = rows(format!(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) FROM <{graph}> WHERE {{ ?s a ?class }} GROUP BY ?class ORDER BY DESC(?n) ?class"
        ))?
        .into_iter()
        .filter_map(|r| match r.as_slice() {
            [Some(c), Some(Term::Literal(n))] => Some((c.clone(), n.value().parse().ok()?)),
            _ => None,
        })
        .collect();
        // Items of the most common class that has a page of its own kind (not the
        // dimensions or productions that are parts of items), else of the most common class.
        let top = classes
            .iter()
            .find(|(c, _)| match c {
                Term::NamedNode(n) => super::kinds::of([n.as_str()]) != super::kinds::GENERIC,
                _ => false,
            })
            .or(classes.first());
        let sample: Vec<Term> = match top {
            Some((Term::NamedNode(top), _)) => rows(format!(
                "SELECT ?s FROM <{graph}> WHERE {{ ?s a <{}> }} ORDER BY ?s LIMIT {SAMPLE}",
                top.as_str()
            ))?
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect(),
            _ => Vec::new(),
        };
        let nodes: Vec<NamedOrBlankNode> = sample
            .iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.clone().into()),
                _ => None,
            })
            .collect();
        let annotations = store.annotate(&nodes)?;
        let report = store.validation_report(&dataset)?;
        let manifest =
            crate::catalog::dump::current_manifest(&store.published(), &dumps_dir, Some(&dataset));
        Ok((classes, (sample, annotations), (report, manifest)))
    })
    .await
    .map_err(Error::internal)??;
    let base = state.store.base_iri();
    let classes: Vec<ClassCount> = classes
        .into_iter()
        .map(|(class, count)| ClassCount {
            class: html::TermView::new(base, &class, None, lang),
            count,
        })
        .collect();
    let (sample, annotations) = sample;
    let sample: Vec<html::TermView> = sample
        .iter()
        .map(|t| html::TermView::labelled(base, t, &annotations, lang))
        .collect();
    let (conforms, violations) = match &report {
        Some(triples) => {
            let (conforms, rows) = super::validation::rows(triples);
            (Some(conforms), rows.len())
        }
        None => (None, 0),
    };
    html::render(
        &state,
        "dataset.html",
        minijinja::context! {
            publisher => state.config.publisher.name.clone(),
            id,
            title => config.title.get(lang.code()).to_owned(),
            description => config.description.get(lang.code()).to_owned(),
            license => config.license.as_str().to_owned(),
            iri => format!("{base}dataset/{}", config.id),
            published => published.as_ref().map(|d| d.published.clone()),
            counts => published.as_ref().map(|d| minijinja::context! {
                triples => d.counts.triples,
                read => d.counts.records_read,
                published => d.counts.records_published,
                quarantined => d.counts.records_quarantined,
            }),
            version => published.as_ref().map(|d| d.version.number),
            classes,
            sample,
            catalog => state.config.catalog.is_some(),
            keywords => config
                .catalog
                .keywords
                .iter()
                .filter(|(l, _)| *l == lang.code())
                .map(|(_, k)| k.clone())
                .collect::<Vec<_>>(),
            downloads => manifest.map(|m| {
                [("N-Triples", m.ntriples), ("Turtle", m.turtle)]
                    .into_iter()
                    .map(|(name, f)| minijinja::context! {
                        name,
                        href => format!("/dumps/{}", f.path),
                        size => human_size(f.bytes),
                        sha256 => f.sha256,
                    })
                    .collect::<Vec<_>>()
            }),
            conforms,
            violations,
        },
    )
    .map(IntoResponse::into_response)
}

/// A file size for people (`1.2 MB`).
fn human_size(bytes: u64) -> String {
    let units = ["o", "ko", "Mo", "Go"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < units.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} {}", units[0])
    } else {
        format!("{value:.1} {}", units[unit])
    }
}
