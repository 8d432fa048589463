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
use oxigraph::io::RdfSerializer;
use oxigraph::sparql::results::QueryResultsSerializer;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// What the response starts with, known before its first body byte.
struct Head {
    media_type: &'static str,
    /// Whether the page varies with Accept-Language too (HTML).
    html: bool,
    /// `Some(true)` when the answer was held whole and cut at the limit.
    truncated: Option<bool>,
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
    let key = Key::new(&state.store.published(), &query, &request, &headers);
    if let Some(hit) = state.cache.get(&key) {
        return Ok(cached_response(&hit, server.result_limit));
    }
    let permit = tokio::time::timeout(
        server.queue_timeout,
        Arc::clone(&state.slots).acquire_owned(),
    )
    .await
    .map_err(|_| Error::Overloaded(server.queue_timeout.as_secs().max(1)))?
    .map_err(Error::internal)?;

    let cancel = Cancel::new();
    let timed_out = Arc::new(AtomicBool::new(false));
    let deadline = {
        let (cancel, timed_out, timeout) =
            (cancel.clone(), timed_out.clone(), server.query_timeout);
        tokio::spawn(async move {
            tokio::time::sleep(timeout).await;
            timed_out.store(true, Ordering::SeqCst);
            cancel.cancel();
        })
    };
    // Dropped with this future if the client goes away before the answer starts, else with
    // the response body: either way the evaluation stops.
    let guard = Guard {
        cancel: cancel.clone(),
        deadline: Some(deadline),
    };
    let (head_tx, head_rx) = oneshot::channel();
    let (body_tx, body_rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let work = Work {
        endpoint: super::description::endpoint_url(&headers, &uri),
        state: state.clone(),
        query,
        request,
        headers,
        cancel: cancel.clone(),
        key,
    };
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut sink = Sink {
            head: Some(head_tx),
            body: body_tx,
            held: None,
            copy: Some(Vec::new()),
            copy_cap: work.state.cache.entry_cap(),
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
    let head = head_rx.await;
    let timed_out_now = || timed_out.load(Ordering::SeqCst);
    let head = match head {
        Ok(Ok(head)) => head,
        Ok(Err(e)) => {
            return Err(if timed_out_now() {
                Error::Timeout(server.query_timeout.as_secs())
            } else {
                e
            });
        }
        Err(_) => {
            return Err(if timed_out_now() {
                Error::Timeout(server.query_timeout.as_secs())
            } else {
                Error::internal("the query stopped before answering")
            });
        }
    };
    let stream = Chunks {
        rx: body_rx,
        _guard: guard,
    };
    let mut response = Body::from_stream(stream).into_response();
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

/// The response body: the chunks the blocking thread sends, and the guard that stops it when
/// the body is dropped. Polled again after its end (compression does), it stays ended.
struct Chunks {
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
    _guard: Guard,
}

impl futures_util::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

/// Fires the query's cancellation when the response body is dropped (the client went away,
/// or the answer was sent), and stops the deadline timer.
struct Guard {
    cancel: Cancel,
    deadline: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(deadline) = self.deadline.take() {
            deadline.abort();
        }
    }
}

/// Where the blocking thread writes: the head once, then the body in chunks.
struct Sink {
    head: Option<oneshot::Sender<Result<Head, Error>>>,
    body: mpsc::Sender<Result<Bytes, std::io::Error>>,
    /// The whole answer, for formats that are held until they end.
    held: Option<(Head, Vec<u8>)>,
    /// A copy for the cache, dropped once larger than `copy_cap`.
    copy: Option<Vec<u8>>,
    copy_cap: usize,
    pending: Vec<u8>,
}

impl Sink {
    /// Starts a streamed answer.
    fn start(&mut self, head: Head) {
        if let Some(tx) = self.head.take() {
            let _ = tx.send(Ok(head));
        }
    }

    /// Starts an answer held until it ends.
    fn hold(&mut self, head: Head) {
        self.held = Some((head, Vec::new()));
    }

    fn fail(&mut self, e: Error) {
        match self.head.take() {
            Some(tx) => {
                let _ = tx.send(Err(e));
            }
            None => {
                let _ = self
                    .body
                    .blocking_send(Err(std::io::Error::other(e.to_string())));
            }
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(CHUNK),
        ));
        self.body
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }

    /// Ends the answer; `truncated` tells a held answer's header.
    fn finish(&mut self, truncated: bool) -> std::io::Result<()> {
        if let Some((mut head, bytes)) = self.held.take() {
            head.truncated = Some(truncated);
            self.start(head);
            self.pending = bytes;
        }
        self.send()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(copy) = &mut self.copy {
            if copy.len() + buf.len() > self.copy_cap {
                self.copy = None;
            } else {
                copy.extend_from_slice(buf);
            }
        }
        if let Some((_, held)) = &mut self.held {
            held.extend_from_slice(buf);
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= CHUNK {
            self.send()?;
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
    key: Key,
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
        sink.finish(truncated).ok();
        if !truncated {
            if let Some(copy) = sink.copy.take() {
                self.state.cache.insert(
                    self.key,
                    Cached {
                        media_type: format.media_type,
                        html: format.syntax == Syntax::Html,
                        body: Bytes::from(copy),
                    },
                );
            }
        }
        Ok(())
    }

    /// The query page with the answer as a table.
    fn page(&self, answer: Answer, sink: &mut Sink) -> std::io::Result<bool> {
        let lang = super::super::resource::page_lang(&self.headers);
        let table = html::Table::from_answer(answer, PAGE_ROWS).map_err(std::io::Error::other)?;
        let page = html::sparql_results(&self.state, &self.query, &table, lang)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        sink.start(Head {
            media_type: formats::HTML.media_type,
            html: true,
            truncated: None,
        });
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
        Syntax::Results(oxigraph::sparql::results::QueryResultsFormat::Csv)
            | Syntax::Results(oxigraph::sparql::results::QueryResultsFormat::Tsv)
            | Syntax::Rdf(oxigraph::io::RdfFormat::JsonLd { .. })
    );
    let head = Head {
        media_type: format.media_type,
        html: false,
        truncated: None,
    };
    if held {
        sink.hold(head);
    } else {
        sink.start(head);
    }
    let store_error = |e: crate::store::Error| std::io::Error::other(e);
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
                .serialize_solutions_to_writer(Marked::new(sink, format), variables.clone())?;
            let mut count = 0;
            let mut truncated = false;
            for row in solutions {
                let row = row.map_err(store_error)?;
                if count == limit {
                    truncated = true;
                    break;
                }
                count += 1;
                writer.serialize(
                    variables
                        .iter()
                        .zip(&row)
                        .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
                )?;
            }
            let marked = writer.finish()?;
            marked.end(truncated, limit)?;
            Ok(truncated)
        }
        Answer::Graph(triples) => {
            let rdf = format.rdf().ok_or_else(not_offered)?;
            let mut serializer = RdfSerializer::from_format(rdf);
            for (prefix, ns) in crate::vocab::PREFIXES {
                serializer = serializer
                    .with_prefix(*prefix, *ns)
                    .map_err(std::io::Error::other)?;
            }
            let mut writer = serializer.for_writer(Marked::new(sink, format));
            let mut count = 0;
            let mut truncated = false;
            for triple in triples {
                let triple = triple.map_err(store_error)?;
                if count == limit {
                    truncated = true;
                    break;
                }
                count += 1;
                writer.serialize_triple(&triple)?;
            }
            let marked = writer.finish()?;
            marked.end(truncated, limit)?;
            Ok(truncated)
        }
    }
}

fn not_offered() -> std::io::Error {
    std::io::Error::other("format not offered for this answer")
}

/// A writer that can add a truncation marker once the serializer has finished: it holds back
/// the last byte of a SPARQL JSON document (its closing brace) to insert a member before it.
struct Marked<'s> {
    sink: &'s mut Sink,
    format: Format,
    last: Option<u8>,
}

impl<'s> Marked<'s> {
    fn new(sink: &'s mut Sink, format: Format) -> Self {
        Self {
            sink,
            format,
            last: None,
        }
    }

    fn end(mut self, truncated: bool, limit: u64) -> std::io::Result<()> {
        let json = self.format == formats::SPARQL_JSON;
        let last = self.last.take();
        if truncated && json && last == Some(b'}') {
            write!(
                self.sink,
                ",\"vitrine:truncated\":true,\"vitrine:limit\":{limit}}}"
            )?;
            return Ok(());
        }
        if let Some(b) = last {
            self.sink.write_all(&[b])?;
        }
        if truncated {
            let note = format!("vitrine: answer truncated at the result limit of {limit}");
            match self.format.syntax {
                Syntax::Results(oxigraph::sparql::results::QueryResultsFormat::Xml)
                | Syntax::Rdf(oxigraph::io::RdfFormat::RdfXml) => {
                    write!(self.sink, "\n<!-- {note} -->\n")?;
                }
                Syntax::Rdf(
                    oxigraph::io::RdfFormat::Turtle
                    | oxigraph::io::RdfFormat::NTriples
                    | oxigraph::io::RdfFormat::NQuads,
                ) => write!(self.sink, "# {note}\n")?,
                _ => {}
            }
        }
        Ok(())
    }
}

impl Write for Marked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let Some((&tail, head)) = buf.split_last() else {
            return Ok(0);
        };
        if let Some(b) = self.last.take() {
            self.sink.write_all(&[b])?;
        }
        self.sink.write_all(head)?;
        self.last = Some(tail);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
