//! With `--s3-dir`: files written or moved under `DIR/<bucket>/<key>` are S3 objects being
//! created. Each produces S3's EventBridge events ("Object Created", and CloudTrail's
//! PutObject), routed through the rules of every partition to the workflows they target,
//! each delivery authorized like PutEvents' (`glue:notifyEvent` for the target's role).
//! The folder is watched with `notify` (inotify on Linux): no polling.

use super::App;
use crate::engine::events::deliver::s3_object_created;
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use tracing::{info, warn};

/// Paths waiting to be turned into events; the watcher's thread waits when it is full.
const QUEUE: usize = 1024;

/// Starts watching `--s3-dir` (before the server answers, so that health means watched);
/// the future turns what the watcher sees into events for as long as the server runs.
pub(super) fn watch(app: Arc<App>, dir: PathBuf) -> Option<impl std::future::Future<Output = ()>> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<PathBuf>(QUEUE);
    let handler = move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        if created(&event.kind) {
            for path in event.paths {
                let _ = tx.blocking_send(path);
            }
        }
    };
    let watching = notify::recommended_watcher(handler).and_then(|mut w| {
        w.watch(&dir, RecursiveMode::Recursive)?;
        Ok(w)
    });
    let watcher = match watching {
        Ok(w) => w,
        Err(e) => {
            warn!(
                "cannot watch --s3-dir {}: {e}; files will start no workflows",
                dir.display()
            );
            return None;
        }
    };
    let root = dir.canonicalize().unwrap_or(dir);
    Some(async move {
        let _watching = watcher;
        while let Some(path) = rx.recv().await {
            if let Some((bucket, key)) = object_of(&root, &path) {
                let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                deliver(&app, &bucket, &key, size);
            }
        }
    })
}

/// A file finished being written (closed after writing), or moved into the folder.
fn created(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) | EventKind::Modify(ModifyKind::Name(RenameMode::To))
    )
}

/// The bucket and key a file under the folder stands for: `<bucket>/<key…>`; none for a
/// file directly in the folder, outside it, or hidden (a name starting with `.`, as
/// editors' and copy tools' temporary files do).
fn object_of(root: &Path, path: &Path) -> Option<(String, String)> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(p) => p.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.len() < 2 || parts.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    Some((parts[0].to_string(), parts[1..].join("/")))
}

fn deliver(app: &App, bucket: &str, key: &str, size: u64) {
    let iam = app.iam.read().unwrap_or_else(|e| e.into_inner()).clone();
    for region in app.engine.regions() {
        let may = |role: Option<&str>, workflow: &str| {
            crate::auth::authorize::role_may(
                iam.as_deref(),
                &region.account,
                &region.name,
                role,
                crate::control::NOTIFY_EVENT,
                workflow,
            )
        };
        for event in s3_object_created(bucket, key, size) {
            for outcome in region.deliver_event(&event, &may) {
                match outcome.result {
                    Ok(d) => {
                        info!(bucket, key, event_id = %event.id, target = %outcome.target_arn, delivery = ?d, "S3 event delivered")
                    }
                    Err(why) => {
                        warn!(bucket, key, event_id = %event.id, target = %outcome.target_arn, "S3 event not delivered: {why}")
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_bucket_and_key() {
        let root = Path::new("/s3");
        let obj = |p: &str| object_of(root, Path::new(p));
        assert_eq!(
            obj("/s3/in/raw/2026/a.csv"),
            Some(("in".into(), "raw/2026/a.csv".into()))
        );
        assert_eq!(obj("/s3/in/a"), Some(("in".into(), "a".into())));
        assert_eq!(obj("/s3/a"), None, "no bucket");
        assert_eq!(obj("/elsewhere/in/a"), None);
        assert_eq!(obj("/s3/in/.a.csv.tmp"), None);
        assert_eq!(obj("/s3/in/.staging/a.csv"), None);
    }
}
