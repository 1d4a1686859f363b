//! `X-Amz-Date`: its format, its agreement with the credential scope, and clock skew.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use hyper::http::HeaderMap;

use super::error::AuthError;
use super::header::AuthHeader;

/// The clock skew AWS tolerates between `X-Amz-Date` and its own clock.
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
pub(super) const BASIC_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Checks `X-Amz-Date`: present, in ISO-8601 basic format, on the scope's
/// date, and within `MAX_SKEW` of `now`. Returns the signing time.
/// `verify` calls it; the permissive mode (no secrets) may call it alone.
pub fn check_date(headers: &HeaderMap, auth: &AuthHeader, now: SystemTime) -> Result<SystemTime, AuthError> {
    let raw = headers.get("x-amz-date").ok_or_else(|| {
        AuthError::Incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.".to_string(),
        )
    })?;
    let bad_format = |got: &str| {
        AuthError::Incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{got}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    };
    let value = raw
        .to_str()
        .map_err(|_| bad_format(&String::from_utf8_lossy(raw.as_bytes())))?;
    let b = value.as_bytes();
    let shape_ok =
        b.len() == 16 && b[8] == b'T' && b[15] == b'Z' && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
    let parsed = if shape_ok { basic_date_time(b) } else { None };
    let time: SystemTime = parsed.ok_or_else(|| bad_format(value))?.and_utc().into();

    if auth.credential.date != value[..8] {
        return Err(AuthError::InvalidSignature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{value}'.",
            auth.credential.date,
            &value[..8]
        )));
    }

    let earliest = now.checked_sub(MAX_SKEW).unwrap_or(SystemTime::UNIX_EPOCH);
    if time < earliest {
        return Err(AuthError::Expired(format!(
            "Signature expired: {value} is now earlier than {} ({} - 15 min.)",
            basic(earliest),
            basic(now)
        )));
    }
    let latest = now + MAX_SKEW;
    if time > latest {
        return Err(AuthError::Expired(format!(
            "Signature not yet current: {value} is still later than {} ({} + 15 min.)",
            basic(latest),
            basic(now)
        )));
    }
    Ok(time)
}

/// `yyyymmdd` (eight ASCII digits, checked by the caller) as a calendar date.
pub(super) fn basic_date(b: &[u8]) -> Option<NaiveDate> {
    let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(n(0..4) as i32, n(4..6), n(6..8))
}

/// `yyyymmddThhmmssZ` (shape checked by the caller) as a date and time; a leap
/// second (`60`) is left to chrono's parser, which accepts it.
pub(super) fn basic_date_time(b: &[u8]) -> Option<NaiveDateTime> {
    let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    if n(13..15) == 60 {
        return NaiveDateTime::parse_from_str(std::str::from_utf8(b).ok()?, BASIC_FORMAT).ok();
    }
    basic_date(&b[..8])?.and_hms_opt(n(9..11), n(11..13), n(13..15))
}

fn basic(t: SystemTime) -> String {
    DateTime::<Utc>::from(t).format(BASIC_FORMAT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_as_chrono_does() {
        for ok in ["20261125T103000Z", "20240229T000000Z", "20261231T235959Z"] {
            assert_eq!(
                basic_date_time(ok.as_bytes()),
                NaiveDateTime::parse_from_str(ok, BASIC_FORMAT).ok(),
                "{ok}"
            );
        }
        for bad in [
            "20230229T000000Z",
            "20261301T000000Z",
            "20261100T000000Z",
            "20261125T240000Z",
            "20261125T106000Z",
        ] {
            assert_eq!(basic_date_time(bad.as_bytes()), None, "{bad}");
            assert!(NaiveDateTime::parse_from_str(bad, BASIC_FORMAT).is_err(), "{bad}");
        }
    }
}
