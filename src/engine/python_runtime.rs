//! glue-local's own `awsglue` package (runtime/python), first on every `.py` script's
//! PYTHONPATH: embedded in the binary and written under the log dir by the first script
//! run of a process (again after a failure), as `<log dir>/glue-local-runtime/<version>/python`
//! where `<version>` is a digest of the package, so servers of different versions sharing
//! a log dir never run each other's package.
//!
//! The folders on that path must be the server user's and writable by no one else: a
//! package another user could change would run as that user inside every script.

use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const PACKAGE: &[(&str, &str)] = &[
    (
        "awsglue/__init__.py",
        include_str!("../../runtime/python/awsglue/__init__.py"),
    ),
    (
        "awsglue/utils.py",
        include_str!("../../runtime/python/awsglue/utils.py"),
    ),
    (
        "awsglue/_spark.py",
        include_str!("../../runtime/python/awsglue/_spark.py"),
    ),
    (
        "awsglue/context.py",
        include_str!("../../runtime/python/awsglue/context.py"),
    ),
    (
        "awsglue/dynamicframe.py",
        include_str!("../../runtime/python/awsglue/dynamicframe.py"),
    ),
    ("awsglue/job.py", include_str!("../../runtime/python/awsglue/job.py")),
    (
        "awsglue/_bookmarks.py",
        include_str!("../../runtime/python/awsglue/_bookmarks.py"),
    ),
    (
        "awsglue/_s3_bookmark.py",
        include_str!("../../runtime/python/awsglue/_s3_bookmark.py"),
    ),
    (
        "awsglue/_signed.py",
        include_str!("../../runtime/python/awsglue/_signed.py"),
    ),
    (
        "awsglue/_catalog.py",
        include_str!("../../runtime/python/awsglue/_catalog.py"),
    ),
];

/// The folder holding the written package, once written.
#[derive(Debug, Clone, Default)]
pub struct PythonRuntime {
    written: OnceLock<PathBuf>,
}

impl PythonRuntime {
    /// The folder to put first on PYTHONPATH, writing the package there on first use.
    pub(crate) fn path(&self, log_dir: &Path) -> Result<&Path, String> {
        if let Some(dir) = self.written.get() {
            return Ok(dir);
        }
        let dir = log_dir.join("glue-local-runtime").join(version()).join("python");
        write_package(log_dir, &dir)
            .map_err(|e| format!("Cannot write glue-local's awsglue package under {}: {e}", dir.display()))?;
        // A concurrent first run may have set it already: same folder, same files.
        Ok(self.written.get_or_init(|| dir))
    }
}

/// The first 12 hex digits of a SHA-256 over the package's names and texts.
fn version() -> String {
    let mut digest = Sha256::new();
    for (name, text) in PACKAGE {
        for part in [name, text] {
            digest.update((part.len() as u64).to_le_bytes());
            digest.update(part.as_bytes());
        }
    }
    hex::encode(&digest.finalize()[..6])
}

/// PYTHONPATH for a script: the package's folder, then the PYTHONPATH glue-local inherited.
pub(crate) fn python_path(package: &Path, inherited: Option<OsString>) -> OsString {
    let mut path = OsString::from(package);
    if let Some(inherited) = inherited.filter(|p| !p.is_empty()) {
        path.push(":");
        path.push(inherited);
    }
    path
}

/// Writes every file of the package under `dir` (inside `log_dir`), each by renaming a
/// fresh temporary file over it, so a script starting meanwhile reads a whole file.
fn write_package(log_dir: &Path, dir: &Path) -> io::Result<()> {
    for (name, text) in PACKAGE {
        let path = dir.join(name);
        let folder = path.parent().unwrap_or(dir);
        fs::create_dir_all(folder)?;
        let temp = folder.join(format!(".{}.{}.tmp", std::process::id(), rand::random::<u64>()));
        let written = (|| {
            let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
            file.write_all(text.as_bytes())?;
            private_folders(log_dir, folder, &file.metadata()?)?;
            fs::rename(&temp, &path)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written?;
    }
    Ok(())
}

/// Refuses `folder` and its parents up to `log_dir` unless each belongs to the owner of
/// `ours` (a file this process just created) and no one else may write to it.
#[cfg(unix)]
fn private_folders(log_dir: &Path, folder: &Path, ours: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    for dir in folder.ancestors() {
        let meta = fs::metadata(dir)?;
        if meta.uid() != ours.uid() || meta.mode() & 0o022 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} belongs to another user or others may write to it (mode {:o}); choose a private --log-dir",
                    dir.display(),
                    meta.mode() & 0o7777
                ),
            ));
        }
        if dir == log_dir {
            break;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn private_folders(_log_dir: &Path, _folder: &Path, _ours: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("glue-local-runtime-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_the_package_once_and_overwrites_stale_files() {
        let log_dir = fresh("write");
        let stale = log_dir.join(format!("glue-local-runtime/{}/python/awsglue/utils.py", version()));
        fs::create_dir_all(stale.parent().unwrap()).unwrap();
        fs::write(&stale, "raise SystemExit('old')").unwrap();
        let runtime = PythonRuntime::default();
        let dir = runtime.path(&log_dir).unwrap().to_path_buf();
        assert_eq!(dir, log_dir.join("glue-local-runtime").join(version()).join("python"));
        assert_eq!(version().len(), 12);
        for (name, text) in PACKAGE {
            assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), *text);
        }
        let leftovers: Vec<_> = fs::read_dir(dir.join("awsglue"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        // Written once: later calls do not touch the files.
        fs::write(&stale, "changed").unwrap();
        assert_eq!(runtime.path(&log_dir).unwrap(), dir);
        assert_eq!(fs::read_to_string(&stale).unwrap(), "changed");
        fs::remove_dir_all(&log_dir).unwrap();
    }

    #[test]
    fn ours_first_on_python_path() {
        let dir = Path::new("/logs/glue-local-runtime/python");
        assert_eq!(python_path(dir, None), "/logs/glue-local-runtime/python");
        assert_eq!(python_path(dir, Some("".into())), "/logs/glue-local-runtime/python");
        assert_eq!(
            python_path(dir, Some("/a:/b".into())),
            "/logs/glue-local-runtime/python:/a:/b"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_folders_others_may_write_and_retries_later() {
        use std::os::unix::fs::PermissionsExt;
        let log_dir = fresh("shared");
        fs::set_permissions(&log_dir, fs::Permissions::from_mode(0o777)).unwrap();
        let runtime = PythonRuntime::default();
        let error = runtime.path(&log_dir).unwrap_err();
        assert!(error.contains("others may write to it (mode 777)"), "{error}");
        assert!(!log_dir
            .join("glue-local-runtime")
            .join(version())
            .join("python/awsglue/utils.py")
            .exists());
        fs::set_permissions(&log_dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(runtime.path(&log_dir).unwrap().join("awsglue/utils.py").is_file());
        fs::remove_dir_all(&log_dir).unwrap();
    }
}
