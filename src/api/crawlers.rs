//! CreateCrawler, GetCrawler, GetCrawlers, UpdateCrawler, DeleteCrawler, ListCrawlers,
//! BatchGetCrawlers, StartCrawler, StopCrawler, ListCrawls, GetCrawlerMetrics,
//! UpdateCrawlerSchedule, StartCrawlerSchedule, StopCrawlerSchedule.

use super::pagination::{self, PageRequest, TaggedPageRequest};
use super::shapes::{epoch, epoch_opt};
use super::{Ctx, Empty, NameInput, Reply};
use crate::engine::clock::Timestamp;
use crate::engine::crawler::{Crawl, CrawlSummary, Crawler, CrawlerSpec, ScheduleState};
use crate::engine::job::Passthrough;
use crate::engine::trigger::CrawlState;
use crate::engine::workflow::Tags;
use crate::engine::Error;
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};

/// Crawler members stored and returned as given; a crawl of files reads Targets, TablePrefix,
/// SchemaChangePolicy, RecrawlPolicy and Configuration from them (engine::crawler_plan).
const PASSTHROUGH: &[&str] = &[
    "Targets",
    "Description",
    "Classifiers",
    "TablePrefix",
    "SchemaChangePolicy",
    "RecrawlPolicy",
    "LineageConfiguration",
    "LakeFormationConfiguration",
    "Configuration",
    "CrawlerSecurityConfiguration",
    "CatalogId",
];

fn passthrough(rest: serde_json::Map<String, serde_json::Value>) -> Passthrough {
    rest.into_iter()
        .filter(|(k, _)| PASSTHROUGH.contains(&k.as_str()))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    name: String,
    role: String,
    database_name: Option<String>,
    schedule: Option<String>,
    tags: Option<Tags>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<Empty> {
    let spec = CrawlerSpec {
        role: i.role,
        database_name: i.database_name,
        schedule: i.schedule.filter(|s| !s.is_empty()),
        passthrough: passthrough(i.rest),
    };
    ctx.region.create_crawler(&i.name, spec, i.tags.unwrap_or_default())?;
    Ok(Empty {})
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScheduleOut {
    schedule_expression: String,
    state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LastCrawlOut {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    log_group: &'static str,
    log_stream: String,
    message_prefix: String,
    #[serde(serialize_with = "epoch")]
    start_time: Timestamp,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CrawlerOut {
    name: String,
    role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_name: Option<String>,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<ScheduleOut>,
    crawl_elapsed_time: i64,
    #[serde(serialize_with = "epoch")]
    creation_time: Timestamp,
    #[serde(serialize_with = "epoch")]
    last_updated: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_crawl: Option<LastCrawlOut>,
    version: i64,
    #[serde(flatten)]
    passthrough: Passthrough,
}

impl From<Crawler> for CrawlerOut {
    fn from(c: Crawler) -> CrawlerOut {
        let last: Option<Crawl> = c.crawls.last().map(|l| l.lock().unwrap().clone());
        let running = last.as_ref().filter(|l| !l.state.is_finished());
        let finished = c
            .crawls
            .iter()
            .rev()
            .map(|l| l.lock().unwrap().clone())
            .find(|l| l.state.is_finished());
        CrawlerOut {
            name: c.name.clone(),
            role: c.spec.role,
            database_name: c.spec.database_name,
            state: c.state.as_str(),
            schedule: c.spec.schedule.map(|s| ScheduleOut {
                schedule_expression: s,
                state: c.schedule_state.as_str(),
            }),
            crawl_elapsed_time: running.map_or(0, |l| (Timestamp::now().0 - l.started_on.0).max(0)),
            creation_time: c.created_on,
            last_updated: c.last_updated,
            last_crawl: finished.map(|l| LastCrawlOut {
                status: match l.state {
                    CrawlState::Succeeded => "SUCCEEDED",
                    CrawlState::Cancelled => "CANCELLED",
                    _ => "FAILED",
                },
                error_message: l.error_message,
                log_group: "/aws-glue/crawlers",
                log_stream: c.name.clone(),
                message_prefix: l.id,
                start_time: l.started_on,
            }),
            version: c.version,
            passthrough: c.spec.passthrough,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    crawler: CrawlerOut,
}

pub fn get(ctx: &Ctx, i: NameInput) -> Reply<GetOutput> {
    Ok(GetOutput {
        crawler: ctx.region.get_crawler(&i.name)?.into(),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    crawlers: Vec<CrawlerOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_all(ctx: &Ctx, i: PageRequest) -> Reply<GetAllOutput> {
    let (page, next_token) = ctx.names_page("GetCrawlers", ctx.region.crawler_names(&Tags::new()), &i, 100)?;
    let crawlers = page
        .iter()
        .filter_map(|n| ctx.region.get_crawler(n).ok())
        .map(CrawlerOut::from)
        .collect();
    Ok(GetAllOutput { crawlers, next_token })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    crawler_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn list(ctx: &Ctx, i: TaggedPageRequest) -> Reply<ListOutput> {
    let tags = i.tags.unwrap_or_default();
    let names = ctx.region.crawler_names(&tags);
    let (crawler_names, next_token) = ctx.names_page(format!("ListCrawlers/{tags:?}"), names, &i.page, 100)?;
    Ok(ListOutput {
        crawler_names,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    name: String,
    role: Option<String>,
    database_name: Option<String>,
    schedule: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<Empty> {
    ctx.region.update_crawler(&i.name, |spec| {
        if let Some(r) = i.role {
            spec.role = r;
        }
        if let Some(d) = i.database_name {
            spec.database_name = Some(d);
        }
        if let Some(s) = i.schedule {
            // An empty schedule removes it.
            spec.schedule = Some(s).filter(|s| !s.is_empty());
        }
        spec.passthrough.extend(passthrough(i.rest));
    })?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateScheduleInput {
    crawler_name: String,
    schedule: Option<String>,
}

/// Sets or (with "") removes the schedule as UpdateCrawler does. A running crawler is refused with
/// InvalidInputException: the operation's model has no CrawlerRunningException.
pub fn update_schedule(ctx: &Ctx, i: UpdateScheduleInput) -> Reply<Empty> {
    ctx.region
        .update_crawler(&i.crawler_name, |spec| {
            if let Some(s) = i.schedule {
                spec.schedule = Some(s).filter(|s| !s.is_empty());
            }
        })
        .map_err(|e| match e {
            Error::CrawlerRunning(m) => Error::InvalidInput(m),
            e => e,
        })?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CrawlerNameInput {
    crawler_name: String,
}

pub fn start_schedule(ctx: &Ctx, i: CrawlerNameInput) -> Reply<Empty> {
    ctx.region
        .set_crawler_schedule_state(&i.crawler_name, ScheduleState::Scheduled)?;
    Ok(Empty {})
}

pub fn stop_schedule(ctx: &Ctx, i: CrawlerNameInput) -> Reply<Empty> {
    ctx.region
        .set_crawler_schedule_state(&i.crawler_name, ScheduleState::NotScheduled)?;
    Ok(Empty {})
}

pub fn delete(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    ctx.region.delete_crawler(&i.name)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetInput {
    crawler_names: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetOutput {
    crawlers: Vec<CrawlerOut>,
    crawlers_not_found: Vec<String>,
}

pub fn batch_get(ctx: &Ctx, i: BatchGetInput) -> Reply<BatchGetOutput> {
    let (crawlers, crawlers_not_found) =
        ctx.split_found(i.crawler_names, |n| ctx.region.get_crawler(n).map(Into::into));
    Ok(BatchGetOutput {
        crawlers,
        crawlers_not_found,
    })
}

pub fn start(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    ctx.region.start_crawler(&i.name)?;
    Ok(Empty {})
}

pub fn stop(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    ctx.region.stop_crawler(&i.name)?;
    Ok(Empty {})
}

// ---- crawl history and metrics ----------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CrawlsFilter {
    field_name: Option<String>,
    filter_operator: Option<String>,
    field_value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListCrawlsInput {
    crawler_name: String,
    max_results: Option<i32>,
    filters: Option<Vec<CrawlsFilter>>,
    next_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CrawlerHistory {
    crawl_id: String,
    state: &'static str,
    #[serde(serialize_with = "epoch")]
    start_time: Timestamp,
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    end_time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    log_group: &'static str,
    log_stream: String,
    message_prefix: String,
    #[serde(rename = "DPUHour")]
    dpu_hour: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListCrawlsOutput {
    crawls: Vec<CrawlerHistory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

fn history_state(state: CrawlState) -> &'static str {
    match state {
        CrawlState::Running | CrawlState::Cancelling => "RUNNING",
        CrawlState::Succeeded => "COMPLETED",
        CrawlState::Cancelled => "STOPPED",
        CrawlState::Failed | CrawlState::Error => "FAILED",
    }
}

/// A crawl's changes as a JSON document, `{"TABLE":{"ADD":{"Count":1}},"PARTITION":{…}}` (AWS
/// documents only that it lists the tables and partitions added, updated and deleted).
fn summary(s: &CrawlSummary) -> Option<String> {
    let counts = |add: u32, update: u32, delete: u32| {
        let mut m = serde_json::Map::new();
        for (what, n) in [("ADD", add), ("UPDATE", update), ("DELETE", delete)] {
            if n > 0 {
                m.insert(what.into(), serde_json::json!({ "Count": n }));
            }
        }
        m
    };
    let mut doc = serde_json::Map::new();
    for (what, m) in [
        ("TABLE", counts(s.tables_created, s.tables_updated, s.tables_deleted)),
        (
            "PARTITION",
            counts(s.partitions_created, s.partitions_updated, s.partitions_deleted),
        ),
    ] {
        if !m.is_empty() {
            doc.insert(what.into(), m.into());
        }
    }
    (!doc.is_empty()).then(|| serde_json::Value::Object(doc).to_string())
}

/// Filters on CRAWL_ID and STATE with EQ or NE.
fn keep(h: &CrawlerHistory, filters: &[CrawlsFilter]) -> Reply<bool> {
    for f in filters {
        let value = f.field_value.as_deref().unwrap_or("");
        let field = match f.field_name.as_deref() {
            Some("CRAWL_ID") => h.crawl_id.as_str(),
            Some("STATE") => h.state,
            other => {
                return Err(WireError::invalid_input(format!(
                    "glue-local filters crawls on CRAWL_ID and STATE only, not {other:?}"
                )))
            }
        };
        let equal = field == value;
        match f.filter_operator.as_deref() {
            Some("EQ") if !equal => return Ok(false),
            Some("NE") if equal => return Ok(false),
            Some("EQ") | Some("NE") => {}
            other => {
                return Err(WireError::invalid_input(format!(
                    "glue-local filters crawls with EQ and NE only, not {other:?}"
                )))
            }
        }
    }
    Ok(true)
}

pub fn list_crawls(ctx: &Ctx, i: ListCrawlsInput) -> Reply<ListCrawlsOutput> {
    let filters = i.filters.unwrap_or_default();
    let mut crawls = Vec::new();
    for c in ctx.region.crawls(&i.crawler_name)? {
        let seconds = c
            .completed_on
            .unwrap_or_else(Timestamp::now)
            .seconds_since(c.started_on) as f64;
        let h = CrawlerHistory {
            state: history_state(c.state),
            start_time: c.started_on,
            end_time: c.completed_on,
            summary: summary(&c.summary),
            error_message: c.error_message,
            log_group: "/aws-glue/crawlers",
            log_stream: c.crawler_name,
            message_prefix: c.id.clone(),
            crawl_id: c.id,
            dpu_hour: seconds / 3600.0,
        };
        if keep(&h, &filters)? {
            crawls.push(h);
        }
    }
    let scope = ctx.scope(format!("ListCrawls/{}", i.crawler_name));
    let (page, next_token) = pagination::page_after_id(
        &scope,
        crawls,
        |h| h.crawl_id.as_str(),
        i.next_token.as_deref(),
        i.max_results,
        20,
    )?;
    Ok(ListCrawlsOutput {
        crawls: page,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricsInput {
    crawler_name_list: Option<Vec<String>>,
    #[serde(flatten)]
    page: PageRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricsOut {
    crawler_name: String,
    time_left_seconds: f64,
    still_estimating: bool,
    last_runtime_seconds: f64,
    median_runtime_seconds: f64,
    tables_created: i32,
    tables_updated: i32,
    tables_deleted: i32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricsOutput {
    crawler_metrics_list: Vec<MetricsOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn metrics(ctx: &Ctx, i: MetricsInput) -> Reply<MetricsOutput> {
    let mut names = match i.crawler_name_list {
        Some(list) => list,
        None => ctx.region.crawler_names(&Tags::new()),
    };
    names.sort();
    names.dedup();
    // GetCrawlerMetrics declares no EntityNotFoundException: names of crawlers that do not exist are left out.
    names.retain(|n| ctx.region.get_crawler(n).is_ok());
    let (page, next_token) = ctx.names_page("GetCrawlerMetrics", names, &i.page, 100)?;
    let crawler_metrics_list = page
        .iter()
        .filter_map(|n| ctx.region.crawler_metrics(n).ok())
        .map(|m| MetricsOut {
            crawler_name: m.crawler_name,
            time_left_seconds: m.time_left_seconds,
            still_estimating: m.still_estimating,
            last_runtime_seconds: m.last_runtime_seconds,
            median_runtime_seconds: m.median_runtime_seconds,
            tables_created: m.tables_created,
            tables_updated: m.tables_updated,
            tables_deleted: m.tables_deleted,
        })
        .collect();
    Ok(MetricsOutput {
        crawler_metrics_list,
        next_token,
    })
}
