//! `GET /_glue_local/logs/<job run id>?stream=output|error&tail=<bytes>`: the end of a job
//! run's output or error log, as text, for the console. The run id must be a run of the
//! caller's account and region (never a path); with an IAM config the caller needs
//! `glue:GetJobRun` on the run's job, as for reading the run itself. The credentials of
//! job runs never pass.

use super::authn;
use super::App;
use crate::auth::authn::{Access, Caller};
use crate::auth::authorize::Target;
use crate::auth::sigv4;
use crate::engine::job_logs::{self, LogStream};
use crate::protocol::{response, WireError};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};

const DEFAULT_TAIL: u64 = 64 * 1024;
/// A reply is never larger than this, whatever `tail` asks.
const MAX_TAIL: u64 = 1024 * 1024;

pub(super) async fn handle(app: &App, run_id: &str, req: Request<hyper::body::Incoming>) -> Response<response::Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    app.bodies.discard(body).await;
    let bad = |message: String| response::plain_json(StatusCode::BAD_REQUEST, &serde_json::json!({ "error": message }));
    if !crate::engine::ids::is_job_run_id_like(run_id) {
        return bad(format!("{run_id:?} is not a job run ID"));
    }
    let (stream, tail) = match options(parts.uri.query().unwrap_or("")) {
        Ok(options) => options,
        Err(message) => return bad(message),
    };
    let (account, region, policies) = match caller(app, &parts) {
        Ok(who) => who,
        Err(e) => return response::error(&e, &request_id),
    };
    let partition = app.engine.region_view(&account, &region);
    let Some(job) = partition.job_of_run(run_id) else {
        let message = format!("Job run {run_id} not found in account {account}, region {region}");
        return response::plain_json(StatusCode::NOT_FOUND, &serde_json::json!({ "error": message }));
    };
    if let Some(caller) = policies {
        let arn = || Target::One(format!("arn:aws:glue:{region}:{account}:job/{job}"));
        if let Err(e) = caller.authorize("glue:GetJobRun", arn, |arn| partition.get_tags(arn).ok()) {
            return response::error(&e, &request_id);
        }
    }
    let path = job_logs::path(&app.engine.settings().log_dir, stream, run_id);
    let read = tokio::task::spawn_blocking(move || job_logs::tail(&path, tail)).await;
    let (bytes, size) = match read {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => {
            let value = serde_json::json!({ "error": format!("Cannot read the log of job run {run_id}: {e}") });
            return response::plain_json(StatusCode::INTERNAL_SERVER_ERROR, &value);
        }
        Err(e) => {
            let value = serde_json::json!({ "error": format!("Reading the log of job run {run_id} failed: {e}") });
            return response::plain_json(StatusCode::INTERNAL_SERVER_ERROR, &value);
        }
    };
    let mut reply = Response::new(Full::new(Bytes::from(bytes)));
    let headers = reply.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-glue-local-job-name",
        HeaderValue::from_str(&job).unwrap_or(HeaderValue::from_static("")),
    );
    headers.insert("x-glue-local-log-size", HeaderValue::from(size));
    reply
}

/// `stream` (default `output`) and `tail` (default 64 KiB, at most 1 MiB).
fn options(query: &str) -> Result<(LogStream, u64), String> {
    let (mut stream, mut tail) = (LogStream::Output, DEFAULT_TAIL);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "stream" => {
                stream =
                    LogStream::parse(value).ok_or_else(|| format!("stream must be output or error, not {value:?}"))?
            }
            "tail" => {
                let bytes: u64 = value
                    .parse()
                    .map_err(|_| format!("tail must be a number of bytes, not {value:?}"))?;
                tail = bytes.min(MAX_TAIL);
            }
            _ => return Err(format!("unknown parameter {key:?} (stream, tail)")),
        }
    }
    Ok((stream, tail))
}

/// The caller whose policies decide, with an IAM config.
type Policies = Option<Caller>;

/// The caller's account and region, and with an IAM config the policies to check.
/// Without one, anyone but a job run reads, in the region the request is signed for.
fn caller(app: &App, parts: &hyper::http::request::Parts) -> Result<(String, String, Policies), WireError> {
    let job_run_refused = || authn::job_run_refused("read job logs");
    if app.iam.read().unwrap_or_else(|e| e.into_inner()).is_none() {
        if authn::signed_by_job_run(app, parts) {
            return Err(job_run_refused());
        }
        let region = sigv4::authorization_from_headers(&parts.headers)
            .ok()
            .map(|h| h.credential.region)
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| app.config.region.clone());
        return Ok((app.config.account_id.clone(), region, None));
    }
    let caller = authn::claim(app, parts, "glue")?.verify(parts, b"")?;
    if caller.job_run.is_some() {
        return Err(job_run_refused());
    }
    match &caller.access {
        Access::Policies(_) => Ok((caller.account.clone(), caller.region.clone(), Some(caller))),
        Access::Unrestricted | Access::Denied(_) => Err(job_run_refused()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_bounded() {
        assert_eq!(options("").unwrap(), (LogStream::Output, DEFAULT_TAIL));
        assert_eq!(options("stream=error&tail=10").unwrap(), (LogStream::Error, 10));
        assert_eq!(options("tail=999999999999").unwrap().1, MAX_TAIL);
        assert!(options("stream=../../etc").is_err());
        assert!(options("tail=-1").is_err());
        assert!(options("path=x").is_err());
    }
}
