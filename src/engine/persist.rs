//! Durable state, opt-in with `--state-dir`: every change is appended to a
//! write-ahead journal before the request that caused it is answered — the
//! resource that changed (a workflow, job, trigger or crawler put or deleted), or
//! the new state of a workflow run or a job run outside workflows. A run's graph is
//! journaled once per content, before the first run record that names it. A change
//! that cannot be appended is not made and its request fails; a change nobody waits
//! for (a job run ending) is kept in memory and saved by the next snapshot. A
//! snapshot compacts the journal now and then. Start-up replays snapshot + journal;
//! the last record of each thing wins. Runs that were going when the process died
//! come back finished, their running nodes marked ERROR, so that they can be resumed.
//!
//! One process owns a state folder: it holds an exclusive lock on `lock` in it.

use super::bookmark::BookmarkEntry;
use super::catalog::{Catalog, CatalogChange};
use super::clock::Timestamp;
use super::crawler::{Crawler, CrawlerState};
use super::events::rules::Rule;
use super::graph::Graph;
use super::job::{Job, JobRun, JobRunState};
use super::journal::{self, Journal, ReadError};
use super::region::{Definitions, Region};
use super::run::{NodeState, RunCell, RunStatus, SharedJobRun, WorkflowRun};
use super::settings::Settings;
use super::trigger::{CrawlState, Trigger};
use super::workflow::Workflow;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Journal size past which a snapshot is taken.
const COMPACT_AFTER_BYTES: u64 = 64 * 1024 * 1024;
const INTERRUPTED: &str = "glue-local stopped while this was in progress";

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
    /// Makes the entry the job's current bookmark (see [`super::bookmark::JobBookmark::commit`]).
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

#[derive(Deserialize)]
#[serde(tag = "kind")]
enum Record {
    /// The first record of a snapshot, `{"kind":"Format","version":2}` (snapshots
    /// without it are format 1); read by [`snapshot_version`].
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
    fn into_change(self) -> Option<((String, String), Change)> {
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
enum RecordRef<'a> {
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
struct RunStep {
    id: String,
    status: RunStatus,
    completed_on: Option<Timestamp>,
    error_message: Option<String>,
    properties: Option<super::workflow::Properties>,
    nodes: Vec<(usize, NodeState)>,
}

#[derive(Serialize)]
struct RunStepRef<'a> {
    id: &'a str,
    status: RunStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    completed_on: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<&'a super::workflow::Properties>,
    nodes: Vec<(usize, &'a NodeState)>,
}

impl RunStep {
    fn apply(self, run: &mut WorkflowRun) -> Result<(), String> {
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
struct ScopedRef<'a> {
    account: &'a str,
    region: &'a str,
    #[serde(flatten)]
    change: &'a Change,
}

/// The state folder: `snapshot.json`, `journal`, the `journal.old…` of a compaction
/// in progress (or one that failed), and `lock`.
pub struct Store {
    dir: PathBuf,
    journal: Journal,
    /// Held by appends, and by a reset while it detaches every region; holds the
    /// ids of the graphs that the current journal has.
    appending: Mutex<HashSet<String>>,
    /// Set when a change nobody waited for could not be appended: the next
    /// compaction saves it (and everything else) in a snapshot.
    dirty: AtomicBool,
    compacting: Mutex<()>,
    /// The exclusive lock on the folder, held while the process lives.
    _lock: File,
}

impl Store {
    fn snapshot_path(dir: &Path) -> PathBuf {
        dir.join("snapshot.json")
    }

    fn journal_path(dir: &Path) -> PathBuf {
        dir.join("journal")
    }

    /// Journals rotated away by compactions that have not finished, oldest first:
    /// `journal.old`, then `journal.old.2`, `journal.old.3`, ...
    fn old_journal_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
        Ok(Self::old_journals(dir)?.into_iter().map(|(_, p)| p).collect())
    }

    fn old_journals(dir: &Path) -> Result<Vec<(u64, PathBuf)>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let mut old: Vec<(u64, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let n = match name.strip_prefix("journal.old") {
                Some("") => 1,
                Some(n) => match n.strip_prefix('.').and_then(|n| n.parse().ok()) {
                    Some(n) => n,
                    None => continue,
                },
                None => continue,
            };
            old.push((n, entry.path()));
        }
        old.sort();
        Ok(old)
    }

    fn next_old_journal_path(dir: &Path) -> Result<PathBuf, String> {
        Ok(match Self::old_journals(dir)?.last() {
            None => dir.join("journal.old"),
            Some((n, _)) => dir.join(format!("journal.old.{}", n + 1)),
        })
    }

    /// Appends a record unless it comes from a region that a reset detached, after
    /// the graph it names unless the journal has that already.
    fn append(&self, detached: &AtomicBool, graph: Option<&Graph>, record: &impl Serialize) -> Result<(), String> {
        let encode = |e: serde_json::Error| format!("cannot encode the change: {e}");
        let bytes = serde_json::to_vec(record).map_err(encode)?;
        let mut graphs = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        if detached.load(Ordering::Acquire) {
            return Ok(());
        }
        if let Some(graph) = graph {
            let id = graph.content_id();
            if !graphs.contains(id) {
                let record = serde_json::to_vec(&RecordRef::Graph { id, graph }).map_err(encode)?;
                self.journal.append(&record)?;
                graphs.insert(id.to_string());
            }
        }
        self.journal.append(&bytes)
    }

    /// Appends a record of a change that nobody waits for, which is kept even
    /// when it cannot be appended (the next snapshot saves it).
    fn append_in_background(&self, detached: &AtomicBool, graph: Option<&Graph>, record: &impl Serialize) {
        if let Err(e) = self.append(detached, graph, record) {
            tracing::error!("a change is kept in memory only until the next snapshot: {e}");
            self.dirty.store(true, Ordering::Release);
        }
    }

    /// Journals a reset, then (still before any other append) lets `detach` detach
    /// every region, whose later changes are no longer journaled.
    pub(crate) fn reset(&self, detach: impl FnOnce()) -> Result<(), String> {
        let bytes = serde_json::to_vec(&RecordRef::Reset).map_err(|e| e.to_string())?;
        let _appending = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        self.journal.append(&bytes)?;
        detach();
        Ok(())
    }

    /// Continues in a fresh journal (see [`Journal::rotate`]), which has no graphs yet.
    fn rotate(&self, old: &Path) -> Result<(), String> {
        let mut graphs = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        self.journal.rotate(old)?;
        graphs.clear();
        Ok(())
    }

    pub(crate) fn needs_compaction(&self) -> bool {
        self.journal.len() > COMPACT_AFTER_BYTES || self.dirty.load(Ordering::Acquire)
    }
}

fn not_saved(e: String) -> super::Error {
    tracing::error!("a change was refused because it could not be saved: {e}");
    super::Error::Internal(format!("The change could not be saved: {e}"))
}

impl Region {
    /// Journals a change to the definitions (with a state dir); an error when it cannot be.
    pub(crate) fn journal_change(&self, change: &Change) -> super::Result<()> {
        match &self.store {
            Some(store) => store
                .append(&self.detached, None, &self.scoped(change))
                .map_err(not_saved),
            None => Ok(()),
        }
    }

    pub(crate) fn journal_change_in_background(&self, change: &Change) {
        if let Some(store) = &self.store {
            store.append_in_background(&self.detached, None, &self.scoped(change));
        }
    }

    /// Journals a change to the catalog (with a state dir); an error when it cannot be.
    pub(crate) fn journal_catalog_change(&self, change: &CatalogChange) -> super::Result<()> {
        match &self.store {
            Some(store) => store
                .append(&self.detached, None, &self.catalog_record(change))
                .map_err(not_saved),
            None => Ok(()),
        }
    }

    fn catalog_record<'a>(&'a self, change: &'a CatalogChange) -> RecordRef<'a> {
        RecordRef::Catalog {
            account: &self.account,
            region: &self.name,
            change,
        }
    }

    fn scoped<'a>(&'a self, change: &'a Change) -> ScopedRef<'a> {
        ScopedRef {
            account: &self.account,
            region: &self.name,
            change,
        }
    }

    /// A run cell whose changes are journaled, when there is a state dir.
    pub(crate) fn new_run_cell(&self, run: WorkflowRun) -> Arc<RunCell> {
        let journal = self.store.as_ref().map(|store| RunJournal {
            store: store.clone(),
            account: self.account.clone(),
            region: self.name.clone(),
            detached: self.detached.clone(),
            journaled: Mutex::default(),
        });
        RunCell::new(run, journal)
    }

    /// Journals a job run outside workflows (those of workflows are part of their run).
    pub(crate) fn journal_job_run(&self, run: &JobRun) -> super::Result<()> {
        match (&self.store, &run.workflow_run) {
            (Some(store), None) => store
                .append(&self.detached, None, &self.job_run_record(run))
                .map_err(not_saved),
            _ => Ok(()),
        }
    }

    pub(crate) fn journal_job_run_in_background(&self, run: &JobRun) {
        if let (Some(store), None) = (&self.store, &run.workflow_run) {
            store.append_in_background(&self.detached, None, &self.job_run_record(run));
        }
    }

    fn job_run_record<'a>(&'a self, run: &'a JobRun) -> RecordRef<'a> {
        RecordRef::JobRun {
            account: &self.account,
            region: &self.name,
            run,
        }
    }

    /// This region's records, for a snapshot, with the graphs that `graphs` (those
    /// the snapshot has already) lacks.
    fn snapshot_records(&self, out: &mut dyn Write, graphs: &mut HashSet<String>) -> Result<(), String> {
        let mut push = |r: &RecordRef| -> Result<(), String> {
            serde_json::to_writer(&mut *out, r).map_err(|e| e.to_string())?;
            out.write_all(b"\n").map_err(|e| e.to_string())
        };
        push(&RecordRef::Definitions {
            account: &self.account,
            region: &self.name,
            definitions: &self.read(),
        })?;
        for change in self.catalog().snapshot() {
            push(&self.catalog_record(&change))?;
        }
        let lists = self.runs.all();
        for list in lists {
            let runs = list.list.lock().unwrap().clone();
            for cell in runs {
                let run = cell.lock();
                let id = run.graph.content_id();
                if !graphs.contains(id) {
                    push(&RecordRef::Graph { id, graph: &run.graph })?;
                    graphs.insert(id.to_string());
                }
                push(&RecordRef::RunState {
                    account: &self.account,
                    region: &self.name,
                    graph: id,
                    run: &run,
                })?;
            }
        }
        let standalone = self.job_runs.all();
        for run in standalone {
            let run = run.lock().unwrap();
            if run.workflow_run.is_none() {
                push(&RecordRef::JobRun {
                    account: &self.account,
                    region: &self.name,
                    run: &run,
                })?;
            }
        }
        Ok(())
    }
}

/// Where a run's changes go: its first record holds the whole run, the next ones
/// what changed.
pub(crate) struct RunJournal {
    store: Arc<Store>,
    account: String,
    region: String,
    detached: Arc<AtomicBool>,
    /// Hashes of the run's properties and of each node as last journaled; empty
    /// until the first record.
    journaled: Mutex<Vec<u64>>,
}

fn hash_of(value: &impl Serialize) -> Result<u64, String> {
    use std::hash::{Hash, Hasher};
    let bytes = serde_json::to_vec(value).map_err(|e| format!("cannot encode the change: {e}"))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Ok(hasher.finish())
}

impl RunJournal {
    /// Appends the run's record (the run is locked meanwhile, so records of one run
    /// are appended in order).
    fn append(&self, run: &WorkflowRun) -> Result<(), String> {
        let mut journaled = self.journaled.lock().unwrap_or_else(|e| e.into_inner());
        let mut hashes = Vec::with_capacity(run.nodes.len() + 1);
        hashes.push(hash_of(&run.properties)?);
        for node in &run.nodes {
            hashes.push(hash_of(node)?);
        }
        let changed = |part: usize| journaled.get(part) != Some(&hashes[part]);
        let record = if journaled.is_empty() {
            RecordRef::RunState {
                account: &self.account,
                region: &self.region,
                graph: run.graph.content_id(),
                run,
            }
        } else {
            RecordRef::RunStep {
                account: &self.account,
                region: &self.region,
                step: RunStepRef {
                    id: &run.id,
                    status: run.status,
                    completed_on: run.completed_on,
                    error_message: run.error_message.as_ref(),
                    properties: changed(0).then_some(&run.properties),
                    nodes: run.nodes.iter().enumerate().filter(|(i, _)| changed(i + 1)).collect(),
                },
            }
        };
        self.store.append(&self.detached, Some(&run.graph), &record)?;
        *journaled = hashes;
        Ok(())
    }

    pub(crate) fn save(&self, run: &WorkflowRun) -> super::Result<()> {
        self.append(run).map_err(not_saved)
    }

    pub(crate) fn save_in_background(&self, run: &WorkflowRun) {
        if let Err(e) = self.append(run) {
            tracing::error!("a change is kept in memory only until the next snapshot: {e}");
            self.store.dirty.store(true, Ordering::Release);
        }
    }
}

/// What the records say about one region, before it is rebuilt.
#[derive(Default)]
struct Staged {
    definitions: Definitions,
    catalog: Catalog,
    runs: Vec<String>,
    run_states: HashMap<String, WorkflowRun>,
    job_runs: BTreeMap<String, JobRun>,
}

/// What the records read so far say, region by region.
#[derive(Default)]
struct Replayer {
    regions: BTreeMap<(String, String), Staged>,
    /// Run graphs by content id (of every file read: a reset does not drop them).
    graphs: HashMap<String, Arc<Graph>>,
}

impl Replayer {
    fn stage(&mut self, record: Record) -> Result<(), String> {
        let into = &mut self.regions;
        match record {
            Record::Format => {}
            Record::Reset => into.clear(),
            Record::Definitions {
                account,
                region,
                definitions,
            } => {
                into.entry((account, region)).or_default().definitions = definitions;
            }
            Record::Graph { id, graph } => {
                self.graphs.insert(id, graph);
            }
            Record::RunState {
                account,
                region,
                graph,
                mut run,
            } => {
                run.graph = self
                    .graphs
                    .get(&graph)
                    .ok_or_else(|| {
                        format!(
                            "workflow run {} names graph {graph}, which no record before it holds",
                            run.id
                        )
                    })?
                    .clone();
                into.entry((account, region)).or_default().stage_run(run);
            }
            Record::Run { account, region, run } => into.entry((account, region)).or_default().stage_run(run),
            Record::RunStep { account, region, step } => {
                // A run of a deleted workflow may still have told a last step.
                if let Some(run) = into
                    .get_mut(&(account, region))
                    .and_then(|staged| staged.run_states.get_mut(&step.id))
                {
                    step.apply(run)?;
                }
            }
            Record::Catalog {
                account,
                region,
                change,
            } => into.entry((account, region)).or_default().catalog.apply(change),
            Record::JobRun { account, region, run } => {
                into.entry((account, region))
                    .or_default()
                    .job_runs
                    .insert(run.id.clone(), run);
            }
            change => {
                if let Some((key, change)) = change.into_change() {
                    let staged = into.entry(key).or_default();
                    if let Change::DeleteWorkflow { name } = &change {
                        staged.run_states.retain(|_, r| &r.workflow_name != name);
                    }
                    staged.definitions.apply(change);
                }
            }
        }
        Ok(())
    }
}

impl Staged {
    fn stage_run(&mut self, run: WorkflowRun) {
        if !self.run_states.contains_key(&run.id) {
            self.runs.push(run.id.clone());
        }
        self.run_states.insert(run.id.clone(), run);
    }
}

/// The format version of a snapshot: its first record says, else it is format 1.
fn snapshot_version(text: &[u8]) -> u32 {
    #[derive(Deserialize)]
    struct First {
        kind: String,
        version: Option<u32>,
    }
    let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
    match serde_json::from_slice::<First>(first) {
        Ok(First { kind, version: Some(v) }) if kind == "Format" => v,
        _ => 1,
    }
}

/// Hands the records of a snapshot to `each`, line by line.
fn read_snapshot(
    mut text: impl BufRead,
    source: &Path,
    mut each: impl FnMut(Record) -> Result<(), String>,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("cannot read {}: {e}", source.display());
    let mut line = Vec::new();
    let mut number = 0;
    while text.read_until(b'\n', &mut line).map_err(io)? > 0 {
        number += 1;
        if number == 1 {
            let version = snapshot_version(&line);
            if version > journal::VERSION {
                return Err(format!(
                    "{} was written by a newer glue-local (snapshot format {version}; this one reads formats up to {}): \
                     upgrade glue-local or use another --state-dir",
                    source.display(),
                    journal::VERSION
                ));
            }
        }
        let record = line.strip_suffix(b"\n").unwrap_or(&line);
        if !record.is_empty() {
            let record =
                serde_json::from_slice(record).map_err(|e| format!("{} line {number}: {e}", source.display()))?;
            each(record).map_err(|e| format!("{} line {number}: {e}", source.display()))?;
        }
        line.clear();
    }
    Ok(())
}

/// Copies a journal before anything rewrites it, so that damage can be looked at.
fn keep_copy(path: &Path) -> Result<PathBuf, String> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("journal");
    let copy = path.with_file_name(format!("{name}.damaged-{stamp}"));
    std::fs::copy(path, &copy).map_err(|e| format!("cannot copy {} to {}: {e}", path.display(), copy.display()))?;
    Ok(copy)
}

/// Stages the records of one journal, read record by record, and says the length
/// of its whole records. A damaged journal stops start-up (a copy is kept); a torn
/// tail is dropped after a copy is kept.
fn replay_journal(path: &Path, replayer: &mut Replayer) -> Result<u64, String> {
    let mut number = 0;
    let scan = journal::read_each(path, |bytes| {
        number += 1;
        let record = serde_json::from_slice(bytes).map_err(|e| format!("record {number}: {e}"))?;
        replayer.stage(record).map_err(|e| format!("record {number}: {e}"))
    });
    let scan = match scan {
        Ok(s) => s,
        Err(ReadError::Damaged(why)) => {
            let kept = match keep_copy(path) {
                Ok(copy) => format!("a copy is in {}", copy.display()),
                Err(e) => e,
            };
            return Err(format!(
                "{why}; glue-local did not start and changed nothing ({kept}). \
                 Move the journal away to start from the snapshot alone, or use another --state-dir"
            ));
        }
        Err(ReadError::Unreadable(why)) => return Err(why),
    };
    if let Some(why) = &scan.torn_tail {
        match keep_copy(path) {
            Ok(copy) => tracing::warn!(
                "{}: {why} (the journal as it was is in {})",
                path.display(),
                copy.display()
            ),
            Err(e) => return Err(format!("{}: {why}, and {e}", path.display())),
        }
    }
    Ok(scan.valid_len)
}

/// Takes the folder's lock, or says which process has it.
fn lock(dir: &Path) -> Result<File, String> {
    let path = dir.join("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "the state dir {} is in use by another glue-local (it holds the lock on {}); \
             stop that one or give this one another --state-dir",
            dir.display(),
            path.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// Marks what was in progress when the process stopped as ended.
fn settle_job_run(run: &mut JobRun, now: Timestamp) {
    if !run.state.is_finished() {
        run.state = JobRunState::Error;
        run.error_message = Some(format!("{INTERRUPTED}; the job run did not finish"));
        run.completed_on = Some(now);
        run.last_modified_on = now;
    }
}

fn rebuild(key: (String, String), staged: Staged, settings: &Arc<Settings>, store: &Arc<Store>) -> Region {
    let now = Timestamp::now();
    let region = Region::new(&key.0, &key.1, settings.clone(), Some(store.clone()));
    let mut definitions = staged.definitions;
    for crawler in definitions.crawlers.values_mut() {
        crawler.state = CrawlerState::Ready;
        for crawl in &crawler.crawls {
            let mut c = crawl.lock().unwrap();
            if !c.state.is_finished() {
                c.state = CrawlState::Failed;
                c.error_message = Some(format!("{INTERRUPTED}; the crawl did not finish"));
                c.completed_on = Some(now);
            }
        }
    }
    // One shared job run per id, whether a run's node or the job's history holds it.
    let mut shared: HashMap<String, SharedJobRun> = HashMap::new();
    let mut canonical = |run: JobRun| -> SharedJobRun {
        shared
            .entry(run.id.clone())
            .or_insert_with(|| Arc::new(Mutex::new(run)))
            .clone()
    };
    for mut run in staged.job_runs.into_values() {
        settle_job_run(&mut run, now);
        canonical(run);
    }
    let mut run_states = staged.run_states;
    // Runs started between two changes of their workflow share one graph in memory;
    // records of format 2 hold a copy each, so equal graphs of consecutive runs are shared again.
    let mut last_graph: HashMap<String, Arc<Graph>> = HashMap::new();
    for id in staged.runs {
        let Some(mut run) = run_states
            .remove(&id)
            .filter(|r| definitions.workflows.contains_key(&r.workflow_name))
        else {
            continue; // its workflow was deleted while it ran
        };
        match last_graph.get(&run.workflow_name) {
            Some(g) if Arc::ptr_eq(g, &run.graph) || **g == *run.graph => run.graph = g.clone(),
            _ => {
                last_graph.insert(run.workflow_name.clone(), run.graph.clone());
            }
        }
        for node in &mut run.nodes {
            node.job_runs = node
                .job_runs
                .iter()
                .map(|j| {
                    let mut j = j.lock().unwrap().clone();
                    settle_job_run(&mut j, now);
                    canonical(j)
                })
                .collect();
            for crawl in &node.crawls {
                let mut c = crawl.lock().unwrap();
                if !c.state.is_finished() {
                    c.state = CrawlState::Failed;
                    c.error_message = Some(format!("{INTERRUPTED}; the crawl did not finish"));
                    c.completed_on = Some(now);
                }
            }
        }
        if run.status.is_active() {
            run.status = if run.status == RunStatus::Stopping {
                RunStatus::Stopped
            } else {
                RunStatus::Completed
            };
            run.completed_on = Some(now);
            run.error_message.get_or_insert_with(|| INTERRUPTED.to_string());
        }
        let cell = region.new_run_cell(run);
        region.runs.add(cell);
    }
    let mut by_job: BTreeMap<String, Vec<SharedJobRun>> = BTreeMap::new();
    for run in shared.values() {
        let job = run.lock().unwrap().job_name.clone();
        by_job.entry(job).or_default().push(run.clone());
    }
    for (job, mut runs) in by_job {
        runs.sort_by_key(|r| {
            let r = r.lock().unwrap();
            (r.started_on, r.id.clone())
        });
        region.job_runs.restore(job, runs);
    }
    region.replace_definitions(definitions);
    region.replace_catalog(staged.catalog);
    region
}

/// Opens (or creates) the state folder and rebuilds every region from it.
pub fn open(dir: &Path, settings: &Arc<Settings>) -> Result<(Arc<Store>, Vec<Region>), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create state dir {}: {e}", dir.display()))?;
    let lock = lock(dir)?;
    let mut replayer = Replayer::default();
    let snapshot = Store::snapshot_path(dir);
    match File::open(&snapshot) {
        Ok(file) => read_snapshot(BufReader::with_capacity(1 << 20, file), &snapshot, |r| {
            replayer.stage(r)
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", snapshot.display())),
    }
    let journal_path = Store::journal_path(dir);
    let old = Store::old_journal_paths(dir)?;
    for path in &old {
        replay_journal(path, &mut replayer)?;
    }
    let valid = replay_journal(&journal_path, &mut replayer)?;
    drop(replayer.graphs);
    let store = Arc::new(Store {
        dir: dir.to_path_buf(),
        journal: Journal::open(&journal_path, valid)?,
        appending: Mutex::default(),
        dirty: AtomicBool::new(false),
        compacting: Mutex::new(()),
        _lock: lock,
    });
    let regions: Vec<Region> = replayer
        .regions
        .into_iter()
        .map(|(key, s)| rebuild(key, s, settings, &store))
        .collect();
    // Start from a snapshot of what was rebuilt, so the settled runs are what is on disk.
    write_snapshot(&store, regions.iter())?;
    store.journal.truncate()?;
    for path in old {
        let _ = std::fs::remove_file(path);
    }
    Ok((store, regions))
}

fn write_snapshot<'r>(store: &Store, regions: impl Iterator<Item = &'r Region>) -> Result<(), String> {
    journal::write_atomically_with(&Store::snapshot_path(&store.dir), |out| {
        serde_json::to_writer(
            &mut *out,
            &RecordRef::Format {
                version: journal::VERSION,
            },
        )
        .map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
        let mut graphs = HashSet::new();
        for region in regions {
            region.snapshot_records(out, &mut graphs)?;
        }
        Ok(())
    })
}

/// Folds the journal into a new snapshot: rotate, snapshot, drop the old journal(s).
/// Records appended meanwhile go to the new journal and win on replay. When the
/// snapshot cannot be written (a full disk), the rotated journal stays and is
/// replayed before the current one; the next compaction tries again.
pub fn compact(store: &Store, regions: &[Arc<Region>]) -> Result<(), String> {
    let _only_one = store.compacting.lock().unwrap_or_else(|e| e.into_inner());
    let was_dirty = store.dirty.swap(false, Ordering::AcqRel);
    let result = (|| {
        let old = Store::next_old_journal_path(&store.dir)?;
        store.rotate(&old)?;
        write_snapshot(store, regions.iter().map(|r| r.as_ref()))?;
        for path in Store::old_journal_paths(&store.dir)? {
            std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
        Ok(())
    })();
    if result.is_err() && was_dirty {
        store.dirty.store(true, Ordering::Release);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::job::JobSpec;
    use crate::engine::workflow::WorkflowSpec;
    use crate::engine::Engine;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("glue-local-persist-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn change_records_read_back_as_written() {
        let region = Region::new("1", "r", Arc::default(), None);
        region
            .create_workflow("W", WorkflowSpec::default(), Default::default())
            .unwrap();
        region.create_job("J", JobSpec::default(), Default::default()).unwrap();
        let defs = region.read();
        let changes = [
            Change::PutWorkflow {
                workflow: defs.workflows["W"].clone(),
            },
            Change::DeleteWorkflow { name: "W".into() },
            Change::PutJob {
                job: defs.jobs["J"].clone(),
            },
            Change::DeleteJob { name: "J".into() },
            Change::DeleteTrigger { name: "T".into() },
            Change::DeleteCrawler { name: "C".into() },
            Change::CommitJobBookmark {
                job: "J".into(),
                entry: crate::engine::bookmark::JobBookmark::default().next_entry("jr_1", 0, "{}".into()),
            },
            Change::ResetJobBookmark {
                job: "J".into(),
                run_id: Some("jr_1".into()),
            },
            Change::ResetJobBookmark {
                job: "J".into(),
                run_id: None,
            },
        ];
        for change in changes {
            let bytes = serde_json::to_vec(&region.scoped(&change)).unwrap();
            let record: Record = serde_json::from_slice(&bytes).unwrap();
            let (key, back) = record.into_change().unwrap();
            assert_eq!(key, ("1".to_string(), "r".to_string()));
            assert_eq!(format!("{back:?}"), format!("{change:?}"));
        }
    }

    #[test]
    fn the_catalog_comes_back_from_the_journal_and_from_a_snapshot() {
        use crate::engine::catalog::UpdateOptions;
        let dir = temp("catalog");
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let region = engine.region("1", "r");
        region
            .create_database("db", Default::default(), Default::default())
            .unwrap();
        region
            .create_database("gone", Default::default(), Default::default())
            .unwrap();
        region.create_table("db", "t", Default::default()).unwrap();
        region.create_table("db", "dropped", Default::default()).unwrap();
        for _ in 0..2 {
            region
                .update_table("db", "t", Default::default(), UpdateOptions::default())
                .unwrap();
        }
        region.delete_table_versions("db", "t", &[2]).unwrap();
        region.delete_table("db", "dropped").unwrap();
        region.delete_database("gone").unwrap();
        let state = |region: &Region| format!("{:?}", region.catalog().databases);
        let was = state(&region);
        drop((engine, region));
        // Opening replays the journal, then writes a snapshot that the next opening reads.
        for _ in 0..2 {
            let engine = Engine::open(Default::default(), &dir).unwrap();
            let region = engine.region("1", "r");
            assert_eq!(state(&region), was);
            let versions: Vec<u64> = region
                .table_versions("db", "t")
                .unwrap()
                .iter()
                .map(|t| t.version_id)
                .collect();
            assert_eq!(versions, [3, 1]);
        }
    }

    #[test]
    fn one_process_per_folder() {
        let dir = temp("lock");
        let first = Engine::open(Default::default(), &dir).unwrap();
        let second = Engine::open(Default::default(), &dir).err().unwrap();
        assert!(second.contains("in use by another glue-local"), "{second}");
        assert!(second.contains(&dir.display().to_string()), "{second}");
        drop(first);
        Engine::open(Default::default(), &dir).unwrap();
    }

    #[test]
    fn what_a_reset_region_still_does_is_not_journaled() {
        let dir = temp("reset");
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let before = engine.region("1", "r");
        before.create_job("J", JobSpec::default(), Default::default()).unwrap();
        engine.reset().unwrap();
        // A change still in flight on the region that the reset removed.
        before
            .create_job("late", JobSpec::default(), Default::default())
            .unwrap();
        engine
            .region("1", "r")
            .create_job("after", JobSpec::default(), Default::default())
            .unwrap();
        drop((engine, before));
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let jobs = engine.region("1", "r").job_names(&Default::default());
        assert_eq!(jobs, ["after"]);
    }

    #[tokio::test]
    async fn bookmarks_come_back_after_a_restart_until_reset_or_their_job_is_deleted() {
        let dir = temp("bookmarks");
        let settings = || Settings {
            job_duration: std::time::Duration::from_secs(3600),
            ..Settings::default()
        };
        let spec = JobSpec {
            role: "r".into(),
            max_concurrent_runs: 5,
            default_arguments: [("--job-bookmark-option".to_string(), "job-bookmark-enable".to_string())].into(),
            ..JobSpec::default()
        };
        let engine = Engine::open(settings(), &dir).unwrap();
        let region = engine.region("1", "r");
        let mut committed = Vec::new();
        for job in ["J", "K", "L"] {
            region.create_job(job, spec.clone(), Default::default()).unwrap();
            for n in 0..2 {
                let run = region.start_job_run(job, Default::default()).unwrap();
                let state = format!("{{\"{job}\":{n}}}");
                committed.push(region.commit_job_run_bookmark(&run, state).unwrap().unwrap());
            }
        }
        region.reset_job_bookmark("K", Some(&committed[2].run_id)).unwrap();
        region.delete_job("L").unwrap();
        region.exec.stop_everything();
        // The runs' tasks hold the region (and so the state dir's lock) until they end.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while Arc::strong_count(&region) > 2 {
            assert!(std::time::Instant::now() < deadline, "the runs did not stop");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        drop((engine, region));
        let engine = Engine::open(settings(), &dir).unwrap();
        let region = engine.region("1", "r");
        assert_eq!(region.get_job_bookmark("J", None).unwrap(), committed[1]);
        assert_eq!(
            region.get_job_bookmark("J", Some(&committed[0].run_id)).unwrap(),
            committed[0]
        );
        assert_eq!(region.get_job_bookmark("K", None).unwrap(), committed[2]);
        region.create_job("L", spec, Default::default()).unwrap();
        assert!(region.get_job_bookmark("L", None).is_err());
        region.reset_job_bookmark("J", None).unwrap();
        drop((engine, region));
        let engine = Engine::open(settings(), &dir).unwrap();
        let region = engine.region("1", "r");
        assert!(region.get_job_bookmark("J", None).is_err());
        assert_eq!(region.get_job_bookmark("K", None).unwrap(), committed[2]);
    }

    #[tokio::test]
    async fn runs_of_one_graph_share_it_again_after_a_restart() {
        use crate::engine::trigger::TriggerType;
        use crate::engine::TriggerSpec;
        let dir = temp("graphs");
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let region = engine.region("1", "r");
        region.create_job("J", JobSpec::default(), Default::default()).unwrap();
        region
            .create_workflow("W", WorkflowSpec::default(), Default::default())
            .unwrap();
        let trigger = TriggerSpec::starting("W", TriggerType::OnDemand, "J");
        region.create_trigger("T", trigger, Default::default()).unwrap();
        let ids = [
            region.start_workflow_run("W", None).unwrap(),
            region.start_workflow_run("W", None).unwrap(),
        ];
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while ids
            .iter()
            .any(|id| region.workflow_run("W", id).unwrap().lock().status.is_active())
        {
            assert!(std::time::Instant::now() < deadline, "runs did not complete");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        drop((engine, region));
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let region = engine.region("1", "r");
        let graphs: Vec<Arc<Graph>> = ids
            .iter()
            .map(|id| region.workflow_run("W", id).unwrap().lock().graph.clone())
            .collect();
        assert!(Arc::ptr_eq(&graphs[0], &graphs[1]));
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn runs_of_one_graph_journal_it_once_and_little_else() {
        use crate::engine::graph::tests::trigger;
        use crate::engine::TriggerSpec;
        let dir = temp("compact");
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let region = engine.region("1", "r");
        for job in ["J1", "J2", "J3", "J4", "J5"] {
            let spec = JobSpec {
                role: "r".into(),
                max_concurrent_runs: 100,
                ..JobSpec::default()
            };
            region.create_job(job, spec, Default::default()).unwrap();
        }
        region
            .create_workflow("W", WorkflowSpec::default(), Default::default())
            .unwrap();
        // The AWS guide's W1.
        for t in [
            trigger("T1", &[], None, &["J1"]),
            trigger("T2", &["J1"], None, &["J2"]),
            trigger("T3", &["J1"], None, &["J3"]),
            trigger("T4", &["J2"], None, &["J4"]),
            trigger("T5", &["J3"], None, &["J5"]),
        ] {
            let spec = TriggerSpec {
                workflow_name: t.workflow_name,
                trigger_type: t.trigger_type,
                schedule: None,
                start_on_creation: t.predicate.is_some(),
                predicate: t.predicate,
                actions: t.actions,
                description: None,
                event_batching: None,
            };
            region.create_trigger(&t.name, spec, Default::default()).unwrap();
        }
        let journal = dir.join("journal");
        let size = || std::fs::metadata(&journal).unwrap().len();
        let runs = &region;
        let run_to_completion = |count: usize| {
            let region = runs;
            let ids: Vec<String> = (0..count)
                .map(|_| region.start_workflow_run("W", None).unwrap())
                .collect();
            async move {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                for id in &ids {
                    while region.workflow_run("W", id).unwrap().lock().status.is_active() {
                        assert!(std::time::Instant::now() < deadline, "runs did not complete");
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    }
                    let r = region.workflow_run("W", id).unwrap();
                    let r = r.lock();
                    assert_eq!(
                        r.statistics().succeeded,
                        5,
                        "{:?} {:?} {:?}",
                        r.statistics(),
                        r.status,
                        r.error_message
                    );
                }
                ids
            }
        };
        let before = size();
        let mut ids = run_to_completion(1).await;
        let first = size() - before;
        ids.extend(run_to_completion(20).await);
        let each = (size() - before - first) / 20;
        assert!(each < 10_000, "{each} bytes per W1 run");
        let mut graphs = 0;
        journal::read_each(&journal, |r| {
            graphs += usize::from(serde_json::from_slice::<serde_json::Value>(r).unwrap()["kind"] == "Graph");
            Ok(())
        })
        .unwrap();
        assert_eq!(graphs, 1);
        let states = |region: &Region| -> Vec<String> {
            ids.iter()
                .map(|id| {
                    let run = region.workflow_run("W", id).unwrap();
                    let run = run.lock();
                    let state = (&run.properties, &*run.graph, &run.nodes, run.completed_on);
                    format!("{:?} {}", run.status, serde_json::to_string(&state).unwrap())
                })
                .collect()
        };
        let was = states(&region);
        drop((engine, region));
        let engine = Engine::open(Default::default(), &dir).unwrap();
        let region = engine.region("1", "r");
        assert_eq!(states(&region), was);
        let first = region.workflow_run("W", &ids[0]).unwrap().lock().graph.clone();
        let last = region.workflow_run("W", &ids[20]).unwrap().lock().graph.clone();
        assert!(Arc::ptr_eq(&first, &last));
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn format_2_run_records_with_their_graph_embedded_still_load() {
        let region = Arc::new(Region::new("1", "r", Arc::default(), None));
        region
            .create_workflow("W", WorkflowSpec::default(), Default::default())
            .unwrap();
        let id = region.start_workflow_run("W", None).unwrap();
        let (mut old, graph) = {
            let run = region.workflow_run("W", &id).unwrap();
            let run = run.lock();
            (serde_json::to_value(&*run).unwrap(), run.graph.clone())
        };
        old["graph"] = serde_json::to_value(&*graph).unwrap();
        let record = serde_json::json!({"kind": "Run", "account": "1", "region": "r", "run": old});
        let mut replayer = Replayer::default();
        replayer.stage(serde_json::from_value(record).unwrap()).unwrap();
        let staged = &replayer.regions[&("1".to_string(), "r".to_string())];
        assert_eq!(*staged.run_states[&id].graph, *graph);
        let unknown = serde_json::json!({"kind": "RunState", "account": "1", "region": "r", "graph": "nope", "run": staged_run_json(&region, &id)});
        let err = replayer.stage(serde_json::from_value(unknown).unwrap()).unwrap_err();
        assert!(err.contains("names graph nope"), "{err}");
        region.exec.stop_everything();
    }

    fn staged_run_json(region: &Region, id: &str) -> serde_json::Value {
        serde_json::to_value(&*region.workflow_run("W", id).unwrap().lock()).unwrap()
    }

    /// How many records a snapshot of these bytes holds.
    fn parse_snapshot(text: &[u8], source: &Path) -> Result<Vec<()>, String> {
        let mut records = Vec::new();
        read_snapshot(text, source, |_| {
            records.push(());
            Ok(())
        })?;
        Ok(records)
    }

    #[test]
    fn a_snapshot_says_its_format_and_a_newer_one_is_refused() {
        assert_eq!(snapshot_version(b"{\"kind\":\"Format\",\"version\":2}\n{}"), 2);
        assert_eq!(snapshot_version(b"{\"kind\":\"Definitions\"}\n"), 1);
        assert_eq!(snapshot_version(b""), 1);
        let err = parse_snapshot(
            b"{\"kind\":\"Format\",\"version\":9}\n{\"kind\":\"Future\"}\n",
            Path::new("s"),
        )
        .err()
        .unwrap();
        assert!(
            err.contains("newer glue-local") && err.contains("snapshot format 9"),
            "{err}"
        );
        assert_eq!(
            parse_snapshot(b"{\"kind\":\"Format\",\"version\":2}\n", Path::new("s"))
                .unwrap()
                .len(),
            1
        );
    }
}
