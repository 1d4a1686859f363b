//! A table's partitions: CreatePartition and the batch calls, GetPartition, BatchGetPartition,
//! deletes; GetPartitions is in `query`, updates and the put a crawl needs in `write`.
//! A change journals the partitions it touches, never the table's others, so loading a
//! table partition by partition grows the journal linearly.

mod query;
#[cfg(test)]
mod tests;
mod write;

pub use query::PartitionQuery;

use super::{normalize, CatalogChange, CatalogWrite, Parameters, Partition, StorageDescriptor, TableEntry};
use crate::engine::clock::Timestamp;
use crate::engine::error::{Error, Result};
use crate::engine::job::Passthrough;
use crate::engine::quotas::check_room;
use crate::engine::region::Region;
use std::collections::BTreeMap;

/// What CreatePartition sets and UpdatePartition replaces (a PartitionInput).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartitionSpec {
    pub values: Vec<String>,
    pub storage_descriptor: Option<StorageDescriptor>,
    pub parameters: Parameters,
    /// LastAccessTime, LastAnalyzedTime, ... as given.
    pub passthrough: Passthrough,
}

pub(crate) fn partition_not_found() -> Error {
    Error::NotFound("Cannot find partition.".to_string())
}

pub(super) fn already_exists() -> Error {
    Error::AlreadyExists("Partition already exists.".to_string())
}

/// One value per partition key, as AWS requires of every partition.
pub(super) fn check_values(entry: &TableEntry, values: &[String]) -> Result<()> {
    if values.len() != entry.current().spec.partition_keys.len() {
        return Err(Error::InvalidInput(
            "The number of partition keys do not match the number of partition values".to_string(),
        ));
    }
    Ok(())
}

pub(super) fn made(spec: PartitionSpec, creation_time: Timestamp) -> Partition {
    Partition {
        values: spec.values,
        storage_descriptor: spec.storage_descriptor,
        parameters: spec.parameters,
        creation_time,
        passthrough: spec.passthrough,
    }
}

impl CatalogWrite<'_> {
    /// Journals and makes one change of a table's partitions; nothing when there is none.
    pub(super) fn commit_partitions(
        &mut self,
        database: String,
        table: String,
        put: Vec<Partition>,
        delete: Vec<Vec<String>>,
    ) -> Result<()> {
        if put.is_empty() && delete.is_empty() {
            return Ok(());
        }
        self.commit(CatalogChange::Partitions {
            database,
            table,
            put,
            delete,
        })
    }
}

impl Region {
    /// Room for `adding` more partitions in the table (AWS's "partitions per table" quota).
    pub(super) fn check_partition_room(&self, entry: &TableEntry, adding: usize) -> Result<()> {
        if adding == 0 {
            return Ok(());
        }
        check_room(
            "partitions-per-table",
            entry.partitions.len() + adding - 1,
            self.settings.quotas.partitions_per_table,
        )
    }

    pub fn create_partition(&self, database: &str, table: &str, spec: PartitionSpec) -> Result<()> {
        match self.create_partitions(database, table, vec![spec])?.pop() {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Creates each partition that is new and has one value per key, in one journal record;
    /// returns the values of the others with why. A missing database or table fails the call.
    pub fn create_partitions(
        &self,
        database: &str,
        table: &str,
        specs: Vec<PartitionSpec>,
    ) -> Result<Vec<(Vec<String>, Error)>> {
        let (database, table) = (normalize(database), normalize(table));
        let mut catalog = self.catalog_write();
        let entry = catalog.table(&database, &table)?;
        let now = Timestamp::now();
        let mut errors = Vec::new();
        let mut created: BTreeMap<Vec<String>, Partition> = BTreeMap::new();
        for spec in specs {
            let refused = match check_values(entry, &spec.values) {
                Err(e) => Some(e),
                Ok(()) if entry.partitions.contains_key(&spec.values) || created.contains_key(&spec.values) => {
                    Some(already_exists())
                }
                Ok(()) => None,
            };
            match refused {
                Some(e) => errors.push((spec.values, e)),
                None => {
                    created.insert(spec.values.clone(), made(spec, now));
                }
            }
        }
        self.check_partition_room(entry, created.len())?;
        catalog.commit_partitions(database, table, created.into_values().collect(), Vec::new())?;
        Ok(errors)
    }

    pub fn get_partition(&self, database: &str, table: &str, values: &[String]) -> Result<Partition> {
        let catalog = self.catalog();
        let entry = catalog.table(&normalize(database), &normalize(table))?;
        entry.partitions.get(values).cloned().ok_or_else(partition_not_found)
    }

    /// The partitions of these values that exist, in the order asked (AWS leaves out the others).
    pub fn get_partitions_by_values(
        &self,
        database: &str,
        table: &str,
        values: &[Vec<String>],
    ) -> Result<Vec<Partition>> {
        let catalog = self.catalog();
        let entry = catalog.table(&normalize(database), &normalize(table))?;
        Ok(values.iter().filter_map(|v| entry.partitions.get(v).cloned()).collect())
    }

    pub fn delete_partition(&self, database: &str, table: &str, values: &[String]) -> Result<()> {
        match self.delete_partitions(database, table, &[values.to_vec()])?.pop() {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Deletes each partition, in one journal record; returns the values of those not found.
    pub fn delete_partitions(
        &self,
        database: &str,
        table: &str,
        values: &[Vec<String>],
    ) -> Result<Vec<(Vec<String>, Error)>> {
        let (database, table) = (normalize(database), normalize(table));
        let mut catalog = self.catalog_write();
        let entry = catalog.table(&database, &table)?;
        let mut errors = Vec::new();
        let mut gone: Vec<Vec<String>> = Vec::new();
        for v in values {
            if entry.partitions.contains_key(v) && !gone.contains(v) {
                gone.push(v.clone());
            } else {
                errors.push((v.clone(), partition_not_found()));
            }
        }
        catalog.commit_partitions(database, table, Vec::new(), gone)?;
        Ok(errors)
    }
}
