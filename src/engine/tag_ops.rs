//! TagResource, UntagResource, GetTags: resources are named by ARN.

use super::error::{Error, Result};
use super::region::{Definitions, Region};
use super::workflow::Tags;

impl Region {
    /// Finds the tags of the resource an ARN names in this partition.
    fn with_tags<T>(&self, arn: &str, defs: &mut Definitions, f: impl FnOnce(&mut Tags) -> T) -> Result<T> {
        let prefix = format!("arn:aws:glue:{}:{}:", self.name, self.account);
        let not_found = || Error::NotFound(format!("Resource {arn} not found"));
        let rest = arn.strip_prefix(&prefix).ok_or_else(not_found)?;
        let (kind, name) = rest.split_once('/').ok_or_else(not_found)?;
        let tags = match kind {
            "workflow" => defs.workflows.get_mut(name).map(|r| &mut r.tags),
            "job" => defs.jobs.get_mut(name).map(|r| &mut r.tags),
            "trigger" => defs.triggers.get_mut(name).map(|r| &mut r.tags),
            "crawler" => defs.crawlers.get_mut(name).map(|r| &mut r.tags),
            _ => None,
        };
        tags.map(f).ok_or_else(not_found)
    }

    pub fn tag_resource(&self, arn: &str, add: Tags) -> Result<()> {
        let mut defs = self.write();
        self.with_tags(arn, &mut defs, |tags| tags.extend(add))
    }

    pub fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<()> {
        let mut defs = self.write();
        self.with_tags(arn, &mut defs, |tags| tags.retain(|k, _| !keys.contains(k)))
    }

    pub fn get_tags(&self, arn: &str) -> Result<Tags> {
        let mut defs = self.write();
        self.with_tags(arn, &mut defs, |tags| tags.clone())
    }
}
