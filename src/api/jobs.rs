//! Jobs and their runs: CreateJob, GetJob, UpdateJob, DeleteJob, GetJobs, ListJobs,
//! BatchGetJobs, StartJobRun, GetJobRun, GetJobRuns, BatchStopJobRun.

use super::pagination::{self, PageRequest, TaggedPageRequest};
use super::shapes::{epoch, CapacityOut, JobRunOut};
use super::{Ctx, Reply};
use crate::engine::clock::Timestamp;
use crate::engine::job::{Arguments, Job, JobCommand, JobSpec, Passthrough};
use crate::engine::workflow::Tags;
use crate::engine::JobRunRequest;
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};

/// Job members stored and returned as given; glue-local does not act on them.
const PASSTHROUGH: &[&str] = &[
    "Description",
    "LogUri",
    "Connections",
    "AllocatedCapacity",
    "SecurityConfiguration",
    "NotificationProperty",
    "CodeGenConfigurationNodes",
    "ExecutionClass",
    "SourceControlDetails",
    "MaintenanceWindow",
    "JobMode",
    "JobRunQueuingEnabled",
];

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct CommandShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    script_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    python_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime: Option<String>,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ExecutionProperty {
    max_concurrent_runs: Option<i32>,
}

/// The definition members of CreateJob and of UpdateJob's JobUpdate.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct JobFields {
    role: Option<String>,
    command: Option<CommandShape>,
    default_arguments: Option<Arguments>,
    non_overridable_arguments: Option<Arguments>,
    execution_property: Option<ExecutionProperty>,
    max_retries: Option<i32>,
    timeout: Option<i32>,
    max_capacity: Option<f64>,
    worker_type: Option<String>,
    number_of_workers: Option<i32>,
    glue_version: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl JobFields {
    /// The engine's spec; `current` supplies Role and Command when an update omits them.
    fn into_spec(self, current: Option<&JobSpec>) -> Reply<JobSpec> {
        let role = self.role.or_else(|| current.map(|c| c.role.clone()));
        let role = role.ok_or_else(|| WireError::invalid_input("Role is required"))?;
        let command = match (self.command, current) {
            (Some(c), _) => JobCommand {
                name: c.name,
                script_location: c.script_location,
                python_version: c.python_version,
                runtime: c.runtime,
            },
            (None, Some(c)) => c.command.clone(),
            (None, None) => return Err(WireError::invalid_input("Command is required")),
        };
        let passthrough: Passthrough = self
            .rest
            .into_iter()
            .filter(|(k, _)| PASSTHROUGH.contains(&k.as_str()))
            .collect();
        Ok(JobSpec {
            role,
            command,
            default_arguments: self.default_arguments.unwrap_or_default(),
            non_overridable_arguments: self.non_overridable_arguments.unwrap_or_default(),
            max_concurrent_runs: self.execution_property.and_then(|e| e.max_concurrent_runs).unwrap_or(1),
            max_retries: self.max_retries.unwrap_or(0),
            timeout: self.timeout,
            max_capacity: self.max_capacity,
            worker_type: self.worker_type,
            number_of_workers: self.number_of_workers,
            glue_version: self.glue_version,
            passthrough,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    name: String,
    tags: Option<Tags>,
    #[serde(flatten)]
    fields: JobFields,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameOutput {
    name: String,
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<NameOutput> {
    let spec = i.fields.into_spec(None)?;
    ctx.region.create_job(&i.name, spec, i.tags.unwrap_or_default())?;
    Ok(NameOutput { name: i.name })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobOut {
    name: String,
    role: String,
    #[serde(serialize_with = "epoch")]
    created_on: Timestamp,
    #[serde(serialize_with = "epoch")]
    last_modified_on: Timestamp,
    execution_property: ExecutionProperty,
    command: CommandShape,
    #[serde(skip_serializing_if = "Arguments::is_empty")]
    default_arguments: Arguments,
    #[serde(skip_serializing_if = "Arguments::is_empty")]
    non_overridable_arguments: Arguments,
    max_retries: i32,
    timeout: i32,
    #[serde(flatten)]
    capacity: CapacityOut,
    #[serde(flatten)]
    passthrough: Passthrough,
}

impl From<Job> for JobOut {
    fn from(j: Job) -> JobOut {
        let s = j.spec;
        JobOut {
            name: j.name,
            role: s.role,
            created_on: j.created_on,
            last_modified_on: j.last_modified_on,
            execution_property: ExecutionProperty {
                max_concurrent_runs: Some(s.max_concurrent_runs),
            },
            command: CommandShape {
                name: s.command.name,
                script_location: s.command.script_location,
                python_version: s.command.python_version,
                runtime: s.command.runtime,
            },
            default_arguments: s.default_arguments,
            non_overridable_arguments: s.non_overridable_arguments,
            max_retries: s.max_retries,
            timeout: s.timeout.unwrap_or(crate::engine::job::DEFAULT_TIMEOUT_MINUTES),
            capacity: CapacityOut {
                max_capacity: s.max_capacity,
                worker_type: s.worker_type,
                number_of_workers: s.number_of_workers,
                glue_version: s.glue_version,
            },
            passthrough: s.passthrough,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    job_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    job: JobOut,
}

pub fn get(ctx: &Ctx, i: GetInput) -> Reply<GetOutput> {
    Ok(GetOutput {
        job: ctx.region.get_job(&i.job_name)?.into(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    job_name: String,
    job_update: JobFields,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobNameOutput {
    job_name: String,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<JobNameOutput> {
    let current = ctx.region.get_job(&i.job_name)?;
    let spec = i.job_update.into_spec(Some(&current.spec))?;
    ctx.region.update_job(&i.job_name, spec)?;
    Ok(JobNameOutput { job_name: i.job_name })
}

pub fn delete(ctx: &Ctx, i: GetInput) -> Reply<JobNameOutput> {
    ctx.region.delete_job(&i.job_name)?;
    Ok(JobNameOutput { job_name: i.job_name })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    jobs: Vec<JobOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_all(ctx: &Ctx, i: PageRequest) -> Reply<GetAllOutput> {
    let (page, next_token) = ctx.names_page("GetJobs", ctx.region.job_names(&Tags::new()), &i, 100)?;
    let jobs = page
        .iter()
        .filter_map(|n| ctx.region.get_job(n).ok())
        .map(JobOut::from)
        .collect();
    Ok(GetAllOutput { jobs, next_token })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    job_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn list(ctx: &Ctx, i: TaggedPageRequest) -> Reply<ListOutput> {
    let tags = i.tags.unwrap_or_default();
    let names = ctx.region.job_names(&tags);
    let (job_names, next_token) = ctx.names_page(format!("ListJobs/{tags:?}"), names, &i.page, 100)?;
    Ok(ListOutput { job_names, next_token })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetInput {
    job_names: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetOutput {
    jobs: Vec<JobOut>,
    jobs_not_found: Vec<String>,
}

pub fn batch_get(ctx: &Ctx, i: BatchGetInput) -> Reply<BatchGetOutput> {
    let (jobs, jobs_not_found) = ctx.split_found(i.job_names, |n| ctx.region.get_job(n).map(Into::into));
    Ok(BatchGetOutput { jobs, jobs_not_found })
}

// ---- job runs -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartRunInput {
    job_name: String,
    job_run_id: Option<String>,
    arguments: Option<Arguments>,
    timeout: Option<i32>,
    max_capacity: Option<f64>,
    worker_type: Option<String>,
    number_of_workers: Option<i32>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartRunOutput {
    job_run_id: String,
}

pub fn start_run(ctx: &Ctx, i: StartRunInput) -> Reply<StartRunOutput> {
    if let Some(previous) = &i.job_run_id {
        ctx.region.get_job_run(&i.job_name, previous)?;
    }
    let request = JobRunRequest {
        arguments: i.arguments.unwrap_or_default(),
        timeout: i.timeout,
        previous_run_id: i.job_run_id,
        max_capacity: i.max_capacity,
        worker_type: i.worker_type,
        number_of_workers: i.number_of_workers,
    };
    Ok(StartRunOutput {
        job_run_id: ctx.region.start_job_run(&i.job_name, request)?,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRunInput {
    job_name: String,
    run_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRunOutput {
    job_run: JobRunOut,
}

pub fn get_run(ctx: &Ctx, i: GetRunInput) -> Reply<GetRunOutput> {
    Ok(GetRunOutput {
        job_run: ctx.region.get_job_run(&i.job_name, &i.run_id)?.into(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRunsInput {
    job_name: String,
    next_token: Option<String>,
    max_results: Option<i32>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRunsOutput {
    job_runs: Vec<JobRunOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_runs(ctx: &Ctx, i: GetRunsInput) -> Reply<GetRunsOutput> {
    let scope = ctx.scope(format!("GetJobRuns/{}", i.job_name));
    let all = ctx.region.job_run_list(&i.job_name)?;
    let (page, next_token) = pagination::page_after_id(
        &scope,
        all,
        |r| r.id.as_str(),
        i.next_token.as_deref(),
        i.max_results,
        100,
    )?;
    let job_runs = page.into_iter().map(JobRunOut::from).collect();
    Ok(GetRunsOutput { job_runs, next_token })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchStopInput {
    job_name: String,
    job_run_ids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StopSubmission {
    job_name: String,
    job_run_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorDetail {
    error_code: &'static str,
    error_message: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StopError {
    job_name: String,
    job_run_id: String,
    error_detail: ErrorDetail,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchStopOutput {
    successful_submissions: Vec<StopSubmission>,
    errors: Vec<StopError>,
}

pub fn batch_stop_runs(ctx: &Ctx, i: BatchStopInput) -> Reply<BatchStopOutput> {
    let mut out = BatchStopOutput {
        successful_submissions: Vec::new(),
        errors: Vec::new(),
    };
    for id in i.job_run_ids {
        match ctx.region.stop_job_run(&i.job_name, &id) {
            Ok(()) => out.successful_submissions.push(StopSubmission {
                job_name: i.job_name.clone(),
                job_run_id: id,
            }),
            Err(e) => {
                let wire = WireError::from(e);
                out.errors.push(StopError {
                    job_name: i.job_name.clone(),
                    job_run_id: id,
                    error_detail: ErrorDetail {
                        error_code: wire.code,
                        error_message: wire.message,
                    },
                });
            }
        }
    }
    Ok(out)
}
