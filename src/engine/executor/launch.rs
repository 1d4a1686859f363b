//! What to start for a script: its interpreter (its `#!` line, else its
//! extension's), `spark-submit` from this machine's PySpark, or `docker run` of a
//! Glue image, with the PYTHONPATH that holds glue-local's `awsglue`.

use super::Runner;
use crate::engine::python_runtime;
use crate::engine::region::Region;
use crate::engine::spark;
use std::ffi::OsString;
use std::path::Path;
use tokio::io::AsyncReadExt;

impl Region {
    /// What to start for a script and how.
    pub(super) async fn launch(&self, run_id: &str, path: &Path, runner: &Runner) -> Result<Launch, String> {
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
pub(super) struct Launch {
    pub(super) program: OsString,
    pub(super) args: Vec<OsString>,
    pub(super) command: Vec<OsString>,
    pub(super) python_path: Option<OsString>,
    /// The container the script runs in, if it runs in one.
    pub(super) container: Option<String>,
}

/// What runs a script: the interpreter its `#!` line names (so a script can pick the
/// Python that has its libraries), else `python3` for `.py` and `sh` for `.sh`.
fn interpreter_for(path: &Path, head: &str) -> Result<(String, Vec<String>), String> {
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
}
