//! CreateTable, GetTable(s), UpdateTable (a new version each time), DeleteTable,
//! BatchDeleteTable, and the create-or-update a crawl needs.

use super::{database_not_found, normalize, table_not_found, CatalogChange, NamePattern, Table, TableSpec};
use crate::engine::clock::Timestamp;
use crate::engine::error::{Error, Result};
use crate::engine::quotas::check_room;
use crate::engine::region::Region;

/// How UpdateTable treats the version it replaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateOptions {
    /// Drop the current version instead of keeping it as an old one.
    pub skip_archive: bool,
    /// Refuse the update unless this is the current version (optimistic locking).
    pub expected_version: Option<u64>,
}

/// What [`Region::put_table`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableWritten {
    Created,
    Updated,
    /// The table was already so; nothing changed.
    Unchanged,
}

impl Region {
    pub fn create_table(&self, database: &str, name: &str, spec: TableSpec) -> Result<()> {
        let (database, name) = (normalize(database), normalize(name));
        let mut catalog = self.catalog_write();
        let db = catalog.database(&database)?;
        if db.tables.contains_key(&name) {
            return Err(Error::AlreadyExists("Table already exists.".to_string()));
        }
        let quotas = &self.settings.quotas;
        check_room("tables-per-database", db.tables.len(), quotas.tables_per_database)?;
        check_room("tables", catalog.tables, quotas.tables)?;
        check_room("table-versions", catalog.versions, quotas.table_versions)?;
        let now = Timestamp::now();
        let table = Table {
            name,
            database_name: database,
            spec,
            create_time: now,
            update_time: now,
            version_id: 1,
        };
        catalog.commit(CatalogChange::PutTable {
            table: Box::new(table),
            drop: None,
        })
    }

    pub fn get_table(&self, database: &str, name: &str) -> Result<Table> {
        Ok(self
            .catalog()
            .table(&normalize(database), &normalize(name))?
            .current()
            .clone())
    }

    /// The database's tables whose names match `pattern` (all without one), by name.
    pub fn tables(&self, database: &str, pattern: Option<&NamePattern>) -> Result<Vec<Table>> {
        self.tables_after(database, pattern, None, usize::MAX)
    }

    /// At most `limit` of those tables, the first after the name `after`: a page costs
    /// what it holds, not what the database holds.
    pub fn tables_after(
        &self,
        database: &str,
        pattern: Option<&NamePattern>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Table>> {
        use std::ops::Bound::{Excluded, Unbounded};
        let catalog = self.catalog();
        let db = catalog.database(&normalize(database))?;
        let start = after.map_or(Unbounded, |a| Excluded(a.to_string()));
        Ok(db
            .tables
            .range((start, Unbounded))
            .filter(|(name, _)| pattern.is_none_or(|p| p.matches(name)))
            .take(limit)
            .map(|(_, entry)| entry.current().clone())
            .collect())
    }

    /// Replaces the table's definition with a new version; returns its version id.
    pub fn update_table(&self, database: &str, name: &str, spec: TableSpec, options: UpdateOptions) -> Result<u64> {
        let (database, name) = (normalize(database), normalize(name));
        let mut catalog = self.catalog_write();
        let entry = catalog.table(&database, &name)?;
        let current = entry.current();
        if let Some(expected) = options.expected_version {
            if expected != current.version_id {
                return Err(Error::ConcurrentModification(format!(
                    "Table {name} is at version {}, not {expected}.",
                    current.version_id
                )));
            }
        }
        if !options.skip_archive {
            let quotas = &self.settings.quotas;
            check_room("versions-per-table", entry.versions.len(), quotas.versions_per_table)?;
            check_room("table-versions", catalog.versions, quotas.table_versions)?;
        }
        let table = Table {
            spec,
            update_time: Timestamp::now(),
            version_id: current.version_id + 1,
            ..current.clone()
        };
        let drop = options.skip_archive.then_some(current.version_id);
        let version = table.version_id;
        catalog.commit(CatalogChange::PutTable {
            table: Box::new(table),
            drop,
        })?;
        Ok(version)
    }

    /// Creates the table, or updates it (keeping the old version) when its
    /// definition differs: what a crawl does with each table it infers.
    pub fn put_table(&self, database: &str, name: &str, spec: TableSpec) -> Result<TableWritten> {
        match self.get_table(database, name) {
            Err(Error::NotFound(_)) => self.create_table(database, name, spec).map(|()| TableWritten::Created),
            Err(e) => Err(e),
            Ok(table) if table.spec == spec => Ok(TableWritten::Unchanged),
            Ok(_) => self
                .update_table(database, name, spec, UpdateOptions::default())
                .map(|_| TableWritten::Updated),
        }
    }

    pub fn delete_table(&self, database: &str, name: &str) -> Result<()> {
        let (database, name) = (normalize(database), normalize(name));
        let mut catalog = self.catalog_write();
        catalog.table(&database, &name)?;
        catalog.commit(CatalogChange::DeleteTable { database, name })
    }

    /// Deletes each table; returns the names that could not be, with why.
    /// A missing database fails the whole call.
    pub fn delete_tables(&self, database: &str, names: &[String]) -> Result<Vec<(String, Error)>> {
        let database = normalize(database);
        if !self.catalog().databases.contains_key(&database) {
            return Err(database_not_found(&database));
        }
        let mut errors = Vec::new();
        for name in names {
            match self.delete_table(&database, name) {
                Ok(()) => {}
                Err(Error::NotFound(_)) => errors.push((name.clone(), table_not_found(&database, &normalize(name)))),
                Err(e) => errors.push((name.clone(), e)),
            }
        }
        Ok(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::catalog::DatabaseSpec;

    fn region() -> Region {
        let region = Region::new("1", "r", Default::default(), None);
        region
            .create_database("db", DatabaseSpec::default(), Default::default())
            .unwrap();
        region
    }

    fn described(d: &str) -> TableSpec {
        TableSpec {
            description: Some(d.to_string()),
            ..TableSpec::default()
        }
    }

    #[test]
    fn updates_make_versions_unless_skip_archive() {
        let region = region();
        region.create_table("db", "Events", described("a")).unwrap();
        assert_eq!(region.get_table("DB", "events").unwrap().version_id, 1);
        let v = region
            .update_table("db", "events", described("b"), UpdateOptions::default())
            .unwrap();
        assert_eq!(v, 2);
        let skip = UpdateOptions {
            skip_archive: true,
            expected_version: Some(2),
        };
        assert_eq!(region.update_table("db", "events", described("c"), skip).unwrap(), 3);
        let versions: Vec<u64> = region
            .table_versions("db", "events")
            .unwrap()
            .iter()
            .map(|t| t.version_id)
            .collect();
        assert_eq!(versions, [3, 1]);
        let stale = UpdateOptions {
            skip_archive: false,
            expected_version: Some(2),
        };
        assert!(matches!(
            region.update_table("db", "events", described("d"), stale),
            Err(Error::ConcurrentModification(_))
        ));
        let created_on = region.get_table("db", "events").unwrap().create_time;
        assert_eq!(
            region.get_table_version("db", "events", 1).unwrap().create_time,
            created_on
        );
    }

    #[test]
    fn account_quotas_count_every_database() {
        let mut settings = crate::engine::Settings::default();
        settings.quotas.tables = 2;
        settings.quotas.versions_per_table = 2;
        let region = Region::new("1", "r", std::sync::Arc::new(settings), None);
        for db in ["a", "b"] {
            region
                .create_database(db, DatabaseSpec::default(), Default::default())
                .unwrap();
        }
        region.create_table("a", "t1", TableSpec::default()).unwrap();
        region.create_table("b", "t2", TableSpec::default()).unwrap();
        assert!(matches!(
            region.create_table("b", "t3", TableSpec::default()),
            Err(Error::ResourceNumberLimitExceeded(_))
        ));
        region
            .update_table("a", "t1", described("b"), UpdateOptions::default())
            .unwrap();
        assert!(matches!(
            region.update_table("a", "t1", described("c"), UpdateOptions::default()),
            Err(Error::ResourceNumberLimitExceeded(_))
        ));
        let skip = UpdateOptions {
            skip_archive: true,
            expected_version: None,
        };
        region.update_table("a", "t1", described("c"), skip).unwrap();
    }

    #[test]
    fn put_table_creates_updates_or_leaves_alone() {
        let region = region();
        assert_eq!(
            region.put_table("db", "t", described("a")).unwrap(),
            TableWritten::Created
        );
        assert_eq!(
            region.put_table("db", "t", described("a")).unwrap(),
            TableWritten::Unchanged
        );
        assert_eq!(
            region.put_table("db", "t", described("b")).unwrap(),
            TableWritten::Updated
        );
        assert_eq!(region.get_table("db", "t").unwrap().version_id, 2);
        assert!(matches!(
            region.put_table("nodb", "t", described("a")),
            Err(Error::NotFound(_))
        ));
    }

    #[test]
    fn tables_filter_by_pattern_and_batch_delete_reports_missing() {
        let region = region();
        for name in ["sales_2023", "sales_2024", "users"] {
            region.create_table("db", name, TableSpec::default()).unwrap();
        }
        let pattern = NamePattern::parse("sales*").unwrap();
        let names: Vec<String> = region
            .tables("db", Some(&pattern))
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["sales_2023", "sales_2024"]);
        let after = region.tables_after("db", None, Some("sales_2023"), 1).unwrap();
        assert_eq!(
            after.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["sales_2024"]
        );
        let errors = region
            .delete_tables("db", &["USERS".to_string(), "nope".to_string()])
            .unwrap();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "nope");
        assert_eq!(region.tables("db", None).unwrap().len(), 2);
        assert!(matches!(region.delete_tables("nodb", &[]), Err(Error::NotFound(_))));
    }
}
