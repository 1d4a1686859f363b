//! What authentication (`auth::authn`) needs from the server: the IAM config in force,
//! the default region and account, and the credentials the engine issued to job runs.

use super::App;
use crate::auth::authn::{self, Claim, Keys, RunCredential};
use crate::engine::credentials::JobCredential;
use crate::protocol::WireError;
use std::sync::Arc;

/// The header-only half of authentication for a request to `service` (the credential
/// scope's: `glue`, or `events`); [`Claim::verify`] checks the signature over the body.
pub(super) fn claim(app: &App, parts: &hyper::http::request::Parts, service: &str) -> Result<Claim, WireError> {
    let iam = app.iam.read().unwrap_or_else(|e| e.into_inner()).clone();
    let credentials = &app.engine.settings().job_credentials;
    let run_credential = |key: &str| credentials.valid(key).map(|c| c as Arc<dyn RunCredential>);
    let keys = Keys {
        iam,
        default_region: &app.config.region,
        account_id: &app.config.account_id,
        run_credential: &run_credential,
        service,
    };
    authn::claim(parts, keys)
}

impl RunCredential for JobCredential {
    fn secret_access_key(&self) -> &str {
        JobCredential::secret_access_key(self)
    }
    fn session_token(&self) -> &str {
        JobCredential::session_token(self)
    }
    fn account(&self) -> &str {
        &self.account
    }
    fn region(&self) -> &str {
        &self.region
    }
    fn job_run_id(&self) -> &str {
        &self.job_run_id
    }
    fn role_arn(&self) -> &str {
        &self.role_arn
    }
}

/// Without an IAM config nothing is verified, but a request signed with a job run's key is
/// still recognised, so that job runs never pass the control endpoints.
pub(super) fn signed_by_job_run(app: &App, parts: &hyper::http::request::Parts) -> bool {
    crate::auth::sigv4::authorization_from_headers(&parts.headers).is_ok_and(|h| {
        app.engine
            .settings()
            .job_credentials
            .is_issued(&h.credential.access_key_id)
    })
}

/// The refusal of a job run's credentials where they never pass.
pub(super) fn job_run_refused(what: &str) -> WireError {
    WireError::new(
        "AccessDeniedException",
        format!("The credentials of a job run are not authorized to {what}"),
    )
    .with_status(hyper::StatusCode::FORBIDDEN)
}

/// Reads the body of a request whose headers passed (`claim`) and verifies its signature
/// over it; a request refused from its headers has its body discarded unread.
pub(super) async fn admit<'a>(
    app: &'a App,
    parts: &hyper::http::request::Parts,
    body: hyper::body::Incoming,
    claim: Result<Claim, WireError>,
) -> Result<(super::body::ReadBody<'a>, crate::auth::authn::Caller), WireError> {
    let claim = match claim {
        Ok(claim) => claim,
        Err(e) => {
            app.bodies.discard(body).await;
            return Err(e);
        }
    };
    let body = app.bodies.read(body).await?;
    let caller = claim.verify(parts, &body.bytes)?;
    Ok((body, caller))
}
