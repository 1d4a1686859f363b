//! CreateTrigger, GetTrigger, GetTriggers, UpdateTrigger, DeleteTrigger,
//! ListTriggers, BatchGetTriggers, StartTrigger, StopTrigger.

use super::pagination::PageRequest;
use super::shapes::{Action, EventBatchingCondition, Predicate, Trigger};
use super::{Ctx, NameInput, Reply};
use crate::engine::trigger::{self as engine, TriggerType};
use crate::engine::workflow::Tags;
use crate::engine::{TriggerSpec, TriggerUpdate};
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    name: String,
    workflow_name: Option<String>,
    #[serde(rename = "Type")]
    trigger_type: String,
    schedule: Option<String>,
    predicate: Option<Predicate<'static>>,
    actions: Vec<Action<'static>>,
    description: Option<String>,
    start_on_creation: Option<bool>,
    tags: Option<Tags>,
    event_batching_condition: Option<EventBatchingCondition>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameOutput {
    name: String,
}

fn predicate(p: Option<Predicate>) -> Reply<Option<engine::Predicate>> {
    p.map(Predicate::into_engine).transpose()
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<NameOutput> {
    let trigger_type = TriggerType::parse(&i.trigger_type)
        .ok_or_else(|| WireError::invalid_input(format!("Unknown trigger Type {:?}", i.trigger_type)))?;
    let spec = TriggerSpec {
        workflow_name: i.workflow_name,
        trigger_type,
        schedule: i.schedule,
        predicate: predicate(i.predicate)?,
        actions: i.actions.into_iter().map(Action::into_engine).collect(),
        description: i.description,
        start_on_creation: i.start_on_creation.unwrap_or(false),
        event_batching: i.event_batching_condition.map(EventBatchingCondition::into_engine),
    };
    ctx.region.create_trigger(&i.name, spec, i.tags.unwrap_or_default())?;
    Ok(NameOutput { name: i.name })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    #[serde(serialize_with = "Trigger::encode")]
    trigger: engine::Trigger,
}

pub fn get(ctx: &Ctx, i: NameInput) -> Reply<GetOutput> {
    Ok(GetOutput {
        trigger: ctx.region.get_trigger(&i.name)?,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PageInput {
    #[serde(flatten)]
    page: PageRequest,
    dependent_job_name: Option<String>,
    tags: Option<Tags>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    #[serde(serialize_with = "Trigger::encode_all")]
    triggers: Vec<engine::Trigger>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_all(ctx: &Ctx, i: PageInput) -> Reply<GetAllOutput> {
    let all = ctx.region.triggers(i.dependent_job_name.as_deref(), &Tags::new());
    let request = format!("GetTriggers/{:?}", i.dependent_job_name);
    let (page, next_token) = ctx.page(request, all, |t| t.name.as_str(), &i.page, 100)?;
    Ok(GetAllOutput {
        triggers: page,
        next_token,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    trigger_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn list(ctx: &Ctx, i: PageInput) -> Reply<ListOutput> {
    let tags = i.tags.unwrap_or_default();
    let names: Vec<String> = ctx
        .region
        .triggers(i.dependent_job_name.as_deref(), &tags)
        .into_iter()
        .map(|t| t.name)
        .collect();
    let request = format!("ListTriggers/{:?}/{tags:?}", i.dependent_job_name);
    let (trigger_names, next_token) = ctx.names_page(request, names, &i.page, 100)?;
    Ok(ListOutput {
        trigger_names,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TriggerUpdateShape {
    description: Option<String>,
    schedule: Option<String>,
    actions: Option<Vec<Action<'static>>>,
    predicate: Option<Predicate<'static>>,
    event_batching_condition: Option<EventBatchingCondition>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    name: String,
    trigger_update: TriggerUpdateShape,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<GetOutput> {
    let u = i.trigger_update;
    let update = TriggerUpdate {
        description: u.description,
        schedule: u.schedule,
        actions: u.actions.map(|a| a.into_iter().map(Action::into_engine).collect()),
        predicate: predicate(u.predicate)?,
        event_batching: u.event_batching_condition.map(EventBatchingCondition::into_engine),
    };
    let trigger = ctx.region.update_trigger(&i.name, update)?;
    Ok(GetOutput { trigger })
}

pub fn delete(ctx: &Ctx, i: NameInput) -> Reply<NameOutput> {
    ctx.region.delete_trigger(&i.name)?;
    Ok(NameOutput { name: i.name })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetInput {
    trigger_names: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetOutput {
    #[serde(serialize_with = "Trigger::encode_all")]
    triggers: Vec<engine::Trigger>,
    triggers_not_found: Vec<String>,
}

pub fn batch_get(ctx: &Ctx, i: BatchGetInput) -> Reply<BatchGetOutput> {
    let (triggers, triggers_not_found) = ctx.split_found(i.trigger_names, |n| ctx.region.get_trigger(n));
    Ok(BatchGetOutput {
        triggers,
        triggers_not_found,
    })
}

pub fn start(ctx: &Ctx, i: NameInput) -> Reply<NameOutput> {
    ctx.region.start_trigger(&i.name)?;
    Ok(NameOutput { name: i.name })
}

pub fn stop(ctx: &Ctx, i: NameInput) -> Reply<NameOutput> {
    ctx.region.stop_trigger(&i.name)?;
    Ok(NameOutput { name: i.name })
}
