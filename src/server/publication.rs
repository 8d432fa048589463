//! Values derived from one publication — the sitemap's list of items, the search index —
//! computed once per generation of the published view, one computation at a time, and kept
//! until the next publication.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub(super) struct PerPublication<T> {
    current: Mutex<Option<(u64, Arc<T>)>>,
    /// Held while computing, so that concurrent requests wait for one computation.
    building: Mutex<()>,
}

impl<T> Default for PerPublication<T> {
    fn default() -> Self {
        Self {
            current: Mutex::new(None),
            building: Mutex::new(()),
        }
    }
}

fn lock<U>(m: &Mutex<U>) -> MutexGuard<'_, U> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T> PerPublication<T> {
    /// The value of publication `generation`, if it is computed.
    pub(super) fn get(&self, generation: u64) -> Option<Arc<T>> {
        lock(&self.current)
            .as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| Arc::clone(v))
    }

    /// The value of publication `generation`, computed by `build` unless it already is. Blocks
    /// while another computation runs.
    pub(super) fn get_or_build<E>(
        &self,
        generation: u64,
        build: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        if let Some(v) = self.get(generation) {
            return Ok(v);
        }
        let _one_at_a_time = lock(&self.building);
        if let Some(v) = self.get(generation) {
            return Ok(v);
        }
        let v = Arc::new(build()?);
        *lock(&self.current) = Some((generation, Arc::clone(&v)));
        Ok(v)
    }
}
