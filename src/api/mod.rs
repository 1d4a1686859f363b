//! The Glue API: one module per resource family with its wire shapes (serde,
//! PascalCase) and the mapping to engine calls, and the table of operations
//! ([`operations`]) that routes an operation name to its handler and IAM resource.

mod bookmarks;
mod catalog;
mod crawlers;
mod errors;
pub mod events;
mod jobs;
mod operations;
#[cfg(test)]
mod output_tests;
mod pagination;
mod runs;
mod shapes;
mod tags;
mod triggers;
mod workflows;

pub use operations::{Operation, OPERATIONS};

use crate::engine::Region;
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;

/// Whether an EventBridge target's role (`Option<RoleArn>`) may deliver an event to a
/// workflow (its ARN): the server's IAM decides.
pub type MayNotify = Arc<dyn Fn(Option<&str>, &str) -> Result<(), String> + Send + Sync>;

/// What a handler works on: the caller's partition of the engine.
pub struct Ctx {
    pub region: Arc<Region>,
    /// Names a BatchGet* caller may not see (IAM): answered as not found.
    pub hidden: HashSet<String>,
    /// For EventBridge calls that deliver events (PutEvents); `None`: anyone may.
    pub notify: Option<MayNotify>,
}

/// A JSON 1.1 service glue-local answers on `/`, chosen by the `X-Amz-Target` prefix.
pub struct Service {
    pub target_prefix: &'static str,
    /// The service the SigV4 credential scope names.
    pub signing_name: &'static str,
    pub model: fn() -> &'static crate::protocol::model::Model,
    pub operations: &'static [Operation],
    /// The error code of an input that breaks the model's constraints.
    pub invalid_input: &'static str,
}

/// Glue, and the minimum of EventBridge that routes events to workflows.
pub static SERVICES: [Service; 2] = [
    Service {
        target_prefix: "AWSGlue",
        signing_name: "glue",
        model,
        operations: OPERATIONS,
        invalid_input: "InvalidInputException",
    },
    Service {
        target_prefix: "AWSEvents",
        signing_name: "events",
        model: events::model,
        operations: events::EVENTS_OPERATIONS,
        invalid_input: "ValidationException",
    },
];

impl Service {
    /// The service of this `X-Amz-Target` prefix.
    pub fn of_target(prefix: &str) -> Option<&'static Service> {
        SERVICES.iter().find(|s| s.target_prefix == prefix)
    }

    /// The operation of this name, if glue-local implements it (and the model has it).
    pub fn operation(&self, name: &str) -> Option<&'static Operation> {
        self.operations
            .iter()
            .find(|op| op.name == name)
            .filter(|_| (self.model)().has_operation(name))
    }
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

    /// A page of `items` (sorted by `key`) for `request` (operation and filters), and the next token.
    fn page<T>(
        &self,
        request: impl Into<String>,
        items: Vec<T>,
        key: impl Fn(&T) -> &str,
        page: &pagination::PageRequest,
        default_max: usize,
    ) -> Reply<(Vec<T>, Option<String>)> {
        let scope = self.scope(request);
        pagination::page(
            &scope,
            items,
            key,
            page.next_token.as_deref(),
            page.max_results,
            default_max,
        )
    }

    /// A page of `names`, in name order.
    fn names_page(
        &self,
        request: impl Into<String>,
        names: Vec<String>,
        page: &pagination::PageRequest,
        default_max: usize,
    ) -> Reply<(Vec<String>, Option<String>)> {
        self.page(request, names, String::as_str, page, default_max)
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

/// The input of a call that names one resource by `Name` (GetTrigger, StartCrawler, …).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameInput {
    name: String,
}

/// An empty JSON object, the output of operations that return nothing.
#[derive(Serialize)]
pub struct Empty {}

/// The Glue service model (input and output shapes, extracted from botocore by tools/extract-model.py).
pub fn model() -> &'static crate::protocol::model::Model {
    static MODEL: std::sync::OnceLock<crate::protocol::model::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| load_model("model/glue.json", include_str!("../../model/glue.json")))
}

/// Parses a model embedded from `path`, and says which of its patterns are not checked.
fn load_model(path: &str, text: &str) -> crate::protocol::model::Model {
    let model = crate::protocol::model::Model::parse(text).unwrap_or_else(|e| panic!("{path} is not valid: {e}"));
    for p in model.skipped_patterns() {
        tracing::warn!(shape = %p.shape, pattern = %p.pattern, error = %p.error, "{path}: a pattern glue-local cannot compile is not checked");
    }
    model
}
