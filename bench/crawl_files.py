#!/usr/bin/env python3
"""How long glue-local takes to crawl many files in its --s3-dir.

Writes FILES small files into a fresh s3 dir — CSV with a header in PARTITIONS Hive-style dt=
folders of one table, plus a JSON-lines table of the same layout when --json is given — starts
glue-local on it, creates a database and a crawler over the bucket, and times StartCrawler to the
crawler being READY again (the wall clock seen by the client), next to the crawl's own StartTime to
EndTime from ListCrawls. Repeats --runs times: the first crawl creates the tables, later ones find
them unchanged.

    cargo build --release && conformance/.venv/bin/python bench/crawl_files.py --files 10000 --runs 3

Prints JSON.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance" / "tests"))
import gluelocal  # noqa: E402


def wait_for(fn, timeout, what):
    return gluelocal.wait_until(fn, timeout, 0.005, what)


ROLE = "arn:aws:iam::123456789012:role/bench"


def write_files(root, files, partitions, with_json):
    tables = ["orders", "events"] if with_json else ["orders"]
    per_table = files // len(tables)
    for table in tables:
        for i in range(per_table):
            folder = root / "lake" / table / f"dt=2024-01-{i % partitions:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            if table == "orders":
                text = "order_id,customer,qty,price\n" + "".join(f"{i * 10 + r},c{r},{r},{r}.5\n" for r in range(10))
                (folder / f"part-{i:05d}.csv").write_text(text)
            else:
                text = "".join(json.dumps({"id": i * 10 + r, "kind": "view", "tags": ["a"]}) + "\n" for r in range(10))
                (folder / f"part-{i:05d}.json").write_text(text)
    return len(tables) * per_table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/glue-local")
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--partitions", type=int, default=100)
    ap.add_argument("--json", action="store_true", help="half the files JSON lines, in a second table")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        s3 = Path(tmp) / "s3"
        written = write_files(s3, args.files, args.partitions, args.json)
        port = gluelocal.free_port()
        server = subprocess.Popen(
            [args.binary, "--port", str(port), "--s3-dir", str(s3), "--log-dir", str(Path(tmp) / "logs")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            glue = boto3.client(
                "glue",
                endpoint_url=f"http://127.0.0.1:{port}",
                region_name="us-east-1",
                aws_access_key_id="test",
                aws_secret_access_key="test",
                config=Config(retries={"max_attempts": 1}),
            )

            def up():
                try:
                    glue.list_workflows()
                    return True
                except Exception:
                    return False

            wait_for(up, 30, "the server")
            glue.create_database(DatabaseInput={"Name": "bench"})
            glue.create_crawler(Name="c", Role=ROLE, DatabaseName="bench", Targets={"S3Targets": [{"Path": "s3://lake/"}]})
            walls, own = [], []
            for _ in range(args.runs):
                start = time.monotonic()
                glue.start_crawler(Name="c")
                crawler = wait_for(
                    lambda: (c := glue.get_crawler(Name="c")["Crawler"])["State"] == "READY" and c,
                    600,
                    "the crawl",
                )
                walls.append(time.monotonic() - start)
                assert crawler["LastCrawl"]["Status"] == "SUCCEEDED", crawler["LastCrawl"]
                last = glue.list_crawls(CrawlerName="c", MaxResults=1)["Crawls"][0]
                own.append((last["EndTime"] - last["StartTime"]).total_seconds())
            tables = glue.get_tables(DatabaseName="bench")["TableList"]
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        json.dumps(
            {
                "files": written,
                "partitions_per_table": args.partitions,
                "tables": sorted(t["Name"] for t in tables),
                "records": sum(int(t["Parameters"]["recordCount"]) for t in tables),
                "crawl_wall_seconds": [round(w, 3) for w in walls],
                "crawl_own_seconds": [round(o, 3) for o in own],
                "median_wall_seconds": round(statistics.median(walls), 3),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
