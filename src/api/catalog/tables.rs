//! CreateTable, GetTable, GetTables, UpdateTable, DeleteTable, BatchDeleteTable.

use super::{own_catalog, ErrorDetail, TableInputShape, TableOut};
use crate::api::pagination::{self, PageRequest};
use crate::api::{Ctx, Empty, Reply};
use crate::engine::catalog::{normalize, NamePattern, Table, UpdateOptions};
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    catalog_id: Option<String>,
    database_name: String,
    table_input: Option<TableInputShape>,
}

fn table_input(input: Option<TableInputShape>) -> Reply<TableInputShape> {
    // The model lets OpenTableFormatInput stand in for it; glue-local has no Iceberg tables.
    input.ok_or_else(|| WireError::invalid_input("TableInput is required"))
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let (name, spec) = table_input(i.table_input)?.into_spec();
    ctx.region.create_table(&i.database_name, &name, spec)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameInput {
    catalog_id: Option<String>,
    database_name: String,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    table: TableOut,
}

pub fn get(ctx: &Ctx, i: NameInput) -> Reply<GetOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let table = ctx.region.get_table(&i.database_name, &i.name)?;
    Ok(GetOutput {
        table: TableOut::new(ctx, table),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllInput {
    catalog_id: Option<String>,
    database_name: String,
    expression: Option<String>,
    #[serde(flatten)]
    page: PageRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    table_list: Vec<TableOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_all(ctx: &Ctx, i: GetAllInput) -> Reply<GetAllOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let pattern = i.expression.as_deref().map(NamePattern::parse).transpose()?;
    let scope = ctx.scope(format!("GetTables/{}/{:?}", normalize(&i.database_name), i.expression));
    let (page, next_token) = pagination::page_from(
        &scope,
        |t: &Table| t.name.as_str(),
        i.page.next_token.as_deref(),
        i.page.max_results,
        100,
        |after, n| ctx.region.tables_after(&i.database_name, pattern.as_ref(), after, n),
    )?;
    Ok(GetAllOutput {
        table_list: page.into_iter().map(|t| TableOut::new(ctx, t)).collect(),
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    catalog_id: Option<String>,
    database_name: String,
    table_input: Option<TableInputShape>,
    skip_archive: Option<bool>,
    version_id: Option<String>,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let (name, spec) = table_input(i.table_input)?.into_spec();
    let options = UpdateOptions {
        skip_archive: i.skip_archive.unwrap_or(false),
        expected_version: i
            .version_id
            .as_deref()
            .map(super::versions::parse_version)
            .transpose()?,
    };
    ctx.region.update_table(&i.database_name, &name, spec, options)?;
    Ok(Empty {})
}

pub fn delete(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    ctx.region.delete_table(&i.database_name, &i.name)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchDeleteInput {
    catalog_id: Option<String>,
    database_name: String,
    tables_to_delete: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableError {
    table_name: String,
    error_detail: ErrorDetail,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchDeleteOutput {
    errors: Vec<TableError>,
}

pub fn batch_delete(ctx: &Ctx, i: BatchDeleteInput) -> Reply<BatchDeleteOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let errors = ctx.region.delete_tables(&i.database_name, &i.tables_to_delete)?;
    Ok(BatchDeleteOutput {
        errors: errors
            .into_iter()
            .map(|(table_name, e)| TableError {
                table_name,
                error_detail: e.into(),
            })
            .collect(),
    })
}
