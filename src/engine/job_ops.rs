//! CreateJob, GetJob, UpdateJob, DeleteJob, GetJobs, ListJobs.

use super::clock::Timestamp;
use super::error::{Error, Result};
use super::job::{Job, JobSpec};
use super::persist::Change;
use super::quotas::{check_room, Quotas};
use super::region::{Definitions, Region};
use super::workflow::Tags;

pub(crate) fn job_not_found(name: &str) -> Error {
    Error::NotFound(format!("Job {name} not found"))
}

/// Whether a resource's tags include every pair of the filter.
pub(crate) fn has_tags(tags: &Tags, filter: &Tags) -> bool {
    filter.iter().all(|(k, v)| tags.get(k) == Some(v))
}

impl Definitions {
    /// Creating a job that exists with the same definition changes nothing (CreateJob is
    /// idempotent in AWS); with a different one it is a mismatch.
    pub(crate) fn create_job(
        &self,
        name: &str,
        spec: JobSpec,
        tags: Tags,
        quotas: &Quotas,
        now: Timestamp,
    ) -> Result<Option<Change>> {
        if let Some(existing) = self.jobs.get(name) {
            return if existing.spec == spec {
                Ok(None)
            } else {
                Err(Error::IdempotentParameterMismatch(format!(
                    "Job {name} already exists with a different definition"
                )))
            };
        }
        check_room("jobs", self.jobs.len(), quotas.jobs)?;
        let job = Job {
            name: name.to_string(),
            spec,
            created_on: now,
            last_modified_on: now,
            tags,
        };
        Ok(Some(Change::PutJob { job }))
    }

    /// Replaces the definition: members not given are reset, as AWS documents for JobUpdate.
    pub(crate) fn update_job(&self, name: &str, spec: JobSpec, now: Timestamp) -> Result<Option<Change>> {
        let mut job = self.jobs.get(name).cloned().ok_or_else(|| job_not_found(name))?;
        job.spec = spec;
        job.last_modified_on = now;
        Ok(Some(Change::PutJob { job }))
    }

    /// Deleting a job that does not exist changes nothing, as in AWS. Triggers naming it stay.
    pub(crate) fn delete_job(&self, name: &str) -> Option<Change> {
        let name = name.to_string();
        self.jobs.contains_key(&name).then_some(Change::DeleteJob { name })
    }
}

impl Region {
    pub fn create_job(&self, name: &str, spec: JobSpec, tags: Tags) -> Result<()> {
        self.change(|d| d.create_job(name, spec, tags, &self.settings.quotas, Timestamp::now()))
    }

    pub fn get_job(&self, name: &str) -> Result<Job> {
        self.read().jobs.get(name).cloned().ok_or_else(|| job_not_found(name))
    }

    pub fn update_job(&self, name: &str, spec: JobSpec) -> Result<()> {
        self.change(|d| d.update_job(name, spec, Timestamp::now()))
    }

    pub fn delete_job(&self, name: &str) -> Result<()> {
        self.change(|d| Ok(d.delete_job(name)))
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
