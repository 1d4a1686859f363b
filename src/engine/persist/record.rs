//! The records of the journal and of snapshots: [`Record`] as read, [`RecordRef`]
//! as written (borrowed), and the run step and scoped change they carry.

use super::Change;
use crate::engine::bookmark::BookmarkEntry;
use crate::engine::catalog::CatalogChange;
use crate::engine::clock::Timestamp;
use crate::engine::crawler::Crawler;
use crate::engine::events::rules::Rule;
use crate::engine::graph::Graph;
use crate::engine::job::{Job, JobRun};
use crate::engine::region::Definitions;
use crate::engine::run::{NodeState, RunStatus, WorkflowRun};
use crate::engine::trigger::Trigger;
use crate::engine::workflow::Workflow;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(tag = "kind")]
pub(super) enum Record {
    /// The first record of a snapshot, `{"kind":"Format","version":2}` (snapshots
    /// without it are format 1); read by [`super::snapshot`]'s `snapshot_version`.
    Format,
    /// A region's whole definitions: what snapshots hold, and every definitions
    /// change of a format-1 journal.
    Definitions {
        account: String,
        region: String,
        definitions: Definitions,
    },
    /// A workflow run with its graph embedded (written up to format 2's first releases).
    Run {
        account: String,
        region: String,
        run: WorkflowRun,
    },
    /// A run graph, written once per content before the run records that name it.
    Graph {
        id: String,
        graph: Arc<Graph>,
    },
    /// A workflow run's own state; `graph` names its `Graph` record.
    RunState {
        account: String,
        region: String,
        graph: String,
        run: WorkflowRun,
    },
    /// What changed in a run since its last record.
    RunStep {
        account: String,
        region: String,
        #[serde(flatten)]
        step: RunStep,
    },
    JobRun {
        account: String,
        region: String,
        run: JobRun,
    },
    Reset,
    // The changes of format 2, as `Change` writes them (with the region's names).
    PutWorkflow {
        account: String,
        region: String,
        workflow: Workflow,
    },
    DeleteWorkflow {
        account: String,
        region: String,
        name: String,
    },
    PutJob {
        account: String,
        region: String,
        job: Job,
    },
    DeleteJob {
        account: String,
        region: String,
        name: String,
    },
    PutTrigger {
        account: String,
        region: String,
        trigger: Trigger,
    },
    DeleteTrigger {
        account: String,
        region: String,
        name: String,
    },
    PutCrawler {
        account: String,
        region: String,
        crawler: Crawler,
    },
    DeleteCrawler {
        account: String,
        region: String,
        name: String,
    },
    /// A change to a region's Data Catalog (one database, table or table version).
    Catalog {
        account: String,
        region: String,
        change: CatalogChange,
    },
    CommitJobBookmark {
        account: String,
        region: String,
        job: String,
        entry: BookmarkEntry,
    },
    ResetJobBookmark {
        account: String,
        region: String,
        job: String,
        run_id: Option<String>,
    },
    PutRule {
        account: String,
        region: String,
        rule: Rule,
    },
    DeleteRule {
        account: String,
        region: String,
        name: String,
    },
}

impl Record {
    /// A change record as the region it belongs to and the change.
    pub(super) fn into_change(self) -> Option<((String, String), Change)> {
        Some(match self {
            Record::PutWorkflow {
                account,
                region,
                workflow,
            } => ((account, region), Change::PutWorkflow { workflow }),
            Record::DeleteWorkflow { account, region, name } => ((account, region), Change::DeleteWorkflow { name }),
            Record::PutJob { account, region, job } => ((account, region), Change::PutJob { job }),
            Record::DeleteJob { account, region, name } => ((account, region), Change::DeleteJob { name }),
            Record::PutTrigger {
                account,
                region,
                trigger,
            } => ((account, region), Change::PutTrigger { trigger }),
            Record::DeleteTrigger { account, region, name } => ((account, region), Change::DeleteTrigger { name }),
            Record::PutCrawler {
                account,
                region,
                crawler,
            } => ((account, region), Change::PutCrawler { crawler }),
            Record::DeleteCrawler { account, region, name } => ((account, region), Change::DeleteCrawler { name }),
            Record::CommitJobBookmark {
                account,
                region,
                job,
                entry,
            } => ((account, region), Change::CommitJobBookmark { job, entry }),
            Record::ResetJobBookmark {
                account,
                region,
                job,
                run_id,
            } => ((account, region), Change::ResetJobBookmark { job, run_id }),
            Record::PutRule { account, region, rule } => ((account, region), Change::PutRule { rule }),
            Record::DeleteRule { account, region, name } => ((account, region), Change::DeleteRule { name }),
            _ => return None,
        })
    }
}

/// The same records, borrowed, for writing.
#[derive(Serialize)]
#[serde(tag = "kind")]
pub(super) enum RecordRef<'a> {
    Format {
        version: u32,
    },
    Definitions {
        account: &'a str,
        region: &'a str,
        definitions: &'a Definitions,
    },
    Graph {
        id: &'a str,
        graph: &'a Graph,
    },
    RunState {
        account: &'a str,
        region: &'a str,
        graph: &'a str,
        run: &'a WorkflowRun,
    },
    RunStep {
        account: &'a str,
        region: &'a str,
        #[serde(flatten)]
        step: RunStepRef<'a>,
    },
    JobRun {
        account: &'a str,
        region: &'a str,
        run: &'a JobRun,
    },
    Catalog {
        account: &'a str,
        region: &'a str,
        change: &'a CatalogChange,
    },
    Reset,
}

/// A run's status, and the properties and nodes that changed (by index).
#[derive(Deserialize)]
pub(super) struct RunStep {
    pub(super) id: String,
    status: RunStatus,
    completed_on: Option<Timestamp>,
    error_message: Option<String>,
    properties: Option<crate::engine::workflow::Properties>,
    nodes: Vec<(usize, NodeState)>,
}

#[derive(Serialize)]
pub(super) struct RunStepRef<'a> {
    pub(super) id: &'a str,
    pub(super) status: RunStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) completed_on: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) error_message: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) properties: Option<&'a crate::engine::workflow::Properties>,
    pub(super) nodes: Vec<(usize, &'a NodeState)>,
}

impl RunStep {
    pub(super) fn apply(self, run: &mut WorkflowRun) -> Result<(), String> {
        run.status = self.status;
        run.completed_on = self.completed_on;
        run.error_message = self.error_message;
        if let Some(properties) = self.properties {
            run.properties = properties;
        }
        for (i, node) in self.nodes {
            let len = run.nodes.len();
            *run.nodes
                .get_mut(i)
                .ok_or_else(|| format!("workflow run {} has {len} nodes, a step changes node {i}", run.id))? = node;
        }
        Ok(())
    }
}

#[derive(Serialize)]
pub(super) struct ScopedRef<'a> {
    pub(super) account: &'a str,
    pub(super) region: &'a str,
    #[serde(flatten)]
    pub(super) change: &'a Change,
}
