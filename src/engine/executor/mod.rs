//! How a job run or crawl ends: simulated, by an injected outcome, or by really
//! running a local script the operator allowed (see [`script_path`](super::script_path)). Each runs in its
//! own task and reports back through [`Region::finished`].
//!
//! The parts: this module spawns the runs and crawls; [`script`] runs a script (its
//! environment, credentials, logs and process group), [`launch`] says what to start
//! for it, [`script_env`] what it inherits, [`error_log`] what a failed one's
//! ErrorMessage quotes; [`state`] keeps what is in progress.

mod error_log;
mod launch;
mod script;
mod script_env;
pub(crate) mod state;

use super::actions::{Finished, Origin};
use super::job::{Arguments, JobRunState, JobSpec};
use super::region::Region;
use super::run::{SharedCrawl, SharedJobRun};
use super::spark::{self, SparkExecutor};
use super::trigger::CrawlState;
use state::InjectedOutcome;
use std::sync::Arc;
use std::time::Duration;

/// How a job run or crawl ended.
#[derive(Debug, Clone)]
pub(crate) struct Outcome<S> {
    pub state: S,
    pub error_message: Option<String>,
}

/// What a job run executes.
pub(crate) enum Work {
    Simulated,
    /// A local script, if [`script_path::resolve`](super::script_path::resolve) lets it run; `role` is the job's `Role`.
    Script {
        location: String,
        role: String,
        args: Vec<String>,
        runner: Runner,
    },
    /// Fails at once, holding no slot (the job was deleted, or has too many runs).
    Fail(String),
}

/// What runs a job's script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Runner {
    /// Its `#!` line, else its extension's interpreter (Python shell jobs; Spark ones when simulated).
    Plain,
    /// `spark-submit`, else Python, from this machine's PySpark.
    SparkLocal,
    /// `spark-submit` in a Glue image, the job's `GlueVersion`'s unless one is configured.
    SparkDocker { glue_version: Option<String> },
}

impl Runner {
    pub(crate) fn of(spec: &JobSpec, executor: SparkExecutor) -> Runner {
        if !spark::is_spark(spec.command.name.as_deref()) {
            return Runner::Plain;
        }
        match executor {
            SparkExecutor::Simulate => Runner::Plain,
            SparkExecutor::Local => Runner::SparkLocal,
            SparkExecutor::Docker => Runner::SparkDocker {
                glue_version: spec.glue_version.clone(),
            },
        }
    }
}

/// Glue-style arguments: `--JOB_NAME j --JOB_RUN_ID jr_… --key value …`.
pub(crate) fn script_args(job: &str, run_id: &str, arguments: &Arguments) -> Vec<String> {
    let mut args = vec![
        "--JOB_NAME".to_string(),
        job.to_string(),
        "--JOB_RUN_ID".to_string(),
        run_id.to_string(),
    ];
    for (k, v) in arguments {
        let key = if k.starts_with("--") {
            k.clone()
        } else {
            format!("--{k}")
        };
        args.push(key);
        args.push(v.clone());
    }
    args
}

impl<S> From<InjectedOutcome<S>> for Outcome<S> {
    fn from(injected: InjectedOutcome<S>) -> Outcome<S> {
        Outcome {
            state: injected.state,
            error_message: injected.error_message,
        }
    }
}

impl Region {
    /// Runs one job run to its end in a task of its own.
    pub(crate) fn spawn_job(self: &Arc<Self>, run: SharedJobRun, origin: Origin, work: Work, timeout: Duration) {
        let region = self.clone();
        let (id, job, minutes) = {
            let r = run.lock().unwrap();
            (r.id.clone(), r.job_name.clone(), r.timeout)
        };
        let stop = self.exec.new_stop(&id);
        let held_slot = !matches!(work, Work::Fail(_));
        tokio::spawn(async move {
            region.mark_job_running(&run, &origin);
            let injected = region.exec.take_outcome(|o| &mut o.jobs, &job);
            let settings = region.settings.clone();
            let ends = async {
                match (injected, work) {
                    (_, Work::Fail(message)) => Outcome {
                        state: JobRunState::Failed,
                        error_message: Some(message),
                    },
                    (Some(injected), _) => {
                        tokio::time::sleep(settings.job_duration).await;
                        injected.into()
                    }
                    (None, Work::Simulated) => {
                        tokio::time::sleep(settings.job_duration).await;
                        Outcome {
                            state: JobRunState::Succeeded,
                            error_message: None,
                        }
                    }
                    (
                        None,
                        Work::Script {
                            location,
                            role,
                            args,
                            runner,
                        },
                    ) => region.run_script(&job, &id, &location, &role, &args, &runner).await,
                }
            };
            let outcome = tokio::select! {
                outcome = ends => outcome,
                _ = stop.notified() => Outcome { state: JobRunState::Stopped, error_message: Some("Job run stopped".into()) },
                _ = tokio::time::sleep(timeout) => Outcome {
                    state: JobRunState::Timeout,
                    error_message: Some(format!("Job run timed out: it ran longer than its timeout of {minutes} minutes")),
                },
            };
            region.exec.forget_stop(&id);
            region.finished(
                &origin,
                Finished::Job {
                    run,
                    outcome,
                    held_slot,
                },
            );
        });
    }

    /// Runs a crawl to its end in a task of its own: an injected outcome if there is one, else a
    /// crawl of the files in the s3 dir if the crawler has S3 targets and there is an s3 dir
    /// (see [`Region::crawl_files`]), else a simulated one.
    pub(crate) fn spawn_crawl(self: &Arc<Self>, crawl: SharedCrawl, origin: Origin) {
        let region = self.clone();
        let (id, crawler) = {
            let c = crawl.lock().unwrap();
            (c.id.clone(), c.crawler_name.clone())
        };
        let stop = self.exec.new_stop(&id);
        tokio::spawn(async move {
            let injected = region.exec.take_outcome(|o| &mut o.crawlers, &crawler);
            let files = match (&injected, &region.settings.s3_dir) {
                (None, Some(s3_dir)) => region.crawl_plan(&crawler).map(|plan| (s3_dir.clone(), plan)),
                _ => None,
            };
            let outcome = match files {
                Some((s3_dir, plan)) => region.crawl_files(&crawl, s3_dir, plan, &stop).await,
                None => {
                    let duration = region.settings.job_duration;
                    tokio::select! {
                        _ = tokio::time::sleep(duration) => match injected {
                            Some(injected) => injected.into(),
                            None => Outcome { state: CrawlState::Succeeded, error_message: None },
                        },
                        _ = stop.notified() => Outcome { state: CrawlState::Cancelled, error_message: None },
                    }
                }
            };
            region.exec.forget_stop(&id);
            let ran = true;
            region.finished(&origin, Finished::Crawl { crawl, outcome, ran });
        });
    }

    /// Ends, in a task of its own, a crawl that could not start (its crawler was busy or gone).
    pub(crate) fn spawn_refused_crawl(self: &Arc<Self>, crawl: SharedCrawl, origin: Origin, message: String) {
        let region = self.clone();
        tokio::spawn(async move {
            let outcome = Outcome {
                state: CrawlState::Failed,
                error_message: Some(message),
            };
            let ran = false;
            region.finished(&origin, Finished::Crawl { crawl, outcome, ran });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let args = Arguments::from([("--x".to_string(), "1".to_string()), ("y".to_string(), "2".to_string())]);
        assert_eq!(
            script_args("J", "jr_1", &args),
            ["--JOB_NAME", "J", "--JOB_RUN_ID", "jr_1", "--x", "1", "--y", "2"]
        );
    }
}
