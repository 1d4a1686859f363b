//! The figures, the targets they are held against, and their rendering as a
//! terminal table and as Markdown.

use crate::client::LoadResult;
use std::collections::BTreeMap;

pub enum Row {
    Load {
        label: String,
        connections: usize,
        per_second: f64,
        p50: f64,
        p99: f64,
        p999: f64,
        requests: u64,
        reconnects: u64,
        rss: Option<u64>,
        /// Server CPU µs per request (warm-up requests included in both counts).
        cpu_us: Option<f64>,
        /// The load generator's CPU µs per request, likewise.
        client_cpu_us: Option<f64>,
        /// Over all rounds: lowest and highest req/s, and each round's p99.
        spread: Option<(f64, f64, Vec<f64>)>,
    },
    Note {
        label: String,
        text: String,
    },
}

impl Row {
    pub fn load(label: &str, connections: usize, r: &LoadResult, rss: Option<u64>) -> Row {
        Row::Load {
            label: label.into(),
            connections,
            per_second: r.per_second(),
            p50: r.percentile_ms(0.5),
            p99: r.percentile_ms(0.99),
            p999: r.percentile_ms(0.999),
            requests: r.requests,
            reconnects: r.reconnects,
            rss,
            cpu_us: None,
            client_cpu_us: None,
            spread: None,
        }
    }

    /// Records how the rounds of this load varied.
    pub fn with_spread(mut self, low: f64, high: f64, p99s: Vec<f64>) -> Row {
        if let Row::Load { spread, .. } = &mut self {
            *spread = Some((low, high, p99s));
        }
        self
    }

    /// Adds the server's CPU time per request: CPU seconds over the whole load
    /// (warm-up included) divided by the requests the load sent in that time,
    /// estimated from the measured rate.
    pub fn with_cpu(mut self, cpu_seconds: f64, warmup: f64) -> Row {
        if let Row::Load {
            per_second,
            cpu_us,
            requests,
            ..
        } = &mut self
        {
            *cpu_us = per_request(cpu_seconds, *requests, *per_second, warmup);
        }
        self
    }

    /// The same for the load generator's own CPU time.
    pub fn with_client_cpu(mut self, cpu_seconds: f64, warmup: f64) -> Row {
        if let Row::Load {
            per_second,
            client_cpu_us,
            requests,
            ..
        } = &mut self
        {
            *client_cpu_us = per_request(cpu_seconds, *requests, *per_second, warmup);
        }
        self
    }

    pub fn note(label: &str, text: String) -> Row {
        Row::Note {
            label: label.into(),
            text,
        }
    }
}

fn per_request(cpu_seconds: f64, requests: u64, per_second: f64, warmup: f64) -> Option<f64> {
    let sent = requests as f64 + per_second * warmup;
    (sent > 0.0).then(|| cpu_seconds * 1e6 / sent)
}

#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
    /// "<label>@64" → (requests/s, p99 ms).
    pub by_key: BTreeMap<String, (f64, f64)>,
    pub response_bytes: usize,
    pub startup_ms: Option<f64>,
    pub idle_rss: Option<u64>,
    pub moto_startup_ms: Option<f64>,
    pub moto_rss: Option<u64>,
    /// (runs, seconds from the first start to the last CompletedOn)
    pub runs: Option<(usize, f64)>,
    /// (stored runs, RSS bytes)
    pub stored: Option<(usize, u64)>,
    /// GetWorkflowRuns first-page p50 ms: (100 runs, many runs)
    pub list_pages: Option<(f64, f64)>,
    pub resume_p99_ms: Option<f64>,
    pub notes: Vec<String>,
    pub failures: Vec<String>,
}

pub struct Target {
    pub what: &'static str,
    pub required: String,
    pub measured: String,
    pub met: Option<bool>,
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl Report {
    pub fn fail(&mut self, what: &str, error: String) {
        eprintln!("[bench] {what} failed: {error}");
        self.failures.push(format!("{what}: {error}"));
    }

    fn at64(&self, label: &str) -> Option<(f64, f64)> {
        self.by_key.get(&format!("{label}@64")).copied()
    }

    pub fn targets(&self) -> Vec<Target> {
        let mut t = Vec::new();
        let glue = self.at64("GetWorkflowRun+graph");
        let iam = self.at64("GetWorkflowRun+graph, IAM");
        let moto = self.at64("moto GetWorkflowRun");
        let nginx = self.at64("nginx static file");
        let missing = |what: &'static str, required: &str| Target {
            what,
            required: required.into(),
            measured: "not measured".into(),
            met: None,
        };
        t.push(match (glue, moto) {
            (Some((g, _)), Some((m, _))) => Target {
                what: "GetWorkflowRun+graph, 64 conns, vs moto",
                required: "≥ 100× moto's req/s".into(),
                measured: format!("{:.1}× ({g:.0} vs {m:.0} req/s)", g / m),
                met: Some(g / m >= 100.0),
            },
            _ => missing("GetWorkflowRun+graph, 64 conns, vs moto", "≥ 100× moto's req/s"),
        });
        t.push(match glue {
            Some((_, p99)) => Target {
                what: "GetWorkflowRun+graph, 64 conns, p99",
                required: "≤ 5 ms".into(),
                measured: format!("{p99:.2} ms"),
                met: Some(p99 <= 5.0),
            },
            None => missing("GetWorkflowRun+graph, 64 conns, p99", "≤ 5 ms"),
        });
        t.push(match (glue, nginx) {
            (Some((g, _)), Some((n, _))) => Target {
                what: "GetWorkflowRun+graph, 64 conns, vs nginx static file",
                required: "≥ 50% of the ceiling".into(),
                measured: format!("{:.0}% ({g:.0} vs {n:.0} req/s)", 100.0 * g / n),
                met: Some(g / n >= 0.5),
            },
            _ => missing(
                "GetWorkflowRun+graph, 64 conns, vs nginx static file",
                "≥ 50% of the ceiling",
            ),
        });
        t.push(match (glue, iam) {
            (Some((g, _)), Some((i, _))) => Target {
                what: "SigV4 verification + policy evaluation, 64 conns",
                required: "≥ 80% of permissive req/s".into(),
                measured: format!("{:.0}% ({i:.0} vs {g:.0} req/s)", 100.0 * i / g),
                met: Some(i / g >= 0.8),
            },
            _ => missing(
                "SigV4 verification + policy evaluation, 64 conns",
                "≥ 80% of permissive req/s",
            ),
        });
        t.push(match self.startup_ms {
            Some(ms) => Target {
                what: "start-up to first answered Glue request (median)",
                required: "≤ 20 ms".into(),
                measured: format!("{ms:.1} ms"),
                met: Some(ms <= 20.0),
            },
            None => missing("start-up to first answered Glue request (median)", "≤ 20 ms"),
        });
        t.push(match self.idle_rss {
            Some(b) => Target {
                what: "idle RSS",
                required: "≤ 15 MB".into(),
                measured: format!("{:.1} MiB", mib(b)),
                met: Some(b as f64 <= 15.0 * 1e6),
            },
            None => missing("idle RSS", "≤ 15 MB"),
        });
        t.push(match self.runs {
            Some((n, s)) => Target {
                what: "W1 runs to COMPLETED, zero-duration jobs",
                required: "10,000 in ≤ 10 s".into(),
                measured: format!("{n} in {s:.2} s ({:.0} runs/s)", n as f64 / s),
                met: Some(n >= 10_000 && s <= 10.0),
            },
            None => missing("W1 runs to COMPLETED, zero-duration jobs", "10,000 in ≤ 10 s"),
        });
        t.push(match self.stored {
            Some((n, rss)) => Target {
                what: "RSS with stored W1 runs",
                required: "100,000 in ≤ 1 GiB".into(),
                measured: format!("{n}: {:.0} MiB", mib(rss)),
                met: Some(n >= 100_000 && rss <= 1 << 30),
            },
            None => missing("RSS with stored W1 runs", "100,000 in ≤ 1 GiB"),
        });
        t.push(match self.list_pages {
            Some((small, large)) => Target {
                what: "GetWorkflowRuns first page, 100,000 vs 100 runs (p50)",
                required: "≤ 2× slower".into(),
                measured: format!("{:.2}× ({large:.2} vs {small:.2} ms)", large / small),
                met: Some(large / small <= 2.0),
            },
            None => missing("GetWorkflowRuns first page, 100,000 vs 100 runs (p50)", "≤ 2× slower"),
        });
        t.push(match self.resume_p99_ms {
            Some(ms) => Target {
                what: "ResumeWorkflowRun, 1,000-node graph (worst p99)",
                required: "≤ 5 ms".into(),
                measured: format!("{ms:.2} ms"),
                met: Some(ms <= 5.0),
            },
            None => missing("ResumeWorkflowRun, 1,000-node graph (worst p99)", "≤ 5 ms"),
        });
        t
    }

    fn extras(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(g), Some(m)) = (self.startup_ms, self.moto_startup_ms) {
            out.push(format!(
                "start-up: glue-local {g:.1} ms vs moto {m:.0} ms ({:.0}× faster)",
                m / g
            ));
        }
        if let (Some((n, _)), Some((m, _))) = (self.at64("nginx static file"), self.at64("moto GetWorkflowRun")) {
            out.push(format!(
                "ceiling against moto: nginx serving the answer as a static file reaches {:.1}× moto's req/s under the same load (64 connections), the most any server can show here",
                n / m
            ));
        }
        if let (Some(g), Some(m)) = (self.idle_rss, self.moto_rss) {
            out.push(format!(
                "memory: glue-local idle {:.1} MiB vs moto {:.1} MiB with W1 loaded",
                mib(g),
                mib(m)
            ));
        }
        if self.response_bytes > 0 {
            out.push(format!(
                "GetWorkflowRun+graph answer: {} bytes (W1: 5 jobs, 5 triggers)",
                self.response_bytes
            ));
        }
        out.extend(self.notes.iter().cloned());
        out.extend(self.failures.iter().map(|f| format!("FAILED: {f}")));
        out
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "{:<44} {:>5} {:>10} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9}\n",
            "scenario", "conns", "req/s", "p50 ms", "p99 ms", "p99.9", "RSS MiB", "CPU µs/r", "bench µs/r"
        ));
        for row in &self.rows {
            match row {
                Row::Load {
                    label,
                    connections,
                    per_second,
                    p50,
                    p99,
                    p999,
                    rss,
                    cpu_us,
                    client_cpu_us,
                    spread,
                    ..
                } => s.push_str(&format!(
                    "{:<44} {:>5} {:>10.0} {:>8.3} {:>8.3} {:>8.3} {:>9} {:>9} {:>9} {}\n",
                    label,
                    connections,
                    per_second,
                    p50,
                    p99,
                    p999,
                    rss.map_or("-".into(), |b| format!("{:.1}", mib(b))),
                    cpu_us.map_or("-".into(), |c| format!("{c:.0}")),
                    client_cpu_us.map_or("-".into(), |c| format!("{c:.0}")),
                    spread
                        .as_ref()
                        .map_or(String::new(), |(low, high, _)| format!(" rounds {low:.0}–{high:.0}/s"))
                )),
                Row::Note { label, text } => s.push_str(&format!("{label}: {text}\n")),
            }
        }
        s.push_str("\ntargets:\n");
        for t in self.targets() {
            s.push_str(&format!(
                "  [{}] {}: {} (required {})\n",
                verdict(t.met),
                t.what,
                t.measured,
                t.required
            ));
        }
        for e in self.extras() {
            s.push_str(&format!("{e}\n"));
        }
        s
    }

    pub fn markdown(&self, settings: &str) -> String {
        let mut s = String::new();
        s.push_str("### Targets\n\n| target | required | measured | |\n|---|---|---|---|\n");
        for t in self.targets() {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                t.what,
                t.required,
                t.measured,
                verdict(t.met)
            ));
        }
        s.push_str("\n### Loads\n\n| scenario | conns | req/s | req/s, all rounds | p50 ms | p99 ms | p99 ms, all rounds | p99.9 ms | requests | reconnects | server RSS MiB | server CPU µs/req | load generator CPU µs/req |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for row in &self.rows {
            if let Row::Load {
                label,
                connections,
                per_second,
                p50,
                p99,
                p999,
                requests,
                reconnects,
                rss,
                cpu_us,
                client_cpu_us,
                spread,
            } = row
            {
                let (range, p99s) = match spread {
                    Some((low, high, p99s)) => (
                        format!("{low:.0}–{high:.0}"),
                        p99s.iter().map(|p| format!("{p:.2}")).collect::<Vec<_>>().join(", "),
                    ),
                    None => ("-".into(), "-".into()),
                };
                s.push_str(&format!(
                    "| {label} | {connections} | {per_second:.0} | {range} | {p50:.3} | {p99:.3} | {p99s} | {p999:.3} | {requests} | {reconnects} | {} | {} | {} |\n",
                    rss.map_or("-".into(), |b| format!("{:.1}", mib(b))),
                    cpu_us.map_or("-".into(), |c| format!("{c:.0}")),
                    client_cpu_us.map_or("-".into(), |c| format!("{c:.0}"))
                ));
            }
        }
        s.push_str("\n### Other scenarios\n\n");
        for row in &self.rows {
            if let Row::Note { label, text } = row {
                s.push_str(&format!("- **{label}**: {text}\n"));
            }
        }
        for e in self.extras() {
            s.push_str(&format!("- {e}\n"));
        }
        s.push_str(&format!("\nSettings: {settings}.\n"));
        s
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "n/a",
    }
}
