//! Workflow runs and job runs in motion: starting actions, reacting when a job run
//! or crawl ends, firing the triggers that watch it, and finishing runs.
//!
//! Lock order: a run's mutex, then a job run's or crawl's, then the region's
//! definitions. Nothing locks a run while holding the definitions.

use super::clock::Timestamp;
use super::crawler::{Crawl, CrawlerState};
use super::error::{Error, Result};
use super::executor::{local_script, script_args, Outcome, Work};
use super::graph::NodeKind;
use super::ids;
use super::job::{Arguments, JobRun, JobRunState, DEFAULT_TIMEOUT_MINUTES};
use super::job_ops::job_not_found;
use super::region::Region;
use super::run::{NodeState, RunCell, RunStatus, SharedCrawl, SharedJobRun, WorkflowRun};
use super::trigger::{Action, Condition, CrawlState, Logical, Trigger, TriggerState, TriggerType};
use super::workflow::Properties;
use std::sync::{Arc, Mutex};

/// Who started a job run or crawl, and so who hears when it ends.
#[derive(Clone)]
pub(crate) enum Origin {
    /// StartJobRun or StartCrawler.
    Api,
    /// A trigger that belongs to no workflow.
    Trigger,
    /// A node of a workflow run.
    Workflow { run: Arc<RunCell>, node: usize },
}

/// StartJobRun's parameters.
#[derive(Debug, Clone, Default)]
pub struct JobRunRequest {
    pub arguments: Arguments,
    pub timeout: Option<i32>,
    pub previous_run_id: Option<String>,
    pub max_capacity: Option<f64>,
    pub worker_type: Option<String>,
    pub number_of_workers: Option<i32>,
}

fn run_not_found(workflow: &str, run_id: &str) -> Error {
    Error::NotFound(format!("Workflow run {run_id} of workflow {workflow} not found"))
}

impl Region {
    // ---- job runs -------------------------------------------------------------

    /// Creates a job run and starts executing it. A job that no longer exists
    /// gives a run that fails at once, so a workflow sees the failure.
    fn launch_job(
        self: &Arc<Self>,
        job_name: &str,
        request: JobRunRequest,
        trigger_name: Option<String>,
        attempt: i32,
        origin: Origin,
    ) -> Result<SharedJobRun> {
        let job = self.read().jobs.get(job_name).cloned();
        let now = Timestamp::now();
        let first_id = request.previous_run_id.clone().filter(|_| attempt > 0);
        let id = match &first_id {
            Some(first) => ids::retry_run_id(first, attempt),
            None => ids::job_run_id(),
        };
        let mut arguments = request.arguments.clone();
        let workflow_run = match &origin {
            Origin::Workflow { run, .. } => {
                arguments.insert("--WORKFLOW_NAME".into(), run.workflow_name.clone());
                arguments.insert("--WORKFLOW_RUN_ID".into(), run.id.clone());
                Some((run.workflow_name.clone(), run.id.clone()))
            }
            _ => None,
        };
        let spec = job.as_ref().map(|j| &j.spec);
        let timeout = request
            .timeout
            .or(spec.and_then(|s| s.timeout))
            .unwrap_or(DEFAULT_TIMEOUT_MINUTES);
        let max_concurrent = spec.map_or(1, |s| s.max_concurrent_runs.max(1)) as usize;
        let slot = job.is_some() && self.take_job_slot(job_name, max_concurrent);
        if job.is_some() && !slot && !matches!(origin, Origin::Workflow { .. }) && attempt == 0 {
            // Outside workflows, too many concurrent runs is an error of the call itself.
            return Err(Error::ConcurrentRunsExceeded(format!(
                "Concurrent runs exceeded for {job_name}: the job allows {max_concurrent}"
            )));
        }
        // Work::Fail holds no slot; every other work holds one until job_finished.
        let work = match spec {
            None => Work::Fail(format!("Job {job_name} not found")),
            Some(_) if !slot => Work::Fail(format!("Concurrent runs exceeded for {job_name}")),
            Some(spec) => {
                match local_script(spec.command.script_location.as_deref(), self.settings.s3_dir.as_deref()) {
                    Some(path) => {
                        let mut merged = spec.default_arguments.clone();
                        merged.extend(arguments.clone());
                        merged.extend(spec.non_overridable_arguments.clone());
                        Work::Script {
                            path,
                            args: script_args(job_name, &id, &merged),
                        }
                    }
                    None => Work::Simulated,
                }
            }
        };
        let run = Arc::new(Mutex::new(JobRun {
            id: id.clone(),
            attempt,
            previous_run_id: first_id.or(request.previous_run_id),
            trigger_name,
            job_name: job_name.to_string(),
            started_on: now,
            last_modified_on: now,
            completed_on: None,
            state: JobRunState::Starting,
            arguments,
            error_message: None,
            timeout,
            max_capacity: request.max_capacity.or(spec.and_then(|s| s.max_capacity)),
            worker_type: request.worker_type.or(spec.and_then(|s| s.worker_type.clone())),
            number_of_workers: request.number_of_workers.or(spec.and_then(|s| s.number_of_workers)),
            glue_version: spec.and_then(|s| s.glue_version.clone()),
            log_group_name: "/aws-glue/jobs".into(),
            workflow_run,
            log_file: match &work {
                Work::Script { .. } => Some(
                    self.settings
                        .log_dir
                        .join("aws-glue/jobs/output")
                        .join(&id)
                        .display()
                        .to_string(),
                ),
                _ => None,
            },
        }));
        self.job_runs.entry(job_name.to_string()).or_default().push(run.clone());
        self.job_run_index.insert(id, run.clone());
        self.journal_job_run(&run.lock().unwrap());
        self.spawn_job(run.clone(), origin, work, self.settings.timeout(timeout));
        Ok(run)
    }

    /// Counts one more run of the job unless `max` are running already.
    fn take_job_slot(&self, job_name: &str, max: usize) -> bool {
        let mut active = self.active_job_runs.entry(job_name.to_string()).or_insert(0);
        if *active >= max {
            return false;
        }
        *active += 1;
        true
    }

    /// STARTING → RUNNING, under the workflow run's lock when there is one.
    pub(crate) fn mark_job_running(&self, run: &SharedJobRun, origin: &Origin) {
        let _guard = match origin {
            Origin::Workflow { run, .. } => Some(run.lock()),
            _ => None,
        };
        let mut r = run.lock().unwrap();
        if r.state == JobRunState::Starting {
            r.state = JobRunState::Running;
            r.last_modified_on = Timestamp::now();
        }
    }

    /// A job run ended: record it, retry it if the job allows, then let whoever
    /// started it react.
    pub(crate) fn job_finished(
        self: &Arc<Self>,
        run: &SharedJobRun,
        origin: &Origin,
        outcome: Outcome<JobRunState>,
        held_slot: bool,
    ) {
        let mut workflow_run = match origin {
            Origin::Workflow { run, .. } => Some(run.lock()),
            _ => None,
        };
        if let Some(r) = workflow_run.as_mut() {
            r.mark_changed(); // the job run it holds changes below
        }
        let (job_name, attempt, run_id, request) = {
            let mut r = run.lock().unwrap();
            let now = Timestamp::now();
            r.state = outcome.state;
            r.error_message = outcome.error_message;
            r.completed_on = Some(now);
            r.last_modified_on = now;
            self.journal_job_run(&r);
            if held_slot {
                if let Some(mut n) = self.active_job_runs.get_mut(&r.job_name) {
                    *n = n.saturating_sub(1);
                }
            }
            let first = r
                .previous_run_id
                .clone()
                .filter(|_| r.attempt > 0)
                .unwrap_or_else(|| r.id.clone());
            let mut arguments = r.arguments.clone();
            arguments.remove("--WORKFLOW_NAME");
            arguments.remove("--WORKFLOW_RUN_ID");
            let request = JobRunRequest {
                arguments,
                timeout: Some(r.timeout),
                previous_run_id: Some(first.clone()),
                ..JobRunRequest::default()
            };
            (
                r.job_name.clone(),
                r.attempt,
                r.id.clone(),
                (request, r.trigger_name.clone()),
            )
        };
        let retryable = matches!(
            outcome.state,
            JobRunState::Failed | JobRunState::Timeout | JobRunState::Error
        );
        let max_retries = self.read().jobs.get(&job_name).map_or(0, |j| j.spec.max_retries);
        let still_running = workflow_run.as_ref().is_none_or(|r| r.status == RunStatus::Running);
        if retryable && attempt < max_retries && still_running {
            if let Ok(retry) = self.launch_job(&job_name, request.0, request.1, attempt + 1, origin.clone()) {
                if let (Some(r), Origin::Workflow { node, .. }) = (workflow_run.as_mut(), origin) {
                    r.nodes[*node].job_runs.push(retry);
                }
                return;
            }
        }
        match (origin, workflow_run) {
            (Origin::Workflow { run: cell, node }, Some(mut r)) => self.advance(&mut r, cell, *node),
            (Origin::Trigger, _) => self.fire_standalone_watchers(NodeKind::Job, &job_name, &run_id),
            _ => {}
        }
    }

    /// A crawl ended: record it on the crawl and the crawler, then react.
    /// `ran` is false for a crawl that never started (its crawler was busy or gone):
    /// the crawler's own state is then not this crawl's to change.
    pub(crate) fn crawl_finished(
        self: &Arc<Self>,
        crawl: &SharedCrawl,
        origin: &Origin,
        outcome: Outcome<CrawlState>,
        ran: bool,
    ) {
        let mut workflow_run = match origin {
            Origin::Workflow { run, .. } => Some(run.lock()),
            _ => None,
        };
        if let Some(r) = workflow_run.as_mut() {
            r.mark_changed(); // the crawl it holds changes below
        }
        let (crawler, crawl_id) = {
            let mut c = crawl.lock().unwrap();
            c.state = outcome.state;
            c.error_message = outcome.error_message;
            c.completed_on = Some(Timestamp::now());
            (c.crawler_name.clone(), c.id.clone())
        };
        if ran {
            if let Some(c) = self.write().crawlers.get_mut(&crawler) {
                c.state = CrawlerState::Ready;
            }
        }
        match (origin, workflow_run.as_mut()) {
            (Origin::Workflow { run: cell, node }, Some(r)) => self.advance(r, cell, *node),
            (Origin::Trigger, _) => self.fire_standalone_watchers(NodeKind::Crawler, &crawler, &crawl_id),
            _ => {}
        }
    }

    /// Starts a crawl of `crawler`; refused while it is already running.
    pub(crate) fn launch_crawl(
        self: &Arc<Self>,
        crawler: &str,
        trigger_name: Option<String>,
        origin: Origin,
    ) -> Result<SharedCrawl> {
        let crawl = {
            let mut defs = self.write();
            let c = defs
                .crawlers
                .get_mut(crawler)
                .ok_or_else(|| Error::NotFound(format!("Crawler {crawler} not found")))?;
            if c.state != CrawlerState::Ready {
                return Err(Error::CrawlerRunning(format!(
                    "Crawler with name {crawler} has already started"
                )));
            }
            c.state = CrawlerState::Running;
            let crawl = Arc::new(Mutex::new(Crawl {
                id: ids::crawl_id(),
                crawler_name: crawler.to_string(),
                state: CrawlState::Running,
                started_on: Timestamp::now(),
                completed_on: None,
                error_message: None,
                trigger_name,
            }));
            c.crawls.push(crawl.clone());
            crawl
        };
        self.spawn_crawl(crawl.clone(), origin);
        Ok(crawl)
    }

    // ---- workflow runs ----------------------------------------------------------

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
                    let crawl = Arc::new(Mutex::new(Crawl {
                        id: ids::crawl_id(),
                        crawler_name: crawler.clone(),
                        state: CrawlState::Running,
                        started_on: Timestamp::now(),
                        completed_on: None,
                        error_message: None,
                        trigger_name: Some(trigger.to_string()),
                    }));
                    r.nodes[node].crawls.push(crawl.clone());
                    self.spawn_refused_crawl(crawl, origin(node), e.to_string());
                }
            }
        }
    }

    /// After a node of the run finished: fire the triggers now satisfied, then
    /// finish the run if nothing is left running.
    fn advance(self: &Arc<Self>, r: &mut WorkflowRun, cell: &Arc<RunCell>, node: usize) {
        if r.status == RunStatus::Running {
            let watchers = r.graph.watchers[node].clone();
            for t in watchers {
                let deactivated = r.graph.nodes[t]
                    .trigger
                    .as_ref()
                    .is_some_and(|t| t.state == TriggerState::Deactivated);
                if !r.nodes[t].fired && !deactivated && r.predicate_holds(t) {
                    self.fire(r, cell, t);
                }
            }
        }
        self.finish_if_idle(r);
    }

    fn finish_if_idle(&self, r: &mut WorkflowRun) {
        if !r.status.is_active() || r.has_running_nodes() {
            return;
        }
        r.status = if r.status == RunStatus::Stopping {
            RunStatus::Stopped
        } else {
            RunStatus::Completed
        };
        r.completed_on = Some(Timestamp::now());
        if let Some(runs) = self.workflow_runs.get(&r.workflow_name) {
            runs.release();
        }
    }

    /// Registers a new run and starts it with `start`, all under the run's lock.
    fn begin_run(
        self: &Arc<Self>,
        mut run: WorkflowRun,
        max_concurrent: Option<i32>,
        start: impl FnOnce(&Arc<Self>, &mut WorkflowRun, &Arc<RunCell>),
    ) -> Result<String> {
        let runs = self.runs_of(&run.workflow_name);
        if !runs.try_acquire(max_concurrent) {
            return Err(Error::ConcurrentRunsExceeded(format!(
                "Concurrent runs exceeded for workflow: {}.",
                run.workflow_name
            )));
        }
        run.status = RunStatus::Running;
        let cell = self.new_run_cell(run);
        let mut r = cell.lock();
        self.runs.insert(cell.id.clone(), cell.clone());
        runs.list.lock().unwrap().push(cell.clone());
        start(self, &mut r, &cell);
        self.finish_if_idle(&mut r);
        Ok(cell.id.clone())
    }

    /// StartWorkflowRun: snapshots the triggers, fires the start trigger.
    pub fn start_workflow_run(self: &Arc<Self>, workflow: &str, properties: Option<Properties>) -> Result<String> {
        let (graph, mut props, max) = {
            let defs = self.read();
            let w = defs
                .workflows
                .get(workflow)
                .ok_or_else(|| super::workflow_ops::workflow_not_found(workflow))?;
            (
                defs.graph(&self.account, &self.name, workflow),
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
            nodes: vec![NodeState::default(); graph.nodes.len()],
            graph: Arc::new(graph),
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
            graph: Arc::default(),
            nodes: Vec::new(),
        };
        let cell = self.new_run_cell(run);
        self.runs.insert(cell.id.clone(), cell.clone());
        self.runs_of(workflow).list.lock().unwrap().push(cell);
    }

    pub fn workflow_run(&self, workflow: &str, run_id: &str) -> Result<Arc<RunCell>> {
        self.runs
            .get(run_id)
            .filter(|r| r.workflow_name == workflow)
            .map(|r| r.clone())
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
        let Some(runs) = self.workflow_runs.get(workflow).map(|r| r.clone()) else {
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
        for n in &r.nodes {
            let ids = n
                .job_runs
                .iter()
                .map(|j| j.lock().unwrap().id.clone())
                .chain(n.crawls.iter().map(|c| c.lock().unwrap().id.clone()));
            for id in ids {
                if let Some(stop) = self.stops.get(&id) {
                    stop.notify_one();
                }
            }
        }
        self.finish_if_idle(&mut r);
        Ok(())
    }

    pub fn run_properties(&self, workflow: &str, run_id: &str) -> Result<Properties> {
        Ok(self.workflow_run(workflow, run_id)?.lock().properties.clone())
    }

    /// Adds properties to a run; a key that exists gets the new value (AWS's documented rule).
    pub fn put_run_properties(&self, workflow: &str, run_id: &str, properties: Properties) -> Result<()> {
        self.workflow_run(workflow, run_id)?
            .lock()
            .properties
            .extend(properties);
        Ok(())
    }

    // ---- job runs outside workflows ------------------------------------------------

    /// StartJobRun.
    pub fn start_job_run(self: &Arc<Self>, job: &str, request: JobRunRequest) -> Result<String> {
        if !self.read().jobs.contains_key(job) {
            return Err(job_not_found(job));
        }
        let run = self.launch_job(job, request, None, 0, Origin::Api)?;
        let id = run.lock().unwrap().id.clone();
        Ok(id)
    }

    pub fn get_job_run(&self, job: &str, run_id: &str) -> Result<JobRun> {
        self.job_run_index
            .get(run_id)
            .map(|r| r.lock().unwrap().clone())
            .filter(|r| r.job_name == job)
            .ok_or_else(|| Error::NotFound(format!("Job run {run_id} of job {job} not found")))
    }

    /// The job's runs, newest first.
    pub fn job_run_list(&self, job: &str) -> Result<Vec<JobRun>> {
        if !self.read().jobs.contains_key(job) {
            return Err(job_not_found(job));
        }
        Ok(self
            .job_runs
            .get(job)
            .map(|runs| runs.iter().rev().map(|r| r.lock().unwrap().clone()).collect())
            .unwrap_or_default())
    }

    /// BatchStopJobRun: asks each running run to stop; others are reported with the reason.
    pub fn stop_job_run(&self, job: &str, run_id: &str) -> Result<()> {
        let run = self.get_job_run(job, run_id)?;
        if run.state.is_finished() {
            return Err(Error::InvalidInput(format!(
                "Job run {run_id} has already finished ({})",
                run.state.as_str()
            )));
        }
        if let Some(stop) = self.stops.get(run_id) {
            stop.notify_one();
        }
        Ok(())
    }

    // ---- triggers outside workflows --------------------------------------------------

    /// StartTrigger: an ON_DEMAND trigger fires now; other types become ACTIVATED.
    pub fn start_trigger(self: &Arc<Self>, name: &str) -> Result<()> {
        let trigger = self.activate_trigger(name)?;
        if trigger.trigger_type == TriggerType::OnDemand {
            self.fire_trigger(&trigger.name)?;
        }
        Ok(())
    }

    /// Fires a start trigger: a new run of its workflow, or its actions on their own.
    pub(crate) fn fire_trigger(self: &Arc<Self>, name: &str) -> Result<()> {
        let trigger = self.get_trigger(name)?;
        if let Some(workflow) = &trigger.workflow_name {
            return self.start_workflow_run(workflow, None).map(|_| ());
        }
        for action in &trigger.actions {
            let origin = Origin::Trigger;
            if let Some(job) = &action.job_name {
                let request = JobRunRequest {
                    arguments: action.arguments.clone(),
                    timeout: action.timeout,
                    ..JobRunRequest::default()
                };
                self.launch_job(job, request, Some(trigger.name.clone()), 0, origin)?;
            } else if let Some(crawler) = &action.crawler_name {
                self.launch_crawl(crawler, Some(trigger.name.clone()), origin)?;
            }
        }
        Ok(())
    }

    /// A job run or crawl started by a trigger ended: fire the activated conditional
    /// triggers outside workflows that watch it and whose predicate now holds (see
    /// [`standalone_firing`]). Evaluation is serialised so that two runs ending together
    /// fire an AND trigger once, not twice.
    fn fire_standalone_watchers(self: &Arc<Self>, kind: NodeKind, name: &str, finished: &str) {
        let candidates: Vec<Trigger> = self
            .read()
            .triggers
            .values()
            .filter(|t| {
                t.workflow_name.is_none()
                    && t.trigger_type == TriggerType::Conditional
                    && t.state == TriggerState::Activated
            })
            .filter(|t| {
                t.predicate.as_ref().is_some_and(|p| {
                    p.conditions.iter().any(|c| {
                        if kind == NodeKind::Job {
                            c.is_job(name)
                        } else {
                            c.is_crawler(name)
                        }
                    })
                })
            })
            .cloned()
            .collect();
        let mut fired = self.standalone_fired.lock().unwrap();
        for trigger in candidates {
            let Some(predicate) = &trigger.predicate else { continue };
            let latest: Vec<Option<(String, bool)>> = predicate
                .conditions
                .iter()
                .map(|c| match c {
                    Condition::Job { name, state } => {
                        self.last_triggered_job_run(name).map(|(id, s)| (id, s == Some(*state)))
                    }
                    Condition::Crawler { name, state } => {
                        self.last_triggered_crawl(name).map(|(id, s)| (id, s == Some(*state)))
                    }
                })
                .collect();
            let logical = predicate.logical.unwrap_or(Logical::And);
            let last = fired.get(&trigger.name).map(Vec::as_slice);
            if let Some(runs) = standalone_firing(logical, &latest, finished, last) {
                fired.insert(trigger.name.clone(), runs);
                let _ = self.fire_trigger(&trigger.name);
            }
        }
    }

    /// The id and final state (None while it runs) of the job's latest run that a trigger
    /// outside workflows started.
    fn last_triggered_job_run(&self, job: &str) -> Option<(String, Option<JobRunState>)> {
        let runs = self.job_runs.get(job)?;
        runs.iter().rev().find_map(|r| {
            let r = r.lock().unwrap();
            (r.trigger_name.is_some() && r.workflow_run.is_none())
                .then(|| (r.id.clone(), r.state.is_finished().then_some(r.state)))
        })
    }

    fn last_triggered_crawl(&self, crawler: &str) -> Option<(String, Option<CrawlState>)> {
        let crawls: Vec<SharedCrawl> = self.read().crawlers.get(crawler)?.crawls.clone();
        crawls.iter().rev().find_map(|c| {
            let c = c.lock().unwrap();
            c.trigger_name
                .is_some()
                .then(|| (c.id.clone(), c.state.is_finished().then_some(c.state)))
        })
    }
}

/// Whether a conditional trigger outside workflows fires now that run `finished` ended,
/// and if so the runs that make it fire. `latest` holds, per condition, the latest
/// triggered run of its job or crawler and whether that run ended in the condition's
/// state; `last` is what made the trigger fire the previous time.
///
/// The run that just ended must meet a condition. AND needs every condition met and
/// fires once per combination of runs; ANY fires once per run that meets a condition.
pub(crate) fn standalone_firing(
    logical: Logical,
    latest: &[Option<(String, bool)>],
    finished: &str,
    last: Option<&[String]>,
) -> Option<Vec<String>> {
    let meets = |l: &Option<(String, bool)>| l.as_ref().is_some_and(|(_, held)| *held);
    let finished_meets = latest
        .iter()
        .any(|l| meets(l) && l.as_ref().is_some_and(|(id, _)| id == finished));
    if !finished_meets {
        return None;
    }
    let runs: Vec<String> = match logical {
        Logical::And if latest.iter().all(meets) => latest.iter().flatten().map(|(id, _)| id.clone()).collect(),
        Logical::And => return None,
        Logical::Any => vec![finished.to_string()],
    };
    (last != Some(runs.as_slice())).then_some(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, held: bool) -> Option<(String, bool)> {
        Some((id.to_string(), held))
    }

    #[test]
    fn and_fires_once_per_combination() {
        let both = [run("a1", true), run("b1", true)];
        let fired = standalone_firing(Logical::And, &both, "b1", None).unwrap();
        assert_eq!(fired, ["a1", "b1"]);
        // The other run of the pair ending at the same moment sees the same combination.
        assert_eq!(standalone_firing(Logical::And, &both, "a1", Some(&fired)), None);
        // A new run of A with the old B is a new combination.
        let next = [run("a2", true), run("b1", true)];
        assert_eq!(
            standalone_firing(Logical::And, &next, "a2", Some(&fired)).unwrap(),
            ["a2", "b1"]
        );
    }

    #[test]
    fn and_waits_for_every_condition() {
        assert_eq!(
            standalone_firing(Logical::And, &[run("a1", true), None], "a1", None),
            None
        );
        assert_eq!(
            standalone_firing(Logical::And, &[run("a1", true), run("b1", false)], "a1", None),
            None
        );
    }

    #[test]
    fn any_fires_per_run_that_meets_a_condition() {
        let latest = [run("a1", true), run("b1", false)];
        assert_eq!(standalone_firing(Logical::Any, &latest, "a1", None).unwrap(), ["a1"]);
        assert_eq!(standalone_firing(Logical::Any, &latest, "b1", None), None);
        assert_eq!(
            standalone_firing(Logical::Any, &latest, "a1", Some(&["a1".to_string()])),
            None
        );
    }

    #[test]
    fn the_finished_run_must_be_the_one_that_meets_the_condition() {
        // A newer run of the job started meanwhile: the finished one is no longer the latest.
        let latest = [run("a2", true)];
        assert_eq!(standalone_firing(Logical::And, &latest, "a1", None), None);
    }
}
