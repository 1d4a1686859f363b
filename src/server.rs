//! The HTTP server: accepts connections, routes `/` to the Glue API and
//! `/_glue_local/…` to the control endpoints, logs one line per request, and
//! shuts down cleanly on SIGINT/SIGTERM.

use crate::api::{self, Ctx};
use crate::auth::iam_config::IamConfig;
use crate::auth::{policy, sigv4};
use crate::config::Config;
use crate::control;
use crate::engine::settings::JOB_RUNNER_KEY_PREFIX;
use crate::engine::{Engine, Region, Settings};
use crate::protocol::model::ViolationKind;
use crate::protocol::{request, response, WireError};
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};
use tokio::net::TcpListener;
use tracing::{info, warn};

const SERVICE_PREFIX: &str = "AWSGlue";

/// Everything a request needs.
pub struct App {
    pub engine: Engine,
    pub config: Config,
    /// Principals and policies; `None` is the permissive default (any key is the account's admin).
    pub iam: RwLock<Option<Arc<IamConfig>>>,
}

/// Who is calling, once authenticated.
struct Caller {
    account: String,
    region: String,
    arn: String,
    iam: Option<Arc<IamConfig>>,
}

pub async fn run(config: Config) -> Result<(), String> {
    let iam = match &config.iam_config {
        Some(path) => Some(Arc::new(IamConfig::load(path)?)),
        None => None,
    };
    api::model(); // parse the Glue model before the first request needs it
    let listener = TcpListener::bind(SocketAddr::new(config.host, config.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let callback_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let settings = Settings {
        job_duration: config.job_duration,
        time_scale: config.time_scale,
        s3_dir: config.s3_dir.clone(),
        log_dir: config
            .log_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("glue-local-logs")),
        endpoint_url: format!("http://{callback_host}:{}", addr.port()),
        job_secret: hex::encode(rand::random::<[u8; 24]>()),
    };
    let engine = match &config.state_dir {
        Some(dir) => Engine::open(settings, dir)?,
        None => Engine::new(settings),
    };
    let app = Arc::new(App {
        engine,
        config,
        iam: RwLock::new(iam),
    });
    if app.config.state_dir.is_some() {
        tokio::spawn(compact_now_and_then(app.clone()));
    }
    tokio::spawn(crate::engine::scheduler::run(app.clone_engine_handle()));
    tokio::spawn(reload_on_hangup(app.clone()));
    println!("glue-local {} listening on http://{addr}", env!("CARGO_PKG_VERSION"));
    serve(listener, app).await;
    Ok(())
}

impl App {
    fn clone_engine_handle(self: &Arc<Self>) -> Arc<dyn crate::engine::scheduler::Regions> {
        self.clone()
    }
}

impl crate::engine::scheduler::Regions for App {
    fn regions(&self) -> Vec<Arc<crate::engine::Region>> {
        self.engine.regions()
    }
}

async fn serve(listener: TcpListener, app: Arc<App>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                let service = hyper::service::service_fn(move |req| {
                    let app = app.clone();
                    async move { Ok::<_, Infallible>(handle(&app, req).await) }
                });
                let conn = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service);
                let watched = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = watched.await;
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

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn handle(app: &App, req: Request<Incoming>) -> Response<response::Body> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let path = req.uri().path().to_string();
    if let Some(name) = path.strip_prefix("/_glue_local/") {
        return control_request(app, name.to_string(), req).await;
    }
    if req.method() != Method::POST || path != "/" {
        let err = WireError::new(
            "UnknownOperationException",
            format!("No Glue operation at {} {path}", req.method()),
        )
        .with_status(StatusCode::NOT_FOUND);
        return response::error(&err, &request_id);
    }
    let (parts, body) = req.into_parts();
    let operation = request::target_operation(&parts.headers, SERVICE_PREFIX)
        .unwrap_or("?")
        .to_string();
    let mut fields = LogFields::default();
    let result = match read_body(body).await {
        Ok(bytes) => glue_request(app, &parts, &bytes, &mut fields),
        Err(e) => Err(e),
    };
    let (response, status, error) = match result {
        Ok(body) => (response::success(body, &request_id), StatusCode::OK, "-"),
        Err(e) => (response::error(&e, &request_id), e.status, e.code),
    };
    info!(
        request_id = %request_id,
        operation = %operation,
        principal = fields.principal.as_deref().unwrap_or("-"),
        resource = fields.resource.as_deref().unwrap_or("-"),
        run_id = fields.run_id.as_deref().unwrap_or("-"),
        status = status.as_u16(),
        error,
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

async fn read_body(body: Incoming) -> Result<Bytes, WireError> {
    match Limited::new(body, request::MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err(request::too_large()),
        Err(e) => Err(WireError::serialization(format!("Cannot read the request body: {e}"))),
    }
}

/// What the request line of the log says beyond the operation and status.
#[derive(Default)]
struct LogFields {
    principal: Option<String>,
    /// The workflow, job, trigger or crawler the call names.
    resource: Option<String>,
    run_id: Option<String>,
}

/// One Glue call: target, content type, authentication, input validation,
/// authorization, then the handler. Returns the response body.
fn glue_request(
    app: &App,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    log: &mut LogFields,
) -> Result<Vec<u8>, WireError> {
    let op = request::target_operation(&parts.headers, SERVICE_PREFIX)?;
    request::check_content_type(&parts.headers)?;
    let caller = authenticate(app, parts, body)?;
    log.principal = Some(caller.arn.clone());
    let fail = |e: WireError| e;
    let model = api::model();
    if !model.has_operation(op) || !api::OPERATIONS.contains(&op) {
        return Err(fail(request::unknown_operation(&format!(
            "glue-local does not implement {op}"
        ))));
    }
    let input = request::parse_json(body).map_err(fail)?;
    model.validate_input(op, &input).map_err(|v| {
        fail(match v.kind {
            ViolationKind::Serialization => WireError::serialization(v.message),
            ViolationKind::InvalidInput => WireError::invalid_input(v.message),
        })
    })?;
    let member = |m: &str| input.get(m).and_then(serde_json::Value::as_str).map(str::to_string);
    log.resource = member("Name")
        .or_else(|| member("JobName"))
        .or_else(|| member("CrawlerName"));
    log.run_id = member("RunId");
    let region = app.engine.region(&caller.account, &caller.region);
    if let Some(iam) = &caller.iam {
        authorize(iam, &caller, op, &input, &region).map_err(fail)?;
    }
    let ctx = Ctx { region };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| api::dispatch(op, &ctx, input)));
    match outcome {
        Ok(Some(Ok(body))) => Ok(body),
        Ok(Some(Err(e))) => Err(fail(e)),
        Ok(None) => Err(fail(request::unknown_operation(op))),
        Err(_) => Err(fail(WireError::internal(format!(
            "glue-local failed while handling {op}; see its log"
        )))),
    }
}

fn auth_failure(e: sigv4::AuthError) -> WireError {
    WireError::new(e.code(), e.message()).with_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN))
}

fn authenticate(app: &App, parts: &hyper::http::request::Parts, body: &[u8]) -> Result<Caller, WireError> {
    let auth_error = |e: sigv4::AuthError| {
        WireError::new(e.code(), e.message())
            .with_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN))
    };
    let header = sigv4::authorization_from_headers(&parts.headers).map_err(auth_error)?;
    let iam = app.iam.read().unwrap_or_else(|e| e.into_inner()).clone();
    let region = if header.credential.region.is_empty() {
        app.config.region.clone()
    } else {
        header.credential.region.clone()
    };
    let verify = |secret: &str, token: Option<&str>| {
        let uri = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let method = parts.method.as_str();
        sigv4::verify(
            method,
            uri,
            &parts.headers,
            body,
            &header,
            secret,
            token,
            SystemTime::now(),
        )
        .map_err(auth_error)
    };
    let job_runner_account = header.credential.access_key_id.strip_prefix(JOB_RUNNER_KEY_PREFIX);
    match (iam, job_runner_account) {
        // Scripts of job runs call back with the job runner's key: verified, then trusted
        // like the account's administrator (they are the user's own code).
        (Some(_), Some(account)) => {
            verify(&app.engine.settings().job_secret, None)?;
            let arn = format!("arn:aws:iam::{account}:role/glue-local-job-runner");
            Ok(Caller {
                account: account.to_string(),
                arn,
                region,
                iam: None,
            })
        }
        (None, _) => {
            sigv4::check_date(&parts.headers, &header, SystemTime::now()).map_err(auth_error)?;
            let account = app.config.account_id.clone();
            Ok(Caller {
                arn: format!("arn:aws:iam::{account}:root"),
                account,
                region,
                iam: None,
            })
        }
        (Some(iam), None) => {
            let principal = iam
                .principal_by_key(&header.credential.access_key_id)
                .ok_or_else(|| auth_error(sigv4::AuthError::UnrecognizedClient))?;
            let token = parts.headers.get("x-amz-security-token").and_then(|v| v.to_str().ok());
            if token != principal.session_token() {
                return Err(auth_error(sigv4::AuthError::UnrecognizedClient));
            }
            verify(principal.secret_access_key(), principal.session_token())?;
            let (account, arn) = (principal.account.clone(), principal.arn.clone());
            Ok(Caller {
                account,
                arn,
                region,
                iam: Some(iam.clone()),
            })
        }
    }
}

/// Evaluates `action` on `resource` for the caller; a denial is AWS's AccessDeniedException.
fn check_policy(
    iam: &IamConfig,
    caller: &Caller,
    action: &str,
    resource: &str,
    tags: Option<&dyn policy::ResourceTags>,
) -> Result<(), WireError> {
    let principal = iam
        .principals()
        .iter()
        .find(|p| p.arn == caller.arn)
        .ok_or_else(|| auth_failure(sigv4::AuthError::UnrecognizedClient))?;
    let mut ctx = policy::RequestContext::new(action, resource, &caller.region);
    if let Some(tags) = tags {
        ctx = ctx.with_resource_tags(tags);
    }
    let decision = policy::evaluate(principal, &ctx);
    if decision.is_allowed() {
        Ok(())
    } else {
        Err(WireError::new(
            "AccessDeniedException",
            policy::denial_message(&caller.arn, action, resource, decision),
        ))
    }
}

fn authorize(
    iam: &IamConfig,
    caller: &Caller,
    op: &str,
    input: &serde_json::Value,
    region: &Region,
) -> Result<(), WireError> {
    let action = format!("glue:{op}");
    let resource = api::authz::resource(op, input, &caller.region, &caller.account);
    let tags = |key: &str| region.get_tags(&resource).ok().and_then(|t| t.get(key).cloned());
    check_policy(iam, caller, &action, &resource, Some(&tags))
}

async fn control_request(app: &App, name: String, req: Request<Incoming>) -> Response<response::Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let method = req.method().clone();
    if method == Method::GET && name == "health" {
        let (status, value) = control::health();
        return response::plain_json(status, &value);
    }
    if method == Method::GET && name.starts_with("ui") {
        return crate::console::serve(&name);
    }
    let action = match (&method, name.as_str()) {
        (&Method::POST, "reset") => "glue-local:Reset",
        (&Method::POST, "outcomes") => "glue-local:InjectOutcome",
        (&Method::POST, "iam/reload") => "glue-local:ReloadIamConfig",
        (m, n) => {
            let value = serde_json::json!({"error": format!("no control endpoint {m} /_glue_local/{n}")});
            return response::plain_json(StatusCode::NOT_FOUND, &value);
        }
    };
    let (parts, body) = req.into_parts();
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(e) => return response::error(&e, &request_id),
    };
    if let Err(e) = authorize_control(app, &parts, &body, action) {
        return response::error(&e, &request_id);
    }
    let (status, value) = match action {
        "glue-local:Reset" => control::reset(&app.engine),
        "glue-local:InjectOutcome" => control::outcomes(&app.engine, &app.config.account_id, &app.config.region, &body),
        _ => match reload_iam(app) {
            Ok(n) => (
                StatusCode::OK,
                serde_json::json!({"status": "reloaded", "principals": n}),
            ),
            Err(e) => (StatusCode::BAD_REQUEST, serde_json::json!({"error": e})),
        },
    };
    response::plain_json(status, &value)
}

/// With an IAM config, control endpoints need a signed request from a principal
/// allowed the `glue-local:*` action; without one they are open, like the API.
fn authorize_control(
    app: &App,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    action: &str,
) -> Result<(), WireError> {
    if app.iam.read().unwrap_or_else(|e| e.into_inner()).is_none() {
        return Ok(());
    }
    let caller = authenticate(app, parts, body)?;
    match &caller.iam {
        Some(iam) => check_policy(iam, &caller, action, "*", None),
        None => Ok(()),
    }
}

/// Re-reads the IAM config file; a bad file keeps the policies in force.
fn reload_iam(app: &App) -> Result<usize, String> {
    let Some(path) = &app.config.iam_config else {
        return Err("glue-local runs without --iam-config: nothing to reload".into());
    };
    let fresh = IamConfig::load(path)?;
    let count = fresh.principals().len();
    *app.iam.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(fresh));
    Ok(count)
}

async fn reload_on_hangup(app: Arc<App>) {
    #[cfg(unix)]
    {
        let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else {
            return;
        };
        while hangups.recv().await.is_some() {
            match reload_iam(&app) {
                Ok(n) => info!(principals = n, "IAM config reloaded"),
                Err(e) => warn!("IAM config not reloaded, the previous one stays in force: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = app;
}
