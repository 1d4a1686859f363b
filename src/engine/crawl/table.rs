//! A group of files as the table Glue's crawler writes for it: merged columns, partitions,
//! the format's input/output formats and SerDe, and the crawler's table parameters.

use super::grouping::{FileInfo, Group};
use super::types::{merge_fields, GlueType};
use super::{partitions, Column, Format, InferredPartition, InferredTable, Options, Root, S3Target, Storage};
use std::collections::BTreeMap;

const TEXT_INPUT: &str = "org.apache.hadoop.mapred.TextInputFormat";
const TEXT_OUTPUT: &str = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

pub fn build(group: &Group<'_>, root: &Root, target: &S3Target, options: &Options) -> InferredTable {
    let location = if group.key.is_empty() {
        if root.is_file {
            root.location.clone()
        } else {
            format!("{}/", root.location)
        }
    } else {
        format!("{}/{}", root.location, group.key)
    };
    let name = if group.key.is_empty() { &root.name } else { &group.name };
    let format = table_format(&group.files);
    let columns = merged_columns(&group.files);
    let keys = partitions::keys(group);
    let partitions = partitions::partitions(group, &keys)
        .into_iter()
        .map(|p| {
            let columns = merged_columns(&p.files);
            InferredPartition {
                values: p.values,
                location: format!("{location}{}", p.key),
                storage: storage(&format, &columns),
                parameters: parameters(&format, &p.files, options, &[]),
                columns,
            }
        })
        .collect();
    let exclusions: Vec<String> = target
        .exclusions
        .iter()
        .map(|e| format!("{}/{e}", root.location))
        .collect();
    InferredTable {
        name: super::names::table_name(&options.table_prefix, name),
        storage: storage(&format, &columns),
        parameters: parameters(&format, &group.files, options, &exclusions),
        location,
        columns,
        partition_keys: keys
            .into_iter()
            .map(|name| Column {
                name,
                type_name: "string".into(),
            })
            .collect(),
        partitions,
    }
}

/// The files' common format; CSV counts as quoted when any file is.
fn table_format(files: &[&FileInfo]) -> Format {
    let mut format = files[0].sampled.format.clone();
    if let Format::Csv(csv) = &mut format {
        csv.quoted = files
            .iter()
            .any(|f| matches!(&f.sampled.format, Format::Csv(c) if c.quoted));
    }
    format
}

/// Every file's columns, in order of first appearance, each with the type that holds all its values.
fn merged_columns(files: &[&FileInfo]) -> Vec<Column> {
    let merged = files.iter().fold(Vec::<(String, GlueType)>::new(), |acc, f| {
        merge_fields(acc, f.sampled.columns.clone())
    });
    merged
        .into_iter()
        .map(|(name, t)| Column {
            name,
            type_name: t.to_string(),
        })
        .collect()
}

fn storage(format: &Format, columns: &[Column]) -> Storage {
    let s = |v: &str| Some(v.to_string());
    let params = |pairs: &[(&str, String)]| pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    match format {
        Format::Csv(csv) if csv.quoted => Storage {
            input_format: s(TEXT_INPUT),
            output_format: s(TEXT_OUTPUT),
            serialization_library: s("org.apache.hadoop.hive.serde2.OpenCSVSerde"),
            serde_parameters: params(&[("separatorChar", csv.delimiter.to_string()), ("quoteChar", "\"".into())]),
        },
        Format::Csv(csv) => Storage {
            input_format: s(TEXT_INPUT),
            output_format: s(TEXT_OUTPUT),
            serialization_library: s("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
            serde_parameters: params(&[("field.delim", csv.delimiter.to_string())]),
        },
        Format::Json => {
            let mut paths: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            paths.sort_unstable();
            Storage {
                input_format: s(TEXT_INPUT),
                output_format: s(TEXT_OUTPUT),
                serialization_library: s("org.openx.data.jsonserde.JsonSerDe"),
                serde_parameters: params(&[("paths", paths.join(","))]),
            }
        }
        Format::Parquet => Storage {
            input_format: s("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"),
            output_format: s("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
            serialization_library: s("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
            serde_parameters: params(&[("serialization.format", "1".into())]),
        },
        Format::Unknown => Storage {
            input_format: None,
            output_format: None,
            serialization_library: None,
            serde_parameters: BTreeMap::new(),
        },
    }
}

/// The parameters Glue's crawler sets on a table (and on each partition, for its own files).
fn parameters(
    format: &Format,
    files: &[&FileInfo],
    options: &Options,
    exclusions: &[String],
) -> BTreeMap<String, String> {
    let size: u64 = files.iter().map(|f| f.listed.size).sum();
    let records: u64 = files.iter().map(|f| f.sampled.records).sum();
    let mut p: BTreeMap<String, String> = [
        ("classification", format.classification().to_string()),
        ("compressionType", "none".into()),
        ("typeOfData", "file".into()),
        ("objectCount", files.len().to_string()),
        ("sizeKey", size.to_string()),
        ("recordCount", records.to_string()),
        ("averageRecordSize", size.checked_div(records).unwrap_or(0).to_string()),
        ("CrawlerSchemaDeserializerVersion", "1.0".into()),
        ("CrawlerSchemaSerializerVersion", "1.0".into()),
        ("UPDATED_BY_CRAWLER", options.crawler_name.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Format::Csv(csv) = format {
        p.insert("delimiter".into(), csv.delimiter.to_string());
        p.insert("areColumnsQuoted".into(), csv.quoted.to_string());
        p.insert("columnsOrdered".into(), "true".into());
        if csv.header {
            p.insert("skip.header.line.count".into(), "1".into());
        }
    }
    if !exclusions.is_empty() {
        p.insert(
            "exclusions".into(),
            serde_json::to_string(exclusions).unwrap_or_default(),
        );
    }
    p
}
