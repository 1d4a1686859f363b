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

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::{Map, Value};

use super::iam_config::Principal;

/// The error code of a denial.
pub const ACCESS_DENIED_CODE: &str = "AccessDeniedException";
/// The HTTP status AWS Glue answers a denial with.
pub const ACCESS_DENIED_STATUS: u16 = 400;

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

/// Looks up a resource's tags, for `aws:ResourceTag/<key>` conditions. Called
/// only when a policy has such a condition, so implementations may be lazy.
/// Implemented for maps (tag keys are matched case-insensitively, as AWS does)
/// and for closures.
pub trait ResourceTags {
    fn resource_tag(&self, key: &str) -> Option<String>;
}

impl ResourceTags for HashMap<String, String> {
    fn resource_tag(&self, key: &str) -> Option<String> {
        self.get(key)
            .or_else(|| self.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
            .cloned()
    }
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

/// Evaluates a request against all of the principal's policies.
pub fn evaluate(principal: &Principal, ctx: &RequestContext) -> Decision {
    evaluate_policies(&principal.policies, &principal.arn, &principal.account, ctx)
}

/// Evaluates a request against a set of policies for a principal named by ARN
/// and account (for `aws:PrincipalArn` / `aws:PrincipalAccount`).
pub fn evaluate_policies(
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

/// AWS's AccessDeniedException text. `decision` must be a denial (an `Allow`
/// is worded as an implicit deny).
pub fn denial_message(principal_arn: &str, action: &str, resource: &str, decision: Decision) -> String {
    let why = match decision {
        Decision::ExplicitDeny => "with an explicit deny in an identity-based policy".to_string(),
        Decision::ImplicitDeny | Decision::Allow => {
            format!("because no identity-based policy allows the {action} action")
        }
    };
    format!("User: {principal_arn} is not authorized to perform: {action} on resource: {resource} {why}")
}

struct Env<'a> {
    ctx: &'a RequestContext<'a>,
    principal_arn: &'a str,
    principal_account: &'a str,
}

/// A parsed, compiled identity-based policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    version: String,
    statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone)]
struct Statement {
    effect: Effect,
    /// `Action` (negate = false) or `NotAction` (negate = true).
    actions: PatternSet,
    resources: PatternSet,
    conditions: Vec<Condition>,
}

#[derive(Debug, Clone)]
struct PatternSet {
    negate: bool,
    patterns: Vec<Glob>,
}

impl PatternSet {
    fn applies(&self, value: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(value)) != self.negate
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ConditionKey {
    RequestedRegion,
    ResourceTag(String),
    PrincipalArn,
    PrincipalAccount,
}

#[derive(Debug, Clone)]
struct Condition {
    /// StringNotEquals / StringNotLike.
    negate: bool,
    /// The IfExists form: a missing key satisfies the condition.
    if_exists: bool,
    key: ConditionKey,
    /// Literal globs for the Equals operators, wildcard globs for Like.
    values: Vec<Glob>,
}

impl Statement {
    fn applies(&self, env: &Env) -> bool {
        self.actions.applies(env.ctx.action)
            && self.resources.applies(env.ctx.resource)
            && self.conditions.iter().all(|c| c.holds(env))
    }
}

impl Condition {
    fn holds(&self, env: &Env) -> bool {
        let tag;
        let value: Option<&str> = match &self.key {
            ConditionKey::RequestedRegion => Some(env.ctx.region),
            ConditionKey::PrincipalArn => Some(env.principal_arn),
            ConditionKey::PrincipalAccount => Some(env.principal_account),
            ConditionKey::ResourceTag(key) => {
                tag = env.ctx.resource_tags.and_then(|t| t.resource_tag(key));
                tag.as_deref()
            }
        };
        match value {
            // AWS: a missing key fails positive operators and satisfies
            // negated ones; IfExists makes it satisfy any operator.
            None => self.if_exists || self.negate,
            Some(v) => self.values.iter().any(|g| g.matches(v)) != self.negate,
        }
    }
}

impl Policy {
    /// Parses a policy document from JSON text.
    pub fn parse(text: &str) -> Result<Policy, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        Policy::from_value(&value)
    }

    /// Parses and compiles a policy document. The error names the statement
    /// and the problem (the caller adds the file and principal).
    pub fn from_value(value: &Value) -> Result<Policy, String> {
        let doc = value.as_object().ok_or("a policy document must be a JSON object")?;
        for key in doc.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(format!(
                    "unknown policy element \"{key}\" (expected Version, Id, Statement)"
                ));
            }
        }
        let version = match doc.get("Version") {
            None => "2008-10-17".to_string(),
            Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => v.clone(),
            Some(other) => {
                return Err(format!(
                    "unknown Version {other} (expected \"2012-10-17\" or \"2008-10-17\")"
                ))
            }
        };
        if let Some(id) = doc.get("Id") {
            if !id.is_string() {
                return Err("Id must be a string".to_string());
            }
        }
        let statements = match doc.get("Statement") {
            None => return Err("missing Statement".to_string()),
            Some(Value::Array(list)) if list.is_empty() => return Err("Statement must not be empty".to_string()),
            Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
            Some(v @ Value::Object(_)) => vec![v],
            Some(_) => return Err("Statement must be an object or a list of objects".to_string()),
        };
        let variables = version == "2012-10-17";
        let statements = statements
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                parse_statement(s, variables).map_err(|e| {
                    let sid = s.get("Sid").and_then(Value::as_str);
                    match sid {
                        Some(sid) => format!("Statement[{i}] (Sid \"{sid}\"): {e}"),
                        None => format!("Statement[{i}]: {e}"),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy { version, statements })
    }

    /// The document's `Version` (`2008-10-17` when it names none).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether any statement has an `aws:ResourceTag/...` condition, i.e.
    /// whether evaluation may ask for the resource's tags.
    pub fn uses_resource_tags(&self) -> bool {
        self.statements.iter().any(|s| {
            s.conditions
                .iter()
                .any(|c| matches!(c.key, ConditionKey::ResourceTag(_)))
        })
    }
}

fn parse_statement(value: &Value, variables: bool) -> Result<Statement, String> {
    let st = value.as_object().ok_or("a statement must be a JSON object")?;
    for key in st.keys() {
        match key.as_str() {
            "Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource"
            | "Condition" => {}
            "Principal" | "NotPrincipal" => {
                return Err(format!(
                    "{key} is not allowed in an identity-based policy"
                ))
            }
            _ => {
                return Err(format!(
                    "unknown statement element \"{key}\" (expected Sid, Effect, Action, NotAction, Resource, NotResource, Condition)"
                ))
            }
        }
    }
    if let Some(sid) = st.get("Sid") {
        if !sid.is_string() {
            return Err("Sid must be a string".to_string());
        }
    }
    let effect = match st.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => return Err(format!("unknown Effect {other} (expected \"Allow\" or \"Deny\")")),
        None => return Err("missing Effect".to_string()),
    };
    let actions = pattern_set(st, "Action", "NotAction", |s| {
        validate_action(s)?;
        Ok(Glob::new(s, true, true))
    })?;
    let resources = pattern_set(st, "Resource", "NotResource", |s| {
        validate_resource(s, variables)?;
        Ok(Glob::new(s, true, false))
    })?;
    let conditions = match st.get("Condition") {
        None => Vec::new(),
        Some(Value::Object(block)) => parse_conditions(block, variables)?,
        Some(_) => return Err("Condition must be an object".to_string()),
    };
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
    })
}

fn pattern_set(
    st: &Map<String, Value>,
    name: &str,
    not_name: &str,
    compile: impl Fn(&str) -> Result<Glob, String>,
) -> Result<PatternSet, String> {
    let (negate, value) = match (st.get(name), st.get(not_name)) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "has both {name} and {not_name} (a statement takes one of them)"
            ))
        }
        (None, None) => return Err(format!("missing {name} (or {not_name})")),
        (Some(v), None) => (false, v),
        (None, Some(v)) => (true, v),
    };
    let field = if negate { not_name } else { name };
    let strings = string_or_list(value, field)?;
    let patterns = strings
        .iter()
        .map(|s| compile(s).map_err(|e| format!("{field}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PatternSet { negate, patterns })
}

fn string_or_list<'v>(value: &'v Value, field: &str) -> Result<Vec<&'v str>, String> {
    let list = match value {
        Value::String(s) => return Ok(vec![s.as_str()]),
        Value::Array(list) if list.is_empty() => return Err(format!("{field} must not be an empty list")),
        Value::Array(list) => list,
        _ => return Err(format!("{field} must be a string or a list of strings")),
    };
    list.iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| format!("{field} must be a string or a list of strings"))
        })
        .collect()
}

fn validate_action(action: &str) -> Result<(), String> {
    if action == "*" {
        return Ok(());
    }
    let valid = match action.split_once(':') {
        Some((service, name)) => {
            !service.is_empty()
                && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid action \"{action}\" (expected \"*\" or \"service:Action\", e.g. \"glue:GetWorkflow\", \"glue:Get*\")"
        ))
    }
}

fn validate_resource(resource: &str, variables: bool) -> Result<(), String> {
    if resource == "*" {
        return Ok(());
    }
    if !resource.starts_with("arn:") || resource.split(':').count() < 6 {
        return Err(format!(
            "invalid resource \"{resource}\" (expected \"*\" or an ARN: arn:partition:service:region:account:resource)"
        ));
    }
    reject_variables(resource, variables)
}

fn reject_variables(value: &str, variables: bool) -> Result<(), String> {
    if variables && value.contains("${") {
        Err(format!("policy variables such as in \"{value}\" are not supported"))
    } else {
        Ok(())
    }
}

const OPERATORS: &str = "StringEquals, StringNotEquals, StringLike, StringNotLike, each optionally with IfExists";
const KEYS: &str = "aws:RequestedRegion, aws:ResourceTag/<key>, aws:PrincipalArn, aws:PrincipalAccount";

fn parse_conditions(block: &Map<String, Value>, variables: bool) -> Result<Vec<Condition>, String> {
    let mut out = Vec::new();
    for (operator, keys) in block {
        let (base, if_exists) = match operator.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (operator.as_str(), false),
        };
        let (negate, like) = match base {
            "StringEquals" => (false, false),
            "StringNotEquals" => (true, false),
            "StringLike" => (false, true),
            "StringNotLike" => (true, true),
            _ => {
                return Err(format!(
                    "unsupported condition operator \"{operator}\" (supported: {OPERATORS})"
                ))
            }
        };
        let keys = keys
            .as_object()
            .ok_or_else(|| format!("Condition {operator} must map condition keys to values"))?;
        if keys.is_empty() {
            return Err(format!("Condition {operator} names no condition key"));
        }
        for (key, values) in keys {
            let parsed_key = parse_condition_key(key).map_err(|e| format!("Condition {operator}: {e}"))?;
            let field = format!("Condition {operator} {key}");
            let values = condition_values(values, &field)?
                .into_iter()
                .map(|v| {
                    reject_variables(&v, variables).map_err(|e| format!("{field}: {e}"))?;
                    Ok(Glob::new(&v, like, false))
                })
                .collect::<Result<Vec<_>, String>>()?;
            out.push(Condition {
                negate,
                if_exists,
                key: parsed_key,
                values,
            });
        }
    }
    Ok(out)
}

fn parse_condition_key(key: &str) -> Result<ConditionKey, String> {
    // Condition key names are case-insensitive.
    let lower = key.to_ascii_lowercase();
    match lower.as_str() {
        "aws:requestedregion" => return Ok(ConditionKey::RequestedRegion),
        "aws:principalarn" => return Ok(ConditionKey::PrincipalArn),
        "aws:principalaccount" => return Ok(ConditionKey::PrincipalAccount),
        _ => {}
    }
    if lower.starts_with("aws:resourcetag/") {
        let tag = &key["aws:resourcetag/".len()..];
        if tag.is_empty() {
            return Err(format!("condition key \"{key}\" names no tag key"));
        }
        return Ok(ConditionKey::ResourceTag(tag.to_string()));
    }
    Err(format!("unsupported condition key \"{key}\" (supported: {KEYS})"))
}

fn condition_values(value: &Value, field: &str) -> Result<Vec<String>, String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let err = || format!("{field} must be a string or a list of strings");
    match value {
        Value::Array(list) if list.is_empty() => Err(format!("{field} must not be an empty list")),
        Value::Array(list) => list.iter().map(|v| scalar(v).ok_or_else(err)).collect(),
        v => scalar(v).map(|s| vec![s]).ok_or_else(err),
    }
}

/// A compiled pattern with `*` (any run of characters) and `?` (exactly one
/// character), or a literal string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    kind: GlobKind,
    case_insensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobKind {
    /// `*`: matches everything.
    Any,
    Literal(String),
    Pattern(Vec<Token>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Star,
    One,
    Text(String),
}

impl Glob {
    /// `wildcards: false` compiles a literal (for StringEquals).
    pub(crate) fn new(pattern: &str, wildcards: bool, case_insensitive: bool) -> Glob {
        let kind = if !wildcards || !pattern.contains(['*', '?']) {
            GlobKind::Literal(pattern.to_string())
        } else if pattern.bytes().all(|b| b == b'*') {
            GlobKind::Any
        } else {
            let mut tokens = Vec::new();
            let mut text = String::new();
            for c in pattern.chars() {
                match c {
                    '*' | '?' => {
                        if !text.is_empty() {
                            tokens.push(Token::Text(std::mem::take(&mut text)));
                        }
                        if c == '?' {
                            tokens.push(Token::One);
                        } else if tokens.last() != Some(&Token::Star) {
                            tokens.push(Token::Star);
                        }
                    }
                    c => text.push(c),
                }
            }
            if !text.is_empty() {
                tokens.push(Token::Text(text));
            }
            GlobKind::Pattern(tokens)
        };
        Glob { kind, case_insensitive }
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        match &self.kind {
            GlobKind::Any => true,
            GlobKind::Literal(lit) => {
                if self.case_insensitive {
                    lit.eq_ignore_ascii_case(text)
                } else {
                    lit == text
                }
            }
            GlobKind::Pattern(tokens) => self.matches_tokens(tokens, text),
        }
    }

    /// Greedy matching with backtracking to the last `*` only: the tokens
    /// between two stars have a fixed length, so this is exact, O(n·m) worst
    /// case, without allocation.
    fn matches_tokens(&self, tokens: &[Token], text: &str) -> bool {
        let (mut p, mut t) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        loop {
            if p < tokens.len() {
                match &tokens[p] {
                    Token::Star => {
                        star = Some((p, t));
                        p += 1;
                        continue;
                    }
                    Token::One => {
                        if let Some(c) = text[t..].chars().next() {
                            t += c.len_utf8();
                            p += 1;
                            continue;
                        }
                    }
                    Token::Text(s) => {
                        if self.starts_with(&text[t..], s) {
                            t += s.len();
                            p += 1;
                            continue;
                        }
                    }
                }
            } else if t == text.len() || tokens.last() == Some(&Token::Star) {
                // All tokens used: done if the text is too, or if the last
                // token was a star, which takes the rest.
                return true;
            }
            // Mismatch (or pattern exhausted early): let the last star eat one
            // more character and retry.
            match star {
                Some((sp, st)) => match text[st..].chars().next() {
                    Some(c) => {
                        let nt = st + c.len_utf8();
                        star = Some((sp, nt));
                        p = sp + 1;
                        t = nt;
                    }
                    None => return false,
                },
                None => return false,
            }
        }
    }

    fn starts_with(&self, text: &str, prefix: &str) -> bool {
        if self.case_insensitive {
            text.len() >= prefix.len() && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        } else {
            text.starts_with(prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:iam::123456789012:user/reader";
    const ACCOUNT: &str = "123456789012";
    const WF: &str = "arn:aws:glue:us-east-1:123456789012:workflow/W1";

    fn policy(v: Value) -> Policy {
        Policy::from_value(&v).unwrap_or_else(|e| panic!("{e}"))
    }

    fn allow(action: Value, resource: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})
    }

    fn decide(policies: &[Policy], action: &str, resource: &str) -> Decision {
        evaluate_policies(
            policies,
            ARN,
            ACCOUNT,
            &RequestContext::new(action, resource, "us-east-1"),
        )
    }

    #[test]
    fn glob_matching() {
        let cases: &[(&str, bool, &str, bool)] = &[
            // (pattern, case_insensitive, text, expected)
            ("*", false, "", true),
            ("*", false, "anything", true),
            ("glue:Get*", true, "glue:GetWorkflow", true),
            ("glue:Get*", true, "GLUE:getworkflowrun", true),
            ("glue:Get*", true, "glue:Get", true),
            ("glue:Get*", true, "glue:BatchGetJobs", false),
            ("glue:*Workflow*", true, "glue:ResumeWorkflowRun", true),
            ("glue:*Workflow*", true, "glue:GetWorkflow", true),
            ("glue:*Workflow*", true, "glue:Workflow", true),
            ("glue:*Workflow*", true, "glue:GetJob", false),
            ("glue:?etJob", true, "glue:GetJob", true),
            ("glue:?etJob", true, "glue:etJob", false),
            ("glue:?etJob", true, "glue:GGetJob", false),
            ("a*b*c", false, "abc", true),
            ("a*b*c", false, "aXbYc", true),
            ("a*b*c", false, "aXbYcZ", false),
            ("a*b*c", false, "abcbc", true),
            ("a*bc", false, "abcbc", true),
            ("a*bc", false, "abcb", false),
            ("*a", false, "aaa", true),
            ("*a", false, "aab", false),
            ("a**?", false, "a", false),
            ("a**?", false, "ab", true),
            ("?", false, "é", true),
            ("w?", false, "wé", true),
            ("*é*", false, "xéy", true),
            ("workflow/W*", false, "workflow/w1", false),
            ("workflow/W*", true, "workflow/w1", true),
            ("literal", false, "Literal", false),
            ("literal", true, "Literal", true),
        ];
        for (pattern, ci, text, expected) in cases {
            assert_eq!(
                Glob::new(pattern, true, *ci).matches(text),
                *expected,
                "{pattern} ~ {text}"
            );
        }
        // Literal globs treat wildcards as plain characters.
        assert!(Glob::new("a*", false, false).matches("a*"));
        assert!(!Glob::new("a*", false, false).matches("ab"));
    }

    #[test]
    fn evaluation_table() {
        use Decision::*;
        let get_star = policy(allow(json!(["glue:Get*", "glue:ResumeWorkflowRun"]), json!("*")));
        let wf_star = policy(allow(
            json!("glue:*Workflow*"),
            json!("arn:aws:glue:*:123456789012:workflow/*"),
        ));
        let q = policy(allow(json!("glue:?etJob"), json!("*")));
        let not_action = policy(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": ["glue:Delete*", "glue:Stop*"], "Resource": "*"}}),
        );
        let not_resource = policy(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:*", "NotResource": "arn:aws:glue:us-east-1:123456789012:workflow/Secret*"}]}),
        );
        let deny_resume = policy(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "NoResume", "Effect": "Deny", "Action": "glue:ResumeWorkflowRun", "Resource": WF}
        ]}));
        let upper = policy(allow(json!("GLUE:resumeworkflowrun"), json!(WF)));
        let lower_resource = policy(allow(
            json!("glue:*"),
            json!("arn:aws:glue:us-east-1:123456789012:workflow/w1"),
        ));
        let s3_only = policy(allow(json!("s3:*"), json!("*")));

        let table: Vec<(&str, Vec<Policy>, &str, &str, Decision)> = vec![
            (
                "Get* allows GetWorkflow",
                vec![get_star.clone()],
                "glue:GetWorkflow",
                WF,
                Allow,
            ),
            (
                "Get* + listed action",
                vec![get_star.clone()],
                "glue:ResumeWorkflowRun",
                WF,
                Allow,
            ),
            (
                "Get* does not allow Stop",
                vec![get_star.clone()],
                "glue:StopWorkflowRun",
                WF,
                ImplicitDeny,
            ),
            (
                "*Workflow* on workflow ARN",
                vec![wf_star.clone()],
                "glue:ResumeWorkflowRun",
                WF,
                Allow,
            ),
            (
                "*Workflow* other account",
                vec![wf_star.clone()],
                "glue:ResumeWorkflowRun",
                "arn:aws:glue:us-east-1:999999999999:workflow/W1",
                ImplicitDeny,
            ),
            (
                "*Workflow* on job ARN",
                vec![wf_star.clone()],
                "glue:GetWorkflow",
                "arn:aws:glue:us-east-1:123456789012:job/J",
                ImplicitDeny,
            ),
            (
                "ARN pattern vs * resource",
                vec![wf_star.clone()],
                "glue:ListWorkflows",
                "*",
                ImplicitDeny,
            ),
            ("? matches one char", vec![q.clone()], "glue:GetJob", "*", Allow),
            ("? not zero chars", vec![q.clone()], "glue:etJob", "*", ImplicitDeny),
            (
                "NotAction allows others",
                vec![not_action.clone()],
                "glue:ResumeWorkflowRun",
                WF,
                Allow,
            ),
            (
                "NotAction excludes listed",
                vec![not_action.clone()],
                "glue:DeleteWorkflow",
                WF,
                ImplicitDeny,
            ),
            (
                "NotAction excludes listed ci",
                vec![not_action.clone()],
                "glue:stopworkflowrun",
                WF,
                ImplicitDeny,
            ),
            (
                "NotResource allows others",
                vec![not_resource.clone()],
                "glue:GetWorkflow",
                WF,
                Allow,
            ),
            (
                "NotResource excludes",
                vec![not_resource.clone()],
                "glue:GetWorkflow",
                "arn:aws:glue:us-east-1:123456789012:workflow/SecretW",
                ImplicitDeny,
            ),
            (
                "NotResource with * resource",
                vec![not_resource.clone()],
                "glue:ListWorkflows",
                "*",
                Allow,
            ),
            (
                "deny overrides allow",
                vec![deny_resume.clone()],
                "glue:ResumeWorkflowRun",
                WF,
                ExplicitDeny,
            ),
            (
                "deny is specific",
                vec![deny_resume.clone()],
                "glue:GetWorkflow",
                WF,
                Allow,
            ),
            (
                "deny in another policy",
                vec![get_star.clone(), deny_resume.clone()],
                "glue:ResumeWorkflowRun",
                WF,
                ExplicitDeny,
            ),
            (
                "actions case-insensitive (policy)",
                vec![upper.clone()],
                "glue:ResumeWorkflowRun",
                WF,
                Allow,
            ),
            (
                "actions case-insensitive (request)",
                vec![get_star.clone()],
                "Glue:getWORKFLOW",
                WF,
                Allow,
            ),
            (
                "resources case-sensitive",
                vec![lower_resource.clone()],
                "glue:GetWorkflow",
                WF,
                ImplicitDeny,
            ),
            (
                "other service",
                vec![s3_only.clone()],
                "glue:GetWorkflow",
                WF,
                ImplicitDeny,
            ),
            ("no policies", vec![], "glue:GetWorkflow", WF, ImplicitDeny),
        ];
        for (name, policies, action, resource, expected) in table {
            assert_eq!(decide(&policies, action, resource), expected, "{name}");
        }
    }

    fn conditional(effect: &str, condition: Value) -> Policy {
        policy(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": effect, "Action": "glue:*", "Resource": "*", "Condition": condition}
        ]}))
    }

    #[test]
    fn conditions_table() {
        use Decision::*;
        let tags: HashMap<String, String> = [("Team".to_string(), "data".to_string())].into();
        let other_tags: HashMap<String, String> = [("Team".to_string(), "web".to_string())].into();
        let everything = policy(allow(json!("*"), json!("*")));

        type Case<'a> = (
            &'a str,
            Vec<Policy>,
            &'a str,
            Option<&'a HashMap<String, String>>,
            Decision,
        );
        let table: Vec<Case> = vec![
            (
                "region equals",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "region differs",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}),
                )],
                "eu-west-1",
                None,
                ImplicitDeny,
            ),
            (
                "region list is OR",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "region like",
                vec![conditional(
                    "Allow",
                    json!({"StringLike": {"aws:RequestedRegion": "eu-*"}}),
                )],
                "eu-west-1",
                None,
                Allow,
            ),
            (
                "region not like",
                vec![conditional(
                    "Allow",
                    json!({"StringNotLike": {"aws:RequestedRegion": "eu-*"}}),
                )],
                "eu-west-1",
                None,
                ImplicitDeny,
            ),
            (
                "deny outside region",
                vec![
                    everything.clone(),
                    conditional(
                        "Deny",
                        json!({"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}),
                    ),
                ],
                "eu-west-1",
                None,
                ExplicitDeny,
            ),
            (
                "deny outside region, inside",
                vec![
                    everything.clone(),
                    conditional(
                        "Deny",
                        json!({"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}),
                    ),
                ],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "key names case-insensitive",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"AWS:requestedREGION": "us-east-1"}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "equals is case-sensitive",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": "US-EAST-1"}}),
                )],
                "us-east-1",
                None,
                ImplicitDeny,
            ),
            (
                "equals takes * literally",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": "us-*"}}),
                )],
                "us-east-1",
                None,
                ImplicitDeny,
            ),
            (
                "tag equals",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                Some(&tags),
                Allow,
            ),
            (
                "tag key case-insensitive",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:ResourceTag/team": "data"}}),
                )],
                "us-east-1",
                Some(&tags),
                Allow,
            ),
            (
                "tag value differs",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                Some(&other_tags),
                ImplicitDeny,
            ),
            (
                "tag missing, equals",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                None,
                ImplicitDeny,
            ),
            (
                "tag missing, not equals",
                vec![conditional(
                    "Allow",
                    json!({"StringNotEquals": {"aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "tag missing, IfExists",
                vec![conditional(
                    "Allow",
                    json!({"StringEqualsIfExists": {"aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "tag present, IfExists",
                vec![conditional(
                    "Allow",
                    json!({"StringEqualsIfExists": {"aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                Some(&other_tags),
                ImplicitDeny,
            ),
            (
                "deny on tag",
                vec![
                    everything.clone(),
                    conditional("Deny", json!({"StringLike": {"aws:ResourceTag/Team": "da*"}})),
                ],
                "us-east-1",
                Some(&tags),
                ExplicitDeny,
            ),
            (
                "deny on tag, untagged",
                vec![
                    everything.clone(),
                    conditional("Deny", json!({"StringLike": {"aws:ResourceTag/Team": "da*"}})),
                ],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "AND across keys",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": "us-east-1", "aws:ResourceTag/Team": "data"}}),
                )],
                "us-east-1",
                Some(&other_tags),
                ImplicitDeny,
            ),
            (
                "AND across operators",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}, "StringLike": {"aws:ResourceTag/Team": "d?ta"}}),
                )],
                "us-east-1",
                Some(&tags),
                Allow,
            ),
            (
                "principal account",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "principal account other",
                vec![conditional(
                    "Allow",
                    json!({"StringEquals": {"aws:PrincipalAccount": "999999999999"}}),
                )],
                "us-east-1",
                None,
                ImplicitDeny,
            ),
            (
                "principal arn like",
                vec![conditional(
                    "Allow",
                    json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/read*"}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
            (
                "principal arn not like",
                vec![conditional(
                    "Allow",
                    json!({"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}),
                )],
                "us-east-1",
                None,
                Allow,
            ),
        ];
        for (name, policies, region, tags, expected) in table {
            let mut ctx = RequestContext::new("glue:GetWorkflow", WF, region);
            if let Some(t) = tags {
                ctx = ctx.with_resource_tags(t);
            }
            assert_eq!(evaluate_policies(&policies, ARN, ACCOUNT, &ctx), expected, "{name}");
        }
    }

    #[test]
    fn tags_from_a_closure_are_looked_up_lazily() {
        use std::cell::Cell;
        let calls = Cell::new(0);
        let lookup = |key: &str| {
            calls.set(calls.get() + 1);
            (key == "Team").then(|| "data".to_string())
        };
        let plain = policy(allow(json!("glue:*"), json!("*")));
        let tagged = conditional("Allow", json!({"StringEquals": {"aws:ResourceTag/Team": "data"}}));
        assert!(!plain.uses_resource_tags());
        assert!(tagged.uses_resource_tags());
        let ctx = RequestContext::new("glue:GetWorkflow", WF, "us-east-1").with_resource_tags(&lookup);
        assert_eq!(evaluate_policies(&[plain], ARN, ACCOUNT, &ctx), Decision::Allow);
        assert_eq!(calls.get(), 0);
        assert_eq!(evaluate_policies(&[tagged], ARN, ACCOUNT, &ctx), Decision::Allow);
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn denial_messages() {
        assert_eq!(
            denial_message(ARN, "glue:ResumeWorkflowRun", WF, Decision::ImplicitDeny),
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: glue:ResumeWorkflowRun on resource: arn:aws:glue:us-east-1:123456789012:workflow/W1 because no identity-based policy allows the glue:ResumeWorkflowRun action"
        );
        assert_eq!(
            denial_message(ARN, "glue:ResumeWorkflowRun", WF, Decision::ExplicitDeny),
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: glue:ResumeWorkflowRun on resource: arn:aws:glue:us-east-1:123456789012:workflow/W1 with an explicit deny in an identity-based policy"
        );
    }

    #[test]
    fn malformed_policies() {
        let st = |extra: Value| {
            let mut s = json!({"Effect": "Allow", "Action": "glue:*", "Resource": "*"});
            for (k, v) in extra.as_object().unwrap() {
                if v.is_null() {
                    s.as_object_mut().unwrap().remove(k);
                } else {
                    s[k] = v.clone();
                }
            }
            json!({"Version": "2012-10-17", "Statement": [s]})
        };
        let cases: Vec<(Value, &str)> = vec![
            (json!("not an object"), "must be a JSON object"),
            (json!({"Version": "2012-10-17"}), "missing Statement"),
            (json!({"Version": "2012-10-17", "Statement": []}), "must not be empty"),
            (
                json!({"Version": "2012-10-18", "Statement": []}),
                "unknown Version \"2012-10-18\"",
            ),
            (
                json!({"Version": "2012-10-17", "Statment": []}),
                "unknown policy element \"Statment\"",
            ),
            (
                st(json!({"Effect": "Permit"})),
                "Statement[0]: unknown Effect \"Permit\"",
            ),
            (st(json!({"Effect": "allow"})), "unknown Effect \"allow\""),
            (st(json!({"Effect": null})), "missing Effect"),
            (st(json!({"Action": null})), "missing Action (or NotAction)"),
            (st(json!({"NotAction": "glue:Get*"})), "has both Action and NotAction"),
            (st(json!({"Resource": null})), "missing Resource (or NotResource)"),
            (st(json!({"NotResource": "*"})), "has both Resource and NotResource"),
            (st(json!({"Action": []})), "Action must not be an empty list"),
            (
                st(json!({"Action": [1]})),
                "Action must be a string or a list of strings",
            ),
            (st(json!({"Action": "GetWorkflow"})), "invalid action \"GetWorkflow\""),
            (st(json!({"Action": "glue:Get Workflow"})), "invalid action"),
            (
                st(json!({"Resource": "workflow/W1"})),
                "invalid resource \"workflow/W1\"",
            ),
            (st(json!({"Resource": "arn:aws:glue:us-east-1"})), "invalid resource"),
            (
                st(json!({"Resource": "arn:aws:glue:us-east-1:123456789012:workflow/${aws:username}"})),
                "policy variables",
            ),
            (st(json!({"Principal": "*"})), "Principal is not allowed"),
            (
                st(json!({"Sid": "S1", "Effect": "Permit"})),
                "Statement[0] (Sid \"S1\"): unknown Effect",
            ),
            (
                st(json!({"Condition": {"NumericEquals": {"aws:RequestedRegion": "1"}}})),
                "unsupported condition operator \"NumericEquals\"",
            ),
            (
                st(json!({"Condition": {"ForAnyValue:StringEquals": {"aws:RequestedRegion": "x"}}})),
                "unsupported condition operator",
            ),
            (
                st(json!({"Condition": {"StringEquals": {"aws:SourceIp": "1.2.3.4"}}})),
                "unsupported condition key \"aws:SourceIp\"",
            ),
            (
                st(json!({"Condition": {"StringEquals": {"aws:ResourceTag/": "x"}}})),
                "names no tag key",
            ),
            (
                st(json!({"Condition": {"StringEquals": {"aws:RequestedRegion": []}}})),
                "must not be an empty list",
            ),
            (
                st(json!({"Condition": {"StringEquals": {"aws:RequestedRegion": {"a": 1}}}})),
                "must be a string or a list",
            ),
            (st(json!({"Condition": {"StringEquals": {}}})), "names no condition key"),
            (st(json!({"Condition": "x"})), "Condition must be an object"),
            (st(json!({"Effects": "Allow"})), "unknown statement element \"Effects\""),
        ];
        for (doc, expected) in cases {
            let err = Policy::from_value(&doc).unwrap_err();
            assert!(err.contains(expected), "{doc}: got {err:?}, expected {expected:?}");
        }
        // Accepted forms.
        policy(st(
            json!({"Condition": {"StringNotLikeIfExists": {"aws:ResourceTag/Team": ["a", "b*"]}, "StringEquals": {"aws:PrincipalAccount": 123456789012u64}}}),
        ));
        policy(json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:glue:*:*:workflow/${x}"}}));
        assert_eq!(
            policy(json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})).version(),
            "2008-10-17"
        );
        assert!(Policy::parse("{").unwrap_err().starts_with("invalid JSON"));
    }
}
