//! What a request asks for: action, resource, region and the resource's tags.

use std::collections::BTreeMap;
use std::fmt;

/// Looks up a resource's tags, for `aws:ResourceTag/<key>` conditions. Called
/// only when a policy has such a condition, so implementations may be lazy.
/// Implemented for tag maps (keys matched case-insensitively, as AWS does) and
/// for closures.
pub trait ResourceTags {
    fn resource_tag(&self, key: &str) -> Option<String>;
}

impl ResourceTags for BTreeMap<String, String> {
    fn resource_tag(&self, key: &str) -> Option<String> {
        self.get(key)
            .or_else(|| self.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
            .cloned()
    }
}

impl<F: Fn(&str) -> Option<String>> ResourceTags for F {
    fn resource_tag(&self, key: &str) -> Option<String> {
        self(key)
    }
}

/// What is being asked for.
#[derive(Clone, Copy)]
pub struct RequestContext<'a> {
    /// `service:Action`, e.g. `glue:ResumeWorkflowRun`.
    pub action: &'a str,
    /// The resource ARN, or `*` for actions without a resource.
    pub resource: &'a str,
    /// The region the request was signed for (`aws:RequestedRegion`).
    pub region: &'a str,
    /// The resource's tags; `None` when it has none (or none are known).
    pub resource_tags: Option<&'a dyn ResourceTags>,
}

impl<'a> RequestContext<'a> {
    pub fn new(action: &'a str, resource: &'a str, region: &'a str) -> Self {
        RequestContext {
            action,
            resource,
            region,
            resource_tags: None,
        }
    }

    pub fn with_resource_tags(mut self, tags: &'a dyn ResourceTags) -> Self {
        self.resource_tags = Some(tags);
        self
    }
}

impl fmt::Debug for RequestContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("action", &self.action)
            .field("resource", &self.resource)
            .field("region", &self.region)
            .field("resource_tags", &self.resource_tags.map(|_| ".."))
            .finish()
    }
}
