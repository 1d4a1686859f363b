//! Verification end to end: requests signed as botocore and the Rust SDK sign them.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use chrono::NaiveDateTime;
use hyper::http::{HeaderMap, HeaderName, HeaderValue};

use super::date::BASIC_FORMAT;
use super::direct::direct_signature;
use super::header::parse_authorization_for;
use super::header::Credential;
use super::verify::reference_signature;
use super::*;

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLETOKEN//==";
const BOTO_BODY: &str = r#"{"Name": "W1", "RunId": "wr_abc", "NodeIds": ["wnode_1", "wnode_2"]}"#;
const SDK_BODY: &str = r#"{"Name":"W1","RunId":"wr_abc","NodeIds":["wnode_1","wnode_2"]}"#;

fn at(s: &str) -> SystemTime {
    NaiveDateTime::parse_from_str(s, BASIC_FORMAT).unwrap().and_utc().into()
}

fn header_map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

#[derive(Clone, Copy)]
enum Style {
    /// botocore: content-type;host;x-amz-date;x-amz-target, mixed case.
    Botocore,
    /// Rust SDK: also content-length and x-amz-user-agent, lowercase.
    RustSdk,
}

/// Signs a request with aws-sigv4 as the given client would and returns
/// the headers as the server receives them (signed and unsigned).
fn signed(style: Style, body: &str, token: Option<&str>, time: SystemTime) -> HeaderMap {
    let len = body.len().to_string();
    let to_sign: Vec<(&str, &str)> = match style {
        Style::Botocore => vec![
            ("X-Amz-Target", "AWSGlue.ResumeWorkflowRun"),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Host", "localhost:4566"),
        ],
        Style::RustSdk => vec![
            ("content-type", "application/x-amz-json-1.1"),
            ("content-length", &len),
            ("host", "127.0.0.1:4566"),
            ("x-amz-target", "AWSGlue.ResumeWorkflowRun"),
            ("x-amz-user-agent", "aws-sdk-rust/1.3.9 api/glue/1.184.0 os/linux"),
        ],
    };
    let mut map = sign_pairs(&to_sign, body, token, time);
    let mut unsigned = vec![
        ("User-Agent", "Botocore/1.43.11 ua/2.1"),
        ("amz-sdk-invocation-id", "6c3b2122-4698-4235-b0c9-57579b3b4374"),
        ("amz-sdk-request", "attempt=1"),
    ];
    if matches!(style, Style::Botocore) {
        unsigned.push(("Content-Length", &len));
    }
    for (k, v) in unsigned {
        map.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

/// `to_sign` signed with aws-sigv4, plus the headers the signature adds.
fn sign_pairs(to_sign: &[(&str, &str)], body: &str, token: Option<&str>, time: SystemTime) -> HeaderMap {
    let identity: Identity = Credentials::new(KEY, SECRET, token.map(str::to_string), None, "test").into();
    // The SDKs exclude user-agent etc.; keep the default exclusions.
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("glue")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let req = SignableRequest::new(
        "POST",
        "/",
        to_sign.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(req, &params).unwrap().into_parts();
    let mut map = header_map(to_sign);
    for (k, v) in instructions.headers() {
        map.insert(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

fn check(headers: &HeaderMap, body: &str, secret: &str, token: Option<&str>, now: SystemTime) -> Result<(), AuthError> {
    let auth = authorization_from_headers(headers)?;
    verify("POST", "/", headers, body.as_bytes(), &auth, secret, token, now)
}

fn t0() -> SystemTime {
    at("20261125T103000Z")
}

#[test]
fn both_client_styles_verify() {
    for (style, body) in [(Style::Botocore, BOTO_BODY), (Style::RustSdk, SDK_BODY)] {
        for token in [None, Some(TOKEN)] {
            let h = signed(style, body, token, t0());
            let auth = authorization_from_headers(&h).unwrap();
            let expected_len = match style {
                Style::Botocore => 4,
                Style::RustSdk => 6,
            } + usize::from(token.is_some());
            assert_eq!(auth.signed_headers.len(), expected_len, "{auth:?}");
            check(&h, body, SECRET, token, t0() + Duration::from_secs(60)).unwrap();
        }
    }
}

/// Requests captured from botocore 1.43.11 (aws CLI's) at 2026-11-25T10:30:00Z.
fn real_botocore(token: bool) -> HeaderMap {
    let mut h = vec![
        ("X-Amz-Target", "AWSGlue.ResumeWorkflowRun"),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("User-Agent", "Botocore/1.43.11 ua/2.1 os/linux#6.18.44-fc-v595 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/Z,N,e,b,D cfg/retry-mode#legacy"),
        ("X-Amz-Date", "20261125T103000Z"),
        ("amz-sdk-invocation-id", "6c3b2122-4698-4235-b0c9-57579b3b4374"),
        ("amz-sdk-request", "attempt=1"),
        ("Content-Length", "68"),
        ("Host", "localhost:4566"),
    ];
    if token {
        h.push(("X-Amz-Security-Token", TOKEN));
        h.push(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/glue/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=bab8e41774dbffb25f808a08115c8cc55d82bc449139f10db14c8986daccf923"));
    } else {
        h.push(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/glue/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=f1ba9d9e55749b56ea448ded0e8552f5170894b6a0b7dc925edb682bdac421dc"));
    }
    header_map(&h)
}

#[test]
fn real_botocore_requests_verify() {
    check(&real_botocore(false), BOTO_BODY, SECRET, None, t0()).unwrap();
    check(&real_botocore(true), BOTO_BODY, SECRET, Some(TOKEN), t0()).unwrap();
    let compact = SDK_BODY;
    assert_eq!(
        check(&real_botocore(false), compact, SECRET, None, t0()),
        Err(AuthError::signature_mismatch())
    );
}

/// The AWS SigV4 test suite's get-vanilla case.
#[test]
fn aws_test_suite_get_vanilla() {
    let h = header_map(&[
        ("Host", "example.amazonaws.com"),
        ("X-Amz-Date", "20150830T123600Z"),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ]);
    let auth = parse_authorization_for(h["authorization"].to_str().unwrap(), "service").unwrap();
    let now = at("20150830T123600Z");
    verify("GET", "/", &h, b"", &auth, SECRET, None, now).unwrap();
    assert_eq!(
        verify("GET", "/", &h, b"", &auth, "wrong", None, now),
        Err(AuthError::signature_mismatch())
    );
}

#[test]
fn tampering_is_detected() {
    for (style, body) in [(Style::Botocore, BOTO_BODY), (Style::RustSdk, SDK_BODY)] {
        let h = signed(style, body, None, t0());
        // Body changed by one byte.
        let tampered = body.replace("W1", "W2");
        assert_eq!(tampered.len(), body.len());
        let err = check(&h, &tampered, SECRET, None, t0()).unwrap_err();
        assert_eq!(err, AuthError::signature_mismatch());
        assert_eq!(err.code(), "InvalidSignatureException");
        assert_eq!(err.status(), 403);
        // A signed header changed.
        let mut h2 = h.clone();
        h2.insert("x-amz-target", "AWSGlue.StopWorkflowRun".parse().unwrap());
        assert_eq!(
            check(&h2, body, SECRET, None, t0()),
            Err(AuthError::signature_mismatch())
        );
        // A signed header removed.
        let mut h3 = h.clone();
        h3.remove("host");
        assert_eq!(
            check(&h3, body, SECRET, None, t0()),
            Err(AuthError::signature_mismatch())
        );
        // Wrong secret.
        assert_eq!(
            check(&h, body, "not-the-secret", None, t0()),
            Err(AuthError::signature_mismatch())
        );
        // Unsigned headers may change freely.
        let mut h4 = h.clone();
        h4.insert("user-agent", "something/else".parse().unwrap());
        h4.insert("amz-sdk-request", "attempt=2".parse().unwrap());
        check(&h4, body, SECRET, None, t0()).unwrap();
    }
    // content-length is signed by the Rust SDK.
    let mut h = signed(Style::RustSdk, SDK_BODY, None, t0());
    h.insert("content-length", "999".parse().unwrap());
    assert_eq!(
        check(&h, SDK_BODY, SECRET, None, t0()),
        Err(AuthError::signature_mismatch())
    );
}

#[test]
fn signature_in_other_case_or_truncated_is_rejected() {
    let h = signed(Style::Botocore, BOTO_BODY, None, t0());
    let mut auth = authorization_from_headers(&h).unwrap();
    let good = auth.signature.clone();
    for bad in [good.to_uppercase(), good[..63].to_string(), format!("{good}0")] {
        auth.signature = bad;
        assert_eq!(
            verify("POST", "/", &h, BOTO_BODY.as_bytes(), &auth, SECRET, None, t0()),
            Err(AuthError::signature_mismatch())
        );
    }
}

#[test]
fn expired_in_both_directions() {
    let h = signed(Style::Botocore, BOTO_BODY, None, t0());
    // Exactly 15 minutes either way is still accepted.
    check(&h, BOTO_BODY, SECRET, None, at("20261125T104500Z")).unwrap();
    check(&h, BOTO_BODY, SECRET, None, at("20261125T101500Z")).unwrap();

    let err = check(&h, BOTO_BODY, SECRET, None, at("20261125T110101Z")).unwrap_err();
    assert_eq!(err.code(), "InvalidSignatureException");
    assert_eq!(err.status(), 403);
    assert_eq!(
        err.message(),
        "Signature expired: 20261125T103000Z is now earlier than 20261125T104601Z (20261125T110101Z - 15 min.)"
    );
    let err = check(&h, BOTO_BODY, SECRET, None, at("20261125T101459Z")).unwrap_err();
    assert_eq!(err.code(), "InvalidSignatureException");
    assert_eq!(
        err.message(),
        "Signature not yet current: 20261125T103000Z is still later than 20261125T102959Z (20261125T101459Z + 15 min.)"
    );
    // Expiry is reported even when the secret is wrong (checked first).
    assert!(matches!(
        check(&h, BOTO_BODY, "wrong", None, at("20261126T000000Z")),
        Err(AuthError::Expired(_))
    ));
}

#[test]
fn session_tokens() {
    let h = signed(Style::RustSdk, SDK_BODY, Some(TOKEN), t0());
    assert!(h.contains_key("x-amz-security-token"));
    check(&h, SDK_BODY, SECRET, Some(TOKEN), t0()).unwrap();
    // Token expected but another one sent, or none configured.
    for configured in [Some("other-token"), None] {
        let err = check(&h, SDK_BODY, SECRET, configured, t0()).unwrap_err();
        assert_eq!(err, AuthError::UnrecognizedClient);
        assert_eq!(err.code(), "UnrecognizedClientException");
        assert_eq!(err.message(), "The security token included in the request is invalid.");
    }
    // Token configured but the request carries none.
    let plain = signed(Style::RustSdk, SDK_BODY, None, t0());
    assert_eq!(
        check(&plain, SDK_BODY, SECRET, Some(TOKEN), t0()),
        Err(AuthError::UnrecognizedClient)
    );
    // A token added after signing (unsigned) with the right value: the
    // signature still covers everything signed.
    let mut added = plain.clone();
    added.insert("x-amz-security-token", TOKEN.parse().unwrap());
    check(&added, SDK_BODY, SECRET, Some(TOKEN), t0()).unwrap();
}

#[test]
fn an_unsigned_target_is_refused() {
    let to_sign = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Host", "localhost:4566"),
    ];
    let mut h = sign_pairs(&to_sign, BOTO_BODY, None, t0());
    check(&h, BOTO_BODY, SECRET, None, t0()).unwrap();
    h.insert("x-amz-target", "AWSGlue.DeleteWorkflow".parse().unwrap());
    let err = check(&h, BOTO_BODY, SECRET, None, t0()).unwrap_err();
    assert_eq!(err.code(), "IncompleteSignatureException");
    assert_eq!(err.status(), 400);
    assert_eq!(
        err.message(),
        "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."
    );
}

#[test]
fn missing_header() {
    let mut h = signed(Style::Botocore, BOTO_BODY, None, t0());
    h.remove("authorization");
    let err = check(&h, BOTO_BODY, SECRET, None, t0()).unwrap_err();
    assert_eq!(err, AuthError::Missing);
    assert_eq!(err.code(), "MissingAuthenticationTokenException");
    assert_eq!(err.status(), 403);
    assert_eq!(err.message(), "Missing Authentication Token");
}

#[test]
fn date_problems() {
    let h = signed(Style::Botocore, BOTO_BODY, None, t0());
    let auth = authorization_from_headers(&h).unwrap();

    let mut no_date = h.clone();
    no_date.remove("x-amz-date");
    let err = check_date(&no_date, &auth, t0()).unwrap_err();
    assert_eq!(err.code(), "IncompleteSignatureException");
    assert!(err.message().contains("'X-Amz-Date'"));

    for bad in [
        "2026-11-25T10:30:00Z",
        "20261125T103000",
        "20261325T103000Z",
        "20261125T253000Z",
        "+2026112T103000Z",
    ] {
        let mut hd = h.clone();
        hd.insert("x-amz-date", bad.parse().unwrap());
        let err = check_date(&hd, &auth, t0()).unwrap_err();
        assert_eq!(err.code(), "IncompleteSignatureException", "{bad}");
        assert_eq!(
            err.message(),
            format!("Date must be in ISO-8601 'basic format'. Got '{bad}'. See http://en.wikipedia.org/wiki/ISO_8601")
        );
    }

    // Scope date different from X-Amz-Date's date.
    let mut other_day = h.clone();
    other_day.insert("x-amz-date", "20261124T235959Z".parse().unwrap());
    let err = check_date(&other_day, &auth, at("20261124T235959Z")).unwrap_err();
    assert_eq!(err.code(), "InvalidSignatureException");
    assert_eq!(
        err.message(),
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261125' != '20261124', from '20261124T235959Z'."
    );
    assert_eq!(check_date(&h, &auth, t0()), Ok(t0()));
}

#[test]
fn host_and_date_must_be_signed() {
    let h = signed(Style::Botocore, BOTO_BODY, None, t0());
    let mut auth = authorization_from_headers(&h).unwrap();
    auth.signed_headers.retain(|n| n != "host");
    let err = verify("POST", "/", &h, BOTO_BODY.as_bytes(), &auth, SECRET, None, t0()).unwrap_err();
    assert_eq!(err.code(), "IncompleteSignatureException");
    assert!(err.message().contains("'Host'"));

    let mut auth = authorization_from_headers(&h).unwrap();
    auth.signed_headers.retain(|n| n != "x-amz-date");
    let err = verify("POST", "/", &h, BOTO_BODY.as_bytes(), &auth, SECRET, None, t0()).unwrap_err();
    assert_eq!(err.code(), "IncompleteSignatureException");
}

/// The direct computation must give aws-sigv4's signature for every request
/// shape it accepts (it falls back to aws-sigv4 otherwise).
#[test]
fn direct_computation_agrees_with_aws_sigv4() {
    let long_secret = "s".repeat(100);
    let date = "20261125T103000Z";
    let time = at(date);
    // (signed headers as received, body, session token, secret)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, Option<&'a str>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![
                ("content-type", "application/x-amz-json-1.1"),
                ("host", "localhost:4566"),
                ("x-amz-date", date),
                ("x-amz-target", "AWSGlue.GetWorkflowRun"),
            ],
            BOTO_BODY,
            None,
            SECRET,
        ),
        (
            vec![
                ("content-length", "61"),
                ("content-type", "application/x-amz-json-1.1"),
                ("host", "127.0.0.1:4566"),
                ("x-amz-date", date),
                ("x-amz-security-token", TOKEN),
                ("x-amz-target", "AWSGlue.ResumeWorkflowRun"),
                ("x-amz-user-agent", "aws-sdk-rust/1.3.9 api/glue/1.184.0 os/linux"),
            ],
            SDK_BODY,
            Some(TOKEN),
            SECRET,
        ),
        (
            // Spaces trimmed and collapsed; repeated values joined in order;
            // out-of-order names; a name listed twice; a key over 64 bytes.
            vec![
                ("x-amz-target", "  AWSGlue.GetWorkflowRun  "),
                ("x-amz-target", "second   value"),
                ("host", "localhost:4566"),
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-date", date),
                ("x-custom", "a  b   c d"),
                ("x-custom", "  "),
                ("host", "localhost:4566"),
            ],
            "",
            None,
            long_secret.as_str(),
        ),
    ];
    for (pairs, body, token, secret) in cases {
        let names: Vec<String> = pairs.iter().map(|(n, _)| n.to_string()).collect();
        let auth = AuthHeader {
            credential: Credential {
                access_key_id: KEY.into(),
                date: "20261125".into(),
                region: "eu-west-1".into(),
                service: "glue".into(),
            },
            signed_headers: names,
            signature: String::new(),
        };
        let direct = direct_signature("POST", "/", &pairs, body.as_bytes(), &auth, secret, token, date)
            .expect("the direct path applies");
        let reference =
            reference_signature("POST", "/", pairs.clone(), body.as_bytes(), &auth, secret, token, time).unwrap();
        assert_eq!(std::str::from_utf8(&direct).unwrap(), reference, "{pairs:?}");
    }
}

#[test]
fn direct_computation_leaves_other_shapes_to_aws_sigv4() {
    let auth = authorization_from_headers(&real_botocore(false)).unwrap();
    let pairs = [("host", "h"), ("x-amz-date", "20261125T103000Z")];
    let date = "20261125T103000Z";
    assert!(direct_signature("GET", "/?a=b", &pairs, b"", &auth, SECRET, None, date).is_none());
    assert!(direct_signature("GET", "/path", &pairs, b"", &auth, SECRET, None, date).is_none());
    let upper = [("Host", "h"), ("x-amz-date", date)];
    assert!(direct_signature("GET", "/", &upper, b"", &auth, SECRET, None, date).is_none());
    // Real botocore requests take the direct path and match there.
    for token in [None, Some(TOKEN)] {
        let h = real_botocore(token.is_some());
        let auth = authorization_from_headers(&h).unwrap();
        let pairs: Vec<(&str, &str)> = auth
            .signed_headers
            .iter()
            .map(|n| (n.as_str(), h[n.as_str()].to_str().unwrap()))
            .collect();
        let direct = direct_signature("POST", "/", &pairs, BOTO_BODY.as_bytes(), &auth, SECRET, token, date).unwrap();
        assert_eq!(std::str::from_utf8(&direct).unwrap(), auth.signature);
    }
    // A request either path accepts verifies; one signed with another key does not.
    check(&real_botocore(false), BOTO_BODY, SECRET, None, t0()).unwrap();
    assert!(check(&real_botocore(false), BOTO_BODY, "other", None, t0()).is_err());
}

#[test]
fn repeated_header_values_are_all_signed() {
    let h = signed(Style::Botocore, BOTO_BODY, None, t0());
    let mut twice = h.clone();
    twice.append("x-amz-target", "AWSGlue.ResumeWorkflowRun".parse().unwrap());
    assert_eq!(
        check(&twice, BOTO_BODY, SECRET, None, t0()),
        Err(AuthError::signature_mismatch())
    );
}
