//! The `/_glue_local/…` endpoints: health and the console are open; reset, outcome
//! injection and IAM reload need `glue-local:*` permissions when an IAM config is loaded.

use super::authn::{authenticate, Access};
use super::glue::{check_policy, read_body};
use super::App;
use crate::auth::iam_config::IamConfig;
use crate::auth::sigv4;
use crate::control;
use crate::protocol::{response, WireError};
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
    let action = match (&method, name.as_str()) {
        (&Method::POST, "reset") => "glue-local:Reset",
        (&Method::POST, "outcomes") => "glue-local:InjectOutcome",
        (&Method::POST, "iam/reload") => "glue-local:ReloadIamConfig",
        (m, n) => {
            let value = serde_json::json!({"error": format!("no control endpoint {m} /_glue_local/{n}")});
            return response::plain_json(StatusCode::NOT_FOUND, &value);
        }
    };
    let (parts, body) = req.into_parts();
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(e) => return response::error(&e, &request_id),
    };
    if let Err(e) = authorize_control(app, &parts, &body, action) {
        return response::error(&e, &request_id);
    }
    let (status, value) = match action {
        "glue-local:Reset" => control::reset(&app.engine),
        "glue-local:InjectOutcome" => control::outcomes(&app.engine, &app.config.account_id, &app.config.region, &body),
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
/// allowed the `glue-local:*` action; without one they are open, like the API.
/// The credentials of job runs never pass.
fn authorize_control(
    app: &App,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    action: &str,
) -> Result<(), WireError> {
    let job_run_refused = || {
        WireError::new(
            "AccessDeniedException",
            format!("The credentials of a job run are not authorized to perform: {action}"),
        )
        .with_status(StatusCode::FORBIDDEN)
    };
    if app.iam.read().unwrap_or_else(|e| e.into_inner()).is_none() {
        let key = sigv4::authorization_from_headers(&parts.headers).map(|h| h.credential.access_key_id);
        if key.is_ok_and(|k| app.engine.settings().job_credentials.is_issued(&k)) {
            return Err(job_run_refused());
        }
        return Ok(());
    }
    let caller = authenticate(app, parts, body)?;
    if caller.job_run.is_some() {
        return Err(job_run_refused());
    }
    match &caller.access {
        Access::Policies(iam) => check_policy(iam, &caller, action, "*", None),
        Access::Unrestricted | Access::Denied(_) => Err(job_run_refused()),
    }
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
