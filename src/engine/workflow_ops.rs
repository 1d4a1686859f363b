//! CreateWorkflow, GetWorkflow, UpdateWorkflow, DeleteWorkflow, ListWorkflows.

use super::clock::Timestamp;
use super::error::{Error, Result};
use super::graph::Graph;
use super::persist::Change;
use super::quotas::{check_room, Quotas};
use super::region::{Definitions, Region};
use super::run::RunCell;
use super::workflow::{Tags, Workflow, WorkflowSpec};
use std::sync::Arc;

pub(crate) fn workflow_not_found(name: &str) -> Error {
    Error::NotFound(format!("Workflow {name} not found"))
}

impl Definitions {
    /// The design graph: the workflow's triggers and the jobs and crawlers they name.
    pub(crate) fn graph(&self, account: &str, region: &str, workflow: &str) -> Graph {
        let triggers = self
            .triggers
            .values()
            .filter(|t| t.workflow_name.as_deref() == Some(workflow));
        Graph::build(account, region, workflow, triggers)
    }
}

impl Definitions {
    pub(crate) fn create_workflow(
        &self,
        name: &str,
        spec: WorkflowSpec,
        tags: Tags,
        quotas: &Quotas,
        now: Timestamp,
    ) -> Result<Option<Change>> {
        if self.workflows.contains_key(name) {
            return Err(Error::AlreadyExists(format!(
                "Workflow with name {name} already exists"
            )));
        }
        check_room("workflows", self.workflows.len(), quotas.workflows)?;
        let workflow = Workflow {
            name: name.to_string(),
            description: spec.description,
            default_run_properties: spec.default_run_properties.unwrap_or_default(),
            max_concurrent_runs: spec.max_concurrent_runs,
            created_on: now,
            last_modified_on: now,
            tags,
        };
        Ok(Some(Change::PutWorkflow { workflow }))
    }

    /// Sets the members given; absent ones keep their values.
    pub(crate) fn update_workflow(&self, name: &str, spec: WorkflowSpec, now: Timestamp) -> Result<Option<Change>> {
        let mut workflow = self
            .workflows
            .get(name)
            .cloned()
            .ok_or_else(|| workflow_not_found(name))?;
        if let Some(d) = spec.description {
            workflow.description = Some(d);
        }
        if let Some(p) = spec.default_run_properties {
            workflow.default_run_properties = p;
        }
        if let Some(m) = spec.max_concurrent_runs {
            workflow.max_concurrent_runs = Some(m);
        }
        workflow.last_modified_on = now;
        Ok(Some(Change::PutWorkflow { workflow }))
    }

    /// Deletes the workflow and its triggers; its jobs and crawlers stay. Deleting a
    /// workflow that does not exist changes nothing, as in AWS.
    pub(crate) fn delete_workflow(&self, name: &str) -> Option<Change> {
        let has_triggers = self.triggers.values().any(|t| t.workflow_name.as_deref() == Some(name));
        let name = name.to_string();
        (self.workflows.contains_key(&name) || has_triggers).then_some(Change::DeleteWorkflow { name })
    }
}

impl Region {
    pub fn create_workflow(&self, name: &str, spec: WorkflowSpec, tags: Tags) -> Result<()> {
        self.change(|d| d.create_workflow(name, spec, tags, &self.settings.quotas, Timestamp::now()))
    }

    pub fn get_workflow(&self, name: &str) -> Result<Workflow> {
        self.read()
            .workflows
            .get(name)
            .cloned()
            .ok_or_else(|| workflow_not_found(name))
    }

    /// The workflow's design graph as it is now.
    pub fn workflow_graph(&self, name: &str) -> Graph {
        self.read().graph(&self.account, &self.name, name)
    }

    pub fn update_workflow(&self, name: &str, spec: WorkflowSpec) -> Result<()> {
        self.change(|d| d.update_workflow(name, spec, Timestamp::now()))
    }

    /// Deletes the workflow (see [`Definitions::delete_workflow`]), then its runs.
    pub fn delete_workflow(&self, name: &str) -> Result<()> {
        self.change(|d| Ok(d.delete_workflow(name)))?;
        for run in self.runs.remove_workflow(name) {
            run.lock().retire();
        }
        Ok(())
    }

    pub fn workflow_names(&self) -> Vec<String> {
        self.read().workflows.keys().cloned().collect()
    }

    /// The workflow's most recent run.
    pub fn last_run(&self, workflow: &str) -> Option<Arc<RunCell>> {
        let runs = self.runs.existing(workflow)?;
        let last = runs.list.lock().unwrap().last().cloned();
        last
    }
}
