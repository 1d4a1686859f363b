//! Wire shapes shared by several families: timestamps, job runs, crawls,
//! triggers and the workflow graph.

use crate::engine::clock::Timestamp;
use crate::engine::crawler::Crawl;
use crate::engine::event_batch::BatchCondition;
use crate::engine::graph::{Graph, NodeKind};
use crate::engine::job::{Arguments, JobRun};
use crate::engine::run::WorkflowRun;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

mod trigger;
pub use trigger::{Action, EventBatchingCondition, Predicate, Trigger};

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
    id: String,
    attempt: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_run_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_name: Option<String>,
    job_name: String,
    #[serde(serialize_with = "epoch")]
    started_on: Timestamp,
    #[serde(serialize_with = "epoch")]
    last_modified_on: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    completed_on: Option<Timestamp>,
    job_run_state: &'static str,
    #[serde(skip_serializing_if = "is_empty_map")]
    arguments: Arguments,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    predecessor_runs: Vec<()>,
    execution_time: i64,
    timeout: i32,
    #[serde(flatten)]
    capacity: CapacityOut,
    log_group_name: String,
}

/// The members on capacity and version that Job and JobRun share on the wire.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CapacityOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_workers: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glue_version: Option<String>,
}

impl From<JobRun> for JobRunOut {
    fn from(r: JobRun) -> JobRunOut {
        JobRunOut::from(&r)
    }
}

/// Copies only what the wire shows (a run is read under its lock).
impl From<&JobRun> for JobRunOut {
    fn from(r: &JobRun) -> JobRunOut {
        JobRunOut {
            execution_time: r.execution_time_seconds(),
            arguments: r.arguments_as_run(),
            id: r.id.clone(),
            attempt: r.attempt,
            previous_run_id: r.previous_run_id.clone(),
            trigger_name: r.trigger_name.clone(),
            job_name: r.job_name.clone(),
            started_on: r.started_on,
            last_modified_on: r.last_modified_on,
            completed_on: r.completed_on,
            job_run_state: r.state.as_str(),
            error_message: r.error_message.clone(),
            predecessor_runs: Vec::new(),
            timeout: r.timeout,
            capacity: CapacityOut {
                max_capacity: r.max_capacity,
                worker_type: r.worker_type.clone(),
                number_of_workers: r.number_of_workers,
                glue_version: r.glue_version.clone(),
            },
            log_group_name: r.log_group_name.clone(),
        }
    }
}

/// A crawl as a graph node shows it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CrawlOut {
    state: &'static str,
    #[serde(serialize_with = "epoch")]
    started_on: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    completed_on: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    log_group: &'static str,
    log_stream: String,
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

// ---- graphs and runs ------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JobDetails {
    job_runs: Vec<JobRunOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CrawlerDetails {
    crawls: Vec<CrawlOut>,
}

/// What a run adds to one node of its graph.
enum NodeDetails {
    None,
    Job(JobDetails),
    Crawler(CrawlerDetails),
}

/// A graph on the wire. The graph itself is immutable and shared (a run's
/// snapshot is an `Arc`), so its names, ids, trigger definitions and edges are
/// serialized straight from it; only what the run did to each node (its job runs
/// and crawls, copied under the run's lock) is owned here.
pub struct GraphOut {
    graph: Arc<Graph>,
    details: Vec<NodeDetails>,
}

impl GraphOut {
    /// The design graph; with `run`, each job and crawler node carries that run's details.
    pub fn new(graph: &Graph, run: Option<&WorkflowRun>) -> GraphOut {
        GraphOut::shared(Arc::new(graph.clone()), run)
    }

    /// A run's graph (or any shared graph) with the run's details, if given.
    pub fn shared(graph: Arc<Graph>, run: Option<&WorkflowRun>) -> GraphOut {
        let details = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| match run.and_then(|r| r.nodes.get(i)) {
                Some(s) if n.kind == NodeKind::Job && !s.job_runs.is_empty() => NodeDetails::Job(JobDetails {
                    job_runs: s
                        .job_runs
                        .iter()
                        .rev()
                        .map(|r| JobRunOut::from(&*r.lock().unwrap()))
                        .collect(),
                }),
                Some(s) if n.kind == NodeKind::Crawler && !s.crawls.is_empty() => {
                    NodeDetails::Crawler(CrawlerDetails {
                        crawls: s
                            .crawls
                            .iter()
                            .rev()
                            .map(|c| c.lock().unwrap().clone().into())
                            .collect(),
                    })
                }
                _ => NodeDetails::None,
            })
            .collect();
        GraphOut { graph, details }
    }
}

impl Serialize for GraphOut {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let g = &*self.graph;
        let nodes = Seq(|| {
            g.nodes.iter().zip(&self.details).map(|(n, d)| NodeOut {
                kind: n.kind.as_str(),
                name: &n.name,
                unique_id: &n.unique_id,
                trigger_details: n.trigger.as_deref().map(|t| TriggerDetails {
                    trigger: Trigger::from(t),
                }),
                job_details: match d {
                    NodeDetails::Job(j) => Some(j),
                    _ => None,
                },
                crawler_details: match d {
                    NodeDetails::Crawler(c) => Some(c),
                    _ => None,
                },
            })
        });
        let edges = Seq(|| {
            g.edges.iter().map(|(s, d)| EdgeOut {
                source_id: &g.nodes[*s].unique_id,
                destination_id: &g.nodes[*d].unique_id,
            })
        });
        let mut out = serializer.serialize_struct("WorkflowGraph", 2)?;
        out.serialize_field("Nodes", &nodes)?;
        out.serialize_field("Edges", &edges)?;
        out.end()
    }
}

/// Serializes the items a function yields as a JSON array, without collecting them.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct NodeOut<'a> {
    #[serde(rename = "Type")]
    kind: &'static str,
    name: &'a str,
    unique_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_details: Option<TriggerDetails<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_details: Option<&'a JobDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crawler_details: Option<&'a CrawlerDetails>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TriggerDetails<'a> {
    trigger: Trigger<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EdgeOut<'a> {
    source_id: &'a str,
    destination_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StatisticsOut {
    total_actions: i32,
    timeout_actions: i32,
    failed_actions: i32,
    stopped_actions: i32,
    succeeded_actions: i32,
    running_actions: i32,
    errored_actions: i32,
    waiting_actions: i32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WorkflowRunOut {
    name: String,
    workflow_run_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_run_id: Option<String>,
    workflow_run_properties: BTreeMap<String, String>,
    #[serde(serialize_with = "epoch")]
    started_on: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    completed_on: Option<Timestamp>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    statistics: StatisticsOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    graph: Option<GraphOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    starting_event_batch_condition: Option<StartingEventBatchCondition>,
}

/// Which batch condition started a run: the member of the one met is set (AWS: "non-zero").
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartingEventBatchCondition {
    #[serde(skip_serializing_if = "Option::is_none")]
    batch_size: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch_window: Option<i32>,
}

impl From<BatchCondition> for StartingEventBatchCondition {
    fn from(c: BatchCondition) -> Self {
        match c {
            BatchCondition::Size(n) => StartingEventBatchCondition {
                batch_size: Some(n),
                batch_window: None,
            },
            BatchCondition::Window(s) => StartingEventBatchCondition {
                batch_size: None,
                batch_window: Some(s),
            },
        }
    }
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
            graph: include_graph.then(|| GraphOut::shared(r.graph.clone(), Some(r))),
            starting_event_batch_condition: r.starting_event_batch_condition.map(Into::into),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::graph::tests::trigger;
    use crate::engine::trigger::{Logical, TriggerState, TriggerType};
    use serde_json::{json, Value};

    /// The graph's nodes, edges and trigger details, field by field and in order.
    #[test]
    fn graph_serializes_nodes_edges_and_triggers() {
        let mut start = trigger("T1", &[], None, &["A", "crawler:K"]);
        start.trigger_type = TriggerType::Scheduled;
        start.schedule = Some("cron(0 12 * * ? *)".into());
        start.description = Some("starts \"it\"".into());
        start.actions[0].arguments.insert("--day".into(), "mon".into());
        start.actions[0].timeout = Some(30);
        start.actions[0].notify_delay_after = Some(5);
        start.actions[0].security_configuration = Some("sec".into());
        let mut join = trigger("T2", &["A", "crawler:K"], Some(Logical::Any), &["B"]);
        join.state = TriggerState::Deactivated;
        let mut batched = trigger("T3", &["B"], None, &["C"]);
        batched.event_batching = Some((5, Some(900)));
        batched.workflow_name = None;
        let graph = Graph::build("123456789012", "us-east-1", "W", [&start, &join, &batched]);

        let expected = json!({
            "Nodes": graph.nodes.iter().map(|n| {
                let mut node = json!({"Type": n.kind.as_str(), "Name": n.name, "UniqueId": n.unique_id});
                if let Some(t) = &n.trigger {
                    node["TriggerDetails"] = json!({"Trigger": serde_json::to_value(Trigger::from(&**t)).unwrap()});
                }
                node
            }).collect::<Vec<Value>>(),
            "Edges": graph.edges.iter().map(|(s, d)| json!({
                "SourceId": graph.nodes[*s].unique_id, "DestinationId": graph.nodes[*d].unique_id
            })).collect::<Vec<Value>>(),
        });
        let got = serde_json::to_value(GraphOut::new(&graph, None)).unwrap();
        assert_eq!(got, expected);
        // The trigger shape itself, field by field and in order.
        let text = serde_json::to_string(&GraphOut::new(&graph, None)).unwrap();
        let expected_triggers = [
            r#"{"Name":"T1","WorkflowName":"W","Id":"T1","Type":"SCHEDULED","State":"ACTIVATED","Description":"starts \"it\"","Schedule":"cron(0 12 * * ? *)","Actions":[{"JobName":"A","Arguments":{"--day":"mon"},"Timeout":30,"SecurityConfiguration":"sec","NotificationProperty":{"NotifyDelayAfter":5}},{"CrawlerName":"K"}]}"#,
            r#"{"Name":"T2","WorkflowName":"W","Id":"T2","Type":"CONDITIONAL","State":"DEACTIVATED","Actions":[{"JobName":"B"}],"Predicate":{"Logical":"ANY","Conditions":[{"LogicalOperator":"EQUALS","JobName":"A","State":"SUCCEEDED"},{"LogicalOperator":"EQUALS","CrawlerName":"K","CrawlState":"SUCCEEDED"}]}}"#,
            r#"{"Name":"T3","Id":"T3","Type":"CONDITIONAL","State":"ACTIVATED","Actions":[{"JobName":"C"}],"Predicate":{"Conditions":[{"LogicalOperator":"EQUALS","JobName":"B","State":"SUCCEEDED"}]},"EventBatchingCondition":{"BatchSize":5,"BatchWindow":900}}"#,
        ];
        for t in expected_triggers {
            assert!(text.contains(t), "{t} not in {text}");
        }
    }
}
