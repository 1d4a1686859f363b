//! Identifiers in AWS's forms: `wr_`, `jr_`, `wnode_` followed by 64 hex digits.

use sha2::{Digest, Sha256};

fn random_hex64() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

pub fn workflow_run_id() -> String {
    format!("wr_{}", random_hex64())
}

pub fn job_run_id() -> String {
    format!("jr_{}", random_hex64())
}

/// Whether `id` has a job run id's characters (`[A-Za-z0-9_-]+`): safe in a path.
pub fn is_job_run_id_like(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A retry of a job run, as AWS names it: the first attempt's id plus `_attempt_N`.
pub fn retry_run_id(first: &str, attempt: i32) -> String {
    format!("{first}_attempt_{attempt}")
}

/// A crawl's id (AWS shows a UUID).
pub fn crawl_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn trigger_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A graph node's id: a hash of where the node lives, so it is the same in every
/// call and every run of the workflow (resuming relies on that).
pub fn node_id(account: &str, region: &str, workflow: &str, kind: &str, name: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [account, region, workflow, kind, name] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    format!("wnode_{}", hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_aws_id(id: &str, prefix: &str) -> bool {
        id.strip_prefix(prefix)
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    #[test]
    fn forms() {
        assert!(is_aws_id(&workflow_run_id(), "wr_"));
        assert!(is_aws_id(&job_run_id(), "jr_"));
        assert!(is_aws_id(&node_id("1", "r", "w", "JOB", "j"), "wnode_"));
        assert_ne!(workflow_run_id(), workflow_run_id());
    }

    #[test]
    fn node_ids_are_stable_and_distinct() {
        assert_eq!(node_id("1", "r", "w", "JOB", "j"), node_id("1", "r", "w", "JOB", "j"));
        assert_ne!(
            node_id("1", "r", "w", "JOB", "j"),
            node_id("1", "r", "w", "CRAWLER", "j")
        );
        assert_ne!(node_id("1", "r", "w", "JOB", "ab"), node_id("1", "r", "wa", "JOB", "b"));
    }
}
