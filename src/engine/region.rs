//! One (account, region) partition: resource definitions and everything that runs.

use super::bookmark::JobBookmark;
use super::crawler::Crawler;
use super::error::Result;
use super::events::rules::Rule;
use super::executor::state::ExecutorState;
use super::graph::Graph;
use super::job::Job;
use super::job_run_state::JobRunState;
use super::lock_order::DefinitionsHeld;
use super::persist::{Change, Store};
use super::settings::Settings;
use super::trigger::Trigger;
use super::trigger_memory::TriggerMemory;
use super::workflow::Workflow;
use super::workflow_run_state::WorkflowRunState;
use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Resource definitions. They change rarely and some changes span several
/// resources (a trigger names a workflow and jobs; deleting a workflow deletes its
/// triggers), so one short-held lock per region keeps them consistent. Runs, the
/// hot path, live outside it in concurrent maps with a lock per run.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Definitions {
    pub workflows: BTreeMap<String, Workflow>,
    pub jobs: BTreeMap<String, Job>,
    pub triggers: BTreeMap<String, Trigger>,
    pub crawlers: BTreeMap<String, Crawler>,
    /// Job bookmarks by job name; deleting a job deletes its bookmark.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bookmarks: BTreeMap<String, JobBookmark>,
    /// EventBridge rules of the default event bus (snapshots from before them have none).
    #[serde(default)]
    pub rules: BTreeMap<String, Rule>,
}

pub struct Region {
    pub account: String,
    pub name: String,
    pub(crate) settings: Arc<Settings>,
    pub(crate) defs: RwLock<Definitions>,
    /// The Data Catalog, under its own lock (see [`super::catalog`]).
    pub(crate) catalog: RwLock<super::catalog::Catalog>,
    /// Every workflow run, by id and per workflow, and the graphs they start from.
    pub(crate) runs: WorkflowRunState,
    /// Every job run, by id and per job.
    pub(crate) job_runs: JobRunState,
    /// Stop signals, job slots and injected outcomes of the job runs and crawls in progress.
    pub(crate) exec: ExecutorState,
    /// What triggers keep between evaluations: firings, watchers, event batches.
    pub(crate) triggers: TriggerMemory,
    /// Where changes are journaled, with `--state-dir`.
    pub(crate) store: Option<Arc<Store>>,
    /// Set when a reset removed this region: what it still does (runs ending) is not journaled.
    pub(crate) detached: Arc<AtomicBool>,
    /// Bumped on every write access to the definitions (under the write lock).
    pub(crate) definitions_generation: AtomicU64,
}

/// Write access to the definitions. They change only through [`DefinitionsWrite::commit`],
/// which journals the change before making it: reading through this guard writes nothing.
pub(crate) struct DefinitionsWrite<'a> {
    region: &'a Region,
    guard: RwLockWriteGuard<'a, Definitions>,
    _held: DefinitionsHeld,
}

/// Read access to the definitions (see [`super::lock_order`]).
pub(crate) struct DefinitionsRead<'a> {
    guard: RwLockReadGuard<'a, Definitions>,
    _held: DefinitionsHeld,
}

impl Deref for DefinitionsRead<'_> {
    type Target = Definitions;
    fn deref(&self) -> &Definitions {
        &self.guard
    }
}

impl Deref for DefinitionsWrite<'_> {
    type Target = Definitions;
    fn deref(&self) -> &Definitions {
        &self.guard
    }
}

impl DefinitionsWrite<'_> {
    /// Saves the change (with `--state-dir`), then makes it. When it cannot be saved
    /// nothing changes and the caller gets [`Error::Internal`].
    pub(crate) fn commit(&mut self, change: Change) -> Result<()> {
        self.region.journal_change(&change)?;
        self.guard.apply(change);
        Ok(())
    }

    /// A change that nobody waits for (a crawl ended): made even when it cannot be
    /// saved, in which case the next snapshot saves it.
    pub(crate) fn commit_in_background(&mut self, change: Change) {
        self.region.journal_change_in_background(&change);
        self.guard.apply(change);
    }
}

impl Region {
    pub fn new(account: &str, region: &str, settings: Arc<Settings>, store: Option<Arc<Store>>) -> Region {
        Region {
            account: account.to_string(),
            name: region.to_string(),
            settings,
            defs: RwLock::default(),
            catalog: RwLock::default(),
            runs: WorkflowRunState::default(),
            job_runs: JobRunState::default(),
            exec: ExecutorState::default(),
            triggers: TriggerMemory::default(),
            store,
            detached: Arc::default(),
            definitions_generation: AtomicU64::new(0),
        }
    }

    pub(crate) fn read(&self) -> DefinitionsRead<'_> {
        DefinitionsRead {
            guard: self.defs.read().unwrap_or_else(|e| e.into_inner()),
            _held: DefinitionsHeld::enter(),
        }
    }

    pub(crate) fn write(&self) -> DefinitionsWrite<'_> {
        let guard = self.defs.write().unwrap_or_else(|e| e.into_inner());
        // Any write access may change a workflow's graph: cached graphs are stale from now on.
        self.definitions_generation.fetch_add(1, Ordering::AcqRel);
        DefinitionsWrite {
            region: self,
            guard,
            _held: DefinitionsHeld::enter(),
        }
    }

    /// Commits the change `plan` makes of the definitions as they are, under the write
    /// lock; a plan that finds nothing to do changes (and journals) nothing.
    pub(crate) fn change(&self, plan: impl FnOnce(&Definitions) -> Result<Option<Change>>) -> Result<()> {
        let mut defs = self.write();
        match plan(&defs)? {
            Some(change) => defs.commit(change),
            None => Ok(()),
        }
    }

    /// Sets the definitions rebuilt from the state dir (which journals nothing).
    pub(crate) fn replace_definitions(&self, definitions: Definitions) {
        *self.write().guard = definitions;
    }

    /// The workflow's graph as `defs` (read under the region's lock) define it,
    /// shared with every run started since the definitions last changed.
    pub(crate) fn shared_graph(&self, defs: &Definitions, workflow: &str) -> Arc<Graph> {
        let generation = self.definitions_generation.load(Ordering::Acquire);
        self.runs
            .graph(generation, workflow, || defs.graph(&self.account, &self.name, workflow))
    }
}
