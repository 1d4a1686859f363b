//! What a workflow run journals: its whole state first, then the steps that
//! changed it (status, properties, nodes by index).

use super::record::{RecordRef, RunStepRef};
use super::store::{not_saved, Store};
use crate::engine::region::Region;
use crate::engine::run::{RunCell, WorkflowRun};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

impl Region {
    /// A run cell whose changes are journaled, when there is a state dir.
    pub(crate) fn new_run_cell(&self, run: WorkflowRun) -> Arc<RunCell> {
        let journal = self.store.as_ref().map(|store| RunJournal {
            store: store.clone(),
            account: self.account.clone(),
            region: self.name.clone(),
            detached: self.detached.clone(),
            journaled: Mutex::default(),
        });
        RunCell::new(run, journal)
    }
}

/// Where a run's changes go: its first record holds the whole run, the next ones
/// what changed.
pub(crate) struct RunJournal {
    store: Arc<Store>,
    account: String,
    region: String,
    detached: Arc<AtomicBool>,
    /// Hashes of the run's properties and of each node as last journaled; empty
    /// until the first record.
    journaled: Mutex<Vec<u64>>,
}

fn hash_of(value: &impl Serialize) -> Result<u64, String> {
    use std::hash::{Hash, Hasher};
    let bytes = serde_json::to_vec(value).map_err(|e| format!("cannot encode the change: {e}"))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Ok(hasher.finish())
}

impl RunJournal {
    /// Appends the run's record (the run is locked meanwhile, so records of one run
    /// are appended in order).
    fn append(&self, run: &WorkflowRun) -> Result<(), String> {
        let mut journaled = self.journaled.lock().unwrap_or_else(|e| e.into_inner());
        let mut hashes = Vec::with_capacity(run.nodes.len() + 1);
        hashes.push(hash_of(&run.properties)?);
        for node in &run.nodes {
            hashes.push(hash_of(node)?);
        }
        let changed = |part: usize| journaled.get(part) != Some(&hashes[part]);
        let record = if journaled.is_empty() {
            RecordRef::RunState {
                account: &self.account,
                region: &self.region,
                graph: run.graph.content_id(),
                run,
            }
        } else {
            RecordRef::RunStep {
                account: &self.account,
                region: &self.region,
                step: RunStepRef {
                    id: &run.id,
                    status: run.status,
                    completed_on: run.completed_on,
                    error_message: run.error_message.as_ref(),
                    properties: changed(0).then_some(&run.properties),
                    nodes: run.nodes.iter().enumerate().filter(|(i, _)| changed(i + 1)).collect(),
                },
            }
        };
        self.store.append(&self.detached, Some(&run.graph), &record)?;
        *journaled = hashes;
        Ok(())
    }

    pub(crate) fn save(&self, run: &WorkflowRun) -> crate::engine::Result<()> {
        self.append(run).map_err(not_saved)
    }

    pub(crate) fn save_in_background(&self, run: &WorkflowRun) {
        if let Err(e) = self.append(run) {
            tracing::error!("a change is kept in memory only until the next snapshot: {e}");
            self.store.dirty.store(true, Ordering::Release);
        }
    }
}
