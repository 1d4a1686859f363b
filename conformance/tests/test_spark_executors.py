"""Spark jobs (``glueetl``, ``gluestreaming``) through ``--spark-executor local|docker``.

``local``: glue-local runs the script with ``spark-submit`` from the PySpark of
``conformance/.venv-spark`` (``$CONFORMANCE_SPARK_VENV``; conformance/run makes it from
requirements-spark.txt), its ``bin`` first on the server's PATH, and the script imports
glue-local's own ``GlueContext``/``DynamicFrame``/``Job``.

``docker``: glue-local runs ``docker run … <image> spark-submit <script> <args>``.  No
registry is reachable here, so the image is a small one built for the test (Debian
minbase with python3, debootstrap + ``docker import``, cached by its tag) whose
``spark-submit`` runs the script with python3; the container sees the script, the
``--s3-dir``, the emulator and the run's credentials as AWS's Glue image would.

Without PySpark or a Docker engine these tests are skipped, saying why; under CI
(``CI=true``, which installs both) that is a failure.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

import docker_util
import gluelocal
from workflows_util import ROLE, job_runs, nodes_by_name, process_alive, wait_run

TEST_IMAGE = "glue-local-test/spark-python:2"


def _server(tmp_path_factory, name, *args, env=None):
    s3 = tmp_path_factory.mktemp(f"{name}-s3")
    logs = tmp_path_factory.mktemp(f"{name}-logs")
    server = gluelocal.LocalServer(
        log_path=gluelocal.ARTIFACTS_DIR / f"server-spark-{name}.log",
        extra_args=[
            "--s3-dir", str(s3), "--log-dir", str(logs),
            "--scripts-dir", str(tmp_path_factory.getbasetemp()), *args,
        ],
        env=env,
    )
    try:
        endpoint = server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    return server, endpoint, s3, logs


def _spark_job(glue, name, location, **extra):
    command = {"Name": "glueetl", "ScriptLocation": location, "PythonVersion": "3"}
    glue.create_job(Name=name, Role=ROLE, Command=command, GlueVersion="5.0", **extra)
    return name


def _final(glue, job, run_id, timeout=120):
    def done():
        r = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        return r if r.get("CompletedOn") else None

    return gluelocal.wait_until(done, timeout=timeout, interval=0.1, message=f"job run {run_id} to end")


def _write(folder: Path, name, text):
    path = folder / name
    path.write_text(text)
    return "file://" + str(path)


# --------------------------------------------------------------------------
# local: the user's own PySpark
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_venv():
    venv = Path(os.environ.get("CONFORMANCE_SPARK_VENV", gluelocal.CONFORMANCE_DIR / ".venv-spark"))
    if not (venv / "bin" / "spark-submit").exists():
        docker_util.unavailable(f"no PySpark venv at {venv} (conformance/run makes it from requirements-spark.txt)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        docker_util.unavailable("no Java for PySpark (Debian: openjdk-17-jre-headless)")
    return venv


@pytest.fixture(scope="module")
def local(tmp_path_factory, spark_venv):
    path = f"{spark_venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    server, endpoint, s3, logs = _server(tmp_path_factory, "local", "--spark-executor", "local", env={"PATH": path})
    try:
        yield gluelocal.make_glue_client(endpoint), s3, logs
    finally:
        server.stop()


ETL_SCRIPT = """
import sys
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "WORKFLOW_NAME", "WORKFLOW_RUN_ID", "bucket"])
sc = SparkContext.getOrCreate()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args["JOB_NAME"], args)

orders = glueContext.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [f"s3://{args['bucket']}/in/"]},
    format="csv",
    format_options={"withHeader": True},
)
big = (
    orders.toDF()
    .where(F.col("qty").cast("int") > 1)
    .select("item", (F.col("qty").cast("int") * F.col("price").cast("double")).alias("total"))
    .withColumn("workflow", F.lit(args["WORKFLOW_NAME"]))
)
glueContext.write_dynamic_frame.from_options(
    frame=DynamicFrame.fromDF(big, glueContext, "big"),
    connection_type="s3",
    connection_options={"path": f"s3://{args['bucket']}/out/"},
    format="json",
)
assert job.commit() is None
print("rows written:", big.count())
"""


def test_local_glue_style_spark_script_runs_in_a_workflow(local, unique, tmp_path):
    glue, s3, logs = local
    bucket = unique("bucket")
    (s3 / bucket / "in").mkdir(parents=True)
    (s3 / bucket / "in" / "orders.csv").write_text("item,qty,price\napple,3,0.5\npear,1,2.0\nfig,4,1.25\n")
    job = _spark_job(glue, unique("etl"), _write(tmp_path, "etl.py", ETL_SCRIPT),
                     DefaultArguments={"--bucket": bucket})
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    glue.create_trigger(Name=unique("t"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"], timeout=180)
    jr = job_runs(nodes_by_name(run)[job])[0]
    assert jr["JobRunState"] == "SUCCEEDED", (jr, gluelocal.tail(logs / "aws-glue/jobs/error" / jr["Id"]))
    assert jr["ExecutionTime"] >= 1
    rows = [json.loads(line) for f in sorted((s3 / bucket / "out").glob("part-*.json"))
            for line in f.read_text().splitlines()]
    assert sorted(rows, key=lambda r: r["item"]) == [
        {"item": "apple", "total": 1.5, "workflow": wf},
        {"item": "fig", "total": 5.0, "workflow": wf},
    ]
    assert "rows written: 2" in (logs / "aws-glue/jobs/output" / jr["Id"]).read_text()


CATALOG_SCRIPT = """
import sys
from awsglue.context import GlueContext
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "db"])
glueContext = GlueContext(SparkContext.getOrCreate())
sales = glueContext.create_dynamic_frame.from_catalog(
    database=args["db"], table_name="sales", push_down_predicate="year = 2024", transformation_ctx="sales")
print("schema:", ",".join(f"{f.name}:{f.dataType.simpleString()}" for f in sales.toDF().schema.fields))
glueContext.write_dynamic_frame.from_catalog(frame=sales, database=args["db"], table_name="totals")
try:
    glueContext.create_dynamic_frame_from_catalog(args["db"], "missing")
except Exception as e:
    print("missing:", e)
"""


def test_local_from_catalog_reads_the_selected_partitions_and_writes_a_table(local, unique, tmp_path):
    """A crawler-shaped partitioned csv table read with ``push_down_predicate`` (partition
    columns typed as the keys), written to a json table partitioned by its key."""
    glue, s3, logs = local
    bucket, db = unique("bucket"), unique("db")
    glue.create_database(DatabaseInput={"Name": db})
    serde = {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
             "Parameters": {"field.delim": "|"}}
    columns = [{"Name": "item", "Type": "string"}, {"Name": "qty", "Type": "int"}]
    keys = [{"Name": "region", "Type": "string"}, {"Name": "year", "Type": "int"}]
    sd = {"Columns": columns, "Location": f"s3://{bucket}/sales/", "SerdeInfo": serde}
    glue.create_table(DatabaseName=db, TableInput={
        "Name": "sales", "StorageDescriptor": sd, "PartitionKeys": keys,
        "Parameters": {"classification": "csv", "skip.header.line.count": "1"}})
    parts = {("eu", "2024"): "item|qty\napple|3\n", ("us", "2024"): "item|qty\npear|1\n",
             ("eu", "2023"): "item|qty\nfig|4\n"}
    for (region, year), text in parts.items():
        folder = s3 / bucket / "sales" / f"region={region}" / f"year={year}"
        folder.mkdir(parents=True)
        (folder / "part.csv").write_text(text)
    glue.batch_create_partition(DatabaseName=db, TableName="sales", PartitionInputList=[
        {"Values": [r, y], "StorageDescriptor": {**sd, "Location": f"s3://{bucket}/sales/region={r}/year={y}/"}}
        for r, y in parts])
    glue.create_table(DatabaseName=db, TableInput={
        "Name": "totals", "PartitionKeys": [{"Name": "year", "Type": "int"}], "Parameters": {"classification": "json"},
        "StorageDescriptor": {"Columns": columns + keys[:1], "Location": f"s3://{bucket}/totals/"}})
    job = _spark_job(glue, unique("cat"), _write(tmp_path, "cat.py", CATALOG_SCRIPT), DefaultArguments={"--db": db})
    run = _final(glue, job, glue.start_job_run(JobName=job)["JobRunId"], timeout=180)
    assert run["JobRunState"] == "SUCCEEDED", (run, gluelocal.tail(logs / "aws-glue/jobs/error" / run["Id"]))
    out = (logs / "aws-glue/jobs/output" / run["Id"]).read_text()
    assert "schema: item:string,qty:int,region:string,year:int" in out
    assert "missing: glue-local refused GetTable" in out and "EntityNotFoundException" in out
    assert not (s3 / bucket / "totals" / "year=2023").exists()
    rows = [json.loads(line) for f in sorted((s3 / bucket / "totals" / "year=2024").glob("part-*.json"))
            for line in f.read_text().splitlines()]
    assert sorted(rows, key=lambda r: r["item"]) == [
        {"item": "apple", "qty": 3, "region": "eu"},
        {"item": "pear", "qty": 1, "region": "us"},
    ]


BOOKMARKED_SCRIPT = """
import sys
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "source"])
glueContext = GlueContext(SparkContext.getOrCreate())
job = Job(glueContext)
job.init(args["JOB_NAME"], args)
orders = glueContext.create_dynamic_frame_from_options(
    "s3", {"paths": [args["source"]]}, format="json", transformation_ctx="orders"
)
print("items:", ",".join(sorted(r["item"] for r in orders.toDF().collect())))
job.commit()
"""


def test_local_bookmarked_reads_take_only_new_files(local, unique, tmp_path):
    """An unmodified Glue ETL script with ``transformation_ctx``: under
    ``job-bookmark-enable`` each run reads only the files the last one did not."""
    glue, s3, logs = local
    bucket = unique("bucket")
    inbox = s3 / bucket / "in"
    inbox.mkdir(parents=True)
    (inbox / "day1.json").write_text('{"item": "apple"}\n')
    job = _spark_job(glue, unique("incr"), _write(tmp_path, "incr.py", BOOKMARKED_SCRIPT),
                     DefaultArguments={"--source": f"s3://{bucket}/in/", "--job-bookmark-option": "job-bookmark-enable"})

    def run():
        run = _final(glue, job, glue.start_job_run(JobName=job)["JobRunId"], timeout=180)
        assert run["JobRunState"] == "SUCCEEDED", (run, gluelocal.tail(logs / "aws-glue/jobs/error" / run["Id"]))
        out = (logs / "aws-glue/jobs/output" / run["Id"]).read_text()
        return run["Id"], next(line for line in out.splitlines() if line.startswith("items:"))

    first, items = run()
    assert items == "items: apple"
    (inbox / "day2.json").write_text('{"item": "pear"}\n{"item": "fig"}\n')
    second, items = run()
    assert items == "items: fig,pear", "the second run reads only the new file"
    entry = glue.get_job_bookmark(JobName=job)["JobBookmarkEntry"]
    assert (entry["RunId"], entry["PreviousRunId"]) == (second, first)
    state = json.loads(entry["JobBookmark"])["orders"]
    assert state["jsonClass"] == "HadoopDataSourceJobBookmarkState"
    assert state["filesAtLatest"] == [f"s3://{bucket}/in/day2.json"]
    _, items = run()
    assert items == "items: ", "nothing new: an empty frame"


def test_local_failing_spark_script_fails_with_its_error(local, unique, tmp_path):
    glue, _, _ = local
    script = _write(tmp_path, "bad.py", """
from awsglue.context import GlueContext
from pyspark.context import SparkContext

glueContext = GlueContext(SparkContext.getOrCreate())
glueContext.spark_session.range(3).count()
raise ValueError("no such column: spark boom")
""")
    job = _spark_job(glue, unique("bad"), script, MaxRetries=1)
    run_id = glue.start_job_run(JobName=job)["JobRunId"]
    r = _final(glue, job, run_id)
    assert r["JobRunState"] == "FAILED", r
    assert "Script ended with exit code" in r["ErrorMessage"]
    assert "ValueError: no such column: spark boom" in r["ErrorMessage"]
    retry = gluelocal.wait_until(lambda: next(
        (x for x in glue.get_job_runs(JobName=job)["JobRuns"] if x.get("Attempt") == 1 and x.get("CompletedOn")), None),
        timeout=120, interval=0.1, message="the retry to end")
    assert retry["JobRunState"] == "FAILED" and retry["PreviousRunId"] == run_id


def _group(pgid):
    """Live processes of a process group, as (pid, command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getpgid(int(proc.name)) == pgid and process_alive(int(proc.name)):
                found.append((int(proc.name), (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, ProcessLookupError):
            pass
    return found


def test_local_stop_kills_the_jvm_and_the_driver(local, unique, tmp_path):
    glue, _, _ = local
    started = tmp_path / "started.json"
    script = _write(tmp_path, "long.py", f"""
import json, os, time
from awsglue.context import GlueContext
from pyspark.context import SparkContext

glueContext = GlueContext(SparkContext.getOrCreate())
json.dump({{"pid": os.getpid(), "pgid": os.getpgid(0)}}, open({str(started)!r} + ".tmp", "w"))
os.rename({str(started)!r} + ".tmp", {str(started)!r})
while True:
    time.sleep(0.1)
""")
    job = _spark_job(glue, unique("long"), script)
    run_id = glue.start_job_run(JobName=job)["JobRunId"]
    gluelocal.wait_until(started.exists, timeout=120, interval=0.1, message="the Spark driver to start")
    ids = json.loads(started.read_text())
    group = _group(ids["pgid"])
    assert any("java" in cmd for _, cmd in group), group  # spark-submit's JVM runs the driver
    assert ids["pgid"] != os.getpgid(0), "the script has a process group of its own"
    stopped = glue.batch_stop_job_run(JobName=job, JobRunIds=[run_id])
    assert stopped["SuccessfulSubmissions"] == [{"JobName": job, "JobRunId": run_id}]
    assert _final(glue, job, run_id)["JobRunState"] == "STOPPED"
    gluelocal.wait_until(lambda: not _group(ids["pgid"]), timeout=20, message="the JVM and the driver to be gone")
    assert not process_alive(ids["pid"])


# --------------------------------------------------------------------------
# docker: a Glue image through the docker CLI
# --------------------------------------------------------------------------


def _build_test_image():
    """Debian minbase with python3; ``spark-submit SCRIPT ARGS`` runs the script with python3."""
    submit = ('#!/bin/sh\nexec python3 "$@"\n', 0o755)
    return docker_util.debootstrap_image(TEST_IMAGE, include=["python3"], files={"usr/local/bin/spark-submit": submit})


@pytest.fixture(scope="module")
def docker_image():
    docker_util.require_engine()
    return _build_test_image()


@pytest.fixture(scope="module")
def docker(tmp_path_factory, docker_image):
    # --time-scale 20: a Glue minute of Timeout lasts 3 s.
    server, endpoint, s3, logs = _server(
        tmp_path_factory, "docker", "--spark-executor", "docker", "--spark-image", docker_image,
        "--spark-pull", "never", "--time-scale", "20",
    )
    try:
        yield gluelocal.make_glue_client(endpoint), s3, logs, endpoint
    finally:
        server.stop()


def _containers(run_id):
    listed = docker_util.docker("ps", "--all", "--quiet", "--filter", f"name=^glue-local-{run_id}$")
    assert listed.returncode == 0, listed.stderr
    return listed.stdout.split()


CONTAINER_SCRIPT = """
import json, os, sys, urllib.request

env = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "GLUE_LOCAL_"))}
with urllib.request.urlopen(env["AWS_ENDPOINT_URL_GLUE"] + "/_glue_local/health", timeout=5) as r:
    health = r.status
try:
    open(sys.argv[0], "a")
    script_writable = True
except OSError:
    script_writable = False
out = os.path.join(env["GLUE_LOCAL_S3_DIR"], sys.argv[sys.argv.index("--bucket") + 1], "seen.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
json.dump({"argv": sys.argv, "env": env, "health": health, "script_writable": script_writable,
           "in_container": os.path.exists("/.dockerenv"), "host_path": os.environ.get("PATH")}, open(out, "w"))
print("hello from the container")
code = int(sys.argv[sys.argv.index("--exit") + 1])
if code:
    sys.stderr.write("Traceback (most recent call last):\\nRuntimeError: docker boom\\n")
sys.exit(code)
"""


def test_docker_runs_the_script_in_the_image_with_mounts_and_env(docker, unique, tmp_path):
    glue, s3, logs, endpoint = docker
    bucket = unique("bucket")
    script = _write(tmp_path, "in_container.py", CONTAINER_SCRIPT)
    job = _spark_job(glue, unique("dock"), script, DefaultArguments={"--bucket": bucket, "--exit": "0"})
    run_id = glue.start_job_run(JobName=job)["JobRunId"]
    r = _final(glue, job, run_id)
    assert r["JobRunState"] == "SUCCEEDED", (r, gluelocal.tail(logs / "aws-glue/jobs/error" / run_id))
    seen = json.loads((s3 / bucket / "seen.json").read_text())
    assert seen["in_container"] and seen["health"] == 200
    assert seen["argv"][0] == "/glue-local/script/in_container.py" and not seen["script_writable"]
    assert seen["argv"][1:5] == ["--JOB_NAME", job, "--JOB_RUN_ID", run_id]
    assert seen["env"]["AWS_ENDPOINT_URL_GLUE"] == endpoint
    assert seen["env"]["GLUE_LOCAL_S3_DIR"] == "/glue-local/s3"
    assert seen["env"]["AWS_ACCESS_KEY_ID"].startswith("ASIA") and seen["env"]["AWS_SESSION_TOKEN"]
    assert seen["env"]["AWS_REGION"] == gluelocal.REGION
    assert seen["host_path"] == docker_util.IMAGE_PATH, "the image's PATH, not the host's"
    assert "hello from the container" in (logs / "aws-glue/jobs/output" / run_id).read_text()
    assert _containers(run_id) == [], "docker run --rm removed it"

    failing = glue.start_job_run(JobName=job, Arguments={"--exit": "3"})["JobRunId"]
    r = _final(glue, job, failing)
    assert r["JobRunState"] == "FAILED", r
    assert "exit code 3" in r["ErrorMessage"] and "RuntimeError: docker boom" in r["ErrorMessage"]
    assert _containers(failing) == []


def _gate_script(tmp_path, name):
    # The script is the only file of tmp_path the container sees: it says it started through the s3 dir.
    return _write(tmp_path, f"{name}.py", """
import os, sys, time
open(os.path.join(os.environ["GLUE_LOCAL_S3_DIR"], sys.argv[sys.argv.index("--marker") + 1]), "w").close()
while True:
    time.sleep(0.1)
""")


def test_docker_stop_and_timeout_remove_the_container(docker, unique, tmp_path):
    glue, s3, _, _ = docker
    script = _gate_script(tmp_path, "gate")
    job = _spark_job(glue, unique("gate"), script)

    marker = unique("stop")
    stopped = glue.start_job_run(JobName=job, Arguments={"--marker": marker})["JobRunId"]
    gluelocal.wait_until((s3 / marker).exists, timeout=60, interval=0.05, message="the container to start")
    assert len(_containers(stopped)) == 1
    glue.batch_stop_job_run(JobName=job, JobRunIds=[stopped])
    assert _final(glue, job, stopped)["JobRunState"] == "STOPPED"
    gluelocal.wait_until(lambda: _containers(stopped) == [], timeout=30, interval=0.1,
                         message="the stopped run's container to be removed")

    marker = unique("timeout")
    timed_out = glue.start_job_run(JobName=job, Arguments={"--marker": marker}, Timeout=2)["JobRunId"]
    gluelocal.wait_until((s3 / marker).exists, timeout=60, interval=0.05, message="the container to start")
    r = _final(glue, job, timed_out, timeout=60)
    assert r["JobRunState"] == "TIMEOUT", r
    gluelocal.wait_until(lambda: _containers(timed_out) == [], timeout=30, interval=0.1,
                         message="the timed-out run's container to be removed")
