//! SigV4 signing keys, derived once per (secret, date, region, service) and cached per thread.

use std::cell::RefCell;

use super::hmac::HmacKey;

/// The signing key of (secret, date, region, service), as SigV4 derives it.
fn derive_signing_key(secret: &str, date: &str, region: &str, service: &str) -> HmacKey {
    let mut k_secret = Vec::with_capacity(4 + secret.len());
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let k_date = HmacKey::new(&k_secret).mac(&[date.as_bytes()]);
    let k_region = HmacKey::new(&k_date).mac(&[region.as_bytes()]);
    let k_service = HmacKey::new(&k_region).mac(&[service.as_bytes()]);
    HmacKey::new(&HmacKey::new(&k_service).mac(&[b"aws4_request"]))
}

/// Signing keys derived lately on this thread. Keys change once a day per
/// principal and region, so a few entries serve every request; the cache is
/// per thread so that no request waits for another to read it.
struct KeyCache {
    entries: Vec<(String, String, String, String, HmacKey)>,
}

const KEY_CACHE_ENTRIES: usize = 64;

thread_local! {
    static SIGNING_KEYS: RefCell<KeyCache> = const { RefCell::new(KeyCache { entries: Vec::new() }) };
}

pub(super) fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> HmacKey {
    SIGNING_KEYS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(hit) = cache
            .entries
            .iter()
            .find(|(s, d, r, v, _)| s == secret && d == date && r == region && v == service)
        {
            return hit.4.clone();
        }
        let key = derive_signing_key(secret, date, region, service);
        if cache.entries.len() >= KEY_CACHE_ENTRIES {
            cache.entries.remove(0);
        }
        cache.entries.push((
            secret.to_string(),
            date.to_string(),
            region.to_string(),
            service.to_string(),
            key.clone(),
        ));
        key
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn signing_keys_are_cached_per_scope() {
        let a = signing_key(SECRET, "20261125", "us-east-1", "glue").mac(&[b"x"]);
        let b = signing_key(SECRET, "20261125", "us-east-1", "glue").mac(&[b"x"]);
        let c = signing_key(SECRET, "20261126", "us-east-1", "glue").mac(&[b"x"]);
        let d = signing_key(SECRET, "20261125", "eu-west-1", "glue").mac(&[b"x"]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_eq!(
            a,
            derive_signing_key(SECRET, "20261125", "us-east-1", "glue").mac(&[b"x"])
        );
    }
}
