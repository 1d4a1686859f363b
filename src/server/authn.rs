//! Who is calling: SigV4 verification against the IAM config's keys, the
//! job-runner key of scripts, or (without an IAM config) anyone as the account's root.

use super::App;
use crate::auth::iam_config::IamConfig;
use crate::auth::sigv4;
use crate::engine::settings::JOB_RUNNER_KEY_PREFIX;
use crate::protocol::WireError;
use hyper::StatusCode;
use std::sync::Arc;
use std::time::SystemTime;

/// Who is calling, once authenticated.
pub(super) struct Caller {
    pub(super) account: String,
    pub(super) region: String,
    pub(super) arn: String,
    pub(super) iam: Option<Arc<IamConfig>>,
}

pub(super) fn auth_failure(e: sigv4::AuthError) -> WireError {
    WireError::new(e.code(), e.message()).with_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN))
}

pub(super) fn authenticate(app: &App, parts: &hyper::http::request::Parts, body: &[u8]) -> Result<Caller, WireError> {
    let auth_error = |e: sigv4::AuthError| {
        WireError::new(e.code(), e.message())
            .with_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN))
    };
    let header = sigv4::authorization_from_headers(&parts.headers).map_err(auth_error)?;
    let iam = app.iam.read().unwrap_or_else(|e| e.into_inner()).clone();
    let region = if header.credential.region.is_empty() {
        app.config.region.clone()
    } else {
        header.credential.region.clone()
    };
    let verify = |secret: &str, token: Option<&str>| {
        let uri = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let method = parts.method.as_str();
        sigv4::verify(
            method,
            uri,
            &parts.headers,
            body,
            &header,
            secret,
            token,
            SystemTime::now(),
        )
        .map_err(auth_error)
    };
    let job_runner_account = header.credential.access_key_id.strip_prefix(JOB_RUNNER_KEY_PREFIX);
    match (iam, job_runner_account) {
        // Scripts of job runs call back with the job runner's key: verified, then trusted
        // like the account's administrator (they are the user's own code).
        (Some(_), Some(account)) => {
            verify(&app.engine.settings().job_secret, None)?;
            let arn = format!("arn:aws:iam::{account}:role/glue-local-job-runner");
            Ok(Caller {
                account: account.to_string(),
                arn,
                region,
                iam: None,
            })
        }
        (None, _) => {
            sigv4::check_date(&parts.headers, &header, SystemTime::now()).map_err(auth_error)?;
            let account = app.config.account_id.clone();
            Ok(Caller {
                arn: format!("arn:aws:iam::{account}:root"),
                account,
                region,
                iam: None,
            })
        }
        (Some(iam), None) => {
            let principal = iam
                .principal_by_key(&header.credential.access_key_id)
                .ok_or_else(|| auth_error(sigv4::AuthError::UnrecognizedClient))?;
            let token = parts.headers.get("x-amz-security-token").and_then(|v| v.to_str().ok());
            if token != principal.session_token() {
                return Err(auth_error(sigv4::AuthError::UnrecognizedClient));
            }
            verify(principal.secret_access_key(), principal.session_token())?;
            let (account, arn) = (principal.account.clone(), principal.arn.clone());
            Ok(Caller {
                account,
                arn,
                region,
                iam: Some(iam.clone()),
            })
        }
    }
}
