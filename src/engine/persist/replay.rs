//! Replay: the records of a snapshot and journals staged region by region, the
//! last record of each thing winning; a damaged journal stops start-up.

use super::record::Record;
use super::Change;
use crate::engine::catalog::Catalog;
use crate::engine::graph::Graph;
use crate::engine::job::JobRun;
use crate::engine::journal::{self, ReadError};
use crate::engine::region::Definitions;
use crate::engine::run::WorkflowRun;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the records say about one region, before it is rebuilt.
#[derive(Default)]
pub(super) struct Staged {
    pub(super) definitions: Definitions,
    pub(super) catalog: Catalog,
    pub(super) runs: Vec<String>,
    pub(super) run_states: HashMap<String, WorkflowRun>,
    pub(super) job_runs: BTreeMap<String, JobRun>,
}

/// What the records read so far say, region by region.
#[derive(Default)]
pub(super) struct Replayer {
    pub(super) regions: BTreeMap<(String, String), Staged>,
    /// Run graphs by content id (of every file read: a reset does not drop them).
    pub(super) graphs: HashMap<String, Arc<Graph>>,
}

impl Replayer {
    pub(super) fn stage(&mut self, record: Record) -> Result<(), String> {
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
pub(super) fn replay_journal(path: &Path, replayer: &mut Replayer) -> Result<u64, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::region::Region;
    use crate::engine::workflow::WorkflowSpec;

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
}
