//! `/_glue_local/bookmarks/<job run id>`: what `awsglue.job.Job` calls back, with its run's
//! own credentials only (SigV4, verified with or without an IAM config). `GET` answers what
//! the run starts from (`init`), `POST {"jobBookmark": {...}}` commits its state (`commit`).

use super::authn;
use super::body::check_declared_length;
use super::App;
use crate::engine::bookmark::BookmarkEntry;
use crate::engine::ids::is_job_run_id_like;
use crate::protocol::{request, response, WireError};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

pub(super) async fn handle(app: &App, run_id: &str, req: Request<Incoming>) -> Response<response::Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    match answer(app, run_id, req).await {
        Ok(value) => response::plain_json(StatusCode::OK, &value),
        Err(e) => response::error(&e, &request_id),
    }
}

async fn answer(app: &App, run_id: &str, req: Request<Incoming>) -> Result<Value, WireError> {
    let (parts, body) = req.into_parts();
    let method = parts.method.clone();
    let refusal = if !is_job_run_id_like(run_id) {
        Some(WireError::invalid_input(format!("{run_id:?} is not a job run ID")))
    } else if method != Method::GET && method != Method::POST {
        Some(
            WireError::invalid_input(format!("{method} is neither GET nor POST"))
                .with_status(StatusCode::METHOD_NOT_ALLOWED),
        )
    } else if method == Method::POST && !request::media_type(&parts.headers).eq_ignore_ascii_case("application/json") {
        Some(
            WireError::new(
                "SerializationException",
                "A bookmark commit needs Content-Type: application/json",
            )
            .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        )
    } else {
        None
    };
    let claim = match refusal {
        Some(e) => Err(e),
        None => check_declared_length(&body).and_then(|()| authn::claim(app, &parts, "glue")),
    };
    let (body, caller) = authn::admit(app, &parts, body, claim).await?;
    if caller.job_run.as_deref() != Some(run_id) {
        return Err(WireError::new(
            "AccessDeniedException",
            format!("Only the credentials of job run {run_id} may read or commit its bookmark"),
        )
        .with_status(StatusCode::FORBIDDEN));
    }
    let region = app.engine.region(&caller.account, &caller.region);
    if method == Method::GET {
        let seen = region.job_run_bookmark(run_id)?;
        return Ok(json!({
            "jobName": seen.job,
            "option": seen.option.as_str(),
            "from": seen.from.as_ref().map(entry),
            "to": seen.to.as_ref().map(entry),
        }));
    }
    let state = serde_json::from_slice::<Value>(&body.bytes)
        .ok()
        .and_then(|mut v| v.get_mut("jobBookmark").map(Value::take))
        .filter(Value::is_object)
        .ok_or_else(|| WireError::serialization("A bookmark commit is {\"jobBookmark\": {…a JSON object…}}"))?;
    let committed = region.commit_job_run_bookmark(run_id, state.to_string())?;
    Ok(json!({"stored": committed.is_some(), "entry": committed.as_ref().map(entry)}))
}

fn entry(e: &BookmarkEntry) -> Value {
    json!({
        "version": e.version,
        "run": e.run,
        "attempt": e.attempt,
        "previousRunId": e.previous_run_id,
        "runId": e.run_id,
        "jobBookmark": e.job_bookmark,
    })
}
