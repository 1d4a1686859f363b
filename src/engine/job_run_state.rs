//! The job runs of a region: every run by id and per job. Memory only (each run is
//! journaled as it changes, see [`super::persist`]); each map under its own short
//! shard locks, and a run's own lock is taken only after a map's entry is let go.

use super::run::SharedJobRun;
use dashmap::DashMap;

#[derive(Default)]
pub(crate) struct JobRunState {
    /// Every job run, by id: GetJobRun, BatchStopJobRun and bookmark calls find a run
    /// without its job's list (retried attempts have ids of their own).
    by_id: DashMap<String, SharedJobRun>,
    /// Runs per job name, oldest first: GetJobRuns lists them newest first, and
    /// triggers outside workflows look at a job's latest run.
    by_job: DashMap<String, Vec<SharedJobRun>>,
}

impl JobRunState {
    /// Adds the newest run of `job`.
    pub(crate) fn add(&self, job: &str, id: String, run: SharedJobRun) {
        self.by_job.entry(job.to_string()).or_default().push(run.clone());
        self.by_id.insert(id, run);
    }

    /// Sets the runs of `job` (oldest first) as the state dir recorded them.
    pub(crate) fn restore(&self, job: String, runs: Vec<SharedJobRun>) {
        for r in &runs {
            let id = r.lock().unwrap().id.clone();
            self.by_id.insert(id, r.clone());
        }
        self.by_job.insert(job, runs);
    }

    pub(crate) fn get(&self, id: &str) -> Option<SharedJobRun> {
        self.by_id.get(id).map(|r| r.clone())
    }

    /// What `f` makes of the runs of `job`, oldest first (none for a job that never ran).
    /// New runs of the job wait until `f` returns.
    pub(crate) fn of_job<R>(&self, job: &str, f: impl FnOnce(&[SharedJobRun]) -> R) -> R {
        match self.by_job.get(job) {
            Some(runs) => f(&runs),
            None => f(&[]),
        }
    }

    /// Every run of every job.
    pub(crate) fn all(&self) -> Vec<SharedJobRun> {
        self.by_id.iter().map(|r| r.value().clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::job::{JobRun, JobRunState as State};
    use std::sync::{Arc, Mutex};

    fn run(job: &str, id: &str) -> SharedJobRun {
        Arc::new(Mutex::new(JobRun::of(job, id, State::Starting)))
    }

    fn ids(runs: &[SharedJobRun]) -> Vec<String> {
        runs.iter().map(|r| r.lock().unwrap().id.clone()).collect()
    }

    #[test]
    fn runs_are_found_by_id_and_listed_per_job_oldest_first() {
        let state = JobRunState::default();
        state.add("a", "jr_1".into(), run("a", "jr_1"));
        state.add("b", "jr_2".into(), run("b", "jr_2"));
        state.add("a", "jr_3".into(), run("a", "jr_3"));
        assert_eq!(state.of_job("a", ids), ["jr_1", "jr_3"]);
        assert_eq!(state.of_job("b", ids), ["jr_2"]);
        assert!(state.of_job("c", ids).is_empty());
        assert_eq!(state.get("jr_2").unwrap().lock().unwrap().job_name, "b");
        assert!(state.get("jr_9").is_none());
        assert_eq!(state.all().len(), 3);
    }

    #[test]
    fn restored_runs_are_found_by_id_too() {
        let state = JobRunState::default();
        state.restore("a".into(), vec![run("a", "jr_1"), run("a", "jr_2")]);
        assert_eq!(state.of_job("a", ids), ["jr_1", "jr_2"]);
        assert!(state.get("jr_2").is_some());
    }
}
