//! GetPartitions over a table of many partitions (100,000 by default): loading them with
//! BatchCreatePartition, then whole walks through every page without and with an
//! `Expression`, and single first pages, each timed from the client.

use crate::client::{Conn, Creds};
use crate::report::{Report, Row};
use crate::servers::GlueLocal;
use crate::{mib, progress, KEY, SECRET};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const DATABASE: &str = "bench";
const TABLE: &str = "sales";
const REGIONS: usize = 10;
const YEARS: usize = 25;
/// Walks (and first pages) timed per query; the median is reported.
const REPEATS: usize = 5;

/// The i-th partition's values: (region, year, day), all distinct for i < 250 × 10,000 days.
fn values(i: usize) -> [String; 3] {
    let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new((i / (REGIONS * YEARS)) as u64);
    [
        format!("r{:02}", i % REGIONS),
        (2000 + (i / REGIONS) % YEARS).to_string(),
        day.format("%Y-%m-%d").to_string(),
    ]
}

fn storage(location: &str) -> Value {
    json!({
        "Columns": [{"Name": "id", "Type": "bigint"}, {"Name": "amount", "Type": "double"}, {"Name": "note", "Type": "string"}],
        "Location": location,
        "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}
    })
}

async fn load_partitions(conn: &mut Conn, count: usize) -> Result<Duration, String> {
    conn.call("CreateDatabase", json!({"DatabaseInput": {"Name": DATABASE}}))
        .await?;
    let keys = json!([
        {"Name": "region", "Type": "string"},
        {"Name": "year", "Type": "int"},
        {"Name": "day", "Type": "date"}
    ]);
    conn.call(
        "CreateTable",
        json!({"DatabaseName": DATABASE, "TableInput": {"Name": TABLE, "PartitionKeys": keys, "StorageDescriptor": storage("s3://bench/sales/")}}),
    )
    .await?;
    let started = Instant::now();
    for batch in (0..count).collect::<Vec<_>>().chunks(100) {
        let inputs: Vec<Value> = batch
            .iter()
            .map(|&i| {
                let v = values(i);
                let location = format!("s3://bench/sales/region={}/year={}/day={}/", v[0], v[1], v[2]);
                json!({"Values": v, "StorageDescriptor": storage(&location)})
            })
            .collect();
        let out = conn
            .call(
                "BatchCreatePartition",
                json!({"DatabaseName": DATABASE, "TableName": TABLE, "PartitionInputList": inputs}),
            )
            .await?;
        if out["Errors"].as_array().is_some_and(|e| !e.is_empty()) {
            return Err(format!("BatchCreatePartition refused entries: {}", out["Errors"]));
        }
    }
    Ok(started.elapsed())
}

/// One walk through every page of GetPartitions: (time, partitions, pages, bytes).
async fn walk(conn: &mut Conn, request: &Value) -> Result<(Duration, usize, usize, usize), String> {
    let (mut partitions, mut pages, mut bytes) = (0, 0, 0);
    let mut request = request.clone();
    let mut elapsed = Duration::ZERO;
    loop {
        let (took, reply) = conn.timed_call("GetPartitions", &request.to_string()).await?;
        if reply.status != 200 {
            return Err(format!(
                "GetPartitions answered HTTP {}: {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
            ));
        }
        elapsed += took;
        bytes += reply.body.len();
        pages += 1;
        let page = reply.json();
        partitions += page["Partitions"].as_array().map_or(0, Vec::len);
        match page["NextToken"].as_str() {
            Some(token) => request["NextToken"] = json!(token),
            None => return Ok((elapsed, partitions, pages, bytes)),
        }
        if pages > 100_000 {
            return Err("GetPartitions: the walk does not end".into());
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn partitions(glue: &GlueLocal, count: usize, report: &mut Report) -> Result<(), String> {
    progress(&format!(
        "partitions: loading {count} partitions (BatchCreatePartition of 100)"
    ));
    let server = glue.start("0ms", None).await?;
    let creds = Arc::new(Creds::new(KEY, SECRET));
    let mut conn = Conn::new(&server.endpoint, creds);
    let loading = load_partitions(&mut conn, count).await?;
    report.rows.push(Row::note(
        &format!("{count} partitions: BatchCreatePartition"),
        format!(
            "{:.2} s ({:.0} partitions/s, 100 a call, one connection); RSS {:.1} MiB after",
            loading.as_secs_f64(),
            count as f64 / loading.as_secs_f64(),
            mib(server.rss_bytes())
        ),
    ));

    let base = json!({"DatabaseName": DATABASE, "TableName": TABLE, "MaxResults": 1000});
    let with = |extra: Value| {
        let mut r = base.clone();
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        r
    };
    let queries = [
        ("no Expression", base.clone()),
        (
            "no Expression, ExcludeColumnSchema",
            with(json!({"ExcludeColumnSchema": true})),
        ),
        (
            "region = 'r03' AND year = 2010",
            with(json!({"Expression": "region = 'r03' AND year = 2010"})),
        ),
        (
            "day >= '2000-07-01' (half)",
            with(json!({"Expression": "day >= '2000-07-01'"})),
        ),
        (
            "year IN (2001, 2012) OR region LIKE 'r0%' AND day BETWEEN '2000-02-01' AND '2000-02-29'",
            with(
                json!({"Expression": "year IN (2001, 2012) OR region LIKE 'r0%' AND day BETWEEN '2000-02-01' AND '2000-02-29'"}),
            ),
        ),
    ];
    for (label, request) in &queries {
        progress(&format!("partitions: GetPartitions walks, {label}"));
        let mut times = Vec::new();
        let mut shape = (0, 0, 0);
        for _ in 0..REPEATS {
            let (took, found, pages, bytes) = walk(&mut conn, request).await?;
            times.push(took);
            shape = (found, pages, bytes);
        }
        let (found, pages, bytes) = shape;
        let first_pages: Vec<Duration> = {
            let mut t = Vec::new();
            for _ in 0..REPEATS {
                let mut first = request.clone();
                first["MaxResults"] = json!(100);
                t.push(conn.timed_call("GetPartitions", &first.to_string()).await?.0);
            }
            t
        };
        let walk_time = median(times);
        report.rows.push(Row::note(
            &format!("GetPartitions over {count}: {label}"),
            format!(
                "whole walk {:.0} ms for {found} partitions in {pages} pages of ≤1000 ({:.1} MB, {:.2} ms a page); first page of 100: {:.2} ms (median of {REPEATS})",
                ms(walk_time),
                bytes as f64 / 1e6,
                ms(walk_time) / pages as f64,
                ms(median(first_pages)),
            ),
        ));
    }
    report.rows.push(Row::note(
        &format!("RSS with {count} partitions"),
        format!("{:.1} MiB after the walks", mib(server.rss_bytes())),
    ));
    Ok(())
}
