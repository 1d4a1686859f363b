//! Triggers outside workflows: StartTrigger, schedules' firing, and conditional
//! triggers that watch job runs and crawls started by a trigger.

use super::actions::{JobRunRequest, Origin};
use super::error::Result;
use super::graph::NodeKind;
use super::job::JobRunState;
use super::region::{Definitions, Region};
use super::run::SharedCrawl;
use super::trigger::{Condition, CrawlState, Logical, Trigger, TriggerState, TriggerType};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The activated conditional triggers outside workflows by the job or crawler they
/// watch, as of one generation of the definitions (see [`Region::shared_graph`]).
#[derive(Default)]
pub(crate) struct WatchIndex {
    generation: u64,
    by_node: HashMap<(NodeKind, String), Vec<Arc<Trigger>>>,
}

/// What evaluating one conditional trigger outside workflows keeps between evaluations.
#[derive(Default)]
pub(crate) struct Firing {
    /// The runs that made it fire the last time.
    last: Option<Vec<String>>,
    /// AND: how many of its conditions (in order) were met when last looked at.
    known: usize,
}

impl WatchIndex {
    fn new(defs: &Definitions, generation: u64) -> WatchIndex {
        let mut by_node: HashMap<(NodeKind, String), Vec<Arc<Trigger>>> = HashMap::new();
        let watching = defs.triggers.values().filter(|t| {
            t.workflow_name.is_none()
                && t.trigger_type == TriggerType::Conditional
                && t.state == TriggerState::Activated
        });
        for t in watching {
            let t = Arc::new(t.clone());
            let mut watched: Vec<(NodeKind, &str)> = t
                .predicate
                .iter()
                .flat_map(|p| &p.conditions)
                .map(|c| match c {
                    Condition::Job { name, .. } => (NodeKind::Job, name.as_str()),
                    Condition::Crawler { name, .. } => (NodeKind::Crawler, name.as_str()),
                })
                .collect();
            watched.sort_unstable();
            watched.dedup();
            for (kind, name) in watched {
                by_node.entry((kind, name.to_string())).or_default().push(t.clone());
            }
        }
        WatchIndex { generation, by_node }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The triggers watching a job or crawler, in name order.
    pub(crate) fn watching(&self, kind: NodeKind, name: &str) -> &[Arc<Trigger>] {
        self.by_node.get(&(kind, name.to_string())).map_or(&[], Vec::as_slice)
    }
}

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

    /// The standalone triggers' [`WatchIndex`] for the definitions as they are now.
    fn current_watch_index(&self) -> Arc<WatchIndex> {
        let defs = self.read();
        let generation = self.definitions_generation.load(Ordering::Acquire);
        self.triggers
            .watch_index(generation, || WatchIndex::new(&defs, generation))
    }

    /// A job run or crawl started by a trigger ended: fire the activated conditional
    /// triggers outside workflows that watch it and whose predicate now holds (see
    /// [`standalone_firing`]); only those, found in the [`WatchIndex`]. An AND trigger
    /// skips the conditions it already knows are met ([`Firing::known`]) and looks at them
    /// all again only once the others are. Evaluation is serialised so that two runs
    /// ending together fire an AND trigger once, not twice.
    pub(crate) fn fire_standalone_watchers(self: &Arc<Self>, kind: NodeKind, name: &str, finished: &str) {
        let index = self.current_watch_index();
        let mut firings = self.triggers.firings();
        let latest = |c: &Condition| match c {
            Condition::Job { name, state } => self.last_triggered_job_run(name).map(|(id, s)| (id, s == Some(*state))),
            Condition::Crawler { name, state } => {
                self.last_triggered_crawl(name).map(|(id, s)| (id, s == Some(*state)))
            }
        };
        let met = |l: &Option<(String, bool)>| l.as_ref().is_some_and(|(_, held)| *held);
        for trigger in index.watching(kind, name) {
            let Some(predicate) = &trigger.predicate else { continue };
            let conditions = &predicate.conditions;
            let logical = predicate.logical.unwrap_or(Logical::And);
            if !firings.contains_key(&trigger.name) {
                firings.insert(trigger.name.clone(), Firing::default());
            }
            let Some(firing) = firings.get_mut(&trigger.name) else {
                continue;
            };
            if logical == Logical::And {
                firing.known = firing.known.min(conditions.len());
                while firing.known < conditions.len() && met(&latest(&conditions[firing.known])) {
                    firing.known += 1;
                }
                if firing.known < conditions.len() {
                    continue;
                }
            }
            let latest_runs: Vec<Option<(String, bool)>> = conditions.iter().map(latest).collect();
            if logical == Logical::And {
                // A watched job or crawler ran again since: its condition is not met any more.
                if let Some(unmet) = latest_runs.iter().position(|l| !met(l)) {
                    firing.known = unmet;
                    continue;
                }
            }
            if let Some(runs) = standalone_firing(logical, &latest_runs, finished, firing.last.as_deref()) {
                firing.last = Some(runs);
                let _ = self.fire_trigger(&trigger.name);
            }
        }
    }

    /// The id and final state (None while it runs) of the job's latest run that a trigger
    /// outside workflows started.
    fn last_triggered_job_run(&self, job: &str) -> Option<(String, Option<JobRunState>)> {
        self.job_runs.of_job(job, |runs| {
            runs.iter().rev().find_map(|r| {
                let r = r.lock().unwrap();
                (r.trigger_name.is_some() && r.workflow_run.is_none())
                    .then(|| (r.id.clone(), r.state.is_finished().then_some(r.state)))
            })
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
    use crate::engine::graph::tests::trigger;

    #[test]
    fn the_index_holds_only_activated_conditional_triggers_outside_workflows_by_what_they_watch() {
        let standalone = |t: Trigger| Trigger {
            workflow_name: None,
            ..t
        };
        let mut defs = Definitions::default();
        let triggers = [
            standalone(trigger("both", &["J1", "crawler:C"], Some(Logical::And), &["X"])),
            standalone(trigger("twice", &["J2", "J2"], Some(Logical::Any), &["X"])),
            trigger("in-a-workflow", &["J1"], None, &["X"]),
            Trigger {
                state: TriggerState::Deactivated,
                ..standalone(trigger("stopped", &["J1"], None, &["X"]))
            },
            standalone(trigger("on-demand", &[], None, &["J1"])),
        ];
        for t in triggers {
            defs.triggers.insert(t.name.clone(), t);
        }
        let index = WatchIndex::new(&defs, 1);
        let names = |kind, name| -> Vec<String> { index.watching(kind, name).iter().map(|t| t.name.clone()).collect() };
        assert_eq!(names(NodeKind::Job, "J1"), ["both"]);
        assert_eq!(names(NodeKind::Crawler, "C"), ["both"]);
        assert_eq!(names(NodeKind::Job, "J2"), ["twice"]);
        assert!(names(NodeKind::Job, "X").is_empty());
        assert!(names(NodeKind::Crawler, "J1").is_empty());
    }

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
