//! glue-local: a local emulator of the AWS Glue API.
//!
//! Layers, top to bottom: [`server`] (HTTP), [`protocol`] (AWS JSON 1.1 framing),
//! [`auth`] (SigV4 and IAM), [`api`] (Glue wire shapes per resource family) and
//! [`engine`] (the domain: resources, runs, triggers, resume). [`testing`] runs the
//! server inside a test's own tokio runtime.

pub mod api;
pub mod auth;
pub mod config;
pub mod console;
pub mod control;
pub mod engine;
pub mod logging;
pub mod protocol;
pub mod server;
pub mod testing;
