//! The `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.

use hyper::http::HeaderMap;

use super::date::basic_date;
use super::error::AuthError;
use super::ALGORITHM;

/// The service name a Glue request's credential scope must carry.
const SERVICE: &str = "glue";

/// The credential scope of an `Authorization` header:
/// `<access key id>/<yyyymmdd>/<region>/<service>/aws4_request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub access_key_id: String,
    /// `yyyymmdd`
    pub date: String,
    pub region: String,
    pub service: String,
}

/// A parsed `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    pub credential: Credential,
    /// As the client listed them (lowercase and sorted when the client follows the spec).
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Reads and parses the `Authorization` header: [`AuthError::Missing`] when
/// absent, otherwise as [`parse_authorization_for`] Glue.
pub fn authorization_from_headers(headers: &HeaderMap) -> Result<AuthHeader, AuthError> {
    authorization_for_service(headers, SERVICE)
}

/// The same for a request to `service` (`events` for EventBridge calls).
pub fn authorization_for_service(headers: &HeaderMap, service: &str) -> Result<AuthHeader, AuthError> {
    let value = headers
        .get(hyper::http::header::AUTHORIZATION)
        .ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| {
        AuthError::Incomplete("Authorization header contains characters that are not visible ASCII.".to_string())
    })?;
    parse_authorization_for(value, service)
}

/// Parses an `Authorization` header value, requiring `service` in the scope.
/// Checks syntax only: the signature is not verified.
pub(super) fn parse_authorization_for(value: &str, service: &str) -> Result<AuthHeader, AuthError> {
    let trimmed = value.trim();
    let (algorithm, rest) = match trimmed.find(|c: char| c.is_ascii_whitespace()) {
        Some(i) => (&trimmed[..i], &trimmed[i..]),
        None => (trimmed, ""),
    };
    if algorithm != ALGORITHM && algorithm.starts_with("AWS4-") {
        return Err(AuthError::Incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'."
        )));
    }

    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    if algorithm == ALGORITHM {
        for part in rest.split(',') {
            let part = part.trim();
            let Some((key, val)) = part.split_once('=') else {
                continue;
            };
            let slot = match key.trim() {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => continue,
            };
            let val = val.trim();
            if !val.is_empty() {
                *slot = Some(val);
            }
        }
    }

    let mut missing = Vec::new();
    if credential.is_none() {
        missing.push("Authorization header requires 'Credential' parameter.");
    }
    if signature.is_none() {
        missing.push("Authorization header requires 'Signature' parameter.");
    }
    if signed_headers.is_none() {
        missing.push("Authorization header requires 'SignedHeaders' parameter.");
    }
    let (Some(credential), Some(signed_headers), Some(signature)) = (credential, signed_headers, signature) else {
        return Err(AuthError::Incomplete(format!(
            "{} Authorization={value}",
            missing.join(" ")
        )));
    };

    let credential = parse_credential(credential, service)?;
    let signed_headers: Vec<String> = signed_headers.split(';').map(str::to_string).collect();
    if signed_headers.iter().any(|h| h.is_empty()) {
        return Err(AuthError::Incomplete(format!(
            "Authorization header has an empty name in 'SignedHeaders'. Authorization={value}"
        )));
    }
    Ok(AuthHeader {
        credential,
        signed_headers,
        signature: signature.to_string(),
    })
}

fn parse_credential(value: &str, service: &str) -> Result<Credential, AuthError> {
    let parts: Vec<&str> = value.split('/').collect();
    if parts.len() != 5 || parts[0].is_empty() {
        return Err(AuthError::Incomplete(format!(
            "Credential should be of the form '<access key id>/<yyyymmdd>/<region>/<service>/aws4_request', not '{value}'."
        )));
    }
    let (key, date, region, svc, terminator) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) || basic_date(date.as_bytes()).is_none() {
        return Err(AuthError::Incomplete(format!(
            "Credential should be scoped to a valid date (yyyymmdd), not '{date}'."
        )));
    }
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(AuthError::Incomplete(format!(
            "Credential should be scoped to a valid region, not '{region}'."
        )));
    }
    if svc != service {
        return Err(AuthError::Incomplete(format!(
            "Credential should be scoped to correct service: '{service}'."
        )));
    }
    if terminator != "aws4_request" {
        return Err(AuthError::Incomplete(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    Ok(Credential {
        access_key_id: key.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: svc.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_headers() {
        let good_cred = "Credential=AKID/20261125/us-east-1/glue/aws4_request";
        let cases: &[(String, &str)] = &[
            (
                "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc".into(),
                "Authorization header requires 'Credential' parameter.",
            ),
            (
                format!("AWS4-HMAC-SHA256 {good_cred}, Signature=abc"),
                "Authorization header requires 'SignedHeaders' parameter.",
            ),
            (
                format!("AWS4-HMAC-SHA256 {good_cred}, SignedHeaders=host"),
                "Authorization header requires 'Signature' parameter.",
            ),
            (
                format!("AWS4-HMAC-SHA256 {good_cred}, SignedHeaders=, Signature=abc"),
                "requires 'SignedHeaders' parameter.",
            ),
            (
                "Bearer abc".into(),
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
            ),
            ("AWS4-HMAC-SHA512 Credential=x".into(), "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."),
            ("".into(), "requires 'Credential' parameter."),
            (
                "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/glue, SignedHeaders=host, Signature=abc".into(),
                "Credential should be of the form",
            ),
            (
                "AWS4-HMAC-SHA256 Credential=/20261125/us-east-1/glue/aws4_request, SignedHeaders=host, Signature=abc".into(),
                "Credential should be of the form",
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKID/2026112/us-east-1/glue/aws4_request, SignedHeaders=host, Signature=abc".into(),
                "Credential should be scoped to a valid date (yyyymmdd), not '2026112'.",
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKID/20261325/us-east-1/glue/aws4_request, SignedHeaders=host, Signature=abc".into(),
                "valid date",
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKID/20261125/US_EAST/glue/aws4_request, SignedHeaders=host, Signature=abc".into(),
                "Credential should be scoped to a valid region, not 'US_EAST'.",
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc".into(),
                "Credential should be scoped to correct service: 'glue'.",
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/glue/aws4_reqest, SignedHeaders=host, Signature=abc".into(),
                "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'.",
            ),
            (
                format!("AWS4-HMAC-SHA256 {good_cred}, SignedHeaders=host;;x-amz-date, Signature=abc"),
                "empty name in 'SignedHeaders'",
            ),
        ];
        for (value, expected) in cases {
            let err = parse_authorization_for(value, SERVICE).unwrap_err();
            assert_eq!(err.code(), "IncompleteSignatureException", "{value}");
            assert_eq!(err.status(), 400);
            assert!(err.message().contains(expected), "{value}: got {:?}", err.message());
        }
        // Well formed, in compact form (no spaces) too.
        let ok = parse_authorization_for(
            &format!("AWS4-HMAC-SHA256 {good_cred},SignedHeaders=host;x-amz-date,Signature=abc"),
            SERVICE,
        )
        .unwrap();
        assert_eq!(
            ok.credential,
            Credential {
                access_key_id: "AKID".into(),
                date: "20261125".into(),
                region: "us-east-1".into(),
                service: "glue".into()
            }
        );
        assert_eq!(ok.signed_headers, ["host", "x-amz-date"]);
        assert_eq!(ok.signature, "abc");
    }
}
