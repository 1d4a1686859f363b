//! A table's partition keys and partitions, from the folders between its root and its files.
//!
//! A level whose folders are all Hive-style `key=value` with one key is named after that key
//! (values are what follows the `=`); any other level is `partition_0`, `partition_1` … by its
//! depth, the folder names being the values. Partition keys are `string`, as Glue's crawlers
//! type them.

use super::grouping::{FileInfo, Group};
use std::collections::BTreeMap;

/// One partition: its values (one per key), its key relative to the table root (`k=v/k2=w/`) and
/// its files.
pub struct PartitionFiles<'a> {
    pub values: Vec<String>,
    pub key: String,
    pub files: Vec<&'a FileInfo>,
}

pub fn keys(group: &Group<'_>) -> Vec<String> {
    let levels = group.files[0].listed.folders.len() - group.depth;
    (0..levels)
        .map(|level| {
            let mut hive_keys = group
                .files
                .iter()
                .map(|f| hive(&f.listed.folders[group.depth + level]).map(|(k, _)| k.to_lowercase()));
            match hive_keys.next().flatten() {
                Some(key) if hive_keys.all(|k| k.as_ref() == Some(&key)) => key,
                _ => format!("partition_{level}"),
            }
        })
        .collect()
}

/// The partitions, in key order; none for a table whose files lie in its root.
pub fn partitions<'a>(group: &Group<'a>, keys: &[String]) -> Vec<PartitionFiles<'a>> {
    if keys.is_empty() {
        return Vec::new();
    }
    let mut by_folder: BTreeMap<Vec<String>, Vec<&'a FileInfo>> = BTreeMap::new();
    for f in &group.files {
        by_folder
            .entry(f.listed.folders[group.depth..].to_vec())
            .or_default()
            .push(*f);
    }
    by_folder
        .into_iter()
        .map(|(folders, files)| {
            let values = folders
                .iter()
                .zip(keys)
                .map(|(folder, key)| match hive(folder) {
                    Some((k, v)) if k.to_lowercase() == *key => v.to_string(),
                    _ => folder.clone(),
                })
                .collect();
            let key = folders.iter().map(|f| format!("{f}/")).collect();
            PartitionFiles { values, key, files }
        })
        .collect()
}

fn hive(folder: &str) -> Option<(&str, &str)> {
    folder.split_once('=').filter(|(k, _)| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::grouping::group;
    use super::super::grouping::tests::file;
    use super::super::Format;
    use super::*;

    fn info(key: &str) -> FileInfo {
        file(key, Format::Json, &[])
    }

    #[test]
    fn hive_folders_name_their_keys_other_levels_are_numbered() {
        let files = [
            info("table1/year=2019/Month=Jan/a.json"),
            info("table1/year=2019/month=Feb/a.json"),
            info("table2/year=2020/month=Jan/b.json"),
        ];
        let groups = group(&files, false);
        assert_eq!(groups.len(), 1);
        let keys = keys(&groups[0]);
        assert_eq!(keys, ["partition_0", "year", "month"]);
        let parts: Vec<(Vec<String>, String)> = partitions(&groups[0], &keys)
            .into_iter()
            .map(|p| (p.values, p.key))
            .collect();
        assert_eq!(
            parts,
            [
                (
                    vec!["table1".into(), "2019".into(), "Jan".into()],
                    "table1/year=2019/Month=Jan/".into()
                ),
                (
                    vec!["table1".into(), "2019".into(), "Feb".into()],
                    "table1/year=2019/month=Feb/".into()
                ),
                (
                    vec!["table2".into(), "2020".into(), "Jan".into()],
                    "table2/year=2020/month=Jan/".into()
                ),
            ]
        );
    }

    #[test]
    fn mixed_keys_at_one_level_are_not_hive() {
        let files = [info("a=1/x.json"), info("b=2/x.json")];
        let groups = group(&files, false);
        let keys = keys(&groups[0]);
        assert_eq!(keys, ["partition_0"]);
        let values: Vec<Vec<String>> = partitions(&groups[0], &keys).into_iter().map(|p| p.values).collect();
        assert_eq!(values, [vec!["a=1".to_string()], vec!["b=2".to_string()]]);
    }
}
