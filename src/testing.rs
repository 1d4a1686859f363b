//! An in-process glue-local for Rust integration tests: the real server (the same
//! [`Server::bind`] and [`Server::serve`] as the binary) on a free loopback port, inside
//! the caller's tokio runtime.
//!
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! let server = glue_local::testing::TestServer::start().await?;
//! // point aws-sdk-glue at server.endpoint_url() with any static credentials
//! server.stop().await; // or just drop it
//! # Ok(())
//! # }
//! ```

use crate::config::Config;
use crate::server::Server;
use clap::Parser;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server; dropping it shuts it down (in the background: [`TestServer::stop`]
/// waits for that, at most the server's 8 s grace for open connections).
pub struct TestServer {
    endpoint_url: String,
    account_id: String,
    region: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// With the binary's defaults (simulated 50 ms job runs, permissive IAM, in memory).
    pub async fn start() -> Result<TestServer, String> {
        Self::start_with_args(std::iter::empty::<&str>()).await
    }

    /// With extra command-line flags, e.g. `["--job-duration", "0ms", "--scripts-dir", dir]`.
    /// `--host 127.0.0.1 --port 0` come first, so the arguments may override them.
    pub async fn start_with_args<I, S>(args: I) -> Result<TestServer, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<std::ffi::OsString> + Clone,
    {
        let defaults = ["glue-local", "--host", "127.0.0.1", "--port", "0"].map(std::ffi::OsString::from);
        let all = defaults.into_iter().chain(args.into_iter().map(Into::into));
        let config = Config::try_parse_from(all).map_err(|e| e.to_string())?;
        Self::start_with_config(config).await
    }

    /// With a [`Config`] of the caller's (its `port` 0 picks a free one).
    pub async fn start_with_config(config: Config) -> Result<TestServer, String> {
        let account_id = config.account_id.clone();
        let region = config.region.clone();
        let server = Server::bind(config).await?;
        let endpoint_url = server.endpoint_url();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async {
            // a dropped sender stops the server too
            let _ = stopped.await;
        }));
        Ok(TestServer {
            endpoint_url,
            account_id,
            region,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, for `endpoint_url` of an SDK config.
    pub fn endpoint_url(&self) -> &str {
        &self.endpoint_url
    }

    /// The account every request acts in (without an IAM config naming principals).
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The region of requests whose credential scope names none.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Stops accepting connections, lets open ones finish and waits until it is down.
    pub async fn stop(mut self) {
        self.shutdown.take();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Dropping the sender ends the serve loop at its next poll; the task then
        // drains connections on its own.
        self.shutdown.take();
    }
}
