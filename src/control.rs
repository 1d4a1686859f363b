//! The emulator's own endpoints under `/_glue_local/`: health, reset and outcome injection.

use crate::engine::region::{InjectedOutcome, OutcomeTarget};
use crate::engine::Engine;
use hyper::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

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
    let (target, valid): (OutcomeTarget, &[&str]) = match (req.job_name, req.crawler_name) {
        (Some(j), None) => (
            OutcomeTarget::Job(j),
            &["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"],
        ),
        (None, Some(c)) => (
            OutcomeTarget::Crawler(c),
            &["SUCCEEDED", "FAILED", "CANCELLED", "ERROR"],
        ),
        _ => return bad("give exactly one of jobName and crawlerName".into()),
    };
    if !valid.contains(&req.state.as_str()) {
        return bad(format!("state must be one of {valid:?}"));
    }
    let region = engine.region(
        req.account_id.as_deref().unwrap_or(caller_account),
        req.region.as_deref().unwrap_or(caller_region),
    );
    let count = req.count.unwrap_or(1);
    region.inject_outcome(
        target,
        InjectedOutcome {
            state: req.state,
            error_message: req.error_message,
            remaining: count,
        },
    );
    (StatusCode::OK, json!({"status": "ok", "count": count}))
}
