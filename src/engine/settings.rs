//! How the engine executes work.

use super::credentials::JobCredentials;
use super::python_runtime::PythonRuntime;
use super::quotas::Quotas;
use super::spark::SparkSettings;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a simulated job run or crawl takes.
    pub job_duration: Duration,
    /// Glue time divided by this gives real time (for job timeouts).
    pub time_scale: f64,
    /// Stands in for S3: `s3://bucket/key` is `s3_dir/bucket/key`.
    pub s3_dir: Option<PathBuf>,
    /// Canonical folders whose scripts may run; none: every job run is simulated.
    pub scripts_dirs: Vec<PathBuf>,
    /// Where job scripts' output goes.
    pub log_dir: PathBuf,
    /// The address scripts use to call back into this emulator.
    pub endpoint_url: String,
    /// The credentials given to running scripts.
    pub job_credentials: Arc<JobCredentials>,
    /// glue-local's `awsglue` package for `.py` scripts.
    pub python_runtime: PythonRuntime,
    /// What one (account, region) may define.
    pub quotas: Quotas,
    /// How Spark jobs run.
    pub spark: SparkSettings,
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
            scripts_dirs: Vec::new(),
            job_credentials: Arc::new(JobCredentials::new(Duration::from_secs(60))),
            python_runtime: PythonRuntime::default(),
            quotas: Quotas::default(),
            spark: SparkSettings::default(),
        }
    }
}
