//! UpdatePartition, BatchUpdatePartition (an update may move a partition to new values) and the
//! put a crawl makes of the partitions it finds.

use super::super::{normalize, Partition};
use super::{already_exists, check_values, made, partition_not_found, PartitionSpec};
use crate::engine::clock::Timestamp;
use crate::engine::error::{Error, Result};
use crate::engine::region::Region;
use std::collections::BTreeMap;

/// What [`Region::put_partitions`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartitionsWritten {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Region {
    /// Replaces the partition of `values` (which may get new values); keeps its creation time.
    pub fn update_partition(&self, database: &str, table: &str, values: &[String], spec: PartitionSpec) -> Result<()> {
        match self
            .update_partitions(database, table, vec![(values.to_vec(), spec)])?
            .pop()
        {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Each update of BatchUpdatePartition, in one journal record; returns the values of those
    /// that could not be made, with why.
    pub fn update_partitions(
        &self,
        database: &str,
        table: &str,
        updates: Vec<(Vec<String>, PartitionSpec)>,
    ) -> Result<Vec<(Vec<String>, Error)>> {
        let (database, table) = (normalize(database), normalize(table));
        let mut catalog = self.catalog_write();
        let entry = catalog.table(&database, &table)?;
        // What the updates so far made of each partition they touched: None when moved away.
        let mut overlay: BTreeMap<Vec<String>, Option<Partition>> = BTreeMap::new();
        let mut errors = Vec::new();
        for (values, spec) in updates {
            let now_at = |v: &Vec<String>, overlay: &BTreeMap<Vec<String>, Option<Partition>>| match overlay.get(v) {
                Some(state) => state.clone(),
                None => entry.partitions.get(v).cloned(),
            };
            let Some(current) = now_at(&values, &overlay) else {
                errors.push((values, partition_not_found()));
                continue;
            };
            if let Err(e) = check_values(entry, &spec.values) {
                errors.push((values, e));
                continue;
            }
            if spec.values != values {
                if now_at(&spec.values, &overlay).is_some() {
                    errors.push((values, already_exists()));
                    continue;
                }
                overlay.insert(values, None);
            }
            let partition = made(spec, current.creation_time);
            overlay.insert(partition.values.clone(), Some(partition));
        }
        let mut put = Vec::new();
        let mut delete = Vec::new();
        for (values, state) in overlay {
            match state {
                Some(partition) => put.push(partition),
                None => delete.push(values),
            }
        }
        catalog.commit_partitions(database, table, put, delete)?;
        Ok(errors)
    }

    /// Creates the partitions that are new and replaces those whose definition differs (keeping
    /// their creation time): what a crawl does with the partitions it finds. One journal record.
    pub fn put_partitions(&self, database: &str, table: &str, specs: Vec<PartitionSpec>) -> Result<PartitionsWritten> {
        let (database, table) = (normalize(database), normalize(table));
        let mut catalog = self.catalog_write();
        let entry = catalog.table(&database, &table)?;
        let now = Timestamp::now();
        let mut written = PartitionsWritten::default();
        let mut put: BTreeMap<Vec<String>, Partition> = BTreeMap::new();
        for spec in specs {
            check_values(entry, &spec.values)?;
            let existing = put.get(&spec.values).or_else(|| entry.partitions.get(&spec.values));
            let partition = match existing {
                None => {
                    written.created += 1;
                    made(spec, now)
                }
                Some(p) => {
                    let replacement = made(spec, p.creation_time);
                    if replacement == *p {
                        written.unchanged += 1;
                        continue;
                    }
                    written.updated += 1;
                    replacement
                }
            };
            put.insert(partition.values.clone(), partition);
        }
        self.check_partition_room(entry, written.created)?;
        catalog.commit_partitions(database, table, put.into_values().collect(), Vec::new())?;
        Ok(written)
    }
}
