//! The Data Catalog API: databases, tables and their versions, SearchTables. The
//! wire shapes shared by them (Column, StorageDescriptor, TableInput, Table) are here.

pub mod databases;
pub mod partitions;
pub mod search;
pub mod tables;
pub mod versions;

use super::shapes::epoch;
use super::{Ctx, Reply};
use crate::engine::catalog::{Column, Parameters, SerDeInfo, StorageDescriptor, Table, TableSpec};
use crate::engine::clock::Timestamp;
use crate::engine::job::Passthrough;
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The members of `rest` named in `keep`, stored and returned as given.
fn passthrough(rest: Map<String, Value>, keep: &[&str]) -> Passthrough {
    rest.into_iter().filter(|(k, _)| keep.contains(&k.as_str())).collect()
}

/// glue-local has one catalog per account and region: a `CatalogId` naming another
/// account's is refused as AWS refuses a catalog the caller has no grant on.
fn own_catalog(ctx: &Ctx, catalog_id: Option<&str>) -> Reply<()> {
    match catalog_id {
        Some(id) if id != ctx.region.account => Err(WireError::new(
            "AccessDeniedException",
            format!(
                "Catalog {id} is not this account's ({}): glue-local has no cross-account catalogs",
                ctx.region.account
            ),
        )),
        _ => Ok(()),
    }
}

fn is_empty(p: &Parameters) -> bool {
    p.is_empty()
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ColumnShape {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    parameters: Parameters,
}

impl From<ColumnShape> for Column {
    fn from(c: ColumnShape) -> Column {
        Column {
            name: c.name,
            column_type: c.r#type,
            comment: c.comment,
            parameters: c.parameters,
        }
    }
}

impl From<Column> for ColumnShape {
    fn from(c: Column) -> ColumnShape {
        ColumnShape {
            name: c.name,
            r#type: c.column_type,
            comment: c.comment,
            parameters: c.parameters,
        }
    }
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SerDeInfoShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serialization_library: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    parameters: Parameters,
}

/// StorageDescriptor members stored and returned as given.
const SD_PASSTHROUGH: &[&str] = &[
    "AdditionalLocations",
    "BucketColumns",
    "SortColumns",
    "SkewedInfo",
    "StoredAsSubDirectories",
    "SchemaReference",
];

/// StorageDescriptor, in and out.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StorageDescriptorShape {
    /// Always given in answers, except GetPartitions' with ExcludeColumnSchema.
    #[serde(skip_serializing_if = "Option::is_none")]
    columns: Option<Vec<ColumnShape>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compressed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_of_buckets: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serde_info: Option<SerDeInfoShape>,
    #[serde(default, skip_serializing_if = "is_empty")]
    parameters: Parameters,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl From<StorageDescriptorShape> for StorageDescriptor {
    fn from(sd: StorageDescriptorShape) -> StorageDescriptor {
        StorageDescriptor {
            columns: sd.columns.into_iter().flatten().map(Column::from).collect(),
            location: sd.location,
            input_format: sd.input_format,
            output_format: sd.output_format,
            compressed: sd.compressed,
            number_of_buckets: sd.number_of_buckets,
            serde_info: sd.serde_info.map(|s| SerDeInfo {
                name: s.name,
                serialization_library: s.serialization_library,
                parameters: s.parameters,
            }),
            parameters: sd.parameters,
            passthrough: passthrough(sd.rest, SD_PASSTHROUGH),
        }
    }
}

impl StorageDescriptorShape {
    /// The descriptor without its columns (GetPartitions' ExcludeColumnSchema).
    fn without_columns(self) -> StorageDescriptorShape {
        StorageDescriptorShape { columns: None, ..self }
    }
}

impl From<StorageDescriptor> for StorageDescriptorShape {
    fn from(sd: StorageDescriptor) -> StorageDescriptorShape {
        StorageDescriptorShape {
            columns: Some(sd.columns.into_iter().map(ColumnShape::from).collect()),
            location: sd.location,
            input_format: sd.input_format,
            output_format: sd.output_format,
            compressed: sd.compressed,
            number_of_buckets: sd.number_of_buckets,
            serde_info: sd.serde_info.map(|s| SerDeInfoShape {
                name: s.name,
                serialization_library: s.serialization_library,
                parameters: s.parameters,
            }),
            parameters: sd.parameters,
            rest: sd.passthrough,
        }
    }
}

/// TableInput members stored and returned as given.
const TABLE_PASSTHROUGH: &[&str] = &[
    "LastAccessTime",
    "LastAnalyzedTime",
    "Retention",
    "ViewOriginalText",
    "ViewExpandedText",
    "TargetTable",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableInputShape {
    name: String,
    description: Option<String>,
    owner: Option<String>,
    table_type: Option<String>,
    storage_descriptor: Option<StorageDescriptorShape>,
    #[serde(default)]
    partition_keys: Vec<ColumnShape>,
    #[serde(default)]
    parameters: Parameters,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl TableInputShape {
    /// The table's name and the engine's spec.
    fn into_spec(self) -> (String, TableSpec) {
        let spec = TableSpec {
            description: self.description,
            owner: self.owner,
            table_type: self.table_type,
            storage_descriptor: self.storage_descriptor.map(StorageDescriptor::from),
            partition_keys: self.partition_keys.into_iter().map(Column::from).collect(),
            parameters: self.parameters,
            passthrough: passthrough(self.rest, TABLE_PASSTHROUGH),
        };
        (self.name, spec)
    }
}

/// `Table`, as GetTable and the other reads answer it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableOut {
    name: String,
    database_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    #[serde(serialize_with = "epoch")]
    create_time: Timestamp,
    #[serde(serialize_with = "epoch")]
    update_time: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    storage_descriptor: Option<StorageDescriptorShape>,
    partition_keys: Vec<ColumnShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table_type: Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    parameters: Parameters,
    is_registered_with_lake_formation: bool,
    catalog_id: String,
    version_id: String,
    #[serde(flatten)]
    passthrough: Passthrough,
}

impl TableOut {
    fn new(ctx: &Ctx, t: Table) -> TableOut {
        TableOut {
            name: t.name,
            database_name: t.database_name,
            description: t.spec.description,
            owner: t.spec.owner,
            create_time: t.create_time,
            update_time: t.update_time,
            storage_descriptor: t.spec.storage_descriptor.map(StorageDescriptorShape::from),
            partition_keys: t.spec.partition_keys.into_iter().map(ColumnShape::from).collect(),
            table_type: t.spec.table_type,
            parameters: t.spec.parameters,
            is_registered_with_lake_formation: false,
            catalog_id: ctx.region.account.clone(),
            version_id: t.version_id.to_string(),
            passthrough: t.spec.passthrough,
        }
    }
}

/// `ErrorDetail` of the batch deletes.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorDetail {
    error_code: &'static str,
    error_message: String,
}

impl From<crate::engine::Error> for ErrorDetail {
    fn from(e: crate::engine::Error) -> ErrorDetail {
        let wire = WireError::from(e);
        ErrorDetail {
            error_code: wire.code,
            error_message: wire.message,
        }
    }
}
