//! Workflow runs: StartWorkflowRun, StopWorkflowRun, GetWorkflowRun(s),
//! ResumeWorkflowRun, Get/PutWorkflowRunProperties.

use super::pagination;
use super::shapes::WorkflowRunOut;
use super::{Ctx, Empty, Reply};
use crate::engine::workflow::Properties;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartInput {
    name: String,
    run_properties: Option<Properties>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunIdOutput {
    run_id: String,
}

pub fn start(ctx: &Ctx, i: StartInput) -> Reply<RunIdOutput> {
    Ok(RunIdOutput {
        run_id: ctx.region.start_workflow_run(&i.name, i.run_properties)?,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunInput {
    name: String,
    run_id: String,
}

pub fn stop(ctx: &Ctx, i: RunInput) -> Reply<Empty> {
    ctx.region.stop_workflow_run(&i.name, &i.run_id)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    name: String,
    run_id: String,
    include_graph: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    run: WorkflowRunOut,
}

pub fn get(ctx: &Ctx, i: GetInput) -> Reply<GetOutput> {
    let cell = ctx.region.workflow_run(&i.name, &i.run_id)?;
    let run = WorkflowRunOut::new(&cell.lock(), i.include_graph.unwrap_or(false));
    Ok(GetOutput { run })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    name: String,
    include_graph: Option<bool>,
    next_token: Option<String>,
    max_results: Option<i32>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    /// Sent when empty too, as AWS does (the model's minimum of one is the input's).
    runs: Vec<WorkflowRunOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn list(ctx: &Ctx, i: ListInput) -> Reply<ListOutput> {
    let scope = ctx.scope(format!("GetWorkflowRuns/{}", i.name));
    let remaining = i
        .next_token
        .as_deref()
        .map(|t| pagination::position(&scope, Some(t)))
        .transpose()?;
    let max = i.max_results.map_or(100, |m| m.max(1) as usize);
    let (cells, next) = ctx.region.workflow_runs_page(&i.name, remaining, max)?;
    let include_graph = i.include_graph.unwrap_or(false);
    let runs = cells
        .iter()
        .map(|c| WorkflowRunOut::new(&c.lock(), include_graph))
        .collect();
    Ok(ListOutput {
        runs,
        next_token: next.map(|n| pagination::encode(&scope, &n.to_string())),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResumeInput {
    name: String,
    run_id: String,
    node_ids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResumeOutput {
    run_id: String,
    node_ids: Vec<String>,
}

pub fn resume(ctx: &Ctx, i: ResumeInput) -> Reply<ResumeOutput> {
    let (run_id, node_ids) = ctx.region.resume_workflow_run(&i.name, &i.run_id, &i.node_ids)?;
    Ok(ResumeOutput { run_id, node_ids })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PropertiesOutput {
    run_properties: Properties,
}

pub fn get_properties(ctx: &Ctx, i: RunInput) -> Reply<PropertiesOutput> {
    Ok(PropertiesOutput {
        run_properties: ctx.region.run_properties(&i.name, &i.run_id)?,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutPropertiesInput {
    name: String,
    run_id: String,
    run_properties: Properties,
}

pub fn put_properties(ctx: &Ctx, i: PutPropertiesInput) -> Reply<Empty> {
    ctx.region.put_run_properties(&i.name, &i.run_id, i.run_properties)?;
    Ok(Empty {})
}
