//! Answering one query: a slot, a deadline, evaluation on a blocking thread, and the answer
//! streamed as it is serialised.
//!
//! The store's answer is an iterator that computes solutions as they are pulled. A blocking
//! thread pulls them, serialises them into 32 KiB chunks and hands each chunk to the response
//! body through a small channel, so the first bytes of a large answer leave while the rest is
//! still being computed, and memory stays flat. Two things stop evaluation and free the thread:
//! the deadline (a timer fires the query's [`Cancel`]) and the client going away (the body is
//! dropped, and with it a guard that fires the same [`Cancel`]).
//!
//! Answers stop at the result limit and say so: every answer carries the
//! `Vitrine-Result-Limit` header; a truncated one ends with a marker where its syntax has room
//! for one (a `"vitrine:truncated": true` member in SPARQL JSON, a comment in XML, Turtle,
//! N-Triples, N-Quads and RDF/XML). CSV, TSV and JSON-LD have no room for one, so their answers
//! are held until they end or reach the limit, and a truncated one has the
//! `Vitrine-Result-Truncated: true` header.

use super::super::{AppState, Error, html};
use super::cache::{Cached, Key};
use super::protocol::Request;
use crate::formats::{self, Format, Syntax};
use crate::store::{Answer, Cancel, Federation, QueryOptions};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::results::QueryResultsSerializer;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// Response header: the most rows or triples an answer holds.
pub(crate) const LIMIT_HEADER: &str = "vitrine-result-limit";
/// Response header: present (`true`) when an answer was cut at the limit and the header could
/// still be sent.
pub(crate) const TRUNCATED_HEADER: &str = "vitrine-result-truncated";

/// Bytes per chunk of a streamed answer.
const CHUNK: usize = 32 * 1024;
/// Rows the HTML page shows; the download links give the rest.
const PAGE_ROWS: usize = 1000;

/// What the response starts with: its headers, and its first bytes (the whole answer when it
/// fits in one chunk, sent with a `Content-Length`).
struct Head {
    media_type: &'static str,
    /// Whether the page varies with Accept-Language too (HTML).
    html: bool,
    /// `Some(true)` when the answer was held whole and cut at the limit.
    truncated: Option<bool>,
    first: Bytes,
    /// The chunks that follow, when the answer did not fit in the first.
    rest: Option<mpsc::Receiver<Result<Bytes, std::io::Error>>>,
}

impl Head {
    fn new(media_type: &'static str, html: bool) -> Self {
        Self {
            media_type,
            html,
            truncated: None,
            first: Bytes::new(),
            rest: None,
        }
    }
}

/// Answers `request` (which has a query).
pub(super) async fn respond(
    state: AppState,
    request: Request,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Error> {
    let query = request.query.clone().unwrap_or_default();
    let server = &state.config.server;
    let key = state
        .cache
        .enabled()
        .then(|| Key::new(&state.store.published(), &query, &request, &headers));
    if let Some(hit) = key.as_ref().and_then(|k| state.cache.get(k)) {
        return Ok(cached_response(&hit, server.result_limit));
    }
    let permit = tokio::time::timeout(
        server.queue_timeout,
        Arc::clone(&state.slots).acquire_owned(),
    )
    .await
    .map_err(|_| Error::Overloaded(server.queue_timeout.as_secs().max(1)))?
    .map_err(Error::internal)?;

    let deadline = Instant::now() + server.query_timeout;
    let cancel = Cancel::with_deadline(deadline);
    // Dropped with this future if the client goes away before the answer starts, else with
    // the response body: either way the evaluation stops.
    let guard = Guard(cancel.clone());
    let (head_tx, head_rx) = oneshot::channel();
    let work = Work {
        endpoint: super::description::endpoint_url(&headers, &uri),
        state: state.clone(),
        query,
        request,
        headers,
        cancel: cancel.clone(),
        key,
    };
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let copy_cap = work.state.cache.entry_cap();
        let mut sink = Sink {
            head_tx: Some(head_tx),
            head: None,
            body: None,
            runtime,
            deadline,
            held: false,
            copy: (copy_cap > 0 && work.key.is_some()).then(Vec::new),
            copy_cap,
            pending: Vec::with_capacity(CHUNK),
        };
        // The engine stops a cancelled evaluation by unwinding (see the embedded backend):
        // whatever state it was in is dropped here.
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work.run(&mut sink)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => sink.fail(e),
            Err(_) => sink.fail(Error::from(crate::store::Error::Cancelled)),
        }
    });
    let timeout = || Error::Timeout(server.query_timeout.as_secs());
    let head = match tokio::time::timeout_at(deadline.into(), head_rx).await {
        Ok(Ok(Ok(head))) => head,
        Ok(Ok(Err(_))) | Ok(Err(_)) if cancel.is_past_deadline() => return Err(timeout()),
        Ok(Ok(Err(e))) => return Err(e),
        Ok(Err(_)) => return Err(Error::internal("the query stopped before answering")),
        Err(_) => {
            cancel.cancel();
            return Err(timeout());
        }
    };
    let body = match head.rest {
        Some(rx) => {
            let first = futures_util::stream::once(std::future::ready(Ok(head.first)));
            let rest = Chunks {
                rx,
                deadline: Box::pin(tokio::time::sleep_until(deadline.into())),
                _guard: guard,
            };
            Body::from_stream(futures_util::StreamExt::chain(first, rest))
        }
        None => Body::from(head.first),
    };
    let mut response = body.into_response();
    set_headers(
        response.headers_mut(),
        head.media_type,
        head.html,
        state.config.server.result_limit,
        head.truncated,
    );
    Ok(response)
}

fn set_headers(
    h: &mut HeaderMap,
    media_type: &str,
    html: bool,
    limit: u64,
    truncated: Option<bool>,
) {
    if let Ok(v) = HeaderValue::from_str(&format!("{media_type}; charset=utf-8")) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::VARY,
        HeaderValue::from_static(if html {
            "Accept, Accept-Language"
        } else {
            "Accept"
        }),
    );
    h.insert(LIMIT_HEADER, HeaderValue::from(limit));
    if truncated == Some(true) {
        h.insert(TRUNCATED_HEADER, HeaderValue::from_static("true"));
    }
}

fn cached_response(hit: &Cached, limit: u64) -> Response {
    let mut response = Body::from(hit.body.clone()).into_response();
    set_headers(
        response.headers_mut(),
        hit.media_type,
        hit.html,
        limit,
        None,
    );
    response
        .headers_mut()
        .insert("vitrine-cache", HeaderValue::from_static("hit"));
    response
}

/// The rest of a streamed answer: the chunks the blocking thread sends, cut at the deadline,
/// and the guard that stops the evaluation when the body is dropped. Polled again after its
/// end (compression does), it stays ended.
struct Chunks {
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
    deadline: std::pin::Pin<Box<tokio::time::Sleep>>,
    _guard: Guard,
}

impl futures_util::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            self._guard.0.cancel();
            self.rx.close();
        }
        self.rx.poll_recv(cx)
    }
}

/// Fires the query's cancellation when dropped: the client went away, or the answer was sent.
struct Guard(Cancel);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Where the blocking thread writes: the head with the first chunk, then the other chunks.
///
/// The last byte written is always held back, so that a truncated SPARQL JSON answer can take
/// a member before its closing brace once the serializer has finished.
struct Sink {
    head_tx: Option<oneshot::Sender<Result<Head, Error>>>,
    /// The head, until the first chunk goes with it.
    head: Option<Head>,
    /// The channel for the chunks after the first, made when a second one comes.
    body: Option<mpsc::Sender<Result<Bytes, std::io::Error>>>,
    /// To wait for room in the channel, up to the deadline.
    runtime: tokio::runtime::Handle,
    deadline: Instant,
    /// The answer is held until it ends (its header says whether it was cut).
    held: bool,
    /// A copy for the cache, dropped once larger than `copy_cap`.
    copy: Option<Vec<u8>>,
    copy_cap: usize,
    pending: Vec<u8>,
}

impl Sink {
    /// Starts an answer, streamed unless `held`.
    fn start(&mut self, head: Head, held: bool) {
        self.head = Some(head);
        self.held = held;
    }

    fn fail(&mut self, e: Error) {
        match self.head_tx.take() {
            Some(tx) => {
                let _ = tx.send(Err(e));
            }
            None => {
                if let Some(body) = &self.body {
                    let _ = body.try_send(Err(std::io::Error::other(e.to_string())));
                }
            }
        }
    }

    /// Sends `chunk`: with the head if it has not left yet.
    fn emit(&mut self, chunk: Vec<u8>, more: bool) -> std::io::Result<()> {
        if let Some(copy) = &mut self.copy {
            if copy.len() + chunk.len() > self.copy_cap {
                self.copy = None;
            } else {
                copy.extend_from_slice(&chunk);
            }
        }
        let gone = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let chunk = Bytes::from(chunk);
        if let Some(tx) = self.head_tx.take() {
            let mut head = self
                .head
                .take()
                .unwrap_or_else(|| Head::new("text/plain", false));
            head.first = chunk;
            if more {
                let (body_tx, body_rx) = mpsc::channel(4);
                self.body = Some(body_tx);
                head.rest = Some(body_rx);
            }
            return tx.send(Ok(head)).map_err(|_| gone());
        }
        let Some(body) = &self.body else {
            return Err(gone());
        };
        // Waits while the client reads slower than the answer is computed, but never past the
        // deadline: a client that stops reading does not keep the query slot.
        let sent = self.runtime.block_on(tokio::time::timeout_at(
            self.deadline.into(),
            body.send(Ok(chunk)),
        ));
        match sent {
            Ok(Ok(())) => Ok(()),
            _ => Err(gone()),
        }
    }

    /// Ends the answer: a truncation marker where the format has room for one (the JSON member
    /// takes the place of the held-back closing brace), then the rest. A whole answer is given
    /// to `keep` before its last byte leaves, so that a client asking again as soon as it has
    /// read it finds it cached.
    fn finish(
        &mut self,
        truncated: bool,
        format: Format,
        limit: u64,
        keep: impl FnOnce(Vec<u8>),
    ) -> std::io::Result<()> {
        if truncated {
            let note = format!("vitrine: answer truncated at the result limit of {limit}");
            match format.syntax {
                Syntax::Results(oxigraph::sparql::results::QueryResultsFormat::Json)
                    if self.pending.last() == Some(&b'}') =>
                {
                    self.pending.pop();
                    write!(
                        self.pending,
                        ",\"vitrine:truncated\":true,\"vitrine:limit\":{limit}}}"
                    )?;
                }
                Syntax::Results(oxigraph::sparql::results::QueryResultsFormat::Xml)
                | Syntax::Rdf(oxigraph::io::RdfFormat::RdfXml) => {
                    write!(self.pending, "\n<!-- {note} -->\n")?;
                }
                Syntax::Rdf(
                    oxigraph::io::RdfFormat::Turtle
                    | oxigraph::io::RdfFormat::NTriples
                    | oxigraph::io::RdfFormat::NQuads,
                ) => writeln!(self.pending, "# {note}")?,
                _ => {}
            }
        }
        if let Some(head) = &mut self.head {
            if self.held {
                head.truncated = Some(truncated);
            }
        }
        let rest = std::mem::take(&mut self.pending);
        if let (false, Some(mut copy)) = (truncated, self.copy.take()) {
            if copy.len() + rest.len() <= self.copy_cap {
                copy.extend_from_slice(&rest);
                keep(copy);
            }
        }
        self.emit(rest, false)
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if !self.held && self.pending.len() > CHUNK {
            let last = self.pending.pop();
            let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK));
            self.pending.extend(last);
            self.emit(chunk, true)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One query's evaluation, on its blocking thread.
struct Work {
    state: AppState,
    /// The endpoint's URL, the base of relative IRIs in the query.
    endpoint: String,
    query: String,
    request: Request,
    headers: HeaderMap,
    cancel: Cancel,
    key: Option<Key>,
}

impl Work {
    fn run(self, sink: &mut Sink) -> Result<(), Error> {
        let server = &self.state.config.server;
        let options = QueryOptions {
            dataset: Some(self.request.dataset.clone()),
            cancel: self.cancel.clone(),
            federation: Federation {
                endpoints: server.federation.clone(),
                timeout: server.federation_timeout,
            },
            base_iri: Some(self.endpoint.clone()),
        };
        let answer = first_row_checked(self.state.store.query(&self.query, &options)?)?;
        let offered: &[Format] = match answer {
            Answer::Graph(_) => &super::GRAPH_OFFER,
            _ => &super::SOLUTION_OFFER,
        };
        let format = super::choose(&self.headers, &self.request.formats, offered)?;
        let limit = self.state.config.server.result_limit;
        let written = if format.syntax == Syntax::Html {
            self.page(answer, sink)
        } else {
            write_answer(answer, format, limit, sink)
        };
        let truncated = match written {
            Ok(truncated) => truncated,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                // The client is gone: stop the engine.
                self.cancel.cancel();
                return Ok(());
            }
            Err(e) => {
                return Err(match e.downcast::<crate::store::Error>() {
                    Ok(store) => Error::from(store),
                    Err(e) => Error::internal(e),
                });
            }
        };
        let keep = |copy: Vec<u8>| {
            if let Some(key) = self.key {
                self.state.cache.insert(
                    key,
                    Cached {
                        media_type: format.media_type,
                        html: format.syntax == Syntax::Html,
                        body: Bytes::from(copy),
                        links: None,
                    },
                );
            }
        };
        if sink
            .finish(
                truncated,
                format,
                self.state.config.server.result_limit,
                keep,
            )
            .is_err()
        {
            self.cancel.cancel();
            return Ok(());
        }
        Ok(())
    }

    /// The query page with the answer as a table.
    fn page(&self, answer: Answer, sink: &mut Sink) -> std::io::Result<bool> {
        let lang = super::super::resource::page_lang(&self.headers);
        let table = html::Table::from_answer(answer, PAGE_ROWS).map_err(std::io::Error::other)?;
        let page = html::sparql_results(&self.state, &self.query, &table, lang)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        sink.start(Head::new(formats::HTML.media_type, true), false);
        sink.write_all(page.0.as_bytes())?;
        Ok(false)
    }
}

/// Computes the first row or triple before the answer starts: most evaluation errors (a
/// refused `SERVICE`, a type error in an aggregate) show up there, and are then answered with a
/// status and a message rather than a broken stream.
fn first_row_checked(answer: Answer) -> Result<Answer, Error> {
    Ok(match answer {
        Answer::Boolean(b) => Answer::Boolean(b),
        Answer::Solutions(mut solutions) => {
            let variables = solutions.variables().to_vec();
            match solutions.next() {
                Some(Err(e)) => return Err(e.into()),
                first => Answer::Solutions(crate::store::Solutions::new(
                    variables,
                    first.into_iter().chain(solutions),
                )),
            }
        }
        Answer::Graph(mut triples) => match triples.next() {
            Some(Err(e)) => return Err(e.into()),
            first => Answer::Graph(crate::store::Triples::new(first.into_iter().chain(triples))),
        },
    })
}

/// Serialises `answer` into `sink`, stopping after `limit` rows or triples; whether it stopped.
fn write_answer(
    answer: Answer,
    format: Format,
    limit: u64,
    sink: &mut Sink,
) -> std::io::Result<bool> {
    let held = matches!(
        format.syntax,
        Syntax::Results(
            oxigraph::sparql::results::QueryResultsFormat::Csv
                | oxigraph::sparql::results::QueryResultsFormat::Tsv
        ) | Syntax::Rdf(oxigraph::io::RdfFormat::JsonLd { .. })
    );
    sink.start(Head::new(format.media_type, false), held);
    let store_error = std::io::Error::other;
    match answer {
        Answer::Boolean(value) => {
            let results = format.results().ok_or_else(not_offered)?;
            QueryResultsSerializer::from_format(results)
                .serialize_boolean_to_writer(sink, value)?;
            Ok(false)
        }
        Answer::Solutions(solutions) => {
            let results = format.results().ok_or_else(not_offered)?;
            let variables = solutions.variables().to_vec();
            let mut writer = QueryResultsSerializer::from_format(results)
                .serialize_solutions_to_writer(sink, variables.clone())?;
            let mut truncated = false;
            for (count, row) in (0u64..).zip(solutions) {
                let row = row.map_err(store_error)?;
                if count == limit {
                    truncated = true;
                    break;
                }
                writer.serialize(
                    variables
                        .iter()
                        .zip(&row)
                        .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
                )?;
            }
            writer.finish()?;
            Ok(truncated)
        }
        Answer::Graph(triples) => {
            let rdf = format.rdf().ok_or_else(not_offered)?;
            let mut writer = crate::vocab::serializer(rdf).for_writer(sink);
            let mut truncated = false;
            for (count, triple) in (0u64..).zip(triples) {
                let triple = triple.map_err(store_error)?;
                if count == limit {
                    truncated = true;
                    break;
                }
                writer.serialize_triple(&triple)?;
            }
            writer.finish()?;
            Ok(truncated)
        }
    }
}

fn not_offered() -> std::io::Error {
    std::io::Error::other("format not offered for this answer")
}
