//! What a region's definitions change by: the journaled [`Change`], and
//! [`Definitions::apply`], which makes it (live, and on replay).

use crate::engine::bookmark::BookmarkEntry;
use crate::engine::crawler::Crawler;
use crate::engine::events::rules::Rule;
use crate::engine::job::Job;
use crate::engine::region::Definitions;
use crate::engine::trigger::Trigger;
use crate::engine::workflow::Workflow;
use serde::Serialize;

/// A change to a region's definitions: the record journaled for it, and what
/// replaying it (or making it) does.
#[derive(Debug, Serialize)]
#[serde(tag = "kind")]
pub(crate) enum Change {
    PutWorkflow {
        workflow: Workflow,
    },
    /// Deletes the workflow's triggers and runs too.
    DeleteWorkflow {
        name: String,
    },
    PutJob {
        job: Job,
    },
    DeleteJob {
        name: String,
    },
    PutTrigger {
        trigger: Trigger,
    },
    DeleteTrigger {
        name: String,
    },
    PutCrawler {
        crawler: Crawler,
    },
    DeleteCrawler {
        name: String,
    },
    /// Makes the entry the job's current bookmark (see [`crate::engine::bookmark::JobBookmark::commit`]).
    CommitJobBookmark {
        job: String,
        entry: BookmarkEntry,
    },
    /// Forgets the job's bookmark, or (with a run) rewinds it to the entry that run committed.
    ResetJobBookmark {
        job: String,
        run_id: Option<String>,
    },
    PutRule {
        rule: Rule,
    },
    DeleteRule {
        name: String,
    },
}

impl Definitions {
    pub(crate) fn apply(&mut self, change: Change) {
        match change {
            Change::PutWorkflow { workflow } => {
                self.workflows.insert(workflow.name.clone(), workflow);
            }
            Change::DeleteWorkflow { name } => {
                self.workflows.remove(&name);
                self.triggers
                    .retain(|_, t| t.workflow_name.as_deref() != Some(name.as_str()));
            }
            Change::PutJob { job } => {
                self.jobs.insert(job.name.clone(), job);
            }
            Change::DeleteJob { name } => {
                self.jobs.remove(&name);
                self.bookmarks.remove(&name);
            }
            Change::PutTrigger { trigger } => {
                self.triggers.insert(trigger.name.clone(), trigger);
            }
            Change::DeleteTrigger { name } => {
                self.triggers.remove(&name);
            }
            Change::PutCrawler { crawler } => {
                self.crawlers.insert(crawler.name.clone(), crawler);
            }
            Change::DeleteCrawler { name } => {
                self.crawlers.remove(&name);
            }
            Change::CommitJobBookmark { job, entry } => self.bookmarks.entry(job).or_default().commit(entry),
            Change::ResetJobBookmark { job, run_id: None } => {
                self.bookmarks.remove(&job);
            }
            Change::ResetJobBookmark { job, run_id: Some(run) } => {
                if let Some(bookmark) = self.bookmarks.get_mut(&job) {
                    bookmark.rewind(&run);
                }
            }
            Change::PutRule { rule } => {
                self.rules.insert(rule.name.clone(), rule);
            }
            Change::DeleteRule { name } => {
                self.rules.remove(&name);
            }
        }
    }
}
