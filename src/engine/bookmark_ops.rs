//! GetJobBookmark and ResetJobBookmark, and what a running script reads and commits
//! (through glue-local's `awsglue.job.Job`, with its run's own credentials).

use super::bookmark::{check_state, BookmarkEntry, BookmarkOption};
use super::error::{Error, Result};
use super::job::{JobRun, JobRunState};
use super::job_ops::job_not_found;
use super::persist::Change;
use super::region::{Definitions, Region};

/// What a job run's script starts from, as its `--job-bookmark-option` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunBookmark {
    pub job: String,
    pub option: BookmarkOption,
    /// The entry to continue from: none when disabled; the current one; with
    /// `job-bookmark-pause` and `--job-bookmark-from`, the one that run committed.
    pub from: Option<BookmarkEntry>,
    /// With `job-bookmark-pause` and `--job-bookmark-to`: the entry to process up to.
    pub to: Option<BookmarkEntry>,
}

fn no_continuation(job: &str) -> Error {
    // AWS calls a job's bookmark its continuation, and so does its answer.
    Error::NotFound(format!("Continuation for job {job} not found"))
}

fn no_entry_of_run(job: &str, run_id: &str) -> Error {
    Error::NotFound(format!(
        "Continuation for job {job} not found for run {run_id}: that run committed no bookmark, or it is no longer kept"
    ))
}

/// The current entry of the job's bookmark, or the one `run_id` committed.
fn entry_of(defs: &Definitions, job: &str, run_id: Option<&str>) -> Result<BookmarkEntry> {
    if !defs.jobs.contains_key(job) {
        return Err(job_not_found(job));
    }
    let bookmark = defs.bookmarks.get(job).ok_or_else(|| no_continuation(job))?;
    match run_id {
        None => bookmark.current().cloned().ok_or_else(|| no_continuation(job)),
        Some(run) => bookmark.of_run(run).cloned().ok_or_else(|| no_entry_of_run(job, run)),
    }
}

impl Region {
    /// GetJobBookmark: the job's current entry, or the one `run_id` committed.
    pub fn get_job_bookmark(&self, job: &str, run_id: Option<&str>) -> Result<BookmarkEntry> {
        entry_of(&self.read(), job, run_id)
    }

    /// ResetJobBookmark: forgets the job's bookmark (the next enabled run processes
    /// everything), or rewinds it to the entry `run_id` committed. Answers the entry
    /// that was current before a reset, or the one rewound to.
    pub fn reset_job_bookmark(&self, job: &str, run_id: Option<&str>) -> Result<BookmarkEntry> {
        let mut defs = self.write();
        let entry = entry_of(&defs, job, run_id)?;
        defs.commit(Change::ResetJobBookmark {
            job: job.to_string(),
            run_id: run_id.map(str::to_string),
        })?;
        Ok(entry)
    }

    /// A job run in progress, and the arguments its script got.
    fn running_job_run(
        &self,
        defs: &Definitions,
        run_id: &str,
    ) -> Result<(JobRun, BookmarkOption, super::job::Arguments)> {
        let run = self
            .job_runs
            .get(run_id)
            .map(|r| r.lock().unwrap().clone())
            .ok_or_else(|| Error::NotFound(format!("Job run {run_id} not found")))?;
        if !matches!(run.state, JobRunState::Starting | JobRunState::Running) {
            return Err(Error::InvalidInput(format!(
                "Job run {run_id} is {}: only a running job run reads or commits its bookmark",
                run.state.as_str()
            )));
        }
        let job = defs
            .jobs
            .get(&run.job_name)
            .ok_or_else(|| job_not_found(&run.job_name))?;
        let arguments = job.spec.run_arguments(&run.arguments, run.workflow_run.as_ref());
        Ok((run, BookmarkOption::of(&arguments), arguments))
    }

    /// What a running job run's script starts from.
    pub fn job_run_bookmark(&self, run_id: &str) -> Result<RunBookmark> {
        let defs = self.read();
        let (run, option, arguments) = self.running_job_run(&defs, run_id)?;
        let job = run.job_name;
        let current = || entry_of(&defs, &job, None).ok();
        let of_run = |argument: &str| -> Result<Option<BookmarkEntry>> {
            match arguments.get(argument) {
                None => Ok(None),
                Some(from) => entry_of(&defs, &job, Some(from))
                    .map(Some)
                    .map_err(|e| Error::InvalidInput(format!("{argument} {from}: {e}"))),
            }
        };
        let (from, to) = match option {
            BookmarkOption::Disable => (None, None),
            BookmarkOption::Enable => (current(), None),
            BookmarkOption::Pause => match (of_run("--job-bookmark-from")?, of_run("--job-bookmark-to")?) {
                (None, None) => (current(), None),
                range => range,
            },
        };
        Ok(RunBookmark { job, option, from, to })
    }

    /// Commits a running job run's bookmark state (a JSON object). Stored only with
    /// `job-bookmark-enable`: disabled and paused runs leave the bookmark as it is,
    /// and get `None`.
    pub fn commit_job_run_bookmark(&self, run_id: &str, state: String) -> Result<Option<BookmarkEntry>> {
        check_state(&state).map_err(Error::InvalidInput)?;
        let mut defs = self.write();
        let (run, option, _) = self.running_job_run(&defs, run_id)?;
        if option != BookmarkOption::Enable {
            return Ok(None);
        }
        let bookmark = defs.bookmarks.get(&run.job_name).cloned().unwrap_or_default();
        let entry = bookmark.next_entry(run_id, run.attempt, state);
        defs.commit(Change::CommitJobBookmark {
            job: run.job_name,
            entry: entry.clone(),
        })?;
        Ok(Some(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::job::{Arguments, JobSpec};
    use crate::engine::JobRunRequest;
    use std::sync::Arc;

    /// Simulated runs that go on until stopped, so that they can commit.
    fn region() -> Arc<Region> {
        let settings = crate::engine::Settings {
            job_duration: std::time::Duration::from_secs(3600),
            ..Default::default()
        };
        Arc::new(Region::new("1", "r", Arc::new(settings), None))
    }

    fn job(region: &Region, name: &str, option: &str) {
        let spec = JobSpec {
            role: "r".into(),
            max_concurrent_runs: 10,
            default_arguments: [("--job-bookmark-option".to_string(), option.to_string())].into(),
            ..JobSpec::default()
        };
        region.create_job(name, spec, Default::default()).unwrap();
    }

    fn start(region: &Arc<Region>, job: &str, arguments: &[(&str, &str)]) -> String {
        let arguments: Arguments = arguments.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let request = JobRunRequest {
            arguments,
            ..JobRunRequest::default()
        };
        region.start_job_run(job, request).unwrap()
    }

    #[tokio::test]
    async fn enabled_runs_commit_and_the_next_run_starts_from_it() {
        let region = region();
        job(&region, "J", "job-bookmark-enable");
        let err = region.get_job_bookmark("J", None).unwrap_err();
        assert_eq!(err, Error::NotFound("Continuation for job J not found".into()));
        assert!(matches!(region.get_job_bookmark("nope", None), Err(Error::NotFound(m)) if m == "Job nope not found"));
        let first = start(&region, "J", &[]);
        let seen = region.job_run_bookmark(&first).unwrap();
        assert_eq!((seen.option, seen.from, seen.to), (BookmarkOption::Enable, None, None));
        let entry = region
            .commit_job_run_bookmark(&first, "{\"orders\":{\"last\":1}}".into())
            .unwrap()
            .unwrap();
        assert_eq!(region.get_job_bookmark("J", None).unwrap(), entry);
        assert_eq!(region.get_job_bookmark("J", Some(&first)).unwrap(), entry);
        let second = start(&region, "J", &[]);
        assert_eq!(region.job_run_bookmark(&second).unwrap().from, Some(entry.clone()));
        let bad = region.commit_job_run_bookmark(&second, "[]".into()).unwrap_err();
        assert!(matches!(bad, Error::InvalidInput(_)), "{bad:?}");
        region.commit_job_run_bookmark(&second, "{}".into()).unwrap();
        assert_eq!(
            region.get_job_bookmark("J", None).unwrap().previous_run_id,
            Some(first.clone())
        );
        // Rewind to the first run, then reset.
        assert_eq!(region.reset_job_bookmark("J", Some(&first)).unwrap(), entry);
        assert_eq!(region.get_job_bookmark("J", None).unwrap(), entry);
        assert!(region.reset_job_bookmark("J", Some(&second)).is_err());
        assert_eq!(region.reset_job_bookmark("J", None).unwrap(), entry);
        assert!(region.get_job_bookmark("J", None).is_err());
        assert_eq!(
            region.reset_job_bookmark("J", None).unwrap_err(),
            Error::NotFound("Continuation for job J not found".into())
        );
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn disabled_and_paused_runs_store_nothing_and_a_paused_run_reads_its_range() {
        let region = region();
        job(&region, "J", "job-bookmark-enable");
        let runs: Vec<String> = (0..3)
            .map(|i| {
                let id = start(&region, "J", &[]);
                region
                    .commit_job_run_bookmark(&id, format!("{{\"n\":{i}}}"))
                    .unwrap()
                    .unwrap();
                id
            })
            .collect();
        let current = region.get_job_bookmark("J", None).unwrap();
        let disabled = start(&region, "J", &[("--job-bookmark-option", "job-bookmark-disable")]);
        let seen = region.job_run_bookmark(&disabled).unwrap();
        assert_eq!((seen.option, seen.from), (BookmarkOption::Disable, None));
        assert_eq!(region.commit_job_run_bookmark(&disabled, "{}".into()).unwrap(), None);
        let paused = start(&region, "J", &[("--job-bookmark-option", "job-bookmark-pause")]);
        assert_eq!(region.job_run_bookmark(&paused).unwrap().from, Some(current.clone()));
        assert_eq!(region.commit_job_run_bookmark(&paused, "{}".into()).unwrap(), None);
        assert_eq!(region.get_job_bookmark("J", None).unwrap(), current);
        let range = start(
            &region,
            "J",
            &[
                ("--job-bookmark-option", "job-bookmark-pause"),
                ("--job-bookmark-from", &runs[0]),
                ("--job-bookmark-to", &runs[1]),
            ],
        );
        let seen = region.job_run_bookmark(&range).unwrap();
        assert_eq!(seen.from.unwrap().job_bookmark, "{\"n\":0}");
        assert_eq!(seen.to.unwrap().job_bookmark, "{\"n\":1}");
        let unknown = start(
            &region,
            "J",
            &[
                ("--job-bookmark-option", "job-bookmark-pause"),
                ("--job-bookmark-from", "jr_nope"),
                ("--job-bookmark-to", &runs[1]),
            ],
        );
        let err = region.job_run_bookmark(&unknown).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.starts_with("--job-bookmark-from jr_nope: ")),
            "{err:?}"
        );
        region.exec.stop_everything();
    }

    #[tokio::test]
    async fn only_running_runs_commit_and_deleting_the_job_deletes_its_bookmark() {
        let region = region();
        job(&region, "J", "job-bookmark-enable");
        let id = start(&region, "J", &[]);
        region.commit_job_run_bookmark(&id, "{}".into()).unwrap();
        assert!(matches!(region.job_run_bookmark("jr_nope"), Err(Error::NotFound(_))));
        region.stop_job_run("J", &id).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !region.get_job_run("J", &id).unwrap().state.is_finished() {
            assert!(std::time::Instant::now() < deadline, "the run did not stop");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let late = region.commit_job_run_bookmark(&id, "{}".into()).unwrap_err();
        assert!(
            matches!(&late, Error::InvalidInput(m) if m.contains("is STOPPED")),
            "{late:?}"
        );
        region.delete_job("J").unwrap();
        job(&region, "J", "job-bookmark-enable");
        assert_eq!(
            region.get_job_bookmark("J", None).unwrap_err(),
            Error::NotFound("Continuation for job J not found".into())
        );
        region.exec.stop_everything();
    }
}
