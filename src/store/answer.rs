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
use std::time::Instant;

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
    cancel: Option<Cancel>,
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
            cancel: None,
        }
    }

    /// The projected variables, in order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    pub(super) fn holding(mut self, view: Arc<Published>, cancel: &Cancel) -> Self {
        self._view = Some(view);
        self.cancel = Some(cancel.clone());
        self
    }
}

/// A backend's engine may only look at its cancellation between reads of the data: a row
/// produced from rows already read (a cross product) is checked here too.
fn checked<T>(cancel: Option<&Cancel>, next: Option<Result<T, Error>>) -> Option<Result<T, Error>> {
    match cancel {
        Some(cancel) if cancel.is_cancelled() => next.map(|_| Err(Error::Cancelled)),
        _ => next,
    }
}

impl Iterator for Solutions {
    type Item = Result<Solution, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        checked(self.cancel.as_ref(), self.rows.next())
    }
}

/// The triples of a CONSTRUCT or DESCRIBE answer, computed as they are read.
pub struct Triples {
    triples: Box<dyn Iterator<Item = Result<Triple, Error>>>,
    _view: Option<Arc<Published>>,
    cancel: Option<Cancel>,
}

impl Triples {
    /// Wraps a backend's triples.
    pub fn new(triples: impl Iterator<Item = Result<Triple, Error>> + 'static) -> Self {
        Self {
            triples: Box::new(triples),
            _view: None,
            cancel: None,
        }
    }

    pub(super) fn holding(mut self, view: Arc<Published>, cancel: &Cancel) -> Self {
        self._view = Some(view);
        self.cancel = Some(cancel.clone());
        self
    }
}

impl Iterator for Triples {
    type Item = Result<Triple, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        checked(self.cancel.as_ref(), self.triples.next())
    }
}

impl Answer {
    /// Keeps `view` alive while the answer is read, and stops the stream when `cancel` fires.
    pub(super) fn holding(self, view: Arc<Published>, cancel: &Cancel) -> Self {
        match self {
            Answer::Boolean(b) => Answer::Boolean(b),
            Answer::Solutions(s) => Answer::Solutions(s.holding(view, cancel)),
            Answer::Graph(t) => Answer::Graph(t.holding(view, cancel)),
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
    /// Past this instant, the query counts as cancelled: whoever looks next fires it.
    deadline: Option<Instant>,
    hooks: Mutex<Vec<Box<dyn Fn() + Send + Sync>>>,
}

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cancellation that also fires by itself at `deadline`, the first time anyone looks
    /// after it (the engine's checks, the answer's reader): no timer thread or task needed.
    pub fn with_deadline(deadline: Instant) -> Self {
        Self(Arc::new(CancelState {
            deadline: Some(deadline),
            ..CancelState::default()
        }))
    }

    /// When the query is stopped by itself, if ever: a backend that waits on another process
    /// bounds its wait by it.
    pub fn deadline(&self) -> Option<Instant> {
        self.0.deadline
    }

    /// Whether the deadline (if any) has passed.
    pub fn is_past_deadline(&self) -> bool {
        self.0.deadline.is_some_and(|d| Instant::now() >= d)
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
        if self.0.cancelled.load(Ordering::SeqCst) {
            return true;
        }
        if self.is_past_deadline() {
            self.cancel();
            return true;
        }
        false
    }

    /// Runs `hook` when the query is cancelled (at once if it already is).
    pub fn on_cancel(&self, hook: impl Fn() + Send + Sync + 'static) {
        let mut hooks = self.hooks();
        if self.0.cancelled.load(Ordering::SeqCst) {
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
