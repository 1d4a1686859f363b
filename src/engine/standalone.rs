//! Triggers outside workflows: StartTrigger, schedules' firing, and conditional
//! triggers that watch job runs and crawls started by a trigger.

use super::actions::{JobRunRequest, Origin};
use super::error::Result;
use super::graph::NodeKind;
use super::job::JobRunState;
use super::region::Region;
use super::run::SharedCrawl;
use super::trigger::{Condition, CrawlState, Logical, Trigger, TriggerState, TriggerType};
use std::sync::Arc;

impl Region {
    /// StartTrigger: an ON_DEMAND trigger fires now; other types become ACTIVATED.
    pub fn start_trigger(self: &Arc<Self>, name: &str) -> Result<()> {
        let trigger = self.activate_trigger(name)?;
        if trigger.trigger_type == TriggerType::OnDemand {
            self.fire_trigger(&trigger.name)?;
        }
        Ok(())
    }

    /// Fires a start trigger: a new run of its workflow, or its actions on their own.
    pub(crate) fn fire_trigger(self: &Arc<Self>, name: &str) -> Result<()> {
        let trigger = self.get_trigger(name)?;
        if let Some(workflow) = &trigger.workflow_name {
            return self.start_workflow_run(workflow, None).map(|_| ());
        }
        for action in &trigger.actions {
            let origin = Origin::Trigger;
            if let Some(job) = &action.job_name {
                let request = JobRunRequest {
                    arguments: action.arguments.clone(),
                    timeout: action.timeout,
                    ..JobRunRequest::default()
                };
                self.launch_job(job, request, Some(trigger.name.clone()), 0, origin)?;
            } else if let Some(crawler) = &action.crawler_name {
                self.launch_crawl(crawler, Some(trigger.name.clone()), origin)?;
            }
        }
        Ok(())
    }

    /// A job run or crawl started by a trigger ended: fire the activated conditional
    /// triggers outside workflows that watch it and whose predicate now holds (see
    /// [`standalone_firing`]). Evaluation is serialised so that two runs ending together
    /// fire an AND trigger once, not twice.
    pub(crate) fn fire_standalone_watchers(self: &Arc<Self>, kind: NodeKind, name: &str, finished: &str) {
        let candidates: Vec<Trigger> = self
            .read()
            .triggers
            .values()
            .filter(|t| {
                t.workflow_name.is_none()
                    && t.trigger_type == TriggerType::Conditional
                    && t.state == TriggerState::Activated
            })
            .filter(|t| {
                t.predicate.as_ref().is_some_and(|p| {
                    p.conditions.iter().any(|c| {
                        if kind == NodeKind::Job {
                            c.is_job(name)
                        } else {
                            c.is_crawler(name)
                        }
                    })
                })
            })
            .cloned()
            .collect();
        let mut fired = self.standalone_fired.lock().unwrap();
        for trigger in candidates {
            let Some(predicate) = &trigger.predicate else { continue };
            let latest: Vec<Option<(String, bool)>> = predicate
                .conditions
                .iter()
                .map(|c| match c {
                    Condition::Job { name, state } => {
                        self.last_triggered_job_run(name).map(|(id, s)| (id, s == Some(*state)))
                    }
                    Condition::Crawler { name, state } => {
                        self.last_triggered_crawl(name).map(|(id, s)| (id, s == Some(*state)))
                    }
                })
                .collect();
            let logical = predicate.logical.unwrap_or(Logical::And);
            let last = fired.get(&trigger.name).map(Vec::as_slice);
            if let Some(runs) = standalone_firing(logical, &latest, finished, last) {
                fired.insert(trigger.name.clone(), runs);
                let _ = self.fire_trigger(&trigger.name);
            }
        }
    }

    /// The id and final state (None while it runs) of the job's latest run that a trigger
    /// outside workflows started.
    fn last_triggered_job_run(&self, job: &str) -> Option<(String, Option<JobRunState>)> {
        let runs = self.job_runs.get(job)?;
        runs.iter().rev().find_map(|r| {
            let r = r.lock().unwrap();
            (r.trigger_name.is_some() && r.workflow_run.is_none())
                .then(|| (r.id.clone(), r.state.is_finished().then_some(r.state)))
        })
    }

    fn last_triggered_crawl(&self, crawler: &str) -> Option<(String, Option<CrawlState>)> {
        let crawls: Vec<SharedCrawl> = self.read().crawlers.get(crawler)?.crawls.clone();
        crawls.iter().rev().find_map(|c| {
            let c = c.lock().unwrap();
            c.trigger_name
                .is_some()
                .then(|| (c.id.clone(), c.state.is_finished().then_some(c.state)))
        })
    }
}

/// Whether a conditional trigger outside workflows fires now that run `finished` ended,
/// and if so the runs that make it fire. `latest` holds, per condition, the latest
/// triggered run of its job or crawler and whether that run ended in the condition's
/// state; `last` is what made the trigger fire the previous time.
///
/// The run that just ended must meet a condition. AND needs every condition met and
/// fires once per combination of runs; ANY fires once per run that meets a condition.
pub(crate) fn standalone_firing(
    logical: Logical,
    latest: &[Option<(String, bool)>],
    finished: &str,
    last: Option<&[String]>,
) -> Option<Vec<String>> {
    let meets = |l: &Option<(String, bool)>| l.as_ref().is_some_and(|(_, held)| *held);
    let finished_meets = latest
        .iter()
        .any(|l| meets(l) && l.as_ref().is_some_and(|(id, _)| id == finished));
    if !finished_meets {
        return None;
    }
    let runs: Vec<String> = match logical {
        Logical::And if latest.iter().all(meets) => latest.iter().flatten().map(|(id, _)| id.clone()).collect(),
        Logical::And => return None,
        Logical::Any => vec![finished.to_string()],
    };
    (last != Some(runs.as_slice())).then_some(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, held: bool) -> Option<(String, bool)> {
        Some((id.to_string(), held))
    }

    #[test]
    fn and_fires_once_per_combination() {
        let both = [run("a1", true), run("b1", true)];
        let fired = standalone_firing(Logical::And, &both, "b1", None).unwrap();
        assert_eq!(fired, ["a1", "b1"]);
        // The other run of the pair ending at the same moment sees the same combination.
        assert_eq!(standalone_firing(Logical::And, &both, "a1", Some(&fired)), None);
        // A new run of A with the old B is a new combination.
        let next = [run("a2", true), run("b1", true)];
        assert_eq!(
            standalone_firing(Logical::And, &next, "a2", Some(&fired)).unwrap(),
            ["a2", "b1"]
        );
    }

    #[test]
    fn and_waits_for_every_condition() {
        assert_eq!(
            standalone_firing(Logical::And, &[run("a1", true), None], "a1", None),
            None
        );
        assert_eq!(
            standalone_firing(Logical::And, &[run("a1", true), run("b1", false)], "a1", None),
            None
        );
    }

    #[test]
    fn any_fires_per_run_that_meets_a_condition() {
        let latest = [run("a1", true), run("b1", false)];
        assert_eq!(standalone_firing(Logical::Any, &latest, "a1", None).unwrap(), ["a1"]);
        assert_eq!(standalone_firing(Logical::Any, &latest, "b1", None), None);
        assert_eq!(
            standalone_firing(Logical::Any, &latest, "a1", Some(&["a1".to_string()])),
            None
        );
    }

    #[test]
    fn the_finished_run_must_be_the_one_that_meets_the_condition() {
        // A newer run of the job started meanwhile: the finished one is no longer the latest.
        let latest = [run("a2", true)];
        assert_eq!(standalone_firing(Logical::And, &latest, "a1", None), None);
    }
}
