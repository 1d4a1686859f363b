//! The one table of operations: each row is an operation's name, its handler, the
//! resource IAM authorizes `glue:<Operation>` on (and the input member that names it),
//! and whether it only reads. Dispatch, authorization, the read-only rule, the list
//! `tools/extract-model.py` extracts from botocore and the README's IAM table all
//! come from it.

use super::{crawlers, jobs, runs, tags, triggers, workflows, Ctx, Reply};
use crate::auth::authorize::Target;
use crate::protocol::WireError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// One Glue operation glue-local implements.
pub struct Operation {
    pub name: &'static str,
    /// The IAM action, `glue:<name>`.
    pub action: &'static str,
    /// What IAM authorizes `glue:<name>` on.
    pub resource: Resource,
    /// Only reads: it may run against a partition's empty view.
    pub reads_only: bool,
    handler: fn(&Ctx, Value) -> Reply<Vec<u8>>,
}

/// What an operation is authorized on, and the input member that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// `arn:aws:glue:<region>:<account>:<kind>/<name>`, the name in this member.
    Named(&'static str, &'static str),
    /// The same ARN for each name of the list in this member, authorized one by one
    /// (BatchGet*; see [`Target::Each`]).
    EachNamed(&'static str, &'static str),
    /// The ARN in this member.
    Arn(&'static str),
    /// `*`.
    Any,
}

use Resource::{Any, Arn, EachNamed, Named};

macro_rules! operations {
    ($($name:literal => $handler:path, $resource:expr, $mode:ident;)*) => {
        /// Every operation glue-local implements.
        pub static OPERATIONS: &[Operation] = &[$(Operation {
            name: $name,
            action: concat!("glue:", $name),
            resource: $resource,
            reads_only: operations!(@reads $mode),
            handler: |ctx, body| call(ctx, body, $handler),
        }),*];
    };
    (@reads Read) => { true };
    (@reads Write) => { false };
}

// tools/extract-model.py reads the names from this table: keep one row per line, name first.
operations! {
    "CreateWorkflow" => workflows::create, Named("workflow", "Name"), Write;
    "GetWorkflow" => workflows::get, Named("workflow", "Name"), Read;
    "UpdateWorkflow" => workflows::update, Named("workflow", "Name"), Write;
    "DeleteWorkflow" => workflows::delete, Named("workflow", "Name"), Write;
    "ListWorkflows" => workflows::list, Any, Read;
    "BatchGetWorkflows" => workflows::batch_get, EachNamed("workflow", "Names"), Read;
    "StartWorkflowRun" => runs::start, Named("workflow", "Name"), Write;
    "StopWorkflowRun" => runs::stop, Named("workflow", "Name"), Write;
    "GetWorkflowRun" => runs::get, Named("workflow", "Name"), Read;
    "GetWorkflowRuns" => runs::list, Named("workflow", "Name"), Read;
    "ResumeWorkflowRun" => runs::resume, Named("workflow", "Name"), Write;
    "GetWorkflowRunProperties" => runs::get_properties, Named("workflow", "Name"), Read;
    "PutWorkflowRunProperties" => runs::put_properties, Named("workflow", "Name"), Write;
    "CreateJob" => jobs::create, Named("job", "Name"), Write;
    "GetJob" => jobs::get, Named("job", "JobName"), Read;
    "UpdateJob" => jobs::update, Named("job", "JobName"), Write;
    "DeleteJob" => jobs::delete, Named("job", "JobName"), Write;
    "GetJobs" => jobs::get_all, Any, Read;
    "ListJobs" => jobs::list, Any, Read;
    "BatchGetJobs" => jobs::batch_get, EachNamed("job", "JobNames"), Read;
    "StartJobRun" => jobs::start_run, Named("job", "JobName"), Write;
    "GetJobRun" => jobs::get_run, Named("job", "JobName"), Read;
    "GetJobRuns" => jobs::get_runs, Named("job", "JobName"), Read;
    "BatchStopJobRun" => jobs::batch_stop_runs, Named("job", "JobName"), Write;
    "CreateTrigger" => triggers::create, Named("trigger", "Name"), Write;
    "GetTrigger" => triggers::get, Named("trigger", "Name"), Read;
    "GetTriggers" => triggers::get_all, Any, Read;
    "UpdateTrigger" => triggers::update, Named("trigger", "Name"), Write;
    "DeleteTrigger" => triggers::delete, Named("trigger", "Name"), Write;
    "ListTriggers" => triggers::list, Any, Read;
    "BatchGetTriggers" => triggers::batch_get, EachNamed("trigger", "TriggerNames"), Read;
    "StartTrigger" => triggers::start, Named("trigger", "Name"), Write;
    "StopTrigger" => triggers::stop, Named("trigger", "Name"), Write;
    "CreateCrawler" => crawlers::create, Named("crawler", "Name"), Write;
    "GetCrawler" => crawlers::get, Named("crawler", "Name"), Read;
    "GetCrawlers" => crawlers::get_all, Any, Read;
    "UpdateCrawler" => crawlers::update, Named("crawler", "Name"), Write;
    "DeleteCrawler" => crawlers::delete, Named("crawler", "Name"), Write;
    "ListCrawlers" => crawlers::list, Any, Read;
    "BatchGetCrawlers" => crawlers::batch_get, EachNamed("crawler", "CrawlerNames"), Read;
    "StartCrawler" => crawlers::start, Named("crawler", "Name"), Write;
    "StopCrawler" => crawlers::stop, Named("crawler", "Name"), Write;
    "ListCrawls" => crawlers::list_crawls, Named("crawler", "CrawlerName"), Read;
    "GetCrawlerMetrics" => crawlers::metrics, Any, Read;
    "TagResource" => tags::tag, Arn("ResourceArn"), Write;
    "UntagResource" => tags::untag, Arn("ResourceArn"), Write;
    "GetTags" => tags::get, Arn("ResourceArn"), Read;
}

/// The operation of this name, if glue-local implements it.
pub fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name)
}

impl Operation {
    /// Decodes the (validated) input, runs the handler and encodes its output.
    pub fn handle(&self, ctx: &Ctx, input: Value) -> Reply<Vec<u8>> {
        (self.handler)(ctx, input)
    }

    /// The name of the workflow, job, trigger or crawler the input names, for the log.
    pub fn resource_name<'a>(&self, input: &'a Value) -> Option<&'a str> {
        match self.resource {
            Named(_, member) => input.get(member)?.as_str(),
            EachNamed(..) | Arn(_) | Any => None,
        }
    }

    /// What `glue:<name>` is authorized on.
    pub fn target(&self, input: &Value, region: &str, account: &str) -> Target {
        let member = |m: &str| input.get(m).and_then(Value::as_str).unwrap_or("");
        match self.resource {
            Named(kind, m) => Target::One(arn(region, account, kind, member(m))),
            Arn(m) => Target::One(member(m).to_string()),
            Any => Target::One("*".to_string()),
            EachNamed(kind, m) => {
                let names = input.get(m).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
                Target::Each(
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|name| (name.to_string(), arn(region, account, kind, name)))
                        .collect(),
                )
            }
        }
    }
}

fn arn(region: &str, account: &str, kind: &str, name: &str) -> String {
    format!("arn:aws:glue:{region}:{account}:{kind}/{name}")
}

fn call<I: DeserializeOwned, O: Serialize>(ctx: &Ctx, body: Value, handler: fn(&Ctx, I) -> Reply<O>) -> Reply<Vec<u8>> {
    let input: I =
        serde_json::from_value(body).map_err(|e| WireError::serialization(format!("Cannot read the request: {e}")))?;
    let output = handler(ctx, input)?;
    // Sized for a typical answer (a W1 run with its graph is ~7 KB), so the
    // buffer is not regrown and copied several times while serializing.
    let mut body = Vec::with_capacity(8 * 1024);
    serde_json::to_writer(&mut body, &output)
        .map_err(|e| WireError::internal(format!("Cannot encode the response: {e}")))?;
    Ok(body)
}

/// The README's IAM table, as the table above says.
#[cfg(test)]
fn iam_table() -> String {
    let mut rows: Vec<(String, Vec<&str>)> = Vec::new();
    for op in OPERATIONS {
        let resource = match op.resource {
            Named(kind, member) => format!("`…:{kind}/<{member}>`"),
            EachNamed(kind, member) => format!("each `…:{kind}/<name>` of `{member}` (below)"),
            Arn(member) => format!("the `{member}`"),
            Any => "`*`".to_string(),
        };
        match rows.iter_mut().find(|(r, _)| *r == resource) {
            Some((_, ops)) => ops.push(op.name),
            None => rows.push((resource, vec![op.name])),
        }
    }
    let mut table = "| operations | resource |\n|---|---|\n".to_string();
    for (resource, ops) in rows {
        table += &format!("| {} | {resource} |\n", ops.join(", "));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_and_the_model_name_the_same_operations() {
        let model: Vec<&str> = crate::api::model().operation_names().collect();
        let mut table: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
        table.sort_unstable();
        let mut unique = table.clone();
        unique.dedup();
        assert_eq!(table, unique, "an operation has two rows");
        assert_eq!(
            table, model,
            "model/glue.json is stale: run tools/extract-model.py after changing the table"
        );
    }

    #[test]
    fn each_resource_member_is_a_member_of_the_input() {
        let raw: Value = serde_json::from_str(include_str!("../../model/glue.json")).unwrap();
        for op in OPERATIONS {
            let member = match op.resource {
                Named(_, m) | EachNamed(_, m) | Arn(m) => m,
                Any => continue,
            };
            let input = raw["operations"][op.name]["input"].as_str().unwrap();
            let members = raw["shapes"][input]["members"].as_array().unwrap();
            assert!(
                members.iter().any(|m| m[0] == member),
                "{}: no member {member}",
                op.name
            );
        }
    }

    #[test]
    fn readme_supported_operations_are_the_tables() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let section = readme
            .split_once("## Supported operations\n")
            .and_then(|(_, rest)| rest.split_once("\nEvery request is validated"))
            .map(|(section, _)| section)
            .expect("the README has a Supported operations section");
        // Operation names: words with two capitals or more (the families' labels have one);
        // EventBridge's operations, on a line of their own, are not in this table.
        let mut listed: Vec<&str> = section
            .lines()
            .filter(|line| !line.starts_with("EventBridge"))
            .flat_map(|line| line.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .filter(|w| w.chars().filter(char::is_ascii_uppercase).count() >= 2)
            .collect();
        listed.sort_unstable();
        let mut table: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
        table.sort_unstable();
        assert_eq!(
            listed, table,
            "the README's Supported operations should list the table's operations"
        );
    }

    #[test]
    fn readme_iam_table_is_the_tables() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let start = "<!-- iam-table:start (checked by api::operations::tests) -->\n";
        let section = readme
            .split_once(start)
            .and_then(|(_, rest)| rest.split_once("<!-- iam-table:end -->"))
            .map(|(section, _)| section);
        let expected = iam_table();
        assert_eq!(
            section,
            Some(expected.as_str()),
            "the README's IAM table should be:\n{expected}"
        );
    }

    #[test]
    fn only_get_list_and_batch_get_calls_read_only() {
        for op in OPERATIONS {
            let reads = ["Get", "List", "BatchGet"].iter().any(|p| op.name.starts_with(p));
            assert_eq!(op.reads_only, reads, "{}", op.name);
        }
    }

    #[test]
    fn targets() {
        let op = |name| operation(name).unwrap();
        let t = |name, body| op(name).target(&body, "us-east-1", "123456789012");
        let one = |arn: &str| Target::One(arn.to_string());
        assert_eq!(
            t("ResumeWorkflowRun", json!({"Name": "W1"})),
            one("arn:aws:glue:us-east-1:123456789012:workflow/W1")
        );
        assert_eq!(
            t("GetJobRuns", json!({"JobName": "J"})),
            one("arn:aws:glue:us-east-1:123456789012:job/J")
        );
        assert_eq!(
            t("ListCrawls", json!({"CrawlerName": "C"})),
            one("arn:aws:glue:us-east-1:123456789012:crawler/C")
        );
        assert_eq!(t("ListWorkflows", json!({})), one("*"));
        assert_eq!(t("GetTags", json!({"ResourceArn": "arn:x"})), one("arn:x"));
        assert_eq!(
            t("BatchGetCrawlers", json!({"CrawlerNames": ["C1", "C2"]})),
            Target::Each(vec![
                (
                    "C1".to_string(),
                    "arn:aws:glue:us-east-1:123456789012:crawler/C1".to_string()
                ),
                (
                    "C2".to_string(),
                    "arn:aws:glue:us-east-1:123456789012:crawler/C2".to_string()
                ),
            ])
        );
        assert_eq!(t("BatchGetTriggers", json!({})), Target::Each(vec![]));
        assert_eq!(op("ResumeWorkflowRun").action, "glue:ResumeWorkflowRun");
        assert_eq!(op("GetJob").resource_name(&json!({"JobName": "J"})), Some("J"));
        assert_eq!(op("GetTags").resource_name(&json!({"ResourceArn": "arn:x"})), None);
        assert!(operation("CreateTable").is_none());
    }
}
