//! What a query gives back, as vitrine's own types, and how a running query is stopped.
//!
//! Answers are streams: solutions and triples are computed as the caller pulls them, so the
//! server can send the first bytes of a large answer before the last row exists. A stream holds
//! the published snapshot it was planned against, which keeps the versions it reads from being
//! dropped while it is read.

use super::Error;
use super::view::Published;
use oxigraph::model::{Term, Triple, Variable};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The answer to a query, by query form.
pub enum Answer {
    /// ASK.
    Boolean(bool),
    /// SELECT.
    Solutions(Solutions),
    /// CONSTRUCT and DESCRIBE.
    Graph(Triples),
}

/// A row of a SELECT answer: one value (or none) per variable, in the answer's variable order.
pub type Solution = Vec<Option<Term>>;

/// The rows of a SELECT answer, computed as they are read.
pub struct Solutions {
    variables: Arc<[Variable]>,
    rows: Box<dyn Iterator<Item = Result<Solution, Error>>>,
    _view: Option<Arc<Published>>,
}

impl Solutions {
    /// Wraps a backend's rows. `rows` yields values in `variables` order.
    pub fn new(
        variables: Vec<Variable>,
        rows: impl Iterator<Item = Result<Solution, Error>> + 'static,
    ) -> Self {
        Self {
            variables: variables.into(),
            rows: Box::new(rows),
            _view: None,
        }
    }

    /// The projected variables, in order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    pub(super) fn holding(mut self, view: Arc<Published>) -> Self {
        self._view = Some(view);
        self
    }
}

impl Iterator for Solutions {
    type Item = Result<Solution, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next()
    }
}

/// The triples of a CONSTRUCT or DESCRIBE answer, computed as they are read.
pub struct Triples {
    triples: Box<dyn Iterator<Item = Result<Triple, Error>>>,
    _view: Option<Arc<Published>>,
}

impl Triples {
    /// Wraps a backend's triples.
    pub fn new(triples: impl Iterator<Item = Result<Triple, Error>> + 'static) -> Self {
        Self {
            triples: Box::new(triples),
            _view: None,
        }
    }

    pub(super) fn holding(mut self, view: Arc<Published>) -> Self {
        self._view = Some(view);
        self
    }
}

impl Iterator for Triples {
    type Item = Result<Triple, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.triples.next()
    }
}

impl Answer {
    pub(super) fn holding(self, view: Arc<Published>) -> Self {
        match self {
            Answer::Boolean(b) => Answer::Boolean(b),
            Answer::Solutions(s) => Answer::Solutions(s.holding(view)),
            Answer::Graph(t) => Answer::Graph(t.holding(view)),
        }
    }
}

/// Stops a running query from another thread: the server's deadline timer, or the response
/// body when the client hangs up.
///
/// Backends register what actually stops their evaluation with [`Cancel::on_cancel`] (the
/// embedded store its evaluator's token, a remote one its HTTP request), so the caller does
/// not need to know which backend runs the query.
///
/// ```
/// let cancel = vitrine::store::Cancel::new();
/// let seen = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
/// let hook = seen.clone();
/// cancel.on_cancel(move || hook.store(true, std::sync::atomic::Ordering::SeqCst));
/// cancel.cancel();
/// assert!(cancel.is_cancelled() && seen.load(std::sync::atomic::Ordering::SeqCst));
/// ```
#[derive(Clone, Default)]
pub struct Cancel(Arc<CancelState>);

#[derive(Default)]
struct CancelState {
    cancelled: AtomicBool,
    hooks: Mutex<Vec<Box<dyn Fn() + Send + Sync>>>,
}

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops the query; later calls do nothing.
    pub fn cancel(&self) {
        if self.0.cancelled.swap(true, Ordering::SeqCst) {
            return;
        }
        let hooks = std::mem::take(&mut *self.hooks());
        for hook in hooks {
            hook();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::SeqCst)
    }

    /// Runs `hook` when the query is cancelled (at once if it already is).
    pub fn on_cancel(&self, hook: impl Fn() + Send + Sync + 'static) {
        let mut hooks = self.hooks();
        if self.is_cancelled() {
            drop(hooks);
            hook();
        } else {
            hooks.push(Box::new(hook));
        }
    }

    fn hooks(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Fn() + Send + Sync>>> {
        // A hook that panicked leaves the list usable: it only ever holds closures.
        self.0.hooks.lock().unwrap_or_else(|e| e.into_inner())
    }
}
