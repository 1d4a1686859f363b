//! The Data Catalog of one (account, region): databases, their tables with every
//! kept version, and each table's partitions. Names are stored lowercase, as Glue
//! stores them (Hive compatibility); lookups lowercase the name asked for.
//!
//! The catalog has its own lock (not the definitions'): catalog calls and crawls
//! writing tables do not wait for workflow changes, nor these for them. It changes
//! only through [`CatalogWrite::commit`], which journals the change first.

mod databases;
mod name_pattern;
mod partitions;
mod search;
mod tables;
mod versions;

pub use name_pattern::NamePattern;
pub use partitions::{PartitionQuery, PartitionSpec};
pub use search::{SearchFilter, SearchQuery, SortField};
pub use tables::{TableWritten, UpdateOptions};

use super::clock::Timestamp;
use super::error::Result;
use super::job::Passthrough;
use super::region::Region;
use super::workflow::Tags;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{RwLockReadGuard, RwLockWriteGuard};

pub type Parameters = BTreeMap<String, String>;

/// Glue's (Hive's) form of a database or table name.
pub fn normalize(name: &str) -> String {
    name.to_lowercase()
}

/// What CreateDatabase sets and UpdateDatabase replaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSpec {
    pub description: Option<String>,
    pub location_uri: Option<String>,
    pub parameters: Parameters,
    /// Members stored and returned as given (CreateTableDefaultPermissions, TargetDatabase, ...).
    pub passthrough: Passthrough,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Database {
    /// Lowercase.
    pub name: String,
    pub spec: DatabaseSpec,
    pub create_time: Timestamp,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub column_type: Option<String>,
    pub comment: Option<String>,
    pub parameters: Parameters,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SerDeInfo {
    pub name: Option<String>,
    pub serialization_library: Option<String>,
    pub parameters: Parameters,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageDescriptor {
    pub columns: Vec<Column>,
    /// `s3://bucket/prefix/` for tables that crawlers write.
    pub location: Option<String>,
    pub input_format: Option<String>,
    pub output_format: Option<String>,
    pub compressed: Option<bool>,
    pub number_of_buckets: Option<i32>,
    pub serde_info: Option<SerDeInfo>,
    pub parameters: Parameters,
    /// BucketColumns, SortColumns, SkewedInfo, ... as given.
    pub passthrough: Passthrough,
}

/// What CreateTable sets and UpdateTable replaces (a TableInput without its name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableSpec {
    pub description: Option<String>,
    pub owner: Option<String>,
    /// EXTERNAL_TABLE, VIRTUAL_VIEW, GOVERNED, ...
    pub table_type: Option<String>,
    pub storage_descriptor: Option<StorageDescriptor>,
    pub partition_keys: Vec<Column>,
    pub parameters: Parameters,
    /// Retention, LastAccessTime, ViewOriginalText, TargetTable, ... as given.
    pub passthrough: Passthrough,
}

/// One version of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Lowercase.
    pub name: String,
    /// Lowercase.
    pub database_name: String,
    pub spec: TableSpec,
    pub create_time: Timestamp,
    pub update_time: Timestamp,
    /// 1 for the version CreateTable made, one more for each UpdateTable.
    pub version_id: u64,
}

/// One partition: the values of the table's partition keys, in their order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partition {
    pub values: Vec<String>,
    pub storage_descriptor: Option<StorageDescriptor>,
    pub parameters: Parameters,
    pub creation_time: Timestamp,
    /// LastAccessTime, LastAnalyzedTime, ... as given.
    pub passthrough: Passthrough,
}

/// A table: its versions (the newest is the table) and its partitions by values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableEntry {
    #[serde(with = "as_list::versions")]
    pub versions: BTreeMap<u64, Table>,
    #[serde(with = "as_list::partitions", default)]
    pub partitions: BTreeMap<Vec<String>, Partition>,
}

impl TableEntry {
    /// The current version.
    pub fn current(&self) -> &Table {
        // An entry always keeps its current version (it cannot be deleted).
        self.versions
            .values()
            .next_back()
            .expect("a table has a current version")
    }
}

/// A database and its tables by name.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseEntry {
    pub database: Database,
    pub tables: BTreeMap<String, TableEntry>,
}

/// The databases by name, and how many tables and table versions they hold in all
/// (for the account-wide quotas).
#[derive(Debug, Default)]
pub struct Catalog {
    pub databases: BTreeMap<String, DatabaseEntry>,
    pub(crate) tables: usize,
    pub(crate) versions: usize,
}

/// A change to the catalog: the record journaled for it, and what replaying it does.
/// One record per database, table version or table, never the whole catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum CatalogChange {
    PutDatabase {
        database: Database,
    },
    /// Deletes its tables too.
    DeleteDatabase {
        name: String,
    },
    /// Makes `table` the current version (a new one, or one of the same id), and
    /// drops the version `drop` (UpdateTable's SkipArchive).
    PutTable {
        table: Box<Table>,
        drop: Option<u64>,
    },
    DeleteTable {
        database: String,
        name: String,
    },
    DeleteTableVersions {
        database: String,
        table: String,
        versions: Vec<u64>,
    },
    /// Puts and deletes partitions of one table (one call's worth, never the table's others).
    Partitions {
        database: String,
        table: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        put: Vec<Partition>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        delete: Vec<Vec<String>>,
    },
    /// A whole table with its versions and partitions, as a snapshot holds it.
    RestoreTable {
        database: String,
        entry: TableEntry,
    },
}

impl Catalog {
    pub(crate) fn apply(&mut self, change: CatalogChange) {
        match change {
            CatalogChange::PutDatabase { database } => {
                let name = database.name.clone();
                match self.databases.get_mut(&name) {
                    Some(entry) => entry.database = database,
                    None => {
                        self.databases.insert(
                            name,
                            DatabaseEntry {
                                database,
                                tables: BTreeMap::new(),
                            },
                        );
                    }
                }
            }
            CatalogChange::DeleteDatabase { name } => {
                if let Some(db) = self.databases.remove(&name) {
                    db.tables.values().for_each(|t| self.untally(Some(t)));
                }
            }
            CatalogChange::PutTable { table, drop } => {
                let Some(db) = self.databases.get_mut(&table.database_name) else {
                    return;
                };
                let entry = db.tables.entry(table.name.clone()).or_insert_with(|| TableEntry {
                    versions: BTreeMap::new(),
                    partitions: BTreeMap::new(),
                });
                let before = (entry.versions.is_empty(), entry.versions.len());
                if let Some(old) = drop {
                    entry.versions.remove(&old);
                }
                entry.versions.insert(table.version_id, *table);
                self.tables += usize::from(before.0);
                self.versions = self.versions + entry.versions.len() - before.1;
            }
            CatalogChange::DeleteTable { database, name } => {
                let removed = self.databases.get_mut(&database).and_then(|db| db.tables.remove(&name));
                self.untally(removed.as_ref());
            }
            CatalogChange::DeleteTableVersions {
                database,
                table,
                versions,
            } => {
                if let Some(entry) = self.databases.get_mut(&database).and_then(|d| d.tables.get_mut(&table)) {
                    for v in versions {
                        if entry.versions.len() > 1 && entry.versions.remove(&v).is_some() {
                            self.versions -= 1;
                        }
                    }
                }
            }
            CatalogChange::Partitions {
                database,
                table,
                put,
                delete,
            } => {
                if let Some(entry) = self.databases.get_mut(&database).and_then(|d| d.tables.get_mut(&table)) {
                    for values in delete {
                        entry.partitions.remove(&values);
                    }
                    for partition in put {
                        entry.partitions.insert(partition.values.clone(), partition);
                    }
                }
            }
            CatalogChange::RestoreTable { database, entry } => {
                let Some(db) = self.databases.get_mut(&database) else {
                    return;
                };
                if entry.versions.is_empty() {
                    return;
                }
                let added = entry.versions.len();
                let replaced = db.tables.insert(entry.current().name.clone(), entry);
                self.untally(replaced.as_ref());
                self.tables += 1;
                self.versions += added;
            }
        }
    }

    /// Stops counting a table that is gone.
    fn untally(&mut self, gone: Option<&TableEntry>) {
        if let Some(entry) = gone {
            self.tables -= 1;
            self.versions -= entry.versions.len();
        }
    }

    /// The changes that rebuild this catalog, database by database, for a snapshot.
    pub(crate) fn snapshot(&self) -> impl Iterator<Item = CatalogChange> + '_ {
        self.databases.values().flat_map(|db| {
            std::iter::once(CatalogChange::PutDatabase {
                database: db.database.clone(),
            })
            .chain(db.tables.values().map(|entry| CatalogChange::RestoreTable {
                database: db.database.name.clone(),
                entry: entry.clone(),
            }))
        })
    }

    pub(crate) fn database(&self, name: &str) -> Result<&DatabaseEntry> {
        self.databases.get(name).ok_or_else(|| database_not_found(name))
    }

    pub(crate) fn table(&self, database: &str, name: &str) -> Result<&TableEntry> {
        self.database(database)?
            .tables
            .get(name)
            .ok_or_else(|| table_not_found(database, name))
    }
}

pub(crate) fn database_not_found(name: &str) -> super::Error {
    super::Error::NotFound(format!("Database {name} not found."))
}

pub(crate) fn table_not_found(database: &str, name: &str) -> super::Error {
    super::Error::NotFound(format!("Table {name} not found in database {database}."))
}

/// Write access to a region's catalog: changes go through [`CatalogWrite::commit`].
pub(crate) struct CatalogWrite<'a> {
    region: &'a Region,
    guard: RwLockWriteGuard<'a, Catalog>,
}

impl Deref for CatalogWrite<'_> {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        &self.guard
    }
}

impl CatalogWrite<'_> {
    /// Saves the change (with `--state-dir`), then makes it; unsaved changes are not made.
    pub(crate) fn commit(&mut self, change: CatalogChange) -> Result<()> {
        self.region.journal_catalog_change(&change)?;
        self.guard.apply(change);
        Ok(())
    }
}

impl Region {
    pub(crate) fn catalog(&self) -> RwLockReadGuard<'_, Catalog> {
        self.catalog.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn catalog_write(&self) -> CatalogWrite<'_> {
        CatalogWrite {
            region: self,
            guard: self.catalog.write().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Sets the catalog rebuilt from the state dir (which journals nothing).
    pub(crate) fn replace_catalog(&self, catalog: Catalog) {
        *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = catalog;
    }
}

/// Maps keyed by what their values hold, written as lists (JSON keys are strings).
mod as_list {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    fn write<K, V: Serialize, S: Serializer>(map: &BTreeMap<K, V>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.values())
    }

    pub mod versions {
        use super::super::Table;
        use super::*;
        pub fn serialize<S: Serializer>(m: &BTreeMap<u64, Table>, s: S) -> Result<S::Ok, S::Error> {
            write(m, s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<u64, Table>, D::Error> {
            Ok(Vec::<Table>::deserialize(d)?
                .into_iter()
                .map(|t| (t.version_id, t))
                .collect())
        }
    }

    pub mod partitions {
        use super::super::Partition;
        use super::*;
        pub fn serialize<S: Serializer>(m: &BTreeMap<Vec<String>, Partition>, s: S) -> Result<S::Ok, S::Error> {
            write(m, s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<Vec<String>, Partition>, D::Error> {
            Ok(Vec::<Partition>::deserialize(d)?
                .into_iter()
                .map(|p| (p.values.clone(), p))
                .collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, version_id: u64) -> Box<Table> {
        Box::new(Table {
            name: name.to_string(),
            database_name: "db".to_string(),
            spec: TableSpec::default(),
            create_time: Timestamp(0),
            update_time: Timestamp(0),
            version_id,
        })
    }

    #[test]
    fn the_counts_follow_every_change() {
        let mut catalog = Catalog::default();
        let database = Database {
            name: "db".to_string(),
            spec: DatabaseSpec::default(),
            create_time: Timestamp(0),
            tags: Tags::new(),
        };
        let restored = TableEntry {
            versions: [(1, *table("r", 1)), (2, *table("r", 2))].into(),
            partitions: BTreeMap::new(),
        };
        let changes = [
            CatalogChange::PutDatabase { database },
            CatalogChange::PutTable {
                table: table("a", 1),
                drop: None,
            },
            CatalogChange::PutTable {
                table: table("a", 2),
                drop: None,
            },
            CatalogChange::PutTable {
                table: table("a", 3),
                drop: Some(2),
            },
            CatalogChange::PutTable {
                table: table("b", 1),
                drop: None,
            },
            CatalogChange::DeleteTableVersions {
                database: "db".to_string(),
                table: "a".to_string(),
                versions: vec![1, 7],
            },
            CatalogChange::RestoreTable {
                database: "db".to_string(),
                entry: restored.clone(),
            },
            CatalogChange::RestoreTable {
                database: "db".to_string(),
                entry: restored,
            },
            CatalogChange::DeleteTable {
                database: "db".to_string(),
                name: "b".to_string(),
            },
        ];
        let recount = |c: &Catalog| {
            let tables = c.databases.values().flat_map(|d| d.tables.values());
            (tables.clone().count(), tables.map(|t| t.versions.len()).sum::<usize>())
        };
        for change in changes {
            catalog.apply(change);
            assert_eq!((catalog.tables, catalog.versions), recount(&catalog));
        }
        assert_eq!((catalog.tables, catalog.versions), (2, 3));
        catalog.apply(CatalogChange::DeleteDatabase { name: "db".to_string() });
        assert_eq!((catalog.tables, catalog.versions), (0, 0));
    }
}
