//! Fires SCHEDULED triggers that are ACTIVATED, and crawlers whose schedule is SCHEDULED,
//! when their cron expression comes due (real clock, checked every second).

use super::region::Region;
use super::schedule::Schedule;
use super::trigger::{TriggerState, TriggerType};
use super::Engine;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Looks at every partition of `engine` once a second, for as long as the server runs.
pub async fn run(engine: &Engine) {
    let mut last_check: DateTime<Utc> = Utc::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut schedules = Schedules::default();
    loop {
        tick.tick().await;
        let now = Utc::now();
        for region in engine.regions() {
            region.fire_due(last_check, now, &mut schedules);
        }
        schedules.forget_unused();
        last_check = now;
    }
}

/// The cron expressions in use, each parsed once rather than on every tick.
#[derive(Default)]
pub struct Schedules {
    /// By expression: the schedule (`None`: it does not parse) and whether a tick used it.
    parsed: HashMap<String, (Option<Schedule>, bool)>,
}

impl Schedules {
    /// Whether `expression` has a due time in (after, until].
    fn due(&mut self, expression: &str, after: DateTime<Utc>, until: DateTime<Utc>) -> bool {
        if !self.parsed.contains_key(expression) {
            self.parsed
                .insert(expression.to_string(), (Schedule::parse(expression).ok(), false));
        }
        let Some((schedule, used)) = self.parsed.get_mut(expression) else {
            return false;
        };
        *used = true;
        schedule
            .as_ref()
            .and_then(|s| s.next_after(after))
            .is_some_and(|t| t <= until)
    }

    /// Drops the expressions no trigger or crawler used since the last call.
    fn forget_unused(&mut self) {
        self.parsed.retain(|_, (_, used)| std::mem::take(used));
    }
}

impl Region {
    /// Fires what came due between the two instants.
    pub fn fire_due(self: &Arc<Self>, after: DateTime<Utc>, until: DateTime<Utc>, schedules: &mut Schedules) {
        let (triggers, crawlers): (Vec<_>, Vec<_>) = {
            let defs = self.read();
            let triggers = defs
                .triggers
                .values()
                .filter(|t| t.trigger_type == TriggerType::Scheduled && t.state == TriggerState::Activated)
                .filter(|t| t.schedule.as_deref().is_some_and(|s| schedules.due(s, after, until)))
                .map(|t| (t.name.clone(), t.workflow_name.clone()))
                .collect();
            let crawlers = defs
                .crawlers
                .values()
                .filter(|c| c.active_schedule().is_some_and(|s| schedules.due(s, after, until)))
                .map(|c| c.name.clone())
                .collect();
            (triggers, crawlers)
        };
        let mut failures: HashMap<String, String> = HashMap::new();
        for (trigger, workflow) in triggers {
            if let Err(e) = self.fire_trigger(&trigger) {
                if let Some(w) = workflow {
                    failures.insert(w, e.to_string());
                }
            }
        }
        for (workflow, message) in failures {
            self.record_failed_start(&workflow, message);
        }
        for crawler in crawlers {
            let _ = self.start_crawler(&crawler);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::crawler::{CrawlerSpec, ScheduleState};
    use crate::engine::job::{JobCommand, JobSpec};
    use crate::engine::run::RunStatus;
    use crate::engine::settings::Settings;
    use crate::engine::trigger_ops::TriggerSpec;
    use crate::engine::workflow::WorkflowSpec;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn due_in_the_half_open_window() {
        let mut schedules = Schedules::default();
        let mut due = |expression, after, until| schedules.due(expression, at(after), at(until));
        let every_5 = "cron(0/5 * * * ? *)";
        assert!(due(every_5, "2026-11-25T10:04:59Z", "2026-11-25T10:05:00Z"));
        // (after, until]: a time due exactly at `after` belonged to the previous window.
        assert!(!due(every_5, "2026-11-25T10:05:00Z", "2026-11-25T10:05:01Z"));
        assert!(!due(every_5, "2026-11-25T10:01:00Z", "2026-11-25T10:04:00Z"));
        assert!(!due("not a schedule", "2026-11-25T10:00:00Z", "2026-11-26T10:00:00Z"));
    }

    #[test]
    fn expressions_are_parsed_once_and_forgotten_when_unused() {
        let mut schedules = Schedules::default();
        let (after, until) = (at("2026-11-25T10:00:00Z"), at("2026-11-25T10:10:00Z"));
        assert!(schedules.due("cron(0/5 * * * ? *)", after, until));
        assert!(!schedules.due("bad", after, until));
        assert_eq!(schedules.parsed.len(), 2);
        schedules.forget_unused();
        assert_eq!(schedules.parsed.len(), 2, "both were used in the tick");
        assert!(schedules.due("cron(0/5 * * * ? *)", after, until));
        schedules.forget_unused();
        assert_eq!(schedules.parsed.keys().collect::<Vec<_>>(), ["cron(0/5 * * * ? *)"]);
    }

    #[tokio::test]
    async fn crawlers_whose_schedule_is_stopped_are_not_started() {
        let settings = Settings {
            job_duration: Duration::from_secs(3600),
            ..Settings::default()
        };
        let region = Arc::new(Region::new("1", "r", Arc::new(settings), None));
        for name in ["on", "off"] {
            let spec = CrawlerSpec {
                role: "r".into(),
                schedule: Some("cron(0/5 * * * ? *)".into()),
                ..CrawlerSpec::default()
            };
            region.create_crawler(name, spec, Default::default()).unwrap();
        }
        region
            .set_crawler_schedule_state("off", ScheduleState::NotScheduled)
            .unwrap();

        let mut schedules = Schedules::default();
        region.fire_due(at("2026-11-25T10:04:00Z"), at("2026-11-25T10:05:00Z"), &mut schedules);
        let crawls = |name| region.crawls(name).unwrap().len();
        assert_eq!((crawls("on"), crawls("off")), (1, 0));
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn scheduled_start_over_max_concurrent_runs_is_recorded_as_error() {
        let settings = Settings {
            job_duration: Duration::from_secs(30),
            ..Settings::default()
        };
        let region = Arc::new(Region::new("1", "r", Arc::new(settings), None));
        let spec = WorkflowSpec {
            max_concurrent_runs: Some(1),
            ..WorkflowSpec::default()
        };
        region.create_workflow("W", spec, Default::default()).unwrap();
        let job = JobSpec {
            role: "r".into(),
            command: JobCommand::default(),
            max_concurrent_runs: 5,
            ..JobSpec::default()
        };
        region.create_job("J", job, Default::default()).unwrap();
        let trigger = TriggerSpec {
            schedule: Some("cron(0/5 * * * ? *)".into()),
            ..TriggerSpec::starting("W", TriggerType::Scheduled, "J")
        };
        region.create_trigger("T", trigger, Default::default()).unwrap();

        let mut schedules = Schedules::default();
        region.fire_due(at("2026-11-25T10:04:00Z"), at("2026-11-25T10:05:00Z"), &mut schedules);
        region.fire_due(at("2026-11-25T10:05:00Z"), at("2026-11-25T10:09:00Z"), &mut schedules); // nothing due
        region.fire_due(at("2026-11-25T10:09:00Z"), at("2026-11-25T10:10:00Z"), &mut schedules);
        let (runs, _) = region.workflow_runs_page("W", None, 10).unwrap();
        let states: Vec<(RunStatus, Option<String>)> = runs
            .iter()
            .map(|c| {
                let r = c.lock();
                (r.status, r.error_message.clone())
            })
            .collect();
        assert_eq!(
            states,
            [
                (
                    RunStatus::Error,
                    Some("Concurrent runs exceeded for workflow: W.".to_string())
                ),
                (RunStatus::Running, None),
            ]
        );
        region.exec.stop_everything();
    }
}
