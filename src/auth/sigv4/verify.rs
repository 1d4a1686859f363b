//! Verifying a signature: the checks before it, then the direct computation or,
//! when that does not apply or does not match, `aws-sigv4` as the reference.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use hyper::http::HeaderMap;
use subtle::ConstantTimeEq;

use super::date::check_date;
use super::direct::direct_signature;
use super::error::AuthError;
use super::header::AuthHeader;

/// Verifies a request's SigV4 signature.
///
/// Checks, in order: `X-Amz-Date` (`check_date`); that `host` and
/// `x-amz-date` (and `x-amz-target` when present) are signed; the session token (`session_token` is the one
/// configured for the access key: the request's `X-Amz-Security-Token` must
/// equal it, and must be absent when none is configured); then re-signs with
/// `aws-sigv4` over exactly the headers named in `SignedHeaders` and the body
/// bytes as received, and compares in constant time.
///
/// `uri` is the path and query as received (`/` for AWS JSON 1.1).
#[allow(clippy::too_many_arguments)]
pub fn verify(
    method: &str,
    uri: &str,
    headers: &HeaderMap,
    body: &[u8],
    auth: &AuthHeader,
    secret: &str,
    session_token: Option<&str>,
    now: SystemTime,
) -> Result<(), AuthError> {
    let time = check_date(headers, auth, now)?;

    let signs = |name: &str| auth.signed_headers.iter().any(|h| h == name);
    if !signs("host") {
        return Err(AuthError::Incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        ));
    }
    if !signs("x-amz-date") {
        return Err(AuthError::Incomplete(
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        ));
    }
    // The target names the operation: unsigned, a captured request could be replayed as another one.
    if headers.contains_key("x-amz-target") && !signs("x-amz-target") {
        return Err(AuthError::Incomplete(
            "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        ));
    }

    let request_token = match headers.get("x-amz-security-token") {
        Some(v) => Some(v.to_str().map_err(|_| AuthError::UnrecognizedClient)?),
        None => None,
    };
    match (session_token, request_token) {
        (None, None) => {}
        (Some(expected), Some(got)) if bool::from(expected.as_bytes().ct_eq(got.as_bytes())) => {}
        _ => return Err(AuthError::UnrecognizedClient),
    }
    // aws-sigv4 signs the token whenever the credentials carry one, so pass it
    // only when the client signed it.
    let signing_token = request_token.filter(|_| signs("x-amz-security-token"));

    // Exactly the signed headers, every value of each, as received. A signed
    // header that is absent cannot have produced the client's signature (and
    // aws-sigv4 would panic on a missing host).
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(auth.signed_headers.len() + 1);
    for name in &auth.signed_headers {
        let before = pairs.len();
        for value in headers.get_all(name.as_str()) {
            let value = value.to_str().map_err(|_| AuthError::signature_mismatch())?;
            pairs.push((name.as_str(), value));
        }
        if pairs.len() == before {
            return Err(AuthError::signature_mismatch());
        }
    }

    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(signature) = direct_signature(method, uri, &pairs, body, auth, secret, signing_token, amz_date) {
        if bool::from(signature.as_slice().ct_eq(auth.signature.as_bytes())) {
            return Ok(());
        }
    }
    let signature = reference_signature(method, uri, pairs, body, auth, secret, signing_token, time)?;
    if bool::from(signature.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(())
    } else {
        Err(AuthError::signature_mismatch())
    }
}

/// The signature as `aws-sigv4` computes it over exactly `pairs`.
#[allow(clippy::too_many_arguments)]
pub(super) fn reference_signature(
    method: &str,
    uri: &str,
    pairs: Vec<(&str, &str)>,
    body: &[u8],
    auth: &AuthHeader,
    secret: &str,
    signing_token: Option<&str>,
    time: SystemTime,
) -> Result<String, AuthError> {
    let identity: Identity = Credentials::new(
        auth.credential.access_key_id.as_str(),
        secret,
        signing_token.map(str::to_string),
        None,
        "glue-local",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&auth.credential.region)
        .name(&auth.credential.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|_| AuthError::signature_mismatch())?
        .into();
    let request = SignableRequest::new(method, uri, pairs.into_iter(), SignableBody::Bytes(body))
        .map_err(|_| AuthError::signature_mismatch())?;
    let output = sign(request, &params).map_err(|_| AuthError::signature_mismatch())?;
    Ok(output.signature().to_string())
}
