//! Job bookmarks: the state a job's runs commit (`Job.commit()` in a script) so that the
//! next run processes only new data. A job has at most one bookmark; each commit adds an
//! entry (what GetJobBookmark answers), and the last few entries are kept so that a
//! bookmark can be rewound to an earlier run (`ResetJobBookmark` with a `RunId`) and a
//! paused run can read the range between two runs (`--job-bookmark-from`/`-to`).

use super::job::Arguments;
use super::wire_enum::wire_enum;
use serde::{Deserialize, Serialize};

/// The largest state a commit may store (a JSON object, as text).
pub const MAX_STATE_BYTES: usize = 256 * 1024;
/// How many committed entries a bookmark keeps (the current one and those before it).
pub const HISTORY: usize = 20;

wire_enum! {
    /// `--job-bookmark-option`, as a run's arguments give it.
    pub enum BookmarkOption {
        Enable = "job-bookmark-enable", Disable = "job-bookmark-disable",
        Pause = "job-bookmark-pause",
    }
}

impl BookmarkOption {
    /// As `getResolvedOptions` reads it: `--job-bookmark-option`, else the older
    /// `--continuation-option`, else (or for a value Glue does not know) disabled.
    pub fn of(arguments: &Arguments) -> BookmarkOption {
        let option = arguments.get("--job-bookmark-option").map(String::as_str);
        let continuation = arguments.get("--continuation-option").map(String::as_str);
        match (option, continuation) {
            (Some(option), _) => BookmarkOption::parse(option).unwrap_or(BookmarkOption::Disable),
            (None, Some("continuation-enabled")) => BookmarkOption::Enable,
            (None, Some("continuation-readonly")) => BookmarkOption::Pause,
            _ => BookmarkOption::Disable,
        }
    }
}

/// One committed state of a job's bookmark, as GetJobBookmark answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookmarkEntry {
    /// Commits since the bookmark was made (or last reset).
    pub version: i32,
    /// Runs that committed since then.
    pub run: i32,
    /// The committing run's attempt (0 for a first attempt).
    pub attempt: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_run_id: Option<String>,
    pub run_id: String,
    /// The state: a JSON object, keyed by the scripts' `transformation_ctx`.
    pub job_bookmark: String,
}

/// A job's bookmark: its last [`HISTORY`] entries, oldest first; the last is the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobBookmark {
    pub entries: Vec<BookmarkEntry>,
}

impl JobBookmark {
    pub fn current(&self) -> Option<&BookmarkEntry> {
        self.entries.last()
    }

    /// The entry `run_id` committed, while it is kept.
    pub fn of_run(&self, run_id: &str) -> Option<&BookmarkEntry> {
        self.entries.iter().rev().find(|e| e.run_id == run_id)
    }

    /// The entry a commit of `state` by this run adds. A run that commits again
    /// replaces its own entry: it counts as a new version, not as another run.
    pub fn next_entry(&self, run_id: &str, attempt: i32, state: String) -> BookmarkEntry {
        let current = self.current();
        let again = current.filter(|c| c.run_id == run_id);
        BookmarkEntry {
            version: current.map_or(0, |c| c.version) + 1,
            run: current.map_or(0, |c| c.run) + i32::from(again.is_none()),
            attempt,
            previous_run_id: match again {
                Some(own) => own.previous_run_id.clone(),
                None => current.map(|c| c.run_id.clone()),
            },
            run_id: run_id.to_string(),
            job_bookmark: state,
        }
    }

    /// Makes `entry` (from [`JobBookmark::next_entry`]) the current one.
    pub fn commit(&mut self, entry: BookmarkEntry) {
        if self.current().is_some_and(|c| c.run_id == entry.run_id) {
            self.entries.pop();
        }
        self.entries.push(entry);
        let excess = self.entries.len().saturating_sub(HISTORY);
        self.entries.drain(..excess);
    }

    /// Makes the entry `run_id` committed the current one again, dropping those after it.
    /// Whether it was kept (nothing changes otherwise).
    pub fn rewind(&mut self, run_id: &str) -> bool {
        match self.entries.iter().rposition(|e| e.run_id == run_id) {
            Some(i) => {
                self.entries.truncate(i + 1);
                true
            }
            None => false,
        }
    }
}

/// Whether `state` may be stored: a JSON object of at most [`MAX_STATE_BYTES`].
pub fn check_state(state: &str) -> Result<(), String> {
    if state.len() > MAX_STATE_BYTES {
        return Err(format!(
            "A job bookmark holds at most {MAX_STATE_BYTES} bytes; this one has {}",
            state.len()
        ));
    }
    match serde_json::from_str::<serde_json::Value>(state) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err("A job bookmark is a JSON object".to_string()),
        Err(e) => Err(format!("A job bookmark is a JSON object: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Arguments {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_option_as_get_resolved_options_reads_it() {
        assert_eq!(BookmarkOption::of(&args(&[])), BookmarkOption::Disable);
        let option = |v| BookmarkOption::of(&args(&[("--job-bookmark-option", v)]));
        assert_eq!(option("job-bookmark-enable"), BookmarkOption::Enable);
        assert_eq!(option("job-bookmark-pause"), BookmarkOption::Pause);
        assert_eq!(option("job-bookmark-disable"), BookmarkOption::Disable);
        assert_eq!(option("enable"), BookmarkOption::Disable);
        let continuation = |v| BookmarkOption::of(&args(&[("--continuation-option", v)]));
        assert_eq!(continuation("continuation-enabled"), BookmarkOption::Enable);
        assert_eq!(continuation("continuation-readonly"), BookmarkOption::Pause);
        assert_eq!(continuation("continuation-ignore"), BookmarkOption::Disable);
        let both = args(&[
            ("--job-bookmark-option", "job-bookmark-disable"),
            ("--continuation-option", "continuation-enabled"),
        ]);
        assert_eq!(BookmarkOption::of(&both), BookmarkOption::Disable);
    }

    fn committed(bookmark: &mut JobBookmark, run: &str, attempt: i32, state: &str) -> BookmarkEntry {
        let entry = bookmark.next_entry(run, attempt, state.to_string());
        bookmark.commit(entry.clone());
        entry
    }

    #[test]
    fn commits_count_versions_and_runs_and_chain_the_runs() {
        let mut b = JobBookmark::default();
        let first = committed(&mut b, "jr_1", 0, "{\"a\":1}");
        assert_eq!(
            (first.version, first.run, first.previous_run_id.as_deref()),
            (1, 1, None)
        );
        let second = committed(&mut b, "jr_2", 1, "{\"a\":2}");
        assert_eq!(
            (
                second.version,
                second.run,
                second.attempt,
                second.previous_run_id.as_deref()
            ),
            (2, 2, 1, Some("jr_1"))
        );
        let again = committed(&mut b, "jr_2", 1, "{\"a\":3}");
        assert_eq!(
            (again.version, again.run, again.previous_run_id.as_deref()),
            (3, 2, Some("jr_1"))
        );
        assert_eq!(b.entries.len(), 2);
        assert_eq!(b.current(), Some(&again));
        assert_eq!(b.of_run("jr_1"), Some(&first));
    }

    #[test]
    fn only_the_last_entries_are_kept_and_a_rewind_drops_the_later_ones() {
        let mut b = JobBookmark::default();
        for i in 0..HISTORY + 5 {
            committed(&mut b, &format!("jr_{i}"), 0, "{}");
        }
        assert_eq!(b.entries.len(), HISTORY);
        assert!(b.of_run("jr_4").is_none());
        assert!(!b.rewind("jr_4"));
        assert_eq!(b.entries.len(), HISTORY);
        assert!(b.rewind("jr_10"));
        assert_eq!(b.current().unwrap().run_id, "jr_10");
        let next = committed(&mut b, "jr_99", 0, "{}");
        assert_eq!((next.run, next.previous_run_id.as_deref()), (12, Some("jr_10")));
    }

    #[test]
    fn a_state_is_a_bounded_json_object() {
        assert!(check_state("{\"ctx\":{\"files\":[]}}").is_ok());
        assert!(check_state("[1]").is_err());
        assert!(check_state("{").is_err());
        let big = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_STATE_BYTES));
        assert!(check_state(&big).unwrap_err().contains("at most"));
    }
}
