//! The one table of operations: each row is an operation's name, its handler, the
//! resource IAM authorizes `glue:<Operation>` on (and the input member that names it),
//! and whether it only reads. Dispatch, authorization, the read-only rule, the list
//! `tools/extract-model.py` extracts from botocore and the README's IAM table all
//! come from it.

use super::{bookmarks, catalog, crawlers, jobs, runs, tags, triggers, workflows, Ctx, Reply};
use crate::auth::authorize::Target;
use crate::protocol::WireError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// One operation glue-local implements (of Glue, or of EventBridge: `api::events`).
pub struct Operation {
    pub name: &'static str,
    /// The service's IAM prefix and the service of its ARNs: `glue`, `events`.
    pub service: &'static str,
    /// The IAM action, `<service>:<name>`.
    pub action: &'static str,
    /// What IAM authorizes `glue:<name>` on.
    pub resource: Resource,
    /// Only reads: it may run against a partition's empty view.
    pub reads_only: bool,
    pub(in crate::api) handler: fn(&Ctx, Value) -> Reply<Vec<u8>>,
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
    /// AWS's Data Catalog ARNs, every one of which must be allowed (see [`Target::All`]).
    Catalog(CatalogArns),
}

/// The Data Catalog ARNs an operation needs, as AWS's "Specifying AWS Glue resource
/// ARNs" lists them: the catalog, then the database and table(s) the input members
/// name (members may be paths, `TableInput.Name`). Names are lowercased, as Glue
/// stores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogArns {
    /// `…:catalog`, `…:database/*`.
    Databases,
    /// `…:catalog`, `…:database/<member>`.
    Database(&'static str),
    /// `…:catalog`, `…:database/<member>`, `…:table/<member>/*`.
    DatabaseTables(&'static str),
    /// `…:catalog`, `…:database/<database>`, `…:table/<database>/<table>`.
    Table(&'static str, &'static str),
    /// `…:catalog`, `…:database/<database>` and `…:table/<database>/<name>` for each name of a list.
    EachTable(&'static str, &'static str),
    /// `…:catalog`, `…:database/*`, `…:table/*/*`.
    AllTables,
}

use CatalogArns::{AllTables, Database, DatabaseTables, Databases, EachTable, Table};
use Resource::{Any, Arn, Catalog, EachNamed, Named};

/// A table of a service's operations: `operations! { TABLE, "service"; rows }`.
macro_rules! operations {
    ($table:ident, $service:literal; $($name:literal => $handler:path, $resource:expr, $mode:ident;)*) => {
        pub static $table: &[Operation] = &[$(Operation {
            name: $name,
            service: $service,
            action: concat!($service, ":", $name),
            resource: $resource,
            reads_only: operations!(@reads $mode),
            handler: |ctx, body| call(ctx, body, $handler),
        }),*];
    };
    (@reads Read) => { true };
    (@reads Write) => { false };
}
pub(super) use operations;

// tools/extract-model.py reads the names from this table: keep one row per line, name first.
operations! { OPERATIONS, "glue";
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
    "GetJobBookmark" => bookmarks::get, Named("job", "JobName"), Read;
    "ResetJobBookmark" => bookmarks::reset, Named("job", "JobName"), Write;
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
    "UpdateCrawlerSchedule" => crawlers::update_schedule, Named("crawler", "CrawlerName"), Write;
    "StartCrawlerSchedule" => crawlers::start_schedule, Named("crawler", "CrawlerName"), Write;
    "StopCrawlerSchedule" => crawlers::stop_schedule, Named("crawler", "CrawlerName"), Write;
    "GetCrawlerMetrics" => crawlers::metrics, Any, Read;
    "TagResource" => tags::tag, Arn("ResourceArn"), Write;
    "UntagResource" => tags::untag, Arn("ResourceArn"), Write;
    "GetTags" => tags::get, Arn("ResourceArn"), Read;
    "CreateDatabase" => catalog::databases::create, Catalog(Database("DatabaseInput.Name")), Write;
    "GetDatabase" => catalog::databases::get, Catalog(Database("Name")), Read;
    "GetDatabases" => catalog::databases::get_all, Catalog(Databases), Read;
    "UpdateDatabase" => catalog::databases::update, Catalog(Database("Name")), Write;
    "DeleteDatabase" => catalog::databases::delete, Catalog(DatabaseTables("Name")), Write;
    "CreateTable" => catalog::tables::create, Catalog(Table("DatabaseName", "TableInput.Name")), Write;
    "GetTable" => catalog::tables::get, Catalog(Table("DatabaseName", "Name")), Read;
    "GetTables" => catalog::tables::get_all, Catalog(DatabaseTables("DatabaseName")), Read;
    "UpdateTable" => catalog::tables::update, Catalog(Table("DatabaseName", "TableInput.Name")), Write;
    "DeleteTable" => catalog::tables::delete, Catalog(Table("DatabaseName", "Name")), Write;
    "BatchDeleteTable" => catalog::tables::batch_delete, Catalog(EachTable("DatabaseName", "TablesToDelete")), Write;
    "GetTableVersion" => catalog::versions::get, Catalog(Table("DatabaseName", "TableName")), Read;
    "GetTableVersions" => catalog::versions::get_all, Catalog(Table("DatabaseName", "TableName")), Read;
    "DeleteTableVersion" => catalog::versions::delete, Catalog(Table("DatabaseName", "TableName")), Write;
    "BatchDeleteTableVersion" => catalog::versions::batch_delete, Catalog(Table("DatabaseName", "TableName")), Write;
    "SearchTables" => catalog::search::search, Catalog(AllTables), Read;
    "CreatePartition" => catalog::partitions::create, Catalog(Table("DatabaseName", "TableName")), Write;
    "BatchCreatePartition" => catalog::partitions::batch_create, Catalog(Table("DatabaseName", "TableName")), Write;
    "GetPartition" => catalog::partitions::get, Catalog(Table("DatabaseName", "TableName")), Read;
    "GetPartitions" => catalog::partitions::get_all, Catalog(Table("DatabaseName", "TableName")), Read;
    "BatchGetPartition" => catalog::partitions::batch_get, Catalog(Table("DatabaseName", "TableName")), Read;
    "UpdatePartition" => catalog::partitions::update, Catalog(Table("DatabaseName", "TableName")), Write;
    "BatchUpdatePartition" => catalog::partitions::batch_update, Catalog(Table("DatabaseName", "TableName")), Write;
    "DeletePartition" => catalog::partitions::delete, Catalog(Table("DatabaseName", "TableName")), Write;
    "BatchDeletePartition" => catalog::partitions::batch_delete, Catalog(Table("DatabaseName", "TableName")), Write;
}

impl Operation {
    /// Decodes the (validated) input, runs the handler and encodes its output.
    pub fn handle(&self, ctx: &Ctx, input: Value) -> Reply<Vec<u8>> {
        (self.handler)(ctx, input)
    }

    /// The name of the workflow, job, trigger, crawler, database or table the input names, for the log.
    pub fn resource_name(&self, input: &Value) -> Option<String> {
        let member = |m| member(input, m).map(str::to_string);
        match self.resource {
            Named(_, m) | Catalog(Database(m) | DatabaseTables(m)) => member(m),
            Catalog(Table(database, table)) => Some(format!("{}/{}", member(database)?, member(table)?)),
            Catalog(EachTable(database, _)) => member(database),
            EachNamed(..) | Arn(_) | Any | Catalog(Databases | AllTables) => None,
        }
    }

    /// What `glue:<name>` is authorized on.
    pub fn target(&self, input: &Value, region: &str, account: &str) -> Target {
        let member = |m: &str| member(input, m).unwrap_or("");
        match self.resource {
            Catalog(arns) => Target::All(catalog_arns(arns, input, region, account)),
            Named(kind, m) => Target::One(arn(self.service, region, account, kind, member(m))),
            Arn(m) => Target::One(member(m).to_string()),
            Any => Target::One("*".to_string()),
            EachNamed(kind, m) => {
                let names = input.get(m).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
                Target::Each(
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|name| (name.to_string(), arn(self.service, region, account, kind, name)))
                        .collect(),
                )
            }
        }
    }
}

fn arn(service: &str, region: &str, account: &str, kind: &str, name: &str) -> String {
    format!("arn:aws:{service}:{region}:{account}:{kind}/{name}")
}

/// The string at a member path (`TableInput.Name`) of the input.
fn member<'a>(input: &'a Value, path: &str) -> Option<&'a str> {
    path.split('.').try_fold(input, |v, m| v.get(m))?.as_str()
}

fn catalog_arns(arns: CatalogArns, input: &Value, region: &str, account: &str) -> Vec<String> {
    let name = |m: &str| crate::engine::catalog::normalize(member(input, m).unwrap_or(""));
    let arn = |kind: &str, name: &str| arn("glue", region, account, kind, name);
    let mut all = vec![format!("arn:aws:glue:{region}:{account}:catalog")];
    match arns {
        Databases => all.push(arn("database", "*")),
        Database(m) => all.push(arn("database", &name(m))),
        DatabaseTables(m) => all.extend([arn("database", &name(m)), arn("table", &format!("{}/*", name(m)))]),
        Table(database, table) => all.extend([
            arn("database", &name(database)),
            arn("table", &format!("{}/{}", name(database), name(table))),
        ]),
        EachTable(database, list) => {
            all.push(arn("database", &name(database)));
            let names = input.get(list).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            for table in names.iter().filter_map(Value::as_str) {
                let table = crate::engine::catalog::normalize(table);
                all.push(arn("table", &format!("{}/{table}", name(database))));
            }
        }
        AllTables => all.extend([arn("database", "*"), arn("table", "*/*")]),
    }
    all
}

pub(super) fn call<I: DeserializeOwned, O: Serialize>(
    ctx: &Ctx,
    body: Value,
    handler: fn(&Ctx, I) -> Reply<O>,
) -> Reply<Vec<u8>> {
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
            Catalog(arns) => {
                let arns = match arns {
                    Databases => "`…:database/*`".to_string(),
                    Database(m) => format!("`…:database/<{m}>`"),
                    DatabaseTables(m) => format!("`…:database/<{m}>`, `…:table/<{m}>/*`"),
                    Table(d, t) => format!("`…:database/<{d}>`, `…:table/<{d}>/<{t}>`"),
                    EachTable(d, list) => format!("`…:database/<{d}>`, each `…:table/<{d}>/<name>` of `{list}`"),
                    AllTables => "`…:database/*`, `…:table/*/*`".to_string(),
                };
                format!("all of `…:catalog`, {arns}")
            }
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

    fn operation(name: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().find(|op| op.name == name)
    }

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
            let paths = match op.resource {
                Named(_, m) | EachNamed(_, m) | Arn(m) => vec![m],
                Catalog(Database(m) | DatabaseTables(m)) => vec![m],
                Catalog(Table(d, t) | EachTable(d, t)) => vec![d, t],
                Any | Catalog(Databases | AllTables) => continue,
            };
            for path in paths {
                let mut shape = raw["operations"][op.name]["input"].as_str().unwrap();
                for member in path.split('.') {
                    let members = raw["shapes"][shape]["members"].as_array().unwrap();
                    let found = members.iter().find(|m| m[0] == member);
                    let found = found.unwrap_or_else(|| panic!("{}: no member {path}", op.name));
                    shape = found[1].as_str().unwrap();
                }
            }
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
    fn only_get_list_batch_get_and_search_calls_read_only() {
        for op in OPERATIONS {
            let reads = ["Get", "List", "BatchGet", "Search"]
                .iter()
                .any(|p| op.name.starts_with(p));
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
        assert_eq!(
            op("GetJob").resource_name(&json!({"JobName": "J"})).as_deref(),
            Some("J")
        );
        assert_eq!(op("GetTags").resource_name(&json!({"ResourceArn": "arn:x"})), None);
        let all = |arns: &[&str]| Target::All(arns.iter().map(|a| a.to_string()).collect());
        let catalog = "arn:aws:glue:us-east-1:123456789012:catalog";
        assert_eq!(
            t(
                "CreateTable",
                json!({"DatabaseName": "Raw", "TableInput": {"Name": "Events"}})
            ),
            all(&[
                catalog,
                "arn:aws:glue:us-east-1:123456789012:database/raw",
                "arn:aws:glue:us-east-1:123456789012:table/raw/events"
            ])
        );
        assert_eq!(
            t("GetTables", json!({"DatabaseName": "raw"})),
            all(&[
                catalog,
                "arn:aws:glue:us-east-1:123456789012:database/raw",
                "arn:aws:glue:us-east-1:123456789012:table/raw/*"
            ])
        );
        assert_eq!(
            t(
                "BatchDeleteTable",
                json!({"DatabaseName": "raw", "TablesToDelete": ["a", "B"]})
            ),
            all(&[
                catalog,
                "arn:aws:glue:us-east-1:123456789012:database/raw",
                "arn:aws:glue:us-east-1:123456789012:table/raw/a",
                "arn:aws:glue:us-east-1:123456789012:table/raw/b"
            ])
        );
        assert_eq!(
            op("GetTableVersion")
                .resource_name(&json!({"DatabaseName": "raw", "TableName": "t"}))
                .as_deref(),
            Some("raw/t")
        );
        assert!(operation("CreatePartitionIndex").is_none());
    }
}
