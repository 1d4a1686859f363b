//! What a failed script's ErrorMessage quotes from its error log: its tail, or the
//! exception of the last Python traceback (Spark logs its shutdown after it).

use std::path::Path;
use tokio::io::AsyncReadExt;

/// How much of the error log a failed run's ErrorMessage holds.
pub(super) const ERROR_TAIL: usize = 1024;
/// How far back a Spark run's error log is searched for the script's traceback.
pub(super) const SPARK_ERROR_TAIL: usize = 256 * 1024;

/// The exception line of the last Python traceback in `log`.
pub(super) fn python_exception(log: &str) -> Option<&str> {
    let start = log.rfind("Traceback (most recent call last):")?;
    log[start..]
        .lines()
        .skip(1)
        .find(|line| !line.is_empty() && !line.starts_with(char::is_whitespace))
        .map(str::trim)
}

/// The last `limit` bytes of a log file, trimmed.
pub(super) async fn tail_of(path: &Path, limit: usize) -> String {
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
}
