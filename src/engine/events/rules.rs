//! EventBridge rules on the default event bus of an (account, region): an event pattern,
//! a state and targets. Glue workflows (`arn:aws:glue:<region>:<account>:workflow/<name>`)
//! are the targets events are delivered to; other targets are kept and never invoked.
//! Rules are definitions: changed through commits, journaled with `--state-dir`.

use super::pattern;
use crate::engine::error::{Error, Result};
use crate::engine::persist::Change;
use crate::engine::region::Region;
use serde_json::Value;

/// Rules one (account, region) may have (AWS's default quota, per event bus).
pub const MAX_RULES: usize = 300;
/// Targets one rule may have (AWS's quota).
pub const MAX_TARGETS: usize = 5;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub name: String,
    /// The pattern as the client sent it (DescribeRule returns it unchanged).
    pub event_pattern: String,
    pub enabled: bool,
    pub description: Option<String>,
    pub targets: Vec<RuleTarget>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleTarget {
    pub id: String,
    pub arn: String,
    pub role_arn: Option<String>,
}

/// What PutRule sets.
pub struct RuleSpec {
    pub event_pattern: String,
    pub enabled: bool,
    pub description: Option<String>,
}

fn rule_not_found(name: &str) -> Error {
    Error::NotFound(format!("Rule {name} does not exist on EventBus default."))
}

impl Region {
    /// PutRule: creates the rule or replaces its pattern, state and description (its targets stay).
    pub fn put_rule(&self, name: &str, spec: RuleSpec) -> Result<()> {
        let parsed: Value = serde_json::from_str(&spec.event_pattern)
            .map_err(|e| Error::InvalidInput(format!("Event pattern is not valid. Reason: {e}")))?;
        pattern::validate(&parsed).map_err(Error::InvalidInput)?;
        let mut defs = self.write();
        let targets = match defs.rules.get(name) {
            Some(r) => r.targets.clone(),
            None if defs.rules.len() >= MAX_RULES => {
                return Err(Error::ResourceNumberLimitExceeded(format!(
                    "The requested resource exceeds the maximum number allowed: {MAX_RULES} rules per event bus"
                )))
            }
            None => Vec::new(),
        };
        let rule = Rule {
            name: name.to_string(),
            event_pattern: spec.event_pattern,
            enabled: spec.enabled,
            description: spec.description,
            targets,
        };
        defs.commit(Change::PutRule { rule })
    }

    pub fn rule(&self, name: &str) -> Result<Rule> {
        self.read().rules.get(name).cloned().ok_or_else(|| rule_not_found(name))
    }

    /// Rules in name order whose name starts with `prefix`.
    pub fn rules(&self, prefix: &str) -> Vec<Rule> {
        self.read()
            .rules
            .values()
            .filter(|r| r.name.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// DeleteRule: a rule with targets is refused; a missing one is no error.
    pub fn delete_rule(&self, name: &str) -> Result<()> {
        let mut defs = self.write();
        match defs.rules.get(name) {
            None => Ok(()),
            Some(r) if !r.targets.is_empty() => Err(Error::InvalidInput(
                "Rule can't be deleted since it has targets.".into(),
            )),
            Some(_) => defs.commit(Change::DeleteRule { name: name.to_string() }),
        }
    }

    /// EnableRule / DisableRule.
    pub fn set_rule_enabled(&self, name: &str, enabled: bool) -> Result<()> {
        self.change_rule(name, |r| {
            r.enabled = enabled;
            Ok(())
        })
    }

    /// PutTargets: adds the targets, replacing those with the same ids.
    pub fn put_targets(&self, rule: &str, targets: Vec<RuleTarget>) -> Result<()> {
        self.change_rule(rule, |r| {
            for t in targets {
                r.targets.retain(|o| o.id != t.id);
                r.targets.push(t);
            }
            if r.targets.len() > MAX_TARGETS {
                return Err(Error::ResourceNumberLimitExceeded(format!(
                    "The requested resource exceeds the maximum number allowed: {MAX_TARGETS} targets per rule"
                )));
            }
            Ok(())
        })
    }

    /// RemoveTargets: ids the rule lacks are ignored.
    pub fn remove_targets(&self, rule: &str, ids: &[String]) -> Result<()> {
        self.change_rule(rule, |r| {
            r.targets.retain(|t| !ids.contains(&t.id));
            Ok(())
        })
    }

    fn change_rule(&self, name: &str, change: impl FnOnce(&mut Rule) -> Result<()>) -> Result<()> {
        let mut defs = self.write();
        let mut rule = defs.rules.get(name).cloned().ok_or_else(|| rule_not_found(name))?;
        change(&mut rule)?;
        defs.commit(Change::PutRule { rule })
    }

    /// The targets of the enabled rules whose pattern matches the event, rule by rule.
    pub fn matching_targets(&self, event: &Value) -> Vec<RuleTarget> {
        let defs = self.read();
        defs.rules
            .values()
            .filter(|r| r.enabled)
            .filter(|r| serde_json::from_str(&r.event_pattern).is_ok_and(|p| pattern::matches(&p, event)))
            .flat_map(|r| r.targets.iter().cloned())
            .collect()
    }
}
