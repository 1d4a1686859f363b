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
//!
//! The parts: `change` (what a region's definitions change by), `record` (the
//! journal's and snapshots' records), `store` (the folder, its lock, appends),
//! `region_journal` and `run_journal` (what regions and runs journal),
//! `snapshot` (writing one, compaction), `replay` (reading the records back)
//! and `rebuild` (regions from them, what was in progress settled).

mod change;
mod rebuild;
mod record;
mod region_journal;
mod replay;
#[cfg(test)]
mod restart_tests;
mod run_journal;
mod snapshot;
mod store;

pub(crate) use change::Change;
pub(crate) use run_journal::RunJournal;
pub use snapshot::compact;
pub use store::Store;

use super::journal::Journal;
use super::region::Region;
use super::settings::Settings;
use rebuild::rebuild;
use replay::{replay_journal, Replayer};
use snapshot::{read_snapshot, write_snapshot};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use store::lock;

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
