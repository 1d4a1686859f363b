//! CreatePartition, BatchCreatePartition, GetPartition, GetPartitions (Expression, pages,
//! Segment, ExcludeColumnSchema), BatchGetPartition, UpdatePartition, BatchUpdatePartition,
//! DeletePartition, BatchDeletePartition.

use super::{is_empty, own_catalog, passthrough, ErrorDetail, StorageDescriptorShape};
use crate::api::pagination;
use crate::api::shapes::epoch;
use crate::api::{Ctx, Empty, Reply};
use crate::engine::catalog::{normalize, Parameters, Partition, PartitionQuery, PartitionSpec, StorageDescriptor};
use crate::engine::clock::Timestamp;
use crate::engine::job::Passthrough;
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// GetPartitions' page size when MaxResults is not given (the most it allows).
const DEFAULT_PAGE: usize = 1000;

/// PartitionInput members stored and returned as given.
const PARTITION_PASSTHROUGH: &[&str] = &["LastAccessTime", "LastAnalyzedTime"];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartitionInputShape {
    #[serde(default)]
    values: Vec<String>,
    storage_descriptor: Option<StorageDescriptorShape>,
    #[serde(default)]
    parameters: Parameters,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl From<PartitionInputShape> for PartitionSpec {
    fn from(p: PartitionInputShape) -> PartitionSpec {
        PartitionSpec {
            values: p.values,
            storage_descriptor: p.storage_descriptor.map(StorageDescriptor::from),
            parameters: p.parameters,
            passthrough: passthrough(p.rest, PARTITION_PASSTHROUGH),
        }
    }
}

/// `Partition`, as the reads answer it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartitionOut {
    values: Vec<String>,
    database_name: String,
    table_name: String,
    #[serde(serialize_with = "epoch")]
    creation_time: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    storage_descriptor: Option<StorageDescriptorShape>,
    #[serde(skip_serializing_if = "is_empty")]
    parameters: Parameters,
    catalog_id: String,
    #[serde(flatten)]
    passthrough: Passthrough,
}

impl PartitionOut {
    fn new(ctx: &Ctx, database: &str, table: &str, p: Partition, with_columns: bool) -> PartitionOut {
        PartitionOut {
            values: p.values,
            database_name: database.to_string(),
            table_name: table.to_string(),
            creation_time: p.creation_time,
            storage_descriptor: p.storage_descriptor.map(|sd| {
                let shape = StorageDescriptorShape::from(sd);
                if with_columns {
                    shape
                } else {
                    shape.without_columns()
                }
            }),
            parameters: p.parameters,
            catalog_id: ctx.region.account.clone(),
            passthrough: p.passthrough,
        }
    }
}

/// The table a partition call names.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableRef {
    catalog_id: Option<String>,
    database_name: String,
    table_name: String,
}

impl TableRef {
    /// The database and table as Glue stores their names, in this account's catalog.
    fn names(&self, ctx: &Ctx) -> Reply<(String, String)> {
        own_catalog(ctx, self.catalog_id.as_deref())?;
        Ok((normalize(&self.database_name), normalize(&self.table_name)))
    }
}

fn out_all(
    ctx: &Ctx,
    database: &str,
    table: &str,
    partitions: Vec<Partition>,
    with_columns: bool,
) -> Vec<PartitionOut> {
    partitions
        .into_iter()
        .map(|p| PartitionOut::new(ctx, database, table, p, with_columns))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    #[serde(flatten)]
    table: TableRef,
    partition_input: PartitionInputShape,
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<Empty> {
    let (database, table) = i.table.names(ctx)?;
    ctx.region
        .create_partition(&database, &table, i.partition_input.into())?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchCreateInput {
    #[serde(flatten)]
    table: TableRef,
    partition_input_list: Vec<PartitionInputShape>,
}

/// `PartitionError`: the values of a partition a batch call could not handle, and why.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartitionError {
    partition_values: Vec<String>,
    error_detail: ErrorDetail,
}

fn partition_errors(errors: Vec<(Vec<String>, crate::engine::Error)>) -> Vec<PartitionError> {
    errors
        .into_iter()
        .map(|(partition_values, e)| PartitionError {
            partition_values,
            error_detail: e.into(),
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorsOutput {
    errors: Vec<PartitionError>,
}

pub fn batch_create(ctx: &Ctx, i: BatchCreateInput) -> Reply<ErrorsOutput> {
    let (database, table) = i.table.names(ctx)?;
    let specs = i.partition_input_list.into_iter().map(PartitionSpec::from).collect();
    let errors = ctx.region.create_partitions(&database, &table, specs)?;
    Ok(ErrorsOutput {
        errors: partition_errors(errors),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ValuesInput {
    #[serde(flatten)]
    table: TableRef,
    partition_values: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    partition: PartitionOut,
}

pub fn get(ctx: &Ctx, i: ValuesInput) -> Reply<GetOutput> {
    let (database, table) = i.table.names(ctx)?;
    let p = ctx.region.get_partition(&database, &table, &i.partition_values)?;
    Ok(GetOutput {
        partition: PartitionOut::new(ctx, &database, &table, p, true),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SegmentShape {
    segment_number: u32,
    total_segments: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllInput {
    #[serde(flatten)]
    table: TableRef,
    expression: Option<String>,
    next_token: Option<String>,
    segment: Option<SegmentShape>,
    max_results: Option<i32>,
    exclude_column_schema: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    partitions: Vec<PartitionOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_all(ctx: &Ctx, i: GetAllInput) -> Reply<GetAllOutput> {
    let (database, table) = i.table.names(ctx)?;
    let segment = match &i.segment {
        Some(s) if s.segment_number >= s.total_segments => {
            return Err(WireError::invalid_input(format!(
                "SegmentNumber {} is not less than TotalSegments {}",
                s.segment_number, s.total_segments
            )))
        }
        Some(s) => Some((s.segment_number, s.total_segments)),
        None => None,
    };
    // A token is good for the same table, expression and segment only.
    let scope = ctx.scope(format!(
        "GetPartitions/{database}/{table}/{:?}/{segment:?}",
        i.expression
    ));
    let after = match &i.next_token {
        Some(token) => Some(
            serde_json::from_str::<Vec<String>>(&pagination::decode(&scope, token)?)
                .map_err(|_| WireError::invalid_input("Invalid NextToken"))?,
        ),
        None => None,
    };
    let page = ctx.region.get_partitions(
        &database,
        &table,
        PartitionQuery {
            expression: i.expression.as_deref(),
            after,
            max: i.max_results.map_or(DEFAULT_PAGE, |m| m.max(1) as usize),
            segment,
        },
    )?;
    let next_token = match (page.more, page.partitions.last()) {
        (true, Some(last)) => Some(pagination::encode(
            &scope,
            &serde_json::to_string(&last.values).expect("strings serialize"),
        )),
        _ => None,
    };
    let with_columns = !i.exclude_column_schema.unwrap_or(false);
    Ok(GetAllOutput {
        partitions: out_all(ctx, &database, &table, page.partitions, with_columns),
        next_token,
    })
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartitionValueList {
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetInput {
    #[serde(flatten)]
    table: TableRef,
    partitions_to_get: Vec<PartitionValueList>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetOutput {
    partitions: Vec<PartitionOut>,
    /// glue-local processes every key asked for.
    unprocessed_keys: Vec<PartitionValueList>,
}

pub fn batch_get(ctx: &Ctx, i: BatchGetInput) -> Reply<BatchGetOutput> {
    let (database, table) = i.table.names(ctx)?;
    let wanted: Vec<Vec<String>> = i.partitions_to_get.into_iter().map(|v| v.values).collect();
    let found = ctx.region.get_partitions_by_values(&database, &table, &wanted)?;
    Ok(BatchGetOutput {
        partitions: out_all(ctx, &database, &table, found, true),
        unprocessed_keys: Vec::new(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    #[serde(flatten)]
    table: TableRef,
    partition_value_list: Vec<String>,
    partition_input: PartitionInputShape,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<Empty> {
    let (database, table) = i.table.names(ctx)?;
    ctx.region
        .update_partition(&database, &table, &i.partition_value_list, i.partition_input.into())?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchUpdateEntry {
    partition_value_list: Vec<String>,
    partition_input: PartitionInputShape,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchUpdateInput {
    #[serde(flatten)]
    table: TableRef,
    entries: Vec<BatchUpdateEntry>,
}

/// `BatchUpdatePartitionFailureEntry`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateFailure {
    partition_value_list: Vec<String>,
    error_detail: ErrorDetail,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchUpdateOutput {
    errors: Vec<UpdateFailure>,
}

pub fn batch_update(ctx: &Ctx, i: BatchUpdateInput) -> Reply<BatchUpdateOutput> {
    let (database, table) = i.table.names(ctx)?;
    let updates = i
        .entries
        .into_iter()
        .map(|e| (e.partition_value_list, PartitionSpec::from(e.partition_input)))
        .collect();
    let errors = ctx.region.update_partitions(&database, &table, updates)?;
    Ok(BatchUpdateOutput {
        errors: errors
            .into_iter()
            .map(|(partition_value_list, e)| UpdateFailure {
                partition_value_list,
                error_detail: e.into(),
            })
            .collect(),
    })
}

pub fn delete(ctx: &Ctx, i: ValuesInput) -> Reply<Empty> {
    let (database, table) = i.table.names(ctx)?;
    ctx.region.delete_partition(&database, &table, &i.partition_values)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchDeleteInput {
    #[serde(flatten)]
    table: TableRef,
    partitions_to_delete: Vec<PartitionValueList>,
}

pub fn batch_delete(ctx: &Ctx, i: BatchDeleteInput) -> Reply<ErrorsOutput> {
    let (database, table) = i.table.names(ctx)?;
    let values: Vec<Vec<String>> = i.partitions_to_delete.into_iter().map(|v| v.values).collect();
    let errors = ctx.region.delete_partitions(&database, &table, &values)?;
    Ok(ErrorsOutput {
        errors: partition_errors(errors),
    })
}
