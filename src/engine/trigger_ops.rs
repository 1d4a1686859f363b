//! CreateTrigger, GetTrigger(s), UpdateTrigger, DeleteTrigger, ListTriggers, StartTrigger, StopTrigger.

use super::error::{Error, Result};
use super::graph;
use super::ids;
use super::job_ops::has_tags;
use super::persist::Change;
use super::quotas::{check_room, Quotas};
use super::region::{Definitions, Region};
use super::schedule::Schedule;
use super::trigger::{Action, Condition, Predicate, Trigger, TriggerState, TriggerType};
use super::workflow::Tags;
use super::workflow_ops::workflow_not_found;

pub(crate) fn trigger_not_found(name: &str) -> Error {
    Error::NotFound(format!("Trigger {name} not found"))
}

/// What CreateTrigger sets.
#[derive(Debug, Clone)]
pub struct TriggerSpec {
    pub workflow_name: Option<String>,
    pub trigger_type: TriggerType,
    pub schedule: Option<String>,
    pub predicate: Option<Predicate>,
    pub actions: Vec<Action>,
    pub description: Option<String>,
    pub start_on_creation: bool,
    pub event_batching: Option<(i32, Option<i32>)>,
}

#[cfg(test)]
impl TriggerSpec {
    /// For tests: a start trigger of `workflow` of this type that runs `job`.
    pub(crate) fn starting(workflow: &str, trigger_type: TriggerType, job: &str) -> TriggerSpec {
        TriggerSpec {
            workflow_name: Some(workflow.into()),
            trigger_type,
            schedule: None,
            predicate: None,
            actions: vec![Action {
                job_name: Some(job.into()),
                ..Action::default()
            }],
            description: None,
            start_on_creation: trigger_type != TriggerType::OnDemand,
            event_batching: None,
        }
    }
}

/// What UpdateTrigger may change; absent members keep their values.
#[derive(Debug, Clone, Default)]
pub struct TriggerUpdate {
    pub description: Option<String>,
    pub schedule: Option<String>,
    pub actions: Option<Vec<Action>>,
    pub predicate: Option<Predicate>,
    pub event_batching: Option<(i32, Option<i32>)>,
}

impl Definitions {
    /// A copy of the trigger, to read or to change and commit.
    pub(crate) fn trigger(&self, name: &str) -> Result<Trigger> {
        self.triggers.get(name).cloned().ok_or_else(|| trigger_not_found(name))
    }

    /// Checks a trigger against the rules of its type, the resources it names and the quotas.
    fn check_trigger(&self, t: &Trigger, quotas: &Quotas) -> Result<()> {
        let invalid = |m: String| Err(Error::InvalidInput(m));
        check_size(t, quotas)?;
        if let Some(w) = &t.workflow_name {
            if !self.workflows.contains_key(w) {
                return Err(workflow_not_found(w));
            }
            let others = self
                .triggers
                .values()
                .filter(|o| o.name != t.name && o.workflow_name.as_deref() == Some(w));
            let nodes = graph::node_count(others.chain([t]));
            if nodes > quotas.nodes_per_workflow {
                return Err(Error::ResourceNumberLimitExceeded(format!(
                    "Workflow {w} would have {nodes} jobs, crawlers and triggers; its quota is {} \
                     (glue-local: --quota nodes-per-workflow=N)",
                    quotas.nodes_per_workflow
                )));
            }
            if t.trigger_type.starts_workflow() {
                let other_start = self.triggers.values().find(|o| {
                    o.name != t.name && o.workflow_name.as_deref() == Some(w) && o.trigger_type.starts_workflow()
                });
                if let Some(o) = other_start {
                    return invalid(format!(
                        "Workflow {w} already has a starting trigger ({}); a workflow has exactly one",
                        o.name
                    ));
                }
            }
        }
        if t.actions.is_empty() {
            return invalid("A trigger needs at least one action".into());
        }
        for a in &t.actions {
            match (&a.job_name, &a.crawler_name) {
                (Some(j), None) if !self.jobs.contains_key(j) => {
                    return Err(Error::NotFound(format!(
                        "Job {j} named by trigger {} not found",
                        t.name
                    )))
                }
                (None, Some(c)) if !self.crawlers.contains_key(c) => {
                    return Err(Error::NotFound(format!(
                        "Crawler {c} named by trigger {} not found",
                        t.name
                    )))
                }
                (Some(_), None) | (None, Some(_)) => {}
                _ => return invalid("Each action must name exactly one of JobName and CrawlerName".into()),
            }
        }
        match t.trigger_type {
            TriggerType::Scheduled => match &t.schedule {
                None => return invalid("A SCHEDULED trigger needs a Schedule".into()),
                Some(s) => {
                    Schedule::parse(s).map_err(Error::InvalidInput)?;
                }
            },
            TriggerType::Conditional => {
                let Some(p) = t.predicate.as_ref().filter(|p| !p.conditions.is_empty()) else {
                    return invalid("A CONDITIONAL trigger needs a Predicate with at least one condition".into());
                };
                if p.conditions.len() > 1 && p.logical.is_none() {
                    return invalid("Logical operator cannot be null or empty".into());
                }
                for c in &p.conditions {
                    match c {
                        Condition::Job { name, .. } if !self.jobs.contains_key(name) => {
                            return Err(Error::NotFound(format!(
                                "Job {name} watched by trigger {} not found",
                                t.name
                            )))
                        }
                        Condition::Crawler { name, .. } if !self.crawlers.contains_key(name) => {
                            return Err(Error::NotFound(format!(
                                "Crawler {name} watched by trigger {} not found",
                                t.name
                            )))
                        }
                        _ => {}
                    }
                }
            }
            TriggerType::OnDemand | TriggerType::Event => {}
        }
        Ok(())
    }
}

/// Refuses a trigger with more actions or conditions than one trigger may have.
fn check_size(t: &Trigger, quotas: &Quotas) -> Result<()> {
    let conditions = t.predicate.as_ref().map_or(0, |p| p.conditions.len());
    for (what, count, limit, quota) in [
        (
            "actions",
            t.actions.len(),
            quotas.actions_per_trigger,
            "actions-per-trigger",
        ),
        (
            "conditions",
            conditions,
            quotas.conditions_per_trigger,
            "conditions-per-trigger",
        ),
    ] {
        if count > limit {
            return Err(Error::InvalidInput(format!(
                "Trigger {} has {count} {what}; a trigger may have at most {limit} (glue-local: --quota {quota}=N)",
                t.name
            )));
        }
    }
    Ok(())
}

impl Definitions {
    pub(crate) fn create_trigger(
        &self,
        name: &str,
        spec: TriggerSpec,
        tags: Tags,
        quotas: &Quotas,
        id: String,
    ) -> Result<Option<Change>> {
        if spec.trigger_type == TriggerType::OnDemand && spec.start_on_creation {
            return Err(Error::InvalidInput(
                "StartOnCreation is not supported for ON_DEMAND triggers".into(),
            ));
        }
        if self.triggers.contains_key(name) {
            return Err(Error::AlreadyExists(format!("Trigger with name {name} already exists")));
        }
        check_room("triggers", self.triggers.len(), quotas.triggers)?;
        let state = if spec.start_on_creation {
            TriggerState::Activated
        } else {
            TriggerState::Created
        };
        let trigger = Trigger {
            name: name.to_string(),
            id,
            workflow_name: spec.workflow_name,
            trigger_type: spec.trigger_type,
            state,
            description: spec.description,
            schedule: spec.schedule,
            actions: spec.actions,
            predicate: spec.predicate,
            event_batching: spec.event_batching,
            tags,
        };
        self.check_trigger(&trigger, quotas)?;
        Ok(Some(Change::PutTrigger { trigger }))
    }

    /// The trigger with the members given changed; absent ones keep their values.
    pub(crate) fn updated_trigger(&self, name: &str, update: TriggerUpdate, quotas: &Quotas) -> Result<Trigger> {
        let mut t = self.trigger(name)?;
        if let Some(d) = update.description {
            t.description = Some(d);
        }
        if let Some(s) = update.schedule {
            t.schedule = Some(s);
        }
        if let Some(a) = update.actions {
            t.actions = a;
        }
        if let Some(p) = update.predicate {
            t.predicate = Some(p);
        }
        if let Some(b) = update.event_batching {
            t.event_batching = Some(b);
        }
        self.check_trigger(&t, quotas).map_err(|e| match e {
            // AWS's model gives UpdateTrigger no ResourceNumberLimitExceededException.
            Error::ResourceNumberLimitExceeded(m) => Error::InvalidInput(m),
            e => e,
        })?;
        Ok(t)
    }

    /// Deleting a trigger that does not exist changes nothing, as in AWS.
    pub(crate) fn delete_trigger(&self, name: &str) -> Option<Change> {
        let name = name.to_string();
        self.triggers
            .contains_key(&name)
            .then_some(Change::DeleteTrigger { name })
    }

    /// StopTrigger: an activated trigger stops firing.
    pub(crate) fn stop_trigger(&self, name: &str) -> Result<Option<Change>> {
        let mut t = self.trigger(name)?;
        if t.trigger_type == TriggerType::OnDemand {
            return Err(Error::InvalidInput(format!(
                "Trigger {name} is ON_DEMAND: it is never activated, so it cannot be stopped"
            )));
        }
        if t.state == TriggerState::Deactivated {
            return Ok(None);
        }
        t.state = TriggerState::Deactivated;
        Ok(Some(Change::PutTrigger { trigger: t }))
    }
}

impl Region {
    pub fn create_trigger(&self, name: &str, spec: TriggerSpec, tags: Tags) -> Result<()> {
        self.change(|d| d.create_trigger(name, spec, tags, &self.settings.quotas, ids::trigger_id()))
    }

    pub fn get_trigger(&self, name: &str) -> Result<Trigger> {
        self.read().trigger(name)
    }

    pub fn update_trigger(&self, name: &str, update: TriggerUpdate) -> Result<Trigger> {
        let mut defs = self.write();
        let trigger = defs.updated_trigger(name, update, &self.settings.quotas)?;
        defs.commit(Change::PutTrigger {
            trigger: trigger.clone(),
        })?;
        Ok(trigger)
    }

    pub fn delete_trigger(&self, name: &str) -> Result<()> {
        self.change(|d| Ok(d.delete_trigger(name)))
    }

    /// Triggers in name order with the tags. With `dependent_job`, those that can start
    /// it — or all of them when none can, as AWS documents for DependentJobName.
    pub fn triggers(&self, dependent_job: Option<&str>, tag_filter: &Tags) -> Vec<Trigger> {
        let defs = self.read();
        let tagged = || defs.triggers.values().filter(|t| has_tags(&t.tags, tag_filter));
        let starts =
            |t: &&Trigger| dependent_job.is_none_or(|j| t.actions.iter().any(|a| a.job_name.as_deref() == Some(j)));
        let dependent: Vec<Trigger> = tagged().filter(starts).cloned().collect();
        if dependent.is_empty() && dependent_job.is_some() {
            return tagged().cloned().collect();
        }
        dependent
    }

    pub fn stop_trigger(&self, name: &str) -> Result<()> {
        self.change(|d| d.stop_trigger(name))
    }

    /// Marks a scheduled, conditional or event trigger ACTIVATED; returns the trigger.
    pub(crate) fn activate_trigger(&self, name: &str) -> Result<Trigger> {
        let mut defs = self.write();
        let mut t = defs.trigger(name)?;
        if t.trigger_type != TriggerType::OnDemand && t.state != TriggerState::Activated {
            t.state = TriggerState::Activated;
            defs.commit(Change::PutTrigger { trigger: t.clone() })?;
        }
        Ok(t)
    }
}
