//! A policy document: its elements, checked and compiled when the IAM config loads.

use serde_json::{Map, Value};

use super::conditions::{parse_conditions, reject_variables, Condition};
use super::wildcard::Glob;

/// A parsed, compiled identity-based policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    pub(super) statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone)]
pub(super) struct Statement {
    pub(super) effect: Effect,
    /// `Action` (negate = false) or `NotAction` (negate = true).
    pub(super) actions: PatternSet,
    pub(super) resources: PatternSet,
    pub(super) conditions: Vec<Condition>,
}

#[derive(Debug, Clone)]
pub(super) struct PatternSet {
    pub(super) negate: bool,
    pub(super) patterns: Vec<Glob>,
}

impl Policy {
    /// Parses and compiles a policy document. The error names the statement
    /// and the problem (the caller adds the file and principal).
    pub fn from_value(value: &Value) -> Result<Policy, String> {
        let doc = value.as_object().ok_or("a policy document must be a JSON object")?;
        for key in doc.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(format!(
                    "unknown policy element \"{key}\" (expected Version, Id, Statement)"
                ));
            }
        }
        // Policy variables (`${...}`) exist from 2012-10-17; before, and without a Version, `${` is plain text.
        let variables = match doc.get("Version") {
            None => false,
            Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => v == "2012-10-17",
            Some(other) => {
                return Err(format!(
                    "unknown Version {other} (expected \"2012-10-17\" or \"2008-10-17\")"
                ))
            }
        };
        if let Some(id) = doc.get("Id") {
            if !id.is_string() {
                return Err("Id must be a string".to_string());
            }
        }
        let statements = match doc.get("Statement") {
            None => return Err("missing Statement".to_string()),
            Some(Value::Array(list)) if list.is_empty() => return Err("Statement must not be empty".to_string()),
            Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
            Some(v @ Value::Object(_)) => vec![v],
            Some(_) => return Err("Statement must be an object or a list of objects".to_string()),
        };
        let statements = statements
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                parse_statement(s, variables).map_err(|e| {
                    let sid = s.get("Sid").and_then(Value::as_str);
                    match sid {
                        Some(sid) => format!("Statement[{i}] (Sid \"{sid}\"): {e}"),
                        None => format!("Statement[{i}]: {e}"),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy { statements })
    }
}

fn parse_statement(value: &Value, variables: bool) -> Result<Statement, String> {
    let st = value.as_object().ok_or("a statement must be a JSON object")?;
    for key in st.keys() {
        match key.as_str() {
            "Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource"
            | "Condition" => {}
            "Principal" | "NotPrincipal" => {
                return Err(format!(
                    "{key} is not allowed in an identity-based policy"
                ))
            }
            _ => {
                return Err(format!(
                    "unknown statement element \"{key}\" (expected Sid, Effect, Action, NotAction, Resource, NotResource, Condition)"
                ))
            }
        }
    }
    if let Some(sid) = st.get("Sid") {
        if !sid.is_string() {
            return Err("Sid must be a string".to_string());
        }
    }
    let effect = match st.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => return Err(format!("unknown Effect {other} (expected \"Allow\" or \"Deny\")")),
        None => return Err("missing Effect".to_string()),
    };
    let actions = pattern_set(st, "Action", "NotAction", |s| {
        validate_action(s)?;
        Ok(Glob::new(s, true, true))
    })?;
    let resources = pattern_set(st, "Resource", "NotResource", |s| {
        validate_resource(s, variables)?;
        Ok(Glob::new(s, true, false))
    })?;
    let conditions = match st.get("Condition") {
        None => Vec::new(),
        Some(Value::Object(block)) => parse_conditions(block, variables)?,
        Some(_) => return Err("Condition must be an object".to_string()),
    };
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
    })
}

fn pattern_set(
    st: &Map<String, Value>,
    name: &str,
    not_name: &str,
    compile: impl Fn(&str) -> Result<Glob, String>,
) -> Result<PatternSet, String> {
    let (negate, value) = match (st.get(name), st.get(not_name)) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "has both {name} and {not_name} (a statement takes one of them)"
            ))
        }
        (None, None) => return Err(format!("missing {name} (or {not_name})")),
        (Some(v), None) => (false, v),
        (None, Some(v)) => (true, v),
    };
    let field = if negate { not_name } else { name };
    let strings = string_or_list(value, field)?;
    let patterns = strings
        .iter()
        .map(|s| compile(s).map_err(|e| format!("{field}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PatternSet { negate, patterns })
}

fn string_or_list<'v>(value: &'v Value, field: &str) -> Result<Vec<&'v str>, String> {
    let list = match value {
        Value::String(s) => return Ok(vec![s.as_str()]),
        Value::Array(list) if list.is_empty() => return Err(format!("{field} must not be an empty list")),
        Value::Array(list) => list,
        _ => return Err(format!("{field} must be a string or a list of strings")),
    };
    list.iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| format!("{field} must be a string or a list of strings"))
        })
        .collect()
}

fn validate_action(action: &str) -> Result<(), String> {
    if action == "*" {
        return Ok(());
    }
    let valid = match action.split_once(':') {
        Some((service, name)) => {
            !service.is_empty()
                && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid action \"{action}\" (expected \"*\" or \"service:Action\", e.g. \"glue:GetWorkflow\", \"glue:Get*\")"
        ))
    }
}

fn validate_resource(resource: &str, variables: bool) -> Result<(), String> {
    if resource == "*" {
        return Ok(());
    }
    if !resource.starts_with("arn:") || resource.split(':').count() < 6 {
        return Err(format!(
            "invalid resource \"{resource}\" (expected \"*\" or an ARN: arn:partition:service:region:account:resource)"
        ));
    }
    reject_variables(resource, variables)
}
