//! Deciding a request: an explicit Deny wins, then an Allow, else implicit deny.

use super::document::{Effect, PatternSet, Policy, Statement};
use super::request::RequestContext;
use crate::auth::iam_config::Principal;

/// The outcome of evaluating a request against a principal's policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// No statement allows the request.
    ImplicitDeny,
    /// A Deny statement applies.
    ExplicitDeny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Evaluates a request against all of the principal's policies.
pub fn evaluate(principal: &Principal, ctx: &RequestContext) -> Decision {
    evaluate_policies(&principal.policies, &principal.arn, &principal.account, ctx)
}

/// Evaluates a request against a set of policies for a principal named by ARN
/// and account (for `aws:PrincipalArn` / `aws:PrincipalAccount`).
pub(super) fn evaluate_policies(
    policies: &[Policy],
    principal_arn: &str,
    principal_account: &str,
    ctx: &RequestContext,
) -> Decision {
    let env = Env {
        ctx,
        principal_arn,
        principal_account,
    };
    let mut allowed = false;
    for statement in policies.iter().flat_map(|p| &p.statements) {
        if statement.applies(&env) {
            match statement.effect {
                Effect::Deny => return Decision::ExplicitDeny,
                Effect::Allow => allowed = true,
            }
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}

/// The request and who makes it, as statements and conditions see them.
pub(super) struct Env<'a> {
    pub(super) ctx: &'a RequestContext<'a>,
    pub(super) principal_arn: &'a str,
    pub(super) principal_account: &'a str,
}

impl Statement {
    fn applies(&self, env: &Env) -> bool {
        self.actions.applies(env.ctx.action)
            && self.resources.applies(env.ctx.resource)
            && self.conditions.iter().all(|c| c.holds(env))
    }
}

impl PatternSet {
    fn applies(&self, value: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(value)) != self.negate
    }
}
