//! CreateDatabase, GetDatabase(s), UpdateDatabase, DeleteDatabase, and the
//! create-if-missing a crawl needs.

use super::{database_not_found, normalize, CatalogChange, Database, DatabaseSpec};
use crate::engine::clock::Timestamp;
use crate::engine::error::{Error, Result};
use crate::engine::quotas::check_room;
use crate::engine::region::Region;
use crate::engine::workflow::Tags;

impl Region {
    pub fn create_database(&self, name: &str, spec: DatabaseSpec, tags: Tags) -> Result<()> {
        let name = normalize(name);
        let mut catalog = self.catalog_write();
        if catalog.databases.contains_key(&name) {
            return Err(Error::AlreadyExists("Database already exists.".to_string()));
        }
        check_room("databases", catalog.databases.len(), self.settings.quotas.databases)?;
        let database = Database {
            name,
            spec,
            create_time: Timestamp::now(),
            tags,
        };
        catalog.commit(CatalogChange::PutDatabase { database })
    }

    /// Creates the database unless it exists; says whether it did (for crawlers).
    pub fn ensure_database(&self, name: &str) -> Result<bool> {
        match self.create_database(name, DatabaseSpec::default(), Tags::new()) {
            Ok(()) => Ok(true),
            Err(Error::AlreadyExists(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub fn get_database(&self, name: &str) -> Result<Database> {
        Ok(self.catalog().database(&normalize(name))?.database.clone())
    }

    /// Every database, by name.
    pub fn databases(&self) -> Vec<Database> {
        self.catalog().databases.values().map(|d| d.database.clone()).collect()
    }

    /// Replaces the database's definition; `new_name` must be its name (no renames).
    pub fn update_database(&self, name: &str, new_name: &str, spec: DatabaseSpec) -> Result<()> {
        let name = normalize(name);
        let mut catalog = self.catalog_write();
        let mut database = catalog.database(&name)?.database.clone();
        if normalize(new_name) != name {
            return Err(Error::InvalidInput(format!(
                "Database {name} cannot be renamed to {new_name} (glue-local does not rename databases)."
            )));
        }
        database.spec = spec;
        catalog.commit(CatalogChange::PutDatabase { database })
    }

    /// Changes the database's tags (TagResource, UntagResource).
    pub(crate) fn retag_database(&self, name: &str, f: impl FnOnce(&mut Tags)) -> Result<()> {
        let name = normalize(name);
        let mut catalog = self.catalog_write();
        let mut database = catalog.database(&name)?.database.clone();
        f(&mut database.tags);
        catalog.commit(CatalogChange::PutDatabase { database })
    }

    /// Deletes the database and its tables.
    pub fn delete_database(&self, name: &str) -> Result<()> {
        let name = normalize(name);
        let mut catalog = self.catalog_write();
        if !catalog.databases.contains_key(&name) {
            return Err(database_not_found(&name));
        }
        catalog.commit(CatalogChange::DeleteDatabase { name })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_and_deleting_takes_the_tables() {
        let region = Region::new("1", "r", Default::default(), None);
        region
            .create_database("Sales", DatabaseSpec::default(), Tags::new())
            .unwrap();
        assert_eq!(region.get_database("SALES").unwrap().name, "sales");
        assert!(matches!(
            region.create_database("sales", DatabaseSpec::default(), Tags::new()),
            Err(Error::AlreadyExists(_))
        ));
        assert!(!region.ensure_database("sales").unwrap());
        assert!(region.ensure_database("raw").unwrap());
        region.create_table("sales", "T", Default::default()).unwrap();
        region.delete_database("Sales").unwrap();
        assert!(matches!(region.get_table("sales", "t"), Err(Error::NotFound(_))));
        let names: Vec<String> = region.databases().into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["raw"]);
        assert!(matches!(
            region.update_database("raw", "other", DatabaseSpec::default()),
            Err(Error::InvalidInput(_))
        ));
    }
}
