//! The job resource and its runs.

use super::clock::Timestamp;
use super::wire_enum::wire_enum;
use super::workflow::Tags;
use std::collections::BTreeMap;

pub type Arguments = BTreeMap<String, String>;

/// Members of a job that glue-local stores and returns but does not act on.
pub type Passthrough = serde_json::Map<String, serde_json::Value>;

/// AWS's default job timeout, in minutes.
pub const DEFAULT_TIMEOUT_MINUTES: i32 = 2880;

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobCommand {
    pub name: Option<String>,
    pub script_location: Option<String>,
    pub python_version: Option<String>,
    pub runtime: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Job {
    pub name: String,
    pub spec: JobSpec,
    pub created_on: Timestamp,
    pub last_modified_on: Timestamp,
    pub tags: Tags,
}

/// What CreateJob and UpdateJob set (UpdateJob replaces the whole spec, as AWS does).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobSpec {
    pub role: String,
    pub command: JobCommand,
    pub default_arguments: Arguments,
    pub non_overridable_arguments: Arguments,
    pub max_concurrent_runs: i32,
    pub max_retries: i32,
    pub timeout: Option<i32>,
    pub max_capacity: Option<f64>,
    pub worker_type: Option<String>,
    pub number_of_workers: Option<i32>,
    pub glue_version: Option<String>,
    pub passthrough: Passthrough,
}

impl JobSpec {
    /// The arguments a run's script gets (besides `--JOB_NAME` and `--JOB_RUN_ID`): the
    /// job's DefaultArguments overlaid by the run's, `--WORKFLOW_NAME`/`--WORKFLOW_RUN_ID`
    /// when a workflow run started it, then NonOverridableArguments.
    pub fn run_arguments(&self, arguments: &Arguments, workflow_run: Option<&(String, String)>) -> Arguments {
        let mut merged = self.default_arguments.clone();
        merged.extend(arguments.clone());
        if let Some((workflow, run_id)) = workflow_run {
            merged.insert("--WORKFLOW_NAME".into(), workflow.clone());
            merged.insert("--WORKFLOW_RUN_ID".into(), run_id.clone());
        }
        merged.extend(self.non_overridable_arguments.clone());
        merged
    }
}

wire_enum! {
    pub enum JobRunState {
        Starting = "STARTING", Running = "RUNNING", Stopping = "STOPPING", Stopped = "STOPPED",
        Succeeded = "SUCCEEDED", Failed = "FAILED", Timeout = "TIMEOUT", Error = "ERROR",
        Waiting = "WAITING", Expired = "EXPIRED",
    }
}

impl JobRunState {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobRunState::Stopped
                | JobRunState::Succeeded
                | JobRunState::Failed
                | JobRunState::Timeout
                | JobRunState::Error
                | JobRunState::Expired
        )
    }
}

/// Journaled (with `--state-dir`) without its empty members, which read back as empty.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct JobRun {
    pub id: String,
    pub attempt: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_run_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_name: Option<String>,
    pub job_name: String,
    pub started_on: Timestamp,
    pub last_modified_on: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Timestamp>,
    pub state: JobRunState,
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub timeout: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_workers: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glue_version: Option<String>,
    pub log_group_name: String,
    /// The workflow run that started this job run, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_run: Option<(String, String)>,
}

#[cfg(test)]
impl JobRun {
    /// For tests: a first attempt of `job`, started now, in `state` (completed now when finished).
    pub(crate) fn of(job: &str, id: &str, state: JobRunState) -> JobRun {
        let now = Timestamp::now();
        JobRun {
            id: id.into(),
            attempt: 0,
            previous_run_id: None,
            trigger_name: None,
            job_name: job.into(),
            started_on: now,
            last_modified_on: now,
            completed_on: state.is_finished().then_some(now),
            state,
            arguments: Arguments::new(),
            error_message: None,
            timeout: 1,
            max_capacity: None,
            worker_type: None,
            number_of_workers: None,
            glue_version: None,
            log_group_name: String::new(),
            workflow_run: None,
        }
    }
}

impl JobRun {
    /// The run's arguments as Glue shows them: the caller's, plus `--WORKFLOW_NAME`
    /// and `--WORKFLOW_RUN_ID` for a run that a workflow run started.
    pub fn arguments_as_run(&self) -> Arguments {
        let mut arguments = self.arguments.clone();
        if let Some((workflow, run_id)) = &self.workflow_run {
            arguments.insert("--WORKFLOW_NAME".into(), workflow.clone());
            arguments.insert("--WORKFLOW_RUN_ID".into(), run_id.clone());
        }
        arguments
    }

    pub fn execution_time_seconds(&self) -> i64 {
        let end = self.completed_on.unwrap_or_else(Timestamp::now);
        end.seconds_since(self.started_on)
    }
}
