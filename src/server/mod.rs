//! The HTTP server: accepts connections, routes `/` to the Glue API ([`glue`]) and
//! `/_glue_local/…` to the control endpoints ([`control_endpoints`]), and shuts
//! down cleanly when its caller says so (the binary: on SIGINT/SIGTERM).

mod authn;
mod body;
mod bookmarks;
mod control_endpoints;
mod glue;
mod hosts;
mod job_logs;
mod s3_events;

use crate::api;
use crate::auth::iam_config::IamConfig;
use crate::config::Config;
use crate::engine::credentials::JobCredentials;
use crate::engine::spark::SparkSettings;
use crate::engine::{Engine, Settings};
use crate::protocol::response;
use body::BodyLimits;
use hosts::AllowedHosts;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tracing::warn;

/// Everything a request needs.
pub struct App {
    pub engine: Engine,
    pub config: Config,
    /// Principals and policies; `None` is the permissive default (any key is the account's admin).
    pub iam: RwLock<Option<Arc<IamConfig>>>,
    pub hosts: AllowedHosts,
    pub bodies: BodyLimits,
}

/// A bound listener and the app behind it, not serving yet: [`Server::bind`] then
/// [`Server::serve`]. The binary and [`crate::testing`] both start this way.
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
}

impl Server {
    /// Loads the IAM config, opens the state, binds `--host`:`--port` (0: a free port).
    pub async fn bind(config: Config) -> Result<Server, String> {
        let iam = match &config.iam_config {
            Some(path) => Some(Arc::new(IamConfig::load(path)?)),
            None => None,
        };
        api::model(); // parse the Glue model before the first request needs it
        let listener = TcpListener::bind(SocketAddr::new(config.host, config.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let settings = settings(&config, addr)?;
        let engine = match &config.state_dir {
            Some(dir) => Engine::open(settings, dir)?,
            None => Engine::new(settings),
        };
        let app = Arc::new(App {
            hosts: AllowedHosts::new(&config.allowed_hosts, addr.ip()),
            bodies: BodyLimits::new(config.max_body_bytes_in_flight, config.body_timeout),
            engine,
            config,
            iam: RwLock::new(iam),
        });
        Ok(Server { listener, app })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The URL clients use: a wildcard host is reached through loopback.
    pub fn endpoint_url(&self) -> String {
        self.app.engine.settings().endpoint_url.clone()
    }

    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Serves until `shutdown` completes, then lets open connections finish (8 s at
    /// most) and stops the background tasks (scheduler, compaction).
    pub async fn serve(self, shutdown: impl Future<Output = ()>) {
        let Server { listener, app } = self;
        let mut background = tokio::task::JoinSet::new();
        if app.config.state_dir.is_some() {
            background.spawn(compact_now_and_then(app.clone()));
        }
        if let Some(watching) = app
            .config
            .s3_dir
            .clone()
            .and_then(|dir| s3_events::watch(app.clone(), dir))
        {
            background.spawn(watching);
        }
        let scheduled = app.clone();
        background.spawn(async move { crate::engine::scheduler::run(&scheduled.engine).await });
        serve(listener, app, shutdown).await;
        background.shutdown().await;
    }
}

impl App {
    /// Reads `--iam-config` again (SIGHUP, `POST /_glue_local/reload`); the number of principals.
    pub fn reload_iam(&self) -> Result<usize, String> {
        control_endpoints::reload_iam(self)
    }
}

fn settings(config: &Config, addr: SocketAddr) -> Result<Settings, String> {
    let callback_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    Ok(Settings {
        job_duration: config.job_duration,
        time_scale: config.time_scale,
        s3_dir: config.s3_dir.clone(),
        scripts_dirs: scripts_dirs(config)?,
        log_dir: config
            .log_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("glue-local-logs")),
        endpoint_url: format!("http://{callback_host}:{}", addr.port()),
        job_credentials: Arc::new(JobCredentials::new(config.job_credential_grace)),
        python_runtime: Default::default(),
        quotas: config.quotas(),
        spark: SparkSettings {
            executor: config.spark_executor,
            spark_submit: config.spark_submit.clone(),
            image: config.spark_image.clone(),
            pull: config.spark_pull,
        },
    })
}

/// The `--scripts-dir` folders, canonical (so that a script's canonical path can be compared).
fn scripts_dirs(config: &Config) -> Result<Vec<std::path::PathBuf>, String> {
    config
        .scripts_dirs
        .iter()
        .map(|dir| match dir.canonicalize() {
            Ok(canonical) if canonical.is_dir() => Ok(canonical),
            Ok(_) => Err(format!("--scripts-dir {}: not a folder", dir.display())),
            Err(e) => Err(format!("--scripts-dir {}: {e}", dir.display())),
        })
        .collect()
}

async fn serve(listener: TcpListener, app: Arc<App>, shutdown: impl Future<Output = ()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Some(app.config.header_timeout).filter(|t| !t.is_zero()))
        .keep_alive(true);
    // Beyond the cap, connections wait in the listen backlog until one closes: clients
    // are answered late rather than refused, and waiting costs this process nothing.
    let slots = Arc::new(Semaphore::new(app.config.max_connections as usize));
    let mut backoff = AcceptBackoff::default();
    loop {
        let next = async {
            let slot = slots.clone().acquire_owned().await.expect("the slots are never closed");
            (slot, backoff.accept(&listener).await)
        };
        tokio::select! {
            (slot, stream) = next => {
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                let service = hyper::service::service_fn(move |req| {
                    let app = app.clone();
                    async move { Ok::<_, Infallible>(handle(&app, req).await) }
                });
                let watched = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = watched.await;
                    drop(slot);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    // Running scripts are killed when their tasks are dropped with the runtime; runs in
    // progress come back settled (nodes ERROR) from the state dir, if there is one.
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(8), graceful.shutdown())
        .await
        .is_err()
    {
        warn!("some connections were still open after 8 s; closing them");
    }
}

/// Out of file descriptors (or memory), `accept` fails at once while the connection
/// waits in the backlog: wait, longer each time, instead of spinning a core.
#[derive(Default)]
struct AcceptBackoff {
    delay: Duration,
}

impl AcceptBackoff {
    const FIRST: Duration = Duration::from_millis(10);
    const LONGEST: Duration = Duration::from_secs(1);

    async fn accept(&mut self, listener: &TcpListener) -> TcpStream {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    self.delay = Duration::ZERO;
                    return stream;
                }
                // the one connection is gone; the next may be fine
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => {
                    if self.delay.is_zero() {
                        warn!("cannot accept connections ({e}); retrying with back-off");
                    }
                    self.delay = (self.delay * 2).clamp(Self::FIRST, Self::LONGEST);
                    tokio::time::sleep(self.delay).await;
                }
            }
        }
    }
}

async fn compact_now_and_then(app: Arc<App>) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        let app = app.clone();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || app.engine.compact_if_needed()).await {
            warn!("state compaction failed (the journal keeps everything): {e}");
        }
    }
}

async fn handle(app: &App, req: Request<Incoming>) -> Response<response::Body> {
    if let Err(e) = app.hosts.check(req.uri(), req.headers()) {
        warn!("refused {} {}: {}", req.method(), req.uri().path(), e.message);
        app.bodies.discard(req.into_body()).await;
        return response::error(&e, &uuid::Uuid::new_v4().to_string());
    }
    if let Some(name) = req.uri().path().strip_prefix("/_glue_local/") {
        let name = name.to_string();
        return control_endpoints::handle(app, name, req).await;
    }
    glue::handle(app, req).await
}
