//! Starting and stopping the servers under test, and reading their memory.

use crate::client::{Conn, Creds, Endpoint};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// A server process started by the benchmark; killed when dropped.
pub struct Server {
    pub endpoint: Endpoint,
    child: Child,
    /// Extra processes whose memory counts (nginx's workers are children of its master).
    count_children: bool,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU seconds used by the server (and, for nginx, its workers).
    pub fn cpu_seconds(&self) -> f64 {
        let mut total = cpu_seconds(self.pid());
        if self.count_children {
            for child in children_of(self.pid()) {
                total += cpu_seconds(child);
            }
        }
        total
    }

    /// Resident memory in bytes (VmRSS), of the process and, for nginx, its workers.
    pub fn rss_bytes(&self) -> u64 {
        let mut total = rss_of(self.pid()).unwrap_or(0);
        if self.count_children {
            for child in children_of(self.pid()) {
                total += rss_of(child).unwrap_or(0);
            }
        }
        total
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first (nginx and glue-local shut down cleanly), then SIGKILL.
        let pid = self.pid().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat.
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    // After the command: state is field 3, utime 14 and stime 15 (1-based, whole line).
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // USER_HZ is 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// VmRSS of a process, from /proc/<pid>/status.
pub fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn children_of(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .is_some_and(|stat| {
                    // pid (comm) state ppid ...; comm may hold spaces, so split after ')'.
                    stat.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                        == Some(pid)
                })
        })
        .collect()
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Polls until `probe` answers or `limit` passes.
async fn wait_until_answering(endpoint: &Endpoint, path: &str, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let mut conn = Conn::new(endpoint, Arc::new(Creds::new("probe", "probe")));
        if conn.plain("GET", path, "").await.is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("nothing answered on {} within {limit:?}", endpoint.addr));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How to start glue-local.
pub struct GlueLocal {
    pub binary: PathBuf,
    pub scratch: PathBuf,
}

impl GlueLocal {
    fn command(&self, port: u16, job_duration: &str, iam: Option<&Path>, extra: &[String]) -> Command {
        let mut cmd = Command::new(&self.binary);
        cmd.args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--job-duration", job_duration, "--log-level", "warn"])
            .arg("--log-dir")
            .arg(self.scratch.join("logs"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(iam) = iam {
            cmd.arg("--iam-config").arg(iam);
        }
        cmd.args(extra);
        cmd
    }

    /// Starts glue-local and waits for its health endpoint.
    pub async fn start(&self, job_duration: &str, iam: Option<&Path>) -> Result<Server, String> {
        self.start_with(job_duration, iam, &[]).await
    }

    /// [`GlueLocal::start`] with more flags.
    pub async fn start_with(&self, job_duration: &str, iam: Option<&Path>, extra: &[String]) -> Result<Server, String> {
        let port = free_port();
        let child = self
            .command(port, job_duration, iam, extra)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        let server = Server {
            endpoint: Endpoint::loopback(port),
            child,
            count_children: false,
        };
        wait_until_answering(&server.endpoint, "/_glue_local/health", Duration::from_secs(120)).await?;
        Ok(server)
    }

    /// Starts glue-local and times exec → first answered Glue request (a signed
    /// ListWorkflows over a fresh connection, retried every 100 µs while the port
    /// refuses). Blocking I/O on purpose: nothing but the server runs meanwhile.
    pub fn start_timed(&self) -> Result<(Server, Duration), String> {
        let port = free_port();
        let endpoint = Endpoint::loopback(port);
        let body = b"{}";
        let creds = Creds::new("AKIDBENCHSTARTUP", "startup-secret");
        let headers = crate::client::signed_headers(&endpoint.host(), &creds, "ListWorkflows", body, SystemTime::now());
        let mut request = b"POST / HTTP/1.1\r\n".to_vec();
        for (name, value) in &headers {
            request.extend_from_slice(name.as_str().as_bytes());
            request.extend_from_slice(b": ");
            request.extend_from_slice(value.as_bytes());
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"\r\n");
        request.extend_from_slice(body);

        let started = Instant::now();
        let child = self
            .command(port, "0ms", None, &[])
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        let server = Server {
            endpoint,
            child,
            count_children: false,
        };
        let deadline = started + Duration::from_secs(10);
        loop {
            if Instant::now() > deadline {
                return Err("glue-local did not answer within 10 s of starting".into());
            }
            let Ok(mut stream) = TcpStream::connect(server.endpoint.addr) else {
                std::thread::sleep(Duration::from_micros(100));
                continue;
            };
            let _ = stream.set_nodelay(true);
            if stream.write_all(&request).is_err() {
                continue;
            }
            match read_status(&mut stream) {
                Some(200) => return Ok((server, started.elapsed())),
                Some(other) => return Err(format!("the first ListWorkflows answered HTTP {other}")),
                None => continue,
            }
        }
    }
}

/// Reads one HTTP/1.1 response (headers and Content-Length body) and returns its status.
fn read_status(stream: &mut TcpStream) -> Option<u16> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buf.len() < end + 4 + length {
            let n = stream.read(&mut chunk).ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        return Some(status);
    }
}

/// Starts moto's server from the bench venv; returns it and the time from exec
/// to its first answer (moto loads a service's backend on its first call).
pub async fn start_moto(moto_server: &Path) -> Result<(Server, Duration), String> {
    let port = free_port();
    let started = Instant::now();
    let child = Command::new(moto_server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", moto_server.display()))?;
    let server = Server {
        endpoint: Endpoint::loopback(port),
        child,
        count_children: false,
    };
    let creds = Arc::new(Creds::new("AKIDBENCHMOTO", "moto-secret"));
    let deadline = started + Duration::from_secs(60);
    loop {
        let mut conn = Conn::new(&server.endpoint, creds.clone());
        if let Ok(reply) = conn.call_raw("ListWorkflows", "{}").await {
            if reply.status == 200 {
                return Ok((server, started.elapsed()));
            }
        }
        if Instant::now() > deadline {
            return Err("moto did not answer within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Starts nginx (Debian's) serving `body` as a static file for POST / (the
/// static module refuses POST with 405; `error_page 405 =200 $uri` serves the
/// file instead), with keep-alive unlimited in requests and no access log.
pub async fn start_nginx(nginx: &Path, scratch: &Path, body: &[u8]) -> Result<Server, String> {
    let port = free_port();
    let dir = scratch.join("nginx");
    let www = dir.join("www");
    std::fs::create_dir_all(dir.join("logs")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&www).map_err(|e| e.to_string())?;
    std::fs::write(www.join("index.json"), body).map_err(|e| e.to_string())?;
    let conf = format!(
        r#"worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    types {{ }}
    default_type application/x-amz-json-1.1;
    server {{
        listen 127.0.0.1:{port};
        root {www};
        location = / {{
            try_files /index.json =404;
            error_page 405 =200 $uri;
        }}
    }}
}}
"#,
        dir = dir.display(),
        www = www.display(),
    );
    let conf_path = dir.join("nginx.conf");
    std::fs::write(&conf_path, conf).map_err(|e| e.to_string())?;
    let child = Command::new(nginx)
        .arg("-c")
        .arg(&conf_path)
        .args(["-p", &dir.display().to_string(), "-g", "daemon off;"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", nginx.display()))?;
    let server = Server {
        endpoint: Endpoint::loopback(port),
        child,
        count_children: true,
    };
    wait_until_answering(&server.endpoint, "/", Duration::from_secs(10)).await?;
    Ok(server)
}
