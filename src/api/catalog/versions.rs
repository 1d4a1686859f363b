//! GetTableVersion, GetTableVersions, DeleteTableVersion, BatchDeleteTableVersion.

use super::{own_catalog, ErrorDetail, TableOut};
use crate::api::pagination::{self, PageRequest};
use crate::api::{Ctx, Empty, Reply};
use crate::protocol::WireError;
use serde::{Deserialize, Serialize};

/// A `VersionId`: the string of a whole number.
pub(super) fn parse_version(v: &str) -> Reply<u64> {
    v.trim()
        .parse()
        .map_err(|_| WireError::invalid_input(format!("VersionId {v:?} is not a table version")))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    catalog_id: Option<String>,
    database_name: String,
    table_name: String,
    version_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableVersionOut {
    table: TableOut,
    version_id: String,
}

impl TableVersionOut {
    fn new(ctx: &Ctx, table: crate::engine::catalog::Table) -> TableVersionOut {
        TableVersionOut {
            version_id: table.version_id.to_string(),
            table: TableOut::new(ctx, table),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    table_version: TableVersionOut,
}

/// Without a VersionId, the current version.
pub fn get(ctx: &Ctx, i: GetInput) -> Reply<GetOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let table = match i.version_id.as_deref() {
        Some(v) => ctx
            .region
            .get_table_version(&i.database_name, &i.table_name, parse_version(v)?)?,
        None => ctx.region.get_table(&i.database_name, &i.table_name)?,
    };
    Ok(GetOutput {
        table_version: TableVersionOut::new(ctx, table),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllInput {
    catalog_id: Option<String>,
    database_name: String,
    table_name: String,
    #[serde(flatten)]
    page: PageRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    table_versions: Vec<TableVersionOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// Newest first; versions made while a client pages come before its cursor.
pub fn get_all(ctx: &Ctx, i: GetAllInput) -> Reply<GetAllOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let versions = ctx.region.table_versions(&i.database_name, &i.table_name)?;
    let ids: Vec<(String, crate::engine::catalog::Table)> =
        versions.into_iter().map(|t| (t.version_id.to_string(), t)).collect();
    let scope = ctx.scope(format!(
        "GetTableVersions/{}/{}",
        crate::engine::catalog::normalize(&i.database_name),
        crate::engine::catalog::normalize(&i.table_name)
    ));
    let (page, next_token) = pagination::page_after_id(
        &scope,
        ids,
        |(id, _)| id.as_str(),
        i.page.next_token.as_deref(),
        i.page.max_results,
        100,
    )?;
    Ok(GetAllOutput {
        table_versions: page.into_iter().map(|(_, t)| TableVersionOut::new(ctx, t)).collect(),
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteInput {
    catalog_id: Option<String>,
    database_name: String,
    table_name: String,
    version_id: String,
}

pub fn delete(ctx: &Ctx, i: DeleteInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let version = parse_version(&i.version_id)?;
    let errors = ctx
        .region
        .delete_table_versions(&i.database_name, &i.table_name, &[version])?;
    match errors.into_iter().next() {
        Some((_, e)) => Err(e.into()),
        None => Ok(Empty {}),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchDeleteInput {
    catalog_id: Option<String>,
    database_name: String,
    table_name: String,
    version_ids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableVersionError {
    table_name: String,
    version_id: String,
    error_detail: ErrorDetail,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchDeleteOutput {
    errors: Vec<TableVersionError>,
}

pub fn batch_delete(ctx: &Ctx, i: BatchDeleteInput) -> Reply<BatchDeleteOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let mut errors = Vec::new();
    let mut versions = Vec::new();
    for v in i.version_ids {
        match parse_version(&v) {
            Ok(n) => versions.push(n),
            Err(e) => errors.push(TableVersionError {
                table_name: i.table_name.clone(),
                version_id: v,
                error_detail: ErrorDetail {
                    error_code: e.code,
                    error_message: e.message,
                },
            }),
        }
    }
    let failed = ctx
        .region
        .delete_table_versions(&i.database_name, &i.table_name, &versions)?;
    errors.extend(failed.into_iter().map(|(v, e)| TableVersionError {
        table_name: i.table_name.clone(),
        version_id: v.to_string(),
        error_detail: e.into(),
    }));
    Ok(BatchDeleteOutput { errors })
}
