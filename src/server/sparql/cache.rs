//! Answers kept between publications.
//!
//! Published data only changes when a dataset is published again, so an answer computed once
//! stays right until then. Entries are keyed by everything the answer depends on (the query
//! text, the protocol's graphs, the format asked for, the reader's language for pages) and by
//! the published versions: the first request after a publication finds a new generation and
//! empties the cache, so a stale answer is never served. Memory is bounded: least recently used
//! entries go first, and an answer larger than a sixteenth of the budget is not kept.

use super::protocol::Request;
use crate::store::Published;
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use std::sync::Mutex;

/// What a cached answer depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    generation: u64,
    query: String,
    graphs: Vec<String>,
    formats: Vec<String>,
    accept: String,
    lang: String,
}

impl Key {
    pub(crate) fn new(
        view: &Published,
        query: &str,
        request: &Request,
        headers: &HeaderMap,
    ) -> Self {
        let header_text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let mut graphs: Vec<String> = Vec::new();
        graphs.extend(request.dataset.default.iter().map(|g| format!("d{g}")));
        graphs.extend(request.dataset.named.iter().map(|g| format!("n{g}")));
        Self {
            generation: view.generation(),
            query: query.to_owned(),
            graphs,
            formats: request.formats.clone(),
            accept: header_text(header::ACCEPT),
            lang: header_text(header::ACCEPT_LANGUAGE),
        }
    }
}

impl Key {
    /// The key of a document other than a query's answer (an item's, a search's): `what`
    /// names everything it depends on besides the published data.
    pub(crate) fn document(view: &Published, what: String) -> Self {
        Self {
            generation: view.generation(),
            query: what,
            graphs: Vec::new(),
            formats: Vec::new(),
            accept: String::new(),
            lang: String::new(),
        }
    }
}

/// A whole answer, as sent.
#[derive(Debug, Clone)]
pub(crate) struct Cached {
    pub media_type: &'static str,
    pub html: bool,
    pub body: Bytes,
    /// The `Link` header of an item's document.
    pub links: Option<String>,
}

/// The cache: a byte budget over least-recently-used answers.
pub(crate) struct ResultCache {
    budget: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    generation: u64,
    entries: lru::LruCache<Key, Cached>,
    bytes: usize,
}

impl ResultCache {
    /// A cache holding at most `budget` bytes of answers (0: no cache).
    pub(crate) fn new(budget: usize) -> Self {
        Self {
            budget,
            inner: Mutex::new(Inner {
                generation: 0,
                entries: lru::LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// Whether answers are kept at all.
    pub(crate) fn enabled(&self) -> bool {
        self.budget > 0
    }

    /// The largest answer worth keeping.
    pub(crate) fn entry_cap(&self) -> usize {
        self.budget / 16
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn get(&self, key: &Key) -> Option<Cached> {
        if self.budget == 0 {
            return None;
        }
        let mut inner = self.lock();
        if inner.generation != key.generation {
            inner.entries.clear();
            inner.bytes = 0;
            inner.generation = key.generation;
            return None;
        }
        inner.entries.get(key).cloned()
    }

    pub(crate) fn insert(&self, key: Key, value: Cached) {
        let size = value.body.len() + key.query.len();
        if self.budget == 0 || size > self.entry_cap() {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != key.generation {
            // Published again while this answer was computed: it may be stale.
            return;
        }
        let query = key.query.len();
        if let Some(old) = inner.entries.put(key, value) {
            inner.bytes -= old.body.len() + query;
        }
        inner.bytes += size;
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((k, v)) => inner.bytes -= v.body.len() + k.query.len(),
                None => break,
            }
        }
    }
}
