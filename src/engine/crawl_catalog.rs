//! What a crawl writes to the Data Catalog (Glue guide, "Setting crawler configuration options"):
//! new tables and partitions are always created; a table or partition that exists is updated with
//! UPDATE_IN_DATABASE and left alone with LOG; a table the crawler wrote before whose files are
//! gone is deleted (DELETE_FROM_DATABASE), marked `DEPRECATED_BY_CRAWLER` (DEPRECATE_IN_DATABASE)
//! or left (LOG), and so are (deleted or left) the partitions of its tables whose folders are gone.

use super::catalog::{self, PartitionSpec, SerDeInfo, StorageDescriptor, Table, TableSpec, TableWritten};
use super::crawl::{self, InferredTable};
use super::crawler::CrawlSummary;
use super::crawler_plan::{CrawlPlan, DeleteBehavior, UpdateBehavior};
use super::error::{Error, Result};
use super::region::Region;
use std::collections::HashSet;

/// The table parameter naming the crawler that deprecated a table.
const DEPRECATED_BY: &str = "DEPRECATED_BY_CRAWLER";

impl Region {
    pub(crate) fn write_crawled(&self, plan: &CrawlPlan, tables: Vec<InferredTable>) -> Result<CrawlSummary> {
        let db = &plan.database;
        let mut summary = CrawlSummary::default();
        let mut written = HashSet::new();
        for t in &tables {
            written.insert(catalog::normalize(&t.name));
            let spec = table_spec(t);
            match self.get_table(db, &t.name) {
                Err(Error::NotFound(_)) => {
                    self.create_table(db, &t.name, spec)?;
                    summary.tables_created += 1;
                }
                Err(e) => return Err(e),
                Ok(_) if plan.update == UpdateBehavior::Log => {}
                Ok(_) => {
                    if self.put_table(db, &t.name, spec)? == TableWritten::Updated {
                        summary.tables_updated += 1;
                    }
                }
            }
            self.write_partitions(plan, t, &mut summary)?;
        }
        for gone in self.tables(db, None)? {
            if written.contains(&gone.name) || !crawled_by(&gone, plan) {
                continue;
            }
            match plan.delete {
                DeleteBehavior::DeleteFromDatabase => {
                    self.delete_table(db, &gone.name)?;
                    summary.tables_deleted += 1;
                }
                DeleteBehavior::DeprecateInDatabase if !gone.spec.parameters.contains_key(DEPRECATED_BY) => {
                    let mut spec = gone.spec.clone();
                    spec.parameters
                        .insert(DEPRECATED_BY.into(), plan.options.crawler_name.clone());
                    self.update_table(db, &gone.name, spec, Default::default())?;
                    summary.tables_updated += 1;
                }
                DeleteBehavior::DeprecateInDatabase | DeleteBehavior::Log => {}
            }
        }
        Ok(summary)
    }
}

impl Region {
    /// The table's partitions: new ones created, existing ones updated (UPDATE_IN_DATABASE) and
    /// those no longer found deleted (DELETE_FROM_DATABASE). Partitions whose values do not fit the
    /// table's keys (a table left as it was, with other keys) are left out.
    fn write_partitions(&self, plan: &CrawlPlan, t: &InferredTable, summary: &mut CrawlSummary) -> Result<()> {
        let db = &plan.database;
        let (keys, existing): (usize, HashSet<Vec<String>>) = {
            let catalog = self.catalog();
            let entry = catalog.table(&catalog::normalize(db), &catalog::normalize(&t.name))?;
            (
                entry.current().spec.partition_keys.len(),
                entry.partitions.keys().cloned().collect(),
            )
        };
        let specs: Vec<PartitionSpec> = t
            .partitions
            .iter()
            .filter(|p| p.values.len() == keys)
            .filter(|p| plan.update == UpdateBehavior::UpdateInDatabase || !existing.contains(&p.values))
            .map(|p| PartitionSpec {
                values: p.values.clone(),
                storage_descriptor: Some(storage_descriptor(&p.storage, &p.columns, &p.location, &p.parameters)),
                parameters: p.parameters.clone(),
                passthrough: Default::default(),
            })
            .collect();
        if !specs.is_empty() {
            let written = self.put_partitions(db, &t.name, specs)?;
            summary.partitions_created += count(written.created);
            summary.partitions_updated += count(written.updated);
        }
        if plan.delete == DeleteBehavior::DeleteFromDatabase {
            let found: HashSet<&Vec<String>> = t.partitions.iter().map(|p| &p.values).collect();
            let gone: Vec<Vec<String>> = existing.into_iter().filter(|v| !found.contains(v)).collect();
            if !gone.is_empty() {
                self.delete_partitions(db, &t.name, &gone)?;
                summary.partitions_deleted += count(gone.len());
            }
        }
        Ok(())
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A table this crawler wrote, under one of its include paths.
fn crawled_by(table: &Table, plan: &CrawlPlan) -> bool {
    let by_this = table.spec.parameters.get("UPDATED_BY_CRAWLER") == Some(&plan.options.crawler_name);
    let location = table
        .spec
        .storage_descriptor
        .as_ref()
        .and_then(|sd| sd.location.as_deref())
        .unwrap_or("");
    by_this
        && plan.targets.iter().any(|t| {
            let root = t.path.trim_end_matches('/');
            location == root || location.starts_with(&format!("{root}/"))
        })
}

/// The table as Glue's crawler writes it: an `EXTERNAL_TABLE` whose storage descriptor carries the
/// same parameters as the table.
fn table_spec(t: &InferredTable) -> TableSpec {
    let storage = storage_descriptor(&t.storage, &t.columns, &t.location, &t.parameters);
    let mut passthrough = serde_json::Map::new();
    passthrough.insert("Retention".into(), 0.into());
    TableSpec {
        description: None,
        owner: Some("owner".into()),
        table_type: Some("EXTERNAL_TABLE".into()),
        storage_descriptor: Some(storage),
        partition_keys: t.partition_keys.iter().map(column).collect(),
        parameters: t.parameters.clone(),
        passthrough,
    }
}

pub(crate) fn storage_descriptor(
    storage: &crawl::Storage,
    columns: &[crawl::Column],
    location: &str,
    parameters: &catalog::Parameters,
) -> StorageDescriptor {
    let mut passthrough = serde_json::Map::new();
    passthrough.insert("BucketColumns".into(), serde_json::json!([]));
    passthrough.insert("SortColumns".into(), serde_json::json!([]));
    passthrough.insert("StoredAsSubDirectories".into(), false.into());
    StorageDescriptor {
        columns: columns.iter().map(column).collect(),
        location: Some(location.to_string()),
        input_format: storage.input_format.clone(),
        output_format: storage.output_format.clone(),
        compressed: Some(false),
        number_of_buckets: Some(-1),
        serde_info: Some(SerDeInfo {
            name: None,
            serialization_library: storage.serialization_library.clone(),
            parameters: storage.serde_parameters.clone(),
        }),
        parameters: parameters.clone(),
        passthrough,
    }
}

fn column(c: &crawl::Column) -> catalog::Column {
    catalog::Column {
        name: c.name.clone(),
        column_type: Some(c.type_name.clone()),
        comment: None,
        parameters: Default::default(),
    }
}
