//! SigV4 authentication of AWS JSON 1.1 requests, as real clients sign them.
//!
//! Pure: knows HTTP headers and bytes, nothing about Glue's engine. The caller
//! looks up the secret for [`Credential::access_key_id`] and calls `verify`.
//!
//! Verification re-signs the request with `aws-sigv4` over exactly the headers
//! named in the request's own `SignedHeaders` (botocore and the Rust SDK sign
//! different sets), hashing the body byte for byte, and compares the
//! signatures in constant time.
//!
//! Every request pays for this when an IAM config is loaded, so the usual case
//! (path `/`, no query: every AWS JSON 1.1 call) is computed directly: the
//! canonical request is streamed into SHA-256 without being built as a string,
//! and the signing key, which depends only on (secret, date, region, service),
//! is derived once and kept in a small per-thread cache (no lock on the request
//! path). `aws-sigv4` derives the key inside `sign()` and allocates the canonical
//! request, headers and strings on every call: about four times the work. It
//! stays the reference: any request outside the direct path, and any signature
//! the direct computation does not match, is re-checked with it, so the direct
//! path can only ever save time, never change an answer.
//!
//! `header.rs` parses the `Authorization` header, `date.rs` checks `X-Amz-Date`,
//! `verify.rs` checks the rest; `direct.rs` is the direct computation, over
//! `hmac.rs` and the per-thread cache of `signing_key.rs`.

mod date;
mod direct;
mod error;
mod header;
mod hmac;
mod signing_key;
#[cfg(test)]
mod tests;
mod verify;

pub use date::check_date;
pub use error::AuthError;
pub use header::{authorization_for_service, authorization_from_headers, AuthHeader};
pub use verify::verify;

/// The only signing algorithm accepted.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";
