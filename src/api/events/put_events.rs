//! PutEvents: each entry becomes an event on the default bus, routed through the rules to
//! the Glue workflows they target (each delivery authorized as `glue:notifyEvent` for the
//! target's role). An entry that is not a valid event fails alone, as in AWS.

use super::super::{Ctx, Reply};
use super::check_bus;
use crate::engine::events::deliver::Event;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Entry {
    source: Option<String>,
    detail_type: Option<String>,
    detail: Option<String>,
    #[serde(default)]
    resources: Vec<String>,
    event_bus_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutInput {
    entries: Vec<Entry>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EntryResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutOutput {
    failed_entry_count: i32,
    entries: Vec<EntryResult>,
}

pub fn put(ctx: &Ctx, i: PutInput) -> Reply<PutOutput> {
    let entries: Vec<EntryResult> = i.entries.into_iter().map(|e| put_one(ctx, e)).collect();
    Ok(PutOutput {
        failed_entry_count: entries.iter().filter(|e| e.error_code.is_some()).count() as i32,
        entries,
    })
}

fn put_one(ctx: &Ctx, e: Entry) -> EntryResult {
    let failed = |code, message: String| EntryResult {
        error_code: Some(code),
        error_message: Some(message),
        ..EntryResult::default()
    };
    if let Err(e) = check_bus(e.event_bus_name.as_deref(), &ctx.region.account, &ctx.region.name) {
        return failed("NotAuthorizedForSourceException", e.message);
    }
    let (Some(source), Some(detail_type), Some(detail)) = (e.source, e.detail_type, e.detail) else {
        return failed(
            "InvalidArgument",
            "Parameters Source, DetailType and Detail are required.".into(),
        );
    };
    let detail = match serde_json::from_str::<serde_json::Value>(&detail) {
        Ok(d) if d.is_object() => d,
        _ => return failed("MalformedDetail", "Detail is malformed.".into()),
    };
    let event = Event::new(&source, &detail_type, detail, e.resources);
    let may = |role: Option<&str>, arn: &str| ctx.notify.as_ref().map_or(Ok(()), |may| may(role, arn));
    for outcome in ctx.region.deliver_event(&event, &may) {
        match outcome.result {
            Ok(delivery) => info!(event_id = %event.id, target = %outcome.target_arn, ?delivery, "event delivered"),
            Err(why) => warn!(event_id = %event.id, target = %outcome.target_arn, "event not delivered: {why}"),
        }
    }
    EntryResult {
        event_id: Some(event.id),
        ..EntryResult::default()
    }
}
