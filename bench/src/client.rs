//! The HTTP side: requests signed as botocore signs them, one-off calls for
//! setting scenarios up, and the load loop (N keep-alive connections, each
//! sending requests back to back).

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpStream;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// No single request may take longer than this; the load stops on the first that does.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// An access key and the region requests are signed for.
#[derive(Clone, Debug)]
pub struct Creds {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub region: String,
}

impl Creds {
    pub fn new(key: &str, secret: &str) -> Creds {
        Creds {
            access_key_id: key.into(),
            secret_access_key: secret.into(),
            region: "us-east-1".into(),
        }
    }
}

/// Where a server listens (always loopback).
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub addr: SocketAddr,
}

impl Endpoint {
    pub fn loopback(port: u16) -> Endpoint {
        Endpoint {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        }
    }

    pub fn host(&self) -> String {
        self.addr.to_string()
    }
}

/// The headers botocore sends for a Glue call, signed with SigV4 over
/// `content-type;host;x-amz-date;x-amz-target` (botocore's set) at `now`.
pub fn signed_headers(host: &str, creds: &Creds, operation: &str, body: &[u8], now: SystemTime) -> HeaderMap {
    let target = format!("AWSGlue.{operation}");
    let to_sign = [
        ("X-Amz-Target", target.as_str()),
        ("Content-Type", CONTENT_TYPE),
        ("Host", host),
    ];
    let identity: Identity = Credentials::new(
        creds.access_key_id.as_str(),
        creds.secret_access_key.as_str(),
        None,
        None,
        "glue-local-bench",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&creds.region)
        .name("glue")
        .time(now)
        .settings(SigningSettings::default())
        .build()
        .expect("signing parameters")
        .into();
    let request = SignableRequest::new("POST", "/", to_sign.iter().copied(), SignableBody::Bytes(body))
        .expect("signable request");
    let (instructions, _) = sign(request, &params).expect("sign").into_parts();
    let mut headers = HeaderMap::new();
    for (name, value) in to_sign {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    for (name, value) in instructions.headers() {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    headers.insert("content-length", HeaderValue::from(body.len()));
    headers.insert(
        "user-agent",
        HeaderValue::from_static("Botocore/1.43.11 ua/2.1 os/linux lang/python glue-local-bench"),
    );
    headers.insert("amz-sdk-request", HeaderValue::from_static("attempt=1"));
    headers
}

/// One Glue operation with a fixed body, re-signed whenever the clock's second
/// changes (as a client's `X-Amz-Date` does), so every request carries a real,
/// current signature while the load loop spends its time sending, not hashing.
/// A numbered template instead makes each request's body from a counter shared
/// by every connection (names that must differ: CreateJob), signing each one.
pub struct Template {
    host: String,
    creds: Arc<Creds>,
    operation: String,
    body: Bytes,
    signed: Option<(u64, HeaderMap)>,
    numbered: Option<Numbered>,
}

/// A counter shared by the connections, and the body of request number n.
type Numbered = (Arc<AtomicU64>, fn(u64) -> String);

impl Template {
    pub fn new(endpoint: &Endpoint, creds: Arc<Creds>, operation: &str, body: impl Into<Bytes>) -> Template {
        Template {
            host: endpoint.host(),
            creds,
            operation: operation.into(),
            body: body.into(),
            signed: None,
            numbered: None,
        }
    }

    pub fn numbered(
        endpoint: &Endpoint,
        creds: Arc<Creds>,
        operation: &str,
        counter: Arc<AtomicU64>,
        body: fn(u64) -> String,
    ) -> Template {
        Template {
            numbered: Some((counter, body)),
            ..Template::new(endpoint, creds, operation, Bytes::new())
        }
    }

    pub fn request(&mut self) -> Request<Full<Bytes>> {
        let now = SystemTime::now();
        if let Some((counter, body)) = &self.numbered {
            let body = Bytes::from(body(counter.fetch_add(1, Ordering::Relaxed)));
            let headers = signed_headers(&self.host, &self.creds, &self.operation, &body, now);
            let mut request = Request::post("/").body(Full::new(body)).unwrap();
            *request.headers_mut() = headers;
            return request;
        }
        let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if self.signed.as_ref().is_none_or(|(s, _)| *s != second) {
            let headers = signed_headers(&self.host, &self.creds, &self.operation, &self.body, now);
            self.signed = Some((second, headers));
        }
        let mut request = Request::post("/").body(Full::new(self.body.clone())).unwrap();
        *request.headers_mut() = self.signed.as_ref().unwrap().1.clone();
        request
    }
}

async fn connect(endpoint: &Endpoint) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(endpoint.addr)
        .await
        .map_err(|e| format!("connect {}: {e}", endpoint.addr))?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// A single keep-alive connection for setting scenarios up (reconnects when the
/// server closes it).
pub struct Conn {
    endpoint: Endpoint,
    creds: Arc<Creds>,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// A response: status and body.
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl Conn {
    pub fn new(endpoint: &Endpoint, creds: Arc<Creds>) -> Conn {
        Conn {
            endpoint: endpoint.clone(),
            creds,
            sender: None,
        }
    }

    /// Sends one signed Glue call.
    pub async fn call_raw(&mut self, operation: &str, body: &str) -> Result<Reply, String> {
        let headers = signed_headers(
            &self.endpoint.host(),
            &self.creds,
            operation,
            body.as_bytes(),
            SystemTime::now(),
        );
        let mut request = Request::post("/")
            .body(Full::new(Bytes::copy_from_slice(body.as_bytes())))
            .unwrap();
        *request.headers_mut() = headers;
        self.send(request).await
    }

    /// Signs first, then times sending the call and reading its whole answer.
    pub async fn timed_call(&mut self, operation: &str, body: &str) -> Result<(Duration, Reply), String> {
        let headers = signed_headers(
            &self.endpoint.host(),
            &self.creds,
            operation,
            body.as_bytes(),
            SystemTime::now(),
        );
        let mut request = Request::post("/")
            .body(Full::new(Bytes::copy_from_slice(body.as_bytes())))
            .unwrap();
        *request.headers_mut() = headers;
        let started = Instant::now();
        let reply = self.send(request).await?;
        Ok((started.elapsed(), reply))
    }

    /// Sends one signed Glue call and requires HTTP 200; returns the JSON answer.
    pub async fn call(&mut self, operation: &str, body: serde_json::Value) -> Result<serde_json::Value, String> {
        let text = serde_json::to_string(&body).unwrap();
        let reply = self.call_raw(operation, &text).await?;
        if reply.status != 200 {
            return Err(format!(
                "{operation} answered HTTP {}: {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
            ));
        }
        Ok(reply.json())
    }

    /// Sends an unsigned request (control endpoints, plain HTTP probes).
    pub async fn plain(&mut self, method: &str, path: &str, body: &str) -> Result<Reply, String> {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.endpoint.host())
            .header("content-type", "application/json")
            .body(Full::new(Bytes::copy_from_slice(body.as_bytes())))
            .unwrap();
        self.send(request).await
    }

    async fn send(&mut self, request: Request<Full<Bytes>>) -> Result<Reply, String> {
        let mut sender = match self.sender.take() {
            Some(s) => match ready(s).await {
                Some(s) => s,
                None => connect(&self.endpoint).await?,
            },
            None => connect(&self.endpoint).await?,
        };
        let response = tokio::time::timeout(REQUEST_TIMEOUT, sender.send_request(request))
            .await
            .map_err(|_| "request timed out".to_string())?
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status().as_u16();
        let keep = !closes(response.headers());
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("reading the response: {e}"))?
            .to_bytes();
        if keep {
            self.sender = Some(sender);
        }
        Ok(Reply { status, body })
    }
}

/// The connection, once it can take another request; `None` when the server closed it.
async fn ready(mut sender: SendRequest<Full<Bytes>>) -> Option<SendRequest<Full<Bytes>>> {
    sender.ready().await.ok().map(|_| sender)
}

fn closes(headers: &HeaderMap) -> bool {
    headers
        .get(hyper::header::CONNECTION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("close"))
}

/// How to load a server.
#[derive(Clone, Copy, Debug)]
pub struct LoadSpec {
    pub connections: usize,
    /// Requests before the measured window are sent but not counted.
    pub warmup: Duration,
    /// Length of the measured window (an upper bound when `max_requests` is set).
    pub duration: Duration,
    /// Stop after this many requests in all (warm-up included).
    pub max_requests: u64,
}

/// What a load measured (requests that completed inside the window).
pub struct LoadResult {
    pub requests: u64,
    pub errors: u64,
    pub reconnects: u64,
    pub window: Duration,
    pub latency_us: Histogram<u64>,
    pub first_error: Option<String>,
    /// One response body, as a sample.
    pub sample: Option<Bytes>,
    /// Bodies of every successful response, when asked for.
    pub bodies: Vec<Bytes>,
}

impl LoadResult {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.window.as_secs_f64().max(1e-9)
    }

    pub fn percentile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }
}

struct ConnOutcome {
    requests: u64,
    errors: u64,
    reconnects: u64,
    hist: Histogram<u64>,
    first_error: Option<String>,
    sample: Option<Bytes>,
    bodies: Vec<Bytes>,
    last_done: Option<Instant>,
}

/// Loads `endpoint` with `spec.connections` connections, each sending the
/// template's request back to back until the window ends or the request budget
/// is spent. Latency is from sending a request to having read its whole answer
/// (including a reconnect when the server closed the connection).
pub async fn load(
    endpoint: &Endpoint,
    spec: LoadSpec,
    keep_bodies: bool,
    template: impl Fn() -> Template,
) -> LoadResult {
    let start = Instant::now();
    let measure_from = start + spec.warmup;
    let end = measure_from + spec.duration;
    let budget = Arc::new(AtomicI64::new(spec.max_requests.min(i64::MAX as u64) as i64));
    let mut tasks = Vec::new();
    for _ in 0..spec.connections {
        let endpoint = endpoint.clone();
        let budget = budget.clone();
        let mut template = template();
        tasks.push(tokio::spawn(async move {
            let mut out = ConnOutcome {
                requests: 0,
                errors: 0,
                reconnects: 0,
                hist: Histogram::new_with_bounds(1, 60_000_000, 3).unwrap(),
                first_error: None,
                sample: None,
                bodies: Vec::new(),
                last_done: None,
            };
            let mut sender: Option<SendRequest<Full<Bytes>>> = None;
            loop {
                let t0 = Instant::now();
                if t0 >= end || budget.fetch_sub(1, Ordering::Relaxed) <= 0 {
                    break;
                }
                let request = template.request();
                let result = async {
                    let reuse = match sender.take() {
                        Some(s) => ready(s).await,
                        None => None,
                    };
                    let mut s = match reuse {
                        Some(s) => s,
                        None => {
                            out.reconnects += 1;
                            connect(&endpoint).await?
                        }
                    };
                    let response = s
                        .send_request(request)
                        .await
                        .map_err(|e| format!("request failed: {e}"))?;
                    let status = response.status().as_u16();
                    let keep = !closes(response.headers());
                    let body = response
                        .into_body()
                        .collect()
                        .await
                        .map_err(|e| format!("reading the response: {e}"))?
                        .to_bytes();
                    if keep {
                        sender = Some(s);
                    }
                    Ok::<_, String>((status, body))
                };
                let result = match tokio::time::timeout(REQUEST_TIMEOUT, result).await {
                    Ok(r) => r,
                    Err(_) => Err(format!("no answer within {REQUEST_TIMEOUT:?}")),
                };
                let done = Instant::now();
                let counted = done >= measure_from && done <= end;
                match result {
                    Ok((200, body)) => {
                        if counted {
                            out.requests += 1;
                            let _ = out.hist.record((done - t0).as_micros().max(1) as u64);
                            out.last_done = Some(done);
                        }
                        if out.sample.is_none() {
                            out.sample = Some(body.clone());
                        }
                        if keep_bodies {
                            out.bodies.push(body);
                        }
                    }
                    Ok((status, body)) => {
                        out.errors += 1;
                        out.first_error
                            .get_or_insert_with(|| format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
                    }
                    Err(e) => {
                        out.errors += 1;
                        out.first_error.get_or_insert(e);
                        if out.errors > 1000 {
                            break;
                        }
                    }
                }
            }
            out
        }));
    }
    let mut result = LoadResult {
        requests: 0,
        errors: 0,
        reconnects: 0,
        window: spec.duration,
        latency_us: Histogram::new_with_bounds(1, 60_000_000, 3).unwrap(),
        first_error: None,
        sample: None,
        bodies: Vec::new(),
    };
    let mut last_done: Option<Instant> = None;
    for task in tasks {
        let out = task.await.expect("load task");
        result.requests += out.requests;
        result.errors += out.errors;
        result.reconnects += out.reconnects;
        result.latency_us.add(&out.hist).unwrap();
        if result.first_error.is_none() {
            result.first_error = out.first_error;
        }
        if result.sample.is_none() {
            result.sample = out.sample;
        }
        result.bodies.extend(out.bodies);
        last_done = last_done.max(out.last_done);
    }
    // A load that ran out of requests before the window closed lasted until its last answer.
    if let Some(last) = last_done {
        if budget.load(Ordering::Relaxed) <= 0 && last < end {
            result.window = last.saturating_duration_since(measure_from);
        }
    }
    result
}
