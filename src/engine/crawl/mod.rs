//! What a crawler finds under its S3 targets in the local `--s3-dir`: the tables, their columns,
//! partitions, formats and statistics, inferred as Glue's built-in classifiers and grouping rules
//! do. Pure file reading; writing the results to the Data Catalog is the caller's.

mod csv;
mod exclude;
mod grouping;
mod json;
mod listing;
mod names;
mod parquet;
mod partitions;
mod sample;
mod table;
mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// One `Targets.S3Targets` entry.
#[derive(Debug, Clone, Default)]
pub struct S3Target {
    pub path: String,
    pub exclusions: Vec<String>,
}

/// What of the crawler's definition shapes its tables.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub crawler_name: String,
    pub table_prefix: String,
    /// `Configuration`'s `Grouping.TableGroupingPolicy` is `CombineCompatibleSchemas`.
    pub combine_compatible_schemas: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrawlError {
    /// The crawl fails with this reason.
    Failed(String),
    /// The crawl was stopped.
    Cancelled,
}

/// Asks a crawl in progress to stop; it checks between files.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    #[cfg(test)]
    pub fn never() -> Stop {
        Stop::default()
    }

    pub fn request(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn check(&self) -> Result<(), CrawlError> {
        if self.0.load(Ordering::Relaxed) {
            Err(CrawlError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A file's format as the classifiers recognised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Csv(CsvFormat),
    Json,
    Parquet,
    /// No built-in classifier recognised it.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFormat {
    pub delimiter: char,
    pub header: bool,
    /// Some field starts with a double quote.
    pub quoted: bool,
}

impl Format {
    pub fn classification(&self) -> &'static str {
        match self {
            Format::Csv(_) => "csv",
            Format::Json => "json",
            Format::Parquet => "parquet",
            Format::Unknown => "UNKNOWN",
        }
    }

    /// Whether files of both formats can be one table (quoting aside).
    fn compatible(&self, other: &Format) -> bool {
        match (self, other) {
            (Format::Csv(a), Format::Csv(b)) => a.delimiter == b.delimiter && a.header == b.header,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

/// What one file gave.
#[derive(Debug, Clone)]
pub struct Sampled {
    pub format: Format,
    pub columns: Vec<(String, types::GlueType)>,
    /// The file's records (estimated from the sample for a large text file).
    pub records: u64,
}

/// A column as the catalog holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub type_name: String,
}

/// The `StorageDescriptor` members that depend on the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    pub input_format: Option<String>,
    pub output_format: Option<String>,
    pub serialization_library: Option<String>,
    pub serde_parameters: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct InferredTable {
    /// The name to write it under (prefix included, lower case).
    pub name: String,
    /// `s3://bucket/key/`.
    pub location: String,
    pub columns: Vec<Column>,
    /// Partition keys, all `string`.
    pub partition_keys: Vec<Column>,
    pub partitions: Vec<InferredPartition>,
    pub storage: Storage,
    /// The table's (and its storage descriptor's) `Parameters`.
    pub parameters: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct InferredPartition {
    pub values: Vec<String>,
    pub location: String,
    pub columns: Vec<Column>,
    pub storage: Storage,
    pub parameters: BTreeMap<String, String>,
}

/// Crawls every target: lists, classifies and groups the files, and names the tables (a name
/// two tables would share gets a hash suffix, as Glue's crawlers do). A target that does not
/// exist, or a file that cannot be read, fails the whole crawl.
pub fn crawl(
    s3_dir: &Path,
    targets: &[S3Target],
    options: &Options,
    stop: &Stop,
) -> Result<Vec<InferredTable>, CrawlError> {
    let mut tables = Vec::new();
    for target in targets {
        let failed = |reason: String| CrawlError::Failed(format!("Crawl of {} failed: {reason}", target.path));
        let root = local_root(s3_dir, &target.path).map_err(failed)?;
        let exclusions = exclude::Exclusions::new(&target.exclusions).map_err(failed)?;
        let listed = listing::list(&root.path, &exclusions, stop).map_err(|e| match e {
            CrawlError::Failed(reason) => failed(reason),
            cancelled => cancelled,
        })?;
        let mut files = Vec::with_capacity(listed.len());
        for listed in listed {
            stop.check()?;
            let sampled = sample::classify(&listed).map_err(|e| match e {
                CrawlError::Failed(reason) => failed(reason),
                cancelled => cancelled,
            })?;
            files.push(grouping::FileInfo { listed, sampled });
        }
        for group in grouping::group(&files, options.combine_compatible_schemas) {
            tables.push(table::build(&group, &root, target, options));
        }
    }
    names::make_unique(&mut tables);
    Ok(tables)
}

/// An include path's place in the s3 dir.
pub(crate) struct Root {
    pub path: PathBuf,
    /// `s3://bucket/key` without a trailing `/`.
    pub location: String,
    /// The last segment of the include path (the bucket for a whole bucket).
    pub name: String,
    pub is_file: bool,
}

fn local_root(s3_dir: &Path, include_path: &str) -> Result<Root, String> {
    let rest = include_path
        .strip_prefix("s3://")
        .ok_or_else(|| format!("{include_path} is not an s3:// path"))?;
    let relative = super::script_path::s3_segments(rest, include_path)?;
    let s3_dir = s3_dir
        .canonicalize()
        .map_err(|e| format!("the --s3-dir {} cannot be read: {e}", s3_dir.display()))?;
    let path = s3_dir.join(&relative);
    let canonical = path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{} does not exist", path.display()),
        _ => format!("{} cannot be read: {e}", path.display()),
    })?;
    if !canonical.starts_with(&s3_dir) {
        return Err(format!("{include_path} leads out of the --s3-dir"));
    }
    let segments: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    Ok(Root {
        is_file: canonical.is_file(),
        path: canonical,
        location: format!("s3://{}", segments.join("/")),
        name: segments.last().cloned().unwrap_or_default(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::fs;

    /// A fresh folder holding `files` (path, content).
    pub fn temp_tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("glue-local-crawl-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        for (path, content) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        root.canonicalize().unwrap()
    }

    fn options() -> Options {
        Options {
            crawler_name: "c1".into(),
            table_prefix: "raw_".into(),
            combine_compatible_schemas: false,
        }
    }

    fn target(path: &str) -> S3Target {
        S3Target {
            path: path.into(),
            exclusions: Vec::new(),
        }
    }

    fn columns(cols: &[Column]) -> Vec<String> {
        cols.iter().map(|c| format!("{}:{}", c.name, c.type_name)).collect()
    }

    #[test]
    fn a_partitioned_csv_folder_and_a_json_folder_make_two_tables() {
        let s3 = temp_tree(
            "two-tables",
            &[
                (
                    "b/raw/orders/dt=2024-01-01/part-0.csv",
                    "id,item,qty\n1,pen,2\n2,ink,1\n",
                ),
                ("b/raw/orders/dt=2024-01-02/part-0.csv", "id,item,qty\n3,pad,5\n"),
                (
                    "b/raw/customers/c.json",
                    "{\"id\": 1, \"name\": \"ann\"}\n{\"id\": 2, \"name\": \"bob\"}\n",
                ),
            ],
        );
        let tables = crawl(&s3, &[target("s3://b/raw/")], &options(), &Stop::never()).unwrap();
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["raw_customers", "raw_orders"]);
        let orders = &tables[1];
        assert_eq!(orders.location, "s3://b/raw/orders/");
        assert_eq!(columns(&orders.columns), ["id:bigint", "item:string", "qty:bigint"]);
        assert_eq!(columns(&orders.partition_keys), ["dt:string"]);
        let parts: Vec<(&[String], &str)> = orders
            .partitions
            .iter()
            .map(|p| (&p.values[..], p.location.as_str()))
            .collect();
        assert_eq!(
            parts,
            [
                (&["2024-01-01".to_string()][..], "s3://b/raw/orders/dt=2024-01-01/"),
                (&["2024-01-02".to_string()][..], "s3://b/raw/orders/dt=2024-01-02/"),
            ]
        );
        let p = &orders.parameters;
        for (k, v) in [
            ("classification", "csv"),
            ("delimiter", ","),
            ("skip.header.line.count", "1"),
            ("recordCount", "3"),
            ("objectCount", "2"),
            ("sizeKey", "48"),
            ("averageRecordSize", "16"),
            ("UPDATED_BY_CRAWLER", "c1"),
            ("compressionType", "none"),
            ("typeOfData", "file"),
            ("areColumnsQuoted", "false"),
            ("columnsOrdered", "true"),
        ] {
            assert_eq!(p.get(k).map(String::as_str), Some(v), "{k}");
        }
        assert_eq!(
            orders.storage.input_format.as_deref(),
            Some("org.apache.hadoop.mapred.TextInputFormat")
        );
        assert_eq!(
            orders.storage.serialization_library.as_deref(),
            Some("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe")
        );
        assert_eq!(
            orders.storage.serde_parameters.get("field.delim").map(String::as_str),
            Some(",")
        );
        assert_eq!(
            orders.partitions[1].parameters.get("recordCount").map(String::as_str),
            Some("1")
        );
        let customers = &tables[0];
        assert_eq!(columns(&customers.columns), ["id:int", "name:string"]);
        assert_eq!(
            customers.storage.serialization_library.as_deref(),
            Some("org.openx.data.jsonserde.JsonSerDe")
        );
        assert_eq!(
            customers.storage.serde_parameters.get("paths").map(String::as_str),
            Some("id,name")
        );
    }

    #[test]
    fn the_include_path_itself_is_the_table_when_its_files_agree() {
        let s3 = temp_tree(
            "one-table",
            &[
                ("b/curated/x/y=1/part-0.parquet", ""),
                ("b/curated/x/y=2/part-0.parquet", ""),
            ],
        );
        for p in ["b/curated/x/y=1/part-0.parquet", "b/curated/x/y=2/part-0.parquet"] {
            parquet::tests::write(
                &s3.join(p),
                "message m { required int64 id; optional binary name (UTF8); }",
                4,
            );
        }
        let tables = crawl(&s3, &[target("s3://b/curated/x")], &options(), &Stop::never()).unwrap();
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.name.as_str(), t.location.as_str()), ("raw_x", "s3://b/curated/x/"));
        assert_eq!(columns(&t.columns), ["id:bigint", "name:string"]);
        assert_eq!(t.parameters["classification"], "parquet");
        assert_eq!(t.parameters["recordCount"], "8");
        assert_eq!(
            t.storage.serialization_library.as_deref(),
            Some("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
        );
        assert_eq!(t.partitions.len(), 2);
    }

    #[test]
    fn failures_name_the_reason() {
        let s3 = temp_tree("failures", &[("b/bad/x.parquet", "PAR1garbagePAR1")]);
        let err = crawl(&s3, &[target("s3://b/missing/")], &options(), &Stop::never()).unwrap_err();
        assert!(
            matches!(&err, CrawlError::Failed(m) if m.starts_with("Crawl of s3://b/missing/ failed: ") && m.ends_with("does not exist")),
            "{err:?}"
        );
        let err = crawl(&s3, &[target("s3://b/bad/")], &options(), &Stop::never()).unwrap_err();
        assert!(
            matches!(&err, CrawlError::Failed(m) if m.contains("x.parquet is not a readable Parquet file")),
            "{err:?}"
        );
        let err = crawl(&s3, &[target("s3://b/../../etc/")], &options(), &Stop::never()).unwrap_err();
        assert!(matches!(&err, CrawlError::Failed(m) if m.contains("'..'")), "{err:?}");
        let stop = Stop::never();
        stop.request();
        assert_eq!(
            crawl(&s3, &[target("s3://b/bad/")], &options(), &stop).unwrap_err(),
            CrawlError::Cancelled
        );
    }

    #[test]
    fn unknown_files_and_duplicate_names() {
        let s3 = temp_tree(
            "unknown",
            &[
                ("b/t1/data/x.txt", "one column only\nno delimiter\n"),
                ("b/t2/data/y.csv", "a,b\n1,2\n"),
            ],
        );
        let tables = crawl(
            &s3,
            &[target("s3://b/t1/data"), target("s3://b/t2/data/")],
            &options(),
            &Stop::never(),
        )
        .unwrap();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].parameters["classification"], "UNKNOWN");
        assert!(tables[0].columns.is_empty());
        assert_eq!(tables[0].name, "raw_data");
        assert!(
            tables[1].name.starts_with("raw_data_") && tables[1].name.len() == "raw_data_".len() + 8,
            "{}",
            tables[1].name
        );
    }
}
