//! How a job run or crawl ends: simulated, by an injected outcome, or by really
//! running a local script the operator allowed (see [`script_path`]). Each runs in its
//! own task and reports back through [`Region::job_finished`] / [`Region::crawl_finished`].

use super::actions::Origin;
use super::credentials::role_arn;
use super::job::{Arguments, JobRunState};
use super::python_runtime;
use super::region::{InjectedOutcome, OutcomeTarget, Region};
use super::run::{SharedCrawl, SharedJobRun};
use super::script_path;
use super::trigger::CrawlState;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::sync::Notify;

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
    },
    /// Fails at once, holding no slot (the job was deleted, or has too many runs).
    Fail(String),
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

fn job_outcome(injected: InjectedOutcome) -> Outcome<JobRunState> {
    let state = JobRunState::parse(&injected.state).unwrap_or(JobRunState::Failed);
    Outcome {
        state,
        error_message: injected.error_message,
    }
}

impl Region {
    /// Runs one job run to its end in a task of its own.
    pub(crate) fn spawn_job(self: &Arc<Self>, run: SharedJobRun, origin: Origin, work: Work, timeout: Duration) {
        let region = self.clone();
        let stop = Arc::new(Notify::new());
        let (id, job, minutes) = {
            let r = run.lock().unwrap();
            (r.id.clone(), r.job_name.clone(), r.timeout)
        };
        self.stops.insert(id.clone(), stop.clone());
        let held_slot = !matches!(work, Work::Fail(_));
        tokio::spawn(async move {
            region.mark_job_running(&run, &origin);
            let injected = region.take_outcome(&OutcomeTarget::Job(job.clone()));
            let settings = region.settings.clone();
            let ends = async {
                match (injected, work) {
                    (_, Work::Fail(message)) => Outcome {
                        state: JobRunState::Failed,
                        error_message: Some(message),
                    },
                    (Some(injected), _) => {
                        tokio::time::sleep(settings.job_duration).await;
                        job_outcome(injected)
                    }
                    (None, Work::Simulated) => {
                        tokio::time::sleep(settings.job_duration).await;
                        Outcome {
                            state: JobRunState::Succeeded,
                            error_message: None,
                        }
                    }
                    (None, Work::Script { location, role, args }) => {
                        region.run_script(&job, &id, &location, &role, &args).await
                    }
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
            region.stops.remove(&id);
            region.job_finished(&run, &origin, outcome, held_slot);
        });
    }

    /// Runs a crawl to its end in a task of its own.
    pub(crate) fn spawn_crawl(self: &Arc<Self>, crawl: SharedCrawl, origin: Origin) {
        let region = self.clone();
        let stop = Arc::new(Notify::new());
        let (id, crawler) = {
            let c = crawl.lock().unwrap();
            (c.id.clone(), c.crawler_name.clone())
        };
        self.stops.insert(id.clone(), stop.clone());
        tokio::spawn(async move {
            let injected = region.take_outcome(&OutcomeTarget::Crawler(crawler));
            let duration = region.settings.job_duration;
            let outcome = tokio::select! {
                _ = tokio::time::sleep(duration) => match injected {
                    Some(i) => Outcome {
                        state: CrawlState::parse(&i.state).unwrap_or(CrawlState::Failed),
                        error_message: i.error_message,
                    },
                    None => Outcome { state: CrawlState::Succeeded, error_message: None },
                },
                _ = stop.notified() => Outcome { state: CrawlState::Cancelled, error_message: None },
            };
            region.stops.remove(&id);
            region.crawl_finished(&crawl, &origin, outcome, true);
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
            region.crawl_finished(&crawl, &origin, outcome, false);
        });
    }

    /// Runs a script as a child process: `.py` with python3, `.sh` with sh, from a clean
    /// environment plus [`INHERITED_ENV`], the endpoint and region, and a credential of
    /// this run's own; a `.py` script finds glue-local's `awsglue` package first on its
    /// PYTHONPATH. Output goes to `<log dir>/aws-glue/jobs/output/<run id>` and
    /// `…/error/<run id>`, like Glue's log groups.
    async fn run_script(
        &self,
        job: &str,
        run_id: &str,
        location: &str,
        role: &str,
        args: &[String],
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
        let head = read_head(path).await;
        let (interpreter, interpreter_args) = match interpreter_for(path, &head) {
            Ok(i) => i,
            Err(message) => return failed(message),
        };
        let python_path = if path.extension().is_some_and(|e| e == "py") {
            match settings.python_runtime.path(&settings.log_dir) {
                Ok(package) => Some(python_runtime::python_path(package, std::env::var_os("PYTHONPATH"))),
                Err(message) => return failed(message),
            }
        } else {
            None
        };
        let logs = settings.log_dir.join("aws-glue").join("jobs");
        let (out_path, err_path) = (logs.join("output").join(run_id), logs.join("error").join(run_id));
        let open = |p: &Path| -> std::io::Result<std::fs::File> {
            std::fs::create_dir_all(p.parent().unwrap_or(Path::new(".")))?;
            std::fs::File::create(p)
        };
        let (out, err) = match (open(&out_path), open(&err_path)) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(e), _) | (_, Err(e)) => return failed(format!("Cannot write job logs under {}: {e}", logs.display())),
        };
        // Valid until this future ends (the script exits, is stopped or times out), plus the grace.
        let issued = settings
            .job_credentials
            .issue(&self.account, &self.name, run_id, role_arn(role, &self.account));
        let credential = &issued.credential;
        let mut command = tokio::process::Command::new(&interpreter);
        command
            .args(&interpreter_args)
            .arg(path)
            .args(args)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true)
            .env_clear()
            .envs(std::env::vars_os().filter(|(k, _)| k.to_str().is_some_and(inherited)))
            .env("AWS_ENDPOINT_URL", &settings.endpoint_url)
            .env("AWS_ENDPOINT_URL_GLUE", &settings.endpoint_url)
            .env("AWS_DEFAULT_REGION", &self.name)
            .env("AWS_REGION", &self.name)
            .env("AWS_ACCESS_KEY_ID", &credential.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", credential.secret_access_key())
            .env("AWS_SESSION_TOKEN", credential.session_token())
            .env("GLUE_LOCAL_JOB_RUN_ID", run_id);
        if let Some(python_path) = python_path {
            command.env("PYTHONPATH", python_path);
        }
        let status = match command.spawn() {
            Ok(mut child) => child.wait().await,
            Err(e) => return failed(format!("Cannot start {interpreter} for {}: {e}", path.display())),
        };
        match status {
            Ok(s) if s.success() => Outcome {
                state: JobRunState::Succeeded,
                error_message: None,
            },
            Ok(s) => {
                let tail = tail_of(&err_path).await;
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

fn inherited(name: &str) -> bool {
    INHERITED_ENV.contains(&name) || name.starts_with("LC_")
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

/// The last kilobyte of a log file, trimmed.
async fn tail_of(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = tokio::fs::File::open(path).await {
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes).await;
        let start = bytes.len().saturating_sub(1024);
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
            assert!(inherited(name), "{name}");
        }
        for name in [
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_CONFIG_FILE",
            "HTTPS_PROXY",
            "LD_PRELOAD",
            "GLUE_LOCAL_IAM_CONFIG",
        ] {
            assert!(!inherited(name), "{name}");
        }
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
