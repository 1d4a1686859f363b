//! NextToken/MaxResults: opaque tokens that carry where the next page starts,
//! signed so that a forged or altered token is refused.

use crate::protocol::WireError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// A secret for this process: tokens do not outlive the server.
fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(rand::random)
}

fn mac(scope: &str, cursor: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret());
    h.update(scope.as_bytes());
    h.update([0]);
    h.update(cursor.as_bytes());
    hex::encode(&h.finalize()[..12])
}

/// A token for `cursor` that only the same `scope` (operation and its filters) accepts.
pub fn encode(scope: &str, cursor: &str) -> String {
    format!("{}.{}", URL_SAFE_NO_PAD.encode(cursor), mac(scope, cursor))
}

pub fn decode(scope: &str, token: &str) -> Result<String, WireError> {
    let invalid = || WireError::invalid_input("Invalid NextToken: it was not issued for this request");
    let (data, tag) = token.split_once('.').ok_or_else(invalid)?;
    let bytes = URL_SAFE_NO_PAD.decode(data).map_err(|_| invalid())?;
    let cursor = String::from_utf8(bytes).map_err(|_| invalid())?;
    if mac(scope, &cursor) != tag {
        return Err(invalid());
    }
    Ok(cursor)
}

/// A page of `items` (sorted by `key`) after the token's cursor; returns the page and the next token.
pub fn page<T>(
    scope: &str,
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    next_token: Option<&str>,
    max_results: Option<i32>,
    default_max: usize,
) -> Result<(Vec<T>, Option<String>), WireError> {
    let after = next_token.map(|t| decode(scope, t)).transpose()?;
    let max = max_results.map_or(default_max, |m| m.max(1) as usize);
    let start = match &after {
        Some(cursor) => items.partition_point(|i| key(i) <= cursor.as_str()),
        None => 0,
    };
    let mut rest: Vec<T> = items.into_iter().skip(start).collect();
    let more = rest.len() > max;
    rest.truncate(max);
    let token = if more {
        rest.last().map(|last| encode(scope, key(last)))
    } else {
        None
    };
    Ok((rest, token))
}

/// A page of `items` (in the order they are shown, e.g. runs newest first) after the item
/// whose `id` the token carries. Items that arrive while a client walks the pages come
/// before the cursor, so they neither shift the walk nor repeat an item; when the
/// cursor's item is gone nothing follows it.
pub fn page_after_id<T>(
    scope: &str,
    items: Vec<T>,
    id: impl Fn(&T) -> &str,
    next_token: Option<&str>,
    max_results: Option<i32>,
    default_max: usize,
) -> Result<(Vec<T>, Option<String>), WireError> {
    let start = match next_token {
        None => 0,
        Some(t) => {
            let cursor = decode(scope, t)?;
            items
                .iter()
                .position(|i| id(i) == cursor)
                .map_or(items.len(), |p| p + 1)
        }
    };
    let max = max_results.map_or(default_max, |m| m.max(1) as usize);
    let mut rest: Vec<T> = items.into_iter().skip(start).collect();
    let more = rest.len() > max;
    rest.truncate(max);
    let token = if more {
        rest.last().map(|last| encode(scope, id(last)))
    } else {
        None
    };
    Ok((rest, token))
}

/// A page of names (in name order) after the token's cursor.
pub fn names(
    scope: &str,
    names: Vec<String>,
    next_token: Option<&str>,
    max_results: Option<i32>,
    default_max: usize,
) -> Result<(Vec<String>, Option<String>), WireError> {
    page(scope, names, |n| n.as_str(), next_token, max_results, default_max)
}

/// A page by position, for lists kept in order of arrival (runs).
pub fn position(scope: &str, next_token: Option<&str>) -> Result<usize, WireError> {
    match next_token {
        None => Ok(0),
        Some(t) => decode(scope, t)?
            .parse()
            .map_err(|_| WireError::invalid_input("Invalid NextToken")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_all_items_once() {
        let items: Vec<String> = (0..25).map(|i| format!("n{i:02}")).collect();
        let mut seen = Vec::new();
        let mut token = None;
        loop {
            let (page, next) = page("s", items.clone(), |s| s.as_str(), token.as_deref(), Some(10), 100).unwrap();
            seen.extend(page);
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn id_cursor_ignores_items_added_in_front() {
        let mut items: Vec<String> = vec!["r4".into(), "r3".into(), "r2".into(), "r1".into()];
        let (first, token) = page_after_id("s", items.clone(), |s| s.as_str(), None, Some(2), 100).unwrap();
        assert_eq!(first, ["r4", "r3"]);
        items.insert(0, "r5".into());
        let (second, token) = page_after_id("s", items, |s| s.as_str(), token.as_deref(), Some(2), 100).unwrap();
        assert_eq!(second, ["r2", "r1"]);
        assert_eq!(token, None);
        let gone = encode("s", "r9");
        let (empty, _) = page_after_id("s", vec!["r1".to_string()], |s| s.as_str(), Some(&gone), None, 100).unwrap();
        assert!(empty.is_empty());
        assert!(page_after_id("t", vec!["r1".to_string()], |s| s.as_str(), Some(&gone), None, 100).is_err());
    }

    #[test]
    fn forged_and_foreign_tokens_are_refused() {
        let t = encode("ListJobs", "abc");
        assert_eq!(decode("ListJobs", &t).unwrap(), "abc");
        assert!(decode("ListTriggers", &t).is_err());
        assert!(decode("ListJobs", "garbage").is_err());
        let forged = format!("{}.{}", URL_SAFE_NO_PAD.encode("zzz"), t.split_once('.').unwrap().1);
        assert_eq!(decode("ListJobs", &forged).unwrap_err().code, "InvalidInputException");
    }
}
