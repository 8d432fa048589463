//! `/oai`: an OAI-PMH 2.0 repository (GET and POST), so library and archive aggregators —
//! Europeana first — harvest the publication the way they harvest everyone else.
//!
//! - **Records** are the items of each dataset ([`crate::store::items`], the sitemap's list cut
//!   by dataset namespace); **sets** are the datasets (`setSpec` = the dataset id).
//! - **Identifiers** are the items' IRIs: already URIs, unique and dereferenceable, so a
//!   harvester needs no second naming scheme to find the page or the data of a record.
//! - **Formats**: `oai_dc` for every record, `edm` for those that have a Europeana record
//!   ([`crate::reuse::edm`]); the others answer `cannotDisseminateFormat`.
//! - **Datestamps** are the publication time of the dataset's current version, to the second:
//!   a re-publication makes every record of the dataset new to `from`. Records dropped by a
//!   re-publication are not remembered (`deletedRecord` is `no`): a full harvest sees them go.
//! - **Resumption tokens** are opaque (base64url of the selection and the publication's
//!   generation): pages of [`PAGE`] records, with `completeListSize` and `cursor`; a token
//!   from before the last publication answers `badResumptionToken`.

mod request;

use super::{AppState, Error};
use crate::reuse::edm::{self, Context, Record};
use crate::reuse::oai_dc;
use crate::store::{Published, PublishedDataset, items};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::model::NamedNode;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use request::{Code, OaiError, Selection, Verb, error};
use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;

/// Records per page of a list.
pub(super) const PAGE: usize = 100;

const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
const OAI_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The formats on offer: prefix, schema, namespace.
const FORMATS: &[(&str, &str, &str)] = &[
    ("oai_dc", oai_dc::SCHEMA, oai_dc::NS),
    (
        "edm",
        "http://www.europeana.eu/schemas/edm/EDM.xsd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    ),
];

/// The items with a Europeana record, per publication.
pub(super) type Eligible = super::publication::PerPublication<HashSet<NamedNode>>;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/oai", get(by_get).post(by_post))
}

async fn by_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let args = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).ok();
    answer(state, &headers, args).await
}

async fn by_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let args = serde_urlencoded::from_bytes(&body).ok();
    answer(state, &headers, args).await
}

/// What one request reads: the publication, its items, those with a Europeana record.
struct Snapshot {
    view: Arc<Published>,
    items: Arc<Vec<NamedNode>>,
    eligible: Arc<HashSet<NamedNode>>,
}

impl Snapshot {
    fn records<'a>(&'a self, state: &AppState, d: &PublishedDataset) -> &'a [NamedNode] {
        items::of_dataset(&self.items, state.store.names(), &d.id)
    }

    /// The dataset and the record named `identifier`.
    fn find(&self, state: &AppState, identifier: &str) -> Option<(PublishedDataset, NamedNode)> {
        let d = items::dataset_of(identifier, state.store.names(), self.view.datasets())?;
        let records = self.records(state, d);
        let i = records
            .binary_search_by(|n| n.as_str().cmp(identifier))
            .ok()?;
        Some((d.clone(), records[i].clone()))
    }

    fn has_format(&self, prefix: &str, item: &NamedNode) -> bool {
        prefix == "oai_dc" || (prefix == "edm" && self.eligible.contains(item))
    }
}

async fn snapshot(state: &AppState) -> Result<Snapshot, Error> {
    let items = super::sitemap::items(state).await?;
    let generation = state.store.published().generation();
    let eligible = match state.europeana.get(generation) {
        Some(e) => e,
        None => {
            let state = state.clone();
            tokio::task::spawn_blocking(move || {
                state.europeana.get_or_build(generation, || {
                    edm::eligible(&state.store, &state.config).map_err(Error::from)
                })
            })
            .await
            .map_err(Error::internal)??
        }
    };
    Ok(Snapshot {
        view: state.store.published(),
        items,
        eligible,
    })
}

/// The datestamp of a dataset's records: its publication time, to the second.
fn datestamp(d: &PublishedDataset) -> String {
    d.published_at()
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// The answer to the arguments of a request (`None`: they could not be decoded).
async fn answer(
    state: AppState,
    headers: &HeaderMap,
    args: Option<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let base_url = format!("{}oai", super::site_url(headers));
    let snapshot = snapshot(&state).await?;
    let body = tokio::task::spawn_blocking(move || render(&state, &snapshot, &base_url, args))
        .await
        .map_err(Error::internal)??;
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    Ok(response)
}

/// The whole answer to a request: the envelope, and the verb's answer or the protocol error.
/// A failure of the store is an HTTP error instead, since it says nothing about the request.
fn render(
    state: &AppState,
    s: &Snapshot,
    base_url: &str,
    args: Option<Vec<(String, String)>>,
) -> Result<Vec<u8>, Error> {
    let (args, parsed) = match args {
        Some(args) => {
            let parsed = request::parse(&args, s.view.generation());
            (args, parsed)
        }
        None => (
            Vec::new(),
            Err(error(
                Code::BadArgument,
                "the arguments are not URL-encoded",
            )),
        ),
    };
    // After badVerb and badArgument the request element carries no attributes (section 3.6).
    let echoed: &[(String, String)] = if parsed.is_ok() { &args } else { &[] };
    let mut w = Writer::new(Vec::new());
    open(&mut w, base_url, echoed).map_err(Error::internal)?;
    // The verb's answer is written apart, so an error found midway leaves no half answer.
    let answered = parsed.map_err(Failure::Oai).and_then(|verb| {
        let mut inner = Writer::new(Vec::new());
        respond(state, s, &verb, base_url, &mut inner).map(|()| inner.into_inner())
    });
    match answered {
        Ok(bytes) => w.get_mut().write_all(&bytes).map_err(Error::internal)?,
        Err(Failure::Oai(e)) => write_error(&mut w, &e).map_err(Error::internal)?,
        Err(Failure::Io(e)) => return Err(Error::internal(e)),
        Err(Failure::Store(e)) => return Err(e),
    }
    w.write_event(Event::End(BytesEnd::new("OAI-PMH")))
        .map_err(Error::internal)?;
    Ok(w.into_inner())
}

/// Why a verb has no answer.
enum Failure {
    Oai(OaiError),
    Io(std::io::Error),
    Store(Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

impl From<OaiError> for Failure {
    fn from(e: OaiError) -> Self {
        Self::Oai(e)
    }
}

/// The envelope, `responseDate` and `request`, left open.
fn open<W: Write>(
    w: &mut Writer<W>,
    base_url: &str,
    args: &[(String, String)],
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let start = BytesStart::new("OAI-PMH").with_attributes([
        ("xmlns", OAI_NS),
        ("xmlns:xsi", XSI),
        ("xsi:schemaLocation", &*format!("{OAI_NS} {OAI_SCHEMA}")),
    ]);
    w.write_event(Event::Start(start))?;
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    text(w, "responseDate", &now)?;
    w.create_element("request")
        .with_attributes(args.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .write_text_content(BytesText::new(base_url))?;
    Ok(())
}

fn text<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn write_error<W: Write>(w: &mut Writer<W>, e: &OaiError) -> std::io::Result<()> {
    w.create_element("error")
        .with_attribute(("code", e.code.as_str()))
        .write_text_content(BytesText::new(&e.message))?;
    Ok(())
}

fn respond<W: Write>(
    state: &AppState,
    s: &Snapshot,
    verb: &Verb,
    base_url: &str,
    w: &mut Writer<W>,
) -> Result<(), Failure> {
    match verb {
        Verb::Identify => identify(state, s, base_url, w)?,
        Verb::ListMetadataFormats { identifier } => {
            let item = match identifier {
                Some(id) => Some(s.find(state, id).ok_or_else(|| unknown(id))?.1),
                None => None,
            };
            w.create_element("ListMetadataFormats")
                .write_inner_content(|w| {
                    for (prefix, schema, ns) in FORMATS {
                        if item.as_ref().is_some_and(|i| !s.has_format(prefix, i)) {
                            continue;
                        }
                        w.create_element("metadataFormat")
                            .write_inner_content(|w| {
                                text(w, "metadataPrefix", prefix)?;
                                text(w, "schema", schema)?;
                                text(w, "metadataNamespace", ns)
                            })?;
                    }
                    Ok(())
                })?;
        }
        Verb::ListSets => {
            w.create_element("ListSets").write_inner_content(|w| {
                for d in s.view.datasets() {
                    let name = state
                        .config
                        .dataset(&d.id)
                        .map_or(d.id.as_str(), |c| c.title.get("fr"));
                    w.create_element("set").write_inner_content(|w| {
                        text(w, "setSpec", &d.id)?;
                        text(w, "setName", name)
                    })?;
                }
                Ok(())
            })?;
        }
        Verb::GetRecord { identifier, prefix } => {
            check_prefix(prefix)?;
            let (d, item) = s
                .find(state, identifier)
                .ok_or_else(|| unknown(identifier))?;
            if !s.has_format(prefix, &item) {
                return Err(error(
                    Code::CannotDisseminateFormat,
                    format!("`{identifier}` has no `{prefix}` record (see ListMetadataFormats)"),
                )
                .into());
            }
            let page = [(d, item)];
            let records = read(state, &page)?;
            w.create_element("GetRecord")
                .write_inner_content(|w| write_records(w, &records, prefix, &state.config))?;
        }
        Verb::List {
            records,
            selection,
            resumed,
        } => list(state, s, *records, selection, *resumed, w)?,
    }
    Ok(())
}

fn unknown(identifier: &str) -> Failure {
    error(
        Code::IdDoesNotExist,
        format!("`{identifier}` is not the identifier of a record of this repository"),
    )
    .into()
}

fn check_prefix(prefix: &str) -> Result<(), Failure> {
    if FORMATS.iter().any(|(p, _, _)| *p == prefix) {
        Ok(())
    } else {
        Err(error(
            Code::CannotDisseminateFormat,
            format!("`{prefix}` is not a format of this repository; use oai_dc or edm"),
        )
        .into())
    }
}

fn identify<W: Write>(
    state: &AppState,
    s: &Snapshot,
    base_url: &str,
    w: &mut Writer<W>,
) -> std::io::Result<()> {
    let config = &state.config;
    let email = config
        .publisher
        .email
        .clone()
        .or_else(|| config.catalog.as_ref().map(|c| c.contact.email.clone()))
        .unwrap_or_else(|| {
            let host = config
                .base_iri
                .as_str()
                .split('/')
                .nth(2)
                .unwrap_or("localhost");
            format!("webmaster@{host}")
        });
    let earliest = s
        .view
        .datasets()
        .iter()
        .map(datestamp)
        .min()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    w.create_element("Identify").write_inner_content(|w| {
        text(w, "repositoryName", &config.publisher.name)?;
        text(w, "baseURL", base_url)?;
        text(w, "protocolVersion", "2.0")?;
        text(w, "adminEmail", &email)?;
        text(w, "earliestDatestamp", &earliest)?;
        text(w, "deletedRecord", "no")?;
        text(w, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    })?;
    Ok(())
}

/// The records a selection matches, in order: datasets in id order, items in IRI order.
fn matching<'a>(
    state: &AppState,
    s: &'a Snapshot,
    selection: &Selection,
) -> Vec<(&'a PublishedDataset, &'a NamedNode)> {
    let mut out = Vec::new();
    for d in s.view.datasets() {
        if selection.set.as_ref().is_some_and(|set| *set != d.id) {
            continue;
        }
        let stamp = datestamp(d);
        let after = selection.from.as_ref().is_none_or(|f| stamp >= *f);
        let before = selection.until.as_ref().is_none_or(|u| stamp <= *u);
        if !(after && before) {
            continue;
        }
        out.extend(
            s.records(state, d)
                .iter()
                .filter(|i| s.has_format(&selection.prefix, i))
                .map(|i| (d, i)),
        );
    }
    out
}

fn list<W: Write>(
    state: &AppState,
    s: &Snapshot,
    records: bool,
    selection: &Selection,
    resumed: bool,
    w: &mut Writer<W>,
) -> Result<(), Failure> {
    check_prefix(&selection.prefix)?;
    let all = matching(state, s, selection);
    if all.is_empty() {
        return Err(error(Code::NoRecordsMatch, "no record matches these arguments").into());
    }
    let start = selection.cursor;
    if start >= all.len() {
        return Err(error(
            Code::BadResumptionToken,
            "this token points past the end of the list",
        )
        .into());
    }
    let end = (start + PAGE).min(all.len());
    let page: Vec<(PublishedDataset, NamedNode)> = all[start..end]
        .iter()
        .map(|(d, i)| ((*d).clone(), (*i).clone()))
        .collect();
    let element = if records {
        "ListRecords"
    } else {
        "ListIdentifiers"
    };
    let read = if records {
        Some(read(state, &page)?)
    } else {
        None
    };
    w.create_element(element).write_inner_content(|w| {
        match &read {
            Some(records) => write_records(w, records, &selection.prefix, &state.config)?,
            None => {
                for (d, item) in &page {
                    write_header(w, d, item)?;
                }
            }
        }
        if resumed || end < all.len() {
            let e = w.create_element("resumptionToken").with_attributes([
                ("completeListSize", all.len().to_string().as_str()),
                ("cursor", start.to_string().as_str()),
            ]);
            if end < all.len() {
                let next = Selection {
                    cursor: end,
                    ..selection.clone()
                };
                let token = request::token(s.view.generation(), &next);
                e.write_text_content(BytesText::new(&token))?;
            } else {
                e.write_empty()?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// One page of records, read: each record's dataset, description, and the labels they need.
struct Page {
    items: Vec<(PublishedDataset, oai_dc::Described)>,
    labels: crate::store::Annotations,
}

fn read(state: &AppState, page: &[(PublishedDataset, NamedNode)]) -> Result<Page, Failure> {
    let iris: Vec<NamedNode> = page.iter().map(|(_, i)| i.clone()).collect();
    let (described, labels) =
        oai_dc::read(&state.store, &iris).map_err(|e| Failure::Store(e.into()))?;
    Ok(Page {
        items: page.iter().map(|(d, _)| d.clone()).zip(described).collect(),
        labels,
    })
}

fn write_header<W: Write>(
    w: &mut Writer<W>,
    d: &PublishedDataset,
    item: &NamedNode,
) -> std::io::Result<()> {
    w.create_element("header").write_inner_content(|w| {
        text(w, "identifier", item.as_str())?;
        text(w, "datestamp", &datestamp(d))?;
        text(w, "setSpec", &d.id)
    })?;
    Ok(())
}

/// The records of `page` in `prefix`, each a header and its metadata.
fn write_records<W: Write>(
    w: &mut Writer<W>,
    page: &Page,
    prefix: &str,
    config: &crate::config::Config,
) -> std::io::Result<()> {
    for (d, item) in &page.items {
        if prefix == "edm" {
            // The list held only items with a record; a refusal here means the data changed
            // under the request, and the record is left out rather than sent empty.
            let record = Context::of(config, &d.id)
                .ok_or(edm::Refusal::NoType)
                .and_then(|ctx| Record::new(item, &page.labels, &ctx));
            match record {
                Ok(record) => w.create_element("record").write_inner_content(|w| {
                    write_header(w, d, &item.item)?;
                    w.create_element("metadata")
                        .write_inner_content(|w| record.write(w))?;
                    Ok(())
                })?,
                Err(e) => {
                    tracing::warn!("oai: no EDM record for {}: {e}", item.item);
                    continue;
                }
            };
        } else {
            w.create_element("record").write_inner_content(|w| {
                write_header(w, d, &item.item)?;
                w.create_element("metadata")
                    .write_inner_content(|w| oai_dc::write(w, item, &page.labels))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}
