//! Authentication (SigV4: `authn`, `sigv4/`) and authorization (IAM policies: `authorize`,
//! `policy/`). Knows nothing of the engine: the server passes what they need.

pub mod authn;
pub mod authorize;
pub mod iam_config;
pub mod policy;
pub mod sigv4;
