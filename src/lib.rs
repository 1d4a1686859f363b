//! glue-local: a local emulator of the AWS Glue API.
//!
//! Layers, top to bottom: [`server`] (HTTP), `protocol` (AWS JSON 1.1 framing),
//! `auth` (SigV4 and IAM), `api` (Glue wire shapes per resource family) and
//! `engine` (the domain: resources, runs, triggers, resume). [`testing`] runs the
//! server inside a test's own tokio runtime. The library's surface is what the binary
//! and Rust tests use (`server`, `config`, `logging`, `testing`); the layers below are
//! the crate's own, so the compiler reports what nothing uses.

pub(crate) mod api;
pub(crate) mod auth;
pub mod config;
pub(crate) mod console;
pub(crate) mod control;
pub(crate) mod engine;
pub mod logging;
pub(crate) mod protocol;
pub mod server;
pub mod testing;
