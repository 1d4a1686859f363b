//! Job bookmarks: GetJobBookmark, ResetJobBookmark.

use super::{Ctx, Reply};
use crate::engine::bookmark::BookmarkEntry;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BookmarkInput {
    job_name: String,
    run_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobBookmarkEntry {
    job_name: String,
    version: i32,
    run: i32,
    attempt: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_run_id: Option<String>,
    run_id: String,
    job_bookmark: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BookmarkOutput {
    job_bookmark_entry: JobBookmarkEntry,
}

fn output(job_name: String, e: BookmarkEntry) -> BookmarkOutput {
    BookmarkOutput {
        job_bookmark_entry: JobBookmarkEntry {
            job_name,
            version: e.version,
            run: e.run,
            attempt: e.attempt,
            previous_run_id: e.previous_run_id,
            run_id: e.run_id,
            job_bookmark: e.job_bookmark,
        },
    }
}

pub fn get(ctx: &Ctx, i: BookmarkInput) -> Reply<BookmarkOutput> {
    let entry = ctx.region.get_job_bookmark(&i.job_name, i.run_id.as_deref())?;
    Ok(output(i.job_name, entry))
}

pub fn reset(ctx: &Ctx, i: BookmarkInput) -> Reply<BookmarkOutput> {
    let entry = ctx.region.reset_job_bookmark(&i.job_name, i.run_id.as_deref())?;
    Ok(output(i.job_name, entry))
}
