//! PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, PutTargets,
//! RemoveTargets, ListTargetsByRule.

use super::super::{Ctx, Empty, Reply};
use super::{check_bus, error};
use crate::engine::events::pattern;
use crate::engine::events::rules::{Rule, RuleSpec, RuleTarget};
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};

fn rule_arn(ctx: &Ctx, name: &str) -> String {
    format!("arn:aws:events:{}:{}:rule/{name}", ctx.region.name, ctx.region.account)
}

fn bus(ctx: &Ctx, name: Option<&str>) -> Result<(), WireError> {
    check_bus(name, &ctx.region.account, &ctx.region.name)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutInput {
    name: String,
    schedule_expression: Option<String>,
    event_pattern: Option<String>,
    state: Option<String>,
    description: Option<String>,
    event_bus_name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutOutput {
    rule_arn: String,
}

pub fn put(ctx: &Ctx, i: PutInput) -> Reply<PutOutput> {
    bus(ctx, i.event_bus_name.as_deref())?;
    let event_pattern = match (i.event_pattern, i.schedule_expression) {
        (_, Some(_)) => {
            return Err(WireError::new(
                "ValidationException",
                "glue-local's EventBridge matches event patterns only: ScheduleExpression is not supported",
            ))
        }
        (Some(p), None) => p,
        (None, None) => {
            return Err(WireError::new(
                "ValidationException",
                "Parameter(s) EventPattern or ScheduleExpression must be specified.",
            ))
        }
    };
    let invalid_pattern = |m: String| WireError::new("InvalidEventPatternException", m);
    let parsed: serde_json::Value = serde_json::from_str(&event_pattern)
        .map_err(|e| invalid_pattern(format!("Event pattern is not valid. Reason: {e}")))?;
    pattern::validate(&parsed).map_err(invalid_pattern)?;
    let spec = RuleSpec {
        event_pattern,
        enabled: i.state.as_deref() != Some("DISABLED"),
        description: i.description,
    };
    ctx.region.put_rule(&i.name, spec).map_err(error)?;
    Ok(PutOutput {
        rule_arn: rule_arn(ctx, &i.name),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameInput {
    name: String,
    event_bus_name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleOut {
    name: String,
    arn: String,
    event_pattern: String,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    event_bus_name: &'static str,
}

impl RuleOut {
    fn new(ctx: &Ctx, r: Rule) -> RuleOut {
        RuleOut {
            arn: rule_arn(ctx, &r.name),
            name: r.name,
            event_pattern: r.event_pattern,
            state: if r.enabled { "ENABLED" } else { "DISABLED" },
            description: r.description,
            event_bus_name: "default",
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeOutput {
    #[serde(flatten)]
    rule: RuleOut,
    created_by: String,
}

pub fn describe(ctx: &Ctx, i: NameInput) -> Reply<DescribeOutput> {
    bus(ctx, i.event_bus_name.as_deref())?;
    let rule = RuleOut::new(ctx, ctx.region.rule(&i.name).map_err(error)?);
    Ok(DescribeOutput {
        rule,
        created_by: ctx.region.account.clone(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    name_prefix: Option<String>,
    event_bus_name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    rules: Vec<RuleOut>,
}

/// Every rule in one page (at most 300 exist).
pub fn list(ctx: &Ctx, i: ListInput) -> Reply<ListOutput> {
    bus(ctx, i.event_bus_name.as_deref())?;
    let rules = ctx.region.rules(i.name_prefix.as_deref().unwrap_or(""));
    Ok(ListOutput {
        rules: rules.into_iter().map(|r| RuleOut::new(ctx, r)).collect(),
    })
}

pub fn delete(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    bus(ctx, i.event_bus_name.as_deref())?;
    ctx.region.delete_rule(&i.name).map_err(error)?;
    Ok(Empty {})
}

pub fn enable(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    set_enabled(ctx, i, true)
}

pub fn disable(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    set_enabled(ctx, i, false)
}

fn set_enabled(ctx: &Ctx, i: NameInput, enabled: bool) -> Reply<Empty> {
    bus(ctx, i.event_bus_name.as_deref())?;
    ctx.region.set_rule_enabled(&i.name, enabled).map_err(error)?;
    Ok(Empty {})
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetWire {
    id: String,
    arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutTargetsInput {
    rule: String,
    event_bus_name: Option<String>,
    targets: Vec<TargetWire>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailedEntriesOutput {
    failed_entry_count: i32,
    failed_entries: Vec<Empty>,
}

const NO_FAILURES: FailedEntriesOutput = FailedEntriesOutput {
    failed_entry_count: 0,
    failed_entries: Vec::new(),
};

pub fn put_targets(ctx: &Ctx, i: PutTargetsInput) -> Reply<FailedEntriesOutput> {
    bus(ctx, i.event_bus_name.as_deref())?;
    let targets = i.targets.into_iter();
    let targets = targets.map(|TargetWire { id, arn, role_arn }| RuleTarget { id, arn, role_arn });
    let targets = targets.collect();
    ctx.region.put_targets(&i.rule, targets).map_err(error)?;
    Ok(NO_FAILURES)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveTargetsInput {
    rule: String,
    event_bus_name: Option<String>,
    ids: Vec<String>,
}

pub fn remove_targets(ctx: &Ctx, i: RemoveTargetsInput) -> Reply<FailedEntriesOutput> {
    bus(ctx, i.event_bus_name.as_deref())?;
    ctx.region.remove_targets(&i.rule, &i.ids).map_err(error)?;
    Ok(NO_FAILURES)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTargetsInput {
    rule: String,
    event_bus_name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTargetsOutput {
    targets: Vec<TargetWire>,
}

/// Every target in one page (a rule has at most 5).
pub fn list_targets(ctx: &Ctx, i: ListTargetsInput) -> Reply<ListTargetsOutput> {
    bus(ctx, i.event_bus_name.as_deref())?;
    let rule = ctx.region.rule(&i.rule).map_err(error)?;
    let targets = rule.targets.into_iter();
    let targets = targets.map(|RuleTarget { id, arn, role_arn }| TargetWire { id, arn, role_arn });
    Ok(ListTargetsOutput {
        targets: targets.collect(),
    })
}
