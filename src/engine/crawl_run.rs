//! A crawl of files: the crawler's S3 targets read from the s3 dir on a blocking thread
//! ([`crawl::crawl`]), the tables written to its database ([`Region::write_crawled`]), and what it
//! changed recorded on the crawl.

use super::crawl::{self, CrawlError};
use super::crawler::CrawlSummary;
use super::crawler_plan::CrawlPlan;
use super::error::Error;
use super::executor::Outcome;
use super::region::Region;
use super::run::SharedCrawl;
use super::trigger::CrawlState;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Notify;

impl Region {
    /// The plan of crawler `name` if it has S3 targets.
    pub(crate) fn crawl_plan(&self, name: &str) -> Option<CrawlPlan> {
        self.read().crawlers.get(name).and_then(CrawlPlan::of)
    }

    /// Crawls and writes on a blocking thread; `stop` (StopCrawler) asks it to stop between files,
    /// and the crawl ends CANCELLED.
    pub(crate) async fn crawl_files(
        self: &Arc<Self>,
        crawl: &SharedCrawl,
        s3_dir: PathBuf,
        plan: CrawlPlan,
        stop: &Notify,
    ) -> Outcome<CrawlState> {
        let flag = crawl::Stop::default();
        let (region, task_flag) = (self.clone(), flag.clone());
        let mut task = tokio::task::spawn_blocking(move || region.crawl_and_write(&s3_dir, &plan, &task_flag));
        let (result, stopped) = tokio::select! {
            result = &mut task => (result, false),
            _ = stop.notified() => {
                flag.request();
                (task.await, true)
            }
        };
        let ended = |state, error_message| Outcome { state, error_message };
        match result {
            Ok(Ok(summary)) => {
                crawl.lock().unwrap().summary = summary;
                ended(
                    if stopped {
                        CrawlState::Cancelled
                    } else {
                        CrawlState::Succeeded
                    },
                    None,
                )
            }
            Ok(Err(CrawlError::Cancelled)) => ended(CrawlState::Cancelled, None),
            Ok(Err(CrawlError::Failed(reason))) => ended(CrawlState::Failed, Some(reason)),
            Err(e) => ended(CrawlState::Failed, Some(format!("The crawl stopped unexpectedly: {e}"))),
        }
    }

    fn crawl_and_write(
        &self,
        s3_dir: &std::path::Path,
        plan: &CrawlPlan,
        stop: &crawl::Stop,
    ) -> Result<CrawlSummary, CrawlError> {
        self.crawl_database(plan).map_err(CrawlError::Failed)?;
        let tables = crawl::crawl(s3_dir, &plan.targets, &plan.options, stop)?;
        stop.check()?;
        self.write_crawled(plan, tables)
            .map_err(|e| CrawlError::Failed(e.to_string()))
    }

    /// The database must exist when the crawler names it; `default` is made when it does not.
    fn crawl_database(&self, plan: &CrawlPlan) -> Result<(), String> {
        let found = if plan.database_named {
            self.get_database(&plan.database).map(|_| ())
        } else {
            self.ensure_database(&plan.database).map(|_| ())
        };
        found.map_err(|e| match e {
            Error::NotFound(_) => format!(
                "Database {} does not exist: create it before the crawler runs (CreateDatabase)",
                plan.database
            ),
            e => e.to_string(),
        })
    }
}
