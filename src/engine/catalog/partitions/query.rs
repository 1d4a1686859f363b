//! GetPartitions: the partitions that match an `Expression` and a `Segment`, a page at a time in
//! the order of their values, scanning from the previous page's last partition on.

use super::super::{normalize, Partition};
use crate::engine::error::Result;
use crate::engine::partition_filter::PartitionFilter;
use crate::engine::region::Region;
use std::ops::Bound;

/// Which partitions GetPartitions returns, and where its page starts.
#[derive(Debug, Clone, Default)]
pub struct PartitionQuery<'a> {
    pub expression: Option<&'a str>,
    /// The values of the previous page's last partition.
    pub after: Option<Vec<String>>,
    pub max: usize,
    /// `(SegmentNumber, TotalSegments)`: only the partitions whose values hash to this segment.
    pub segment: Option<(u32, u32)>,
}

/// A page of partitions, in the order of their values; `more` when later ones may match too.
#[derive(Debug)]
pub struct PartitionPage {
    pub partitions: Vec<Partition>,
    pub more: bool,
}

/// The segment of `values`: a hash that does not change across restarts or versions.
fn segment_of(values: &[String], total: u32) -> u32 {
    let mut h = crc32fast::Hasher::new();
    for v in values {
        h.update(v.as_bytes());
        h.update(&[0]);
    }
    h.finalize() % total
}

impl Region {
    /// A page of the partitions that match the query's expression (compiled against the table's
    /// current partition keys) and segment, after its cursor.
    pub fn get_partitions(&self, database: &str, table: &str, query: PartitionQuery) -> Result<PartitionPage> {
        let catalog = self.catalog();
        let entry = catalog.table(&normalize(database), &normalize(table))?;
        let keys = &entry.current().spec.partition_keys;
        let filter = match query.expression {
            Some(e) => Some(PartitionFilter::compile(
                e,
                keys.iter()
                    .map(|k| (k.name.as_str(), k.column_type.as_deref().unwrap_or("string"))),
            )?),
            None => None,
        };
        let start = match &query.after {
            Some(after) => Bound::Excluded(after),
            None => Bound::Unbounded,
        };
        let mut partitions = Vec::new();
        for (values, partition) in entry.partitions.range::<Vec<String>, _>((start, Bound::Unbounded)) {
            if query.segment.is_some_and(|(n, total)| segment_of(values, total) != n) {
                continue;
            }
            if let Some(filter) = &filter {
                if !filter.matches(values)? {
                    continue;
                }
            }
            if partitions.len() == query.max {
                return Ok(PartitionPage { partitions, more: true });
            }
            partitions.push(partition.clone());
        }
        Ok(PartitionPage {
            partitions,
            more: false,
        })
    }
}
