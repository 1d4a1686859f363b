//! GetTableVersion, GetTableVersions, DeleteTableVersion, BatchDeleteTableVersion.

use super::{normalize, CatalogChange, Table};
use crate::engine::error::{Error, Result};
use crate::engine::region::Region;

impl Region {
    /// The table's versions, newest (the current one) first.
    pub fn table_versions(&self, database: &str, name: &str) -> Result<Vec<Table>> {
        let catalog = self.catalog();
        let entry = catalog.table(&normalize(database), &normalize(name))?;
        Ok(entry.versions.values().rev().cloned().collect())
    }

    pub fn get_table_version(&self, database: &str, name: &str, version: u64) -> Result<Table> {
        let catalog = self.catalog();
        let entry = catalog.table(&normalize(database), &normalize(name))?;
        entry
            .versions
            .get(&version)
            .cloned()
            .ok_or_else(|| version_not_found(name, version))
    }

    /// Deletes the versions; returns those that could not be, with why. The
    /// current version cannot be deleted (DeleteTable deletes the table).
    pub fn delete_table_versions(&self, database: &str, name: &str, versions: &[u64]) -> Result<Vec<(u64, Error)>> {
        let (database, name) = (normalize(database), normalize(name));
        let mut catalog = self.catalog_write();
        let entry = catalog.table(&database, &name)?;
        let current = entry.current().version_id;
        let mut errors = Vec::new();
        let mut deleted = Vec::new();
        for &v in versions {
            if v == current {
                errors.push((
                    v,
                    Error::InvalidInput(format!(
                        "Version {v} is the current version of table {name} and cannot be deleted."
                    )),
                ));
            } else if !entry.versions.contains_key(&v) {
                errors.push((v, version_not_found(&name, v)));
            } else if !deleted.contains(&v) {
                deleted.push(v);
            }
        }
        if !deleted.is_empty() {
            catalog.commit(CatalogChange::DeleteTableVersions {
                database,
                table: name,
                versions: deleted,
            })?;
        }
        Ok(errors)
    }
}

fn version_not_found(table: &str, version: u64) -> Error {
    Error::NotFound(format!("Version {version} of table {table} not found."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::catalog::UpdateOptions;

    #[test]
    fn the_current_version_stays() {
        let region = Region::new("1", "r", Default::default(), None);
        region
            .create_database("db", Default::default(), Default::default())
            .unwrap();
        region.create_table("db", "t", Default::default()).unwrap();
        for _ in 0..2 {
            region
                .update_table("db", "t", Default::default(), UpdateOptions::default())
                .unwrap();
        }
        let errors = region.delete_table_versions("db", "t", &[1, 3, 9]).unwrap();
        let failed: Vec<u64> = errors.iter().map(|(v, _)| *v).collect();
        assert_eq!(failed, [3, 9]);
        assert!(matches!(errors[0].1, Error::InvalidInput(_)));
        assert!(matches!(errors[1].1, Error::NotFound(_)));
        let left: Vec<u64> = region
            .table_versions("db", "t")
            .unwrap()
            .iter()
            .map(|t| t.version_id)
            .collect();
        assert_eq!(left, [3, 2]);
        assert!(matches!(
            region.get_table_version("db", "t", 1),
            Err(Error::NotFound(_))
        ));
    }
}
