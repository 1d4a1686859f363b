//! Snapshots: writing one (every region's records, each graph once), reading one
//! back (its format checked), and compaction, which folds the journal into one.

use super::record::{Record, RecordRef};
use super::store::Store;
use crate::engine::journal;
use crate::engine::region::Region;
use serde::Deserialize;
use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

impl Region {
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
pub(super) fn read_snapshot(
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

pub(super) fn write_snapshot<'r>(store: &Store, regions: impl Iterator<Item = &'r Region>) -> Result<(), String> {
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
