//! TagResource, UntagResource, GetTags.

use super::{Ctx, Empty, Reply};
use crate::engine::workflow::Tags;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagInput {
    resource_arn: String,
    tags_to_add: Tags,
}

pub fn tag(ctx: &Ctx, i: TagInput) -> Reply<Empty> {
    ctx.region.tag_resource(&i.resource_arn, i.tags_to_add)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagInput {
    resource_arn: String,
    tags_to_remove: Vec<String>,
}

pub fn untag(ctx: &Ctx, i: UntagInput) -> Reply<Empty> {
    ctx.region.untag_resource(&i.resource_arn, &i.tags_to_remove)?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    resource_arn: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    tags: Tags,
}

pub fn get(ctx: &Ctx, i: GetInput) -> Reply<GetOutput> {
    Ok(GetOutput {
        tags: ctx.region.get_tags(&i.resource_arn)?,
    })
}
