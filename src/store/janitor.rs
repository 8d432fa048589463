//! Drops superseded versions in the background, once nobody reads them.
//!
//! Deleting a million-triple graph takes far longer than loading one (Oxigraph deletes quad by
//! quad, six index keys each), so publication does not wait for it: the version is queued with
//! a weak handle on the published snapshot that still names it, and dropped when the last
//! reader of that snapshot is done. A drop cut short by a crash is found again when the store
//! next opens (see `Store::with_backend`).

use super::backend::Backend;
use super::view::Published;
use oxigraph::model::NamedNode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

/// How often a queued drop checks whether its readers are gone.
const READER_POLL: Duration = Duration::from_millis(20);

struct Job {
    graph: NamedNode,
    readers: Weak<Published>,
}

pub(super) struct Janitor {
    backend: Arc<dyn Backend>,
    sender: Mutex<Option<Sender<Job>>>,
    /// The thread, joined when the store is dropped: the process must not exit while it is
    /// inside the storage engine.
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Set when the store is dropped: the thread stops between two chunks of a drop, which the
    /// next opening of the store resumes.
    stopping: Arc<AtomicBool>,
    /// Jobs queued and not finished, and a signal when it reaches zero.
    pending: Arc<(Mutex<usize>, Condvar)>,
}

impl Janitor {
    pub(super) fn new(backend: Arc<dyn Backend>) -> Self {
        Self {
            backend,
            sender: Mutex::new(None),
            thread: Mutex::new(None),
            stopping: Arc::new(AtomicBool::new(false)),
            pending: Arc::new((Mutex::new(0), Condvar::new())),
        }
    }

    /// Drops `graph` once no strong handle on `readers` remains.
    pub(super) fn drop_later(&self, graph: NamedNode, readers: Weak<Published>) {
        *lock(&self.pending.0) += 1;
        let mut job = Job { graph, readers };
        let mut sender = lock(&self.sender);
        if let Some(running) = sender.as_ref() {
            match running.send(job) {
                Ok(()) => return,
                // The thread is gone (it only stops when the store is dropped): start another.
                Err(e) => job = e.0,
            }
        }
        let (tx, rx) = channel();
        let backend = Arc::clone(&self.backend);
        let pending = Arc::clone(&self.pending);
        let stopping = Arc::clone(&self.stopping);
        let started = std::thread::Builder::new()
            .name("vitrine-janitor".into())
            .spawn(move || work(&*backend, &rx, &pending, &stopping));
        match started {
            Ok(handle) => {
                let _ = tx.send(job);
                *sender = Some(tx);
                *lock(&self.thread) = Some(handle);
            }
            Err(e) => {
                tracing::warn!("cannot start the thread that drops superseded versions: {e}");
                done(&self.pending);
            }
        }
    }

    /// Blocks until every queued drop is done; `on_wait` is told how many remain, now and then.
    pub(super) fn wait_idle(&self, on_wait: &dyn Fn(usize)) {
        let (count, idle) = &*self.pending;
        let mut n = lock(count);
        while *n > 0 {
            on_wait(*n);
            n = idle
                .wait_timeout(n, Duration::from_millis(200))
                .map_or_else(|e| e.into_inner().0, |(n, _)| n);
        }
    }

    pub(super) fn pending(&self) -> usize {
        *lock(&self.pending.0)
    }
}

impl Drop for Janitor {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        lock(&self.sender).take();
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
    }
}

fn work(
    backend: &dyn Backend,
    jobs: &Receiver<Job>,
    pending: &(Mutex<usize>, Condvar),
    stopping: &AtomicBool,
) {
    let mut dropped = false;
    loop {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let job = match jobs.try_recv() {
            Ok(job) => job,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                // Nothing else queued: compact what the drops left, once, then wait for more.
                if std::mem::take(&mut dropped) {
                    let started = std::time::Instant::now();
                    match backend.reclaim() {
                        Ok(()) => tracing::info!(
                            "compacted the store in {:.1} s",
                            started.elapsed().as_secs_f64()
                        ),
                        Err(e) => tracing::warn!("cannot compact the store: {e}"),
                    }
                    done(pending);
                }
                match jobs.recv() {
                    Ok(job) => job,
                    Err(_) => return,
                }
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => return,
        };
        while job.readers.strong_count() > 0 {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(READER_POLL);
        }
        let started = std::time::Instant::now();
        match backend.drop_version(&job.graph, &|| stopping.load(Ordering::SeqCst)) {
            // Stopped half way: the next opening of the store finishes it.
            Ok(false) => return,
            Ok(true) => {
                if !dropped {
                    // The compaction that follows is pending work too.
                    *lock(&pending.0) += 1;
                }
                dropped = true;
                tracing::info!(
                    "dropped superseded version {} in {:.1} s",
                    job.graph,
                    started.elapsed().as_secs_f64()
                );
            }
            // Left for the next time the store opens.
            Err(e) => tracing::warn!("cannot drop superseded version {}: {e}", job.graph),
        }
        done(pending);
    }
}

fn done(pending: &(Mutex<usize>, Condvar)) {
    let mut n = lock(&pending.0);
    *n = n.saturating_sub(1);
    if *n == 0 {
        pending.1.notify_all();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
