//! Decoding a JSON 1.1 request: target header, content type, body.

use super::WireError;
use hyper::header::{HeaderMap, CONTENT_TYPE};
use hyper::StatusCode;

/// Largest request body accepted; larger ones are refused before they are read whole.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The service prefix and operation of `X-Amz-Target: <service prefix>.<Operation>`.
pub fn target(headers: &HeaderMap) -> Result<(&str, &str), WireError> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| unknown_operation("the request has no X-Amz-Target header"))?;
    match target.split_once('.') {
        Some((prefix, op)) if !prefix.is_empty() && !op.is_empty() => Ok((prefix, op)),
        _ => Err(unknown_operation(&format!("unknown operation target {target:?}"))),
    }
}

pub fn unknown_operation(detail: &str) -> WireError {
    WireError::new("UnknownOperationException", format!("Unknown operation: {detail}"))
}

/// The `Content-Type` without its parameters (`""` when there is none).
pub fn media_type(headers: &HeaderMap) -> &str {
    let value = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    value.split(';').next().unwrap_or("").trim()
}

/// JSON 1.1 requests carry `application/x-amz-json-1.1` (1.0 is tolerated, as AWS does).
pub fn check_content_type(headers: &HeaderMap) -> Result<(), WireError> {
    let value = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = media_type(headers);
    if mime.eq_ignore_ascii_case("application/x-amz-json-1.1")
        || mime.eq_ignore_ascii_case("application/x-amz-json-1.0")
    {
        Ok(())
    } else {
        Err(WireError::serialization(format!(
            "Unsupported content type {value:?}: expected application/x-amz-json-1.1"
        )))
    }
}

/// A body larger than [`MAX_BODY_BYTES`].
pub fn too_large() -> WireError {
    WireError::new(
        "RequestEntityTooLargeException",
        format!("Request body exceeds the limit of {MAX_BODY_BYTES} bytes"),
    )
    .with_status(StatusCode::PAYLOAD_TOO_LARGE)
}

/// Parses the body as JSON. An empty body counts as `{}`, as botocore sends for empty inputs.
pub fn parse_json(body: &[u8]) -> Result<serde_json::Value, WireError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| WireError::serialization(format!("Request body is not valid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn targets() {
        let h = headers(&[("x-amz-target", "AWSGlue.GetWorkflow")]);
        assert_eq!(target(&h).unwrap(), ("AWSGlue", "GetWorkflow"));
        let h = headers(&[("x-amz-target", "AWSEvents.PutEvents")]);
        assert_eq!(target(&h).unwrap(), ("AWSEvents", "PutEvents"));
        for bad in ["AWSGlue.", ".GetWorkflow", "GetWorkflow"] {
            let h = headers(&[("x-amz-target", bad)]);
            assert_eq!(target(&h).unwrap_err().code, "UnknownOperationException", "{bad}");
        }
        assert!(target(&HeaderMap::new()).is_err());
    }

    #[test]
    fn content_types() {
        assert!(check_content_type(&headers(&[("content-type", "application/x-amz-json-1.1")])).is_ok());
        assert!(check_content_type(&headers(&[(
            "content-type",
            "application/x-amz-json-1.1; charset=utf-8"
        )]))
        .is_ok());
        let err = check_content_type(&headers(&[("content-type", "text/plain")])).unwrap_err();
        assert_eq!(err.code, "SerializationException");
        assert!(check_content_type(&HeaderMap::new()).is_err());
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_json(b"").unwrap(), serde_json::json!({}));
        assert_eq!(
            parse_json(b" {\"Name\": \"W\"} ").unwrap(),
            serde_json::json!({"Name": "W"})
        );
        assert_eq!(parse_json(b"{").unwrap_err().code, "SerializationException");
    }
}
