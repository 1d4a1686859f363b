//! What the executor keeps about the job runs and crawls in progress: their stop
//! signals, the job slots they hold and the outcomes tests injected for them. Memory
//! only (a restart resumes nothing in progress), each map under its own short lock,
//! and no lock of the definitions or of a run is taken while one is held.

use crate::engine::job::JobRunState;
use crate::engine::trigger::CrawlState;
use dashmap::DashMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// How the next runs of a job (`S` a [`JobRunState`]) or crawls of a crawler (a
/// [`CrawlState`]) end, injected by tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedOutcome<S> {
    pub state: S,
    pub error_message: Option<String>,
    pub remaining: u32,
}

/// The outcomes injected, by job or crawler name.
#[derive(Default)]
pub struct InjectedOutcomes {
    pub jobs: HashMap<String, InjectedOutcome<JobRunState>>,
    pub crawlers: HashMap<String, InjectedOutcome<CrawlState>>,
}

/// Chooses the jobs' or the crawlers' map of [`InjectedOutcomes`].
pub type PickOutcomes<S> = fn(&mut InjectedOutcomes) -> &mut HashMap<String, InjectedOutcome<S>>;

#[derive(Default)]
pub(crate) struct ExecutorState {
    /// Stop signals of the job runs and crawls in progress, by run or crawl id: the
    /// task running one waits on it next to its work (StopCrawler, BatchStopJobRun,
    /// StopWorkflowRun and a reset or shutdown notify it).
    stops: DashMap<String, Arc<Notify>>,
    /// Job runs holding a slot per job name, against the job's MaxConcurrentRuns.
    active_job_runs: DashMap<String, usize>,
    /// Outcomes injected by tests (`POST /_glue_local/outcomes`), taken one per run or crawl.
    outcomes: Mutex<InjectedOutcomes>,
}

impl ExecutorState {
    /// The stop signal of a job run or crawl starting now, until [`Self::forget_stop`].
    pub(crate) fn new_stop(&self, id: &str) -> Arc<Notify> {
        let stop = Arc::new(Notify::new());
        self.stops.insert(id.to_string(), stop.clone());
        stop
    }

    /// The job run or crawl `id` ended: nothing can stop it any more.
    pub(crate) fn forget_stop(&self, id: &str) {
        self.stops.remove(id);
    }

    /// Asks the job run or crawl `id` to stop, if it is in progress.
    pub(crate) fn stop(&self, id: &str) {
        let stop = self.stops.get(id).map(|s| s.clone());
        if let Some(stop) = stop {
            stop.notify_one();
        }
    }

    /// Asks every job run and crawl in progress to stop.
    pub(crate) fn stop_everything(&self) {
        for signal in self.stops.iter() {
            signal.value().notify_one();
        }
    }

    /// Counts one more run of the job unless `max` hold a slot already.
    pub(crate) fn take_job_slot(&self, job_name: &str, max: usize) -> bool {
        let mut active = self.active_job_runs.entry(job_name.to_string()).or_insert(0);
        if *active >= max {
            return false;
        }
        *active += 1;
        true
    }

    pub(crate) fn release_job_slot(&self, job_name: &str) {
        if let Some(mut n) = self.active_job_runs.get_mut(job_name) {
            *n = n.saturating_sub(1);
        }
    }

    /// Makes the next `remaining` runs of the job or crawler `name` (in the map `pick`
    /// chooses: `|o| &mut o.jobs` or `|o| &mut o.crawlers`) end in `state`.
    pub(crate) fn inject_outcome<S>(&self, pick: PickOutcomes<S>, name: String, outcome: InjectedOutcome<S>) {
        let mut outcomes = self.outcomes.lock().unwrap();
        let map = pick(&mut outcomes);
        if outcome.remaining == 0 {
            map.remove(&name);
        } else {
            map.insert(name, outcome);
        }
    }

    /// Takes one injected outcome for the job or crawler `name`, if any is left.
    pub(crate) fn take_outcome<S: Clone>(&self, pick: PickOutcomes<S>, name: &str) -> Option<InjectedOutcome<S>> {
        let mut outcomes = self.outcomes.lock().unwrap();
        let map = pick(&mut outcomes);
        let entry = map.get_mut(name)?;
        entry.remaining -= 1;
        let taken = entry.clone();
        if entry.remaining == 0 {
            map.remove(name);
        }
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::task::{Context, Waker};

    #[test]
    fn job_slots_count_up_to_max_and_free_on_release() {
        let state = ExecutorState::default();
        assert!(state.take_job_slot("j", 2));
        assert!(state.take_job_slot("j", 2));
        assert!(!state.take_job_slot("j", 2));
        assert!(state.take_job_slot("other", 1));
        state.release_job_slot("j");
        assert!(state.take_job_slot("j", 2));
        state.release_job_slot("never-ran");
        assert!(!state.take_job_slot("j", 2));
    }

    #[test]
    fn injected_outcomes_are_taken_once_each_then_gone() {
        let state = ExecutorState::default();
        let failed = |remaining| InjectedOutcome {
            state: JobRunState::Failed,
            error_message: Some("boom".into()),
            remaining,
        };
        state.inject_outcome(|o| &mut o.jobs, "j".into(), failed(2));
        assert_eq!(
            state.take_outcome(|o| &mut o.crawlers, "j"),
            None::<InjectedOutcome<CrawlState>>
        );
        assert_eq!(state.take_outcome(|o| &mut o.jobs, "j").map(|o| o.remaining), Some(1));
        assert_eq!(state.take_outcome(|o| &mut o.jobs, "j").map(|o| o.remaining), Some(0));
        assert_eq!(state.take_outcome(|o| &mut o.jobs, "j"), None);
        state.inject_outcome(|o| &mut o.jobs, "j".into(), failed(3));
        state.inject_outcome(|o| &mut o.jobs, "j".into(), failed(0));
        assert_eq!(state.take_outcome(|o| &mut o.jobs, "j"), None);
    }

    #[test]
    fn stop_signals_reach_runs_in_progress_only() {
        let state = ExecutorState::default();
        let running = state.new_stop("run-1");
        let ended = state.new_stop("run-2");
        state.forget_stop("run-2");
        state.stop("run-1");
        state.stop("run-2");
        state.stop("unknown");
        let mut cx = Context::from_waker(Waker::noop());
        assert!(std::pin::pin!(running.notified()).poll(&mut cx).is_ready());
        assert!(std::pin::pin!(ended.notified()).poll(&mut cx).is_pending());
        state.stop_everything();
        let again = state.new_stop("run-3");
        state.stop_everything();
        assert!(std::pin::pin!(again.notified()).poll(&mut cx).is_ready());
    }
}
