//! NextToken/MaxResults: opaque tokens that carry where the next page starts,
//! signed so that a forged or altered token, or one issued to another request,
//! account or region, is refused.

use crate::engine::workflow::Tags;
use crate::protocol::WireError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use subtle::ConstantTimeEq;

/// What a token is valid for: the partition that issued it and the request
/// (operation and its filters), e.g. `ListJobs/{tags}`.
pub struct Scope<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub request: String,
}

/// A secret for this process: tokens do not outlive the server.
fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(rand::random)
}

fn mac(scope: &Scope, cursor: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret());
    // Account and region cannot hold a NUL (SigV4 scope, config): the fields stay apart.
    for field in [scope.account, scope.region, &scope.request] {
        h.update(field.as_bytes());
        h.update([0]);
    }
    h.update(cursor.as_bytes());
    hex::encode(&h.finalize()[..12])
}

/// A token for `cursor` that only the same `scope` accepts.
pub fn encode(scope: &Scope, cursor: &str) -> String {
    format!("{}.{}", URL_SAFE_NO_PAD.encode(cursor), mac(scope, cursor))
}

pub fn decode(scope: &Scope, token: &str) -> Result<String, WireError> {
    let invalid = || WireError::invalid_input("Invalid NextToken: it was not issued for this request");
    let (data, tag) = token.split_once('.').ok_or_else(invalid)?;
    let bytes = URL_SAFE_NO_PAD.decode(data).map_err(|_| invalid())?;
    let cursor = String::from_utf8(bytes).map_err(|_| invalid())?;
    if !bool::from(mac(scope, &cursor).as_bytes().ct_eq(tag.as_bytes())) {
        return Err(invalid());
    }
    Ok(cursor)
}

/// A page of `items` (sorted by `key`) after the token's cursor; returns the page and the next token.
pub fn page<T>(
    scope: &Scope,
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    next_token: Option<&str>,
    max_results: Option<i32>,
    default_max: usize,
) -> Result<(Vec<T>, Option<String>), WireError> {
    let fetch = |after: Option<&str>, n: usize| -> Result<Vec<T>, WireError> {
        let start = after.map_or(0, |cursor| items.partition_point(|i| key(i) <= cursor));
        Ok(items.into_iter().skip(start).take(n).collect())
    };
    page_from(scope, &key, next_token, max_results, default_max, fetch)
}

/// A page from a source that starts after a cursor itself (a sorted map's range):
/// `fetch(after, n)` gives at most `n` items after the key `after`, in key order.
pub fn page_from<T, E: Into<WireError>>(
    scope: &Scope,
    key: impl Fn(&T) -> &str,
    next_token: Option<&str>,
    max_results: Option<i32>,
    default_max: usize,
    fetch: impl FnOnce(Option<&str>, usize) -> Result<Vec<T>, E>,
) -> Result<(Vec<T>, Option<String>), WireError> {
    let after = next_token.map(|t| decode(scope, t)).transpose()?;
    let max = max_results.map_or(default_max, |m| m.max(1) as usize);
    let mut rest = fetch(after.as_deref(), max.saturating_add(1)).map_err(Into::into)?;
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
    scope: &Scope,
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

/// The NextToken and MaxResults members of a paged request.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PageRequest {
    pub next_token: Option<String>,
    pub max_results: Option<i32>,
}

/// A list request that filters by tags (ListJobs, ListCrawlers) and its Get* sibling.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaggedPageRequest {
    #[serde(flatten)]
    pub page: PageRequest,
    pub tags: Option<Tags>,
}

/// A page by position, for lists kept in order of arrival (runs).
pub fn position(scope: &Scope, next_token: Option<&str>) -> Result<usize, WireError> {
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

    fn scope(request: &str) -> Scope<'static> {
        in_partition("123456789012", "us-east-1", request)
    }

    fn in_partition(account: &'static str, region: &'static str, request: &str) -> Scope<'static> {
        Scope {
            account,
            region,
            request: request.to_string(),
        }
    }

    #[test]
    fn walks_all_items_once() {
        let items: Vec<String> = (0..25).map(|i| format!("n{i:02}")).collect();
        let mut seen = Vec::new();
        let mut token = None;
        loop {
            let (page, next) = page(
                &scope("s"),
                items.clone(),
                |s| s.as_str(),
                token.as_deref(),
                Some(10),
                100,
            )
            .unwrap();
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
        let (first, token) = page_after_id(&scope("s"), items.clone(), |s| s.as_str(), None, Some(2), 100).unwrap();
        assert_eq!(first, ["r4", "r3"]);
        items.insert(0, "r5".into());
        let (second, token) =
            page_after_id(&scope("s"), items, |s| s.as_str(), token.as_deref(), Some(2), 100).unwrap();
        assert_eq!(second, ["r2", "r1"]);
        assert_eq!(token, None);
        let gone = encode(&scope("s"), "r9");
        let (empty, _) = page_after_id(
            &scope("s"),
            vec!["r1".to_string()],
            |s| s.as_str(),
            Some(&gone),
            None,
            100,
        )
        .unwrap();
        assert!(empty.is_empty());
        assert!(page_after_id(
            &scope("t"),
            vec!["r1".to_string()],
            |s| s.as_str(),
            Some(&gone),
            None,
            100
        )
        .is_err());
    }

    #[test]
    fn forged_and_foreign_tokens_are_refused() {
        let t = encode(&scope("ListJobs"), "abc");
        assert_eq!(decode(&scope("ListJobs"), &t).unwrap(), "abc");
        assert!(decode(&scope("ListTriggers"), &t).is_err());
        assert!(decode(&scope("ListJobs"), "garbage").is_err());
        let forged = format!("{}.{}", URL_SAFE_NO_PAD.encode("zzz"), t.split_once('.').unwrap().1);
        assert_eq!(
            decode(&scope("ListJobs"), &forged).unwrap_err().code,
            "InvalidInputException"
        );
    }

    #[test]
    fn tokens_are_bound_to_their_account_and_region() {
        let t = encode(&in_partition("111111111111", "us-east-1", "ListJobs"), "abc");
        assert_eq!(
            decode(&in_partition("111111111111", "us-east-1", "ListJobs"), &t).unwrap(),
            "abc"
        );
        for (account, region) in [("222222222222", "us-east-1"), ("111111111111", "eu-west-1")] {
            let err = decode(&in_partition(account, region, "ListJobs"), &t).unwrap_err();
            assert_eq!(err.code, "InvalidInputException", "{account} {region}");
        }
        // The fields are kept apart: moving a character from one to the next is another scope.
        let a = encode(&in_partition("1", "2us-east-1", "ListJobs"), "abc");
        assert!(decode(&in_partition("12", "us-east-1", "ListJobs"), &a).is_err());
    }
}
