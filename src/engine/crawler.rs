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
        Ready = "READY",
        Running = "RUNNING",
        Stopping = "STOPPING",
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
}
