//! `Condition` blocks: the String operators (and their `IfExists` forms) on the supported keys.

use serde_json::{Map, Value};

use super::evaluate::Env;
use super::wildcard::Glob;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ConditionKey {
    RequestedRegion,
    ResourceTag(String),
    PrincipalArn,
    PrincipalAccount,
}

#[derive(Debug, Clone)]
pub(super) struct Condition {
    /// StringNotEquals / StringNotLike.
    negate: bool,
    /// The IfExists form: a missing key satisfies the condition.
    if_exists: bool,
    key: ConditionKey,
    /// Literal globs for the Equals operators, wildcard globs for Like.
    values: Vec<Glob>,
}

impl Condition {
    pub(super) fn holds(&self, env: &Env) -> bool {
        let tag;
        let value: Option<&str> = match &self.key {
            ConditionKey::RequestedRegion => Some(env.ctx.region),
            ConditionKey::PrincipalArn => Some(env.principal_arn),
            ConditionKey::PrincipalAccount => Some(env.principal_account),
            ConditionKey::ResourceTag(key) => {
                tag = env.ctx.resource_tags.and_then(|t| t.resource_tag(key));
                tag.as_deref()
            }
        };
        match value {
            // AWS: a missing key fails positive operators and satisfies
            // negated ones; IfExists makes it satisfy any operator.
            None => self.if_exists || self.negate,
            Some(v) => self.values.iter().any(|g| g.matches(v)) != self.negate,
        }
    }
}

pub(super) fn reject_variables(value: &str, variables: bool) -> Result<(), String> {
    if variables && value.contains("${") {
        Err(format!("policy variables such as in \"{value}\" are not supported"))
    } else {
        Ok(())
    }
}

const OPERATORS: &str = "StringEquals, StringNotEquals, StringLike, StringNotLike, each optionally with IfExists";
const KEYS: &str = "aws:RequestedRegion, aws:ResourceTag/<key>, aws:PrincipalArn, aws:PrincipalAccount";

pub(super) fn parse_conditions(block: &Map<String, Value>, variables: bool) -> Result<Vec<Condition>, String> {
    let mut out = Vec::new();
    for (operator, keys) in block {
        let (base, if_exists) = match operator.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (operator.as_str(), false),
        };
        let (negate, like) = match base {
            "StringEquals" => (false, false),
            "StringNotEquals" => (true, false),
            "StringLike" => (false, true),
            "StringNotLike" => (true, true),
            _ => {
                return Err(format!(
                    "unsupported condition operator \"{operator}\" (supported: {OPERATORS})"
                ))
            }
        };
        let keys = keys
            .as_object()
            .ok_or_else(|| format!("Condition {operator} must map condition keys to values"))?;
        if keys.is_empty() {
            return Err(format!("Condition {operator} names no condition key"));
        }
        for (key, values) in keys {
            let parsed_key = parse_condition_key(key).map_err(|e| format!("Condition {operator}: {e}"))?;
            let field = format!("Condition {operator} {key}");
            let values = condition_values(values, &field)?
                .into_iter()
                .map(|v| {
                    reject_variables(&v, variables).map_err(|e| format!("{field}: {e}"))?;
                    Ok(Glob::new(&v, like, false))
                })
                .collect::<Result<Vec<_>, String>>()?;
            out.push(Condition {
                negate,
                if_exists,
                key: parsed_key,
                values,
            });
        }
    }
    Ok(out)
}

fn parse_condition_key(key: &str) -> Result<ConditionKey, String> {
    // Condition key names are case-insensitive.
    let lower = key.to_ascii_lowercase();
    match lower.as_str() {
        "aws:requestedregion" => return Ok(ConditionKey::RequestedRegion),
        "aws:principalarn" => return Ok(ConditionKey::PrincipalArn),
        "aws:principalaccount" => return Ok(ConditionKey::PrincipalAccount),
        _ => {}
    }
    if lower.starts_with("aws:resourcetag/") {
        let tag = &key["aws:resourcetag/".len()..];
        if tag.is_empty() {
            return Err(format!("condition key \"{key}\" names no tag key"));
        }
        return Ok(ConditionKey::ResourceTag(tag.to_string()));
    }
    Err(format!("unsupported condition key \"{key}\" (supported: {KEYS})"))
}

fn condition_values(value: &Value, field: &str) -> Result<Vec<String>, String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let err = || format!("{field} must be a string or a list of strings");
    match value {
        Value::Array(list) if list.is_empty() => Err(format!("{field} must not be an empty list")),
        Value::Array(list) => list.iter().map(|v| scalar(v).ok_or_else(err)).collect(),
        v => scalar(v).map(|s| vec![s]).ok_or_else(err),
    }
}
