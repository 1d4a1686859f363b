//! Job runs and crawls in motion: starting them, and reacting when one ends —
//! recording it, retrying it, and telling whoever started it (locks in the order
//! [`super::lock_order`] enforces).

use super::clock::Timestamp;
use super::crawler::{Crawl, CrawlerState};
use super::error::{Error, Result};
use super::executor::{script_args, Outcome, Runner, Work};
use super::graph::NodeKind;
use super::ids;
use super::job::{Arguments, JobRun, JobRunState, DEFAULT_TIMEOUT_MINUTES};
use super::job_ops::job_not_found;
use super::persist::Change;
use super::region::Region;
use super::run::{RunCell, RunStatus, SharedCrawl, SharedJobRun};
use super::script_path;
use super::trigger::CrawlState;
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

/// What the executor reports when a job run or crawl ends (see [`Region::finished`]).
pub(crate) enum Finished {
    /// `held_slot`: the run held one of its job's concurrent-run slots.
    Job {
        run: SharedJobRun,
        outcome: Outcome<JobRunState>,
        held_slot: bool,
    },
    /// `ran` is false for a crawl that never started (its crawler was busy or gone):
    /// the crawler's own state is then not this crawl's to change.
    Crawl {
        crawl: SharedCrawl,
        outcome: Outcome<CrawlState>,
        ran: bool,
    },
}

/// A job run that ended: its job, its id, and how to retry it (the request, the
/// trigger that started it and the next attempt) if it may be.
struct JobEnd {
    job: String,
    run_id: String,
    retry: Option<(JobRunRequest, Option<String>, i32)>,
}

/// The next attempt of a run that failed: the request, the trigger that started it
/// and the attempt's number.
fn retry_of(r: &JobRun) -> (JobRunRequest, Option<String>, i32) {
    let first = r
        .previous_run_id
        .clone()
        .filter(|_| r.attempt > 0)
        .unwrap_or_else(|| r.id.clone());
    let mut arguments = r.arguments.clone();
    if r.workflow_run.is_some() {
        // Journals written before `workflow_run` supplied them hold them here.
        arguments.remove("--WORKFLOW_NAME");
        arguments.remove("--WORKFLOW_RUN_ID");
    }
    let request = JobRunRequest {
        arguments,
        timeout: Some(r.timeout),
        previous_run_id: Some(first),
        ..JobRunRequest::default()
    };
    (request, r.trigger_name.clone(), r.attempt + 1)
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

impl Region {
    // ---- job runs -------------------------------------------------------------

    /// Creates a job run and starts executing it. A job that no longer exists
    /// gives a run that fails at once, so a workflow sees the failure.
    pub(crate) fn launch_job(
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
        // The run stores the caller's arguments; a workflow's `--WORKFLOW_NAME` and
        // `--WORKFLOW_RUN_ID` come from `workflow_run` (see `JobRun::arguments_as_run`),
        // so the runs of a workflow do not each keep a copy of them.
        let arguments = request.arguments.clone();
        let workflow_run = match &origin {
            Origin::Workflow { run, .. } => Some((run.workflow_name.clone(), run.id.clone())),
            _ => None,
        };
        let spec = job.as_ref().map(|j| &j.spec);
        let timeout = request
            .timeout
            .or(spec.and_then(|s| s.timeout))
            .unwrap_or(DEFAULT_TIMEOUT_MINUTES);
        let max_concurrent = spec.map_or(1, |s| s.max_concurrent_runs.max(1)) as usize;
        let slot = job.is_some() && self.exec.take_job_slot(job_name, max_concurrent);
        if job.is_some() && !slot && !matches!(origin, Origin::Workflow { .. }) && attempt == 0 {
            // Outside workflows, too many concurrent runs is an error of the call itself.
            return Err(Error::ConcurrentRunsExceeded(format!(
                "Concurrent runs exceeded for {job_name}: the job allows {max_concurrent}"
            )));
        }
        // Work::Fail holds no slot; every other work holds one until the run has finished.
        let work = match spec {
            None => Work::Fail(format!("Job {job_name} not found")),
            Some(_) if !slot => Work::Fail(format!("Concurrent runs exceeded for {job_name}")),
            Some(spec) => {
                // Without a --scripts-dir nothing runs: a local script is simulated like any other.
                let location = spec.command.script_location.as_deref().filter(|l| {
                    !self.settings.scripts_dirs.is_empty() && script_path::is_local(l, self.settings.s3_dir.as_deref())
                });
                match location {
                    Some(location) => {
                        let merged = spec.run_arguments(&arguments, workflow_run.as_ref());
                        Work::Script {
                            location: location.to_string(),
                            role: spec.role.clone(),
                            args: script_args(job_name, &id, &merged),
                            runner: Runner::of(spec, self.settings.spark.executor),
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
            log_group_name: super::job_logs::LOG_GROUP.into(),
            workflow_run,
        }));
        if let Err(e) = self.journal_job_run(&run.lock().unwrap()) {
            if slot {
                self.exec.release_job_slot(job_name);
            }
            return Err(e);
        }
        self.job_runs.add(job_name, id, run.clone());
        self.spawn_job(run.clone(), origin, work, self.settings.timeout(timeout));
        Ok(run)
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

    /// A job run or crawl ended: record it, retry a job run if its job allows, then let
    /// whoever started it react (the workflow run advances; triggers watching it fire).
    pub(crate) fn finished(self: &Arc<Self>, origin: &Origin, finished: Finished) {
        let mut workflow_run = match origin {
            Origin::Workflow { run, .. } => Some(run.lock()),
            _ => None,
        };
        let (kind, name, id) = match finished {
            Finished::Job {
                run,
                outcome,
                held_slot,
            } => {
                let ended = self.record_job_end(&run, outcome, held_slot);
                let still_running = workflow_run.as_ref().is_none_or(|r| r.status == RunStatus::Running);
                if let Some((request, trigger, attempt)) = ended.retry.filter(|_| still_running) {
                    if let Ok(retry) = self.launch_job(&ended.job, request, trigger, attempt, origin.clone()) {
                        if let (Some(r), Origin::Workflow { node, .. }) = (workflow_run.as_mut(), origin) {
                            r.nodes[*node].job_runs.push(retry);
                            r.commit_in_background();
                        }
                        return;
                    }
                }
                (NodeKind::Job, ended.job, ended.run_id)
            }
            Finished::Crawl { crawl, outcome, ran } => {
                let (crawler, crawl_id) = self.record_crawl_end(&crawl, outcome, ran);
                (NodeKind::Crawler, crawler, crawl_id)
            }
        };
        match (origin, workflow_run.as_mut()) {
            (Origin::Workflow { run: cell, node }, Some(r)) => {
                self.advance(r, cell, *node);
                r.commit_in_background();
            }
            (Origin::Trigger, _) => self.fire_standalone_watchers(kind, &name, &id),
            _ => {}
        }
    }

    /// Records how a job run ended and gives back its slot; says how to retry it when
    /// it failed and its job allows another attempt.
    fn record_job_end(&self, run: &SharedJobRun, outcome: Outcome<JobRunState>, held_slot: bool) -> JobEnd {
        let retryable = matches!(
            outcome.state,
            JobRunState::Failed | JobRunState::Timeout | JobRunState::Error
        );
        let mut ended = {
            let mut r = run.lock().unwrap();
            let now = Timestamp::now();
            r.state = outcome.state;
            r.error_message = outcome.error_message;
            r.completed_on = Some(now);
            r.last_modified_on = now;
            self.journal_job_run_in_background(&r);
            if held_slot {
                self.exec.release_job_slot(&r.job_name);
            }
            JobEnd {
                job: r.job_name.clone(),
                run_id: r.id.clone(),
                retry: retryable.then(|| retry_of(&r)),
            }
        };
        // The job's definitions are read once the job run's lock is let go.
        let max_retries = self.read().jobs.get(&ended.job).map_or(0, |j| j.spec.max_retries);
        ended.retry = ended.retry.filter(|(_, _, attempt)| *attempt <= max_retries);
        ended
    }

    /// Records how a crawl ended on the crawl, and on its crawler when it ran; gives
    /// back the crawler's name and the crawl's id.
    fn record_crawl_end(&self, crawl: &SharedCrawl, outcome: Outcome<CrawlState>, ran: bool) -> (String, String) {
        let (crawler, crawl_id) = {
            let mut c = crawl.lock().unwrap();
            c.state = outcome.state;
            c.error_message = outcome.error_message;
            c.completed_on = Some(Timestamp::now());
            (c.crawler_name.clone(), c.id.clone())
        };
        if ran {
            let mut defs = self.write();
            if let Some(mut c) = defs.crawlers.get(&crawler).cloned() {
                c.state = CrawlerState::Ready;
                defs.commit_in_background(Change::PutCrawler { crawler: c });
            }
        }
        (crawler, crawl_id)
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
            let mut c = defs
                .crawlers
                .get(crawler)
                .cloned()
                .ok_or_else(|| Error::NotFound(format!("Crawler {crawler} not found")))?;
            if c.state != CrawlerState::Ready {
                return Err(Error::CrawlerRunning(format!(
                    "Crawler with name {crawler} has already started"
                )));
            }
            c.state = CrawlerState::Running;
            let crawl = Arc::new(Mutex::new(Crawl::new(crawler, trigger_name)));
            c.crawls.push(crawl.clone());
            defs.commit(Change::PutCrawler { crawler: c })?;
            crawl
        };
        self.spawn_crawl(crawl.clone(), origin);
        Ok(crawl)
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
        self.job_runs
            .get(run_id)
            .map(|r| r.lock().unwrap().clone())
            .filter(|r| r.job_name == job)
            .ok_or_else(|| Error::NotFound(format!("Job run {run_id} of job {job} not found")))
    }

    /// The name of the job whose run this is, for any run of this account and region.
    pub fn job_of_run(&self, run_id: &str) -> Option<String> {
        self.job_runs.get(run_id).map(|r| r.lock().unwrap().job_name.clone())
    }

    /// The job's runs, newest first.
    pub fn job_run_list(&self, job: &str) -> Result<Vec<JobRun>> {
        if !self.read().jobs.contains_key(job) {
            return Err(job_not_found(job));
        }
        Ok(self.job_runs.of_job(job, |runs| {
            runs.iter().rev().map(|r| r.lock().unwrap().clone()).collect()
        }))
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
        self.exec.stop(run_id);
        Ok(())
    }
}
