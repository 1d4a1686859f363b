//! A workflow run: its trigger snapshot, the state of each node, properties and status.

use super::clock::Timestamp;
use super::crawler::Crawl;
use super::error::Result;
use super::event_batch::BatchCondition;
use super::graph::{EndState, Graph, Watch};
use super::job::{JobRun, JobRunState};
use super::persist::RunJournal;
use super::trigger::{CrawlState, Logical, TriggerState};
use super::wire_enum::wire_enum;
use super::workflow::Properties;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub type SharedJobRun = Arc<Mutex<JobRun>>;
pub type SharedCrawl = Arc<Mutex<Crawl>>;

wire_enum! {
    pub enum RunStatus {
        Running = "RUNNING", Completed = "COMPLETED", Stopping = "STOPPING",
        Stopped = "STOPPED", Error = "ERROR",
    }
}

impl RunStatus {
    /// Runs that count against the workflow's MaxConcurrentRuns.
    pub fn is_active(self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Stopping)
    }
}

/// What one node did in a run (journaled without its empty members).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NodeState {
    /// Job runs, one per attempt, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub job_runs: Vec<SharedJobRun>,
    /// Crawls, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crawls: Vec<SharedCrawl>,
    /// For trigger nodes: whether the trigger fired in this run (at most once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fired: bool,
    /// Copied from the run this one resumed, with its run details.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub copied: bool,
    /// For trigger nodes, what evaluating the predicate in this run already knows (see
    /// [`WorkflowRun::predicate_holds`]); not journaled, a restored run starts over.
    #[serde(skip)]
    pub checked: u32,
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
    /// How the EVENT trigger's batch started this run (AWS's `StartingEventBatchCondition`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_event_batch_condition: Option<BatchCondition>,
    /// Journaled once per content as a record of its own, which run records name
    /// (see `persist`); run records of format 2 embed it.
    #[serde(skip_serializing, default)]
    pub graph: Arc<Graph>,
    pub nodes: Vec<NodeState>,
}

impl WorkflowRun {
    /// Whether any job run or crawl of this run is still going.
    pub fn has_running_nodes(&self) -> bool {
        self.nodes.iter().any(NodeState::is_running)
    }

    /// Whether trigger node `t`, which watches `finished`, fires now that it has ended: the
    /// run is running, `t` has not fired in it and is not deactivated, and its predicate
    /// holds. Firing is the caller's: it marks `t` fired and starts its actions.
    pub fn fires_now(&mut self, t: usize, finished: usize) -> bool {
        let deactivated = self.graph.nodes[t]
            .trigger
            .as_ref()
            .is_some_and(|t| t.state == TriggerState::Deactivated);
        self.status == RunStatus::Running && !self.nodes[t].fired && !deactivated && self.predicate_holds(t, finished)
    }

    /// A run with nothing left running ends: COMPLETED, or STOPPED when it was stopping.
    /// Says whether it ended now.
    pub fn end_if_idle(&mut self, now: Timestamp) -> bool {
        if !self.status.is_active() || self.has_running_nodes() {
            return false;
        }
        self.status = if self.status == RunStatus::Stopping {
            RunStatus::Stopped
        } else {
            RunStatus::Completed
        };
        self.completed_on = Some(now);
        true
    }

    /// Whether the trigger node's predicate holds now that `finished`, a node it watches,
    /// has ended. Conditions are indexed by the node they watch, and each is checked a
    /// bounded number of times per run rather than once per node that ends: AND keeps in
    /// `checked` how many of its conditions (in [`Graph::conditions`] order) are known to
    /// hold and checks them all again only before firing, since a node that runs again stops
    /// meeting its condition; ANY checks every condition once, then only those on `finished`,
    /// the one node whose state changed since.
    pub fn predicate_holds(&mut self, trigger_node: usize, finished: usize) -> bool {
        let graph = self.graph.clone();
        let conditions = graph.conditions(trigger_node);
        let logical = graph.nodes[trigger_node]
            .trigger
            .as_ref()
            .and_then(|t| t.predicate.as_ref())
            .map(|p| p.logical.unwrap_or(Logical::And));
        let Some(logical) = logical.filter(|_| !conditions.is_empty()) else {
            return false;
        };
        let nodes = &self.nodes;
        let holds = |w: &Watch| match w.state {
            EndState::Job(state) => nodes[w.node].final_job_state() == Some(state),
            EndState::Crawl(state) => nodes[w.node].final_crawl_state() == Some(state),
        };
        let mut checked = nodes[trigger_node].checked as usize;
        let fires = match logical {
            Logical::And => {
                while checked < conditions.len() && holds(&conditions[checked]) {
                    checked += 1;
                }
                if checked < conditions.len() {
                    false
                } else if let Some(broken) = conditions.iter().position(|w| !holds(w)) {
                    checked = broken;
                    false
                } else {
                    true
                }
            }
            Logical::Any if checked == 0 => {
                checked = 1;
                conditions.iter().any(holds)
            }
            Logical::Any => {
                let from = conditions.partition_point(|w| w.node < finished);
                let to = conditions.partition_point(|w| w.node <= finished);
                conditions[from..to].iter().any(holds)
            }
        };
        self.nodes[trigger_node].checked = checked as u32;
        fires
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
    /// Set (under the lock) when its workflow is deleted: its last changes are not journaled.
    retired: AtomicBool,
}

impl RunCell {
    pub(crate) fn new(run: WorkflowRun, journal: Option<RunJournal>) -> Arc<RunCell> {
        Arc::new(RunCell {
            id: run.id.clone(),
            workflow_name: run.workflow_name.clone(),
            state: Mutex::new(run),
            journal,
            retired: AtomicBool::new(false),
        })
    }

    /// The run, locked. Changes are saved (with `--state-dir`) by [`RunGuard::commit`].
    pub fn lock(&self) -> RunGuard<'_> {
        super::lock_order::before_run_lock();
        RunGuard {
            cell: self,
            guard: self.state.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

pub struct RunGuard<'a> {
    cell: &'a RunCell,
    guard: std::sync::MutexGuard<'a, WorkflowRun>,
}

impl RunGuard<'_> {
    fn journal(&self) -> Option<&RunJournal> {
        self.cell
            .journal
            .as_ref()
            .filter(|_| !self.cell.retired.load(Ordering::Acquire))
    }

    /// Saves the run as it is now (its job runs and crawls included); an error
    /// ([`Error::Internal`]) when it cannot be saved.
    pub(crate) fn commit(&self) -> Result<()> {
        self.journal().map_or(Ok(()), |j| j.save(&self.guard))
    }

    /// Saves a change nobody waits for (a job run ended); when it cannot be saved,
    /// the next snapshot does.
    pub(crate) fn commit_in_background(&self) {
        if let Some(j) = self.journal() {
            j.save_in_background(&self.guard);
        }
    }

    /// Its workflow was deleted: nothing more of this run is journaled.
    pub(crate) fn retire(&self) {
        self.cell.retired.store(true, Ordering::Release);
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
        &mut self.guard
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::graph::tests::{idx, trigger};

    fn run_of(graph: Graph) -> WorkflowRun {
        WorkflowRun {
            id: "wr".into(),
            workflow_name: "W".into(),
            previous_run_id: None,
            started_on: Timestamp::now(),
            completed_on: None,
            status: RunStatus::Running,
            error_message: None,
            properties: Properties::new(),
            starting_event_batch_condition: None,
            nodes: vec![NodeState::default(); graph.nodes.len()],
            graph: Arc::new(graph),
        }
    }

    /// Gives the node a new job run in `state` (RUNNING: the node runs again); returns the node.
    fn job_ends(r: &mut WorkflowRun, name: &str, state: JobRunState) -> usize {
        let node = idx(&r.graph, name);
        let id = format!("jr-{name}-{}", r.nodes[node].job_runs.len());
        r.nodes[node]
            .job_runs
            .push(Arc::new(Mutex::new(JobRun::of(name, &id, state))));
        node
    }

    fn fan_in(logical: Logical, watches: &[&str]) -> (WorkflowRun, usize) {
        let ts = [
            trigger("start", &[], None, watches),
            trigger("T", watches, Some(logical), &["D"]),
        ];
        let r = run_of(Graph::build("1", "r", "W", ts.iter()));
        let t = idx(&r.graph, "T");
        (r, t)
    }

    #[test]
    fn a_trigger_fires_once_per_run_and_never_deactivated_or_once_the_run_stops() {
        let (mut r, t) = fan_in(Logical::Any, &["A"]);
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        assert!(r.fires_now(t, a));
        r.nodes[t].fired = true;
        assert!(!r.fires_now(t, a));
        let (mut r, t) = fan_in(Logical::Any, &["A"]);
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        r.status = RunStatus::Stopping;
        assert!(!r.fires_now(t, a));
        let mut graph = (*r.graph).clone();
        if let Some(trigger) = graph.nodes[t].trigger.as_mut() {
            Arc::make_mut(trigger).state = TriggerState::Deactivated;
        }
        r.graph = Arc::new(graph);
        r.status = RunStatus::Running;
        assert!(!r.fires_now(t, a));
    }

    #[test]
    fn an_idle_run_ends_completed_or_stopped_once() {
        let (mut r, _) = fan_in(Logical::Any, &["A"]);
        job_ends(&mut r, "A", JobRunState::Running);
        assert!(!r.end_if_idle(Timestamp::now()));
        let mut r = run_of((*r.graph).clone());
        let now = Timestamp::now();
        assert!(r.end_if_idle(now));
        assert_eq!((r.status, r.completed_on), (RunStatus::Completed, Some(now)));
        assert!(!r.end_if_idle(Timestamp::now()));
        let mut r = run_of((*r.graph).clone());
        r.status = RunStatus::Stopping;
        assert!(r.end_if_idle(now));
        assert_eq!(r.status, RunStatus::Stopped);
    }

    #[test]
    fn and_waits_for_every_condition_and_keeps_what_it_knows() {
        let (mut r, t) = fan_in(Logical::And, &["A", "B", "C"]);
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        assert!(!r.predicate_holds(t, a));
        assert_eq!(r.nodes[t].checked, 1);
        let c = job_ends(&mut r, "C", JobRunState::Succeeded);
        assert!(!r.predicate_holds(t, c));
        assert_eq!(r.nodes[t].checked, 1, "B has not ended: C is not looked at yet");
        let b = job_ends(&mut r, "B", JobRunState::Succeeded);
        assert!(r.predicate_holds(t, b));
    }

    #[test]
    fn and_fails_on_a_condition_in_another_state() {
        let (mut r, t) = fan_in(Logical::And, &["A", "B"]);
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        assert!(!r.predicate_holds(t, a));
        let b = job_ends(&mut r, "B", JobRunState::Failed);
        assert!(!r.predicate_holds(t, b));
    }

    #[test]
    fn and_checks_again_a_node_that_ran_again() {
        let (mut r, t) = fan_in(Logical::And, &["A", "B"]);
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        assert!(!r.predicate_holds(t, a));
        job_ends(&mut r, "A", JobRunState::Running);
        let b = job_ends(&mut r, "B", JobRunState::Succeeded);
        assert!(!r.predicate_holds(t, b), "A is running again");
        assert_eq!(r.nodes[t].checked, 0);
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        assert!(r.predicate_holds(t, a));
    }

    #[test]
    fn any_checks_every_condition_once_then_the_node_that_ended() {
        let (mut r, t) = fan_in(Logical::Any, &["A", "B"]);
        // A condition met before the first evaluation (a node copied into a resumed run) counts.
        job_ends(&mut r, "B", JobRunState::Succeeded);
        let a = job_ends(&mut r, "A", JobRunState::Failed);
        assert!(r.predicate_holds(t, a));

        let (mut r, t) = fan_in(Logical::Any, &["A", "B"]);
        let a = job_ends(&mut r, "A", JobRunState::Failed);
        assert!(!r.predicate_holds(t, a));
        let b = job_ends(&mut r, "B", JobRunState::Succeeded);
        assert!(r.predicate_holds(t, b));
    }

    #[test]
    fn a_trigger_without_conditions_never_holds() {
        let (mut r, _) = fan_in(Logical::And, &["A"]);
        let start = idx(&r.graph, "start");
        let a = job_ends(&mut r, "A", JobRunState::Succeeded);
        assert!(!r.predicate_holds(start, a));
    }
}
