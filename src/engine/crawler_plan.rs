//! What a crawl of a crawler does, read from its definition: the S3 targets to crawl in the
//! `--s3-dir`, the database and prefix its tables go to, and its `SchemaChangePolicy`,
//! `RecrawlPolicy` and `Configuration`.

use super::crawl::{Options, S3Target};
use super::crawler::{Crawler, CrawlerSpec};
use super::error::{Error, Result};
use serde_json::Value;

/// CreateCrawler and UpdateCrawler refuse to crawl new folders only unless both schema change
/// behaviours are LOG, as Glue does.
pub fn check(spec: &CrawlerSpec) -> Result<()> {
    let p = &spec.passthrough;
    let recrawl = p
        .get("RecrawlPolicy")
        .and_then(|r| r.get("RecrawlBehavior"))
        .and_then(Value::as_str);
    let behaviour = |member: &str| {
        p.get("SchemaChangePolicy")
            .and_then(|s| s.get(member))
            .and_then(Value::as_str)
    };
    if recrawl == Some("CRAWL_NEW_FOLDERS_ONLY")
        && (behaviour("UpdateBehavior") != Some("LOG") || behaviour("DeleteBehavior") != Some("LOG"))
    {
        return Err(Error::InvalidInput(
            "The SchemaChangePolicy for \"Crawl new folders only\" Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value.".into(),
        ));
    }
    Ok(())
}

/// `SchemaChangePolicy.UpdateBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateBehavior {
    UpdateInDatabase,
    Log,
}

/// `SchemaChangePolicy.DeleteBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteBehavior {
    DeleteFromDatabase,
    DeprecateInDatabase,
    Log,
}

#[derive(Debug, Clone)]
pub struct CrawlPlan {
    pub targets: Vec<S3Target>,
    pub options: Options,
    /// The crawler's `DatabaseName`, else `default` (where Glue puts the tables then).
    pub database: String,
    /// Whether the crawler names its database (one it names must exist).
    pub database_named: bool,
    pub update: UpdateBehavior,
    pub delete: DeleteBehavior,
}

/// The database tables go to when the crawler names none.
pub const DEFAULT_DATABASE: &str = "default";

impl CrawlPlan {
    /// The plan of a crawler with at least one S3 target; `None` for the others (their crawls
    /// stay simulated).
    pub fn of(crawler: &Crawler) -> Option<CrawlPlan> {
        let p = &crawler.spec.passthrough;
        let targets: Vec<S3Target> = p
            .get("Targets")
            .and_then(|t| t.get("S3Targets"))
            .and_then(Value::as_array)?
            .iter()
            .filter_map(|t| {
                Some(S3Target {
                    path: t.get("Path")?.as_str()?.to_string(),
                    exclusions: strings(t.get("Exclusions")),
                })
            })
            .collect();
        if targets.is_empty() {
            return None;
        }
        let policy = |member: &str| {
            p.get("SchemaChangePolicy")
                .and_then(|s| s.get(member))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let new_folders_only = p
            .get("RecrawlPolicy")
            .and_then(|r| r.get("RecrawlBehavior"))
            .and_then(Value::as_str)
            == Some("CRAWL_NEW_FOLDERS_ONLY");
        // Crawling new folders only makes both behaviours LOG (Glue guide, "Incremental crawls").
        let update = match policy("UpdateBehavior").as_deref() {
            _ if new_folders_only => UpdateBehavior::Log,
            Some("LOG") => UpdateBehavior::Log,
            _ => UpdateBehavior::UpdateInDatabase,
        };
        let delete = match policy("DeleteBehavior").as_deref() {
            _ if new_folders_only => DeleteBehavior::Log,
            Some("LOG") => DeleteBehavior::Log,
            Some("DELETE_FROM_DATABASE") => DeleteBehavior::DeleteFromDatabase,
            _ => DeleteBehavior::DeprecateInDatabase,
        };
        let database = crawler.spec.database_name.clone().filter(|d| !d.is_empty());
        Some(CrawlPlan {
            targets,
            options: Options {
                crawler_name: crawler.name.clone(),
                table_prefix: p.get("TablePrefix").and_then(Value::as_str).unwrap_or("").to_string(),
                combine_compatible_schemas: grouping_policy(p.get("Configuration")).as_deref()
                    == Some("CombineCompatibleSchemas"),
            },
            database_named: database.is_some(),
            database: database.unwrap_or_else(|| DEFAULT_DATABASE.to_string()),
            update,
            delete,
        })
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// `Grouping.TableGroupingPolicy` of the crawler's `Configuration` (a JSON document in a string).
fn grouping_policy(configuration: Option<&Value>) -> Option<String> {
    let doc: Value = serde_json::from_str(configuration?.as_str()?).ok()?;
    Some(doc.get("Grouping")?.get("TableGroupingPolicy")?.as_str()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clock::Timestamp;
    use crate::engine::crawler::{CrawlerSpec, CrawlerState};

    fn crawler(passthrough: Value, database: Option<&str>) -> Crawler {
        Crawler {
            name: "c".into(),
            spec: CrawlerSpec {
                role: "r".into(),
                database_name: database.map(str::to_string),
                schedule: None,
                passthrough: passthrough.as_object().unwrap().clone(),
            },
            created_on: Timestamp::now(),
            last_updated: Timestamp::now(),
            version: 1,
            tags: Default::default(),
            state: CrawlerState::Ready,
            schedule_state: Default::default(),
            crawls: Vec::new(),
        }
    }

    #[test]
    fn reads_targets_policies_and_configuration() {
        let c = crawler(
            serde_json::json!({
                "Targets": {"S3Targets": [{"Path": "s3://b/raw/", "Exclusions": ["**.txt"]}], "JdbcTargets": [{"ConnectionName": "x"}]},
                "TablePrefix": "raw_",
                "SchemaChangePolicy": {"UpdateBehavior": "LOG", "DeleteBehavior": "DELETE_FROM_DATABASE"},
                "Configuration": "{\"Version\": 1.0, \"Grouping\": {\"TableGroupingPolicy\": \"CombineCompatibleSchemas\"}}"
            }),
            Some("db"),
        );
        let plan = CrawlPlan::of(&c).unwrap();
        assert_eq!(plan.targets[0].path, "s3://b/raw/");
        assert_eq!(plan.targets[0].exclusions, ["**.txt"]);
        assert_eq!(plan.options.table_prefix, "raw_");
        assert!(plan.options.combine_compatible_schemas);
        assert_eq!(
            (plan.update, plan.delete),
            (UpdateBehavior::Log, DeleteBehavior::DeleteFromDatabase)
        );
        assert_eq!((plan.database.as_str(), plan.database_named), ("db", true));
    }

    #[test]
    fn defaults_and_new_folders_only() {
        let c = crawler(
            serde_json::json!({"Targets": {"S3Targets": [{"Path": "s3://b/x"}]}}),
            None,
        );
        let plan = CrawlPlan::of(&c).unwrap();
        assert_eq!(
            (plan.update, plan.delete),
            (UpdateBehavior::UpdateInDatabase, DeleteBehavior::DeprecateInDatabase)
        );
        assert_eq!((plan.database.as_str(), plan.database_named), ("default", false));
        let c = crawler(
            serde_json::json!({"Targets": {"S3Targets": [{"Path": "s3://b/x"}]}, "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"}}),
            Some("db"),
        );
        let plan = CrawlPlan::of(&c).unwrap();
        assert_eq!((plan.update, plan.delete), (UpdateBehavior::Log, DeleteBehavior::Log));
        assert!(CrawlPlan::of(&crawler(serde_json::json!({"Targets": {"JdbcTargets": []}}), None)).is_none());
    }
}
