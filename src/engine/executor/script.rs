//! Running a local script: a clean environment with the endpoint, region and a
//! credential of the run's own, its logs, its process group (or container), and
//! what its end says; stopped or timed out, dropping it takes all it started down.

use super::error_log::{python_exception, tail_of, ERROR_TAIL, SPARK_ERROR_TAIL};
use super::script_env::{inherited, DOCKER_ENV};
use super::{Outcome, Runner};
use crate::engine::credentials::role_arn;
use crate::engine::job::JobRunState;
use crate::engine::job_logs::{self, LogStream};
use crate::engine::region::Region;
use crate::engine::script_path;
use crate::engine::spark;
use std::ffi::OsString;
use std::path::Path;
use std::process::Stdio;

impl Region {
    /// Runs a script as a child process in a process group of its own (see [`Launch`](super::launch::Launch)),
    /// from a clean environment plus [`super::script_env`]'s `INHERITED_ENV`, the endpoint and region, and a
    /// credential of this run's own. Output goes to `<log dir>/aws-glue/jobs/output/<run id>`
    /// and `…/error/<run id>`, like Glue's log groups.
    pub(super) async fn run_script(
        &self,
        job: &str,
        run_id: &str,
        location: &str,
        role: &str,
        args: &[String],
        runner: &Runner,
    ) -> Outcome<JobRunState> {
        let failed = |message: String| Outcome {
            state: JobRunState::Failed,
            error_message: Some(message),
        };
        let settings = &self.settings;
        let path = match script_path::resolve(location, settings.s3_dir.as_deref(), &settings.scripts_dirs) {
            Ok(path) => path,
            Err(reason) => return failed(format!("Script of job {job} refused: {reason}")),
        };
        let path = path.as_path();
        let launch = match self.launch(run_id, path, runner).await {
            Ok(launch) => launch,
            Err(message) => return failed(message),
        };
        let out_path = job_logs::path(&settings.log_dir, LogStream::Output, run_id);
        let err_path = job_logs::path(&settings.log_dir, LogStream::Error, run_id);
        let open = |p: &Path| -> std::io::Result<std::fs::File> {
            std::fs::create_dir_all(p.parent().unwrap_or(Path::new(".")))?;
            std::fs::File::create(p)
        };
        let (out, err) = match (open(&out_path), open(&err_path)) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(e), _) | (_, Err(e)) => {
                return failed(format!(
                    "Cannot write job logs under {}: {e}",
                    settings.log_dir.display()
                ))
            }
        };
        // Valid until this future ends (the script exits, is stopped or times out), plus the grace.
        let issued = settings
            .job_credentials
            .issue(&self.account, &self.name, run_id, role_arn(role, &self.account));
        let credential = &issued.credential;
        let s3_dir = match (&launch.container, &settings.s3_dir) {
            (_, None) => None,
            (Some(_), Some(_)) => Some(OsString::from(spark::CONTAINER_S3_DIR)),
            (None, Some(dir)) => Some(dir.clone().into_os_string()),
        };
        let script_env = [
            ("AWS_ENDPOINT_URL", Some(OsString::from(&settings.endpoint_url))),
            ("AWS_ENDPOINT_URL_GLUE", Some(OsString::from(&settings.endpoint_url))),
            ("AWS_DEFAULT_REGION", Some(OsString::from(&self.name))),
            ("AWS_REGION", Some(OsString::from(&self.name))),
            ("AWS_ACCESS_KEY_ID", Some(OsString::from(&credential.access_key_id))),
            ("AWS_SECRET_ACCESS_KEY", Some(credential.secret_access_key().into())),
            ("AWS_SESSION_TOKEN", Some(credential.session_token().into())),
            ("GLUE_LOCAL_JOB_RUN_ID", Some(OsString::from(run_id))),
            ("GLUE_LOCAL_S3_DIR", s3_dir),
        ];
        let script_env: Vec<(&str, OsString)> = script_env.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
        let mut command = tokio::process::Command::new(&launch.program);
        command.args(&launch.args);
        if launch.container.is_some() {
            let names: Vec<&str> = script_env.iter().map(|(k, _)| *k).collect();
            command.args(spark::docker_env_args(&names));
        }
        command
            .args(&launch.command)
            .args(args)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true)
            .process_group(0)
            .env_clear()
            .envs(std::env::vars_os().filter(|(k, _)| k.to_str().is_some_and(|k| inherited(k, runner))))
            .envs(script_env.iter().map(|(k, v)| (k, v)));
        if let Some(python_path) = launch.python_path {
            command.env("PYTHONPATH", python_path);
        }
        let mut running = match command.spawn() {
            Ok(child) => Running {
                child,
                container: launch.container,
            },
            Err(e) => {
                let program = launch.program.to_string_lossy();
                return failed(format!("Cannot start {program} for {}: {e}", path.display()));
            }
        };
        let status = running.child.wait().await;
        running.container = None; // ended by itself: `docker run --rm` removed it
        match status {
            Ok(s) if s.success() => Outcome {
                state: JobRunState::Succeeded,
                error_message: None,
            },
            Ok(s) => {
                let tail = tail_of(&err_path, ERROR_TAIL).await;
                // Spark logs its shutdown after the script's traceback, which spark-submit
                // writes to its standard output: name the exception.
                let tail = match runner {
                    Runner::Plain => tail,
                    _ => {
                        let mut exception = None;
                        for log in [&err_path, &out_path] {
                            let text = tail_of(log, SPARK_ERROR_TAIL).await;
                            exception = python_exception(&text).map(str::to_string);
                            if exception.is_some() {
                                break;
                            }
                        }
                        exception.unwrap_or(tail)
                    }
                };
                let code = s.code().map_or("a signal".to_string(), |c| format!("exit code {c}"));
                failed(if tail.is_empty() {
                    format!("Script ended with {code}")
                } else {
                    format!("Script ended with {code}: {tail}")
                })
            }
            Err(e) => failed(format!("Waiting for the script failed: {e}")),
        }
    }
}

/// A started script. Dropped before it ended (stopped, timed out), it takes down all it
/// started: the script's whole process group (spark-submit's JVM and its Python workers
/// are not the child itself), and its container, which the `docker` CLI would leave running.
struct Running {
    child: tokio::process::Child,
    container: Option<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        // Not reaped yet (`wait` did not return), so the id is still this child's group.
        if let Some(pid) = self.child.id() {
            // SAFETY: killpg takes plain integers and touches no memory.
            unsafe {
                libc::killpg(pid as libc::pid_t, libc::SIGKILL);
            }
        }
        if let Some(container) = self.container.take() {
            let mut rm = tokio::process::Command::new("docker");
            rm.args(["rm", "--force", &container])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .env_clear()
                .envs(std::env::vars_os().filter(|(k, _)| {
                    k.to_str()
                        .is_some_and(|k| DOCKER_ENV.contains(&k) || k == "PATH" || k == "HOME")
                }));
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Ok(mut child) = rm.spawn() {
                        let _ = child.wait().await;
                    }
                });
            }
        }
    }
}
