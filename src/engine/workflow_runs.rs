//! Workflow runs: starting them with a trigger snapshot, firing the triggers their
//! nodes satisfy, finishing, stopping and resuming them, and their properties.

use super::actions::{JobRunRequest, Origin};
use super::clock::Timestamp;
use super::crawler::Crawl;
use super::error::{Error, Result};
use super::event_batch::BatchCondition;
use super::graph::NodeKind;
use super::ids;
use super::region::Region;
use super::run::{NodeState, RunCell, RunStatus, WorkflowRun};
use super::trigger::Action;
use super::workflow::Properties;
use std::sync::{Arc, Mutex};

fn run_not_found(workflow: &str, run_id: &str) -> Error {
    Error::NotFound(format!("Workflow run {run_id} of workflow {workflow} not found"))
}

impl Region {
    /// Starts the action nodes of a trigger node that fired in this run.
    fn fire(self: &Arc<Self>, r: &mut WorkflowRun, cell: &Arc<RunCell>, trigger_node: usize) {
        r.nodes[trigger_node].fired = true;
        let graph = r.graph.clone();
        let Some(trigger) = graph.nodes[trigger_node].trigger.clone() else {
            return;
        };
        for action in &trigger.actions {
            self.start_action(r, cell, action, &trigger.name);
        }
    }

    fn start_action(self: &Arc<Self>, r: &mut WorkflowRun, cell: &Arc<RunCell>, action: &Action, trigger: &str) {
        let origin = |node| Origin::Workflow {
            run: cell.clone(),
            node,
        };
        if let Some(job) = &action.job_name {
            let Some(node) = r.graph.find_named(NodeKind::Job, job) else {
                return;
            };
            let request = JobRunRequest {
                arguments: action.arguments.clone(),
                timeout: action.timeout,
                ..JobRunRequest::default()
            };
            if let Ok(run) = self.launch_job(job, request, Some(trigger.to_string()), 0, origin(node)) {
                r.nodes[node].job_runs.push(run);
            }
        } else if let Some(crawler) = &action.crawler_name {
            let Some(node) = r.graph.find_named(NodeKind::Crawler, crawler) else {
                return;
            };
            match self.launch_crawl(crawler, Some(trigger.to_string()), origin(node)) {
                Ok(crawl) => r.nodes[node].crawls.push(crawl),
                Err(e) => {
                    // A crawler that is busy or gone fails this node; like a job run that
                    // cannot start, it ends in a task of its own so its triggers are evaluated.
                    let crawl = Arc::new(Mutex::new(Crawl::new(crawler, Some(trigger.to_string()))));
                    r.nodes[node].crawls.push(crawl.clone());
                    self.spawn_refused_crawl(crawl, origin(node), e.to_string());
                }
            }
        }
    }

    /// After a node of the run finished: fire the triggers now satisfied, then
    /// finish the run if nothing is left running.
    pub(crate) fn advance(self: &Arc<Self>, r: &mut WorkflowRun, cell: &Arc<RunCell>, node: usize) {
        let graph = r.graph.clone();
        for &t in &graph.watchers[node] {
            if r.fires_now(t, node) {
                self.fire(r, cell, t);
            }
        }
        self.finish_if_idle(r);
    }

    /// Ends the run if nothing is left running, and frees its place among the workflow's active runs.
    fn finish_if_idle(&self, r: &mut WorkflowRun) {
        if r.end_if_idle(Timestamp::now()) {
            if let Some(runs) = self.runs.existing(&r.workflow_name) {
                runs.release();
            }
        }
    }

    /// Registers a new run and starts it with `start`, all under the run's lock.
    fn begin_run(
        self: &Arc<Self>,
        mut run: WorkflowRun,
        max_concurrent: Option<i32>,
        start: impl FnOnce(&Arc<Self>, &mut WorkflowRun, &Arc<RunCell>),
    ) -> Result<String> {
        let runs = self.runs.of(&run.workflow_name);
        if !runs.try_acquire(max_concurrent) {
            return Err(Error::ConcurrentRunsExceeded(format!(
                "Concurrent runs exceeded for workflow: {}.",
                run.workflow_name
            )));
        }
        run.status = RunStatus::Running;
        let cell = self.new_run_cell(run);
        let mut r = cell.lock();
        // Saved before it starts anything, so that a run that cannot be saved leaves no trace.
        if let Err(e) = r.commit() {
            runs.release();
            return Err(e);
        }
        self.runs.add(cell.clone());
        start(self, &mut r, &cell);
        self.finish_if_idle(&mut r);
        r.commit_in_background();
        Ok(cell.id.clone())
    }

    /// StartWorkflowRun: snapshots the triggers, fires the start trigger.
    pub fn start_workflow_run(self: &Arc<Self>, workflow: &str, properties: Option<Properties>) -> Result<String> {
        self.start_run(workflow, properties, None)
    }

    /// A new run of the workflow, started by an event batch when `batch` says how.
    pub(crate) fn start_run(
        self: &Arc<Self>,
        workflow: &str,
        properties: Option<Properties>,
        batch: Option<BatchCondition>,
    ) -> Result<String> {
        let (graph, mut props, max) = {
            let defs = self.read();
            let w = defs
                .workflows
                .get(workflow)
                .ok_or_else(|| super::workflow_ops::workflow_not_found(workflow))?;
            (
                self.shared_graph(&defs, workflow),
                w.default_run_properties.clone(),
                w.max_concurrent_runs,
            )
        };
        props.extend(properties.unwrap_or_default());
        let run = WorkflowRun {
            id: ids::workflow_run_id(),
            workflow_name: workflow.to_string(),
            previous_run_id: None,
            started_on: Timestamp::now(),
            completed_on: None,
            status: RunStatus::Running,
            error_message: None,
            properties: props,
            starting_event_batch_condition: batch,
            nodes: vec![NodeState::default(); graph.nodes.len()],
            graph,
        };
        self.begin_run(run, max, |region, r, cell| {
            if let Some(t) = r.graph.start_trigger() {
                region.fire(r, cell, t);
            }
        })
    }

    /// A run that could not start (a schedule fired over MaxConcurrentRuns): recorded as ERROR.
    pub(crate) fn record_failed_start(&self, workflow: &str, message: String) {
        let now = Timestamp::now();
        let run = WorkflowRun {
            id: ids::workflow_run_id(),
            workflow_name: workflow.to_string(),
            previous_run_id: None,
            started_on: now,
            completed_on: Some(now),
            status: RunStatus::Error,
            error_message: Some(message),
            properties: Properties::new(),
            starting_event_batch_condition: None,
            graph: Arc::default(),
            nodes: Vec::new(),
        };
        let cell = self.new_run_cell(run);
        cell.lock().commit_in_background();
        self.runs.add(cell);
    }

    pub fn workflow_run(&self, workflow: &str, run_id: &str) -> Result<Arc<RunCell>> {
        self.runs
            .get(run_id)
            .filter(|r| r.workflow_name == workflow)
            .ok_or_else(|| {
                if self.read().workflows.contains_key(workflow) {
                    run_not_found(workflow, run_id)
                } else {
                    super::workflow_ops::workflow_not_found(workflow)
                }
            })
    }

    /// Runs of a workflow newest first: the page of up to `max` runs among the oldest
    /// `remaining` (all when `None`), and how many older runs are left after it.
    pub fn workflow_runs_page(
        &self,
        workflow: &str,
        remaining: Option<usize>,
        max: usize,
    ) -> Result<(Vec<Arc<RunCell>>, Option<usize>)> {
        if !self.read().workflows.contains_key(workflow) {
            return Err(super::workflow_ops::workflow_not_found(workflow));
        }
        let Some(runs) = self.runs.existing(workflow) else {
            return Ok((Vec::new(), None));
        };
        // Pages count from the oldest run, which never moves: runs started while a
        // client pages through do not shift what the next page returns.
        let list = runs.list.lock().unwrap();
        let end = remaining.unwrap_or(list.len()).min(list.len());
        let start = end.saturating_sub(max);
        let page: Vec<Arc<RunCell>> = list[start..end].iter().rev().cloned().collect();
        Ok((page, (start > 0).then_some(start)))
    }

    /// ResumeWorkflowRun: a new run that restarts the selected nodes, re-runs what is
    /// downstream of them and copies every other node from the original run.
    pub fn resume_workflow_run(
        self: &Arc<Self>,
        workflow: &str,
        run_id: &str,
        node_ids: &[String],
    ) -> Result<(String, Vec<String>)> {
        let original = self.workflow_run(workflow, run_id)?;
        let (run, restart) = {
            let o = original.lock();
            if o.status != RunStatus::Completed {
                return Err(Error::IllegalWorkflowState(format!(
                    "Workflow run {run_id} is {}: only a COMPLETED run can be resumed",
                    o.status.as_str()
                )));
            }
            let attempted: Vec<bool> = o.nodes.iter().map(NodeState::attempted).collect();
            let plan = super::resume::plan(&o.graph, &attempted, run_id, node_ids)?;
            let nodes = o
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let is_trigger = o.graph.nodes[i].kind == NodeKind::Trigger;
                    let fires_rerun = is_trigger && o.graph.actions[i].iter().any(|a| plan.rerun.contains(a));
                    if plan.rerun.contains(&i) || fires_rerun {
                        NodeState::default()
                    } else if is_trigger {
                        NodeState {
                            fired: n.fired,
                            ..NodeState::default()
                        }
                    } else {
                        NodeState {
                            copied: n.attempted(),
                            ..n.clone()
                        }
                    }
                })
                .collect();
            let run = WorkflowRun {
                id: ids::workflow_run_id(),
                workflow_name: workflow.to_string(),
                previous_run_id: Some(run_id.to_string()),
                started_on: Timestamp::now(),
                completed_on: None,
                status: RunStatus::Running,
                error_message: None,
                properties: o.properties.clone(),
                starting_event_batch_condition: None,
                graph: o.graph.clone(),
                nodes,
            };
            (run, plan.restart)
        };
        let max = self
            .read()
            .workflows
            .get(workflow)
            .ok_or_else(|| super::workflow_ops::workflow_not_found(workflow))?
            .max_concurrent_runs;
        let restarted: Vec<String> = restart.iter().map(|n| run.graph.nodes[*n].unique_id.clone()).collect();
        let id = self.begin_run(run, max, |region, r, cell| {
            for node in &restart {
                region.restart_node(r, cell, *node);
            }
        })?;
        Ok((id, restarted))
    }

    /// Starts a node again with the action of the trigger that starts it in the graph.
    fn restart_node(self: &Arc<Self>, r: &mut WorkflowRun, cell: &Arc<RunCell>, node: usize) {
        let graph = r.graph.clone();
        let name = &graph.nodes[node].name;
        let starter = (0..graph.nodes.len()).find(|t| graph.actions[*t].contains(&node));
        let trigger = starter.and_then(|t| graph.nodes[t].trigger.clone());
        let action = trigger
            .as_ref()
            .and_then(|t| {
                t.actions
                    .iter()
                    .find(|a| a.job_name.as_ref() == Some(name) || a.crawler_name.as_ref() == Some(name))
                    .cloned()
            })
            .unwrap_or_else(|| match graph.nodes[node].kind {
                NodeKind::Crawler => Action {
                    crawler_name: Some(name.clone()),
                    ..Action::default()
                },
                _ => Action {
                    job_name: Some(name.clone()),
                    ..Action::default()
                },
            });
        let trigger_name = trigger.map(|t| t.name.clone()).unwrap_or_default();
        self.start_action(r, cell, &action, &trigger_name);
    }

    /// StopWorkflowRun: RUNNING → STOPPING → STOPPED once every running action has stopped.
    pub fn stop_workflow_run(&self, workflow: &str, run_id: &str) -> Result<()> {
        let cell = self.workflow_run(workflow, run_id)?;
        let mut r = cell.lock();
        if r.status != RunStatus::Running {
            return Err(Error::IllegalWorkflowState(format!(
                "Workflow run {run_id} is {}: only a RUNNING run can be stopped",
                r.status.as_str()
            )));
        }
        r.status = RunStatus::Stopping;
        if let Err(e) = r.commit() {
            r.status = RunStatus::Running;
            return Err(e);
        }
        for n in &r.nodes {
            let ids = n
                .job_runs
                .iter()
                .map(|j| j.lock().unwrap().id.clone())
                .chain(n.crawls.iter().map(|c| c.lock().unwrap().id.clone()));
            for id in ids {
                self.exec.stop(&id);
            }
        }
        if r.has_running_nodes() {
            return Ok(());
        }
        self.finish_if_idle(&mut r);
        r.commit_in_background();
        Ok(())
    }

    pub fn run_properties(&self, workflow: &str, run_id: &str) -> Result<Properties> {
        Ok(self.workflow_run(workflow, run_id)?.lock().properties.clone())
    }

    /// Adds properties to a run; a key that exists gets the new value (AWS's documented rule).
    pub fn put_run_properties(&self, workflow: &str, run_id: &str, properties: Properties) -> Result<()> {
        let cell = self.workflow_run(workflow, run_id)?;
        let mut r = cell.lock();
        let before = r.properties.clone();
        r.properties.extend(properties);
        r.commit().inspect_err(|_| r.properties = before)
    }
}
