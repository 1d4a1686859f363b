//! Why a request failed authentication, worded as AWS words it.

use crate::protocol::WireError;
use hyper::StatusCode;
use std::fmt;

const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

/// Why a request failed authentication. Each maps to AWS's error code, HTTP
/// status and message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header.
    Missing,
    /// The header or `X-Amz-Date` is malformed; the text is AWS's message.
    Incomplete(String),
    /// Signature mismatch, or scope date that disagrees with `X-Amz-Date`.
    InvalidSignature(String),
    /// `X-Amz-Date` more than 15 minutes away from now.
    Expired(String),
    /// Unknown access key id, or a session token that is missing, unexpected
    /// or wrong (AWS says the same for all of these).
    UnrecognizedClient,
}

impl AuthError {
    /// The signature mismatch error, with AWS's text.
    pub(super) fn signature_mismatch() -> AuthError {
        AuthError::InvalidSignature(SIGNATURE_MISMATCH.to_string())
    }

    /// The AWS error code (`__type` / `x-amzn-ErrorType`).
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::Missing => "MissingAuthenticationTokenException",
            AuthError::Incomplete(_) => "IncompleteSignatureException",
            AuthError::InvalidSignature(_) | AuthError::Expired(_) => "InvalidSignatureException",
            AuthError::UnrecognizedClient => "UnrecognizedClientException",
        }
    }

    /// The HTTP status AWS answers with.
    pub fn status(&self) -> u16 {
        match self {
            AuthError::Missing
            | AuthError::InvalidSignature(_)
            | AuthError::Expired(_)
            | AuthError::UnrecognizedClient => 403,
            AuthError::Incomplete(_) => 400,
        }
    }

    /// The message text, as AWS words it.
    pub fn message(&self) -> String {
        match self {
            AuthError::Missing => "Missing Authentication Token".to_string(),
            AuthError::Incomplete(m) | AuthError::InvalidSignature(m) | AuthError::Expired(m) => m.clone(),
            AuthError::UnrecognizedClient => INVALID_TOKEN.to_string(),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for AuthError {}

impl From<AuthError> for WireError {
    fn from(e: AuthError) -> WireError {
        WireError::new(e.code(), e.message())
            .with_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN))
    }
}
