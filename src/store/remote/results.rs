//! The store's answers as vitrine's: SPARQL results and RDF, parsed as the bytes arrive so a
//! large answer streams through to the visitor instead of being held whole.

use super::http::remote;
use crate::store::{Answer, Cancel, Error, Solution, Solutions, Triples};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use ureq::Body;
use ureq::http::{Response, header};

/// What vitrine asks for: XML results. Every store has them, they stream, and a store's own
/// blank node labels are found exactly in them (see [`Unlabel`]).
pub(super) const RESULTS: &str = "application/sparql-results+xml";

/// RDF answers: N-Triples first (the fastest to parse), Turtle from stores that prefer it.
pub(super) const GRAPH: &str = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5";

/// A SELECT or ASK answer.
pub(super) fn results(
    endpoint: &str,
    response: Response<Body>,
    cancel: &Cancel,
) -> Result<Answer, Error> {
    cut_short(endpoint, &response)?;
    let reader = Unlabel::new(response.into_body().into_reader());
    let broken = broken_answer(endpoint, cancel.clone());
    match QueryResultsParser::from_format(QueryResultsFormat::Xml)
        .for_reader(reader)
        .map_err(|e| broken(&e))?
    {
        ReaderQueryResultsParserOutput::Boolean(b) => Ok(Answer::Boolean(b)),
        ReaderQueryResultsParserOutput::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            Ok(Answer::Solutions(Solutions::new(
                variables,
                solutions.map(move |s| s.map(|s| s.values().to_vec()).map_err(|e| broken(&e))),
            )))
        }
    }
}

/// A CONSTRUCT or DESCRIBE answer, in the RDF syntax the store chose.
pub(super) fn graph(
    endpoint: &str,
    response: Response<Body>,
    cancel: &Cancel,
) -> Result<Answer, Error> {
    let format = rdf_format(&response).ok_or_else(|| {
        remote(
            endpoint,
            format!(
                "answered a graph as `{}`, which vitrine does not read",
                content_type(&response)
            ),
        )
    })?;
    cut_short(endpoint, &response)?;
    let reader = response.into_body().into_reader();
    let broken = broken_answer(endpoint, cancel.clone());
    let triples = RdfParser::from_format(format)
        .for_reader(reader)
        .map(move |q| q.map(Triple::from).map_err(|e| broken(&e)));
    Ok(Answer::Graph(Triples::new(triples)))
}

/// Every row of a SELECT answer, read whole: for vitrine's own small lookups.
pub(super) fn rows(
    endpoint: &str,
    response: Response<Body>,
) -> Result<(Vec<Variable>, Vec<Solution>), Error> {
    match results(endpoint, response, &Cancel::new())? {
        Answer::Solutions(s) => {
            let variables = s.variables().to_vec();
            Ok((variables, s.collect::<Result<_, _>>()?))
        }
        _ => Err(remote(endpoint, "answered a SELECT with a boolean".into())),
    }
}

/// Every triple of a CONSTRUCT answer, read whole.
pub(super) fn triples(endpoint: &str, response: Response<Body>) -> Result<Vec<Triple>, Error> {
    match graph(endpoint, response, &Cancel::new())? {
        Answer::Graph(t) => t.collect(),
        _ => Err(remote(endpoint, "answered a CONSTRUCT with results".into())),
    }
}

/// The value of `row` for `variable`, by position in `variables`.
pub(super) fn value<'r>(
    variables: &[Variable],
    row: &'r Solution,
    variable: &str,
) -> Option<&'r Term> {
    let i = variables.iter().position(|v| v.as_str() == variable)?;
    row.get(i)?.as_ref()
}

fn content_type(response: &Response<Body>) -> String {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// N-Triples sent as `text/plain`, as older stores label it, is still N-Triples.
fn rdf_format(response: &Response<Body>) -> Option<RdfFormat> {
    let media = content_type(response);
    let media = media.split(';').next().unwrap_or("").trim();
    if media.is_empty() || media.eq_ignore_ascii_case("text/plain") {
        return Some(RdfFormat::NTriples);
    }
    RdfFormat::from_media_type(media)
}

/// An answer that stops being readable half way: the deadline cut the connection (the query
/// was cancelled), or the store sent something that is not what it said.
fn broken_answer(
    endpoint: &str,
    cancel: Cancel,
) -> impl Fn(&dyn std::fmt::Display) -> Error + use<> {
    let endpoint = endpoint.to_owned();
    move |e| {
        if cancel.is_cancelled() {
            Error::Cancelled
        } else {
            remote(
                &endpoint,
                format!("sent an answer vitrine cannot read: {e}"),
            )
        }
    }
}

/// Refuses an answer the store says it cut: Virtuoso stops at its `ResultSetMaxRows` (10,000
/// in its packaged configuration) and only says so in this header. Passing it on would be
/// publishing a wrong answer as a right one.
fn cut_short(endpoint: &str, response: &Response<Body>) -> Result<(), Error> {
    match response.headers().get("x-sparql-maxrows") {
        Some(rows) => Err(Error::Truncated {
            endpoint: endpoint.to_owned(),
            rows: rows.to_str().ok().and_then(|r| r.parse().ok()).unwrap_or(0),
        }),
        None => Ok(()),
    }
}

/// Virtuoso labels blank nodes `nodeID://b10003` in its results, which is not a blank node
/// label: this reader removes the `nodeID://` after each `<bnode>` of an XML answer. The
/// pattern cannot occur anywhere else in XML results, where `<` in a value is escaped.
struct Unlabel<R> {
    inner: R,
    /// Bytes read but not yet handed out; the tail may be the start of the pattern.
    pending: Vec<u8>,
    done: bool,
}

const BNODE: &[u8] = b"<bnode>";
const VIRTUOSO_LABEL: &[u8] = b"nodeID://";

impl<R: std::io::Read> Unlabel<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            pending: Vec::new(),
            done: false,
        }
    }

    /// Removes every complete `<bnode>nodeID://` in `pending` down to `<bnode>`.
    fn rewrite(&mut self) {
        let pattern_len = BNODE.len() + VIRTUOSO_LABEL.len();
        let mut out = Vec::with_capacity(self.pending.len());
        let mut i = 0;
        while i < self.pending.len() {
            let rest = &self.pending[i..];
            if rest.len() >= pattern_len
                && rest.starts_with(BNODE)
                && rest[BNODE.len()..].starts_with(VIRTUOSO_LABEL)
            {
                out.extend_from_slice(BNODE);
                i += pattern_len;
            } else {
                out.push(self.pending[i]);
                i += 1;
            }
        }
        self.pending = out;
    }
}

impl<R: std::io::Read> std::io::Read for Unlabel<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let keep = BNODE.len() + VIRTUOSO_LABEL.len() - 1;
        // Hand out what can no longer be part of a pattern; read more until there is some.
        loop {
            let ready = if self.done {
                self.pending.len()
            } else {
                self.pending.len().saturating_sub(keep)
            };
            if ready > 0 {
                let n = ready.min(buf.len());
                buf[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let mut chunk = [0; 16 * 1024];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.done = true;
            }
            self.pending.extend_from_slice(&chunk[..n]);
            self.rewrite();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A reader handing out one byte at a time: every pattern straddles a boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.split_first() {
                Some((b, rest)) if !buf.is_empty() => {
                    buf[0] = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn virtuoso_blank_node_labels_become_labels_and_literals_stay() {
        let xml = b"<result><binding name='b'><bnode>nodeID://b10003</bnode></binding><binding name='l'><literal>nodeID://b1 &lt;bnode>nodeID://x</literal></binding></result>";
        let mut out = String::new();
        Unlabel::new(Trickle(xml)).read_to_string(&mut out).unwrap();
        assert_eq!(
            out,
            "<result><binding name='b'><bnode>b10003</bnode></binding><binding name='l'><literal>nodeID://b1 &lt;bnode>nodeID://x</literal></binding></result>"
        );
    }
}
