//! Events delivered to a workflow (AWS's `glue:notifyEvent`): its ACTIVATED EVENT trigger
//! batches them ([`super::event_batch`]) and starts a run when a batch condition is met —
//! on the event that fills the batch, or on a timer at the end of the batch's window.
//! A start over `MaxConcurrentRuns` is not retried: it is recorded as an ERROR run and the
//! batch's events are dropped. Pending batches live in memory only.

use super::error::Result;
use super::event_batch::{event_ids_property, Added, BatchRule, Started};
use super::region::Region;
use super::trigger::{TriggerState, TriggerType};
use super::workflow::Properties;
use super::workflow_ops::workflow_not_found;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The run property that lists the event ids of the batch that started a run.
pub const EVENT_IDS_PROPERTY: &str = "aws:eventIds";

/// What delivering one event to a workflow did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Held in the EVENT trigger's batch, which now has `pending` events.
    Batched { trigger: String, pending: usize },
    /// It completed its trigger's batch, which started this run.
    Started { trigger: String, run_id: String },
    /// It completed its trigger's batch, but the run could not start (recorded as ERROR).
    NotStarted { trigger: String, message: String },
    /// No ACTIVATED EVENT trigger starts the workflow: the event is dropped.
    Ignored { reason: String },
}

/// Milliseconds on a clock that never goes back.
fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

impl Region {
    /// Delivers an event to the workflow's EVENT trigger.
    pub fn notify_event(self: &Arc<Self>, workflow: &str, event_id: &str) -> Result<Delivery> {
        let (trigger, rule) = {
            let defs = self.read();
            if !defs.workflows.contains_key(workflow) {
                return Err(workflow_not_found(workflow));
            }
            let event_trigger = defs
                .triggers
                .values()
                .find(|t| t.workflow_name.as_deref() == Some(workflow) && t.trigger_type == TriggerType::Event);
            match event_trigger {
                None => {
                    return Ok(Delivery::Ignored {
                        reason: format!("Workflow {workflow} has no EVENT trigger"),
                    })
                }
                Some(t) if t.state != TriggerState::Activated => {
                    return Ok(Delivery::Ignored {
                        reason: format!(
                            "Trigger {} of workflow {workflow} is {}: only an ACTIVATED EVENT trigger starts runs",
                            t.name,
                            t.state.as_str()
                        ),
                    })
                }
                Some(t) => (
                    t.name.clone(),
                    BatchRule::of(t.event_batching, self.settings.time_scale),
                ),
            }
        };
        let added = self.triggers.event_batches().entry(trigger.clone()).or_default().add(
            event_id.to_string(),
            now_ms(),
            &rule,
        );
        Ok(match added {
            Added::Start(started) => self.start_batch(workflow, trigger, started),
            Added::Opened { after, generation } => {
                self.arm_batch_window(&trigger, generation, after);
                Delivery::Batched { trigger, pending: 1 }
            }
            Added::Waiting { pending } => Delivery::Batched { trigger, pending },
        })
    }

    /// How many events the trigger's batch holds (for tests and the log).
    pub fn pending_events(&self, trigger: &str) -> usize {
        self.triggers.event_batches().get(trigger).map_or(0, |b| b.pending())
    }

    /// Wakes up when the window of batch `generation` ends (on the runtime's timer;
    /// nothing without a runtime).
    fn arm_batch_window(self: &Arc<Self>, trigger: &str, generation: u64, after: Duration) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let region = Arc::downgrade(self);
        let trigger = trigger.to_string();
        runtime.spawn(async move {
            tokio::time::sleep(after).await;
            if let Some(region) = region.upgrade() {
                region.batch_window_ended(&trigger, generation);
            }
        });
    }

    /// The window of a batch ended: start a run with it, unless the trigger is gone or no
    /// longer an ACTIVATED EVENT trigger of a workflow (then the batch is dropped).
    fn batch_window_ended(self: &Arc<Self>, trigger: &str, generation: u64) {
        let current = self.read().triggers.get(trigger).and_then(|t| {
            let starts = t.trigger_type == TriggerType::Event && t.state == TriggerState::Activated;
            let rule = BatchRule::of(t.event_batching, self.settings.time_scale);
            t.workflow_name.clone().filter(|_| starts).map(|w| (w, rule))
        });
        let mut batches = self.triggers.event_batches();
        let Some((workflow, rule)) = current else {
            batches.remove(trigger);
            return;
        };
        let Some(batch) = batches.get_mut(trigger) else {
            return;
        };
        match batch.expire(generation, now_ms(), &rule) {
            Ok(started) => {
                drop(batches);
                self.start_batch(&workflow, trigger.to_string(), started);
            }
            Err(Some(rest)) => {
                drop(batches);
                self.arm_batch_window(trigger, generation, rest);
            }
            Err(None) => {}
        }
    }

    /// Starts a run for a batch, with its event ids and the condition met.
    fn start_batch(self: &Arc<Self>, workflow: &str, trigger: String, started: Started) -> Delivery {
        let properties = Properties::from([(EVENT_IDS_PROPERTY.to_string(), event_ids_property(&started.event_ids))]);
        match self.start_run(workflow, Some(properties), Some(started.condition)) {
            Ok(run_id) => Delivery::Started { trigger, run_id },
            Err(e) => {
                let message = e.to_string();
                self.record_failed_start(workflow, message.clone());
                Delivery::NotStarted { trigger, message }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event_batch::BatchCondition;
    use crate::engine::job::{JobCommand, JobSpec};
    use crate::engine::run::RunStatus;
    use crate::engine::settings::Settings;
    use crate::engine::trigger_ops::TriggerSpec;
    use crate::engine::workflow::WorkflowSpec;

    /// W started by EVENT trigger T (ACTIVATED) with this batching, running J for `job`.
    fn region(batching: Option<(i32, Option<i32>)>, max_runs: Option<i32>, job: Duration) -> Arc<Region> {
        let settings = Settings {
            job_duration: job,
            time_scale: 1000.0,
            ..Settings::default()
        };
        let region = Arc::new(Region::new("1", "r", Arc::new(settings), None));
        let spec = WorkflowSpec {
            max_concurrent_runs: max_runs,
            ..WorkflowSpec::default()
        };
        region.create_workflow("W", spec, Default::default()).unwrap();
        let job_spec = JobSpec {
            role: "r".into(),
            command: JobCommand::default(),
            max_concurrent_runs: 10,
            ..JobSpec::default()
        };
        region.create_job("J", job_spec, Default::default()).unwrap();
        let trigger = TriggerSpec {
            event_batching: batching,
            ..TriggerSpec::starting("W", TriggerType::Event, "J")
        };
        region.create_trigger("T", trigger, Default::default()).unwrap();
        region
    }

    fn started(d: Delivery) -> String {
        match d {
            Delivery::Started { run_id, .. } => run_id,
            other => panic!("expected a run, got {other:?}"),
        }
    }

    fn run_facts(region: &Region, run_id: &str) -> (Option<BatchCondition>, Option<String>) {
        let r = region.workflow_run("W", run_id).unwrap();
        let r = r.lock();
        (
            r.starting_event_batch_condition,
            r.properties.get(EVENT_IDS_PROPERTY).cloned(),
        )
    }

    #[tokio::test]
    async fn the_event_that_fills_the_batch_starts_the_run() {
        let region = region(Some((2, Some(900))), None, Duration::ZERO);
        assert_eq!(
            region.notify_event("W", "e1").unwrap(),
            Delivery::Batched {
                trigger: "T".into(),
                pending: 1
            }
        );
        let run = started(region.notify_event("W", "e2").unwrap());
        assert_eq!(
            run_facts(&region, &run),
            (Some(BatchCondition::Size(2)), Some("[e1, e2]".into()))
        );
        assert_eq!(region.pending_events("T"), 0, "the batch starts over");
        let graph = region.workflow_run("W", &run).unwrap().lock().graph.clone();
        assert!(
            graph.nodes.iter().any(|n| n.name == "T"),
            "the EVENT trigger is a node of the run"
        );
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn the_window_starts_a_run_with_what_came() {
        // 1 s of Glue time at --time-scale 1000: 1 ms
        let region = region(Some((5, Some(1))), None, Duration::ZERO);
        region.notify_event("W", "e1").unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let run = loop {
            let (runs, _) = region.workflow_runs_page("W", None, 10).unwrap();
            if let Some(run) = runs.first() {
                break run.id.clone();
            }
            assert!(Instant::now() < deadline, "the window never ended");
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        assert_eq!(
            run_facts(&region, &run),
            (Some(BatchCondition::Window(1)), Some("[e1]".into()))
        );
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn events_during_a_run_start_the_next_batch_and_over_the_limit_are_not_retried() {
        let region = region(None, Some(1), Duration::from_secs(30));
        let first = started(region.notify_event("W", "e1").unwrap());
        // arrives while the first run goes on: its own batch, over MaxConcurrentRuns
        let refused = region.notify_event("W", "e2").unwrap();
        assert_eq!(
            refused,
            Delivery::NotStarted {
                trigger: "T".into(),
                message: "Concurrent runs exceeded for workflow: W.".into()
            }
        );
        assert_eq!(
            region.pending_events("T"),
            0,
            "the refused batch is dropped, not retried"
        );
        let (runs, _) = region.workflow_runs_page("W", None, 10).unwrap();
        let states: Vec<(RunStatus, bool)> = runs.iter().map(|c| (c.lock().status, c.id == first)).collect();
        assert_eq!(states, [(RunStatus::Error, false), (RunStatus::Running, true)]);
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn a_trigger_that_is_not_activated_drops_events() {
        // 100 s of Glue time: 100 ms
        let region = region(Some((2, Some(100))), None, Duration::ZERO);
        region.notify_event("W", "e1").unwrap();
        region.stop_trigger("T").unwrap();
        assert!(matches!(
            region.notify_event("W", "e2").unwrap(),
            Delivery::Ignored { .. }
        ));
        // the pending batch goes when its window ends, without a run
        let deadline = Instant::now() + Duration::from_secs(10);
        while region.triggers.event_batches().contains_key("T") {
            assert!(Instant::now() < deadline, "the window never ended");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let (runs, _) = region.workflow_runs_page("W", None, 10).unwrap();
        assert!(runs.is_empty());
        assert!(matches!(
            region.notify_event("nope", "e"),
            Err(crate::engine::Error::NotFound(_))
        ));
    }
}
