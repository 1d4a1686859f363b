//! What a script inherits from glue-local's own environment, by runner: an allow
//! list, never the server's AWS credentials or proxies.

use super::Runner;

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
pub(super) const DOCKER_ENV: &[&str] = &[
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DOCKER_CONFIG",
    "DOCKER_CERT_PATH",
    "DOCKER_TLS_VERIFY",
];

/// What a local Spark run needs to find Java and Spark.
const SPARK_ENV: &[&str] = &["JAVA_HOME", "SPARK_HOME", "PYSPARK_PYTHON"];

pub(super) fn inherited(name: &str, runner: &Runner) -> bool {
    let extra = match runner {
        Runner::Plain => &[][..],
        Runner::SparkLocal => SPARK_ENV,
        Runner::SparkDocker { .. } => DOCKER_ENV,
    };
    INHERITED_ENV.contains(&name) || name.starts_with("LC_") || extra.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
