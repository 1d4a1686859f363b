//! A workflow run: its trigger snapshot, the state of each node, properties and status.

use super::clock::Timestamp;
use super::crawler::Crawl;
use super::graph::{Graph, NodeKind};
use super::job::{JobRun, JobRunState};
use super::persist::RunJournal;
use super::trigger::CrawlState;
use super::workflow::Properties;
use std::sync::{Arc, Mutex};

pub type SharedJobRun = Arc<Mutex<JobRun>>;
pub type SharedCrawl = Arc<Mutex<Crawl>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RunStatus {
    Running,
    Completed,
    Stopping,
    Stopped,
    Error,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "RUNNING",
            RunStatus::Completed => "COMPLETED",
            RunStatus::Stopping => "STOPPING",
            RunStatus::Stopped => "STOPPED",
            RunStatus::Error => "ERROR",
        }
    }

    /// Runs that count against the workflow's MaxConcurrentRuns.
    pub fn is_active(self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Stopping)
    }
}

/// What one node did in a run.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NodeState {
    /// Job runs, one per attempt, oldest first.
    pub job_runs: Vec<SharedJobRun>,
    /// Crawls, oldest first.
    pub crawls: Vec<SharedCrawl>,
    /// For trigger nodes: whether the trigger fired in this run (at most once).
    pub fired: bool,
    /// Copied from the run this one resumed, with its run details.
    pub copied: bool,
}

impl NodeState {
    pub fn attempted(&self) -> bool {
        !self.job_runs.is_empty() || !self.crawls.is_empty()
    }

    /// The state of the node's last job run, once it has finished.
    pub fn final_job_state(&self) -> Option<JobRunState> {
        let state = self.job_runs.last()?.lock().unwrap().state;
        state.is_finished().then_some(state)
    }

    pub fn final_crawl_state(&self) -> Option<CrawlState> {
        let state = self.crawls.last()?.lock().unwrap().state;
        state.is_finished().then_some(state)
    }

    fn is_running(&self) -> bool {
        self.job_runs
            .last()
            .is_some_and(|r| !r.lock().unwrap().state.is_finished())
            || self
                .crawls
                .last()
                .is_some_and(|c| !c.lock().unwrap().state.is_finished())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Statistics {
    pub total: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub stopped: i32,
    pub timeout: i32,
    pub errored: i32,
    pub running: i32,
    pub waiting: i32,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct WorkflowRun {
    pub id: String,
    pub workflow_name: String,
    pub previous_run_id: Option<String>,
    pub started_on: Timestamp,
    pub completed_on: Option<Timestamp>,
    pub status: RunStatus,
    pub error_message: Option<String>,
    pub properties: Properties,
    pub graph: Arc<Graph>,
    pub nodes: Vec<NodeState>,
}

impl WorkflowRun {
    /// Whether any job run or crawl of this run is still going.
    pub fn has_running_nodes(&self) -> bool {
        self.nodes.iter().any(NodeState::is_running)
    }

    /// Whether the trigger node's predicate holds on this run's node states.
    pub fn predicate_holds(&self, trigger_node: usize) -> bool {
        let Some(predicate) = self.graph.nodes[trigger_node]
            .trigger
            .as_ref()
            .and_then(|t| t.predicate.as_ref())
        else {
            return false;
        };
        let state_of = |kind: NodeKind, name: &str| self.graph.find_named(kind, name).map(|i| &self.nodes[i]);
        predicate.is_satisfied(
            |job| state_of(NodeKind::Job, job).and_then(NodeState::final_job_state),
            |crawler| state_of(NodeKind::Crawler, crawler).and_then(NodeState::final_crawl_state),
        )
    }

    /// Counts of the actions this run started (copied nodes are not counted), by the state of their last attempt.
    pub fn statistics(&self) -> Statistics {
        let mut s = Statistics::default();
        for node in self.nodes.iter().filter(|n| !n.copied) {
            let bucket = if let Some(run) = node.job_runs.last() {
                match run.lock().unwrap().state {
                    JobRunState::Succeeded => &mut s.succeeded,
                    JobRunState::Failed => &mut s.failed,
                    JobRunState::Stopped => &mut s.stopped,
                    JobRunState::Timeout => &mut s.timeout,
                    JobRunState::Error | JobRunState::Expired => &mut s.errored,
                    JobRunState::Waiting => &mut s.waiting,
                    JobRunState::Starting | JobRunState::Running | JobRunState::Stopping => &mut s.running,
                }
            } else if let Some(crawl) = node.crawls.last() {
                match crawl.lock().unwrap().state {
                    CrawlState::Succeeded => &mut s.succeeded,
                    CrawlState::Failed => &mut s.failed,
                    CrawlState::Cancelled => &mut s.stopped,
                    CrawlState::Error => &mut s.errored,
                    CrawlState::Running | CrawlState::Cancelling => &mut s.running,
                }
            } else {
                continue;
            };
            *bucket += 1;
            s.total += 1;
        }
        s
    }
}

/// A run and the lock that makes each of its changes atomic.
pub struct RunCell {
    pub id: String,
    pub workflow_name: String,
    state: Mutex<WorkflowRun>,
    journal: Option<RunJournal>,
}

impl RunCell {
    pub(crate) fn new(run: WorkflowRun, journal: Option<RunJournal>) -> Arc<RunCell> {
        Arc::new(RunCell {
            id: run.id.clone(),
            workflow_name: run.workflow_name.clone(),
            state: Mutex::new(run),
            journal,
        })
    }

    /// The run, locked. A change made through the guard is journaled (with
    /// `--state-dir`) when the guard is dropped, before the lock is released.
    pub fn lock(&self) -> RunGuard<'_> {
        RunGuard {
            cell: self,
            guard: self.state.lock().unwrap_or_else(|e| e.into_inner()),
            changed: false,
        }
    }
}

pub struct RunGuard<'a> {
    cell: &'a RunCell,
    guard: std::sync::MutexGuard<'a, WorkflowRun>,
    changed: bool,
}

impl RunGuard<'_> {
    /// Journals the run on drop although nothing was changed through the guard
    /// (its job runs and crawls change behind their own locks).
    pub fn mark_changed(&mut self) {
        self.changed = true;
    }
}

impl std::ops::Deref for RunGuard<'_> {
    type Target = WorkflowRun;
    fn deref(&self) -> &WorkflowRun {
        &self.guard
    }
}

impl std::ops::DerefMut for RunGuard<'_> {
    fn deref_mut(&mut self) -> &mut WorkflowRun {
        self.changed = true;
        &mut self.guard
    }
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        if let (true, Some(journal)) = (self.changed, &self.cell.journal) {
            journal.record(&self.guard);
        }
    }
}
