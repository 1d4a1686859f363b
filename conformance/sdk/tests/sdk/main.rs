//! The Rust SDK leg of the conformance suite: `aws-sdk-glue` against a running glue-local.
//!
//! Uses the server at `GLUE_LOCAL_ENDPOINT`, or starts `target/debug/glue-local` itself.
//! Every test uses names of its own, so the tests can share one server and run in parallel.

mod errors;
mod in_process;
mod pagination;
mod tags_regions;
mod workflow_resume;
