//! The domain: resources, runs, trigger evaluation, the run graph, resume
//! selection and execution. Pure Rust; knows nothing of HTTP or the wire format.

mod actions;
pub mod bookmark;
mod bookmark_ops;
pub mod catalog;
pub mod clock;
pub mod crawl;
mod crawl_catalog;
mod crawl_run;
pub mod crawler;
mod crawler_ops;
pub mod crawler_plan;
pub mod credentials;
#[cfg(test)]
mod definitions_tests;
pub mod error;
pub mod event_batch;
pub mod event_ops;
pub mod events;
mod executor;
pub mod graph;
pub mod ids;
pub mod job;
pub mod job_logs;
mod job_ops;
mod job_run_state;
pub mod journal;
mod lock_order;
pub mod partition_filter;
pub mod persist;
pub mod python_runtime;
pub mod quotas;
pub mod region;
pub mod resume;
pub mod run;
pub mod schedule;
pub mod scheduler;
pub(crate) mod script_path;
pub mod settings;
pub mod spark;
mod standalone;
mod tag_ops;
pub mod trigger;
mod trigger_memory;
mod trigger_ops;
mod wire_enum;
pub mod workflow;
mod workflow_ops;
mod workflow_run_state;
mod workflow_runs;

pub use actions::JobRunRequest;
pub use error::{Error, Result};
pub use executor::state::InjectedOutcome;
pub use region::Region;
pub use settings::Settings;
pub use trigger_ops::{TriggerSpec, TriggerUpdate};

use dashmap::DashMap;
use std::sync::Arc;

/// All state, partitioned by (account, region): a workflow created in one does not exist in another.
pub struct Engine {
    regions: DashMap<(String, String), Arc<Region>>,
    settings: Arc<Settings>,
    store: Option<Arc<persist::Store>>,
}

impl Engine {
    /// An engine whose state lives in memory only.
    pub fn new(settings: Settings) -> Engine {
        Engine {
            regions: DashMap::new(),
            settings: Arc::new(settings),
            store: None,
        }
    }

    /// An engine whose state is kept in `dir` and rebuilt from it (see [`persist`]).
    pub fn open(settings: Settings, dir: &std::path::Path) -> std::result::Result<Engine, String> {
        let settings = Arc::new(settings);
        let (store, regions) = persist::open(dir, &settings)?;
        let engine = Engine {
            regions: DashMap::new(),
            settings,
            store: Some(store),
        };
        for r in regions {
            engine.regions.insert((r.account.clone(), r.name.clone()), Arc::new(r));
        }
        Ok(engine)
    }

    /// Folds the journal into a snapshot when it has grown large.
    pub fn compact_if_needed(&self) -> std::result::Result<(), String> {
        match &self.store {
            Some(store) if store.needs_compaction() => persist::compact(store, &self.regions()),
            _ => Ok(()),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn region(&self, account: &str, region: &str) -> Arc<Region> {
        if let Some(r) = self.regions.get(&(account.to_string(), region.to_string())) {
            return r.clone();
        }
        self.regions
            .entry((account.to_string(), region.to_string()))
            .or_insert_with(|| Arc::new(Region::new(account, region, self.settings.clone(), self.store.clone())))
            .clone()
    }

    /// The partition for a call that only reads: the one that exists, or else an
    /// empty one that is not kept (a partition is made by the first write, so reads
    /// naming arbitrary regions leave nothing behind).
    pub fn region_view(&self, account: &str, region: &str) -> Arc<Region> {
        match self.regions.get(&(account.to_string(), region.to_string())) {
            Some(r) => r.clone(),
            None => Arc::new(Region::new(account, region, self.settings.clone(), None)),
        }
    }

    /// How many partitions exist (for the health endpoint).
    pub fn partition_count(&self) -> usize {
        self.regions.len()
    }

    /// Every partition that exists so far (for the scheduler).
    pub fn regions(&self) -> Vec<Arc<Region>> {
        self.regions.iter().map(|r| r.value().clone()).collect()
    }

    /// Forgets everything: resources, runs, injected outcomes. Running work is stopped,
    /// and what it still does is not journaled (it would bring runs back on restart).
    pub fn reset(&self) -> Result<()> {
        let mut removed = Vec::new();
        let mut detach = || {
            self.regions.retain(|_, region| {
                region.detached.store(true, std::sync::atomic::Ordering::Release);
                removed.push(region.clone());
                false
            });
        };
        match &self.store {
            Some(store) => store
                .reset(detach)
                .map_err(|e| Error::Internal(format!("The reset could not be saved: {e}")))?,
            None => detach(),
        }
        for region in removed {
            region.exec.stop_everything();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_leave_no_partition_behind() {
        let engine = Engine::new(Settings::default());
        let view = engine.region_view("123456789012", "xx-nowhere-9");
        assert!(view.workflow_names().is_empty());
        assert_eq!(engine.partition_count(), 0);
        engine
            .region("123456789012", "xx-nowhere-9")
            .create_workflow("W", Default::default(), Default::default())
            .unwrap();
        assert_eq!(engine.partition_count(), 1);
        let view = engine.region_view("123456789012", "xx-nowhere-9");
        assert_eq!(view.workflow_names(), ["W"]);
        assert_eq!(engine.partition_count(), 1);
    }
}
