"""Crawlers that crawl the --s3-dir: tables inferred from CSV, JSON lines and Parquet files the tests
write, written to the Data Catalog and read back through boto3 and the aws CLI.

A private glue-local with ``--s3-dir`` (and the same folder as ``--scripts-dir``, so a job's script
under ``s3://`` runs) serves this module; the shared server has no s3 dir and keeps simulating crawls.
"""

import json
import shutil
import sys
import textwrap

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gluelocal
from glue_resources import ROLE
from workflows_util import inject


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """(endpoint, s3 dir, boto3 client, aws CLI) of a glue-local crawling the s3 dir."""
    s3 = tmp_path_factory.mktemp("s3")
    server = gluelocal.LocalServer(
        extra_args=["--s3-dir", str(s3), "--scripts-dir", str(s3), "--job-duration", "0ms"],
        log_path=gluelocal.ARTIFACTS_DIR / "server-crawl-files.log",
    )
    try:
        endpoint = server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield endpoint, s3, gluelocal.make_glue_client(endpoint), gluelocal.AwsCli(endpoint, tmp_path_factory.mktemp("cli"))
    finally:
        server.stop()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def crawler(glue, name, database, path, **extra):
    glue.create_crawler(Name=name, Role=ROLE, DatabaseName=database, Targets={"S3Targets": [{"Path": path}]}, **extra)


def crawl(glue, name, wait_until):
    """Starts a crawl and waits for it to end; returns the crawler's LastCrawl."""
    glue.start_crawler(Name=name)
    return last_crawl(glue, name, wait_until)


def last_crawl(glue, name, wait_until):
    def ended():
        c = glue.get_crawler(Name=name)["Crawler"]
        return c["State"] == "READY" and c.get("LastCrawl")

    return wait_until(ended, timeout=20)


def metrics(glue, name):
    (m,) = glue.get_crawler_metrics(CrawlerNameList=[name])["CrawlerMetricsList"]
    return m["TablesCreated"], m["TablesUpdated"], m["TablesDeleted"]


def columns(sd):
    return [(c["Name"], c["Type"]) for c in sd["Columns"]]


def write_raw(root):
    """raw/orders: CSV in dt= partitions; raw/customers: JSON lines; raw/events: Parquet in year=/month=."""
    write(root / "orders/dt=2024-01-01/part-0.csv", "order_id,customer,qty,price,ordered_at\n1,ann,2,2.50,2024-01-01 10:00:00\n2,bob,1,10,2024-01-01 11:30:00\n")
    write(root / "orders/dt=2024-01-02/part-0.csv", "order_id,customer,qty,price,ordered_at\n3,ann,5,1.25,2024-01-02 09:15:00\n")
    write(
        root / "customers/customers.json",
        '{"id": 1, "name": "ann", "address": {"city": "Oslo", "zip": 150}, "tags": ["vip"]}\n'
        '{"id": 2, "name": "bob", "address": {"city": "Rome", "zip": 100}, "tags": []}\n',
    )
    for month in ("01", "02"):
        folder = root / f"events/year=2024/month={month}"
        folder.mkdir(parents=True)
        table = pa.table({"event_id": pa.array([1, 2], pa.int64()), "kind": ["view", "buy"], "score": pa.array([0.5, 1.5], pa.float64())})
        pq.write_table(table, folder / "part-0.parquet")


CURATE = """\
#!{python}
# Reads raw/orders' CSV partitions and writes each day's totals as Parquet under curated/.
import csv, os, pathlib, sys
import pyarrow as pa, pyarrow.parquet as pq

s3 = pathlib.Path(os.environ["GLUE_LOCAL_S3_DIR"]) / "{bucket}"
days, orders, quantities = [], [], []
for part in sorted((s3 / "raw/orders").glob("dt=*")):
    rows = list(csv.DictReader(open(part / "part-0.csv")))
    totals = {{}}
    for r in rows:
        totals[r["customer"]] = totals.get(r["customer"], 0.0) + int(r["qty"]) * float(r["price"])
    out = s3 / "curated/order_totals" / part.name
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({{"customer": list(totals), "total": list(totals.values())}}), out / "part-0.parquet")
    days.append(part.name.split("=")[1])
    orders.append(len(rows))
    quantities.append(sum(int(r["qty"]) for r in rows))
(s3 / "curated/daily_counts").mkdir(parents=True, exist_ok=True)
daily = pa.table({{"day": pa.array(days).cast(pa.date32()), "orders": orders, "qty": quantities}})
pq.write_table(daily, s3 / "curated/daily_counts/part-0.parquet")
"""


def test_crawl_raw_then_job_then_crawl_curated_in_a_workflow(lake, wait_until):
    endpoint, s3, glue, cli = lake
    u = gluelocal.unique("lake")
    bucket, db = u, u.replace("-", "_")
    write_raw(s3 / bucket / "raw")
    script = s3 / bucket / "scripts/curate.py"
    write(script, CURATE.format(python=sys.executable, bucket=bucket))
    glue.create_database(DatabaseInput={"Name": db})
    crawler(glue, f"{u}-raw", db, f"s3://{bucket}/raw/", TablePrefix="raw_")
    crawler(glue, f"{u}-curated", db, f"s3://{bucket}/curated/", TablePrefix="cur_")
    glue.create_job(Name=f"{u}-curate", Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": f"s3://{bucket}/scripts/curate.py"})
    wf = f"{u}-wf"
    glue.create_workflow(Name=wf)
    glue.create_trigger(Name=f"{u}-t0", WorkflowName=wf, Type="ON_DEMAND", Actions=[{"CrawlerName": f"{u}-raw"}])
    glue.create_trigger(
        Name=f"{u}-t1", WorkflowName=wf, Type="CONDITIONAL", StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": f"{u}-raw", "CrawlState": "SUCCEEDED"}]},
        Actions=[{"JobName": f"{u}-curate"}],
    )
    glue.create_trigger(
        Name=f"{u}-t2", WorkflowName=wf, Type="CONDITIONAL", StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": f"{u}-curate", "State": "SUCCEEDED"}]},
        Actions=[{"CrawlerName": f"{u}-curated"}],
    )
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    run = wait_until(
        lambda: (r := glue.get_workflow_run(Name=wf, RunId=run_id, IncludeGraph=True)["Run"])["Status"] == "COMPLETED" and r,
        timeout=60,
    )
    assert run["Statistics"]["SucceededActions"] == 3, run
    crawls = {n["Name"]: n["CrawlerDetails"]["Crawls"] for n in run["Graph"]["Nodes"] if n["Type"] == "CRAWLER"}
    assert [c["State"] for c in crawls[f"{u}-raw"]] == ["SUCCEEDED"]
    assert [c["State"] for c in crawls[f"{u}-curated"]] == ["SUCCEEDED"]

    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName=db)["TableList"]}
    assert sorted(tables) == ["cur_daily_counts", "cur_order_totals", "raw_customers", "raw_events", "raw_orders"]

    orders = tables["raw_orders"]
    sd = orders["StorageDescriptor"]
    assert columns(sd) == [("order_id", "bigint"), ("customer", "string"), ("qty", "bigint"), ("price", "double"), ("ordered_at", "timestamp")]
    assert [(k["Name"], k["Type"]) for k in orders["PartitionKeys"]] == [("dt", "string")]
    assert sd["Location"] == f"s3://{bucket}/raw/orders/"
    assert sd["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert sd["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    assert sd["SerdeInfo"] == {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "Parameters": {"field.delim": ","}}
    assert orders["TableType"] == "EXTERNAL_TABLE"
    p = orders["Parameters"]
    assert (p["classification"], p["delimiter"], p["skip.header.line.count"], p["recordCount"], p["objectCount"]) == ("csv", ",", "1", "3", "2")
    assert p["UPDATED_BY_CRAWLER"] == f"{u}-raw"

    customers = tables["raw_customers"]
    assert columns(customers["StorageDescriptor"]) == [
        ("id", "int"), ("name", "string"), ("address", "struct<city:string,zip:int>"), ("tags", "array<string>")
    ]
    assert customers["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    assert customers["Parameters"]["classification"] == "json"
    assert customers["PartitionKeys"] == []

    events = tables["raw_events"]
    assert columns(events["StorageDescriptor"]) == [("event_id", "bigint"), ("kind", "string"), ("score", "double")]
    assert [k["Name"] for k in events["PartitionKeys"]] == ["year", "month"]
    assert events["StorageDescriptor"]["InputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    assert events["Parameters"]["recordCount"] == "4"

    # Partitions, through boto3 (with an Expression) and the aws CLI.
    parts = {tuple(p["Values"]): p for p in glue.get_partitions(DatabaseName=db, TableName="raw_orders")["Partitions"]}
    assert sorted(parts) == [("2024-01-01",), ("2024-01-02",)]
    second = parts[("2024-01-02",)]
    assert second["StorageDescriptor"]["Location"] == f"s3://{bucket}/raw/orders/dt=2024-01-02/"
    assert columns(second["StorageDescriptor"]) == columns(sd)
    assert second["StorageDescriptor"]["SerdeInfo"] == sd["SerdeInfo"]
    assert (second["Parameters"]["recordCount"], second["Parameters"]["objectCount"]) == ("1", "1")
    later = glue.get_partitions(DatabaseName=db, TableName="raw_orders", Expression="dt > '2024-01-01'")["Partitions"]
    assert [p["Values"] for p in later] == [["2024-01-02"]]
    got = cli("glue", "get-partitions", "--database-name", db, "--table-name", "raw_events").json["Partitions"]
    assert sorted(p["Values"] for p in got) == [["2024", "01"], ["2024", "02"]]
    assert {p["StorageDescriptor"]["Location"] for p in got} == {
        f"s3://{bucket}/raw/events/year=2024/month=01/", f"s3://{bucket}/raw/events/year=2024/month=02/"
    }

    # The curated table, through the aws CLI.
    got = cli("glue", "get-table", "--database-name", db, "--name", "cur_order_totals").json["Table"]
    assert columns(got["StorageDescriptor"]) == [("customer", "string"), ("total", "double")]
    assert got["StorageDescriptor"]["Location"] == f"s3://{bucket}/curated/order_totals/"
    assert got["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert [k["Name"] for k in got["PartitionKeys"]] == ["dt"]
    names = [t["Name"] for t in cli("glue", "get-tables", "--database-name", db).json["TableList"]]
    assert names == sorted(tables)
    daily = cli("glue", "get-table", "--database-name", db, "--name", "cur_daily_counts").json["Table"]
    assert columns(daily["StorageDescriptor"]) == [("day", "date"), ("orders", "bigint"), ("qty", "bigint")]
    assert daily["PartitionKeys"] == []

    assert metrics(glue, f"{u}-raw") == (3, 0, 0)
    assert metrics(glue, f"{u}-curated") == (2, 0, 0)
    (history,) = glue.list_crawls(CrawlerName=f"{u}-raw")["Crawls"]
    assert history["State"] == "COMPLETED"
    assert json.loads(history["Summary"]) == {"TABLE": {"ADD": {"Count": 3}}, "PARTITION": {"ADD": {"Count": 4}}}


def test_schema_change_policy_updates_logs_deprecates_and_deletes(lake, wait_until):
    endpoint, s3, glue, cli = lake
    u = gluelocal.unique("scp")
    db = u.replace("-", "_")
    glue.create_database(DatabaseInput={"Name": db})
    data = s3 / u / "data"
    write(data / "items/a.csv", "id,name\n1,a\n2,b\n")
    write(data / "other/b.json", '{"x": 1}\n')
    name = f"{u}-c"
    crawler(glue, name, db, f"s3://{u}/data/", SchemaChangePolicy={"UpdateBehavior": "LOG", "DeleteBehavior": "DEPRECATE_IN_DATABASE"})
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    assert metrics(glue, name) == (2, 0, 0)

    # A new column: LOG leaves the table as it is.
    write(data / "items/a.csv", "id,name,price\n1,a,1.5\n2,b,2\n")
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    items = glue.get_table(DatabaseName=db, Name="items")["Table"]
    assert [c["Name"] for c in items["StorageDescriptor"]["Columns"]] == ["id", "name"]
    assert metrics(glue, name) == (0, 0, 0)

    # UPDATE_IN_DATABASE takes the new schema, as a new table version.
    glue.update_crawler(Name=name, SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DEPRECATE_IN_DATABASE"})
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    items = glue.get_table(DatabaseName=db, Name="items")["Table"]
    assert columns(items["StorageDescriptor"]) == [("id", "bigint"), ("name", "string"), ("price", "double")]
    assert items["VersionId"] == "2"
    assert metrics(glue, name) == (0, 1, 0)

    # A folder gone: DEPRECATE_IN_DATABASE marks its table, DELETE_FROM_DATABASE deletes it.
    shutil.rmtree(data / "other")
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    other = glue.get_table(DatabaseName=db, Name="other")["Table"]
    assert other["Parameters"]["DEPRECATED_BY_CRAWLER"] == name
    glue.update_crawler(Name=name, SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DELETE_FROM_DATABASE"})
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    assert metrics(glue, name) == (0, 0, 1)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table(DatabaseName=db, Name="other")
    assert [t["Name"] for t in glue.get_tables(DatabaseName=db)["TableList"]] == ["items"]


def test_partitions_are_added_always_updated_and_deleted_by_policy(lake, wait_until):
    _, s3, glue, _ = lake
    u = gluelocal.unique("parts")
    db = u.replace("-", "_")
    glue.create_database(DatabaseInput={"Name": db})
    events = s3 / u / "events"
    for day in ("1", "2"):
        write(events / f"dt={day}/a.json", '{"id": 1, "kind": "view", "at": "2024-01-01"}\n')
    name = f"{u}-c"
    crawler(glue, name, db, f"s3://{u}/events/", SchemaChangePolicy={"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"})

    def values():
        return sorted(p["Values"] for p in glue.get_partitions(DatabaseName=db, TableName="events")["Partitions"])

    def summary():
        return json.loads(glue.list_crawls(CrawlerName=name, MaxResults=1)["Crawls"][0].get("Summary", "{}"))

    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    assert values() == [["1"], ["2"]]
    # New partitions are added whatever the policy; LOG leaves a changed one as it was.
    write(events / "dt=3/a.json", '{"id": 3, "kind": "buy", "at": "2024-01-03"}\n')
    write(events / "dt=1/a.json", '{"id": 1, "kind": "view", "at": "2024-01-01", "note": "x"}\n')
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    assert values() == [["1"], ["2"], ["3"]]
    assert summary() == {"PARTITION": {"ADD": {"Count": 1}}}
    first = glue.get_partition(DatabaseName=db, TableName="events", PartitionValues=["1"])["Partition"]
    assert [c["Name"] for c in first["StorageDescriptor"]["Columns"]] == ["id", "kind", "at"]
    # UPDATE_IN_DATABASE updates it; a folder gone stays with LOG or DEPRECATE_IN_DATABASE...
    shutil.rmtree(events / "dt=2")
    glue.update_crawler(Name=name, SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DEPRECATE_IN_DATABASE"})
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    first = glue.get_partition(DatabaseName=db, TableName="events", PartitionValues=["1"])["Partition"]
    assert [c["Name"] for c in first["StorageDescriptor"]["Columns"]] == ["id", "kind", "at", "note"]
    assert values() == [["1"], ["2"], ["3"]]
    assert summary() == {"TABLE": {"UPDATE": {"Count": 1}}, "PARTITION": {"UPDATE": {"Count": 1}}}
    # ...and is deleted with DELETE_FROM_DATABASE.
    glue.update_crawler(Name=name, SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DELETE_FROM_DATABASE"})
    assert crawl(glue, name, wait_until)["Status"] == "SUCCEEDED"
    assert values() == [["1"], ["3"]]
    assert summary() == {"PARTITION": {"DELETE": {"Count": 1}}}


def test_crawl_new_folders_only_needs_log_policies(lake):
    _, _, glue, _ = lake
    u = gluelocal.unique("recrawl")
    with pytest.raises(glue.exceptions.InvalidInputException) as e:
        crawler(glue, u, "db", "s3://b/x/", RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"})
    assert "LOG" in e.value.response["Error"]["Message"]
    crawler(
        glue, u, "db", "s3://b/x/",
        RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
        SchemaChangePolicy={"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
    )
    assert glue.get_crawler(Name=u)["Crawler"]["RecrawlPolicy"] == {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"}


@pytest.mark.parametrize(
    "case, files, expected",
    [
        ("missing-folder", {}, "does not exist"),
        ("damaged-parquet", {"t/x.parquet": "PAR1 not a footer PAR1"}, "is not a readable Parquet file"),
        ("missing-database", {"t/a.csv": "a,b\n1,2\n"}, "Database nodb_"),
    ],
)
def test_a_failed_crawl_says_why_and_fires_triggers_on_failed(lake, wait_until, case, files, expected):
    endpoint, s3, glue, _ = lake
    u = gluelocal.unique(case)
    db = "nodb_" + u.replace("-", "_") if case == "missing-database" else u.replace("-", "_")
    if case != "missing-database":
        glue.create_database(DatabaseInput={"Name": db})
    for key, text in files.items():
        write(s3 / u / key, text)
    name = f"{u}-c"
    crawler(glue, name, db, f"s3://{u}/t/")
    job = f"{u}-on-failure"
    glue.create_job(Name=job, Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": "s3://nowhere/x.py"})
    glue.create_trigger(
        Name=f"{u}-tf", Type="CONDITIONAL", StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": name, "CrawlState": "FAILED"}]},
        Actions=[{"JobName": job}],
    )
    # Conditional triggers watch crawls that triggers started.
    glue.create_trigger(Name=f"{u}-start", Type="ON_DEMAND", Actions=[{"CrawlerName": name}])
    glue.start_trigger(Name=f"{u}-start")
    last = last_crawl(glue, name, wait_until)
    assert last["Status"] == "FAILED"
    assert expected in last["ErrorMessage"], last
    (history,) = glue.list_crawls(CrawlerName=name)["Crawls"]
    assert history["State"] == "FAILED" and expected in history["ErrorMessage"]
    wait_until(lambda: glue.get_job_runs(JobName=job)["JobRuns"], timeout=10)


def test_injected_outcomes_and_crawlers_without_s3_targets_stay_simulated(lake, wait_until):
    endpoint, s3, glue, _ = lake
    u = gluelocal.unique("sim")
    db = u.replace("-", "_")
    glue.create_database(DatabaseInput={"Name": db})
    write(s3 / u / "t/a.csv", "a,b\n1,2\n")
    crawler(glue, f"{u}-c", db, f"s3://{u}/t/")
    inject(endpoint, crawler=f"{u}-c", state="FAILED", message="told to fail")
    last = crawl(glue, f"{u}-c", wait_until)
    assert (last["Status"], last["ErrorMessage"]) == ("FAILED", "told to fail")
    assert glue.get_tables(DatabaseName=db)["TableList"] == []
    glue.create_crawler(Name=f"{u}-jdbc", Role=ROLE, DatabaseName=db, Targets={"JdbcTargets": [{"ConnectionName": "x", "Path": "d/%"}]})
    assert crawl(glue, f"{u}-jdbc", wait_until)["Status"] == "SUCCEEDED"
    assert glue.get_tables(DatabaseName=db)["TableList"] == []


def test_crawled_tables_and_crawl_counts_survive_a_restart(tmp_path, wait_until):
    s3, state = tmp_path / "s3", tmp_path / "state"
    write(s3 / "b/sales/dt=1/a.csv", "id,amount\n1,2.5\n2,3\n")
    args = ["--s3-dir", str(s3), "--state-dir", str(state)]
    server = gluelocal.LocalServer(extra_args=args, log_path=tmp_path / "server.log")
    server.start()
    try:
        glue = gluelocal.make_glue_client(server.endpoint)
        glue.create_database(DatabaseInput={"Name": "db"})
        crawler(glue, "c", "db", "s3://b/sales/")
        assert crawl(glue, "c", wait_until)["Status"] == "SUCCEEDED"
        before = glue.get_table(DatabaseName="db", Name="sales")["Table"]
    finally:
        server.stop()
    server = gluelocal.LocalServer(extra_args=args, log_path=tmp_path / "server2.log")
    server.start()
    try:
        glue = gluelocal.make_glue_client(server.endpoint)
        assert glue.get_table(DatabaseName="db", Name="sales")["Table"] == before
        assert metrics(glue, "c") == (1, 0, 0)
        (history,) = glue.list_crawls(CrawlerName="c")["Crawls"]
        assert json.loads(history["Summary"]) == {"TABLE": {"ADD": {"Count": 1}}, "PARTITION": {"ADD": {"Count": 1}}}
    finally:
        server.stop()
