//! Wire shapes shared by several families: timestamps, job runs, crawls,
//! triggers and the workflow graph.

use crate::engine::clock::Timestamp;
use crate::engine::crawler::Crawl;
use crate::engine::graph::{Graph, NodeKind};
use crate::engine::job::{Arguments, JobRun, JobRunState};
use crate::engine::run::WorkflowRun;
use crate::engine::trigger::{Action, Condition, CrawlState, Logical, Predicate, Trigger};
use crate::protocol::WireError;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// Timestamps go on the wire as epoch seconds with milliseconds, as botocore expects.
pub fn epoch<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(t.as_epoch_seconds())
}

pub fn epoch_opt<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => epoch(t, s),
        None => s.serialize_none(),
    }
}

fn is_empty_map(m: &BTreeMap<String, String>) -> bool {
    m.is_empty()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobRunOut {
    pub id: String,
    pub attempt: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_run_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_name: Option<String>,
    pub job_name: String,
    #[serde(serialize_with = "epoch")]
    pub started_on: Timestamp,
    #[serde(serialize_with = "epoch")]
    pub last_modified_on: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Timestamp>,
    pub job_run_state: &'static str,
    #[serde(skip_serializing_if = "is_empty_map")]
    pub arguments: Arguments,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub predecessor_runs: Vec<()>,
    pub execution_time: i64,
    pub timeout: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_workers: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glue_version: Option<String>,
    pub log_group_name: String,
}

impl From<JobRun> for JobRunOut {
    fn from(r: JobRun) -> JobRunOut {
        JobRunOut {
            execution_time: r.execution_time_seconds(),
            id: r.id,
            attempt: r.attempt,
            previous_run_id: r.previous_run_id,
            trigger_name: r.trigger_name,
            job_name: r.job_name,
            started_on: r.started_on,
            last_modified_on: r.last_modified_on,
            completed_on: r.completed_on,
            job_run_state: r.state.as_str(),
            arguments: r.arguments,
            error_message: r.error_message,
            predecessor_runs: Vec::new(),
            timeout: r.timeout,
            max_capacity: r.max_capacity,
            worker_type: r.worker_type,
            number_of_workers: r.number_of_workers,
            glue_version: r.glue_version,
            log_group_name: r.log_group_name,
        }
    }
}

/// A crawl as a graph node shows it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CrawlOut {
    pub state: &'static str,
    #[serde(serialize_with = "epoch")]
    pub started_on: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub log_group: &'static str,
    pub log_stream: String,
}

impl From<Crawl> for CrawlOut {
    fn from(c: Crawl) -> CrawlOut {
        CrawlOut {
            state: c.state.as_str(),
            started_on: c.started_on,
            completed_on: c.completed_on,
            error_message: c.error_message,
            log_group: "/aws-glue/crawlers",
            log_stream: c.crawler_name,
        }
    }
}

// ---- triggers -----------------------------------------------------------------

#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct NotificationProperty {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_delay_after: Option<i32>,
}

#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct ActionShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Arguments>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_configuration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_property: Option<NotificationProperty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crawler_name: Option<String>,
}

impl ActionShape {
    pub fn into_engine(self) -> Action {
        Action {
            job_name: self.job_name,
            crawler_name: self.crawler_name,
            arguments: self.arguments.unwrap_or_default(),
            timeout: self.timeout,
            security_configuration: self.security_configuration,
            notify_delay_after: self.notification_property.and_then(|n| n.notify_delay_after),
        }
    }

    pub fn from_engine(a: &Action) -> ActionShape {
        ActionShape {
            job_name: a.job_name.clone(),
            arguments: (!a.arguments.is_empty()).then(|| a.arguments.clone()),
            timeout: a.timeout,
            security_configuration: a.security_configuration.clone(),
            notification_property: a.notify_delay_after.map(|d| NotificationProperty {
                notify_delay_after: Some(d),
            }),
            crawler_name: a.crawler_name.clone(),
        }
    }
}

#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct ConditionShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_operator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crawler_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crawl_state: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct PredicateShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<ConditionShape>>,
}

const JOB_CONDITION_STATES: [JobRunState; 4] = [
    JobRunState::Succeeded,
    JobRunState::Stopped,
    JobRunState::Failed,
    JobRunState::Timeout,
];
const CRAWL_CONDITION_STATES: [CrawlState; 3] = [CrawlState::Succeeded, CrawlState::Failed, CrawlState::Cancelled];

impl PredicateShape {
    pub fn into_engine(self) -> Result<Predicate, WireError> {
        let logical = match self.logical.as_deref() {
            None => None,
            Some("AND") => Some(Logical::And),
            Some("ANY") => Some(Logical::Any),
            Some(other) => {
                return Err(WireError::invalid_input(format!(
                    "Unknown Logical {other:?}: AND or ANY"
                )))
            }
        };
        let conditions = self
            .conditions
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                if c.logical_operator.as_deref().is_some_and(|o| o != "EQUALS") {
                    return Err(WireError::invalid_input("LogicalOperator must be EQUALS"));
                }
                match (c.job_name, c.crawler_name) {
                    (Some(name), None) => {
                        let state = c
                            .state
                            .as_deref()
                            .and_then(JobRunState::parse)
                            .filter(|s| JOB_CONDITION_STATES.contains(s));
                        let state = state.ok_or_else(|| {
                            WireError::invalid_input(format!(
                                "The condition on job {name} needs a State of SUCCEEDED, STOPPED, FAILED or TIMEOUT"
                            ))
                        })?;
                        Ok(Condition::Job { name, state })
                    }
                    (None, Some(name)) => {
                        let state = c
                            .crawl_state
                            .as_deref()
                            .and_then(CrawlState::parse)
                            .filter(|s| CRAWL_CONDITION_STATES.contains(s));
                        let state = state.ok_or_else(|| {
                            WireError::invalid_input(format!(
                                "The condition on crawler {name} needs a CrawlState of SUCCEEDED, FAILED or CANCELLED"
                            ))
                        })?;
                        Ok(Condition::Crawler { name, state })
                    }
                    _ => Err(WireError::invalid_input(
                        "Each condition must name exactly one of JobName and CrawlerName",
                    )),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Predicate { logical, conditions })
    }

    pub fn from_engine(p: &Predicate) -> PredicateShape {
        PredicateShape {
            logical: p.logical.map(|l| match l {
                Logical::And => "AND".to_string(),
                Logical::Any => "ANY".to_string(),
            }),
            conditions: Some(
                p.conditions
                    .iter()
                    .map(|c| match c {
                        Condition::Job { name, state } => ConditionShape {
                            logical_operator: Some("EQUALS".into()),
                            job_name: Some(name.clone()),
                            state: Some(state.as_str().into()),
                            ..ConditionShape::default()
                        },
                        Condition::Crawler { name, state } => ConditionShape {
                            logical_operator: Some("EQUALS".into()),
                            crawler_name: Some(name.clone()),
                            crawl_state: Some(state.as_str().into()),
                            ..ConditionShape::default()
                        },
                    })
                    .collect(),
            ),
        }
    }
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct EventBatchingCondition {
    pub batch_size: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_window: Option<i32>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TriggerOut {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_name: Option<String>,
    pub id: String,
    #[serde(rename = "Type")]
    pub trigger_type: &'static str,
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    pub actions: Vec<ActionShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicate: Option<PredicateShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_batching_condition: Option<EventBatchingCondition>,
}

impl From<&Trigger> for TriggerOut {
    fn from(t: &Trigger) -> TriggerOut {
        TriggerOut {
            name: t.name.clone(),
            workflow_name: t.workflow_name.clone(),
            id: t.id.clone(),
            trigger_type: t.trigger_type.as_str(),
            state: t.state.as_str(),
            description: t.description.clone(),
            schedule: t.schedule.clone(),
            actions: t.actions.iter().map(ActionShape::from_engine).collect(),
            predicate: t.predicate.as_ref().map(PredicateShape::from_engine),
            event_batching_condition: t
                .event_batching
                .map(|(batch_size, batch_window)| EventBatchingCondition {
                    batch_size,
                    batch_window,
                }),
        }
    }
}

// ---- graphs and runs ------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TriggerDetails {
    pub trigger: TriggerOut,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobDetails {
    pub job_runs: Vec<JobRunOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CrawlerDetails {
    pub crawls: Vec<CrawlOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NodeOut {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    pub name: String,
    pub unique_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_details: Option<TriggerDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_details: Option<JobDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crawler_details: Option<CrawlerDetails>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EdgeOut {
    pub source_id: String,
    pub destination_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GraphOut {
    pub nodes: Vec<NodeOut>,
    pub edges: Vec<EdgeOut>,
}

impl GraphOut {
    /// The design graph; with `run`, each job and crawler node carries that run's details.
    pub fn new(graph: &Graph, run: Option<&WorkflowRun>) -> GraphOut {
        let nodes = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let state = run.and_then(|r| r.nodes.get(i));
                NodeOut {
                    kind: n.kind.as_str(),
                    name: n.name.clone(),
                    unique_id: n.unique_id.clone(),
                    trigger_details: n.trigger.as_deref().map(|t| TriggerDetails { trigger: t.into() }),
                    job_details: state
                        .filter(|s| n.kind == NodeKind::Job && !s.job_runs.is_empty())
                        .map(|s| JobDetails {
                            job_runs: s
                                .job_runs
                                .iter()
                                .rev()
                                .map(|r| r.lock().unwrap().clone().into())
                                .collect(),
                        }),
                    crawler_details: state
                        .filter(|s| n.kind == NodeKind::Crawler && !s.crawls.is_empty())
                        .map(|s| CrawlerDetails {
                            crawls: s
                                .crawls
                                .iter()
                                .rev()
                                .map(|c| c.lock().unwrap().clone().into())
                                .collect(),
                        }),
                }
            })
            .collect();
        let id = |i: usize| graph.nodes[i].unique_id.clone();
        let edges = graph
            .edges
            .iter()
            .map(|(s, d)| EdgeOut {
                source_id: id(*s),
                destination_id: id(*d),
            })
            .collect();
        GraphOut { nodes, edges }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatisticsOut {
    pub total_actions: i32,
    pub timeout_actions: i32,
    pub failed_actions: i32,
    pub stopped_actions: i32,
    pub succeeded_actions: i32,
    pub running_actions: i32,
    pub errored_actions: i32,
    pub waiting_actions: i32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WorkflowRunOut {
    pub name: String,
    pub workflow_run_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_run_id: Option<String>,
    pub workflow_run_properties: BTreeMap<String, String>,
    #[serde(serialize_with = "epoch")]
    pub started_on: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Timestamp>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub statistics: StatisticsOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph: Option<GraphOut>,
}

impl WorkflowRunOut {
    /// Reads the run once, under its lock, so every part of the answer agrees.
    pub fn new(r: &WorkflowRun, include_graph: bool) -> WorkflowRunOut {
        let s = r.statistics();
        WorkflowRunOut {
            name: r.workflow_name.clone(),
            workflow_run_id: r.id.clone(),
            previous_run_id: r.previous_run_id.clone(),
            workflow_run_properties: r.properties.clone(),
            started_on: r.started_on,
            completed_on: r.completed_on,
            status: r.status.as_str(),
            error_message: r.error_message.clone(),
            statistics: StatisticsOut {
                total_actions: s.total,
                timeout_actions: s.timeout,
                failed_actions: s.failed,
                stopped_actions: s.stopped,
                succeeded_actions: s.succeeded,
                running_actions: s.running,
                errored_actions: s.errored,
                waiting_actions: s.waiting,
            },
            graph: include_graph.then(|| GraphOut::new(&r.graph, Some(r))),
        }
    }
}
