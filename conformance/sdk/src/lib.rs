//! Helpers for the Rust SDK leg of glue-local's conformance suite.
//!
//! The tests in `tests/sdk/` talk to a running glue-local through `aws-sdk-glue`.
//! The server is the one at `GLUE_LOCAL_ENDPOINT` when that is set; otherwise the
//! first test to need it starts `target/debug/glue-local` on a free port (one server
//! for the whole test binary) and it is killed when the test binary exits.

use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sdk_glue::config::Region;
use aws_sdk_glue::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_glue::types::{JobCommand, WorkflowRun, WorkflowRunStatus};

/// The region the tests use unless they say otherwise.
pub const REGION: &str = "us-east-1";
/// How long a test waits for a workflow run (or anything else) before it fails.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30);
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

static SERVER: OnceLock<String> = OnceLock::new();
static CHILD: Mutex<Option<Child>> = Mutex::new(None);

/// The base URL of the server under test (`http://host:port`), starting one if needed.
pub fn endpoint() -> &'static str {
    SERVER.get_or_init(|| match std::env::var("GLUE_LOCAL_ENDPOINT") {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
        _ => start_server(),
    })
}

/// The account the server assigns to requests (the runner and `start_server` both use the default).
pub fn account_id() -> String {
    std::env::var("GLUE_LOCAL_ACCOUNT_ID").unwrap_or_else(|_| "123456789012".to_string())
}

/// Where tests write job scripts: a `--scripts-dir` of the server. Under the runner that is
/// `$CONFORMANCE_SCRIPTS_DIR/sdk`; a server of our own gets a temporary folder.
pub fn scripts_dir() -> PathBuf {
    let dir = match std::env::var_os("CONFORMANCE_SCRIPTS_DIR") {
        Some(root) if !root.is_empty() => PathBuf::from(root).join("sdk"),
        _ => std::env::temp_dir().join(format!("glue-local-sdk-scripts-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// A Glue client for `region`, signing with static test credentials, without TLS.
pub fn client_in(region: &str) -> aws_sdk_glue::Client {
    client_at(endpoint(), region)
}

/// A Glue client of the server at `endpoint` (e.g. an in-process `glue_local::testing::TestServer`).
pub fn client_at(endpoint: &str, region: &str) -> aws_sdk_glue::Client {
    let http_client = aws_smithy_http_client::Builder::new().build_http();
    let config = aws_sdk_glue::Config::builder()
        .endpoint_url(endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .http_client(http_client)
        .behavior_version_latest()
        .build();
    aws_sdk_glue::Client::from_conf(config)
}

/// A Glue client for [`REGION`].
pub fn client() -> aws_sdk_glue::Client {
    client_in(REGION)
}

/// A name no other test (nor an earlier run against the same server) uses.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{:x}-{n}", std::process::id(), nanos % (1 << 40))
}

/// Polls `probe` every 20 ms until it yields a value; panics naming `what` after `timeout`.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        if Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Makes the next `count` runs of `job` (in [`REGION`]) end in `state` with `error_message`.
pub async fn inject_job_outcome(job: &str, state: &str, error_message: &str, count: u32) {
    let body = serde_json::json!({
        "jobName": job,
        "state": state,
        "errorMessage": error_message,
        "count": count,
        "accountId": account_id(),
        "region": REGION,
    })
    .to_string();
    let base = endpoint().to_string();
    let (status, reply) =
        tokio::task::spawn_blocking(move || http_request(&base, "POST", "/_glue_local/outcomes", &body))
            .await
            .expect("outcome request task")
            .unwrap_or_else(|e| panic!("POST /_glue_local/outcomes failed: {e}"));
    assert_eq!(status, 200, "POST /_glue_local/outcomes answered {status}: {reply}");
}

/// One plain HTTP/1.1 request to the server's control endpoints; returns (status, body).
pub fn http_request(base: &str, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let authority = base
        .strip_prefix("http://")
        .ok_or_else(|| std::io::Error::other(format!("endpoint {base:?} is not http://")))?
        .split('/')
        .next()
        .unwrap_or_default();
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no HTTP status line in {response:?}")))?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    Ok((status, body.to_string()))
}

/// Asserts that `result` is the service error `code` (as the SDK reads it) with a message,
/// and returns the operation's typed error for the caller to match on.
#[track_caller]
pub fn expect_service_error<O, E, R>(result: Result<O, SdkError<E, R>>, code: &str, context: &str) -> E
where
    O: std::fmt::Debug,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match result {
        Ok(out) => panic!("{context}: expected {code}, but the call succeeded: {out:?}"),
        Err(err) => {
            assert_eq!(err.code(), Some(code), "{context}: {}", DisplayErrorContext(&err));
            let message = err.message().unwrap_or_default().to_string();
            assert!(!message.is_empty(), "{context}: {code} without a message");
            match err {
                SdkError::ServiceError(service) => service.into_err(),
                other => panic!(
                    "{context}: expected a service error, got {}",
                    DisplayErrorContext(other)
                ),
            }
        }
    }
}

/// Creates a job whose runs are simulated (an `s3://` script and no `--s3-dir`).
pub async fn create_job(client: &aws_sdk_glue::Client, name: &str) {
    create_job_with_script(client, name, "s3://glue-local-conformance/script.py").await;
}

/// Creates a job that runs `script_location`.
pub async fn create_job_with_script(client: &aws_sdk_glue::Client, name: &str, script_location: &str) {
    client
        .create_job()
        .name(name)
        .role(format!("arn:aws:iam::{}:role/glue-local-conformance", account_id()))
        .command(
            JobCommand::builder()
                .name("glueetl")
                .script_location(script_location)
                .build(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateJob {name}: {}", DisplayErrorContext(e)));
}

/// Polls GetWorkflowRun (with its graph) until the run is COMPLETED and returns it.
pub async fn wait_until_completed(client: &aws_sdk_glue::Client, workflow: &str, run_id: &str) -> WorkflowRun {
    let what = format!("workflow run {run_id} of {workflow} to be COMPLETED");
    wait_for(&what, RUN_TIMEOUT, || async {
        let out = client
            .get_workflow_run()
            .name(workflow)
            .run_id(run_id)
            .include_graph(true)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GetWorkflowRun {workflow} {run_id}: {}", DisplayErrorContext(e)));
        let run = out.run().expect("GetWorkflowRun returned no Run").clone();
        (run.status() == Some(&WorkflowRunStatus::Completed)).then_some(run)
    })
    .await
}

fn server_binary() -> PathBuf {
    if let Ok(bin) = std::env::var("GLUE_LOCAL_BIN") {
        return PathBuf::from(bin);
    }
    let target = match std::env::var("CARGO_TARGET_DIR") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    };
    target.join("debug").join("glue-local")
}

extern "C" {
    fn atexit(callback: extern "C" fn()) -> std::os::raw::c_int;
}

/// Kills the server this process started; runs when the test binary exits.
extern "C" fn kill_server() {
    if let Ok(mut guard) = CHILD.lock() {
        if let Some(mut child) = guard.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts glue-local on a free port and waits for its health endpoint; returns its URL.
fn start_server() -> String {
    let bin = server_binary();
    assert!(
        bin.is_file(),
        "GLUE_LOCAL_ENDPOINT is unset and there is no server binary at {} (run `cargo build` first, \
         or set GLUE_LOCAL_BIN)",
        bin.display()
    );
    let mut child = Command::new(&bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--job-duration",
            "50ms",
            "--log-level",
            "warn",
        ])
        .args(["--region", REGION, "--account-id", &account_id()])
        .arg("--scripts-dir")
        .arg(scripts_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", bin.display()));

    // The server prints "glue-local <version> listening on http://<addr>" once it is bound;
    // keep draining its stdout afterwards so it never writes into a closed pipe.
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(url) = line.split("listening on ").nth(1) {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(url.trim().trim_end_matches('/').to_string());
                }
            }
        }
    });
    *CHILD.lock().unwrap() = Some(child);
    // SAFETY: registers a plain `extern "C" fn` with the C runtime; it runs once at exit.
    unsafe {
        atexit(kill_server);
    }

    fn fail(message: String) -> ! {
        kill_server();
        panic!("{message}");
    }
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let url = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(url) => break url,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = CHILD.lock().unwrap().as_mut().and_then(|c| c.wait().ok());
                fail(format!(
                    "{} closed its output before it listened (exit: {status:?})",
                    bin.display()
                ))
            }
        }
        if let Some(status) = CHILD.lock().unwrap().as_mut().and_then(|c| c.try_wait().ok().flatten()) {
            fail(format!("{} exited with {status} before it listened", bin.display()));
        }
        if Instant::now() >= deadline {
            fail(format!(
                "{} did not say where it listens within {STARTUP_TIMEOUT:?}",
                bin.display()
            ));
        }
    };
    loop {
        if let Ok((200, _)) = http_request(&url, "GET", "/_glue_local/health", "") {
            return url;
        }
        if Instant::now() >= deadline {
            fail(format!(
                "{url}/_glue_local/health did not answer 200 within {STARTUP_TIMEOUT:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
