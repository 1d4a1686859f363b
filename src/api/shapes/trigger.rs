//! Glue's trigger shapes. `Action`, `Predicate`, `Condition` and the rest are decoded
//! from CreateTrigger and UpdateTrigger and, borrowing from the engine's trigger
//! (`Cow::Borrowed`), encoded in `Trigger` for GetTrigger, GetTriggers,
//! BatchGetTriggers, UpdateTrigger and the graph's trigger nodes.

use crate::engine::job::{Arguments, JobRunState};
use crate::engine::trigger::{self as engine, CrawlState, Logical};
use crate::protocol::WireError;
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::marker::PhantomData;

/// The only `LogicalOperator` Glue has.
const EQUALS: &str = "EQUALS";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Trigger<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    workflow_name: Option<&'a str>,
    id: &'a str,
    #[serde(rename = "Type")]
    trigger_type: &'static str,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<&'a str>,
    actions: Encoded<'a, engine::Action, Action<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predicate: Option<Predicate<'a, Encoded<'a, engine::Condition, Condition<'a>>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_batching_condition: Option<EventBatchingCondition>,
}

impl<'a> From<&'a engine::Trigger> for Trigger<'a> {
    fn from(t: &'a engine::Trigger) -> Trigger<'a> {
        Trigger {
            name: &t.name,
            workflow_name: t.workflow_name.as_deref(),
            id: &t.id,
            trigger_type: t.trigger_type.as_str(),
            state: t.state.as_str(),
            description: t.description.as_deref(),
            schedule: t.schedule.as_deref(),
            actions: Encoded::new(&t.actions),
            predicate: t.predicate.as_ref().map(Predicate::from),
            event_batching_condition: t
                .event_batching
                .map(|(batch_size, batch_window)| EventBatchingCondition {
                    batch_size,
                    batch_window,
                }),
        }
    }
}

impl Trigger<'_> {
    /// Encodes the engine's trigger in this shape (for `serialize_with`).
    pub fn encode<S: Serializer>(t: &engine::Trigger, s: S) -> Result<S::Ok, S::Error> {
        Trigger::from(t).serialize(s)
    }

    /// Encodes the engine's triggers as a list of this shape (for `serialize_with`).
    pub fn encode_all<S: Serializer>(ts: &[engine::Trigger], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ts.iter().map(Trigger::from))
    }
}

/// The engine's items as a list of their wire shape `W`, each converted as it is
/// written: nothing is collected (a graph's triggers are encoded on every
/// GetWorkflowRun with its graph).
pub struct Encoded<'a, E, W>(&'a [E], PhantomData<W>);

impl<'a, E, W> Encoded<'a, E, W> {
    fn new(items: &'a [E]) -> Self {
        Encoded(items, PhantomData)
    }
}

impl<'a, E, W: From<&'a E> + Serialize> Serialize for Encoded<'a, E, W> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(W::from))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotificationProperty {
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_delay_after: Option<i32>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Action<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    job_name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    arguments: Option<Cow<'a, Arguments>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    security_configuration: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notification_property: Option<NotificationProperty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crawler_name: Option<Cow<'a, str>>,
}

impl Action<'_> {
    pub fn into_engine(self) -> engine::Action {
        engine::Action {
            job_name: self.job_name.map(Cow::into_owned),
            crawler_name: self.crawler_name.map(Cow::into_owned),
            arguments: self.arguments.map(Cow::into_owned).unwrap_or_default(),
            timeout: self.timeout,
            security_configuration: self.security_configuration.map(Cow::into_owned),
            notify_delay_after: self.notification_property.and_then(|n| n.notify_delay_after),
        }
    }
}

impl<'a> From<&'a engine::Action> for Action<'a> {
    fn from(a: &'a engine::Action) -> Action<'a> {
        Action {
            job_name: a.job_name.as_deref().map(Cow::Borrowed),
            arguments: (!a.arguments.is_empty()).then_some(Cow::Borrowed(&a.arguments)),
            timeout: a.timeout,
            security_configuration: a.security_configuration.as_deref().map(Cow::Borrowed),
            notification_property: a.notify_delay_after.map(|d| NotificationProperty {
                notify_delay_after: Some(d),
            }),
            crawler_name: a.crawler_name.as_deref().map(Cow::Borrowed),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Condition<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_operator: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crawler_name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crawl_state: Option<Cow<'a, str>>,
}

const JOB_CONDITION_STATES: [JobRunState; 4] = [
    JobRunState::Succeeded,
    JobRunState::Stopped,
    JobRunState::Failed,
    JobRunState::Timeout,
];
const CRAWL_CONDITION_STATES: [CrawlState; 3] = [CrawlState::Succeeded, CrawlState::Failed, CrawlState::Cancelled];

impl Condition<'_> {
    fn into_engine(self) -> Result<engine::Condition, WireError> {
        if self.logical_operator.as_deref().is_some_and(|o| o != EQUALS) {
            return Err(WireError::invalid_input("LogicalOperator must be EQUALS"));
        }
        match (self.job_name, self.crawler_name) {
            (Some(name), None) => {
                let state = self
                    .state
                    .as_deref()
                    .and_then(JobRunState::parse)
                    .filter(|s| JOB_CONDITION_STATES.contains(s));
                let state = state.ok_or_else(|| {
                    WireError::invalid_input(format!(
                        "The condition on job {name} needs a State of SUCCEEDED, STOPPED, FAILED or TIMEOUT"
                    ))
                })?;
                Ok(engine::Condition::Job {
                    name: name.into_owned(),
                    state,
                })
            }
            (None, Some(name)) => {
                let state = self
                    .crawl_state
                    .as_deref()
                    .and_then(CrawlState::parse)
                    .filter(|s| CRAWL_CONDITION_STATES.contains(s));
                let state = state.ok_or_else(|| {
                    WireError::invalid_input(format!(
                        "The condition on crawler {name} needs a CrawlState of SUCCEEDED, FAILED or CANCELLED"
                    ))
                })?;
                Ok(engine::Condition::Crawler {
                    name: name.into_owned(),
                    state,
                })
            }
            _ => Err(WireError::invalid_input(
                "Each condition must name exactly one of JobName and CrawlerName",
            )),
        }
    }
}

impl<'a> From<&'a engine::Condition> for Condition<'a> {
    fn from(c: &'a engine::Condition) -> Condition<'a> {
        let (job_name, state, crawler_name, crawl_state) = match c {
            engine::Condition::Job { name, state } => (Some(name), Some(state.as_str()), None, None),
            engine::Condition::Crawler { name, state } => (None, None, Some(name), Some(state.as_str())),
        };
        Condition {
            logical_operator: Some(Cow::Borrowed(EQUALS)),
            job_name: job_name.map(|n| Cow::Borrowed(n.as_str())),
            state: state.map(Cow::Borrowed),
            crawler_name: crawler_name.map(|n| Cow::Borrowed(n.as_str())),
            crawl_state: crawl_state.map(Cow::Borrowed),
        }
    }
}

/// Decoded, its conditions are a `Vec`; encoded from the engine, `Encoded`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Predicate<'a, Conditions = Vec<Condition<'a>>> {
    #[serde(skip_serializing_if = "Option::is_none")]
    logical: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conditions: Option<Conditions>,
}

impl Predicate<'_> {
    pub fn into_engine(self) -> Result<engine::Predicate, WireError> {
        let logical = self
            .logical
            .as_deref()
            .map(|text| {
                Logical::parse(text)
                    .ok_or_else(|| WireError::invalid_input(format!("Unknown Logical {text:?}: AND or ANY")))
            })
            .transpose()?;
        let conditions = self
            .conditions
            .unwrap_or_default()
            .into_iter()
            .map(Condition::into_engine)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(engine::Predicate { logical, conditions })
    }
}

impl<'a> From<&'a engine::Predicate> for Predicate<'a, Encoded<'a, engine::Condition, Condition<'a>>> {
    fn from(p: &'a engine::Predicate) -> Self {
        Predicate {
            logical: p.logical.map(|l| Cow::Borrowed(l.as_str())),
            conditions: Some(Encoded::new(&p.conditions)),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventBatchingCondition {
    batch_size: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch_window: Option<i32>,
}

impl EventBatchingCondition {
    /// The engine's (batch size, batch window).
    pub fn into_engine(self) -> (i32, Option<i32>) {
        (self.batch_size, self.batch_window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::graph::tests::trigger;
    use serde_json::{json, Value};

    fn decode<T: serde::de::DeserializeOwned>(v: &Value) -> T {
        serde_json::from_value(v.clone()).unwrap()
    }

    /// What GetTrigger writes, CreateTrigger reads back as the same engine values.
    #[test]
    fn a_trigger_written_reads_back_the_same() {
        let mut t = trigger("T", &["A", "crawler:K"], Some(Logical::Any), &["B", "crawler:C"]);
        t.actions[0].arguments.insert("--day".into(), "mon".into());
        t.actions[0].timeout = Some(30);
        t.actions[0].security_configuration = Some("sec".into());
        t.actions[0].notify_delay_after = Some(5);
        t.event_batching = Some((5, Some(900)));
        let wire = serde_json::to_value(Trigger::from(&t)).unwrap();

        let actions: Vec<Action> = decode(&wire["Actions"]);
        let actions: Vec<engine::Action> = actions.into_iter().map(Action::into_engine).collect();
        assert_eq!(actions, t.actions);
        let predicate: Predicate = decode(&wire["Predicate"]);
        assert_eq!(predicate.into_engine().unwrap(), t.predicate.unwrap());
        let batching: EventBatchingCondition = decode(&wire["EventBatchingCondition"]);
        assert_eq!(Some(batching.into_engine()), t.event_batching);
    }

    #[test]
    fn bad_predicates_are_refused_with_what_is_wrong() {
        let refused = |p: Value| decode::<Predicate>(&p).into_engine().unwrap_err().message;
        assert_eq!(refused(json!({"Logical": "OR"})), "Unknown Logical \"OR\": AND or ANY");
        assert_eq!(
            refused(json!({"Conditions": [{"LogicalOperator": "NOT", "JobName": "A", "State": "FAILED"}]})),
            "LogicalOperator must be EQUALS"
        );
        assert_eq!(
            refused(json!({"Conditions": [{"JobName": "A", "State": "RUNNING"}]})),
            "The condition on job A needs a State of SUCCEEDED, STOPPED, FAILED or TIMEOUT"
        );
        assert_eq!(
            refused(json!({"Conditions": [{"CrawlerName": "K", "CrawlState": "RUNNING"}]})),
            "The condition on crawler K needs a CrawlState of SUCCEEDED, FAILED or CANCELLED"
        );
        assert_eq!(
            refused(json!({"Conditions": [{"JobName": "A", "CrawlerName": "K", "State": "FAILED"}]})),
            "Each condition must name exactly one of JobName and CrawlerName"
        );
    }
}
