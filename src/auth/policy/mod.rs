//! Identity-based IAM policies: parsing (compiled once at load) and evaluation.
//!
//! Pure: knows nothing about Glue's engine. The caller names the action
//! (`glue:ResumeWorkflowRun`), the resource ARN (or `*`), the request's region
//! and, when a policy asks for them, the resource's tags.
//!
//! Supported: `Effect` Allow/Deny; `Action`/`NotAction`, `Resource`/`NotResource`
//! (a string or a list; `*` and `?` wildcards; actions case-insensitive,
//! resources case-sensitive); `Condition` with `StringEquals`,
//! `StringNotEquals`, `StringLike`, `StringNotLike` and their `IfExists`
//! forms on `aws:RequestedRegion`, `aws:ResourceTag/<key>`, `aws:PrincipalArn`
//! and `aws:PrincipalAccount`. Anything else is rejected when loading.
//!
//! Evaluation: an explicit Deny wins, then an Allow, else implicit deny.
//!
//! `document.rs` parses a policy's statements, `conditions.rs` its conditions,
//! `wildcard.rs` compiles `*`/`?` patterns; `evaluate.rs` decides a request
//! described by `request.rs`; `denial.rs` words the refusal.

mod conditions;
mod denial;
mod document;
mod evaluate;
mod request;
#[cfg(test)]
mod tests;
mod wildcard;

pub use denial::denial_message;
pub use document::Policy;
pub use evaluate::evaluate;
#[cfg(test)]
pub use evaluate::Decision;
pub use request::{RequestContext, ResourceTags};
