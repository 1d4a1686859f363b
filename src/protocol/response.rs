//! Encoding JSON 1.1 responses and errors.

use super::WireError;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

pub type Body = Full<Bytes>;

const JSON_1_1: HeaderValue = HeaderValue::from_static("application/x-amz-json-1.1");

pub fn success(body: Vec<u8>, request_id: &str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response.headers_mut().insert(CONTENT_TYPE, JSON_1_1);
    set_request_id(&mut response, request_id);
    response
}

/// The error both ways clients read it: `x-amzn-ErrorType` (Rust SDK) and the body's `__type` (botocore).
pub fn error(err: &WireError, request_id: &str) -> Response<Body> {
    let body = serde_json::json!({ "__type": err.code, "Message": err.message });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = err.status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, JSON_1_1);
    headers.insert("x-amzn-errortype", HeaderValue::from_static(err.code));
    set_request_id(&mut response, request_id);
    response
}

/// A plain JSON response for the control endpoints.
pub fn plain_json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(value.to_string())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn set_request_id(response: &mut Response<Body>, request_id: &str) {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
}
