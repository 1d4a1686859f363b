//! The state folder itself: its files, its lock, and appends to its journal
//! (ordered with the graphs they name, a reset and rotation).

use super::record::RecordRef;
use crate::engine::graph::Graph;
use crate::engine::journal::Journal;
use serde::Serialize;
use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Journal size past which a snapshot is taken.
const COMPACT_AFTER_BYTES: u64 = 64 * 1024 * 1024;

/// The state folder: `snapshot.json`, `journal`, the `journal.old…` of a compaction
/// in progress (or one that failed), and `lock`.
pub struct Store {
    pub(super) dir: PathBuf,
    pub(super) journal: Journal,
    /// Held by appends, and by a reset while it detaches every region; holds the
    /// ids of the graphs that the current journal has.
    pub(super) appending: Mutex<HashSet<String>>,
    /// Set when a change nobody waited for could not be appended: the next
    /// compaction saves it (and everything else) in a snapshot.
    pub(super) dirty: AtomicBool,
    pub(super) compacting: Mutex<()>,
    /// The exclusive lock on the folder, held while the process lives.
    pub(super) _lock: File,
}

impl Store {
    pub(super) fn snapshot_path(dir: &Path) -> PathBuf {
        dir.join("snapshot.json")
    }

    pub(super) fn journal_path(dir: &Path) -> PathBuf {
        dir.join("journal")
    }

    /// Journals rotated away by compactions that have not finished, oldest first:
    /// `journal.old`, then `journal.old.2`, `journal.old.3`, ...
    pub(super) fn old_journal_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
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

    pub(super) fn next_old_journal_path(dir: &Path) -> Result<PathBuf, String> {
        Ok(match Self::old_journals(dir)?.last() {
            None => dir.join("journal.old"),
            Some((n, _)) => dir.join(format!("journal.old.{}", n + 1)),
        })
    }

    /// Appends a record unless it comes from a region that a reset detached, after
    /// the graph it names unless the journal has that already.
    pub(super) fn append(
        &self,
        detached: &AtomicBool,
        graph: Option<&Graph>,
        record: &impl Serialize,
    ) -> Result<(), String> {
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
    pub(super) fn append_in_background(&self, detached: &AtomicBool, graph: Option<&Graph>, record: &impl Serialize) {
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
    pub(super) fn rotate(&self, old: &Path) -> Result<(), String> {
        let mut graphs = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        self.journal.rotate(old)?;
        graphs.clear();
        Ok(())
    }

    pub(crate) fn needs_compaction(&self) -> bool {
        self.journal.len() > COMPACT_AFTER_BYTES || self.dirty.load(Ordering::Acquire)
    }
}

pub(super) fn not_saved(e: String) -> crate::engine::Error {
    tracing::error!("a change was refused because it could not be saved: {e}");
    crate::engine::Error::Internal(format!("The change could not be saved: {e}"))
}

/// Takes the folder's lock, or says which process has it.
pub(super) fn lock(dir: &Path) -> Result<File, String> {
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
