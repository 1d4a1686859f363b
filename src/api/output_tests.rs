//! Every operation of both tables, driven through its handler in a realistic scenario
//! (definitions, finished workflow runs with their graphs, a resumed run, job runs,
//! crawls, the catalog, tags, bookmarks, EventBridge rules and events), answers what its
//! output shape in the model allows ([`Model::validate_output`]). An operation of the
//! tables that no step calls with success fails the test.

use super::events::EVENTS_OPERATIONS;
use super::{Ctx, Operation, OPERATIONS};
use crate::engine::job::JobRunState;
use crate::engine::settings::Settings;
use crate::engine::{InjectedOutcome, Region};
use crate::protocol::model::Model;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const ROLE: &str = "arn:aws:iam::123456789012:role/glue";
/// How long a finished run, crawl or event delivery may take to show.
const PATIENCE: Duration = Duration::from_secs(20);

/// One partition of the engine, and the operations called on it with success.
struct Scenario<'a> {
    ctx: Ctx,
    succeeded: &'a mut BTreeSet<&'static str>,
}

impl Scenario<'_> {
    fn new<'a>(job_duration: Duration, succeeded: &'a mut BTreeSet<&'static str>) -> Scenario<'a> {
        let settings = Settings {
            job_duration,
            ..Settings::default()
        };
        Scenario {
            ctx: Ctx {
                region: Arc::new(Region::new(ACCOUNT, REGION, Arc::new(settings), None)),
                hidden: Default::default(),
                notify: None,
            },
            succeeded,
        }
    }

    /// Calls `op` with a valid `input` and returns its answer, which must keep the model.
    fn call(&mut self, op: &'static str, input: Value) -> Value {
        let (operation, model) = operation(op);
        if let Err(v) = model.validate_input(op, &input) {
            panic!("{op}: the case's input breaks the model: {v}\ninput: {input}");
        }
        let body = match operation.handle(&self.ctx, input.clone()) {
            Ok(body) => body,
            Err(e) => panic!("{op} failed: {} {}\ninput: {input}", e.code, e.message),
        };
        let output: Value = serde_json::from_slice(&body).expect("the answer is JSON");
        if let Err(problems) = model.validate_output(op, &output) {
            panic!(
                "{op}: the answer breaks the model:\n  {}\nanswer: {output}",
                problems.join("\n  ")
            );
        }
        self.succeeded.insert(op);
        output
    }

    fn run(&mut self, cases: impl IntoIterator<Item = (&'static str, Value)>) {
        for (op, input) in cases {
            self.call(op, input);
        }
    }

    /// Calls `op` until its answer is `done` (each answer checked), for at most [`PATIENCE`].
    fn wait(&mut self, op: &'static str, input: Value, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let output = self.call(op, input.clone());
            if done(&output) {
                return output;
            }
            assert!(Instant::now() < deadline, "{op} {input}: still {output}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_run_completed(&mut self, workflow: &str, run_id: &str) -> Value {
        let input = json!({"Name": workflow, "RunId": run_id, "IncludeGraph": true});
        self.wait("GetWorkflowRun", input, |o| o["Run"]["Status"] == "COMPLETED")
    }

    fn fail_next_run(&self, job: &str) {
        let outcome = InjectedOutcome {
            state: JobRunState::Failed,
            error_message: Some("injected failure".into()),
            remaining: 1,
        };
        self.ctx
            .region
            .exec
            .inject_outcome(|o| &mut o.jobs, job.into(), outcome);
    }
}

fn operation(name: &str) -> (&'static Operation, &'static Model) {
    let glue = OPERATIONS
        .iter()
        .find(|op| op.name == name)
        .map(|op| (op, super::model()));
    let events = || {
        EVENTS_OPERATIONS
            .iter()
            .find(|op| op.name == name)
            .map(|op| (op, super::events::model()))
    };
    glue.or_else(events)
        .unwrap_or_else(|| panic!("{name} is in neither table"))
}

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:glue:{REGION}:{ACCOUNT}:{kind}/{name}")
}

fn job(name: &str, command: &str, arguments: Value) -> Value {
    json!({
        "Name": name, "Description": format!("{name} of the nightly load"), "Role": ROLE,
        "Command": {"Name": command, "ScriptLocation": format!("s3://scripts/{name}.py"), "PythonVersion": "3"},
        "DefaultArguments": arguments, "NonOverridableArguments": {"--env": "test"},
        "ExecutionProperty": {"MaxConcurrentRuns": 5}, "MaxRetries": 0, "Timeout": 60,
        "GlueVersion": "4.0", "WorkerType": "G.1X", "NumberOfWorkers": 2,
        "Tags": {"team": "data"}
    })
}

fn storage(location: &str) -> Value {
    json!({
        "Columns": [{"Name": "id", "Type": "bigint", "Comment": "order id"}, {"Name": "total", "Type": "double"}],
        "Location": location,
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            "Parameters": {"field.delim": ","}
        },
        "Compressed": false, "NumberOfBuckets": -1, "StoredAsSubDirectories": false
    })
}

fn table(description: &str) -> Value {
    json!({
        "Name": "orders", "Description": description, "Owner": "data", "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "csv"}, "Retention": 0,
        "StorageDescriptor": storage("s3://lake/orders/"),
        "PartitionKeys": [{"Name": "dt", "Type": "string"}]
    })
}

fn partition(day: &str) -> Value {
    json!({
        "Values": [day], "Parameters": {"rows": "10"},
        "StorageDescriptor": storage(&format!("s3://lake/orders/dt={day}/"))
    })
}

/// W: J1 on demand, then J2 and crawler C once J1 succeeded, then J3 once both did.
fn workflow_cases() -> Vec<(&'static str, Value)> {
    vec![
        (
            "CreateDatabase",
            json!({"DatabaseInput": {
            "Name": "sales", "Description": "sales data", "LocationUri": "s3://lake/",
            "Parameters": {"owner": "data"}}, "Tags": {"team": "data"}}),
        ),
        (
            "CreateJob",
            job(
                "J1",
                "glueetl",
                json!({"--job-bookmark-option": "job-bookmark-disable"}),
            ),
        ),
        ("CreateJob", job("J2", "pythonshell", json!({}))),
        ("CreateJob", job("J3", "glueetl", json!({"--day": "today"}))),
        (
            "CreateCrawler",
            json!({
            "Name": "C", "Role": ROLE, "DatabaseName": "sales", "Description": "finds orders",
            "Targets": {"S3Targets": [{"Path": "s3://lake/raw/", "Exclusions": ["**.tmp"]}]},
            "TablePrefix": "raw_", "Configuration": "{\"Version\":1.0}",
            "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DEPRECATE_IN_DATABASE"},
            "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_EVERYTHING"},
            "LineageConfiguration": {"CrawlerLineageSettings": "DISABLE"},
            "Tags": {"team": "data"}}),
        ),
        (
            "CreateWorkflow",
            json!({
            "Name": "W", "Description": "nightly", "DefaultRunProperties": {"stage": "prod"},
            "MaxConcurrentRuns": 3, "Tags": {"team": "data"}}),
        ),
        (
            "CreateTrigger",
            json!({
            "Name": "W-start", "WorkflowName": "W", "Type": "ON_DEMAND", "Description": "starts W",
            "Actions": [{"JobName": "J1", "Arguments": {"--day": "2024-01-01"}, "Timeout": 30,
                         "NotificationProperty": {"NotifyDelayAfter": 5}}]}),
        ),
        (
            "CreateTrigger",
            json!({
            "Name": "W-loaded", "WorkflowName": "W", "Type": "CONDITIONAL", "StartOnCreation": true,
            "Predicate": {"Logical": "AND", "Conditions": [
                {"LogicalOperator": "EQUALS", "JobName": "J1", "State": "SUCCEEDED"}]},
            "Actions": [{"JobName": "J2"}, {"CrawlerName": "C"}]}),
        ),
        (
            "CreateTrigger",
            json!({
            "Name": "W-crawled", "WorkflowName": "W", "Type": "CONDITIONAL", "StartOnCreation": true,
            "Predicate": {"Logical": "AND", "Conditions": [
                {"LogicalOperator": "EQUALS", "JobName": "J2", "State": "SUCCEEDED"},
                {"LogicalOperator": "EQUALS", "CrawlerName": "C", "CrawlState": "SUCCEEDED"}]},
            "Actions": [{"JobName": "J3"}]}),
        ),
        (
            "CreateTrigger",
            json!({
            "Name": "nightly", "Type": "SCHEDULED", "Schedule": "cron(0 2 * * ? *)",
            "Actions": [{"JobName": "J1"}], "Tags": {"team": "data"}}),
        ),
        (
            "CreateTrigger",
            json!({"Name": "by-hand", "Type": "ON_DEMAND", "Actions": [{"JobName": "J3"}]}),
        ),
        (
            "CreateTrigger",
            json!({
            "Name": "after-J3", "Type": "CONDITIONAL", "StartOnCreation": true,
            "Predicate": {"Logical": "ANY", "Conditions": [
                {"LogicalOperator": "EQUALS", "JobName": "J3", "State": "FAILED"}]},
            "Actions": [{"CrawlerName": "C"}]}),
        ),
        (
            "CreateWorkflow",
            json!({"Name": "WE", "Description": "started by events"}),
        ),
        (
            "CreateTrigger",
            json!({
            "Name": "WE-event", "WorkflowName": "WE", "Type": "EVENT", "StartOnCreation": true,
            "EventBatchingCondition": {"BatchSize": 1, "BatchWindow": 900},
            "Actions": [{"JobName": "J3"}]}),
        ),
    ]
}

fn catalog_cases() -> Vec<(&'static str, Value)> {
    let orders = |extra: Value| {
        let mut input = json!({"DatabaseName": "sales", "TableName": "orders"});
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        input
    };
    vec![
        ("GetDatabase", json!({"Name": "sales"})),
        ("GetDatabases", json!({"MaxResults": 10})),
        (
            "UpdateDatabase",
            json!({"Name": "sales", "DatabaseInput": {"Name": "sales", "Description": "all sales"}}),
        ),
        (
            "CreateTable",
            json!({"DatabaseName": "sales", "TableInput": table("orders v1")}),
        ),
        (
            "CreateTable",
            json!({"DatabaseName": "sales", "TableInput": {"Name": "returns", "TableType": "EXTERNAL_TABLE",
            "StorageDescriptor": storage("s3://lake/returns/")}}),
        ),
        (
            "UpdateTable",
            json!({"DatabaseName": "sales", "TableInput": table("orders v2")}),
        ),
        (
            "UpdateTable",
            json!({"DatabaseName": "sales", "TableInput": table("orders v3")}),
        ),
        ("GetTable", json!({"DatabaseName": "sales", "Name": "orders"})),
        ("GetTables", json!({"DatabaseName": "sales", "Expression": "ord.*"})),
        ("GetTableVersions", orders(json!({}))),
        ("GetTableVersion", orders(json!({"VersionId": "2"}))),
        ("DeleteTableVersion", orders(json!({"VersionId": "1"}))),
        ("BatchDeleteTableVersion", orders(json!({"VersionIds": ["2", "7"]}))),
        ("SearchTables", json!({"SearchText": "orders", "MaxResults": 10})),
        (
            "CreatePartition",
            orders(json!({"PartitionInput": partition("2024-01-01")})),
        ),
        (
            "BatchCreatePartition",
            orders(json!({"PartitionInputList": [
            partition("2024-01-02"), partition("2024-01-03"), partition("2024-01-01")]})),
        ),
        ("GetPartition", orders(json!({"PartitionValues": ["2024-01-01"]}))),
        (
            "GetPartitions",
            orders(json!({"Expression": "dt >= '2024-01-02'", "MaxResults": 10})),
        ),
        (
            "BatchGetPartition",
            orders(json!({"PartitionsToGet": [
            {"Values": ["2024-01-01"]}, {"Values": ["1999-12-31"]}]})),
        ),
        (
            "UpdatePartition",
            orders(json!({"PartitionValueList": ["2024-01-01"], "PartitionInput": partition("2024-01-01")})),
        ),
        (
            "BatchUpdatePartition",
            orders(json!({"Entries": [
            {"PartitionValueList": ["2024-01-02"], "PartitionInput": partition("2024-01-02")},
            {"PartitionValueList": ["1999-12-31"], "PartitionInput": partition("1999-12-31")}]})),
        ),
        ("DeletePartition", orders(json!({"PartitionValues": ["2024-01-03"]}))),
        (
            "BatchDeletePartition",
            orders(json!({"PartitionsToDelete": [
            {"Values": ["2024-01-02"]}, {"Values": ["1999-12-31"]}]})),
        ),
        (
            "BatchDeleteTable",
            json!({"DatabaseName": "sales", "TablesToDelete": ["returns", "missing"]}),
        ),
        ("DeleteTable", json!({"DatabaseName": "sales", "Name": "orders"})),
        ("DeleteDatabase", json!({"Name": "sales"})),
    ]
}

/// Reads and updates of the definitions, once runs and crawls have finished.
fn definition_cases() -> Vec<(&'static str, Value)> {
    let workflow = arn("workflow", "W");
    vec![
        ("GetWorkflow", json!({"Name": "W", "IncludeGraph": true})),
        ("ListWorkflows", json!({"MaxResults": 10})),
        (
            "BatchGetWorkflows",
            json!({"Names": ["W", "WE", "missing"], "IncludeGraph": true}),
        ),
        (
            "UpdateWorkflow",
            json!({"Name": "W", "Description": "nightly, updated", "MaxConcurrentRuns": 2}),
        ),
        ("GetJob", json!({"JobName": "J1"})),
        ("GetJobs", json!({"MaxResults": 10})),
        ("ListJobs", json!({"Tags": {"team": "data"}})),
        ("BatchGetJobs", json!({"JobNames": ["J1", "J2", "missing"]})),
        (
            "UpdateJob",
            json!({"JobName": "J3", "JobUpdate": {
            "Role": ROLE, "Command": {"Name": "glueetl", "ScriptLocation": "s3://scripts/J3-v2.py"},
            "Description": "v2", "MaxRetries": 1}}),
        ),
        ("GetJobRuns", json!({"JobName": "J1"})),
        ("GetTrigger", json!({"Name": "W-loaded"})),
        ("GetTriggers", json!({"DependentJobName": "J1"})),
        ("ListTriggers", json!({"Tags": {"team": "data"}})),
        (
            "BatchGetTriggers",
            json!({"TriggerNames": ["W-start", "WE-event", "missing"]}),
        ),
        (
            "UpdateTrigger",
            json!({"Name": "nightly", "TriggerUpdate": {
            "Description": "at three", "Schedule": "cron(0 3 * * ? *)", "Actions": [{"JobName": "J2"}]}}),
        ),
        ("StartTrigger", json!({"Name": "nightly"})),
        ("StopTrigger", json!({"Name": "nightly"})),
        ("GetCrawler", json!({"Name": "C"})),
        ("GetCrawlers", json!({"MaxResults": 10})),
        ("ListCrawlers", json!({"Tags": {"team": "data"}})),
        ("BatchGetCrawlers", json!({"CrawlerNames": ["C", "missing"]})),
        ("ListCrawls", json!({"CrawlerName": "C"})),
        ("GetCrawlerMetrics", json!({"CrawlerNameList": ["C"]})),
        (
            "UpdateCrawler",
            json!({"Name": "C", "Description": "finds orders and returns",
            "Schedule": "cron(0 4 * * ? *)"}),
        ),
        (
            "UpdateCrawlerSchedule",
            json!({"CrawlerName": "C", "Schedule": "cron(30 4 * * ? *)"}),
        ),
        ("StopCrawlerSchedule", json!({"CrawlerName": "C"})),
        ("StartCrawlerSchedule", json!({"CrawlerName": "C"})),
        (
            "TagResource",
            json!({"ResourceArn": workflow, "TagsToAdd": {"tier": "gold", "owner": "ana"}}),
        ),
        ("GetTags", json!({"ResourceArn": workflow})),
        (
            "UntagResource",
            json!({"ResourceArn": workflow, "TagsToRemove": ["owner"]}),
        ),
    ]
}

fn event_rule_cases() -> Vec<(&'static str, Value)> {
    vec![
        (
            "PutRule",
            json!({"Name": "orders", "Description": "new orders start WE", "State": "ENABLED",
            "EventPattern": "{\"source\":[\"shop.orders\"]}"}),
        ),
        (
            "PutTargets",
            json!({"Rule": "orders", "Targets": [
            {"Id": "WE", "Arn": arn("workflow", "WE"), "RoleArn": "arn:aws:iam::123456789012:role/events"}]}),
        ),
        ("DescribeRule", json!({"Name": "orders"})),
        ("ListRules", json!({"NamePrefix": "ord"})),
        ("ListTargetsByRule", json!({"Rule": "orders"})),
    ]
}

fn teardown_cases() -> Vec<(&'static str, Value)> {
    vec![
        ("DisableRule", json!({"Name": "orders"})),
        ("EnableRule", json!({"Name": "orders"})),
        ("RemoveTargets", json!({"Rule": "orders", "Ids": ["WE", "missing"]})),
        ("DeleteRule", json!({"Name": "orders"})),
        ("DeleteTrigger", json!({"Name": "by-hand"})),
        ("DeleteCrawler", json!({"Name": "C"})),
        ("DeleteJob", json!({"JobName": "J2"})),
        ("DeleteWorkflow", json!({"Name": "WE"})),
    ]
}

/// Workflow runs, job runs and crawls that finish, then everything else.
fn finished_work(s: &mut Scenario<'_>) {
    s.run(workflow_cases());
    s.fail_next_run("J2");
    let run = s.call(
        "StartWorkflowRun",
        json!({"Name": "W", "RunProperties": {"day": "2024-01-01"}}),
    );
    let run = run["RunId"].as_str().unwrap().to_string();
    s.call(
        "PutWorkflowRunProperties",
        json!({"Name": "W", "RunId": run, "RunProperties": {"batch": "7"}}),
    );
    let failed = s.wait_run_completed("W", &run);
    let nodes = failed["Run"]["Graph"]["Nodes"].as_array().unwrap();
    let j2 = nodes
        .iter()
        .find(|n| n["Name"] == "J2")
        .expect("J2 is a node of the run");
    let resumed = s.call(
        "ResumeWorkflowRun",
        json!({"Name": "W", "RunId": run, "NodeIds": [j2["UniqueId"]]}),
    );
    let resumed = resumed["RunId"].as_str().unwrap().to_string();
    let done = s.wait_run_completed("W", &resumed);
    assert_eq!(done["Run"]["Statistics"]["SucceededActions"], 2, "J2 and J3: {done}");
    s.call("GetWorkflowRunProperties", json!({"Name": "W", "RunId": run}));
    s.call("GetWorkflowRuns", json!({"Name": "W", "IncludeGraph": true}));

    let job_run = s.call(
        "StartJobRun",
        json!({"JobName": "J1", "Arguments": {"--day": "2024-01-02"}}),
    );
    let job_run = json!({"JobName": "J1", "RunId": job_run["JobRunId"]});
    s.wait("GetJobRun", job_run, |o| o["JobRun"]["JobRunState"] == "SUCCEEDED");
    // by-hand starts J3 outside a workflow; its failure starts the crawler through after-J3.
    s.fail_next_run("J3");
    s.call("StartTrigger", json!({"Name": "by-hand"}));
    s.wait("ListCrawls", json!({"CrawlerName": "C"}), |o| {
        o["Crawls"].as_array().unwrap().len() == 2
    });
    s.wait("GetCrawler", json!({"Name": "C"}), |o| o["Crawler"]["State"] == "READY");
    s.call("StartCrawler", json!({"Name": "C"}));
    s.wait("GetCrawler", json!({"Name": "C"}), |o| o["Crawler"]["State"] == "READY");

    s.run(event_rule_cases());
    s.call(
        "PutEvents",
        json!({"Entries": [
        {"Source": "shop.orders", "DetailType": "order placed", "Detail": "{\"id\":1}"},
        {"Source": "shop.orders", "DetailType": "order placed", "Detail": "not json"}]}),
    );
    let runs = s.wait("GetWorkflowRuns", json!({"Name": "WE"}), |o| {
        o["Runs"].as_array().is_some_and(|r| r.len() == 1)
    });
    s.wait_run_completed("WE", runs["Runs"][0]["WorkflowRunId"].as_str().unwrap());

    s.run(definition_cases());
    s.run(catalog_cases());
    s.run(teardown_cases());
}

/// What only work in progress answers: stopping it, and a running job's bookmark.
fn work_in_progress(s: &mut Scenario<'_>) {
    s.run([
        (
            "CreateJob",
            job("JB", "glueetl", json!({"--job-bookmark-option": "job-bookmark-enable"})),
        ),
        (
            "CreateCrawler",
            json!({"Name": "CS", "Role": ROLE, "Targets": {"S3Targets": [{"Path": "s3://lake/raw/"}]}}),
        ),
        ("CreateWorkflow", json!({"Name": "WS"})),
        (
            "CreateTrigger",
            json!({"Name": "WS-start", "WorkflowName": "WS", "Type": "ON_DEMAND",
            "Actions": [{"JobName": "JB"}]}),
        ),
        ("StartCrawler", json!({"Name": "CS"})),
        ("StopCrawler", json!({"Name": "CS"})),
    ]);
    let first = s.call("StartJobRun", json!({"JobName": "JB"}))["JobRunId"].clone();
    let second = s.call("StartJobRun", json!({"JobName": "JB"}))["JobRunId"].clone();
    let region = s.ctx.region.clone();
    region
        .commit_job_run_bookmark(first.as_str().unwrap(), "{\"orders\":{\"last\":42}}".into())
        .unwrap();
    let run = s.call("StartWorkflowRun", json!({"Name": "WS"}))["RunId"].clone();
    s.run([
        (
            "GetWorkflowRun",
            json!({"Name": "WS", "RunId": run, "IncludeGraph": true}),
        ),
        ("StopWorkflowRun", json!({"Name": "WS", "RunId": run})),
        ("GetJobBookmark", json!({"JobName": "JB"})),
        ("ResetJobBookmark", json!({"JobName": "JB", "RunId": first})),
        (
            "BatchStopJobRun",
            json!({"JobName": "JB", "JobRunIds": [first, second, "jr_missing"]}),
        ),
    ]);
    region.exec.stop_everything();
}

#[test]
fn every_operation_answers_what_its_output_shape_allows() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let _in_runtime = runtime.enter();
    let mut succeeded = BTreeSet::new();
    finished_work(&mut Scenario::new(Duration::from_millis(20), &mut succeeded));
    work_in_progress(&mut Scenario::new(Duration::from_secs(3600), &mut succeeded));

    let missing: Vec<&str> = OPERATIONS
        .iter()
        .chain(EVENTS_OPERATIONS)
        .map(|op| op.name)
        .filter(|name| !succeeded.contains(name))
        .collect();
    assert!(missing.is_empty(), "operations no case calls with success: {missing:?}");
}
