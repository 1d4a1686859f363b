//! CreateCrawler, GetCrawler(s), UpdateCrawler, DeleteCrawler, ListCrawlers,
//! StartCrawler, StopCrawler, ListCrawls, GetCrawlerMetrics, Start/StopCrawlerSchedule.

use super::actions::Origin;
use super::clock::Timestamp;
use super::crawler::{Crawl, Crawler, CrawlerSpec, CrawlerState, ScheduleState};
use super::error::{Error, Result};
use super::job_ops::has_tags;
use super::persist::Change;
use super::quotas::{check_room, Quotas};
use super::region::{Definitions, Region};
use super::schedule::Schedule;
use super::trigger::CrawlState;
use super::workflow::Tags;
use std::sync::Arc;

pub(crate) fn crawler_not_found(name: &str) -> Error {
    Error::NotFound(format!("Crawler {name} not found"))
}

/// What GetCrawlerMetrics reports for one crawler.
#[derive(Debug, Clone, PartialEq)]
pub struct CrawlerMetrics {
    pub crawler_name: String,
    pub time_left_seconds: f64,
    pub still_estimating: bool,
    pub last_runtime_seconds: f64,
    pub median_runtime_seconds: f64,
    pub tables_created: i32,
    pub tables_updated: i32,
    pub tables_deleted: i32,
}

/// The crawler's schedule parses, and its recrawl and schema change policies agree.
fn check_spec(spec: &CrawlerSpec) -> Result<()> {
    if let Some(s) = &spec.schedule {
        Schedule::parse(s).map_err(Error::InvalidInput)?;
    }
    super::crawler_plan::check(spec)
}

impl Definitions {
    /// A copy of the crawler, to read or to change and commit.
    pub(crate) fn crawler(&self, name: &str) -> Result<Crawler> {
        self.crawlers.get(name).cloned().ok_or_else(|| crawler_not_found(name))
    }

    pub(crate) fn create_crawler(
        &self,
        name: &str,
        spec: CrawlerSpec,
        tags: Tags,
        quotas: &Quotas,
        now: Timestamp,
    ) -> Result<Option<Change>> {
        check_spec(&spec)?;
        if self.crawlers.contains_key(name) {
            return Err(Error::AlreadyExists(format!("Crawler with name {name} already exists")));
        }
        check_room("crawlers", self.crawlers.len(), quotas.crawlers)?;
        let crawler = Crawler {
            name: name.to_string(),
            spec,
            created_on: now,
            last_updated: now,
            version: 1,
            tags,
            state: CrawlerState::Ready,
            schedule_state: ScheduleState::Scheduled,
            crawls: Vec::new(),
        };
        Ok(Some(Change::PutCrawler { crawler }))
    }

    /// Changes the members given (`update` applies them); refused while the crawler runs. A
    /// crawler given a schedule it did not have is SCHEDULED; a changed schedule keeps its state.
    pub(crate) fn update_crawler(
        &self,
        name: &str,
        update: impl FnOnce(&mut CrawlerSpec),
        now: Timestamp,
    ) -> Result<Option<Change>> {
        let mut crawler = self.crawler(name)?;
        if crawler.state != CrawlerState::Ready {
            return Err(Error::CrawlerRunning(format!(
                "Crawler {name} is running and cannot be updated"
            )));
        }
        let had_schedule = crawler.spec.schedule.is_some();
        update(&mut crawler.spec);
        check_spec(&crawler.spec)?;
        if !had_schedule {
            crawler.schedule_state = ScheduleState::Scheduled;
        }
        crawler.version += 1;
        crawler.last_updated = now;
        Ok(Some(Change::PutCrawler { crawler }))
    }

    /// StartCrawlerSchedule (`to` SCHEDULED) and StopCrawlerSchedule (`to` NOT_SCHEDULED):
    /// refused without a schedule or when it is in that state already; a crawl in
    /// progress goes on.
    pub(crate) fn set_schedule_state(&self, name: &str, to: ScheduleState) -> Result<Option<Change>> {
        let mut crawler = self.crawler(name)?;
        let no_schedule = || format!("Crawler {name} has no schedule");
        let already = || format!("The schedule of crawler {name} is already {}", to.as_str());
        let has_schedule = crawler.spec.schedule.is_some();
        let refused = match (to, has_schedule, crawler.schedule_state == to) {
            (ScheduleState::Scheduled, false, _) => Error::NoSchedule(no_schedule()),
            (ScheduleState::NotScheduled, false, _) => Error::SchedulerNotRunning(no_schedule()),
            (ScheduleState::Scheduled, true, true) => Error::SchedulerRunning(already()),
            (ScheduleState::NotScheduled, true, true) => Error::SchedulerNotRunning(already()),
            (_, true, false) => {
                crawler.schedule_state = to;
                return Ok(Some(Change::PutCrawler { crawler }));
            }
        };
        Err(refused)
    }

    /// Refused while the crawler runs.
    pub(crate) fn delete_crawler(&self, name: &str) -> Result<Option<Change>> {
        let crawler = self.crawlers.get(name).ok_or_else(|| crawler_not_found(name))?;
        if crawler.state != CrawlerState::Ready {
            return Err(Error::CrawlerRunning(format!(
                "Crawler {name} is running and cannot be deleted"
            )));
        }
        Ok(Some(Change::DeleteCrawler { name: name.to_string() }))
    }
}

impl Region {
    pub fn create_crawler(&self, name: &str, spec: CrawlerSpec, tags: Tags) -> Result<()> {
        self.change(|d| d.create_crawler(name, spec, tags, &self.settings.quotas, Timestamp::now()))
    }

    pub fn get_crawler(&self, name: &str) -> Result<Crawler> {
        self.read().crawler(name)
    }

    pub fn update_crawler(&self, name: &str, update: impl FnOnce(&mut CrawlerSpec)) -> Result<()> {
        self.change(|d| d.update_crawler(name, update, Timestamp::now()))
    }

    pub fn delete_crawler(&self, name: &str) -> Result<()> {
        self.change(|d| d.delete_crawler(name))
    }

    /// StartCrawlerSchedule and StopCrawlerSchedule (see [`Definitions::set_schedule_state`]).
    pub fn set_crawler_schedule_state(&self, name: &str, to: ScheduleState) -> Result<()> {
        self.change(|d| d.set_schedule_state(name, to))
    }

    pub fn crawler_names(&self, tag_filter: &Tags) -> Vec<String> {
        self.read()
            .crawlers
            .values()
            .filter(|c| has_tags(&c.tags, tag_filter))
            .map(|c| c.name.clone())
            .collect()
    }

    pub fn start_crawler(self: &Arc<Self>, name: &str) -> Result<()> {
        self.launch_crawl(name, None, Origin::Api).map(|_| ())
    }

    /// StopCrawler: RUNNING → STOPPING; the crawl ends CANCELLED and the crawler is READY again.
    pub fn stop_crawler(&self, name: &str) -> Result<()> {
        let crawl_id = {
            let mut defs = self.write();
            let mut crawler = defs.crawler(name)?;
            match crawler.state {
                CrawlerState::Ready => return Err(Error::CrawlerNotRunning(format!("Crawler {name} is not running"))),
                CrawlerState::Stopping => {
                    return Err(Error::CrawlerStopping(format!("Crawler {name} is already stopping")))
                }
                CrawlerState::Running => crawler.state = CrawlerState::Stopping,
            }
            let last = crawler.crawls.last().cloned();
            defs.commit(Change::PutCrawler { crawler })?;
            last.map(|c| {
                let mut c = c.lock().unwrap();
                c.state = CrawlState::Cancelling;
                c.id.clone()
            })
        };
        if let Some(id) = crawl_id {
            self.exec.stop(&id);
        }
        Ok(())
    }

    /// The crawler's crawls, newest first.
    pub fn crawls(&self, name: &str) -> Result<Vec<Crawl>> {
        let defs = self.read();
        let crawler = defs.crawlers.get(name).ok_or_else(|| crawler_not_found(name))?;
        Ok(crawler.crawls.iter().rev().map(|c| c.lock().unwrap().clone()).collect())
    }

    /// Figures from the crawls that ran: durations of finished crawls, and the tables the last
    /// finished crawl created, updated and deleted.
    pub fn crawler_metrics(&self, name: &str) -> Result<CrawlerMetrics> {
        let crawls = self.crawls(name)?;
        let mut durations: Vec<f64> = crawls
            .iter()
            .filter_map(|c| {
                c.completed_on
                    .map(|end| (end.0 - c.started_on.0).max(0) as f64 / 1000.0)
            })
            .collect();
        let last = durations.first().copied().unwrap_or(0.0);
        durations.sort_by(f64::total_cmp);
        let median = durations.get(durations.len() / 2).copied().unwrap_or(0.0);
        let running = crawls.first().is_some_and(|c| !c.state.is_finished());
        let time_left = if running {
            let elapsed = (Timestamp::now().0 - crawls[0].started_on.0).max(0) as f64 / 1000.0;
            (median.max(self.settings.job_duration.as_secs_f64()) - elapsed).max(0.0)
        } else {
            0.0
        };
        let tables = crawls
            .iter()
            .find(|c| c.state.is_finished())
            .map(|c| c.summary)
            .unwrap_or_default();
        let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(CrawlerMetrics {
            crawler_name: name.to_string(),
            time_left_seconds: time_left,
            still_estimating: running && durations.is_empty(),
            last_runtime_seconds: last,
            median_runtime_seconds: median,
            tables_created: count(tables.tables_created),
            tables_updated: count(tables.tables_updated),
            tables_deleted: count(tables.tables_deleted),
        })
    }
}
