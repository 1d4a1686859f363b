//! How Spark jobs (`glueetl`, `gluestreaming`) run: the `--spark-executor` setting and
//! the commands of its `local` (the user's own PySpark) and `docker` (AWS's Glue image)
//! executors. The script, its arguments and its environment are [`executor`]'s.
//!
//! [`executor`]: super::executor

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How Spark jobs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SparkExecutor {
    /// As Python shell jobs: a local script runs as a plain process, others are simulated.
    #[default]
    Simulate,
    /// With `spark-submit` (or `python3` and an importable `pyspark`) on this machine.
    Local,
    /// In AWS's Glue image, through the `docker` CLI.
    Docker,
}

impl FromStr for SparkExecutor {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "simulate" => Ok(SparkExecutor::Simulate),
            "local" => Ok(SparkExecutor::Local),
            "docker" => Ok(SparkExecutor::Docker),
            _ => Err(format!("unknown Spark executor {text:?} (simulate, local or docker)")),
        }
    }
}

/// When `docker run` pulls the image (its `--pull`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullPolicy {
    #[default]
    Missing,
    Never,
    Always,
}

impl PullPolicy {
    fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Missing => "missing",
            PullPolicy::Never => "never",
            PullPolicy::Always => "always",
        }
    }
}

impl FromStr for PullPolicy {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "missing" => Ok(PullPolicy::Missing),
            "never" => Ok(PullPolicy::Never),
            "always" => Ok(PullPolicy::Always),
            _ => Err(format!("unknown pull policy {text:?} (missing, never or always)")),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SparkSettings {
    pub executor: SparkExecutor,
    /// `local`: this `spark-submit` rather than the one on PATH.
    pub spark_submit: Option<PathBuf>,
    /// `docker`: this image for every Glue version rather than AWS's by version.
    pub image: Option<String>,
    pub pull: PullPolicy,
}

/// Whether a job's `Command.Name` is a Spark job's.
pub(crate) fn is_spark(command_name: Option<&str>) -> bool {
    matches!(command_name, Some("glueetl" | "gluestreaming"))
}

/// AWS's `aws-glue-libs` image for a Glue version; no version: the newest (5.0).
pub(crate) fn image_for(glue_version: Option<&str>) -> Result<String, String> {
    let tag = match glue_version.unwrap_or("5.0") {
        "5.0" => "5",
        "4.0" => "glue_libs_4.0.0_image_01",
        "3.0" => "glue_libs_3.0.0_image_01",
        "2.0" => "glue_libs_2.0.0_image_01",
        other => {
            return Err(format!(
                "AWS publishes no aws-glue-libs image for GlueVersion {other}; choose one with --spark-image"
            ))
        }
    };
    Ok(format!("public.ecr.aws/glue/aws-glue-libs:{tag}"))
}

/// The `spark-submit` to run: the one configured, else the first on `path` (a PATH value).
pub(crate) fn spark_submit(configured: Option<&Path>, path: Option<OsString>) -> Option<PathBuf> {
    if let Some(configured) = configured {
        return Some(configured.to_path_buf());
    }
    std::env::split_paths(&path?)
        .map(|dir| dir.join("spark-submit"))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Where the container sees the script and the `--s3-dir`.
pub(crate) const CONTAINER_SCRIPT_DIR: &str = "/glue-local/script";
pub(crate) const CONTAINER_S3_DIR: &str = "/glue-local/s3";

/// The container a job run's script runs in.
pub(crate) fn container_name(run_id: &str) -> String {
    format!("glue-local-{run_id}")
}

/// The script's path inside the container.
pub(crate) fn container_script(script: &Path) -> String {
    let name = script.file_name().unwrap_or_default().to_string_lossy();
    format!("{CONTAINER_SCRIPT_DIR}/{name}")
}

/// `docker run` options: the script read-only, the s3 dir read-write, the host's network
/// (the emulator's loopback address works inside).
pub(crate) fn docker_run_args(run_id: &str, script: &Path, s3_dir: Option<&Path>, pull: PullPolicy) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["run", "--rm", "--name"].map(OsString::from).into();
    args.push(container_name(run_id).into());
    args.push(format!("--pull={}", pull.as_str()).into());
    args.push("--network=host".into());
    // --mount is a CSV line: the source goes quoted, its quotes doubled.
    let mount = |source: &Path, target: &str, mode: &str| {
        let quote = |s: &str| s.replace('"', "\"\"");
        let source = quote(&source.as_os_str().to_string_lossy());
        OsString::from(format!(
            "type=bind,\"source={source}\",\"target={}\"{mode}",
            quote(target)
        ))
    };
    args.extend(["--mount".into(), mount(script, &container_script(script), ",readonly")]);
    if let Some(s3_dir) = s3_dir {
        args.extend(["--mount".into(), mount(s3_dir, CONTAINER_S3_DIR, "")]);
    }
    args
}

/// `-e NAME` for each of `names`: the container takes the values from the `docker` CLI's
/// environment, so that they (credentials) stay off its command line.
pub(crate) fn docker_env_args(names: &[&str]) -> Vec<OsString> {
    names
        .iter()
        .flat_map(|name| ["-e".into(), OsString::from(name)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executors_and_pull_policies_parse() {
        assert_eq!("local".parse::<SparkExecutor>().unwrap(), SparkExecutor::Local);
        assert_eq!("docker".parse::<SparkExecutor>().unwrap(), SparkExecutor::Docker);
        assert_eq!(SparkExecutor::default(), SparkExecutor::Simulate);
        assert!("spark".parse::<SparkExecutor>().is_err());
        assert_eq!("never".parse::<PullPolicy>().unwrap(), PullPolicy::Never);
        assert!("sometimes".parse::<PullPolicy>().is_err());
    }

    #[test]
    fn spark_jobs() {
        assert!(is_spark(Some("glueetl")) && is_spark(Some("gluestreaming")));
        assert!(!is_spark(Some("pythonshell")) && !is_spark(None));
    }

    #[test]
    fn images_follow_the_glue_version() {
        let image = |v| image_for(v).unwrap();
        assert_eq!(image(Some("5.0")), "public.ecr.aws/glue/aws-glue-libs:5");
        assert_eq!(image(None), "public.ecr.aws/glue/aws-glue-libs:5");
        assert_eq!(
            image(Some("4.0")),
            "public.ecr.aws/glue/aws-glue-libs:glue_libs_4.0.0_image_01"
        );
        assert_eq!(
            image(Some("3.0")),
            "public.ecr.aws/glue/aws-glue-libs:glue_libs_3.0.0_image_01"
        );
        assert_eq!(
            image(Some("2.0")),
            "public.ecr.aws/glue/aws-glue-libs:glue_libs_2.0.0_image_01"
        );
        assert!(image_for(Some("1.0")).unwrap_err().contains("--spark-image"));
    }

    #[test]
    fn spark_submit_configured_or_on_path() {
        let dir = std::env::temp_dir().join(format!("glue-local-spark-submit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let found = dir.join("spark-submit");
        std::fs::write(&found, "#!/bin/sh\n").unwrap();
        let path = std::env::join_paths(["/nonexistent".into(), dir.clone()]).unwrap();
        assert_eq!(spark_submit(None, Some(path.clone())), None, "not executable");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&found, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(spark_submit(None, Some(path.clone())), Some(found));
        let configured = Path::new("/opt/spark/bin/spark-submit");
        assert_eq!(spark_submit(Some(configured), Some(path)).unwrap(), configured);
        assert_eq!(spark_submit(None, None), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn docker_run_keeps_values_off_the_command_line() {
        assert_eq!(
            container_script(Path::new("/scripts/etl.py")),
            "/glue-local/script/etl.py"
        );
        let mut args = docker_run_args(
            "jr_1",
            Path::new("/scripts/etl.py"),
            Some(Path::new("/data/s3")),
            PullPolicy::Never,
        );
        args.extend(docker_env_args(&["AWS_SECRET_ACCESS_KEY"]));
        let args: Vec<_> = args.iter().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(
            args,
            [
                "run",
                "--rm",
                "--name",
                "glue-local-jr_1",
                "--pull=never",
                "--network=host",
                "--mount",
                "type=bind,\"source=/scripts/etl.py\",\"target=/glue-local/script/etl.py\",readonly",
                "--mount",
                "type=bind,\"source=/data/s3\",\"target=/glue-local/s3\"",
                "-e",
                "AWS_SECRET_ACCESS_KEY",
            ]
        );
    }
}
