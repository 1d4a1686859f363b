//! The emulator's own endpoints under `/_glue_local/`: health, reset, outcome injection
//! and events posted to a workflow.

use crate::engine::event_ops::Delivery;
use crate::engine::job::JobRunState;
use crate::engine::trigger::CrawlState;
use crate::engine::Engine;
use crate::engine::InjectedOutcome;
use hyper::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

/// The states an injected outcome may end a job run or a crawl in.
const JOB_ENDINGS: &[JobRunState] = &[
    JobRunState::Succeeded,
    JobRunState::Failed,
    JobRunState::Timeout,
    JobRunState::Stopped,
    JobRunState::Error,
];
const CRAWL_ENDINGS: &[CrawlState] = &[
    CrawlState::Succeeded,
    CrawlState::Failed,
    CrawlState::Cancelled,
    CrawlState::Error,
];

/// The one of `valid` spelled `text`.
fn ending<S: Copy>(text: &str, valid: &[S], spelling: fn(S) -> &'static str) -> Result<S, String> {
    valid.iter().copied().find(|s| spelling(*s) == text).ok_or_else(|| {
        let names: Vec<&str> = valid.iter().map(|s| spelling(*s)).collect();
        format!("state must be one of {names:?}")
    })
}

/// The body of `POST /_glue_local/outcomes`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutcomeRequest {
    job_name: Option<String>,
    crawler_name: Option<String>,
    state: String,
    error_message: Option<String>,
    count: Option<u32>,
    account_id: Option<String>,
    region: Option<String>,
}

pub fn health(engine: &Engine) -> (StatusCode, Value) {
    (
        StatusCode::OK,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "partitions": engine.partition_count()}),
    )
}

pub fn reset(engine: &Engine) -> (StatusCode, Value) {
    match engine.reset() {
        Ok(()) => (StatusCode::OK, json!({"status": "reset"})),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, json!({"error": e.to_string()})),
    }
}

/// Makes the next `count` runs of a job (or crawls of a crawler) end in `state`, in the
/// request's account and region or else the caller's.
pub fn outcomes(engine: &Engine, caller_account: &str, caller_region: &str, body: &[u8]) -> (StatusCode, Value) {
    let bad = |m: String| (StatusCode::BAD_REQUEST, json!({"error": m}));
    let req: OutcomeRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return bad(format!("invalid outcome request: {e}")),
    };
    let region = || {
        engine.region(
            req.account_id.as_deref().unwrap_or(caller_account),
            req.region.as_deref().unwrap_or(caller_region),
        )
    };
    let (count, error_message) = (req.count.unwrap_or(1), req.error_message);
    match (req.job_name, req.crawler_name) {
        (Some(job), None) => match ending(&req.state, JOB_ENDINGS, JobRunState::as_str) {
            Ok(state) => region().exec.inject_outcome(
                |o| &mut o.jobs,
                job,
                InjectedOutcome {
                    state,
                    error_message,
                    remaining: count,
                },
            ),
            Err(message) => return bad(message),
        },
        (None, Some(crawler)) => match ending(&req.state, CRAWL_ENDINGS, CrawlState::as_str) {
            Ok(state) => region().exec.inject_outcome(
                |o| &mut o.crawlers,
                crawler,
                InjectedOutcome {
                    state,
                    error_message,
                    remaining: count,
                },
            ),
            Err(message) => return bad(message),
        },
        _ => return bad("give exactly one of jobName and crawlerName".into()),
    }
    (StatusCode::OK, json!({"status": "ok", "count": count}))
}

/// The IAM action of delivering an event to a workflow, as AWS names it.
pub const NOTIFY_EVENT: &str = "glue:notifyEvent";

/// The body of `POST /_glue_local/events`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EventRequest {
    workflow_name: String,
    event_id: Option<String>,
    account_id: Option<String>,
    region: Option<String>,
}

impl EventRequest {
    /// The workflow's partition: the request's, else the caller's.
    fn partition<'a>(&'a self, account: &'a str, region: &'a str) -> (&'a str, &'a str) {
        (
            self.account_id.as_deref().unwrap_or(account),
            self.region.as_deref().unwrap_or(region),
        )
    }
}

/// The workflow an event request names, as the ARN `glue:notifyEvent` is authorized on
/// (a body that names none: `*`'s denial is as good as any).
pub fn event_workflow_arn(body: &[u8], account: &str, region: &str) -> String {
    match serde_json::from_slice::<EventRequest>(body) {
        Ok(r) => {
            let (account, region) = r.partition(account, region);
            format!("arn:aws:glue:{region}:{account}:workflow/{}", r.workflow_name)
        }
        Err(_) => "*".to_string(),
    }
}

/// Delivers one event (its id given, or a new UUID) to a workflow of the request's account
/// and region or else the caller's, as an EventBridge target would.
pub fn post_event(engine: &Engine, account: &str, region: &str, body: &[u8]) -> (StatusCode, Value) {
    let req: EventRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                json!({"error": format!("invalid event request: {e}")}),
            )
        }
    };
    let event_id = req.event_id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let (account, region) = req.partition(account, region);
    match engine
        .region(account, region)
        .notify_event(&req.workflow_name, &event_id)
    {
        Ok(delivery) => (StatusCode::OK, delivery_json(&event_id, &delivery)),
        Err(e) => (StatusCode::NOT_FOUND, json!({"error": e.to_string()})),
    }
}

fn delivery_json(event_id: &str, delivery: &Delivery) -> Value {
    match delivery {
        Delivery::Batched { trigger, pending } => {
            json!({"eventId": event_id, "delivery": "batched", "trigger": trigger, "pending": pending})
        }
        Delivery::Started { trigger, run_id } => {
            json!({"eventId": event_id, "delivery": "started", "trigger": trigger, "runId": run_id})
        }
        Delivery::NotStarted { trigger, message } => {
            json!({"eventId": event_id, "delivery": "notStarted", "trigger": trigger, "message": message})
        }
        Delivery::Ignored { reason } => json!({"eventId": event_id, "delivery": "ignored", "message": reason}),
    }
}
