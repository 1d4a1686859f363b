//! The `/_glue_local/…` endpoints: health and the console are open; job logs are read
//! like GetJobRun ([`super::job_logs`]); job runs call back for their bookmarks
//! ([`super::bookmarks`]); reset, outcome injection, events and IAM reload need a
//! JSON body (a page on another site cannot send one without the browser asking first,
//! which is never granted) and, when an IAM config is loaded, `glue-local:*` permissions.

use super::authn;
use super::body::{check_declared_length, ReadBody};
use super::App;
use crate::auth::authn::Access;
use crate::auth::iam_config::IamConfig;
use crate::control;
use crate::protocol::{request, response, WireError};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use std::sync::Arc;

pub(super) async fn handle(app: &App, name: String, req: Request<Incoming>) -> Response<response::Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let method = req.method().clone();
    if method == Method::GET && name == "health" {
        let (status, value) = control::health(&app.engine);
        return response::plain_json(status, &value);
    }
    if method == Method::GET && name.starts_with("ui") {
        return crate::console::serve(&name);
    }
    if let Some(run_id) = name.strip_prefix("bookmarks/") {
        return super::bookmarks::handle(app, run_id, req).await;
    }
    if method == Method::GET {
        if let Some(run_id) = name.strip_prefix("logs/") {
            return super::job_logs::handle(app, run_id, req).await;
        }
    }
    let action = match (&method, name.as_str()) {
        (&Method::POST, "reset") => "glue-local:Reset",
        (&Method::POST, "outcomes") => "glue-local:InjectOutcome",
        (&Method::POST, "iam/reload") => "glue-local:ReloadIamConfig",
        (&Method::POST, "events") => control::NOTIFY_EVENT,
        (m, n) => {
            let value = serde_json::json!({"error": format!("no control endpoint {m} /_glue_local/{n}")});
            app.bodies.discard(req.into_body()).await;
            return response::plain_json(StatusCode::NOT_FOUND, &value);
        }
    };
    let media_type = request::media_type(req.headers());
    if !media_type.eq_ignore_ascii_case("application/json") {
        let value = serde_json::json!({
            "error": format!("POST /_glue_local/{name} needs Content-Type: application/json, not {media_type:?}")
        });
        app.bodies.discard(req.into_body()).await;
        return response::plain_json(StatusCode::UNSUPPORTED_MEDIA_TYPE, &value);
    }
    let (parts, body) = req.into_parts();
    // glue:notifyEvent is authorized on the workflow the event goes to; the rest on `*`.
    let resource = |body: &[u8], account: &str, region: &str| match action {
        control::NOTIFY_EVENT => control::event_workflow_arn(body, account, region),
        _ => "*".to_string(),
    };
    let (body, (account, region)) = match authorize_control(app, &parts, body, action, resource).await {
        Ok(authorized) => authorized,
        Err(e) => return response::error(&e, &request_id),
    };
    let (status, value) = match action {
        "glue-local:Reset" => control::reset(&app.engine),
        "glue-local:InjectOutcome" => control::outcomes(&app.engine, &account, &region, &body.bytes),
        control::NOTIFY_EVENT => control::post_event(&app.engine, &account, &region, &body.bytes),
        _ => match reload_iam(app) {
            Ok(n) => (
                StatusCode::OK,
                serde_json::json!({"status": "reloaded", "principals": n}),
            ),
            Err(e) => (StatusCode::BAD_REQUEST, serde_json::json!({"error": e})),
        },
    };
    response::plain_json(status, &value)
}

/// With an IAM config, control endpoints need a signed request from a principal
/// allowed the action (`glue-local:*`, or `glue:notifyEvent`) on `resource` (from the
/// body, account and region); without one they are open, like the API.
/// The credentials of job runs never pass. Returns the body and the caller's account and region.
async fn authorize_control<'a>(
    app: &'a App,
    parts: &hyper::http::request::Parts,
    body: Incoming,
    action: &str,
    resource: impl FnOnce(&[u8], &str, &str) -> String,
) -> Result<(ReadBody<'a>, (String, String)), WireError> {
    let job_run_refused = || authn::job_run_refused(&format!("perform: {action}"));
    let claim = if app.iam.read().unwrap_or_else(|e| e.into_inner()).is_none() {
        if authn::signed_by_job_run(app, parts) {
            Err(job_run_refused())
        } else {
            let defaults = (app.config.account_id.clone(), app.config.region.clone());
            return Ok((app.bodies.read(body).await?, defaults));
        }
    } else {
        check_declared_length(&body).and_then(|()| authn::claim(app, parts, "glue"))
    };
    let (body, caller) = authn::admit(app, parts, body, claim).await?;
    if caller.job_run.is_some() {
        return Err(job_run_refused());
    }
    match &caller.access {
        Access::Policies(principal) => {
            let resource = resource(&body.bytes, &caller.account, &caller.region);
            caller.check(principal, action, &resource, None)?
        }
        Access::Unrestricted | Access::Denied(_) => return Err(job_run_refused()),
    }
    Ok((body, (caller.account, caller.region)))
}

/// Re-reads the IAM config file; a bad file keeps the policies in force.
pub(super) fn reload_iam(app: &App) -> Result<usize, String> {
    let Some(path) = &app.config.iam_config else {
        return Err("glue-local runs without --iam-config: nothing to reload".into());
    };
    let fresh = IamConfig::load(path)?;
    let count = fresh.principals().len();
    *app.iam.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(fresh));
    Ok(count)
}
