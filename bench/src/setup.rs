//! Resources the scenarios need, created through the API like a user would.

use crate::client::Conn;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ROLE: &str = "arn:aws:iam::123456789012:role/glue-bench";

fn job(name: &str) -> Value {
    json!({
        "Name": name,
        "Role": ROLE,
        "Command": {"Name": "glueetl", "ScriptLocation": format!("s3://bench-scripts/{name}.py")},
        // Many runs of W1 overlap: let every job run as often as asked.
        "ExecutionProperty": {"MaxConcurrentRuns": 1_000_000},
    })
}

fn conditional(name: &str, workflow: &str, after: &str, start: &str) -> Value {
    json!({
        "Name": name,
        "WorkflowName": workflow,
        "Type": "CONDITIONAL",
        "StartOnCreation": true,
        "Predicate": {"Logical": "AND", "Conditions": [{"LogicalOperator": "EQUALS", "JobName": after, "State": "SUCCEEDED"}]},
        "Actions": [{"JobName": start}],
    })
}

/// The AWS guide's W1: T1 (on demand) → J1; J1 → T2 → J2 and T3 → J3; J2 → T4 → J4; J3 → T5 → J5.
/// Ten nodes. The workflow's MaxConcurrentRuns is left unset.
pub async fn create_w1(conn: &mut Conn, workflow: &str) -> Result<(), String> {
    let j = |n: u32| format!("{workflow}-J{n}");
    let t = |n: u32| format!("{workflow}-T{n}");
    for n in 1..=5 {
        conn.call("CreateJob", job(&j(n))).await?;
    }
    conn.call(
        "CreateWorkflow",
        json!({"Name": workflow, "Description": "W1 from the AWS guide"}),
    )
    .await?;
    conn.call(
        "CreateTrigger",
        json!({"Name": t(1), "WorkflowName": workflow, "Type": "ON_DEMAND", "Actions": [{"JobName": j(1)}]}),
    )
    .await?;
    for (trigger, after, start) in [(2, 1, 2), (3, 1, 3), (4, 2, 4), (5, 3, 5)] {
        conn.call(
            "CreateTrigger",
            conditional(&t(trigger), workflow, &j(after), &j(start)),
        )
        .await?;
    }
    Ok(())
}

/// A workflow of `jobs` jobs in a binary tree (J0 the root, Ji after J((i-1)/2)),
/// each started by its own trigger: 2 × `jobs` nodes.
pub async fn create_tree(conn: &mut Conn, workflow: &str, jobs: usize) -> Result<(), String> {
    let j = |n: usize| format!("{workflow}-J{n}");
    for n in 0..jobs {
        conn.call("CreateJob", job(&j(n))).await?;
    }
    conn.call("CreateWorkflow", json!({"Name": workflow})).await?;
    conn.call(
        "CreateTrigger",
        json!({"Name": format!("{workflow}-T0"), "WorkflowName": workflow, "Type": "ON_DEMAND", "Actions": [{"JobName": j(0)}]}),
    )
    .await?;
    for n in 1..jobs {
        conn.call(
            "CreateTrigger",
            conditional(&format!("{workflow}-T{n}"), workflow, &j((n - 1) / 2), &j(n)),
        )
        .await?;
    }
    Ok(())
}

/// Starts a run and waits until it is COMPLETED.
pub async fn completed_run(conn: &mut Conn, workflow: &str) -> Result<String, String> {
    let run = conn.call("StartWorkflowRun", json!({"Name": workflow})).await?;
    let run_id = run["RunId"]
        .as_str()
        .ok_or("StartWorkflowRun returned no RunId")?
        .to_string();
    wait_run(conn, workflow, &run_id, Duration::from_secs(60)).await?;
    Ok(run_id)
}

/// Polls GetWorkflowRun until the run is COMPLETED.
pub async fn wait_run(conn: &mut Conn, workflow: &str, run_id: &str, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let got = conn
            .call("GetWorkflowRun", json!({"Name": workflow, "RunId": run_id}))
            .await?;
        match got["Run"]["Status"].as_str() {
            Some("COMPLETED") => return Ok(()),
            Some("RUNNING") | Some("STOPPING") => {}
            other => return Err(format!("run {run_id} ended {other:?}")),
        }
        if Instant::now() > deadline {
            return Err(format!("run {run_id} was not COMPLETED within {limit:?}"));
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// What the runs of a workflow look like after a batch of starts.
pub struct RunCensus {
    pub runs: usize,
    /// Latest CompletedOn (epoch seconds, server clock = this machine's clock).
    pub last_completed: f64,
}

/// Pages through every run of `workflow` (1,000 a page) until `expected` runs
/// exist and all are COMPLETED. Waits first for the newest thousand, so that
/// polling does not compete with the runs it waits for.
pub async fn wait_all_completed(
    conn: &mut Conn,
    workflow: &str,
    expected: usize,
    limit: Duration,
) -> Result<RunCensus, String> {
    let deadline = Instant::now() + limit;
    loop {
        let page = conn
            .call("GetWorkflowRuns", json!({"Name": workflow, "MaxResults": 1000}))
            .await?;
        let newest = page["Runs"].as_array().cloned().unwrap_or_default();
        if newest.iter().all(|r| r["Status"] == "COMPLETED") {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("runs of {workflow} not COMPLETED within {limit:?}"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    loop {
        let mut census = RunCensus {
            runs: 0,
            last_completed: 0.0,
        };
        let mut all_done = true;
        let mut token: Option<String> = None;
        loop {
            let mut input = json!({"Name": workflow, "MaxResults": 1000});
            if let Some(t) = &token {
                input["NextToken"] = json!(t);
            }
            let page = conn.call("GetWorkflowRuns", input).await?;
            for run in page["Runs"].as_array().into_iter().flatten() {
                census.runs += 1;
                if run["Status"] != "COMPLETED" {
                    all_done = false;
                }
                census.last_completed = census.last_completed.max(run["CompletedOn"].as_f64().unwrap_or(0.0));
            }
            token = page["NextToken"].as_str().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        if all_done && census.runs >= expected {
            return Ok(census);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{} of {expected} runs of {workflow} seen, all COMPLETED: {all_done}",
                census.runs
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The UniqueId of the graph node named `name` in a GetWorkflowRun answer.
pub fn node_id(run: &Value, name: &str) -> Option<String> {
    run["Run"]["Graph"]["Nodes"]
        .as_array()?
        .iter()
        .find(|n| n["Name"] == name)?["UniqueId"]
        .as_str()
        .map(str::to_string)
}

/// An IAM config: the benchmark's principal, whose policies allow what the
/// scenarios do (with a Deny and a condition to evaluate on the way), among
/// `others` principals that must be searched past.
pub fn iam_config(key: &str, secret: &str, others: usize) -> Value {
    let mut principals = Vec::new();
    for n in 0..others {
        principals.push(json!({
            "arn": format!("arn:aws:iam::123456789012:user/team{n}/dev{n}"),
            "accessKeyId": format!("AKIAOTHER{n:011}"),
            "secretAccessKey": format!("other-secret-{n}"),
            "policies": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["glue:Get*", "glue:List*"], "Resource": "*"}
            ]}],
        }));
    }
    principals.push(json!({
        "arn": "arn:aws:iam::123456789012:user/ci/bench",
        "accessKeyId": key,
        "secretAccessKey": secret,
        "policies": [
            {"Version": "2012-10-17", "Statement": [
                {"Sid": "ReadRuns", "Effect": "Allow",
                 "Action": ["glue:GetWorkflow", "glue:GetWorkflowRun", "glue:GetWorkflowRuns", "glue:GetJob*", "glue:List*"],
                 "Resource": ["arn:aws:glue:us-east-1:123456789012:workflow/*", "arn:aws:glue:us-east-1:123456789012:job/*", "*"],
                 "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}},
                {"Sid": "Operate", "Effect": "Allow",
                 "Action": ["glue:Create*", "glue:StartWorkflowRun", "glue:ResumeWorkflowRun", "glue:StartJobRun"],
                 "Resource": "*"}
            ]},
            {"Version": "2012-10-17", "Statement": [
                {"Sid": "ProtectProd", "Effect": "Deny", "Action": ["glue:Delete*", "glue:Update*"],
                 "Resource": "arn:aws:glue:*:*:workflow/prod-*"},
                {"Sid": "NoOtherRegions", "Effect": "Deny", "NotAction": "glue:Get*",
                 "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}
            ]}
        ],
    }));
    json!({ "principals": principals })
}
