//! TagResource, UntagResource, GetTags: resources are named by ARN.

use super::error::{Error, Result};
use super::persist::Change;
use super::region::{Definitions, Region};
use super::workflow::Tags;

/// The kinds of resource that have tags.
#[derive(Clone, Copy)]
enum Kind {
    Workflow,
    Job,
    Trigger,
    Crawler,
    /// In the catalog, under its own lock.
    Database,
}

impl Definitions {
    fn tags_of(&self, kind: Kind, name: &str) -> Option<&Tags> {
        match kind {
            Kind::Workflow => self.workflows.get(name).map(|r| &r.tags),
            Kind::Job => self.jobs.get(name).map(|r| &r.tags),
            Kind::Trigger => self.triggers.get(name).map(|r| &r.tags),
            Kind::Crawler => self.crawlers.get(name).map(|r| &r.tags),
            Kind::Database => None,
        }
    }

    /// The resource with its tags changed by `f`, as a change to commit.
    fn retagged(&self, kind: Kind, name: &str, f: impl FnOnce(&mut Tags)) -> Option<Change> {
        Some(match kind {
            Kind::Workflow => {
                let mut workflow = self.workflows.get(name)?.clone();
                f(&mut workflow.tags);
                Change::PutWorkflow { workflow }
            }
            Kind::Job => {
                let mut job = self.jobs.get(name)?.clone();
                f(&mut job.tags);
                Change::PutJob { job }
            }
            Kind::Trigger => {
                let mut trigger = self.triggers.get(name)?.clone();
                f(&mut trigger.tags);
                Change::PutTrigger { trigger }
            }
            Kind::Crawler => {
                let mut crawler = self.crawlers.get(name)?.clone();
                f(&mut crawler.tags);
                Change::PutCrawler { crawler }
            }
            Kind::Database => return None,
        })
    }
}

impl Region {
    /// The kind and name of the resource an ARN names in this partition.
    fn tagged<'a>(&self, arn: &'a str) -> Result<(Kind, &'a str)> {
        let prefix = format!("arn:aws:glue:{}:{}:", self.name, self.account);
        let not_found = || Error::NotFound(format!("Resource {arn} not found"));
        let rest = arn.strip_prefix(&prefix).ok_or_else(not_found)?;
        let (kind, name) = rest.split_once('/').ok_or_else(not_found)?;
        let kind = match kind {
            "workflow" => Kind::Workflow,
            "job" => Kind::Job,
            "trigger" => Kind::Trigger,
            "crawler" => Kind::Crawler,
            "database" => Kind::Database,
            _ => return Err(not_found()),
        };
        Ok((kind, name))
    }

    fn retag(&self, arn: &str, f: impl FnOnce(&mut Tags)) -> Result<()> {
        let (kind, name) = self.tagged(arn)?;
        if let Kind::Database = kind {
            return self.retag_database(name, f).map_err(|e| match e {
                Error::NotFound(_) => Error::NotFound(format!("Resource {arn} not found")),
                e => e,
            });
        }
        let mut defs = self.write();
        let change = defs
            .retagged(kind, name, f)
            .ok_or_else(|| Error::NotFound(format!("Resource {arn} not found")))?;
        defs.commit(change)
    }

    pub fn tag_resource(&self, arn: &str, add: Tags) -> Result<()> {
        self.retag(arn, |tags| tags.extend(add))
    }

    pub fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<()> {
        self.retag(arn, |tags| tags.retain(|k, _| !keys.contains(k)))
    }

    pub fn get_tags(&self, arn: &str) -> Result<Tags> {
        let (kind, name) = self.tagged(arn)?;
        let tags = match kind {
            Kind::Database => self.get_database(name).ok().map(|d| d.tags),
            _ => self.read().tags_of(kind, name).cloned(),
        };
        tags.ok_or_else(|| Error::NotFound(format!("Resource {arn} not found")))
    }
}
