//! The direct computation of a signature: the canonical request streamed into
//! SHA-256, for the request shape every SDK sends.

use sha2::{Digest, Sha256};

use super::header::AuthHeader;
use super::signing_key::signing_key;
use super::ALGORITHM;

/// SigV4's value normalisation: spaces (only spaces) trimmed at both ends and runs
/// of spaces inside collapsed to one, written straight into the hash.
fn hash_trimmed(hasher: &mut Sha256, value: &str) {
    let value = value.trim_matches(' ');
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' && i + 1 < bytes.len() && bytes[i + 1] == b' ' {
            hasher.update(&bytes[start..=i]);
            while i + 1 < bytes.len() && bytes[i + 1] == b' ' {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    hasher.update(&bytes[start..]);
}

fn hex32(bytes: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex::encode_to_slice(bytes, &mut out).expect("64 hex digits");
    out
}

/// The request's signature computed directly, as lowercase hex, for path `/`
/// without a query and lowercase `SignedHeaders` names (what every SDK sends);
/// `None` for anything else, which the reference computation then handles.
///
/// Mirrors `aws-sigv4` with the settings `verify` uses: the headers given are
/// the signed ones, grouped by name in name order, values in the order received
/// and joined with `,`; `x-amz-date` is the signing time's (equal to the
/// header's, which `check_date` validated) and `x-amz-security-token` the
/// token passed in, each once.
#[allow(clippy::too_many_arguments)]
pub(super) fn direct_signature(
    method: &str,
    uri: &str,
    pairs: &[(&str, &str)],
    body: &[u8],
    auth: &AuthHeader,
    secret: &str,
    signing_token: Option<&str>,
    amz_date: &str,
) -> Option<[u8; 64]> {
    if uri != "/" || amz_date.len() != 16 || &amz_date[13..15] == "60" {
        return None;
    }
    if pairs
        .iter()
        .any(|(name, _)| name.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return None;
    }
    // Names in order, each value once per occurrence; date and token replaced.
    let mut entries: Vec<(&str, &str)> = Vec::with_capacity(pairs.len() + 2);
    entries.extend(
        pairs
            .iter()
            .copied()
            .filter(|(name, _)| *name != "x-amz-date" && !(signing_token.is_some() && *name == "x-amz-security-token")),
    );
    entries.push(("x-amz-date", amz_date));
    if let Some(token) = signing_token {
        entries.push(("x-amz-security-token", token));
    }
    // Stable: values of one name keep their order.
    entries.sort_by(|a, b| a.0.cmp(b.0));

    let payload = hex32(&Sha256::digest(body));
    let mut creq = Sha256::new();
    creq.update(method.as_bytes());
    creq.update(b"\n/\n\n");
    let mut previous: Option<&str> = None;
    for (name, value) in &entries {
        if previous == Some(name) {
            creq.update(b",");
        } else {
            if previous.is_some() {
                creq.update(b"\n");
            }
            creq.update(name.as_bytes());
            creq.update(b":");
        }
        hash_trimmed(&mut creq, value);
        previous = Some(name);
    }
    creq.update(b"\n\n");
    let mut previous: Option<&str> = None;
    for (name, _) in &entries {
        if previous == Some(name) {
            continue;
        }
        if previous.is_some() {
            creq.update(b";");
        }
        creq.update(name.as_bytes());
        previous = Some(name);
    }
    creq.update(b"\n");
    creq.update(payload);
    let creq_hash = hex32(&creq.finalize());

    let c = &auth.credential;
    let key = signing_key(secret, &amz_date[..8], &c.region, &c.service);
    let signature = key.mac(&[
        ALGORITHM.as_bytes(),
        b"\n",
        amz_date.as_bytes(),
        b"\n",
        &amz_date.as_bytes()[..8],
        b"/",
        c.region.as_bytes(),
        b"/",
        c.service.as_bytes(),
        b"/aws4_request\n",
        &creq_hash,
    ]);
    Some(hex32(&signature))
}
