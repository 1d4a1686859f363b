//! Authorization: whether the caller may perform an action on what a request names, with
//! AWS's AccessDeniedException when not. The caller passes the resources (a request's
//! ARN, or each ARN a BatchGet* call names) and how to read a resource's tags, which
//! are read once per resource, and only if a policy asks.

use super::authn::{Access, Caller};
use super::iam_config::{IamConfig, Principal, PrincipalKind};
use super::policy::{self, ResourceTags};
use crate::protocol::WireError;
use std::cell::OnceCell;
use std::collections::HashSet;

/// What a request is authorized on.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// One ARN, or `*`.
    One(String),
    /// Each named resource, as (name, ARN), authorized one by one: those denied are
    /// answered as not found, and the call is refused only when none is allowed.
    Each(Vec<(String, String)>),
    /// Several ARNs that must all be allowed (a Data Catalog call needs its catalog,
    /// database and table): the first denied one refuses the call.
    All(Vec<String>),
}

impl Caller {
    /// Checks `action` on the target (computed only when policies apply). Returns the
    /// names of a [`Target::Each`] the caller may not see.
    pub fn authorize<T: ResourceTags>(
        &self,
        action: &str,
        target: impl FnOnce() -> Target,
        tags_of: impl Fn(&str) -> Option<T>,
    ) -> Result<HashSet<String>, WireError> {
        match &self.access {
            Access::Unrestricted => Ok(HashSet::new()),
            Access::Policies(principal) => {
                let check = |resource: &str| {
                    let tags = LazyTags {
                        arn: resource,
                        fetch: &tags_of,
                        tags: OnceCell::new(),
                    };
                    self.check(principal, action, resource, Some(&tags))
                };
                match target() {
                    Target::One(resource) => check(&resource).map(|()| HashSet::new()),
                    Target::Each(named) => each(named, check),
                    Target::All(resources) => resources.iter().try_for_each(|r| check(r)).map(|()| HashSet::new()),
                }
            }
            Access::Denied(why) => {
                let resource = match target() {
                    Target::One(resource) => resource,
                    Target::Each(_) => "*".to_string(),
                    Target::All(resources) => resources.into_iter().next().unwrap_or_else(|| "*".to_string()),
                };
                Err(access_denied(format!(
                    "User: {} is not authorized to perform: {action} on resource: {resource} {why}",
                    self.arn
                )))
            }
        }
    }

    /// Evaluates `action` on `resource` for the caller's principal.
    pub fn check(
        &self,
        principal: &Principal,
        action: &str,
        resource: &str,
        tags: Option<&dyn ResourceTags>,
    ) -> Result<(), WireError> {
        let mut ctx = policy::RequestContext::new(action, resource, &self.region);
        if let Some(tags) = tags {
            ctx = ctx.with_resource_tags(tags);
        }
        let decision = policy::evaluate(principal, &ctx);
        if decision.is_allowed() {
            Ok(())
        } else {
            Err(access_denied(policy::denial_message(
                &self.arn, action, resource, decision,
            )))
        }
    }
}

fn each(
    named: Vec<(String, String)>,
    check: impl Fn(&str) -> Result<(), WireError>,
) -> Result<HashSet<String>, WireError> {
    let mut hidden = HashSet::new();
    let mut denial = None;
    let mut any_allowed = false;
    for (name, arn) in named {
        match check(&arn) {
            Ok(()) => any_allowed = true,
            Err(e) => {
                denial.get_or_insert(e);
                hidden.insert(name);
            }
        }
    }
    match denial {
        Some(e) if !any_allowed => Err(e),
        // Nothing named: nothing to hide, but the caller needs the action at all.
        None if !any_allowed => check("*").map(|()| hidden),
        _ => Ok(hidden),
    }
}

/// A resource's tags for `aws:ResourceTag/<key>` conditions, fetched on first use.
struct LazyTags<'a, T, F> {
    arn: &'a str,
    fetch: &'a F,
    tags: OnceCell<Option<T>>,
}

impl<T: ResourceTags, F: Fn(&str) -> Option<T>> ResourceTags for LazyTags<'_, T, F> {
    fn resource_tag(&self, key: &str) -> Option<String> {
        self.tags
            .get_or_init(|| (self.fetch)(self.arn))
            .as_ref()?
            .resource_tag(key)
    }
}

fn access_denied(message: String) -> WireError {
    WireError::new("AccessDeniedException", message)
}

/// Whether a role (an EventBridge target's `RoleArn`) may perform `action` on `resource`
/// in `account` and `region`: without an IAM config, yes; with one, only a role of that
/// account in the config whose policies allow it. The error says why not.
pub fn role_may(
    iam: Option<&IamConfig>,
    account: &str,
    region: &str,
    role_arn: Option<&str>,
    action: &str,
    resource: &str,
) -> Result<(), String> {
    let Some(iam) = iam else {
        return Ok(());
    };
    let Some(role_arn) = role_arn else {
        return Err(format!(
            "no role may perform {action} on {resource}: the target names no RoleArn"
        ));
    };
    let role = iam
        .principals()
        .iter()
        .find(|p| p.arn == role_arn && p.kind == PrincipalKind::Role && p.account == account)
        .ok_or_else(|| format!("{role_arn} is not a role of account {account} in the IAM config"))?;
    let decision = policy::evaluate(role, &policy::RequestContext::new(action, resource, region));
    if decision.is_allowed() {
        Ok(())
    } else {
        Err(policy::denial_message(role_arn, action, resource, decision))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::collections::BTreeMap;

    #[test]
    fn resource_tags_are_fetched_once_and_only_when_asked_and_keys_match_in_any_case() {
        let fetched = Cell::new(0);
        let fetch = |arn: &str| {
            fetched.set(fetched.get() + 1);
            (arn == "arn:w").then(|| BTreeMap::from([("Team".to_string(), "Data".to_string())]))
        };
        let tags = LazyTags {
            arn: "arn:w",
            fetch: &fetch,
            tags: OnceCell::new(),
        };
        assert_eq!(fetched.get(), 0);
        for key in ["Team", "team", "TEAM"] {
            assert_eq!(tags.resource_tag(key).as_deref(), Some("Data"), "{key}");
        }
        assert_eq!(tags.resource_tag("other"), None);
        assert_eq!(fetched.get(), 1);
        let untagged = LazyTags {
            arn: "arn:x",
            fetch: &fetch,
            tags: OnceCell::new(),
        };
        assert_eq!(untagged.resource_tag("team"), None);
    }
}
