//! The workflow runs of a region: every run by id and per workflow, each workflow's
//! count of active runs, and the graphs runs start from. Memory only (runs are
//! journaled one record per run by [`super::run::RunCell`]'s own commit); each map
//! under its own short lock, and a run's own lock is never taken while one is held.

use super::graph::Graph;
use super::run::RunCell;
use dashmap::DashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The runs of one workflow, oldest first, and how many are active.
#[derive(Default)]
pub struct WorkflowRuns {
    pub list: Mutex<Vec<Arc<RunCell>>>,
    pub active: AtomicUsize,
}

impl WorkflowRuns {
    /// Counts one more active run unless `max` are active already.
    pub fn try_acquire(&self, max: Option<i32>) -> bool {
        let limit = match max {
            Some(m) if m > 0 => m as usize,
            _ => usize::MAX,
        };
        self.active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < limit).then_some(n + 1))
            .is_ok()
    }

    pub fn release(&self) {
        let _ = self
            .active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
    }
}

#[derive(Default)]
pub(crate) struct WorkflowRunState {
    /// Every workflow run, by id: GetWorkflowRun and friends find a run without its workflow's list.
    by_id: DashMap<String, Arc<RunCell>>,
    /// Runs per workflow name, oldest first: pages of GetWorkflowRuns count from the oldest.
    by_workflow: DashMap<String, Arc<WorkflowRuns>>,
    /// Each workflow's graph as of a generation of the definitions: runs started
    /// between two changes share one snapshot instead of building a copy each.
    graphs: DashMap<String, (u64, Arc<Graph>)>,
}

impl WorkflowRunState {
    pub(crate) fn get(&self, id: &str) -> Option<Arc<RunCell>> {
        self.by_id.get(id).map(|r| r.clone())
    }

    /// The runs of `workflow`, made empty the first time.
    pub(crate) fn of(&self, workflow: &str) -> Arc<WorkflowRuns> {
        if let Some(r) = self.by_workflow.get(workflow) {
            return r.clone();
        }
        self.by_workflow.entry(workflow.to_string()).or_default().clone()
    }

    /// The runs of `workflow`, if it ever had any.
    pub(crate) fn existing(&self, workflow: &str) -> Option<Arc<WorkflowRuns>> {
        self.by_workflow.get(workflow).map(|r| r.clone())
    }

    /// Every workflow's runs.
    pub(crate) fn all(&self) -> Vec<Arc<WorkflowRuns>> {
        self.by_workflow.iter().map(|w| w.value().clone()).collect()
    }

    /// Adds a run, the newest of its workflow.
    pub(crate) fn add(&self, cell: Arc<RunCell>) {
        self.by_id.insert(cell.id.clone(), cell.clone());
        self.of(&cell.workflow_name).list.lock().unwrap().push(cell);
    }

    /// Forgets the workflow's runs and graph (it was deleted); returns the runs, oldest first.
    pub(crate) fn remove_workflow(&self, workflow: &str) -> Vec<Arc<RunCell>> {
        self.graphs.remove(workflow);
        let Some((_, runs)) = self.by_workflow.remove(workflow) else {
            return Vec::new();
        };
        let cells = runs.list.lock().unwrap().clone();
        for run in &cells {
            self.by_id.remove(&run.id);
        }
        cells
    }

    /// The workflow's graph as of `generation` of the definitions, built by `build`
    /// when none of that generation is cached.
    pub(crate) fn graph(&self, generation: u64, workflow: &str, build: impl FnOnce() -> Graph) -> Arc<Graph> {
        if let Some(cached) = self.graphs.get(workflow) {
            if cached.0 == generation {
                return cached.1.clone();
            }
        }
        let graph = Arc::new(build());
        self.graphs.insert(workflow.to_string(), (generation, graph.clone()));
        graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_runs_stop_at_max_and_release_never_goes_below_zero() {
        let runs = WorkflowRuns::default();
        assert!(runs.try_acquire(Some(1)));
        assert!(!runs.try_acquire(Some(1)));
        runs.release();
        runs.release();
        assert_eq!(runs.active.load(Ordering::Acquire), 0);
        assert!(runs.try_acquire(Some(0)) && runs.try_acquire(None));
    }

    #[test]
    fn graphs_are_shared_within_a_generation_and_rebuilt_after() {
        let state = WorkflowRunState::default();
        let mut builds = 0;
        let mut build = || {
            builds += 1;
            Graph::default()
        };
        let first = state.graph(1, "w", &mut build);
        let same = state.graph(1, "w", &mut build);
        assert!(Arc::ptr_eq(&first, &same));
        let next = state.graph(2, "w", &mut build);
        assert!(!Arc::ptr_eq(&first, &next));
        state.remove_workflow("w");
        state.graph(2, "w", &mut build);
        assert_eq!(builds, 3);
    }
}
