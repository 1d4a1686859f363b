//! CreateWorkflow, GetWorkflow, UpdateWorkflow, DeleteWorkflow, ListWorkflows, BatchGetWorkflows.

use super::pagination::PageRequest;
use super::shapes::{epoch, GraphOut, WorkflowRunOut};
use super::{Ctx, Reply};
use crate::engine::clock::Timestamp;
use crate::engine::workflow::{Properties, Tags, WorkflowSpec};
use crate::engine::Region;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    name: String,
    description: Option<String>,
    default_run_properties: Option<Properties>,
    max_concurrent_runs: Option<i32>,
    tags: Option<Tags>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameOutput {
    name: String,
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<NameOutput> {
    let spec = WorkflowSpec {
        description: i.description,
        default_run_properties: i.default_run_properties,
        max_concurrent_runs: i.max_concurrent_runs,
    };
    ctx.region.create_workflow(&i.name, spec, i.tags.unwrap_or_default())?;
    Ok(NameOutput { name: i.name })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WorkflowOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    default_run_properties: Properties,
    #[serde(serialize_with = "epoch")]
    created_on: Timestamp,
    #[serde(serialize_with = "epoch")]
    last_modified_on: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_run: Option<WorkflowRunOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    graph: Option<GraphOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_concurrent_runs: Option<i32>,
}

fn workflow_out(region: &Region, name: &str, include_graph: bool) -> Reply<WorkflowOut> {
    let w = region.get_workflow(name)?;
    let last_run = region
        .last_run(name)
        .map(|cell| WorkflowRunOut::new(&cell.lock(), include_graph));
    Ok(WorkflowOut {
        name: w.name,
        description: w.description,
        default_run_properties: w.default_run_properties,
        created_on: w.created_on,
        last_modified_on: w.last_modified_on,
        last_run,
        graph: include_graph.then(|| GraphOut::new(&region.workflow_graph(name), None)),
        max_concurrent_runs: w.max_concurrent_runs,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    name: String,
    include_graph: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    workflow: WorkflowOut,
}

pub fn get(ctx: &Ctx, i: GetInput) -> Reply<GetOutput> {
    Ok(GetOutput {
        workflow: workflow_out(&ctx.region, &i.name, i.include_graph.unwrap_or(false))?,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    name: String,
    description: Option<String>,
    default_run_properties: Option<Properties>,
    max_concurrent_runs: Option<i32>,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<NameOutput> {
    let spec = WorkflowSpec {
        description: i.description,
        default_run_properties: i.default_run_properties,
        max_concurrent_runs: i.max_concurrent_runs,
    };
    ctx.region.update_workflow(&i.name, spec)?;
    Ok(NameOutput { name: i.name })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteInput {
    name: String,
}

pub fn delete(ctx: &Ctx, i: DeleteInput) -> Reply<NameOutput> {
    ctx.region.delete_workflow(&i.name)?;
    Ok(NameOutput { name: i.name })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    /// Sent when empty too, as AWS does (the model's minimum of one is the input's).
    workflows: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn list(ctx: &Ctx, i: PageRequest) -> Reply<ListOutput> {
    let (workflows, next_token) = ctx.names_page("ListWorkflows", ctx.region.workflow_names(), &i, 25)?;
    Ok(ListOutput { workflows, next_token })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetInput {
    names: Vec<String>,
    include_graph: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetOutput {
    /// Both sent when empty too, like the other BatchGet operations' found and not-found lists.
    workflows: Vec<WorkflowOut>,
    missing_workflows: Vec<String>,
}

pub fn batch_get(ctx: &Ctx, i: BatchGetInput) -> Reply<BatchGetOutput> {
    let graph = i.include_graph.unwrap_or(false);
    let (workflows, missing_workflows) = ctx.split_found(i.names, |n| workflow_out(&ctx.region, n, graph));
    Ok(BatchGetOutput {
        workflows,
        missing_workflows,
    })
}
