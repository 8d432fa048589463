//! `/search?q=`: the items whose labels or titles (or whose makers' names) contain the words,
//! ranked (BM25), paged, with counts per dataset and per kind, as HTML and JSON.
//!
//! The index is a tantivy index in memory, built from the published data: when the server
//! starts and after each publication (the first search that sees a new generation of the
//! published view rebuilds it; searches meanwhile wait for it rather than read stale entries).
//! Words are folded to ASCII and lower case on both sides, so "theatre" finds "théâtre" and
//! "GAUGUIN" finds "Gauguin".

use super::negotiate::choose;
use super::sparql::{Cached, Key};
use super::{AppState, Error, html, iri};
use crate::formats;
use crate::store::{Answer, QueryOptions};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::Term;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, QueryParser, TermQuery};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, TantivyDocument, Term as IndexTerm, doc};

/// Results per page.
pub(super) const PAGE: usize = 20;
/// The analyser of labels and queries.
const FOLDED: &str = "folded";

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

/// The index of one publication.
pub(super) struct Built {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

#[derive(Clone, Copy)]
struct Fields {
    iri: Field,
    label: Field,
    makers: Field,
    dataset: Field,
    kind: Field,
}

/// The search index, rebuilt when the published data changes.
pub(super) type SearchIndex = super::publication::PerPublication<Built>;

#[derive(Deserialize, Default)]
struct Params {
    #[serde(default)]
    q: String,
    page: Option<usize>,
    dataset: Option<String>,
    kind: Option<String>,
    format: Option<String>,
}

#[derive(Serialize)]
struct Hit {
    iri: String,
    /// The item's page on this server.
    href: String,
    label: String,
    datasets: Vec<String>,
    kind: String,
    score: f32,
}

#[derive(Serialize)]
struct FacetCount {
    value: String,
    count: u64,
}

#[derive(Serialize)]
struct Results {
    query: String,
    /// The query, percent-encoded for links.
    encoded: String,
    total: usize,
    page: usize,
    pages: usize,
    dataset: Option<String>,
    kind: Option<String>,
    results: Vec<Hit>,
    datasets: Vec<FacetCount>,
    kinds: Vec<FacetCount>,
}

async fn search(
    State(state): State<AppState>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let names: Vec<String> = params.format.iter().cloned().collect();
    let format = choose(&headers, &names, &[formats::HTML, formats::JSON])?;
    let page = params.page.unwrap_or(1).max(1);
    // Results only change at publication: a repeated search is answered from the cache.
    let key = Key::document(
        &state.store.published(),
        format!(
            "search {:?} {page} {:?} {:?} {}",
            params.q, params.dataset, params.kind, format.extension
        ),
    );
    if let Some(hit) = state.cache.get(&key) {
        let mut response = hit.body.into_response();
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static(hit.media_type),
        );
        return Ok(response);
    }
    let built = index(&state).await?;
    let base = state.store.base_iri().to_owned();
    let results = tokio::task::spawn_blocking(move || run(&built, &params, page, &base))
        .await
        .map_err(Error::internal)??;
    let (body, media_type) = if format == formats::JSON {
        (
            serde_json::to_vec(&results).map_err(Error::internal)?,
            "application/json",
        )
    } else {
        let page = html::render(
            &state,
            "search.html",
            minijinja::context! {
                publisher => state.config.publisher.name.clone(),
                results,
            },
        )?;
        (page.0.into_bytes(), "text/html; charset=utf-8")
    };
    let body = axum::body::Bytes::from(body);
    state.cache.insert(
        key,
        Cached {
            media_type,
            html: format == formats::HTML,
            body: body.clone(),
            links: None,
        },
    );
    let mut response = body.into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(media_type),
    );
    Ok(response)
}

fn run(built: &Built, params: &Params, page: usize, base: &str) -> Result<Results, Error> {
    let f = built.fields;
    let searcher = built.reader.searcher();
    let mut parser = QueryParser::for_index(&built.index, vec![f.label, f.makers]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.label, 2.0);
    // Visitors type words, not query syntax: what tantivy cannot read is dropped, not an error.
    let (text, _) = parser.parse_query_lenient(&params.q);
    let mut clauses = vec![(Occur::Must, text)];
    for (field, value) in [(f.dataset, &params.dataset), (f.kind, &params.kind)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    IndexTerm::from_facet(field, &tantivy::schema::Facet::from_path([v])),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    let query = BooleanQuery::new(clauses);
    let mut datasets = FacetCollector::for_field("dataset");
    datasets.add_facet("/");
    let mut kinds = FacetCollector::for_field("kind");
    kinds.add_facet("/");
    let top = TopDocs::with_limit(PAGE)
        .and_offset((page - 1) * PAGE)
        .order_by_score();
    let (hits, total, dataset_counts, kind_counts) = searcher
        .search(&query, &(top, Count, datasets, kinds))
        .map_err(Error::internal)?;
    let facet_list = |counts: &tantivy::collector::FacetCounts| -> Vec<FacetCount> {
        let mut out: Vec<FacetCount> = counts
            .get("/")
            .map(|(facet, count)| FacetCount {
                value: facet
                    .to_path()
                    .last()
                    .map(|s| (*s).to_owned())
                    .unwrap_or_default(),
                count,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        out
    };
    let mut results = Vec::with_capacity(hits.len());
    for (score, address) in hits {
        let doc: TantivyDocument = searcher.doc(address).map_err(Error::internal)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let iri = text(f.iri);
        let datasets = doc
            .get_all(f.dataset)
            .filter_map(|v| v.as_facet().map(|p| p.trim_start_matches('/').to_owned()))
            .collect();
        let kind = doc
            .get_first(f.kind)
            .and_then(|v| v.as_facet().map(|p| p.trim_start_matches('/').to_owned()))
            .unwrap_or_default();
        results.push(Hit {
            href: iri::local_path(base, &iri).unwrap_or_else(|| iri.clone()),
            label: text(f.label),
            iri,
            datasets,
            kind,
            score,
        });
    }
    Ok(Results {
        encoded: serde_urlencoded::to_string([("q", &params.q)]).unwrap_or_default(),
        query: params.q.clone(),
        total,
        page,
        pages: total.div_ceil(PAGE).max(1),
        dataset: params.dataset.clone(),
        kind: params.kind.clone(),
        results,
        datasets: facet_list(&dataset_counts),
        kinds: facet_list(&kind_counts),
    })
}

/// The index of the current publication, built first if it is not.
pub(super) async fn index(state: &AppState) -> Result<Arc<Built>, Error> {
    if let Some(b) = state.search.get(state.store.published().generation()) {
        return Ok(b);
    }
    let state = state.clone();
    tokio::task::spawn_blocking(move || rebuild(&state))
        .await
        .map_err(Error::internal)?
}

/// Builds the index of what is published now, unless it is built.
pub(super) fn rebuild(state: &AppState) -> Result<Arc<Built>, Error> {
    let generation = state.store.published().generation();
    state.search.get_or_build(generation, || build(state))
}

/// One item as indexed.
#[derive(Default)]
struct Entry {
    labels: Vec<String>,
    makers: Vec<String>,
    datasets: FxHashSet<String>,
    types: Vec<String>,
}

fn build(state: &AppState) -> Result<Built, Error> {
    let started = std::time::Instant::now();
    let store = &state.store;
    let view = store.published();
    let prefix = store.base_iri().to_owned();
    let rows = |query: String| -> Result<Vec<Vec<Option<Term>>>, Error> {
        let Answer::Solutions(s) = store.query(&query, &QueryOptions::default())? else {
            return Ok(Vec::new());
        };
        Ok(s.collect::<Result<_, _>>()?)
    };
    let text = |t: &Option<Term>| match t {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
        _ => None,
    };
    let mut entries: FxHashMap<String, Entry> = FxHashMap::default();
    // Every resource minted under the base is an item, whatever its path (`id/…`, `object/…`).
    let filter = format!("FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{prefix}\"))");
    for row in rows(format!(
        "SELECT ?s ?l ?g WHERE {{ GRAPH ?g {{ ?s ?p ?l }} VALUES ?p {{ <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel> <http://purl.org/dc/terms/title> <http://xmlns.com/foaf/0.1/name> }} {filter} }}"
    ))? {
        let (Some(s), Some(l)) = (text(&row[0]), text(&row[1])) else {
            continue;
        };
        let entry = entries.entry(s).or_default();
        if !entry.labels.contains(&l) {
            entry.labels.push(l);
        }
        if let Some(d) = text(&row[2]).and_then(|g| view.by_graph(&g).map(|d| d.id.clone())) {
            entry.datasets.insert(d);
        }
    }
    for row in rows(format!("SELECT ?s ?t WHERE {{ ?s a ?t {filter} }}"))? {
        if let (Some(s), Some(t)) = (text(&row[0]), text(&row[1])) {
            if let Some(e) = entries.get_mut(&s) {
                e.types.push(t);
            }
        }
    }
    for row in rows(format!(
        "SELECT ?s ?name WHERE {{ ?s <http://purl.org/dc/terms/creator> ?c . ?c <http://www.w3.org/2000/01/rdf-schema#label> ?name {filter} }}"
    ))? {
        if let (Some(s), Some(n)) = (text(&row[0]), text(&row[1])) {
            if let Some(e) = entries.get_mut(&s) {
                if !e.makers.contains(&n) {
                    e.makers.push(n);
                }
            }
        }
    }
    // Parts of an item (its production, its dimensions; see `store::is_part_of`) are found
    // through the item: an IRI is one when cut at a `/` or `#` it names another entry.
    let part = |iri: &str| {
        iri.char_indices()
            .filter(|(i, c)| (*c == '/' || *c == '#') && *i > prefix.len())
            .any(|(i, _)| entries.contains_key(&iri[..i]))
    };
    let parts: FxHashSet<String> = entries.keys().filter(|k| part(k)).cloned().collect();

    let mut schema = Schema::builder();
    let folded = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FOLDED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        iri: schema.add_text_field("iri", STRING | STORED),
        label: schema.add_text_field("label", folded.clone() | STORED),
        // Stored for reconciliation, which describes a candidate by its makers.
        makers: schema.add_text_field("makers", folded | STORED),
        dataset: schema.add_facet_field("dataset", FacetOptions::default() | STORED),
        kind: schema.add_facet_field("kind", FacetOptions::default() | STORED),
    };
    let index = Index::create_in_ram(schema.build());
    index.tokenizers().register(
        FOLDED,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(1, 50_000_000)
        .map_err(Error::internal)?;
    let mut count = 0usize;
    for (iri, entry) in &entries {
        if parts.contains(iri) {
            continue;
        }
        let kind = super::kinds::of(entry.types.iter().map(String::as_str));
        let mut d = doc!(
            fields.iri => iri.as_str(),
            fields.kind => tantivy::schema::Facet::from_path([kind.name]),
        );
        // The first label is the one shown; every label is searched.
        for l in &entry.labels {
            d.add_text(fields.label, l);
        }
        for m in &entry.makers {
            d.add_text(fields.makers, m);
        }
        for ds in &entry.datasets {
            d.add_facet(
                fields.dataset,
                tantivy::schema::Facet::from_path([ds.as_str()]),
            );
        }
        writer.add_document(d).map_err(Error::internal)?;
        count += 1;
    }
    writer.commit().map_err(Error::internal)?;
    let reader = index.reader().map_err(Error::internal)?;
    tracing::info!(
        "search index: {count} items in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(Built {
        index,
        reader,
        fields,
    })
}

/// One indexed item, as the reconciliation service reads it.
#[derive(Debug, Clone)]
pub(super) struct Indexed {
    pub iri: String,
    /// The one shown first, then the others.
    pub labels: Vec<String>,
    pub makers: Vec<String>,
    /// The name of its [`super::kinds::Kind`].
    pub kind: String,
    pub datasets: Vec<String>,
}

/// At most this many words of a reconciliation query are looked up (a cell is a name, not a
/// text).
const MAX_WORDS: usize = 32;

impl Built {
    /// The words of `text` as the index holds them: folded to ASCII and lower case.
    pub(super) fn fold(&self, text: &str) -> Vec<String> {
        let Some(mut analyzer) = self.index.tokenizers().get(FOLDED) else {
            return Vec::new();
        };
        let mut words = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        words
    }

    /// Items whose labels share a word with `text` (words of five letters or more also within
    /// one typo), of one of `kinds` unless it is empty, the best `limit` by BM25.
    pub(super) fn candidates(
        &self,
        text: &str,
        kinds: &[&str],
        limit: usize,
    ) -> Result<Vec<Indexed>, Error> {
        let f = self.fields;
        let mut words: Vec<Box<dyn tantivy::query::Query>> = Vec::new();
        for word in self.fold(text).into_iter().take(MAX_WORDS) {
            let term = IndexTerm::from_field_text(f.label, &word);
            if word.chars().count() >= 5 {
                words.push(Box::new(FuzzyTermQuery::new(term.clone(), 1, true)));
            }
            words.push(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)));
        }
        self.top(words, Occur::Should, kinds, limit)
    }

    /// Items whose labels start with the words of `prefix`, the last one possibly cut short
    /// (what a user has typed so far), of one of `kinds` unless it is empty.
    pub(super) fn prefixed(
        &self,
        prefix: &str,
        kinds: &[&str],
        limit: usize,
    ) -> Result<Vec<Indexed>, Error> {
        let f = self.fields;
        let words = self.fold(prefix);
        let count = words.len().min(MAX_WORDS);
        let clauses = words
            .into_iter()
            .take(MAX_WORDS)
            .enumerate()
            .map(|(i, word)| {
                let term = IndexTerm::from_field_text(f.label, &word);
                if i + 1 == count {
                    Box::new(FuzzyTermQuery::new_prefix(term, 0, false))
                } else {
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                        as Box<dyn tantivy::query::Query>
                }
            })
            .collect();
        self.top(clauses, Occur::Must, kinds, limit)
    }

    /// The indexed item named `iri`, if there is one.
    pub(super) fn item(&self, iri: &str) -> Result<Option<Indexed>, Error> {
        let query = TermQuery::new(
            IndexTerm::from_field_text(self.fields.iri, iri),
            IndexRecordOption::Basic,
        );
        let searcher = self.reader.searcher();
        let hits = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(Error::internal)?;
        hits.first()
            .map(|(_, address)| self.read(&searcher, *address))
            .transpose()
    }

    fn top(
        &self,
        words: Vec<Box<dyn tantivy::query::Query>>,
        occur: Occur,
        kinds: &[&str],
        limit: usize,
    ) -> Result<Vec<Indexed>, Error> {
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let text = BooleanQuery::new(words.into_iter().map(|q| (occur, q)).collect());
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
            vec![(Occur::Must, Box::new(text))];
        if !kinds.is_empty() {
            let any = kinds
                .iter()
                .map(|k| {
                    let term = IndexTerm::from_facet(
                        self.fields.kind,
                        &tantivy::schema::Facet::from_path([*k]),
                    );
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                            as Box<dyn tantivy::query::Query>,
                    )
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let searcher = self.reader.searcher();
        let hits = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(limit).order_by_score(),
            )
            .map_err(Error::internal)?;
        hits.into_iter()
            .map(|(_, address)| self.read(&searcher, address))
            .collect()
    }

    fn read(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Indexed, Error> {
        let f = self.fields;
        let doc: TantivyDocument = searcher.doc(address).map_err(Error::internal)?;
        let texts = |field: Field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let facets = |field: Field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_facet().map(|p| p.trim_start_matches('/').to_owned()))
                .collect()
        };
        Ok(Indexed {
            iri: texts(f.iri).into_iter().next().unwrap_or_default(),
            labels: texts(f.label),
            makers: texts(f.makers),
            kind: facets(f.kind).into_iter().next().unwrap_or_default(),
            datasets: facets(f.dataset),
        })
    }
}
