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
            // A stop asked for wins over a crawl that happens to end at the same moment.
            biased;
            _ = stop.notified() => {
                flag.request();
                (task.await, true)
            }
            result = &mut task => (result, false),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::crawl::{Options, S3Target};
    use crate::engine::crawler::Crawl;
    use crate::engine::crawler_plan::{DeleteBehavior, UpdateBehavior};
    use std::sync::Mutex;

    fn plan(database: &str) -> CrawlPlan {
        CrawlPlan {
            targets: vec![S3Target {
                path: "s3://b/x/".into(),
                exclusions: Vec::new(),
            }],
            options: Options::default(),
            database: database.into(),
            database_named: true,
            update: UpdateBehavior::UpdateInDatabase,
            delete: DeleteBehavior::DeprecateInDatabase,
        }
    }

    async fn run(region: &Arc<Region>, s3: PathBuf, plan: CrawlPlan, stop: &Notify) -> (Outcome<CrawlState>, Crawl) {
        let crawl: SharedCrawl = Arc::new(Mutex::new(Crawl::new("c", None)));
        let outcome = region.crawl_files(&crawl, s3, plan, stop).await;
        let crawl = crawl.lock().unwrap().clone();
        (outcome, crawl)
    }

    #[tokio::test]
    async fn a_crawl_writes_and_counts_a_stopped_one_is_cancelled_a_missing_database_fails() {
        let s3 = crate::engine::crawl::tests::temp_tree("crawl-run", &[("b/x/a.csv", "a,b\n1,2\n")]);
        let region = Arc::new(Region::new("1", "r", Default::default(), None));
        region
            .create_database("db", Default::default(), Default::default())
            .unwrap();

        let (outcome, crawl) = run(&region, s3.clone(), plan("db"), &Notify::new()).await;
        assert_eq!((outcome.state, outcome.error_message), (CrawlState::Succeeded, None));
        assert_eq!(crawl.summary.tables_created, 1);
        assert_eq!(
            region.get_table("db", "x").unwrap().spec.parameters["classification"],
            "csv"
        );

        let stop = Notify::new();
        stop.notify_one();
        let (outcome, _) = run(&region, s3.clone(), plan("db"), &stop).await;
        assert_eq!(outcome.state, CrawlState::Cancelled);

        let (outcome, _) = run(&region, s3, plan("nodb"), &Notify::new()).await;
        assert_eq!(outcome.state, CrawlState::Failed);
        assert!(outcome
            .error_message
            .unwrap()
            .starts_with("Database nodb does not exist"));
    }
}
