//! Which local file a job's `ScriptLocation` names, and whether it may run.
//!
//! Only an operator's opt-in (`--scripts-dir`) lets scripts run at all; a script then runs
//! only if its canonical path (symlinks followed, `..` resolved) lies under a scripts dir.
//! `s3://bucket/key` names `<s3 dir>/bucket/key` and can never point out of the s3 dir.

use std::path::{Path, PathBuf};

/// Whether `location` names a file on this machine: `file://…`, or `s3://…` with an s3 dir.
pub(crate) fn is_local(location: &str, s3_dir: Option<&Path>) -> bool {
    location.starts_with("file://") || (location.starts_with("s3://") && s3_dir.is_some())
}

/// The canonical path of the script `location` names, or why it may not run.
/// `scripts_dirs` are canonical already.
pub(crate) fn resolve(location: &str, s3_dir: Option<&Path>, scripts_dirs: &[PathBuf]) -> Result<PathBuf, String> {
    let path = if let Some(path) = location.strip_prefix("file://") {
        let path = Path::new(path);
        if !path.is_absolute() {
            return Err(format!("{location} is not an absolute file:/// path"));
        }
        canonical(path, location)?
    } else if let (Some(rest), Some(s3_dir)) = (location.strip_prefix("s3://"), s3_dir) {
        let s3_dir = s3_dir
            .canonicalize()
            .map_err(|e| format!("the --s3-dir {} cannot be read: {e}", s3_dir.display()))?;
        let path = canonical(&s3_dir.join(s3_relative(rest, location)?), location)?;
        if !path.starts_with(&s3_dir) {
            return Err(format!("{location} leads out of the --s3-dir"));
        }
        path
    } else {
        return Err(format!("{location} is not a local script"));
    };
    if !scripts_dirs.iter().any(|dir| path.starts_with(dir)) {
        return Err(format!(
            "{location} ({}) lies outside every --scripts-dir",
            path.display()
        ));
    }
    if !path.is_file() {
        return Err(format!("{location} is not a file"));
    }
    Ok(path)
}

/// `bucket/key` as a relative path of plain names (empty segments dropped, as the file
/// system would): no `.` or `..`, and a bucket and a key that are not empty.
fn s3_relative(rest: &str, location: &str) -> Result<PathBuf, String> {
    let relative = s3_segments(rest, location)?;
    if relative.components().count() == 1 {
        return Err(format!("{location} names no key"));
    }
    Ok(relative)
}

/// `bucket[/key]` as a relative path of plain names: a bucket, then the key's segments (empty ones
/// dropped), none of them `.` or `..`.
pub(crate) fn s3_segments(rest: &str, location: &str) -> Result<PathBuf, String> {
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("{location} names no bucket"));
    }
    let mut relative = PathBuf::new();
    for segment in std::iter::once(bucket).chain(key.split('/')).filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return Err(format!("{location} has a '.' or '..' in its bucket or key"));
        }
        relative.push(segment);
    }
    Ok(relative)
}

fn canonical(path: &Path, location: &str) -> Result<PathBuf, String> {
    path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{location} not found"),
        _ => format!("{location} cannot be resolved: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A fresh folder: `scripts/` (the scripts dir, also the s3 dir's parent), `s3/` and `outside/`.
    fn tree(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("glue-local-script-path-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for dir in ["scripts/s3/b/k", "outside"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(root.join("scripts/a.py"), "").unwrap();
        fs::write(root.join("scripts/s3/b/k/x.sh"), "").unwrap();
        fs::write(root.join("outside/x.sh"), "").unwrap();
        fs::write(root.join("scripts/x.sh"), "").unwrap();
        root.canonicalize().unwrap()
    }

    fn check(root: &Path, location: &str) -> Result<PathBuf, String> {
        let scripts = [root.join("scripts")];
        resolve(location, Some(&root.join("scripts/s3")), &scripts)
    }

    #[test]
    fn locations_under_the_scripts_dir_run() {
        let root = tree("ok");
        let file = format!("file://{}", root.join("scripts/a.py").display());
        assert_eq!(check(&root, &file).unwrap(), root.join("scripts/a.py"));
        let dotted = format!("file://{}", root.join("scripts/s3/../a.py").display());
        assert_eq!(check(&root, &dotted).unwrap(), root.join("scripts/a.py"));
        assert_eq!(check(&root, "s3://b/k/x.sh").unwrap(), root.join("scripts/s3/b/k/x.sh"));
    }

    #[test]
    fn locations_outside_are_refused() {
        let root = tree("outside");
        let outside = format!("file://{}", root.join("outside/x.sh").display());
        assert!(check(&root, &outside)
            .unwrap_err()
            .contains("outside every --scripts-dir"));
        let climbing = format!("file://{}", root.join("scripts/../outside/x.sh").display());
        assert!(check(&root, &climbing)
            .unwrap_err()
            .contains("outside every --scripts-dir"));
        assert!(check(&root, "file://relative/a.py").unwrap_err().contains("absolute"));
        let missing = format!("file://{}", root.join("scripts/none.py").display());
        assert!(check(&root, &missing).unwrap_err().contains("not found"));
        let folder = format!("file://{}", root.join("scripts").display());
        assert!(check(&root, &folder).unwrap_err().contains("not a file"));
        assert!(resolve(&outside, None, &[]).is_err(), "no scripts dir: nothing runs");
    }

    #[test]
    fn s3_keys_stay_in_the_s3_dir() {
        let root = tree("s3");
        assert!(check(&root, "s3://b/../../x.sh").unwrap_err().contains("'..'"));
        assert!(check(&root, "s3://b/k/../../../x.sh").unwrap_err().contains("'..'"));
        assert!(check(&root, "s3://../x.sh").unwrap_err().contains("'..'"));
        assert!(check(&root, "s3:///x.sh").unwrap_err().contains("no bucket"));
        assert!(check(&root, "s3://b").unwrap_err().contains("no key"));
        assert!(check(&root, "s3://b/").unwrap_err().contains("no key"));
        assert!(check(&root, "s3://b/./k/x.sh").unwrap_err().contains("'.'"));
        assert!(check(&root, "s3://b//").unwrap_err().contains("no key"));
        assert!(check(&root, "s3://b//k/x.sh").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_before_the_check() {
        let root = tree("links");
        std::os::unix::fs::symlink(root.join("outside/x.sh"), root.join("scripts/s3/b/out.sh")).unwrap();
        std::os::unix::fs::symlink(root.join("outside"), root.join("scripts/out")).unwrap();
        std::os::unix::fs::symlink(root.join("scripts/a.py"), root.join("outside/in.py")).unwrap();
        assert!(check(&root, "s3://b/out.sh")
            .unwrap_err()
            .contains("out of the --s3-dir"));
        let via_dir = format!("file://{}", root.join("scripts/out/x.sh").display());
        assert!(check(&root, &via_dir)
            .unwrap_err()
            .contains("outside every --scripts-dir"));
        let inward = format!("file://{}", root.join("outside/in.py").display());
        assert_eq!(check(&root, &inward).unwrap(), root.join("scripts/a.py"));
    }

    #[test]
    fn local_locations() {
        assert!(is_local("file:///tmp/a.py", None));
        assert!(is_local("s3://b/k.py", Some(Path::new("/d"))));
        assert!(!is_local("s3://b/k.py", None));
        assert!(!is_local("https://x/a.py", Some(Path::new("/d"))));
    }
}
