//! What triggers keep between evaluations, in memory only (that a restart loses the
//! events waiting in a batch is in README's "Differences from AWS"). Each map has a
//! lock of its own.

use super::event_batch::Batch;
use super::standalone::{Firing, WatchIndex};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
pub(crate) struct TriggerMemory {
    /// Conditional triggers outside workflows: what evaluating each keeps, such as the
    /// runs that last made it fire. Its lock also serialises their evaluation, so one
    /// set of runs fires a trigger once.
    firings: Mutex<HashMap<String, Firing>>,
    /// Which of those triggers watch which job or crawler, rebuilt when the
    /// definitions change.
    watch_index: Mutex<Arc<WatchIndex>>,
    /// The events each EVENT trigger holds until a batch condition is met.
    event_batches: Mutex<HashMap<String, Batch>>,
}

impl TriggerMemory {
    pub(crate) fn firings(&self) -> MutexGuard<'_, HashMap<String, Firing>> {
        self.firings.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The watch index of definitions `generation`, built by `build` when the one
    /// kept is older.
    pub(crate) fn watch_index(&self, generation: u64, build: impl FnOnce() -> WatchIndex) -> Arc<WatchIndex> {
        let mut index = self.watch_index.lock().unwrap_or_else(|e| e.into_inner());
        if index.generation() != generation {
            *index = Arc::new(build());
        }
        index.clone()
    }

    pub(crate) fn event_batches(&self) -> MutexGuard<'_, HashMap<String, Batch>> {
        self.event_batches.lock().unwrap_or_else(|e| e.into_inner())
    }
}
