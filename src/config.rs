//! Command-line flags and their environment variables.

use crate::engine::quotas::Quotas;
use crate::engine::spark::{PullPolicy, SparkExecutor};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Parser, Debug, Clone)]
#[command(
    name = "glue-local",
    version,
    about = "A local emulator of the AWS Glue API",
    args_override_self = true
)]
pub struct Config {
    /// Address to listen on (loopback by default).
    #[arg(long, env = "GLUE_LOCAL_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free one and logs it).
    #[arg(long, env = "GLUE_LOCAL_PORT", default_value_t = 9100)]
    pub port: u16,
    /// Region assumed when a request's credential scope names none.
    #[arg(long, env = "GLUE_LOCAL_REGION", default_value = "us-east-1")]
    pub region: String,
    /// Account of every request when no IAM config names principals.
    #[arg(long, env = "GLUE_LOCAL_ACCOUNT_ID", default_value = "123456789012")]
    pub account_id: String,
    /// How long a simulated job run or crawl takes, e.g. `50ms`, `2s`, `0ms`.
    #[arg(long, env = "GLUE_LOCAL_JOB_DURATION", default_value = "50ms", value_parser = parse_duration)]
    pub job_duration: Duration,
    /// Factor applied to Glue time (job timeouts): 60 makes a one-minute timeout last one second.
    #[arg(long, env = "GLUE_LOCAL_TIME_SCALE", default_value_t = 1.0)]
    pub time_scale: f64,
    /// Folder that stands in for S3: `s3://bucket/key` maps to `DIR/bucket/key`.
    #[arg(long, env = "GLUE_LOCAL_S3_DIR")]
    pub s3_dir: Option<PathBuf>,
    /// Folder whose scripts job runs may execute (repeatable; the variable takes DIR:DIR…).
    /// Without one, every job run is simulated, whatever its ScriptLocation.
    #[arg(
        long = "scripts-dir",
        value_name = "DIR",
        env = "GLUE_LOCAL_SCRIPTS_DIR",
        value_delimiter = ':'
    )]
    pub scripts_dirs: Vec<PathBuf>,
    /// How Spark jobs (glueetl, gluestreaming) run: simulate (as Python shell jobs), local or docker.
    #[arg(long, env = "GLUE_LOCAL_SPARK_EXECUTOR", default_value = "simulate")]
    pub spark_executor: SparkExecutor,
    /// `local` executor: this spark-submit rather than the first on PATH.
    #[arg(long, env = "GLUE_LOCAL_SPARK_SUBMIT", value_name = "PATH")]
    pub spark_submit: Option<PathBuf>,
    /// `docker` executor: this image for every Glue version rather than AWS's aws-glue-libs image of the job's GlueVersion.
    #[arg(long, env = "GLUE_LOCAL_SPARK_IMAGE", value_name = "IMAGE")]
    pub spark_image: Option<String>,
    /// `docker` executor: when `docker run` pulls the image: missing, never or always.
    #[arg(long, env = "GLUE_LOCAL_SPARK_PULL", default_value = "missing")]
    pub spark_pull: PullPolicy,
    /// How long a job run's credentials stay valid after the run ended, e.g. `60s`.
    #[arg(long, env = "GLUE_LOCAL_JOB_CREDENTIAL_GRACE", default_value = "60s", value_parser = parse_duration)]
    pub job_credential_grace: Duration,
    /// Folder for job run logs (script output); a temporary folder by default.
    #[arg(long, env = "GLUE_LOCAL_LOG_DIR")]
    pub log_dir: Option<PathBuf>,
    /// Keep all state in this folder across restarts (journal + snapshot); in memory only without it.
    #[arg(long, env = "GLUE_LOCAL_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// IAM principals and policies (JSON); without it any access key acts as the account's administrator.
    #[arg(long, env = "GLUE_LOCAL_IAM_CONFIG")]
    pub iam_config: Option<PathBuf>,
    /// Log level: error, warn, info (one line per request), debug, trace.
    #[arg(long, env = "GLUE_LOCAL_LOG_LEVEL", default_value = "warn")]
    pub log_level: String,
    /// Log format: text or json.
    #[arg(long, env = "GLUE_LOCAL_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
    /// Host names answered besides loopback ones (comma-separated; `*` answers any Host).
    #[arg(long, env = "GLUE_LOCAL_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// Time a client has to send a request's headers; also how long an idle keep-alive connection stays open (0: no limit).
    #[arg(long, env = "GLUE_LOCAL_HEADER_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub header_timeout: Duration,
    /// Time a client has to send a request's body once its headers are in (0: no limit).
    #[arg(long, env = "GLUE_LOCAL_BODY_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub body_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog until one closes.
    #[arg(long, env = "GLUE_LOCAL_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Request-body bytes buffered at once across connections (bodies up to 64 KiB are not counted), e.g. `64MiB`.
    #[arg(long, env = "GLUE_LOCAL_MAX_BODY_BYTES_IN_FLIGHT", default_value = "64MiB", value_parser = parse_size)]
    pub max_body_bytes_in_flight: usize,
    /// Raise or lower a quota, `NAME=N` (repeatable; comma-separated in the env var), e.g. `nodes-per-workflow=1000`.
    #[arg(long = "quota", env = "GLUE_LOCAL_QUOTAS", value_delimiter = ',', value_parser = parse_quota)]
    pub quotas: Vec<String>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Parses `250ms`, `2s`, `1.5s`, `3m` or a bare number of milliseconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => text.split_at(i),
        None => (text, "ms"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("not a duration: {text:?} (try 50ms or 2s)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("unknown duration unit in {text:?} (ms, s or m)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("bad duration {text:?}: {e}"))
}

/// Parses `4096`, `64KiB`, `10MiB` or `1GiB` (`K`, `M`, `G` are binary too) as bytes.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: usize = number
        .parse()
        .map_err(|_| format!("not a size: {text:?} (try 65536 or 64MiB)"))?;
    let shift = match unit.trim() {
        "" | "B" => 0,
        "K" | "KiB" => 10,
        "M" | "MiB" => 20,
        "G" | "GiB" => 30,
        _ => return Err(format!("unknown size unit in {text:?} (KiB, MiB or GiB)")),
    };
    value
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("size {text:?} is too large"))
}

/// Checks one `NAME=N` quota setting (applied by [`Config::quotas`]).
fn parse_quota(text: &str) -> Result<String, String> {
    Quotas::default().set(text).map(|()| text.to_string())
}

impl Config {
    /// AWS's default quotas with the `--quota` settings applied.
    pub fn quotas(&self) -> Quotas {
        let mut quotas = Quotas::default();
        for spec in &self.quotas {
            // Each was checked when the flags were parsed.
            let _ = quotas.set(spec);
        }
        quotas
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("64KiB").unwrap(), 64 << 10);
        assert_eq!(parse_size("64MiB").unwrap(), 64 << 20);
        assert_eq!(parse_size("2 G").unwrap(), 2 << 30);
        assert!(parse_size("1TiB").is_err());
        assert!(parse_size("MiB").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("50ms").unwrap(), Duration::from_millis(50));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert!(parse_duration("5h").is_err());
        assert!(parse_duration("abc").is_err());
    }

    #[test]
    fn scripts_dirs_repeat_and_split() {
        use clap::Parser;
        let config = Config::try_parse_from(["glue-local", "--scripts-dir", "/a", "--scripts-dir", "/b:/c"]).unwrap();
        assert_eq!(config.scripts_dirs, [PathBuf::from("/a"), "/b".into(), "/c".into()]);
    }
}
