//! How a job run or crawl ends: simulated, by an injected outcome, or by really
//! running a local script the operator allowed (see [`script_path`]). Each runs in its
//! own task and reports back through [`Region::finished`].

pub(crate) mod state;

use super::actions::{Finished, Origin};
use super::credentials::role_arn;
use super::job::{Arguments, JobRunState, JobSpec};
use super::job_logs::{self, LogStream};
use super::python_runtime;
use super::region::Region;
use super::run::{SharedCrawl, SharedJobRun};
use super::script_path;
use super::spark::{self, SparkExecutor};
use super::trigger::CrawlState;
use state::InjectedOutcome;
use std::ffi::OsString;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// How a job run or crawl ended.
#[derive(Debug, Clone)]
pub(crate) struct Outcome<S> {
    pub state: S,
    pub error_message: Option<String>,
}

/// What a job run executes.
pub(crate) enum Work {
    Simulated,
    /// A local script, if [`script_path::resolve`] lets it run; `role` is the job's `Role`.
    Script {
        location: String,
        role: String,
        args: Vec<String>,
        runner: Runner,
    },
    /// Fails at once, holding no slot (the job was deleted, or has too many runs).
    Fail(String),
}

/// What runs a job's script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Runner {
    /// Its `#!` line, else its extension's interpreter (Python shell jobs; Spark ones when simulated).
    Plain,
    /// `spark-submit`, else Python, from this machine's PySpark.
    SparkLocal,
    /// `spark-submit` in a Glue image, the job's `GlueVersion`'s unless one is configured.
    SparkDocker { glue_version: Option<String> },
}

impl Runner {
    pub(crate) fn of(spec: &JobSpec, executor: SparkExecutor) -> Runner {
        if !spark::is_spark(spec.command.name.as_deref()) {
            return Runner::Plain;
        }
        match executor {
            SparkExecutor::Simulate => Runner::Plain,
            SparkExecutor::Local => Runner::SparkLocal,
            SparkExecutor::Docker => Runner::SparkDocker {
                glue_version: spec.glue_version.clone(),
            },
        }
    }
}

/// Glue-style arguments: `--JOB_NAME j --JOB_RUN_ID jr_… --key value …`.
pub(crate) fn script_args(job: &str, run_id: &str, arguments: &Arguments) -> Vec<String> {
    let mut args = vec![
        "--JOB_NAME".to_string(),
        job.to_string(),
        "--JOB_RUN_ID".to_string(),
        run_id.to_string(),
    ];
    for (k, v) in arguments {
        let key = if k.starts_with("--") {
            k.clone()
        } else {
            format!("--{k}")
        };
        args.push(key);
        args.push(v.clone());
    }
    args
}

impl<S> From<InjectedOutcome<S>> for Outcome<S> {
    fn from(injected: InjectedOutcome<S>) -> Outcome<S> {
        Outcome {
            state: injected.state,
            error_message: injected.error_message,
        }
    }
}

impl Region {
    /// Runs one job run to its end in a task of its own.
    pub(crate) fn spawn_job(self: &Arc<Self>, run: SharedJobRun, origin: Origin, work: Work, timeout: Duration) {
        let region = self.clone();
        let (id, job, minutes) = {
            let r = run.lock().unwrap();
            (r.id.clone(), r.job_name.clone(), r.timeout)
        };
        let stop = self.exec.new_stop(&id);
        let held_slot = !matches!(work, Work::Fail(_));
        tokio::spawn(async move {
            region.mark_job_running(&run, &origin);
            let injected = region.exec.take_outcome(|o| &mut o.jobs, &job);
            let settings = region.settings.clone();
            let ends = async {
                match (injected, work) {
                    (_, Work::Fail(message)) => Outcome {
                        state: JobRunState::Failed,
                        error_message: Some(message),
                    },
                    (Some(injected), _) => {
                        tokio::time::sleep(settings.job_duration).await;
                        injected.into()
                    }
                    (None, Work::Simulated) => {
                        tokio::time::sleep(settings.job_duration).await;
                        Outcome {
                            state: JobRunState::Succeeded,
                            error_message: None,
                        }
                    }
                    (
                        None,
                        Work::Script {
                            location,
                            role,
                            args,
                            runner,
                        },
                    ) => region.run_script(&job, &id, &location, &role, &args, &runner).await,
                }
            };
            let outcome = tokio::select! {
                outcome = ends => outcome,
                _ = stop.notified() => Outcome { state: JobRunState::Stopped, error_message: Some("Job run stopped".into()) },
                _ = tokio::time::sleep(timeout) => Outcome {
                    state: JobRunState::Timeout,
                    error_message: Some(format!("Job run timed out: it ran longer than its timeout of {minutes} minutes")),
                },
            };
            region.exec.forget_stop(&id);
            region.finished(
                &origin,
                Finished::Job {
                    run,
                    outcome,
                    held_slot,
                },
            );
        });
    }

    /// Runs a crawl to its end in a task of its own: an injected outcome if there is one, else a
    /// crawl of the files in the s3 dir if the crawler has S3 targets and there is an s3 dir
    /// (see [`Region::crawl_files`]), else a simulated one.
    pub(crate) fn spawn_crawl(self: &Arc<Self>, crawl: SharedCrawl, origin: Origin) {
        let region = self.clone();
        let (id, crawler) = {
            let c = crawl.lock().unwrap();
            (c.id.clone(), c.crawler_name.clone())
        };
        let stop = self.exec.new_stop(&id);
        tokio::spawn(async move {
            let injected = region.exec.take_outcome(|o| &mut o.crawlers, &crawler);
            let files = match (&injected, &region.settings.s3_dir) {
                (None, Some(s3_dir)) => region.crawl_plan(&crawler).map(|plan| (s3_dir.clone(), plan)),
                _ => None,
            };
            let outcome = match files {
                Some((s3_dir, plan)) => region.crawl_files(&crawl, s3_dir, plan, &stop).await,
                None => {
                    let duration = region.settings.job_duration;
                    tokio::select! {
                        _ = tokio::time::sleep(duration) => match injected {
                            Some(injected) => injected.into(),
                            None => Outcome { state: CrawlState::Succeeded, error_message: None },
                        },
                        _ = stop.notified() => Outcome { state: CrawlState::Cancelled, error_message: None },
                    }
                }
            };
            region.exec.forget_stop(&id);
            let ran = true;
            region.finished(&origin, Finished::Crawl { crawl, outcome, ran });
        });
    }

    /// Ends, in a task of its own, a crawl that could not start (its crawler was busy or gone).
    pub(crate) fn spawn_refused_crawl(self: &Arc<Self>, crawl: SharedCrawl, origin: Origin, message: String) {
        let region = self.clone();
        tokio::spawn(async move {
            let outcome = Outcome {
                state: CrawlState::Failed,
                error_message: Some(message),
            };
            let ran = false;
            region.finished(&origin, Finished::Crawl { crawl, outcome, ran });
        });
    }

    /// Runs a script as a child process in a process group of its own (see [`Launch`]),
    /// from a clean environment plus [`INHERITED_ENV`], the endpoint and region, and a
    /// credential of this run's own. Output goes to `<log dir>/aws-glue/jobs/output/<run id>`
    /// and `…/error/<run id>`, like Glue's log groups.
    async fn run_script(
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

    /// What to start for a script and how.
    async fn launch(&self, run_id: &str, path: &Path, runner: &Runner) -> Result<Launch, String> {
        let settings = &self.settings;
        let our_python_path = || -> Result<OsString, String> {
            let package = settings.python_runtime.path(&settings.log_dir)?;
            Ok(python_runtime::python_path(package, std::env::var_os("PYTHONPATH")))
        };
        let by_interpreter = |head: &str| -> Result<Launch, String> {
            let (program, mut args) = interpreter_for(path, head)?;
            args.push(path.display().to_string());
            Ok(Launch {
                program: program.into(),
                args: Vec::new(),
                command: args.into_iter().map(OsString::from).collect(),
                python_path: None,
                container: None,
            })
        };
        match runner {
            Runner::Plain => {
                let mut launch = by_interpreter(&read_head(path).await)?;
                if path.extension().is_some_and(|e| e == "py") {
                    launch.python_path = Some(our_python_path()?);
                }
                Ok(launch)
            }
            Runner::SparkLocal => {
                let submit = spark::spark_submit(settings.spark.spark_submit.as_deref(), std::env::var_os("PATH"));
                let mut launch = match submit {
                    Some(submit) => Launch {
                        program: submit.into_os_string(),
                        args: Vec::new(),
                        command: vec![path.as_os_str().to_owned()],
                        python_path: None,
                        container: None,
                    },
                    None => by_interpreter(&read_head(path).await)?,
                };
                launch.python_path = Some(our_python_path()?);
                Ok(launch)
            }
            Runner::SparkDocker { glue_version } => {
                let image = match &settings.spark.image {
                    Some(image) => image.clone(),
                    None => spark::image_for(glue_version.as_deref())?,
                };
                Ok(Launch {
                    program: "docker".into(),
                    args: spark::docker_run_args(run_id, path, settings.s3_dir.as_deref(), settings.spark.pull),
                    command: [
                        OsString::from(image),
                        "spark-submit".into(),
                        spark::container_script(path).into(),
                    ]
                    .into(),
                    python_path: None,
                    container: Some(spark::container_name(run_id)),
                })
            }
        }
    }
}

/// How a script starts: `program args [docker -e NAME…] command <job arguments>`.
struct Launch {
    program: OsString,
    args: Vec<OsString>,
    command: Vec<OsString>,
    python_path: Option<OsString>,
    /// The container the script runs in, if it runs in one.
    container: Option<String>,
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

/// What a script inherits from glue-local's own environment: where programs and home are,
/// locale, time zone, terminal, user and PYTHONPATH — never AWS_* (the server's own
/// credentials, profile, config files) nor proxies (their URLs can hold passwords).
const INHERITED_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "TZ",
    "TMPDIR",
    "TERM",
    "PYTHONPATH",
];

/// What the `docker` CLI needs to find its engine (not passed into the container).
const DOCKER_ENV: &[&str] = &[
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DOCKER_CONFIG",
    "DOCKER_CERT_PATH",
    "DOCKER_TLS_VERIFY",
];

/// What a local Spark run needs to find Java and Spark.
const SPARK_ENV: &[&str] = &["JAVA_HOME", "SPARK_HOME", "PYSPARK_PYTHON"];

fn inherited(name: &str, runner: &Runner) -> bool {
    let extra = match runner {
        Runner::Plain => &[][..],
        Runner::SparkLocal => SPARK_ENV,
        Runner::SparkDocker { .. } => DOCKER_ENV,
    };
    INHERITED_ENV.contains(&name) || name.starts_with("LC_") || extra.contains(&name)
}

/// What runs a script: the interpreter its `#!` line names (so a script can pick the
/// Python that has its libraries), else `python3` for `.py` and `sh` for `.sh`.
pub(crate) fn interpreter_for(path: &Path, head: &str) -> Result<(String, Vec<String>), String> {
    if let Some(line) = head.strip_prefix("#!") {
        let line = line.lines().next().unwrap_or("");
        let mut words = line.split_whitespace().map(str::to_string);
        if let Some(program) = words.next() {
            return Ok((program, words.collect()));
        }
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("py") => Ok(("python3".into(), Vec::new())),
        Some("sh") => Ok(("sh".into(), Vec::new())),
        _ => Err(format!(
            "Script {} is neither .py nor .sh and has no #! line",
            path.display()
        )),
    }
}

/// The first bytes of a script, enough for its `#!` line.
async fn read_head(path: &Path) -> String {
    let mut bytes = vec![0u8; 512];
    let n = match tokio::fs::File::open(path).await {
        Ok(mut f) => f.read(&mut bytes).await.unwrap_or(0),
        Err(_) => 0,
    };
    String::from_utf8_lossy(&bytes[..n]).into_owned()
}

/// How much of the error log a failed run's ErrorMessage holds.
const ERROR_TAIL: usize = 1024;
/// How far back a Spark run's error log is searched for the script's traceback.
const SPARK_ERROR_TAIL: usize = 256 * 1024;

/// The exception line of the last Python traceback in `log`.
fn python_exception(log: &str) -> Option<&str> {
    let start = log.rfind("Traceback (most recent call last):")?;
    log[start..]
        .lines()
        .skip(1)
        .find(|line| !line.is_empty() && !line.starts_with(char::is_whitespace))
        .map(str::trim)
}

/// The last `limit` bytes of a log file, trimmed.
async fn tail_of(path: &Path, limit: usize) -> String {
    let mut text = String::new();
    if let Ok(mut f) = tokio::fs::File::open(path).await {
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes).await;
        let start = bytes.len().saturating_sub(limit);
        text = String::from_utf8_lossy(&bytes[start..]).trim().to_string();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpreters() {
        let py = Path::new("/s/a.py");
        assert_eq!(interpreter_for(py, "import sys\n").unwrap(), ("python3".into(), vec![]));
        assert_eq!(
            interpreter_for(py, "#!/venv/bin/python -u\nimport sys\n").unwrap(),
            ("/venv/bin/python".into(), vec!["-u".to_string()])
        );
        assert_eq!(
            interpreter_for(Path::new("/s/a.sh"), "#!/bin/bash\n").unwrap(),
            ("/bin/bash".into(), vec![])
        );
        assert_eq!(
            interpreter_for(Path::new("/s/a.sh"), "").unwrap(),
            ("sh".into(), vec![])
        );
        assert_eq!(interpreter_for(py, "#!\nx").unwrap(), ("python3".into(), vec![]));
        assert!(interpreter_for(Path::new("/s/a.rb"), "puts 1").is_err());
        assert_eq!(
            interpreter_for(Path::new("/s/a"), "#!/usr/bin/env python3\n").unwrap(),
            ("/usr/bin/env".into(), vec!["python3".to_string()])
        );
    }

    #[test]
    fn environment_allow_list() {
        for name in ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH"] {
            assert!(inherited(name, &Runner::Plain), "{name}");
        }
        assert!(inherited("JAVA_HOME", &Runner::SparkLocal) && !inherited("JAVA_HOME", &Runner::Plain));
        let docker = Runner::SparkDocker { glue_version: None };
        assert!(inherited("DOCKER_HOST", &docker) && !inherited("DOCKER_HOST", &Runner::SparkLocal));
        for name in [
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_CONFIG_FILE",
            "HTTPS_PROXY",
            "LD_PRELOAD",
            "GLUE_LOCAL_IAM_CONFIG",
        ] {
            for runner in [
                Runner::Plain,
                Runner::SparkLocal,
                Runner::SparkDocker { glue_version: None },
            ] {
                assert!(!inherited(name, &runner), "{name}");
            }
        }
    }

    #[test]
    fn python_exceptions_in_spark_logs() {
        let log = "INFO start\nTraceback (most recent call last):\n  File \"a.py\", line 1\n    x()\nKeyError: 'a'\n\
                   During handling of the above exception, another exception occurred:\n\n\
                   Traceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n\
                   ValueError: spark boom\n26/12/03 INFO ShutdownHookManager: Deleting directory /tmp/x\n";
        assert_eq!(python_exception(log), Some("ValueError: spark boom"));
        assert_eq!(python_exception("INFO only\n"), None);
        assert_eq!(
            python_exception("Traceback (most recent call last):\n  File \"a.py\"\n"),
            None
        );
    }

    #[test]
    fn arguments() {
        let args = Arguments::from([("--x".to_string(), "1".to_string()), ("y".to_string(), "2".to_string())]);
        assert_eq!(
            script_args("J", "jr_1", &args),
            ["--JOB_NAME", "J", "--JOB_RUN_ID", "jr_1", "--x", "1", "--y", "2"]
        );
    }
}
