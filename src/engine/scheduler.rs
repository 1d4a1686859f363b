//! Fires SCHEDULED triggers that are ACTIVATED, and crawlers that have a schedule,
//! when their cron expression comes due (real clock, checked every second).

use super::region::Region;
use super::schedule::Schedule;
use super::trigger::{TriggerState, TriggerType};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Where the scheduler finds the partitions to look at.
pub trait Regions: Send + Sync {
    fn regions(&self) -> Vec<Arc<Region>>;
}

pub async fn run(source: Arc<dyn Regions>) {
    let mut last_check: DateTime<Utc> = Utc::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = Utc::now();
        for region in source.regions() {
            region.fire_due(last_check, now);
        }
        last_check = now;
    }
}

/// Whether `expression` has a due time in (after, until].
fn due(expression: &str, after: DateTime<Utc>, until: DateTime<Utc>) -> bool {
    Schedule::parse(expression)
        .ok()
        .and_then(|s| s.next_after(after))
        .is_some_and(|t| t <= until)
}

impl Region {
    /// Fires what came due between the two instants.
    pub fn fire_due(self: &Arc<Self>, after: DateTime<Utc>, until: DateTime<Utc>) {
        let (triggers, crawlers): (Vec<_>, Vec<_>) = {
            let defs = self.read();
            let triggers = defs
                .triggers
                .values()
                .filter(|t| t.trigger_type == TriggerType::Scheduled && t.state == TriggerState::Activated)
                .filter(|t| t.schedule.as_deref().is_some_and(|s| due(s, after, until)))
                .map(|t| (t.name.clone(), t.workflow_name.clone()))
                .collect();
            let crawlers = defs
                .crawlers
                .values()
                .filter(|c| c.spec.schedule.as_deref().is_some_and(|s| due(s, after, until)))
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
