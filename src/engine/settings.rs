//! How the engine executes work.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a simulated job run or crawl takes.
    pub job_duration: Duration,
    /// Glue time divided by this gives real time (for job timeouts).
    pub time_scale: f64,
    /// Stands in for S3: `s3://bucket/key` is `s3_dir/bucket/key`.
    pub s3_dir: Option<PathBuf>,
    /// Where job scripts' output goes.
    pub log_dir: PathBuf,
    /// The address scripts use to call back into this emulator.
    pub endpoint_url: String,
    /// The secret of the job-runner credentials that scripts get (see [`Settings::job_credentials`]).
    pub job_secret: String,
}

/// Access keys of the job runner start with this, followed by the account id.
pub const JOB_RUNNER_KEY_PREFIX: &str = "GLJOB";

impl Settings {
    /// Credentials for a script of `account` to call back into the emulator: a key
    /// the server recognises as that account's job runner, and this process's secret.
    pub fn job_credentials(&self, account: &str) -> (String, String) {
        (format!("{JOB_RUNNER_KEY_PREFIX}{account}"), self.job_secret.clone())
    }
}

impl Settings {
    /// A job's timeout (minutes of Glue time) in real time.
    pub fn timeout(&self, minutes: i32) -> Duration {
        Duration::from_secs_f64(f64::from(minutes.max(1)) * 60.0 / self.time_scale.max(1e-9))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            job_duration: Duration::from_millis(50),
            time_scale: 1.0,
            s3_dir: None,
            log_dir: std::env::temp_dir().join("glue-local-logs"),
            endpoint_url: "http://127.0.0.1:9100".into(),
            job_secret: "glue-local-job".into(),
        }
    }
}
