//! The Glue API: one module per resource family with its wire shapes (serde,
//! PascalCase) and the mapping to engine calls, and the table that routes an
//! operation name to its handler.

pub mod authz;
mod crawlers;
mod errors;
mod jobs;
mod pagination;
mod runs;
mod shapes;
mod tags;
mod triggers;
mod workflows;

use crate::engine::Region;
use crate::protocol::WireError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;

/// What a handler works on: the caller's partition of the engine.
pub struct Ctx {
    pub region: Arc<Region>,
    /// Names a BatchGet* caller may not see (IAM): answered as not found.
    pub hidden: HashSet<String>,
}

impl Ctx {
    /// For the BatchGet* calls: what was found and may be seen, in the order asked, and the names that were not.
    fn split_found<T, E>(&self, names: Vec<String>, get: impl Fn(&str) -> Result<T, E>) -> (Vec<T>, Vec<String>) {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for name in names {
            if self.hidden.contains(&name) {
                missing.push(name);
                continue;
            }
            match get(&name) {
                Ok(t) => found.push(t),
                Err(_) => missing.push(name),
            }
        }
        (found, missing)
    }

    /// What a pagination token issued for `request` (operation and filters) in this partition is valid for.
    fn scope(&self, request: impl Into<String>) -> pagination::Scope<'_> {
        pagination::Scope {
            account: &self.region.account,
            region: &self.region.name,
            request: request.into(),
        }
    }
}

pub type Reply<T> = Result<T, WireError>;

fn call<I: DeserializeOwned, O: Serialize>(
    ctx: &Ctx,
    body: serde_json::Value,
    handler: fn(&Ctx, I) -> Reply<O>,
) -> Reply<Vec<u8>> {
    let input: I =
        serde_json::from_value(body).map_err(|e| WireError::serialization(format!("Cannot read the request: {e}")))?;
    let output = handler(ctx, input)?;
    // Sized for a typical answer (a W1 run with its graph is ~7 KB), so the
    // buffer is not regrown and copied several times while serializing.
    let mut body = Vec::with_capacity(8 * 1024);
    serde_json::to_writer(&mut body, &output)
        .map_err(|e| WireError::internal(format!("Cannot encode the response: {e}")))?;
    Ok(body)
}

macro_rules! operations {
    ($($name:literal => $handler:path),* $(,)?) => {
        /// Every operation glue-local implements.
        pub const OPERATIONS: &[&str] = &[$($name),*];

        /// Runs the operation's handler; `None` when glue-local does not implement it.
        pub fn dispatch(op: &str, ctx: &Ctx, body: serde_json::Value) -> Option<Reply<Vec<u8>>> {
            Some(match op {
                $($name => call(ctx, body, $handler),)*
                _ => return None,
            })
        }
    };
}

operations! {
    "CreateWorkflow" => workflows::create,
    "GetWorkflow" => workflows::get,
    "UpdateWorkflow" => workflows::update,
    "DeleteWorkflow" => workflows::delete,
    "ListWorkflows" => workflows::list,
    "BatchGetWorkflows" => workflows::batch_get,
    "StartWorkflowRun" => runs::start,
    "StopWorkflowRun" => runs::stop,
    "GetWorkflowRun" => runs::get,
    "GetWorkflowRuns" => runs::list,
    "ResumeWorkflowRun" => runs::resume,
    "GetWorkflowRunProperties" => runs::get_properties,
    "PutWorkflowRunProperties" => runs::put_properties,
    "CreateJob" => jobs::create,
    "GetJob" => jobs::get,
    "UpdateJob" => jobs::update,
    "DeleteJob" => jobs::delete,
    "GetJobs" => jobs::get_all,
    "ListJobs" => jobs::list,
    "BatchGetJobs" => jobs::batch_get,
    "StartJobRun" => jobs::start_run,
    "GetJobRun" => jobs::get_run,
    "GetJobRuns" => jobs::get_runs,
    "BatchStopJobRun" => jobs::batch_stop_runs,
    "CreateTrigger" => triggers::create,
    "GetTrigger" => triggers::get,
    "GetTriggers" => triggers::get_all,
    "UpdateTrigger" => triggers::update,
    "DeleteTrigger" => triggers::delete,
    "ListTriggers" => triggers::list,
    "BatchGetTriggers" => triggers::batch_get,
    "StartTrigger" => triggers::start,
    "StopTrigger" => triggers::stop,
    "CreateCrawler" => crawlers::create,
    "GetCrawler" => crawlers::get,
    "GetCrawlers" => crawlers::get_all,
    "UpdateCrawler" => crawlers::update,
    "DeleteCrawler" => crawlers::delete,
    "ListCrawlers" => crawlers::list,
    "BatchGetCrawlers" => crawlers::batch_get,
    "StartCrawler" => crawlers::start,
    "StopCrawler" => crawlers::stop,
    "ListCrawls" => crawlers::list_crawls,
    "GetCrawlerMetrics" => crawlers::metrics,
    "TagResource" => tags::tag,
    "UntagResource" => tags::untag,
    "GetTags" => tags::get,
}

/// Whether an operation only reads (it may then run against a partition's empty view).
pub fn reads_only(op: &str) -> bool {
    ["Get", "List", "BatchGet"].iter().any(|p| op.starts_with(p))
}

/// An empty JSON object, the output of operations that return nothing.
#[derive(Serialize)]
pub struct Empty {}

/// The Glue service model's input shapes (extracted from botocore by tools/extract-model.py).
pub fn model() -> &'static crate::protocol::model::Model {
    static MODEL: std::sync::OnceLock<crate::protocol::model::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        crate::protocol::model::Model::parse(include_str!("../../model/glue.json")).expect("model/glue.json is valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_get_list_and_batch_get_calls_read_only() {
        let reads: Vec<_> = OPERATIONS.iter().copied().filter(|op| reads_only(op)).collect();
        assert!(reads.contains(&"GetWorkflowRun") && reads.contains(&"ListCrawls") && reads.contains(&"BatchGetJobs"));
        for op in [
            "CreateWorkflow",
            "DeleteJob",
            "BatchStopJobRun",
            "TagResource",
            "StartCrawler",
            "PutWorkflowRunProperties",
        ] {
            assert!(!reads_only(op), "{op}");
        }
    }
}
