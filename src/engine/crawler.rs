//! The crawler resource and its crawls.

use super::clock::Timestamp;
use super::job::Passthrough;
use super::run::SharedCrawl;
use super::trigger::CrawlState;
use super::wire_enum::wire_enum;
use super::workflow::Tags;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Crawler {
    pub name: String,
    pub spec: CrawlerSpec,
    pub created_on: Timestamp,
    pub last_updated: Timestamp,
    pub version: i64,
    pub tags: Tags,
    pub state: CrawlerState,
    /// Whether the scheduler starts it, when it has a schedule (journals written before this
    /// field read as SCHEDULED).
    #[serde(default)]
    pub schedule_state: ScheduleState,
    /// Every crawl, oldest first.
    pub crawls: Vec<SharedCrawl>,
}

/// What CreateCrawler sets and UpdateCrawler changes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct CrawlerSpec {
    pub role: String,
    pub database_name: Option<String>,
    pub schedule: Option<String>,
    pub passthrough: Passthrough,
}

wire_enum! {
    /// A crawler's own state: READY, RUNNING or STOPPING.
    pub enum CrawlerState {
        Ready = "READY", Running = "RUNNING", Stopping = "STOPPING",
    }
}

wire_enum! {
    /// A crawler's schedule state: StartCrawlerSchedule and StopCrawlerSchedule switch it.
    #[derive(Default)]
    pub enum ScheduleState {
        #[default]
        Scheduled = "SCHEDULED",
        NotScheduled = "NOT_SCHEDULED",
    }
}

impl Crawler {
    /// The cron expression the scheduler starts the crawler by: its schedule while SCHEDULED.
    pub fn active_schedule(&self) -> Option<&str> {
        self.spec
            .schedule
            .as_deref()
            .filter(|_| self.schedule_state == ScheduleState::Scheduled)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Crawl {
    pub id: String,
    pub crawler_name: String,
    pub state: CrawlState,
    pub started_on: Timestamp,
    pub completed_on: Option<Timestamp>,
    pub error_message: Option<String>,
    pub trigger_name: Option<String>,
    /// What a crawl of files changed in the Data Catalog (nothing for a simulated crawl).
    #[serde(default, skip_serializing_if = "CrawlSummary::is_empty")]
    pub summary: CrawlSummary,
}

impl Crawl {
    /// A crawl starting now.
    pub fn new(crawler_name: &str, trigger_name: Option<String>) -> Crawl {
        Crawl {
            id: super::ids::crawl_id(),
            crawler_name: crawler_name.to_string(),
            state: CrawlState::Running,
            started_on: Timestamp::now(),
            completed_on: None,
            error_message: None,
            trigger_name,
            summary: CrawlSummary::default(),
        }
    }
}

/// The tables and partitions a crawl created, updated and deleted (deprecated tables count as
/// updated).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CrawlSummary {
    pub tables_created: u32,
    pub tables_updated: u32,
    pub tables_deleted: u32,
    pub partitions_created: u32,
    pub partitions_updated: u32,
    pub partitions_deleted: u32,
}

impl CrawlSummary {
    pub fn is_empty(&self) -> bool {
        *self == CrawlSummary::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crawler_journaled_before_schedule_states_reads_as_scheduled() {
        let crawler = Crawler {
            name: "c".into(),
            spec: CrawlerSpec::default(),
            created_on: Timestamp::now(),
            last_updated: Timestamp::now(),
            version: 1,
            tags: Tags::new(),
            state: CrawlerState::Ready,
            schedule_state: ScheduleState::NotScheduled,
            crawls: Vec::new(),
        };
        let mut old = serde_json::to_value(&crawler).unwrap();
        assert_eq!(old["schedule_state"], "NOT_SCHEDULED");
        old.as_object_mut().unwrap().remove("schedule_state");
        let read: Crawler = serde_json::from_value(old).unwrap();
        assert_eq!(read.schedule_state, ScheduleState::Scheduled);
    }
}
