//! A job run's log files, as a script's output and errors are written: under the log
//! dir, `aws-glue/jobs/output/<run id>` and `aws-glue/jobs/error/<run id>`, mirroring
//! Glue's CloudWatch log group `/aws-glue/jobs` (GetJobRun's `LogGroupName`) with the
//! run id as the stream.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// GetJobRun's `LogGroupName`: AWS's value, and the folder under the log dir.
pub const LOG_GROUP: &str = "/aws-glue/jobs";

/// Which of a job run's two logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    Output,
    Error,
}

impl LogStream {
    pub fn parse(name: &str) -> Option<LogStream> {
        match name {
            "output" => Some(LogStream::Output),
            "error" => Some(LogStream::Error),
            _ => None,
        }
    }

    fn folder(self) -> &'static str {
        match self {
            LogStream::Output => "output",
            LogStream::Error => "error",
        }
    }
}

/// Where a run's log is written. `run_id` must be one the engine issued (never a path).
pub fn path(log_dir: &Path, stream: LogStream, run_id: &str) -> PathBuf {
    log_dir
        .join(LOG_GROUP.trim_start_matches('/'))
        .join(stream.folder())
        .join(run_id)
}

/// The last `max` bytes of the file (fewer if it is shorter) and its whole size; an
/// absent file is an empty log (the run was simulated, or has not started yet).
pub fn tail(path: &Path, max: u64) -> io::Result<(Vec<u8>, u64)> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let size = file.metadata()?.len();
    let start = size.saturating_sub(max);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity((size - start) as usize);
    file.take(max).read_to_end(&mut bytes)?;
    Ok((bytes, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_log_group() {
        let p = path(Path::new("/logs"), LogStream::Error, "jr_1");
        assert_eq!(p, Path::new("/logs/aws-glue/jobs/error/jr_1"));
        assert_eq!(LogStream::parse("output"), Some(LogStream::Output));
        assert_eq!(LogStream::parse("../x"), None);
    }

    #[test]
    fn tail_is_bounded_and_absent_is_empty() {
        let dir = std::env::temp_dir().join(format!("glue-local-tail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("log");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(tail(&file, 4).unwrap(), (b"6789".to_vec(), 10));
        assert_eq!(tail(&file, 100).unwrap(), (b"0123456789".to_vec(), 10));
        assert_eq!(tail(&dir.join("absent"), 4).unwrap(), (Vec::new(), 0));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
