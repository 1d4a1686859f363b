//! CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase.

use super::{is_empty, own_catalog, passthrough};
use crate::api::pagination::PageRequest;
use crate::api::shapes::epoch;
use crate::api::{Ctx, Empty, Reply};
use crate::engine::catalog::{Database, DatabaseSpec, Parameters};
use crate::engine::clock::Timestamp;
use crate::engine::job::Passthrough;
use crate::engine::workflow::Tags;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// DatabaseInput members stored and returned as given.
const PASSTHROUGH: &[&str] = &["CreateTableDefaultPermissions", "TargetDatabase", "FederatedDatabase"];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseInputShape {
    name: String,
    description: Option<String>,
    location_uri: Option<String>,
    #[serde(default)]
    parameters: Parameters,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl DatabaseInputShape {
    fn into_spec(self) -> (String, DatabaseSpec) {
        let spec = DatabaseSpec {
            description: self.description,
            location_uri: self.location_uri,
            parameters: self.parameters,
            passthrough: passthrough(self.rest, PASSTHROUGH),
        };
        (self.name, spec)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_uri: Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    parameters: Parameters,
    #[serde(serialize_with = "epoch")]
    create_time: Timestamp,
    catalog_id: String,
    #[serde(flatten)]
    passthrough: Passthrough,
}

impl DatabaseOut {
    fn new(ctx: &Ctx, d: Database) -> DatabaseOut {
        let mut passthrough = d.spec.passthrough;
        // What AWS gives a database created without them: IAM alone controls its tables.
        passthrough.entry("CreateTableDefaultPermissions").or_insert_with(|| {
            json!([{"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}, "Permissions": ["ALL"]}])
        });
        DatabaseOut {
            name: d.name,
            description: d.spec.description,
            location_uri: d.spec.location_uri,
            parameters: d.spec.parameters,
            create_time: d.create_time,
            catalog_id: ctx.region.account.clone(),
            passthrough,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    catalog_id: Option<String>,
    database_input: DatabaseInputShape,
    tags: Option<Tags>,
}

pub fn create(ctx: &Ctx, i: CreateInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let (name, spec) = i.database_input.into_spec();
    ctx.region.create_database(&name, spec, i.tags.unwrap_or_default())?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NameInput {
    catalog_id: Option<String>,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    database: DatabaseOut,
}

pub fn get(ctx: &Ctx, i: NameInput) -> Reply<GetOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    Ok(GetOutput {
        database: DatabaseOut::new(ctx, ctx.region.get_database(&i.name)?),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllInput {
    catalog_id: Option<String>,
    #[serde(flatten)]
    page: PageRequest,
    resource_share_type: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAllOutput {
    database_list: Vec<DatabaseOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn get_all(ctx: &Ctx, i: GetAllInput) -> Reply<GetAllOutput> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    // No database is shared from another account: FOREIGN lists none.
    let databases = match i.resource_share_type.as_deref() {
        Some("FOREIGN") => Vec::new(),
        _ => ctx.region.databases(),
    };
    let request = format!("GetDatabases/{:?}", i.resource_share_type);
    let (page, next_token) = ctx.page(request, databases, |d| d.name.as_str(), &i.page, 100)?;
    Ok(GetAllOutput {
        database_list: page.into_iter().map(|d| DatabaseOut::new(ctx, d)).collect(),
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInput {
    catalog_id: Option<String>,
    name: String,
    database_input: DatabaseInputShape,
}

pub fn update(ctx: &Ctx, i: UpdateInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    let (new_name, spec) = i.database_input.into_spec();
    ctx.region.update_database(&i.name, &new_name, spec)?;
    Ok(Empty {})
}

pub fn delete(ctx: &Ctx, i: NameInput) -> Reply<Empty> {
    own_catalog(ctx, i.catalog_id.as_deref())?;
    ctx.region.delete_database(&i.name)?;
    Ok(Empty {})
}
