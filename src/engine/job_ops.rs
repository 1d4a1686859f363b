//! CreateJob, GetJob, UpdateJob, DeleteJob, GetJobs, ListJobs.

use super::clock::Timestamp;
use super::error::{Error, Result};
use super::job::{Job, JobSpec};
use super::persist::Change;
use super::quotas::check_room;
use super::region::Region;
use super::workflow::Tags;

pub(crate) fn job_not_found(name: &str) -> Error {
    Error::NotFound(format!("Job {name} not found"))
}

/// Whether a resource's tags include every pair of the filter.
pub(crate) fn has_tags(tags: &Tags, filter: &Tags) -> bool {
    filter.iter().all(|(k, v)| tags.get(k) == Some(v))
}

impl Region {
    /// Creating a job that exists with the same definition succeeds (CreateJob is
    /// idempotent in AWS); with a different one it is a mismatch.
    pub fn create_job(&self, name: &str, spec: JobSpec, tags: Tags) -> Result<()> {
        let mut defs = self.write();
        if let Some(existing) = defs.jobs.get(name) {
            return if existing.spec == spec {
                Ok(())
            } else {
                Err(Error::IdempotentParameterMismatch(format!(
                    "Job {name} already exists with a different definition"
                )))
            };
        }
        check_room("jobs", defs.jobs.len(), self.settings.quotas.jobs)?;
        let now = Timestamp::now();
        let job = Job {
            name: name.to_string(),
            spec,
            created_on: now,
            last_modified_on: now,
            tags,
        };
        defs.commit(Change::PutJob { job })
    }

    pub fn get_job(&self, name: &str) -> Result<Job> {
        self.read().jobs.get(name).cloned().ok_or_else(|| job_not_found(name))
    }

    /// Replaces the definition: members not given are reset, as AWS documents for JobUpdate.
    pub fn update_job(&self, name: &str, spec: JobSpec) -> Result<()> {
        let mut defs = self.write();
        let mut job = defs.jobs.get(name).cloned().ok_or_else(|| job_not_found(name))?;
        job.spec = spec;
        job.last_modified_on = Timestamp::now();
        defs.commit(Change::PutJob { job })
    }

    /// Deleting a job that does not exist succeeds, as in AWS. Triggers naming it stay.
    pub fn delete_job(&self, name: &str) -> Result<()> {
        let mut defs = self.write();
        if !defs.jobs.contains_key(name) {
            return Ok(());
        }
        defs.commit(Change::DeleteJob { name: name.to_string() })
    }

    pub fn job_names(&self, tag_filter: &Tags) -> Vec<String> {
        self.read()
            .jobs
            .values()
            .filter(|j| has_tags(&j.tags, tag_filter))
            .map(|j| j.name.clone())
            .collect()
    }
}
