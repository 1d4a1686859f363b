//! The trigger resource: type, state, actions and predicate.

use super::job::{Arguments, JobRunState};
use super::wire_enum::wire_enum;
use super::workflow::Tags;

wire_enum! {
    pub enum TriggerType {
        Scheduled = "SCHEDULED", Conditional = "CONDITIONAL",
        OnDemand = "ON_DEMAND", Event = "EVENT",
    }
}

impl TriggerType {
    /// Start triggers begin a workflow run; conditional ones continue it.
    pub fn starts_workflow(self) -> bool {
        self != TriggerType::Conditional
    }
}

wire_enum! {
    pub enum TriggerState {
        Created = "CREATED", Activated = "ACTIVATED", Deactivated = "DEACTIVATED",
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Action {
    pub job_name: Option<String>,
    pub crawler_name: Option<String>,
    pub arguments: Arguments,
    pub timeout: Option<i32>,
    pub security_configuration: Option<String>,
    pub notify_delay_after: Option<i32>,
}

wire_enum! {
    /// How a predicate's conditions combine.
    pub enum Logical {
        And = "AND", Any = "ANY",
    }
}

wire_enum! {
    pub enum CrawlState {
        Running = "RUNNING", Cancelling = "CANCELLING", Cancelled = "CANCELLED",
        Succeeded = "SUCCEEDED", Failed = "FAILED", Error = "ERROR",
    }
}

impl CrawlState {
    pub fn is_finished(self) -> bool {
        !matches!(self, CrawlState::Running | CrawlState::Cancelling)
    }
}

/// One condition: a job in a run state, or a crawler in a crawl state.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Condition {
    Job { name: String, state: JobRunState },
    Crawler { name: String, state: CrawlState },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Predicate {
    /// `None` only with at most one condition (AWS requires Logical for more).
    pub logical: Option<Logical>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trigger {
    pub name: String,
    pub id: String,
    pub workflow_name: Option<String>,
    pub trigger_type: TriggerType,
    pub state: TriggerState,
    pub description: Option<String>,
    pub schedule: Option<String>,
    pub actions: Vec<Action>,
    pub predicate: Option<Predicate>,
    pub event_batching: Option<(i32, Option<i32>)>,
    pub tags: Tags,
}
