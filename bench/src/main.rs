//! glue-local's benchmark: starts the release build (and, where installed, moto's
//! server and nginx for comparison), loads each with signed JSON 1.1 requests,
//! prints a table and writes it as Markdown. Run it with `bench/run`.
//!
//! Loopback only; every load is bounded in time and in requests.

mod client;
mod partitions;
mod report;
mod servers;
mod setup;

use clap::Parser;
use client::{load, Conn, Creds, LoadResult, LoadSpec, Template};
use report::{Report, Row};
use serde_json::json;
use servers::{GlueLocal, Server};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Parser, Debug)]
#[command(name = "glue-local-bench", about = "Benchmark glue-local (use bench/run)")]
struct Args {
    /// The glue-local release binary.
    #[arg(long, default_value = "target/release/glue-local")]
    glue_local: PathBuf,
    /// moto's server (`moto_server` in bench/.venv); compared against when given.
    #[arg(long)]
    moto: Option<PathBuf>,
    /// nginx, serving the same GetWorkflowRun body as a static file: the machine's ceiling.
    #[arg(long)]
    nginx: Option<PathBuf>,
    /// Seconds measured per load.
    #[arg(long, default_value_t = 3.0)]
    duration: f64,
    /// Seconds of warm-up before each measured load.
    #[arg(long, default_value_t = 0.5)]
    warmup: f64,
    /// Connection counts for the read scenarios.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    connections: Vec<usize>,
    /// Runs for the throughput target.
    #[arg(long, default_value_t = 10_000)]
    runs: usize,
    /// Runs stored for the memory and GetWorkflowRuns targets.
    #[arg(long, default_value_t = 100_000)]
    stored_runs: usize,
    /// Runs stored before the restart is timed in the durable scenario (each W1 run
    /// journals about 6 KB).
    #[arg(long, default_value_t = 100_000)]
    durable_runs: usize,
    /// Jobs in the resume scenario's tree (nodes = 2 × jobs).
    #[arg(long, default_value_t = 500)]
    tree_jobs: usize,
    /// ResumeWorkflowRun calls per selection.
    #[arg(long, default_value_t = 100)]
    resumes: usize,
    /// Start-ups timed.
    #[arg(long, default_value_t = 10)]
    startups: usize,
    /// Rounds of the read loads (interleaved across servers; the median round is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Worker threads of the load generator's runtime.
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// Partitions of the table GetPartitions is timed over.
    #[arg(long, default_value_t = 100_000)]
    partitions: usize,
    /// Scenarios to run (startup, read, iam, nginx, moto, runs, resume, durable, partitions).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "startup,read,iam,nginx,moto,runs,resume,durable,partitions"
    )]
    only: Vec<String>,
    /// Write the Markdown report here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Profiling aid: instead of the scenarios, create W1 on a glue-local already
    /// listening on this loopback port (e.g. under `valgrind --tool=callgrind`) and
    /// send it `--profile-requests` GetWorkflowRun+graph calls over one connection.
    #[arg(long)]
    profile_port: Option<u16>,
    /// Requests sent in the profiling mode.
    #[arg(long, default_value_t = 2000)]
    profile_requests: u64,
    /// What the profiling mode sends: `read` (GetWorkflowRun+graph) or `runs`
    /// (StartWorkflowRun of W1, then waits until every run is COMPLETED).
    #[arg(long, default_value = "read")]
    profile_scenario: String,
    /// Scratch folder (IAM config, nginx files, job logs).
    #[arg(long, default_value = "target/bench")]
    scratch: PathBuf,
}

impl Args {
    fn spec(&self, connections: usize) -> LoadSpec {
        LoadSpec {
            connections,
            warmup: Duration::from_secs_f64(self.warmup),
            duration: Duration::from_secs_f64(self.duration),
            max_requests: 50_000_000,
        }
    }

    fn wants(&self, scenario: &str) -> bool {
        self.only.iter().any(|s| s == scenario)
    }
}

const KEY: &str = "AKIABENCH0000000001";
const SECRET: &str = "bench-secret-access-key";

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let _ = std::fs::create_dir_all(&args.scratch);
    let scratch = std::fs::canonicalize(&args.scratch).unwrap_or(args.scratch.clone());
    let glue = GlueLocal {
        binary: args.glue_local.clone(),
        scratch: scratch.clone(),
    };
    let mut report = Report::default();

    if let Some(port) = args.profile_port {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        return match runtime.block_on(profile_load(&args, port)) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                std::process::ExitCode::FAILURE
            }
        };
    }

    if args.wants("startup") {
        if let Err(e) = startup(&args, &glue, &mut report) {
            eprintln!("start-up scenario failed: {e}");
            report.failures.push(format!("start-up: {e}"));
        }
    }

    // One thread (the default) runs everything on tokio's current-thread runtime:
    // the load generator then costs the least CPU, which it shares with the server.
    let runtime = if args.client_threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.client_threads)
            .enable_all()
            .build()
    }
    .expect("tokio runtime");
    let result = runtime.block_on(async {
        // The read scenarios: every server is set up first, then loaded in
        // interleaved rounds (each server at each connection count per round), so
        // that a burst of noise from elsewhere on the machine hits all of them
        // alike; each figure is the round with the median throughput.
        let mut targets: Vec<ReadTarget> = Vec::new();
        let mut sample_body = None;
        if args.wants("read") {
            match read(&glue, &mut report).await {
                Ok((target, body)) => {
                    targets.push(target);
                    sample_body = Some(body);
                }
                Err(e) => report.fail("GetWorkflowRun (permissive)", e),
            }
        }
        if args.wants("iam") {
            match iam(&glue, &scratch).await {
                Ok(target) => targets.push(target),
                Err(e) => report.fail("GetWorkflowRun (IAM)", e),
            }
        }
        if args.wants("nginx") {
            match (&args.nginx, &sample_body) {
                (Some(nginx), Some(body)) => match nginx_ceiling(nginx, &scratch, body).await {
                    Ok(target) => targets.push(target),
                    Err(e) => report.fail("nginx", e),
                },
                (None, _) => report
                    .notes
                    .push("nginx not given (--nginx): no ceiling measured".into()),
                (_, None) => report
                    .notes
                    .push("nginx needs the read scenario's response body".into()),
            }
        }
        if args.wants("moto") {
            match &args.moto {
                Some(moto) => match moto_read(moto, &mut report).await {
                    Ok(target) => targets.push(target),
                    Err(e) => report.fail("moto", e),
                },
                None => report.notes.push("moto not given (--moto): no comparison".into()),
            }
        }
        if let Err(e) = read_rounds(&args, &targets, &mut report).await {
            report.fail("read loads", e);
        }
        if let Some(moto) = targets.iter().find(|t| t.label.starts_with("moto")) {
            report.moto_rss = Some(moto.server.rss_bytes());
        }
        drop(targets);
        if args.wants("runs") {
            if let Err(e) = runs(&args, &glue, &mut report).await {
                report.fail("StartWorkflowRun → COMPLETED", e);
            }
        }
        if args.wants("resume") {
            if let Err(e) = resume(&args, &glue, &mut report).await {
                report.fail("ResumeWorkflowRun", e);
            }
        }
        if args.wants("durable") {
            if let Err(e) = durable(&args, &glue, &scratch, &mut report).await {
                report.fail("--state-dir write path", e);
            }
        }
        if args.wants("partitions") {
            if let Err(e) = partitions::partitions(&glue, args.partitions, &mut report).await {
                report.fail("GetPartitions", e);
            }
        }
        Ok::<(), String>(())
    });
    if let Err(e) = result {
        report.failures.push(e);
    }

    let markdown = report.markdown(&args_line(&args));
    println!("\n{}", report.text());
    if let Some(out) = &args.out {
        if let Err(e) = std::fs::write(out, &markdown) {
            eprintln!("cannot write {}: {e}", out.display());
            return std::process::ExitCode::FAILURE;
        }
    }
    if report.failures.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        for f in &report.failures {
            eprintln!("failed: {f}");
        }
        std::process::ExitCode::FAILURE
    }
}

fn args_line(args: &Args) -> String {
    format!(
        "{} s per load after {} s warm-up, read loads in {} interleaved rounds (median shown); {} client thread(s); {} runs timed, {} stored; {}-node resume graph",
        args.duration,
        args.warmup,
        args.rounds,
        args.client_threads,
        args.runs,
        args.stored_runs,
        args.tree_jobs * 2
    )
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn progress(message: &str) {
    eprintln!("[bench] {message}");
}

/// Sends a fixed number of GetWorkflowRun+graph calls to a server someone else
/// started, for instruction-count profiles that compare like with like.
async fn profile_load(args: &Args, port: u16) -> Result<(), String> {
    let endpoint = client::Endpoint::loopback(port);
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&endpoint, creds.clone());
    setup::create_w1(&mut conn, "W1").await?;
    if args.profile_scenario == "runs" {
        let n = args.profile_requests as usize;
        let (seconds, _) = start_runs_on(&endpoint, &creds, &mut conn, n, n).await?;
        eprintln!("{n} runs of W1 COMPLETED in {seconds:.2} s");
        return Ok(());
    }
    let run_id = setup::completed_run(&mut conn, "W1").await?;
    let spec = LoadSpec {
        connections: 1,
        warmup: Duration::ZERO,
        duration: Duration::from_secs(3600),
        max_requests: args.profile_requests,
    };
    let r = load(&endpoint, spec, false, || {
        Template::new(&endpoint, creds.clone(), "GetWorkflowRun", get_run_body(&run_id))
    })
    .await;
    check(&r, "profile load")?;
    eprintln!("{} GetWorkflowRun+graph calls sent", r.requests);
    Ok(())
}

// ---- start-up -----------------------------------------------------------------------

fn startup(args: &Args, glue: &GlueLocal, report: &mut Report) -> Result<(), String> {
    progress(&format!("start-up: {} launches", args.startups));
    let mut times = Vec::new();
    let mut idle_rss = 0;
    for i in 0..args.startups.max(1) {
        let (server, elapsed) = glue.start_timed()?;
        times.push(elapsed);
        if i == 0 {
            std::thread::sleep(Duration::from_millis(500));
            idle_rss = server.rss_bytes();
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let max = *times.last().unwrap();
    report.startup_ms = Some(median.as_secs_f64() * 1000.0);
    report.idle_rss = Some(idle_rss);
    report.rows.push(Row::note(
        "start-up: exec → first answered ListWorkflows",
        format!(
            "median {:.1} ms, min {:.1} ms, max {:.1} ms over {} launches; idle RSS {:.1} MiB",
            median.as_secs_f64() * 1000.0,
            times[0].as_secs_f64() * 1000.0,
            max.as_secs_f64() * 1000.0,
            times.len(),
            mib(idle_rss)
        ),
    ));
    Ok(())
}

// ---- GetWorkflowRun with its graph ------------------------------------------------------

/// A server loaded with GetWorkflowRun+graph in the read scenarios.
struct ReadTarget {
    label: &'static str,
    server: Server,
    creds: Arc<Creds>,
    body: String,
}

async fn read_rounds(args: &Args, targets: &[ReadTarget], report: &mut Report) -> Result<(), String> {
    let rounds = args.rounds.max(1);
    // (target, connections) → each round's row and throughput
    let mut results: Vec<Vec<Vec<(f64, Row, f64)>>> = targets
        .iter()
        .map(|_| args.connections.iter().map(|_| Vec::new()).collect())
        .collect();
    for round in 1..=rounds {
        for (t, target) in targets.iter().enumerate() {
            for (k, &c) in args.connections.iter().enumerate() {
                progress(&format!("round {round}/{rounds}: {}: {c} connection(s)", target.label));
                let server = &target.server;
                let cpu_before = server.cpu_seconds();
                let client_before = servers::cpu_seconds(std::process::id());
                let r = load(&server.endpoint, args.spec(c), false, || {
                    Template::new(
                        &server.endpoint,
                        target.creds.clone(),
                        "GetWorkflowRun",
                        target.body.clone(),
                    )
                })
                .await;
                let cpu = server.cpu_seconds() - cpu_before;
                let client_cpu = servers::cpu_seconds(std::process::id()) - client_before;
                check(&r, target.label)?;
                let row = Row::load(target.label, c, &r, Some(server.rss_bytes()))
                    .with_cpu(cpu, args.warmup)
                    .with_client_cpu(client_cpu, args.warmup);
                results[t][k].push((r.per_second(), row, r.percentile_ms(0.99)));
            }
        }
    }
    for (t, target) in targets.iter().enumerate() {
        for (k, &c) in args.connections.iter().enumerate() {
            let mut runs = std::mem::take(&mut results[t][k]);
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let low = runs.first().map_or(0.0, |r| r.0);
            let high = runs.last().map_or(0.0, |r| r.0);
            let p99s: Vec<f64> = runs.iter().map(|r| r.2).collect();
            let (rate, row, p99) = runs.swap_remove(runs.len() / 2);
            report.rows.push(row.with_spread(low, high, p99s));
            if c == 64 {
                report.by_key.insert(format!("{}@64", target.label), (rate, p99));
            }
        }
    }
    Ok(())
}

fn check(r: &LoadResult, label: &str) -> Result<(), String> {
    if r.errors > 0 {
        return Err(format!(
            "{label}: {} errors (first: {})",
            r.errors,
            r.first_error.as_deref().unwrap_or("?")
        ));
    }
    if r.requests == 0 {
        return Err(format!("{label}: no request completed"));
    }
    Ok(())
}

fn get_run_body(run_id: &str) -> String {
    // botocore's spacing.
    format!(r#"{{"Name": "W1", "RunId": "{run_id}", "IncludeGraph": true}}"#)
}

async fn read(glue: &GlueLocal, report: &mut Report) -> Result<(ReadTarget, Vec<u8>), String> {
    progress("GetWorkflowRun (permissive): setting up W1");
    let server = glue.start("0ms", None).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    setup::create_w1(&mut conn, "W1").await?;
    let run_id = setup::completed_run(&mut conn, "W1").await?;
    let body = get_run_body(&run_id);
    let sample = conn.call_raw("GetWorkflowRun", &body).await?;
    let nodes = sample.json()["Run"]["Graph"]["Nodes"].as_array().map_or(0, Vec::len);
    if nodes != 10 {
        return Err(format!("W1's run graph has {nodes} nodes, expected 10"));
    }
    report.response_bytes = sample.body.len();
    let target = ReadTarget {
        label: "GetWorkflowRun+graph",
        server,
        creds,
        body,
    };
    Ok((target, sample.body.to_vec()))
}

async fn iam(glue: &GlueLocal, scratch: &std::path::Path) -> Result<ReadTarget, String> {
    progress("GetWorkflowRun (IAM): setting up W1");
    let path = scratch.join("iam.json");
    let config = setup::iam_config(KEY, SECRET, 50);
    std::fs::write(&path, serde_json::to_vec_pretty(&config).unwrap()).map_err(|e| e.to_string())?;
    let server = glue.start("0ms", Some(&path)).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    setup::create_w1(&mut conn, "W1").await?;
    let run_id = setup::completed_run(&mut conn, "W1").await?;
    let body = get_run_body(&run_id);
    // Prove that signatures are checked and policies applied before timing anything.
    let mut forged = Conn::new(&server.endpoint, Arc::new(Creds::new(KEY, "wrong-secret")));
    let reply = forged.call_raw("GetWorkflowRun", &body).await?;
    if reply.status != 403 || !String::from_utf8_lossy(&reply.body).contains("InvalidSignatureException") {
        return Err(format!("a wrongly signed request was answered HTTP {}", reply.status));
    }
    let reply = conn.call_raw("DeleteWorkflow", r#"{"Name": "W1"}"#).await?;
    if !String::from_utf8_lossy(&reply.body).contains("AccessDeniedException") {
        return Err(format!(
            "a request the policy does not allow was answered HTTP {}",
            reply.status
        ));
    }
    Ok(ReadTarget {
        label: "GetWorkflowRun+graph, IAM",
        server,
        creds,
        body,
    })
}

async fn nginx_ceiling(nginx: &std::path::Path, scratch: &std::path::Path, body: &[u8]) -> Result<ReadTarget, String> {
    progress("nginx: static file ceiling");
    let server = servers::start_nginx(nginx, scratch, body).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    // The same request glue-local gets (signed, same body), answered with the same bytes.
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    let request = get_run_body("static");
    let reply = conn.call_raw("GetWorkflowRun", &request).await?;
    if reply.status != 200 || reply.body.as_ref() != body {
        return Err(format!(
            "nginx answered HTTP {} with {} bytes",
            reply.status,
            reply.body.len()
        ));
    }
    Ok(ReadTarget {
        label: "nginx static file",
        server,
        creds,
        body: request,
    })
}

async fn moto_read(moto: &std::path::Path, report: &mut Report) -> Result<ReadTarget, String> {
    progress("moto: starting");
    let (server, startup) = servers::start_moto(moto).await?;
    report.moto_startup_ms = Some(startup.as_secs_f64() * 1000.0);
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    setup::create_w1(&mut conn, "W1").await?;
    let run = conn.call("StartWorkflowRun", json!({"Name": "W1"})).await?;
    let run_id = run["RunId"].as_str().ok_or("moto returned no RunId")?.to_string();
    report.rows.push(Row::note(
        "moto: exec → first answered ListWorkflows",
        format!(
            "{:.0} ms; RSS with W1 loaded {:.1} MiB",
            startup.as_secs_f64() * 1000.0,
            mib(server.rss_bytes())
        ),
    ));
    Ok(ReadTarget {
        label: "moto GetWorkflowRun",
        server,
        creds,
        body: get_run_body(&run_id),
    })
}

// ---- StartWorkflowRun → COMPLETED, many stored runs ---------------------------------------

fn epoch_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Starts `count` runs of W1 over 16 connections and waits until all are COMPLETED.
/// Returns the seconds from the first start to the last CompletedOn, and the start load.
async fn start_runs(
    server: &Server,
    creds: &Arc<Creds>,
    conn: &mut Conn,
    count: usize,
    total_after: usize,
) -> Result<(f64, LoadResult), String> {
    start_runs_on(&server.endpoint, creds, conn, count, total_after).await
}

async fn start_runs_on(
    endpoint: &client::Endpoint,
    creds: &Arc<Creds>,
    conn: &mut Conn,
    count: usize,
    total_after: usize,
) -> Result<(f64, LoadResult), String> {
    let spec = LoadSpec {
        connections: 16,
        warmup: Duration::ZERO,
        duration: Duration::from_secs(600),
        max_requests: count as u64,
    };
    let began = epoch_now();
    let r = load(endpoint, spec, false, || {
        Template::new(endpoint, creds.clone(), "StartWorkflowRun", r#"{"Name": "W1"}"#)
    })
    .await;
    check(&r, "StartWorkflowRun")?;
    if r.requests as usize != count {
        return Err(format!("{} of {count} StartWorkflowRun calls succeeded", r.requests));
    }
    let census = setup::wait_all_completed(conn, "W1", total_after, Duration::from_secs(600)).await?;
    Ok((census.last_completed - began, r))
}

async fn list_page(args: &Args, server: &Server, creds: &Arc<Creds>, label: &str, report: &mut Report) -> f64 {
    let spec = LoadSpec {
        connections: 1,
        ..args.spec(1)
    };
    let r = load(&server.endpoint, spec, false, || {
        Template::new(&server.endpoint, creds.clone(), "GetWorkflowRuns", r#"{"Name": "W1"}"#)
    })
    .await;
    let p50 = r.percentile_ms(0.5);
    report.rows.push(Row::load(label, 1, &r, Some(server.rss_bytes())));
    p50
}

async fn runs(args: &Args, glue: &GlueLocal, report: &mut Report) -> Result<(), String> {
    progress("runs: setting up W1 with --job-duration 0ms");
    let server = glue.start("0ms", None).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    setup::create_w1(&mut conn, "W1").await?;

    let first = 100;
    start_runs(&server, &creds, &mut conn, first, first).await?;
    progress("runs: GetWorkflowRuns first page with 100 runs");
    let small = list_page(args, &server, &creds, "GetWorkflowRuns page 1, 100 runs", report).await;

    progress(&format!("runs: {} runs of W1 to COMPLETED", args.runs));
    let (seconds, load) = start_runs(&server, &creds, &mut conn, args.runs, first + args.runs).await?;
    report.runs = Some((args.runs, seconds));
    report.rows.push(Row::note(
        &format!("{} W1 runs: StartWorkflowRun → COMPLETED", args.runs),
        format!(
            "{:.2} s: {:.0} runs/s, {:.0} node transitions/s (10 a run); StartWorkflowRun p99 {:.2} ms over 16 connections; RSS {:.1} MiB",
            seconds,
            args.runs as f64 / seconds,
            10.0 * args.runs as f64 / seconds,
            load.percentile_ms(0.99),
            mib(server.rss_bytes())
        ),
    ));

    let rest = args.stored_runs.saturating_sub(first + args.runs);
    if rest > 0 {
        progress(&format!("runs: {rest} more runs, to {} stored", args.stored_runs));
        let started = Instant::now();
        let (seconds, _) = start_runs(&server, &creds, &mut conn, rest, args.stored_runs).await?;
        let rss = server.rss_bytes();
        report.stored = Some((args.stored_runs, rss));
        report.rows.push(Row::note(
            &format!("{} stored W1 runs", args.stored_runs),
            format!(
                "RSS {:.1} MiB ({:.1} KiB a run); the last {rest} took {:.1} s ({:.0} runs/s; {:.1} s with the checks)",
                mib(rss),
                rss as f64 / 1024.0 / args.stored_runs as f64,
                seconds,
                rest as f64 / seconds,
                started.elapsed().as_secs_f64()
            ),
        ));
    }
    progress(&format!(
        "runs: GetWorkflowRuns first page with {} runs",
        args.stored_runs
    ));
    let large = list_page(
        args,
        &server,
        &creds,
        &format!(
            "GetWorkflowRuns page 1, {} runs",
            args.stored_runs.max(first + args.runs)
        ),
        report,
    )
    .await;
    report.list_pages = Some((small, large));
    Ok(())
}

// ---- ResumeWorkflowRun on a 1,000-node graph -----------------------------------------------

async fn resume(args: &Args, glue: &GlueLocal, report: &mut Report) -> Result<(), String> {
    let nodes = args.tree_jobs * 2;
    progress(&format!("resume: setting up a {nodes}-node workflow"));
    // Ten times the 100 jobs, crawlers and triggers a workflow may have by default.
    let quota = format!("--quota=nodes-per-workflow={nodes}");
    let server = glue.start_with("0ms", None, &[quota]).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    setup::create_tree(&mut conn, "Tree", args.tree_jobs).await?;
    let run_id = setup::completed_run(&mut conn, "Tree").await?;
    let graph = conn
        .call(
            "GetWorkflowRun",
            json!({"Name": "Tree", "RunId": run_id, "IncludeGraph": true}),
        )
        .await?;
    let got = graph["Run"]["Graph"]["Nodes"].as_array().map_or(0, Vec::len);
    if got != nodes {
        return Err(format!("the tree's run graph has {got} nodes, expected {nodes}"));
    }
    let leaf = args.tree_jobs - 1;
    let selections = [
        ("J1: half the graph re-runs, half is copied", "Tree-J1".to_string()),
        ("a leaf: one node re-runs, the rest is copied", format!("Tree-J{leaf}")),
        ("the root: every node re-runs", "Tree-J0".to_string()),
    ];
    let mut worst_p99: f64 = 0.0;
    for (what, name) in selections {
        let node = setup::node_id(&graph, &name).ok_or(format!("no node {name} in the graph"))?;
        let body = format!(r#"{{"Name": "Tree", "RunId": "{run_id}", "NodeIds": ["{node}"]}}"#);
        let mut hist = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
        progress(&format!("resume: {} calls from {name}", args.resumes));
        for _ in 0..args.resumes {
            let (elapsed, reply) = conn.timed_call("ResumeWorkflowRun", &body).await?;
            if reply.status != 200 {
                return Err(format!(
                    "ResumeWorkflowRun answered HTTP {}: {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                ));
            }
            let _ = hist.record(elapsed.as_micros().max(1) as u64);
            // Let the resumed run finish before the next call, so each call is timed on its own.
            let new_run = reply.json()["RunId"].as_str().unwrap_or_default().to_string();
            setup::wait_run(&mut conn, "Tree", &new_run, Duration::from_secs(60)).await?;
        }
        let ms = |q: f64| hist.value_at_quantile(q) as f64 / 1000.0;
        worst_p99 = worst_p99.max(ms(0.99));
        report.rows.push(Row::note(
            &format!("ResumeWorkflowRun, {nodes} nodes, from {what}"),
            format!(
                "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} calls (1 connection)",
                ms(0.5),
                ms(0.99),
                hist.max() as f64 / 1000.0,
                hist.len()
            ),
        ));
    }
    report.resume_p99_ms = Some(worst_p99);
    report.rows.push(Row::note(
        "resume server RSS",
        format!("{:.1} MiB", mib(server.rss_bytes())),
    ));
    Ok(())
}

// ---- the write path with --state-dir ---------------------------------------------------

fn journal_bytes(state: &std::path::Path) -> u64 {
    std::fs::metadata(state.join("journal")).map_or(0, |m| m.len())
}

fn create_job_body(n: u64) -> String {
    // botocore's spacing.
    format!(
        r#"{{"Name": "bench-job-{n:08}", "Role": "arn:aws:iam::123456789012:role/glue", "Command": {{"Name": "glueetl", "ScriptLocation": "s3://bucket/scripts/job.py"}}}}"#
    )
}

/// CreateJob and StartWorkflowRun per second with `--state-dir`, the journal bytes
/// each change appends, and the time a restart takes with `--stored-runs` runs.
async fn durable(args: &Args, glue: &GlueLocal, scratch: &std::path::Path, report: &mut Report) -> Result<(), String> {
    let state = scratch.join("durable-state");
    let _ = std::fs::remove_dir_all(&state);
    // Every CreateJob makes a new job: far more than AWS's 2,000 a region.
    let state_flag = [
        "--state-dir".to_string(),
        state.display().to_string(),
        "--quota".to_string(),
        "jobs=10000000".to_string(),
    ];
    progress("durable: CreateJob with --state-dir, 16 connections");
    let server = glue.start_with("0ms", None, &state_flag).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let before = journal_bytes(&state);
    let r = load(&server.endpoint, args.spec(16), false, || {
        Template::numbered(
            &server.endpoint,
            creds.clone(),
            "CreateJob",
            counter.clone(),
            create_job_body,
        )
    })
    .await;
    check(&r, "CreateJob")?;
    let jobs = counter.load(std::sync::atomic::Ordering::Relaxed);
    let per_job = journal_bytes(&state).saturating_sub(before) as f64 / jobs as f64;
    report
        .rows
        .push(Row::load("CreateJob, --state-dir", 16, &r, Some(server.rss_bytes())));
    report.rows.push(Row::note(
        "journal bytes per CreateJob",
        format!("{per_job:.0} bytes ({jobs} jobs created, the last among as many)"),
    ));

    progress("durable: journal bytes of 100 W1 runs");
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    setup::create_w1(&mut conn, "W1").await?;
    let before = journal_bytes(&state);
    start_runs_on(&server.endpoint, &creds, &mut conn, 100, 100).await?;
    let per_run = journal_bytes(&state).saturating_sub(before) as f64 / 100.0;
    report.rows.push(Row::note(
        "journal bytes per W1 run",
        format!(
            "{per_run:.0} bytes a run to COMPLETED (7 records: the run as started, naming its graph, \
             journaled once for all the runs that share it; then what each step changed)"
        ),
    ));

    progress("durable: StartWorkflowRun of W1 with --state-dir, 16 connections");
    let r = load(&server.endpoint, args.spec(16), false, || {
        Template::new(&server.endpoint, creds.clone(), "StartWorkflowRun", r#"{"Name": "W1"}"#)
    })
    .await;
    check(&r, "StartWorkflowRun")?;
    let census = setup::wait_all_completed(&mut conn, "W1", 0, Duration::from_secs(600)).await?;
    report.rows.push(Row::load(
        "StartWorkflowRun, --state-dir",
        16,
        &r,
        Some(server.rss_bytes()),
    ));

    let more = args.durable_runs.saturating_sub(census.runs);
    progress(&format!("durable: {more} more runs, to {} stored", args.durable_runs));
    if more > 0 {
        start_runs_on(&server.endpoint, &creds, &mut conn, more, args.durable_runs).await?;
    }
    let journal = journal_bytes(&state);
    let snapshot = std::fs::metadata(state.join("snapshot.json")).map_or(0, |m| m.len());
    drop(server);
    progress("durable: restart");
    let began = Instant::now();
    let server = glue.start_with("0ms", None, &state_flag).await?;
    let restart = began.elapsed();
    let mut conn = Conn::new(&server.endpoint, creds.clone());
    let page = conn
        .call("GetWorkflowRuns", json!({"Name": "W1", "MaxResults": 1}))
        .await?;
    if page["Runs"].as_array().map_or(0, Vec::len) != 1 {
        return Err("after the restart W1 has no runs".into());
    }
    report.rows.push(Row::note(
        &format!("restart with {} stored runs", args.durable_runs.max(census.runs)),
        format!(
            "{:.2} s from exec to answering (state on disk: {:.0} MiB journal + {:.0} MiB snapshot); RSS after {:.0} MiB",
            restart.as_secs_f64(),
            mib(journal),
            mib(snapshot),
            mib(server.rss_bytes())
        ),
    ));
    drop(server);
    let _ = std::fs::remove_dir_all(&state);
    Ok(())
}
