//! Who is calling: SigV4 verification against the IAM config's keys, then the credentials
//! issued to running job scripts, or (without an IAM config) anyone as the account's root.
//! What the headers alone can refuse is refused before the body is read ([`claim`]).

use super::App;
use crate::auth::iam_config::{IamConfig, PrincipalKind};
use crate::auth::sigv4;
use crate::engine::credentials::JobCredential;
use crate::protocol::WireError;
use hyper::StatusCode;
use std::sync::Arc;
use std::time::SystemTime;

/// Who is calling, once authenticated.
pub(super) struct Caller {
    pub(super) account: String,
    pub(super) region: String,
    pub(super) arn: String,
    pub(super) access: Access,
    /// The job run whose credentials signed the request.
    pub(super) job_run: Option<String>,
}

/// What a caller may do in its account and region.
pub(super) enum Access {
    /// Anything (there is no IAM config).
    Unrestricted,
    /// What the IAM config's policies of the caller's ARN allow.
    Policies(Arc<IamConfig>),
    /// Nothing, for this reason (a job run whose role the IAM config does not name).
    Denied(String),
}

pub(super) fn auth_failure(e: sigv4::AuthError) -> WireError {
    WireError::new(e.code(), e.message()).with_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN))
}

/// What the headers alone say about the caller, checked before the body is read: the
/// `Authorization` header's form, the date and, with an IAM config, that the key exists.
pub(super) struct Claim {
    header: sigv4::AuthHeader,
    region: String,
    iam: Option<Arc<IamConfig>>,
    kind: ClaimKind,
}

enum ClaimKind {
    /// A key of the IAM config: a configured principal is itself whatever its key looks like.
    Principal,
    /// Credentials issued to a running job script.
    JobRun(Arc<JobCredential>),
    /// Without an IAM config: anyone, as the account's root.
    Anyone,
}

/// The header-only half of authentication; [`Claim::verify`] checks the signature over the body.
pub(super) fn claim(app: &App, parts: &hyper::http::request::Parts) -> Result<Claim, WireError> {
    let header = sigv4::authorization_from_headers(&parts.headers).map_err(auth_failure)?;
    let iam = app.iam.read().unwrap_or_else(|e| e.into_inner()).clone();
    let region = if header.credential.region.is_empty() {
        app.config.region.clone()
    } else {
        header.credential.region.clone()
    };
    let key = header.credential.access_key_id.as_str();
    let kind = if let Some(principal) = iam.as_ref().and_then(|iam| iam.principal_by_key(key)) {
        let token = parts.headers.get("x-amz-security-token").and_then(|v| v.to_str().ok());
        if token != principal.session_token() {
            return Err(auth_failure(sigv4::AuthError::UnrecognizedClient));
        }
        ClaimKind::Principal
    } else if let Some(credential) = app.engine.settings().job_credentials.valid(key) {
        ClaimKind::JobRun(credential)
    } else if iam.is_some() {
        return Err(auth_failure(sigv4::AuthError::UnrecognizedClient));
    } else {
        ClaimKind::Anyone
    };
    sigv4::check_date(&parts.headers, &header, SystemTime::now()).map_err(auth_failure)?;
    Ok(Claim {
        header,
        region,
        iam,
        kind,
    })
}

impl Claim {
    /// Who is calling, once the signature over `body` is verified (when there is a secret to verify it with).
    pub(super) fn verify(
        self,
        app: &App,
        parts: &hyper::http::request::Parts,
        body: &[u8],
    ) -> Result<Caller, WireError> {
        let Claim {
            header,
            region,
            iam,
            kind,
        } = self;
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
            .map_err(auth_failure)
        };
        match kind {
            ClaimKind::Principal => {
                let iam = iam.ok_or_else(|| auth_failure(sigv4::AuthError::UnrecognizedClient))?;
                let principal = iam
                    .principal_by_key(&header.credential.access_key_id)
                    .ok_or_else(|| auth_failure(sigv4::AuthError::UnrecognizedClient))?;
                verify(principal.secret_access_key(), principal.session_token())?;
                let (account, arn) = (principal.account.clone(), principal.arn.clone());
                Ok(Caller {
                    account,
                    arn,
                    region,
                    access: Access::Policies(iam),
                    job_run: None,
                })
            }
            ClaimKind::JobRun(credential) => {
                verify(credential.secret_access_key(), Some(credential.session_token()))?;
                job_run_caller(&credential, iam, region)
            }
            ClaimKind::Anyone => {
                let account = app.config.account_id.clone();
                Ok(Caller {
                    arn: format!("arn:aws:iam::{account}:root"),
                    account,
                    region,
                    access: Access::Unrestricted,
                    job_run: None,
                })
            }
        }
    }
}

/// A job run's script: in the run's account and region only. Without an IAM config it may
/// do anything there; with one, what the policies of the job's role allow if the config
/// names that role in the run's account, and nothing otherwise.
fn job_run_caller(
    credential: &JobCredential,
    iam: Option<Arc<IamConfig>>,
    region: String,
) -> Result<Caller, WireError> {
    let arn = credential.role_arn.clone();
    if region != credential.region {
        return Err(WireError::new(
            "AccessDeniedException",
            format!(
                "User: {arn} is not authorized in region {region}: the credentials of job run {} are valid in {} only",
                credential.job_run_id, credential.region
            ),
        ));
    }
    let access = match iam {
        None => Access::Unrestricted,
        Some(iam) => {
            let configured = iam
                .principals()
                .iter()
                .any(|p| p.arn == arn && p.kind == PrincipalKind::Role && p.account == credential.account);
            if configured {
                Access::Policies(iam)
            } else {
                Access::Denied(format!(
                    "because the job's role is not a role of account {} in the IAM config",
                    credential.account
                ))
            }
        }
    };
    Ok(Caller {
        account: credential.account.clone(),
        region,
        arn,
        access,
        job_run: Some(credential.job_run_id.clone()),
    })
}
