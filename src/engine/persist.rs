//! Durable state, opt-in with `--state-dir`: every change is appended to a
//! write-ahead journal as the whole new state of what changed (a region's
//! definitions, a workflow run, a job run outside workflows) before the request
//! that caused it is answered; a snapshot compacts the journal now and then.
//! Start-up replays snapshot + journal; the last record of each thing wins.
//! Runs that were going when the process died come back finished, their
//! running nodes marked ERROR, so that they can be resumed.

use super::clock::Timestamp;
use super::crawler::CrawlerState;
use super::job::{JobRun, JobRunState};
use super::journal::{self, Journal};
use super::region::{Definitions, Region};
use super::run::{RunCell, RunStatus, SharedJobRun, WorkflowRun};
use super::settings::Settings;
use super::trigger::CrawlState;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Journal size past which a snapshot is taken.
const COMPACT_AFTER_BYTES: u64 = 64 * 1024 * 1024;
const INTERRUPTED: &str = "glue-local stopped while this was in progress";

#[derive(Deserialize)]
#[serde(tag = "kind")]
enum Record {
    Definitions {
        account: String,
        region: String,
        definitions: Definitions,
    },
    Run {
        account: String,
        region: String,
        run: WorkflowRun,
    },
    JobRun {
        account: String,
        region: String,
        run: JobRun,
    },
    Reset,
}

/// The same records, borrowed, for writing.
#[derive(Serialize)]
#[serde(tag = "kind")]
enum RecordRef<'a> {
    Definitions {
        account: &'a str,
        region: &'a str,
        definitions: &'a Definitions,
    },
    Run {
        account: &'a str,
        region: &'a str,
        run: &'a WorkflowRun,
    },
    JobRun {
        account: &'a str,
        region: &'a str,
        run: &'a JobRun,
    },
    Reset,
}

/// The state folder: `snapshot.json`, `journal`, and `journal.old` during a compaction.
pub struct Store {
    dir: PathBuf,
    journal: Journal,
    compacting: Mutex<()>,
}

impl Store {
    fn snapshot_path(dir: &Path) -> PathBuf {
        dir.join("snapshot.json")
    }

    fn journal_path(dir: &Path) -> PathBuf {
        dir.join("journal")
    }

    fn old_journal_path(dir: &Path) -> PathBuf {
        dir.join("journal.old")
    }

    fn append(&self, record: &RecordRef) {
        match serde_json::to_vec(record) {
            Ok(bytes) => {
                if let Err(e) = self.journal.append(&bytes) {
                    tracing::error!("state not saved: {e}");
                }
            }
            Err(e) => tracing::error!("state not saved, cannot encode it: {e}"),
        }
    }

    pub(crate) fn reset(&self) {
        self.append(&RecordRef::Reset);
    }

    pub(crate) fn needs_compaction(&self) -> bool {
        self.journal.len() > COMPACT_AFTER_BYTES
    }
}

impl Region {
    pub(crate) fn journal_definitions(&self, definitions: &Definitions) {
        if let Some(store) = &self.store {
            store.append(&RecordRef::Definitions {
                account: &self.account,
                region: &self.name,
                definitions,
            });
        }
    }

    /// A run cell whose changes are journaled, when there is a state dir.
    pub(crate) fn new_run_cell(&self, run: WorkflowRun) -> Arc<RunCell> {
        let journal = self.store.as_ref().map(|store| RunJournal {
            store: store.clone(),
            account: self.account.clone(),
            region: self.name.clone(),
        });
        RunCell::new(run, journal)
    }

    pub(crate) fn journal_job_run(&self, run: &JobRun) {
        if let (Some(store), None) = (&self.store, &run.workflow_run) {
            store.append(&RecordRef::JobRun {
                account: &self.account,
                region: &self.name,
                run,
            });
        }
    }

    /// This region's records, for a snapshot.
    fn snapshot_records(&self, out: &mut Vec<u8>) -> Result<(), String> {
        let mut push = |r: &RecordRef| -> Result<(), String> {
            serde_json::to_writer(&mut *out, r).map_err(|e| e.to_string())?;
            out.push(b'\n');
            Ok(())
        };
        push(&RecordRef::Definitions {
            account: &self.account,
            region: &self.name,
            definitions: &self.read(),
        })?;
        let lists: Vec<_> = self.workflow_runs.iter().map(|w| w.value().clone()).collect();
        for list in lists {
            let runs = list.list.lock().unwrap().clone();
            for cell in runs {
                push(&RecordRef::Run {
                    account: &self.account,
                    region: &self.name,
                    run: &cell.lock(),
                })?;
            }
        }
        let standalone: Vec<SharedJobRun> = self.job_run_index.iter().map(|r| r.value().clone()).collect();
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

/// Where a run's changes go.
pub(crate) struct RunJournal {
    store: Arc<Store>,
    account: String,
    region: String,
}

impl RunJournal {
    pub(crate) fn record(&self, run: &WorkflowRun) {
        self.store.append(&RecordRef::Run {
            account: &self.account,
            region: &self.region,
            run,
        });
    }
}

/// What the records say about one region, before it is rebuilt.
#[derive(Default)]
struct Staged {
    definitions: Definitions,
    runs: Vec<String>,
    run_states: HashMap<String, WorkflowRun>,
    job_runs: BTreeMap<String, JobRun>,
}

fn stage(records: impl IntoIterator<Item = Record>, into: &mut BTreeMap<(String, String), Staged>) {
    for record in records {
        match record {
            Record::Reset => into.clear(),
            Record::Definitions {
                account,
                region,
                definitions,
            } => {
                into.entry((account, region)).or_default().definitions = definitions;
            }
            Record::Run { account, region, run } => {
                let staged = into.entry((account, region)).or_default();
                if !staged.run_states.contains_key(&run.id) {
                    staged.runs.push(run.id.clone());
                }
                staged.run_states.insert(run.id.clone(), run);
            }
            Record::JobRun { account, region, run } => {
                into.entry((account, region))
                    .or_default()
                    .job_runs
                    .insert(run.id.clone(), run);
            }
        }
    }
}

fn parse_lines(text: &[u8], source: &Path) -> Result<Vec<Record>, String> {
    text.split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(i, line)| serde_json::from_slice(line).map_err(|e| format!("{} line {}: {e}", source.display(), i + 1)))
        .collect()
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
    *region.write_quietly() = definitions;

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
    for id in staged.runs {
        let Some(mut run) = run_states.remove(&id) else {
            continue;
        };
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
        region.runs.insert(cell.id.clone(), cell.clone());
        region.runs_of(&cell.workflow_name).list.lock().unwrap().push(cell);
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
        for r in &runs {
            region.job_run_index.insert(r.lock().unwrap().id.clone(), r.clone());
        }
        region.job_runs.insert(job, runs);
    }
    region
}

/// Opens (or creates) the state folder and rebuilds every region from it.
pub fn open(dir: &Path, settings: &Arc<Settings>) -> Result<(Arc<Store>, Vec<Region>), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create state dir {}: {e}", dir.display()))?;
    let mut staged = BTreeMap::new();
    let snapshot = Store::snapshot_path(dir);
    match std::fs::read(&snapshot) {
        Ok(bytes) => stage(parse_lines(&bytes, &snapshot)?, &mut staged),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", snapshot.display())),
    }
    for path in [Store::old_journal_path(dir), Store::journal_path(dir)] {
        let replay = journal::read(&path)?;
        if let Some(why) = &replay.torn_tail {
            tracing::warn!("{}: {why}", path.display());
        }
        let records = replay
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| serde_json::from_slice(r).map_err(|e| format!("{} record {}: {e}", path.display(), i + 1)))
            .collect::<Result<Vec<Record>, String>>()?;
        stage(records, &mut staged);
    }
    let journal_path = Store::journal_path(dir);
    let valid = journal::read(&journal_path)?.valid_len;
    let store = Arc::new(Store {
        dir: dir.to_path_buf(),
        journal: Journal::open(&journal_path, valid)?,
        compacting: Mutex::new(()),
    });
    let regions: Vec<Region> = staged
        .into_iter()
        .map(|(key, s)| rebuild(key, s, settings, &store))
        .collect();
    // Start from a snapshot of what was rebuilt, so the settled runs are what is on disk.
    write_snapshot(&store, regions.iter())?;
    store.journal.truncate()?;
    let _ = std::fs::remove_file(Store::old_journal_path(dir));
    Ok((store, regions))
}

fn write_snapshot<'r>(store: &Store, regions: impl Iterator<Item = &'r Region>) -> Result<(), String> {
    let mut bytes = Vec::new();
    for region in regions {
        region.snapshot_records(&mut bytes)?;
    }
    journal::write_atomically(&Store::snapshot_path(&store.dir), &bytes)
}

/// Folds the journal into a new snapshot: rotate, snapshot, drop the old journal.
/// Records appended meanwhile go to the new journal and win on replay.
pub fn compact(store: &Store, regions: &[Arc<Region>]) -> Result<(), String> {
    let _only_one = store.compacting.lock().unwrap_or_else(|e| e.into_inner());
    let old = Store::old_journal_path(&store.dir);
    store.journal.rotate(&old)?;
    write_snapshot(store, regions.iter().map(|r| r.as_ref()))?;
    std::fs::remove_file(&old).map_err(|e| format!("cannot remove {}: {e}", old.display()))
}
