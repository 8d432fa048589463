//! Mapping on several threads while one thread reads the sources.
//!
//! Reading a source is sequential (a CSV or XML stream has no random access), but mapping a
//! record only reads the mapping and the parent indexes, so batches of records are mapped on
//! worker threads and handed back in source order: the output is the same as iterating the
//! [`Run`], record for record.

use super::{Item, Run, map_all};
use crate::mapping::error::RecordError;
use crate::mapping::source::Record;
use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

/// Records per unit of work: large enough to make channel traffic negligible, small enough to
/// keep memory bounded (a few batches per thread are in flight).
const BATCH: usize = 256;

type Records = Vec<Result<Box<dyn Record + Send>, RecordError>>;

impl<'m> Run<'m> {
    /// Gives every item of the run to `consume`, in the order iterating would, mapping records
    /// on `threads` worker threads. `consume` returns `false` to stop early.
    pub fn for_each_parallel(self, threads: usize, consume: impl FnMut(Item<'m>) -> bool) {
        self.map_parallel(threads, |item| item, consume);
    }

    /// Like [`Self::for_each_parallel`], applying `transform` to each item on the worker
    /// threads too (e.g. serialising it), so that only `consume` runs on this thread.
    pub fn map_parallel<T: Send>(
        self,
        threads: usize,
        transform: impl Fn(Item<'m>) -> T + Sync,
        mut consume: impl FnMut(T) -> bool,
    ) {
        if threads <= 1 {
            for item in self {
                if !consume(transform(item)) {
                    return;
                }
            }
            return;
        }
        let Run {
            terms,
            parent_indexes,
            sources,
            current,
        } = self;
        let (terms, parent_indexes, transform) = (&terms, &parent_indexes, &transform);
        std::thread::scope(|scope| {
            let (work, jobs) = mpsc::sync_channel::<(u64, Vec<usize>, Records)>(threads);
            let jobs = Arc::new(Mutex::new(jobs));
            let (finished, results) = mpsc::channel::<(u64, Vec<T>)>();
            for _ in 0..threads {
                let jobs = Arc::clone(&jobs);
                let finished = finished.clone();
                scope.spawn(move || {
                    loop {
                        let job = match jobs.lock() {
                            Ok(jobs) => jobs.recv(),
                            Err(_) => break,
                        };
                        let Ok((number, maps, records)) = job else {
                            break;
                        };
                        let items = records
                            .into_iter()
                            .map(|record| {
                                transform(record.map(|record| {
                                    map_all(terms, parent_indexes, &maps, record.as_ref())
                                }))
                            })
                            .collect();
                        if finished.send((number, items)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(finished);
            let mut order = InOrder {
                results,
                waiting: BTreeMap::new(),
                next: 0,
            };
            let mut sent = 0u64;
            let in_flight = 4 * threads as u64;
            'sources: for (maps, mut records) in current.into_iter().chain(sources) {
                loop {
                    let batch: Records = records.by_ref().take(BATCH).collect();
                    if batch.is_empty() {
                        break;
                    }
                    while sent - order.next >= in_flight {
                        if !order.wait_one(&mut consume) {
                            break 'sources;
                        }
                    }
                    if work.send((sent, maps.clone(), batch)).is_err() {
                        break 'sources;
                    }
                    sent += 1;
                }
            }
            drop(work);
            while order.next < sent {
                if !order.wait_one(&mut consume) {
                    break;
                }
            }
        });
    }
}

/// Puts finished batches back in source order.
struct InOrder<T> {
    results: Receiver<(u64, Vec<T>)>,
    waiting: BTreeMap<u64, Vec<T>>,
    /// The number of the next batch to hand out.
    next: u64,
}

impl<T> InOrder<T> {
    /// Waits for one finished batch and hands out every batch now in order; `false` when
    /// `consume` asked to stop or the workers are gone.
    fn wait_one(&mut self, consume: &mut impl FnMut(T) -> bool) -> bool {
        let Ok((number, items)) = self.results.recv() else {
            return false;
        };
        self.waiting.insert(number, items);
        while let Some(items) = self.waiting.remove(&self.next) {
            self.next += 1;
            for item in items {
                if !consume(item) {
                    return false;
                }
            }
        }
        true
    }
}
