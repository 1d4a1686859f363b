//! Regions rebuilt from what replay staged, with what was in progress when the
//! process stopped settled: its job runs and crawls ended, its runs finished.

use super::replay::Staged;
use super::store::Store;
use crate::engine::clock::Timestamp;
use crate::engine::crawler::CrawlerState;
use crate::engine::graph::Graph;
use crate::engine::job::{JobRun, JobRunState};
use crate::engine::region::Region;
use crate::engine::run::{RunStatus, SharedJobRun};
use crate::engine::settings::Settings;
use crate::engine::trigger::CrawlState;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

const INTERRUPTED: &str = "glue-local stopped while this was in progress";

/// Marks what was in progress when the process stopped as ended.
fn settle_job_run(run: &mut JobRun, now: Timestamp) {
    if !run.state.is_finished() {
        run.state = JobRunState::Error;
        run.error_message = Some(format!("{INTERRUPTED}; the job run did not finish"));
        run.completed_on = Some(now);
        run.last_modified_on = now;
    }
}

pub(super) fn rebuild(key: (String, String), staged: Staged, settings: &Arc<Settings>, store: &Arc<Store>) -> Region {
    let now = Timestamp::now();
    let region = Region::new(&key.0, &key.1, settings.clone(), Some(store.clone()));
    let mut definitions = staged.definitions;
    for crawler in definitions.crawlers.values_mut() {
        crawler.state = CrawlerState::Ready;
        for crawl in &crawler.crawls {
            let mut c = crawl.lock().unwrap();
            if !c.state.is_finished() {
                c.state = CrawlState::Failed;
                c.error_message = Some(format!("{INTERRUPTED}; the crawl did not finish"));
                c.completed_on = Some(now);
            }
        }
    }
    // One shared job run per id, whether a run's node or the job's history holds it.
    let mut shared: HashMap<String, SharedJobRun> = HashMap::new();
    let mut canonical = |run: JobRun| -> SharedJobRun {
        shared
            .entry(run.id.clone())
            .or_insert_with(|| Arc::new(Mutex::new(run)))
            .clone()
    };
    for mut run in staged.job_runs.into_values() {
        settle_job_run(&mut run, now);
        canonical(run);
    }
    let mut run_states = staged.run_states;
    // Runs started between two changes of their workflow share one graph in memory;
    // records of format 2 hold a copy each, so equal graphs of consecutive runs are shared again.
    let mut last_graph: HashMap<String, Arc<Graph>> = HashMap::new();
    for id in staged.runs {
        let Some(mut run) = run_states
            .remove(&id)
            .filter(|r| definitions.workflows.contains_key(&r.workflow_name))
        else {
            continue; // its workflow was deleted while it ran
        };
        match last_graph.get(&run.workflow_name) {
            Some(g) if Arc::ptr_eq(g, &run.graph) || **g == *run.graph => run.graph = g.clone(),
            _ => {
                last_graph.insert(run.workflow_name.clone(), run.graph.clone());
            }
        }
        for node in &mut run.nodes {
            node.job_runs = node
                .job_runs
                .iter()
                .map(|j| {
                    let mut j = j.lock().unwrap().clone();
                    settle_job_run(&mut j, now);
                    canonical(j)
                })
                .collect();
            for crawl in &node.crawls {
                let mut c = crawl.lock().unwrap();
                if !c.state.is_finished() {
                    c.state = CrawlState::Failed;
                    c.error_message = Some(format!("{INTERRUPTED}; the crawl did not finish"));
                    c.completed_on = Some(now);
                }
            }
        }
        if run.status.is_active() {
            run.status = if run.status == RunStatus::Stopping {
                RunStatus::Stopped
            } else {
                RunStatus::Completed
            };
            run.completed_on = Some(now);
            run.error_message.get_or_insert_with(|| INTERRUPTED.to_string());
        }
        let cell = region.new_run_cell(run);
        region.runs.add(cell);
    }
    let mut by_job: BTreeMap<String, Vec<SharedJobRun>> = BTreeMap::new();
    for run in shared.values() {
        let job = run.lock().unwrap().job_name.clone();
        by_job.entry(job).or_default().push(run.clone());
    }
    for (job, mut runs) in by_job {
        runs.sort_by_key(|r| {
            let r = r.lock().unwrap();
            (r.started_on, r.id.clone())
        });
        region.job_runs.restore(job, runs);
    }
    region.replace_definitions(definitions);
    region.replace_catalog(staged.catalog);
    region
}
