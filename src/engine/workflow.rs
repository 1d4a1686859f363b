//! The workflow resource.

use super::clock::Timestamp;
use std::collections::BTreeMap;

pub type Properties = BTreeMap<String, String>;
pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Workflow {
    pub name: String,
    pub description: Option<String>,
    pub default_run_properties: Properties,
    pub max_concurrent_runs: Option<i32>,
    pub created_on: Timestamp,
    pub last_modified_on: Timestamp,
    pub tags: Tags,
}

/// Fields of CreateWorkflow and UpdateWorkflow.
#[derive(Debug, Clone, Default)]
pub struct WorkflowSpec {
    pub description: Option<String>,
    pub default_run_properties: Option<Properties>,
    pub max_concurrent_runs: Option<i32>,
}
