//! The `--iam-config FILE`: principals, their keys and their policies.
//!
//! ```json
//! {"principals": [{
//!     "arn": "arn:aws:iam::123456789012:user/operator",
//!     "accessKeyId": "AKIA...", "secretAccessKey": "...", "sessionToken": "... (optional)",
//!     "policies": [{"Version": "2012-10-17", "Statement": [
//!         {"Effect": "Allow", "Action": ["glue:Get*", "glue:ResumeWorkflowRun"], "Resource": "*"}]}]
//! }]}
//! ```
//!
//! Every problem is reported at load time, naming the file, the principal (by
//! ARN, never by secret) and the problem. Secrets never appear in `Debug`.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::policy::Policy;

/// A secret string whose `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Whether a principal is an IAM user or role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    Role,
}

/// One principal: an identity, its access key and its identity-based policies.
#[derive(Debug, Clone)]
pub struct Principal {
    /// As given, e.g. `arn:aws:iam::123456789012:user/ops/operator`.
    pub arn: String,
    /// The 12-digit account id, from the ARN.
    pub account: String,
    pub kind: PrincipalKind,
    /// The user or role name (the ARN's last path segment).
    pub name: String,
    pub access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
    pub policies: Vec<Policy>,
}

impl Principal {
    pub fn secret_access_key(&self) -> &str {
        self.secret_access_key.expose()
    }

    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_ref().map(Secret::expose)
    }
}

/// A loaded IAM configuration.
#[derive(Debug, Clone)]
pub struct IamConfig {
    principals: Vec<Arc<Principal>>,
    by_key: HashMap<String, usize>,
}

impl IamConfig {
    /// Reads and parses the file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<IamConfig, String> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read IAM config: {e}"))?;
        IamConfig::parse(&text, &name)
    }

    /// Parses configuration text; `source_name` (a file name) prefixes errors.
    pub fn parse(text: &str, source_name: &str) -> Result<IamConfig, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("{source_name}: invalid JSON in IAM config: {e}"))?;
        IamConfig::from_value(&value).map_err(|e| format!("{source_name}: {e}"))
    }

    fn from_value(value: &Value) -> Result<IamConfig, String> {
        let top = value
            .as_object()
            .ok_or("the IAM config must be a JSON object with a \"principals\" list")?;
        if let Some(key) = top.keys().find(|k| k.as_str() != "principals") {
            return Err(format!("unknown top-level key \"{key}\" (expected \"principals\")"));
        }
        let list = match top.get("principals") {
            Some(Value::Array(list)) if !list.is_empty() => list,
            Some(Value::Array(_)) => return Err("\"principals\" is empty".to_string()),
            Some(_) => return Err("\"principals\" must be a list".to_string()),
            None => return Err("missing \"principals\"".to_string()),
        };
        let mut principals = Vec::with_capacity(list.len());
        let mut by_key: HashMap<String, usize> = HashMap::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            let principal = parse_principal(entry, i)?;
            if let Some(&other) = by_key.get(&principal.access_key_id) {
                let other: &Arc<Principal> = &principals[other];
                return Err(format!(
                    "principal {}: access key id {} is already used by principal {}",
                    principal.arn, principal.access_key_id, other.arn
                ));
            }
            by_key.insert(principal.access_key_id.clone(), principals.len());
            principals.push(Arc::new(principal));
        }
        Ok(IamConfig { principals, by_key })
    }

    /// The principal owning an access key id.
    pub fn principal_by_key(&self, access_key_id: &str) -> Option<&Arc<Principal>> {
        self.by_key.get(access_key_id).map(|&i| &self.principals[i])
    }

    pub fn principals(&self) -> &[Arc<Principal>] {
        &self.principals
    }
}

fn parse_principal(entry: &Value, index: usize) -> Result<Principal, String> {
    let obj = entry
        .as_object()
        .ok_or_else(|| format!("principals[{index}]: must be a JSON object"))?;
    // Name the principal by ARN once it is known and valid, else by position.
    let arn_value = obj.get("arn").and_then(Value::as_str);
    let label = match arn_value {
        Some(arn) if !arn.is_empty() => format!("principal {arn}"),
        _ => format!("principals[{index}]"),
    };
    let fail = |problem: String| format!("{label}: {problem}");

    if let Some(key) = obj.keys().find(|k| {
        !matches!(
            k.as_str(),
            "arn" | "accessKeyId" | "secretAccessKey" | "sessionToken" | "policies"
        )
    }) {
        return Err(fail(format!(
            "unknown key \"{key}\" (expected arn, accessKeyId, secretAccessKey, sessionToken, policies)"
        )));
    }

    let arn = match obj.get("arn") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(fail("\"arn\" must be a string".to_string())),
        None => return Err(fail("missing \"arn\"".to_string())),
    };
    let (account, kind, name) = parse_principal_arn(&arn).map_err(fail)?;

    let string_field = |key: &str| -> Result<Option<&str>, String> {
        match obj.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.as_str())),
            Some(_) => Err(fail(format!("\"{key}\" must be a non-empty string"))),
        }
    };
    let access_key_id = string_field("accessKeyId")?.ok_or_else(|| fail("missing \"accessKeyId\"".to_string()))?;
    if access_key_id
        .chars()
        .any(|c| c == '/' || c == ',' || c == '=' || !c.is_ascii_graphic())
    {
        return Err(fail(
            "\"accessKeyId\" must be printable ASCII without '/', ',', '=' or spaces".to_string(),
        ));
    }
    let secret = string_field("secretAccessKey")?.ok_or_else(|| fail("missing \"secretAccessKey\"".to_string()))?;
    let session_token = string_field("sessionToken")?;

    let policies = match obj.get("policies") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, p)| Policy::from_value(p).map_err(|e| fail(format!("policies[{i}]: {e}"))))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(fail("\"policies\" must be a list of policy documents".to_string())),
    };

    Ok(Principal {
        arn,
        account,
        kind,
        name,
        access_key_id: access_key_id.to_string(),
        secret_access_key: Secret::new(secret),
        session_token: session_token.map(Secret::new),
        policies,
    })
}

/// `arn:<partition>:iam::<12 digits>:user|role/[path/]name` → (account, kind, name).
fn parse_principal_arn(arn: &str) -> Result<(String, PrincipalKind, String), String> {
    let bad = |why: &str| {
        Err(format!(
            "bad ARN \"{arn}\": {why} (expected arn:aws:iam::<12-digit account>:user/<name> or :role/<name>, paths allowed)"
        ))
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return bad("not an ARN");
    }
    let (partition, service, region, account, resource) = (parts[1], parts[2], parts[3], parts[4], parts[5]);
    if partition.is_empty()
        || !partition.starts_with("aws")
        || !partition.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
    {
        return bad("unknown partition");
    }
    if service != "iam" {
        return bad("not an IAM ARN");
    }
    if !region.is_empty() {
        return bad("IAM ARNs have no region");
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return bad("the account must be 12 digits");
    }
    let (kind, path_and_name) = if let Some(rest) = resource.strip_prefix("user/") {
        (PrincipalKind::User, rest)
    } else if let Some(rest) = resource.strip_prefix("role/") {
        (PrincipalKind::Role, rest)
    } else {
        return bad("only users and roles are supported");
    };
    let segments: Vec<&str> = path_and_name.split('/').collect();
    let valid_segment =
        |s: &&str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    if !segments.iter().all(valid_segment) {
        return bad("invalid path or name");
    }
    let name = segments.last().copied().unwrap_or_default();
    if name.len() > 64 {
        return bad("the name is longer than 64 characters");
    }
    Ok((account.to_string(), kind, name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::{evaluate, Decision, RequestContext};
    use serde_json::json;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn principal(arn: &str, key: &str) -> Value {
        json!({"arn": arn, "accessKeyId": key, "secretAccessKey": SECRET,
               "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["glue:Get*", "glue:ResumeWorkflowRun"], "Resource": "*"}]}]})
    }

    fn parse(v: Value) -> Result<IamConfig, String> {
        IamConfig::parse(&v.to_string(), "iam.json")
    }

    #[test]
    fn loads_users_and_roles_in_several_accounts() {
        let mut role = principal("arn:aws:iam::210987654321:role/service-role/Glue.Runner", "ASIAROLE");
        role["sessionToken"] = json!("token-123");
        let cfg = parse(json!({"principals": [
            principal("arn:aws:iam::123456789012:user/operator", "AKIAOPERATOR"),
            principal("arn:aws:iam::123456789012:user/division/team/reader", "AKIAREADER"),
            role,
            {"arn": "arn:aws-cn:iam::123456789012:user/nopolicies", "accessKeyId": "test", "secretAccessKey": "test"},
        ]}))
        .unwrap();
        assert_eq!(cfg.principals().len(), 4);

        let op = cfg.principal_by_key("AKIAOPERATOR").unwrap();
        assert_eq!(op.arn, "arn:aws:iam::123456789012:user/operator");
        assert_eq!(
            (op.account.as_str(), op.kind, op.name.as_str()),
            ("123456789012", PrincipalKind::User, "operator")
        );
        assert_eq!(op.secret_access_key(), SECRET);
        assert_eq!(op.session_token(), None);

        let reader = cfg.principal_by_key("AKIAREADER").unwrap();
        assert_eq!(reader.name, "reader");

        let role = cfg.principal_by_key("ASIAROLE").unwrap();
        assert_eq!(
            (role.account.as_str(), role.kind, role.name.as_str()),
            ("210987654321", PrincipalKind::Role, "Glue.Runner")
        );
        assert_eq!(role.session_token(), Some("token-123"));

        assert!(cfg.principal_by_key("AKIAUNKNOWN").is_none());
        assert!(cfg.principal_by_key("akiaoperator").is_none());
        assert!(cfg.principal_by_key("test").unwrap().policies.is_empty());

        let wf = "arn:aws:glue:us-east-1:123456789012:workflow/W1";
        let ctx = RequestContext::new("glue:ResumeWorkflowRun", wf, "us-east-1");
        assert_eq!(evaluate(op, &ctx), Decision::Allow);
        assert_eq!(
            evaluate(cfg.principal_by_key("test").unwrap(), &ctx),
            Decision::ImplicitDeny
        );
        let ctx = RequestContext::new("glue:StopWorkflowRun", wf, "us-east-1");
        assert_eq!(evaluate(op, &ctx), Decision::ImplicitDeny);
    }

    #[test]
    fn secrets_never_in_debug() {
        let mut p = principal("arn:aws:iam::123456789012:user/operator", "AKIAOPERATOR");
        p["sessionToken"] = json!("SESSION-TOKEN-VALUE");
        let cfg = parse(json!({"principals": [p]})).unwrap();
        let debug = format!("{cfg:?} {:?}", cfg.principals()[0]);
        assert!(debug.contains("AKIAOPERATOR"));
        assert!(!debug.contains(SECRET), "{debug}");
        assert!(!debug.contains("SESSION-TOKEN-VALUE"), "{debug}");
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn malformed_configs_name_file_principal_and_problem() {
        let arn = "arn:aws:iam::123456789012:user/operator";
        let with = |changes: Value| {
            let mut p = principal(arn, "AKIAOPERATOR");
            for (k, v) in changes.as_object().unwrap() {
                if v.is_null() {
                    p.as_object_mut().unwrap().remove(k);
                } else {
                    p[k] = v.clone();
                }
            }
            json!({"principals": [p]})
        };
        let policy_with =
            |statement: Value| with(json!({"policies": [{"Version": "2012-10-17", "Statement": [statement]}]}));
        let cases: Vec<(Value, &str)> = vec![
            (json!([]), "iam.json: the IAM config must be a JSON object"),
            (json!({}), "iam.json: missing \"principals\""),
            (json!({"principals": []}), "iam.json: \"principals\" is empty"),
            (json!({"principals": {}}), "must be a list"),
            (json!({"principals": [], "users": []}), "unknown top-level key \"users\""),
            (json!({"principals": ["x"]}), "iam.json: principals[0]: must be a JSON object"),
            (with(json!({"arn": null})), "iam.json: principals[0]: missing \"arn\""),
            (with(json!({"arn": "operator"})), "iam.json: principal operator: bad ARN \"operator\": not an ARN"),
            (with(json!({"arn": "arn:aws:iam::12345:user/x"})), "principal arn:aws:iam::12345:user/x: bad ARN \"arn:aws:iam::12345:user/x\": the account must be 12 digits"),
            (with(json!({"arn": "arn:aws:s3:::bucket/x"})), "not an IAM ARN"),
            (with(json!({"arn": "arn:aws:iam:us-east-1:123456789012:user/x"})), "IAM ARNs have no region"),
            (with(json!({"arn": "arn:aws:iam::123456789012:group/x"})), "only users and roles are supported"),
            (with(json!({"arn": "arn:aws:iam::123456789012:user/"})), "invalid path or name"),
            (with(json!({"arn": "arn:aws:iam::123456789012:user/a b"})), "invalid path or name"),
            (with(json!({"arn": "arn:foo:iam::123456789012:user/x"})), "unknown partition"),
            (with(json!({"accessKeyId": null})), "iam.json: principal arn:aws:iam::123456789012:user/operator: missing \"accessKeyId\""),
            (with(json!({"accessKeyId": "AK/IA"})), "\"accessKeyId\" must be printable ASCII"),
            (with(json!({"secretAccessKey": null})), "missing \"secretAccessKey\""),
            (with(json!({"secretAccessKey": ""})), "\"secretAccessKey\" must be a non-empty string"),
            (with(json!({"sessionToken": 5})), "\"sessionToken\" must be a non-empty string"),
            (with(json!({"secretAccesKey": "x"})), "unknown key \"secretAccesKey\""),
            (with(json!({"policies": {}})), "\"policies\" must be a list"),
            (policy_with(json!({"Effect": "Permit", "Action": "glue:*", "Resource": "*"})),
                "iam.json: principal arn:aws:iam::123456789012:user/operator: policies[0]: Statement[0]: unknown Effect \"Permit\""),
            (policy_with(json!({"Effect": "Allow", "Resource": "*"})), "policies[0]: Statement[0]: missing Action (or NotAction)"),
            (policy_with(json!({"Effect": "Allow", "Action": "glue:*", "NotAction": "glue:Get*", "Resource": "*"})), "has both Action and NotAction"),
            (policy_with(json!({"Effect": "Allow", "Action": "glue:*", "Resource": "arn:nope"})), "invalid resource \"arn:nope\""),
            (policy_with(json!({"Effect": "Allow", "Action": "glue:*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}}})), "unsupported condition operator \"DateGreaterThan\""),
            (policy_with(json!({"Effect": "Allow", "Action": "glue:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "x"}}})), "unsupported condition key \"aws:username\""),
            (with(json!({"policies": [{"Version": "2013-01-01", "Statement": []}]})), "policies[0]: unknown Version \"2013-01-01\""),
        ];
        for (doc, expected) in cases {
            let err = parse(doc.clone()).unwrap_err();
            assert!(err.contains(expected), "{doc}\n got: {err}\n expected: {expected}");
            assert!(err.starts_with("iam.json: "), "{err}");
            assert!(!err.contains(SECRET), "{err}");
        }
    }

    #[test]
    fn duplicate_access_keys_are_rejected() {
        let err = parse(json!({"principals": [
            principal("arn:aws:iam::123456789012:user/a", "AKIADUP"),
            principal("arn:aws:iam::123456789012:user/b", "AKIADUP"),
        ]}))
        .unwrap_err();
        assert_eq!(
            err,
            "iam.json: principal arn:aws:iam::123456789012:user/b: access key id AKIADUP is already used by principal arn:aws:iam::123456789012:user/a"
        );
    }

    #[test]
    fn load_reads_files_and_names_them() {
        let dir = std::env::temp_dir().join(format!("iam-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("iam.json");
        std::fs::write(
            &path,
            json!({"principals": [principal("arn:aws:iam::123456789012:user/a", "AKIAA")]}).to_string(),
        )
        .unwrap();
        assert!(IamConfig::load(&path).unwrap().principal_by_key("AKIAA").is_some());

        std::fs::write(&path, "{\"principals\": [").unwrap();
        let err = IamConfig::load(&path).unwrap_err();
        assert!(
            err.starts_with(&format!("{}: invalid JSON in IAM config", path.display())),
            "{err}"
        );

        let missing = dir.join("missing.json");
        let err = IamConfig::load(&missing).unwrap_err();
        assert!(
            err.starts_with(&format!("{}: cannot read IAM config", missing.display())),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
