//! Authentication (SigV4) and authorization (IAM policies). Knows nothing of the engine.

pub mod iam_config;
pub mod policy;
pub mod sigv4;
