//! Limits on what one (account, region) may define: AWS Glue's default service
//! quotas, and glue-local's own where AWS documents none. They bound the memory a
//! caller can make the server hold and the work one finished node can cause.

use super::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// "Max jobs per account".
    pub jobs: usize,
    /// "Max triggers per account".
    pub triggers: usize,
    /// "Number of workflows".
    pub workflows: usize,
    /// "Number of crawlers".
    pub crawlers: usize,
    /// "Max jobs per trigger" (crawlers count too).
    pub actions_per_trigger: usize,
    /// AWS documents none: glue-local's, as many as the actions.
    pub conditions_per_trigger: usize,
    /// Jobs, crawlers and triggers in one workflow (AWS's "Blueprint and workflow restrictions").
    pub nodes_per_workflow: usize,
    /// "Number of databases per account".
    pub databases: usize,
    /// "Number of tables per database".
    pub tables_per_database: usize,
    /// "Number of table versions per table".
    pub versions_per_table: usize,
    /// "Number of tables per account".
    pub tables: usize,
    /// "Number of table versions per account".
    pub table_versions: usize,
    /// "Number of partitions per table".
    pub partitions_per_table: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            jobs: 2000,
            triggers: 1000,
            workflows: 1000,
            crawlers: 1000,
            actions_per_trigger: 50,
            conditions_per_trigger: 50,
            nodes_per_workflow: 100,
            databases: 10_000,
            tables_per_database: 200_000,
            versions_per_table: 100_000,
            tables: 1_000_000,
            table_versions: 1_000_000,
            partitions_per_table: 10_000_000,
        }
    }
}

impl Quotas {
    const NAMES: [&'static str; 13] = [
        "jobs",
        "triggers",
        "workflows",
        "crawlers",
        "actions-per-trigger",
        "conditions-per-trigger",
        "nodes-per-workflow",
        "databases",
        "tables-per-database",
        "versions-per-table",
        "tables",
        "table-versions",
        "partitions-per-table",
    ];

    fn slot(&mut self, name: &str) -> Option<&mut usize> {
        Some(match name {
            "jobs" => &mut self.jobs,
            "triggers" => &mut self.triggers,
            "workflows" => &mut self.workflows,
            "crawlers" => &mut self.crawlers,
            "actions-per-trigger" => &mut self.actions_per_trigger,
            "conditions-per-trigger" => &mut self.conditions_per_trigger,
            "nodes-per-workflow" => &mut self.nodes_per_workflow,
            "databases" => &mut self.databases,
            "tables-per-database" => &mut self.tables_per_database,
            "versions-per-table" => &mut self.versions_per_table,
            "tables" => &mut self.tables,
            "table-versions" => &mut self.table_versions,
            "partitions-per-table" => &mut self.partitions_per_table,
            _ => return None,
        })
    }

    /// Applies one `NAME=N` (as `--quota` takes it).
    pub fn set(&mut self, spec: &str) -> std::result::Result<(), String> {
        let names = Self::NAMES.join(", ");
        let (name, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("quota {spec:?}: expected NAME=N (names: {names})"))?;
        let value: usize = value
            .trim()
            .parse()
            .map_err(|_| format!("quota {spec:?}: {value:?} is not a whole number"))?;
        let slot = self
            .slot(name.trim())
            .ok_or_else(|| format!("quota {spec:?}: unknown name (names: {names})"))?;
        *slot = value;
        Ok(())
    }
}

/// Refuses one more resource of a kind (`name` as `--quota` spells it) when `count` are defined already.
pub(crate) fn check_room(name: &str, count: usize, limit: usize) -> Result<()> {
    if count < limit {
        return Ok(());
    }
    Err(Error::ResourceNumberLimitExceeded(format!(
        "This account already has {count} {name} in this region, its quota is {limit} (glue-local: --quota {name}=N)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_by_name() {
        let mut q = Quotas::default();
        q.set("nodes-per-workflow=1500").unwrap();
        q.set(" jobs = 3 ").unwrap();
        assert_eq!((q.nodes_per_workflow, q.jobs), (1500, 3));
        assert!(q.set("nodes=1").is_err());
        assert!(q.set("jobs").is_err());
        assert!(q.set("jobs=-1").is_err());
    }
}
