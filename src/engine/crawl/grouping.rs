//! Which files make one table: Glue's grouping heuristic, as its guide describes it.
//!
//! The include path is where tables are looked for, unless all it holds is one folder whose name
//! is not a Hive-style `key=value`: then that folder is (and so on down), so a crawler of a bucket
//! holding one dataset names the table after the dataset's folder. From there down, a folder is
//! the root of one table when every file under it is
//! compatible (same format; for CSV the same delimiter and header), lies at the same depth (its
//! folders below the root are the table's partitions), and has a similar schema: each file's
//! columns are at least 70% of the columns of all of them together (with the crawler's
//! `TableGroupingPolicy` `CombineCompatibleSchemas`, similarity is not asked for). Otherwise each
//! subfolder is looked at the same way, and each file lying directly in the folder becomes a
//! table of its own.

use super::listing::Listed;
use super::Sampled;
use std::collections::{BTreeMap, HashSet};

/// Files with their classification.
pub struct FileInfo {
    pub listed: Listed,
    pub sampled: Sampled,
}

/// The files of one table.
pub struct Group<'a> {
    /// The folder (or file) name the table is named after; empty for the include path itself.
    pub name: String,
    /// The table's key relative to the include path: empty for the include path, `a/b/` for a
    /// folder, `a/f.csv` for a file.
    pub key: String,
    /// How many folders lie between the include path and the table's root.
    pub depth: usize,
    pub files: Vec<&'a FileInfo>,
}

/// The minimum share of all columns each file's columns must be for the files to make one table.
const SIMILARITY: f64 = 0.7;

pub fn group(files: &[FileInfo], combine_compatible_schemas: bool) -> Vec<Group<'_>> {
    let mut groups = Vec::new();
    let (mut depth, mut name, mut key) = (0, String::new(), String::new());
    while let Some(only) = only_folder(files, depth) {
        key = format!("{key}{only}/");
        name = only.to_string();
        depth += 1;
    }
    let all: Vec<&FileInfo> = files.iter().collect();
    split(all, depth, name, key, combine_compatible_schemas, &mut groups);
    groups
}

/// The one folder all files lie under at `depth`, unless it is a Hive-style partition.
fn only_folder(files: &[FileInfo], depth: usize) -> Option<&str> {
    let first = files.first()?.listed.folders.get(depth)?;
    let all_there = files.iter().all(|f| f.listed.folders.get(depth) == Some(first));
    (all_there && !first.contains('=')).then_some(first.as_str())
}

fn split<'a>(
    files: Vec<&'a FileInfo>,
    depth: usize,
    name: String,
    key: String,
    combine: bool,
    out: &mut Vec<Group<'a>>,
) {
    if files.is_empty() {
        return;
    }
    if one_table(&files, combine) {
        out.push(Group {
            name,
            key,
            depth,
            files,
        });
        return;
    }
    let mut children: BTreeMap<String, Vec<&'a FileInfo>> = BTreeMap::new();
    for f in files {
        match f.listed.folders.get(depth) {
            Some(folder) => children.entry(folder.clone()).or_default().push(f),
            None => out.push(Group {
                name: f.listed.file_name.clone(),
                key: format!("{key}{}", f.listed.file_name),
                depth,
                files: vec![f],
            }),
        }
    }
    for (folder, files) in children {
        let key = format!("{key}{folder}/");
        split(files, depth + 1, folder, key, combine, out);
    }
}

fn one_table(files: &[&FileInfo], combine: bool) -> bool {
    let first = files[0];
    let same_shape = files.iter().all(|f| {
        f.listed.folders.len() == first.listed.folders.len() && f.sampled.format.compatible(&first.sampled.format)
    });
    same_shape && (combine || similar(files))
}

fn similar(files: &[&FileInfo]) -> bool {
    let all: HashSet<&str> = files
        .iter()
        .flat_map(|f| f.sampled.columns.iter().map(|(n, _)| n.as_str()))
        .collect();
    if all.is_empty() {
        return true;
    }
    files
        .iter()
        .all(|f| f.sampled.columns.len() as f64 >= SIMILARITY * all.len() as f64)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::types::GlueType;
    use super::super::{CsvFormat, Format};
    use super::*;

    /// A listed and sampled file at `key` with these columns (all bigint).
    pub(in crate::engine::crawl) fn file(key: &str, format: Format, columns: &[&str]) -> FileInfo {
        let mut folders: Vec<String> = key.split('/').map(str::to_string).collect();
        let file_name = folders.pop().unwrap();
        FileInfo {
            listed: Listed {
                folders,
                file_name,
                path: key.into(),
                size: 1,
            },
            sampled: Sampled {
                format,
                columns: columns.iter().map(|c| (c.to_string(), GlueType::BigInt)).collect(),
                records: 1,
            },
        }
    }

    fn csv(header: bool) -> Format {
        Format::Csv(CsvFormat {
            delimiter: ',',
            header,
            quoted: false,
        })
    }

    fn keys(files: &[FileInfo], combine: bool) -> Vec<(String, usize)> {
        group(files, combine)
            .iter()
            .map(|g| (g.key.clone(), g.files.len()))
            .collect()
    }

    #[test]
    fn similar_partitions_make_one_table_at_the_include_path() {
        let files = [
            file("year=2019/month=Jan/day=1/a.json", Format::Json, &["a", "b", "c"]),
            file("year=2019/month=Jan/day=2/a.json", Format::Json, &["a", "b", "c"]),
            file("year=2019/month=Feb/day=1/a.json", Format::Json, &["a", "b", "c", "d"]),
        ];
        assert_eq!(keys(&files, false), [(String::new(), 3)]);
    }

    #[test]
    fn dissimilar_schemas_make_a_table_per_folder_unless_combined() {
        // The guide's example: {A, B} and {C, D} under year=2017 and year=2018.
        let files = [
            file("year=2017/data1.json", Format::Json, &["a", "b"]),
            file("year=2018/data2.json", Format::Json, &["c", "d"]),
        ];
        assert_eq!(
            keys(&files, false),
            [("year=2017/".into(), 1), ("year=2018/".into(), 1)]
        );
        assert_eq!(keys(&files, true), [(String::new(), 2)]);
    }

    #[test]
    fn different_formats_or_depths_split() {
        let files = [
            file("orders/dt=1/a.csv", csv(true), &["a", "b"]),
            file("orders/dt=2/a.csv", csv(true), &["a", "b"]),
            file("customers/c.json", Format::Json, &["a", "b"]),
            file("loose.csv", csv(false), &["col0", "col1"]),
        ];
        assert_eq!(
            keys(&files, true),
            [("loose.csv".into(), 1), ("customers/".into(), 1), ("orders/".into(), 2)]
        );
    }

    #[test]
    fn a_lone_folder_under_the_include_path_is_where_tables_start_unless_it_is_a_partition() {
        let files = [
            file("order_totals/dt=1/a.parquet", Format::Parquet, &["a"]),
            file("order_totals/dt=2/a.parquet", Format::Parquet, &["a"]),
        ];
        let groups = group(&files, false);
        assert_eq!(
            (groups[0].key.as_str(), groups[0].name.as_str(), groups[0].depth),
            ("order_totals/", "order_totals", 1)
        );
        let files = [file("year=2019/a.json", Format::Json, &["a"])];
        assert_eq!(keys(&files, false), [(String::new(), 1)]);
        let files = [
            file("x/y/a.json", Format::Json, &["a"]),
            file("x/y/b.json", Format::Json, &["a"]),
        ];
        assert_eq!(keys(&files, false), [("x/y/".into(), 2)]);
    }

    #[test]
    fn csv_files_with_and_without_header_are_not_compatible() {
        let files = [
            file("a/x.csv", csv(true), &["a", "b"]),
            file("b/y.csv", csv(false), &["a", "b"]),
        ];
        assert_eq!(keys(&files, true), [("a/".into(), 1), ("b/".into(), 1)]);
    }
}
