//! Evaluation and parsing of whole policies.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::evaluate::evaluate_policies;
use super::*;

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
    let tags: BTreeMap<String, String> = [("Team".to_string(), "data".to_string())].into();
    let other_tags: BTreeMap<String, String> = [("Team".to_string(), "web".to_string())].into();
    let everything = policy(allow(json!("*"), json!("*")));

    type Case<'a> = (
        &'a str,
        Vec<Policy>,
        &'a str,
        Option<&'a BTreeMap<String, String>>,
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
    let ctx = RequestContext::new("glue:GetWorkflow", WF, "us-east-1").with_resource_tags(&lookup);
    assert_eq!(evaluate_policies(&[plain], ARN, ACCOUNT, &ctx), Decision::Allow);
    assert_eq!(calls.get(), 0);
    assert_eq!(evaluate_policies(&[tagged], ARN, ACCOUNT, &ctx), Decision::Allow);
    assert_eq!(calls.get(), 1);
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
}
