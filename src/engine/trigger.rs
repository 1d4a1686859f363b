//! The trigger resource: type, state, actions and predicate.

use super::job::{Arguments, JobRunState};
use super::workflow::Tags;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TriggerType {
    Scheduled,
    Conditional,
    OnDemand,
    Event,
}

impl TriggerType {
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerType::Scheduled => "SCHEDULED",
            TriggerType::Conditional => "CONDITIONAL",
            TriggerType::OnDemand => "ON_DEMAND",
            TriggerType::Event => "EVENT",
        }
    }

    pub fn parse(text: &str) -> Option<TriggerType> {
        [Self::Scheduled, Self::Conditional, Self::OnDemand, Self::Event]
            .into_iter()
            .find(|t| t.as_str() == text)
    }

    /// Start triggers begin a workflow run; conditional ones continue it.
    pub fn starts_workflow(self) -> bool {
        self != TriggerType::Conditional
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TriggerState {
    Created,
    Activated,
    Deactivated,
}

impl TriggerState {
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerState::Created => "CREATED",
            TriggerState::Activated => "ACTIVATED",
            TriggerState::Deactivated => "DEACTIVATED",
        }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Logical {
    And,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CrawlState {
    Running,
    Cancelling,
    Cancelled,
    Succeeded,
    Failed,
    Error,
}

impl CrawlState {
    pub const ALL: [CrawlState; 6] = [
        CrawlState::Running,
        CrawlState::Cancelling,
        CrawlState::Cancelled,
        CrawlState::Succeeded,
        CrawlState::Failed,
        CrawlState::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CrawlState::Running => "RUNNING",
            CrawlState::Cancelling => "CANCELLING",
            CrawlState::Cancelled => "CANCELLED",
            CrawlState::Succeeded => "SUCCEEDED",
            CrawlState::Failed => "FAILED",
            CrawlState::Error => "ERROR",
        }
    }

    pub fn parse(text: &str) -> Option<CrawlState> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

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
