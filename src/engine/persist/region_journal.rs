//! What a region journals: its definitions' and catalog's changes, and its job
//! runs outside workflows.

use super::record::{RecordRef, ScopedRef};
use super::store::not_saved;
use super::Change;
use crate::engine::catalog::CatalogChange;
use crate::engine::job::JobRun;
use crate::engine::region::Region;

impl Region {
    /// Journals a change to the definitions (with a state dir); an error when it cannot be.
    pub(crate) fn journal_change(&self, change: &Change) -> crate::engine::Result<()> {
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
    pub(crate) fn journal_catalog_change(&self, change: &CatalogChange) -> crate::engine::Result<()> {
        match &self.store {
            Some(store) => store
                .append(&self.detached, None, &self.catalog_record(change))
                .map_err(not_saved),
            None => Ok(()),
        }
    }

    pub(super) fn catalog_record<'a>(&'a self, change: &'a CatalogChange) -> RecordRef<'a> {
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

    /// Journals a job run outside workflows (those of workflows are part of their run).
    pub(crate) fn journal_job_run(&self, run: &JobRun) -> crate::engine::Result<()> {
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
}

#[cfg(test)]
mod tests {
    use super::super::record::Record;
    use super::*;
    use crate::engine::job::JobSpec;
    use crate::engine::workflow::WorkflowSpec;
    use std::sync::Arc;

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
}
