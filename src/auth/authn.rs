//! Who is calling: SigV4 verification against the IAM config's keys, then the credentials
//! issued to running job scripts, or (without an IAM config) anyone as the account's root.
//! What the headers alone can refuse is refused before the body is read ([`claim`]); the
//! principal found then is carried to authorization, never looked up again.

use super::iam_config::{IamConfig, Principal, PrincipalKind};
use super::sigv4::{self, AuthError};
use crate::protocol::WireError;
use hyper::http::request::Parts;
use std::sync::Arc;
use std::time::SystemTime;

/// Who is calling, once authenticated.
pub struct Caller {
    pub account: String,
    pub region: String,
    pub arn: String,
    pub access: Access,
    /// The job run whose credentials signed the request.
    pub job_run: Option<String>,
}

/// What a caller may do in its account and region.
pub enum Access {
    /// Anything (there is no IAM config).
    Unrestricted,
    /// What this principal's policies allow.
    Policies(Arc<Principal>),
    /// Nothing, for this reason (a job run whose role the IAM config does not name).
    Denied(String),
}

/// Credentials issued to a running job script (by the engine, which owns them).
pub trait RunCredential: Send + Sync {
    fn secret_access_key(&self) -> &str;
    fn session_token(&self) -> &str;
    fn account(&self) -> &str;
    fn region(&self) -> &str;
    fn job_run_id(&self) -> &str;
    fn role_arn(&self) -> &str;
}

/// What authentication knows beyond the request itself.
pub struct Keys<'a> {
    pub iam: Option<Arc<IamConfig>>,
    /// The region of a request whose credential scope names none.
    pub default_region: &'a str,
    /// The account of anyone calling without an IAM config.
    pub account_id: &'a str,
    /// The valid credentials issued to a job run under this access key id.
    pub run_credential: &'a dyn Fn(&str) -> Option<Arc<dyn RunCredential>>,
    /// The service the credential scope must name (`glue`, `events`).
    pub service: &'a str,
}

/// What the headers alone say about the caller, checked before the body is read: the
/// `Authorization` header's form, the date and, with an IAM config, that the key exists.
pub struct Claim {
    header: sigv4::AuthHeader,
    region: String,
    kind: ClaimKind,
}

enum ClaimKind {
    /// A key of the IAM config: a configured principal is itself whatever its key looks like.
    Principal(Arc<Principal>),
    /// Credentials issued to a running job script, and the IAM config if there is one.
    JobRun(Arc<dyn RunCredential>, Option<Arc<IamConfig>>),
    /// Without an IAM config: anyone, as the account's root.
    Anyone(String),
}

/// The header-only half of authentication; [`Claim::verify`] checks the signature over the body.
pub fn claim(parts: &Parts, keys: Keys<'_>) -> Result<Claim, WireError> {
    let header = sigv4::authorization_for_service(&parts.headers, keys.service)?;
    let region = if header.credential.region.is_empty() {
        keys.default_region.to_string()
    } else {
        header.credential.region.clone()
    };
    let key = header.credential.access_key_id.as_str();
    let kind = if let Some(principal) = keys.iam.as_ref().and_then(|iam| iam.principal_by_key(key)) {
        let token = parts.headers.get("x-amz-security-token").and_then(|v| v.to_str().ok());
        if token != principal.session_token() {
            return Err(AuthError::UnrecognizedClient.into());
        }
        ClaimKind::Principal(principal.clone())
    } else if let Some(credential) = (keys.run_credential)(key) {
        ClaimKind::JobRun(credential, keys.iam)
    } else if keys.iam.is_some() {
        return Err(AuthError::UnrecognizedClient.into());
    } else {
        ClaimKind::Anyone(keys.account_id.to_string())
    };
    sigv4::check_date(&parts.headers, &header, SystemTime::now())?;
    Ok(Claim { header, region, kind })
}

impl Claim {
    /// Who is calling, once the signature over `body` is verified (when there is a secret to verify it with).
    pub fn verify(self, parts: &Parts, body: &[u8]) -> Result<Caller, WireError> {
        let Claim { header, region, kind } = self;
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
        };
        match kind {
            ClaimKind::Principal(principal) => {
                verify(principal.secret_access_key(), principal.session_token())?;
                Ok(Caller {
                    account: principal.account.clone(),
                    arn: principal.arn.clone(),
                    region,
                    access: Access::Policies(principal),
                    job_run: None,
                })
            }
            ClaimKind::JobRun(credential, iam) => {
                verify(credential.secret_access_key(), Some(credential.session_token()))?;
                job_run_caller(&*credential, iam.as_deref(), region)
            }
            ClaimKind::Anyone(account) => Ok(Caller {
                arn: format!("arn:aws:iam::{account}:root"),
                account,
                region,
                access: Access::Unrestricted,
                job_run: None,
            }),
        }
    }
}

/// A job run's script: in the run's account and region only. Without an IAM config it may
/// do anything there; with one, what the policies of the job's role allow if the config
/// names that role in the run's account, and nothing otherwise.
fn job_run_caller(
    credential: &dyn RunCredential,
    iam: Option<&IamConfig>,
    region: String,
) -> Result<Caller, WireError> {
    let arn = credential.role_arn().to_string();
    if region != credential.region() {
        return Err(WireError::new(
            "AccessDeniedException",
            format!(
                "User: {arn} is not authorized in region {region}: the credentials of job run {} are valid in {} only",
                credential.job_run_id(),
                credential.region()
            ),
        ));
    }
    let access = match iam {
        None => Access::Unrestricted,
        Some(iam) => {
            let role = iam
                .principals()
                .iter()
                .find(|p| p.arn == arn && p.kind == PrincipalKind::Role && p.account == credential.account());
            match role {
                Some(role) => Access::Policies(role.clone()),
                None => Access::Denied(format!(
                    "because the job's role is not a role of account {} in the IAM config",
                    credential.account()
                )),
            }
        }
    };
    Ok(Caller {
        account: credential.account().to_string(),
        region,
        arn,
        access,
        job_run: Some(credential.job_run_id().to_string()),
    })
}
