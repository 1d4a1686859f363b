"""Job runs that execute local scripts: arguments, environment, calling back into
glue-local with boto3, timeouts (``--time-scale``), ``s3://`` scripts under
``--s3-dir``, and stopping long simulated work (``--job-duration``).

Interpreter: glue-local runs a script with the program its ``#!`` line names,
else ``python3`` for ``.py`` and ``sh`` for ``.sh``.  The boto3 scripts here
start with ``#!<this venv's python>`` so they find boto3 whatever ``python3``
the server's PATH has.
"""

import json
import sys

import pytest

import gluelocal
from workflows_util import (  # noqa: F401 (scripts is a fixture)
    conditional,
    create_job,
    job_runs,
    node_state,
    nodes_by_name,
    on_demand,
    process_alive,
    ROLE,
    scripts,
    stats,
    wait_node,
    wait_run,
)


def _arg(argv, name):
    return argv[argv.index(name) + 1]


def test_script_reads_and_writes_run_properties_with_boto3(glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf, DefaultRunProperties={"input": "s3://bucket/in/"})
    producer = scripts.write(
        "producer.py",
        """
        import sys
        import boto3

        args = sys.argv[1:]
        opt = lambda name: args[args.index(name) + 1]
        name, run_id = opt("--WORKFLOW_NAME"), opt("--WORKFLOW_RUN_ID")
        glue = boto3.client("glue")  # AWS_ENDPOINT_URL, region and credentials come from the environment
        props = glue.get_workflow_run_properties(Name=name, RunId=run_id)["RunProperties"]
        glue.put_workflow_run_properties(
            Name=name, RunId=run_id,
            RunProperties={"output": props["input"] + "processed/", "producer_run": opt("--JOB_RUN_ID")},
        )
        print("wrote properties")
        """,
    )
    consumer = scripts.write(
        "consumer.py",
        """
        import sys
        import boto3

        args = sys.argv[1:]
        opt = lambda name: args[args.index(name) + 1]
        glue = boto3.client("glue")
        props = glue.get_workflow_run_properties(Name=opt("--WORKFLOW_NAME"), RunId=opt("--WORKFLOW_RUN_ID"))["RunProperties"]
        if props.get("output") != "s3://bucket/in/processed/":
            sys.stderr.write(f"unexpected properties {props}\\n")
            sys.exit(1)
        """,
    )
    p, c = create_job(glue, unique("producer"), producer), create_job(glue, unique("consumer"), consumer)
    on_demand(glue, unique("t1"), wf, p)
    conditional(glue, unique("t2"), wf, [(p, "SUCCEEDED")], [c])
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    run = wait_run(glue, wf, run_id)
    nodes = nodes_by_name(run)
    pr = job_runs(nodes[p])[0]
    assert pr["JobRunState"] == "SUCCEEDED", pr.get("ErrorMessage")
    cr = job_runs(nodes[c])[0]
    assert cr["JobRunState"] == "SUCCEEDED", cr.get("ErrorMessage")
    assert run["WorkflowRunProperties"] == {
        "input": "s3://bucket/in/",
        "output": "s3://bucket/in/processed/",
        "producer_run": pr["Id"],
    }
    assert glue.get_workflow_run_properties(Name=wf, RunId=run_id)["RunProperties"] == run["WorkflowRunProperties"]


def test_script_arguments_and_environment(glue, unique, scripts, tmp_path):
    out = tmp_path / "seen.json"
    dump = scripts.write(
        "dump.py",
        f"""
        import json, os, sys
        env = {{k: v for k, v in os.environ.items() if k.startswith(("AWS_", "GLUE_LOCAL"))}}
        json.dump({{"argv": sys.argv[1:], "env": env, "exe": sys.executable}}, open({str(out)!r}, "w"))
        """,
    )
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    j = create_job(
        glue,
        unique("j"),
        dump,
        DefaultArguments={"--default": "d", "--overridden": "from-job"},
        NonOverridableArguments={"--fixed": "job-wins"},
    )
    glue.create_trigger(
        Name=unique("t1"),
        WorkflowName=wf,
        Type="ON_DEMAND",
        Actions=[{"JobName": j, "Arguments": {"--overridden": "from-trigger", "--fixed": "ignored"}}],
    )
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    run = wait_run(glue, wf, run_id)
    r = job_runs(nodes_by_name(run)[j])[0]
    assert r["JobRunState"] == "SUCCEEDED", r.get("ErrorMessage")
    seen = json.loads(out.read_text())
    argv = seen["argv"]
    assert _arg(argv, "--JOB_NAME") == j
    assert _arg(argv, "--JOB_RUN_ID") == r["Id"]
    assert _arg(argv, "--WORKFLOW_NAME") == wf
    assert _arg(argv, "--WORKFLOW_RUN_ID") == run_id
    assert _arg(argv, "--default") == "d"
    assert _arg(argv, "--overridden") == "from-trigger"
    assert _arg(argv, "--fixed") == "job-wins"
    assert seen["exe"] == sys.executable, "the #! line chooses the interpreter"
    env = seen["env"]
    assert env["AWS_ENDPOINT_URL"].startswith("http://")
    assert env["AWS_REGION"] == "us-east-1" and env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"] and env["AWS_SESSION_TOKEN"]
    assert env["GLUE_LOCAL_JOB_RUN_ID"] == r["Id"]
    # The run's Arguments are what StartJobRun / the trigger gave, plus the workflow's two.
    assert r["Arguments"] == {
        "--overridden": "from-trigger",
        "--fixed": "ignored",
        "--WORKFLOW_NAME": wf,
        "--WORKFLOW_RUN_ID": run_id,
    }


def test_shell_script(glue, unique, scripts, wait_until):
    ok = scripts.write("ok.sh", 'echo "running $2"\nexit 0\n', shebang=False)
    bad = scripts.write("bad.sh", 'echo "disk full" >&2\nexit 4\n', shebang=False)
    j_ok, j_bad = create_job(glue, unique("ok"), ok), create_job(glue, unique("bad"), bad)
    run_ok = glue.start_job_run(JobName=j_ok)["JobRunId"]
    run_bad = glue.start_job_run(JobName=j_bad)["JobRunId"]

    def final(job, run_id):
        r = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        return r if r.get("CompletedOn") else None

    assert wait_until(lambda: final(j_ok, run_ok))["JobRunState"] == "SUCCEEDED"
    r = wait_until(lambda: final(j_bad, run_bad))
    assert r["JobRunState"] == "FAILED"
    assert "exit code 4" in r["ErrorMessage"] and "disk full" in r["ErrorMessage"]


def test_editing_the_script_changes_the_next_run(glue, unique, scripts, wait_until):
    location = scripts.fail("edit-me.py", message="version 1")
    j = create_job(glue, unique("j"))
    glue.update_job(JobName=j, JobUpdate={"Role": ROLE, "Command": {"Name": "pythonshell", "ScriptLocation": location}})

    def run_once():
        run_id = glue.start_job_run(JobName=j)["JobRunId"]
        return wait_until(lambda: (lambda r: r if r.get("CompletedOn") else None)(
            glue.get_job_run(JobName=j, RunId=run_id)["JobRun"]))

    assert "version 1" in run_once()["ErrorMessage"]
    scripts.write("edit-me.py", "print('fixed')\n")
    assert run_once()["JobRunState"] == "SUCCEEDED"


# --------------------------------------------------------------------------
# a server of our own: Glue minutes last 0.1 s, simulated work lasts 30 s, S3 is a folder,
# scripts run from anywhere under pytest's basetemp
# --------------------------------------------------------------------------


# This server has an --s3-dir, where crawls of S3 targets read the files: a JDBC target keeps a
# crawl simulated (and so as long as --job-duration).
SIMULATED_TARGETS = {"JdbcTargets": [{"ConnectionName": "c", "Path": "d/%"}]}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    s3 = tmp_path_factory.mktemp("s3")
    server = gluelocal.LocalServer(
        log_path=gluelocal.ARTIFACTS_DIR / "server-scripts-scaled.log",
        extra_args=[
            "--time-scale", "600", "--job-duration", "30s", "--s3-dir", str(s3),
            "--scripts-dir", str(tmp_path_factory.getbasetemp()),
        ],
    )
    try:
        endpoint = server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield gluelocal.make_glue_client(endpoint), s3
    finally:
        server.stop()


def test_script_timeout(scaled, unique, scripts, wait_until):
    glue, _ = scaled
    slow, _never_opened = scripts.gate("timeout")
    j = create_job(glue, unique("j"), slow, Timeout=10)  # ten Glue minutes: 1 s at --time-scale 600
    run_id = glue.start_job_run(JobName=j)["JobRunId"]
    pid = scripts.pid_of("timeout")
    r = wait_until(lambda: (lambda r: r if r.get("CompletedOn") else None)(
        glue.get_job_run(JobName=j, RunId=run_id)["JobRun"]), timeout=20)
    assert r["JobRunState"] == "TIMEOUT", r
    assert r["Timeout"] == 10 and "timed out" in r["ErrorMessage"]
    assert 0.5 <= (r["CompletedOn"] - r["StartedOn"]).total_seconds() < 10, "a Glue minute lasts 0.1 s at --time-scale 600"
    wait_until(lambda: not process_alive(pid), timeout=10, message="the timed-out script to be killed")

    # StartJobRun's Timeout overrides the job's; in a workflow the node counts as a timeout.
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow2, _ = scripts.gate("timeout-wf")
    j2 = create_job(glue, unique("j2"), slow2)  # default 2880 minutes
    after = create_job(glue, unique("after"))
    glue.create_trigger(
        Name=unique("t1"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": j2, "Timeout": 2}]
    )
    conditional(glue, unique("t2"), wf, [(j2, "TIMEOUT")], [after])
    update_after = {"Role": ROLE, "Command": {"Name": "pythonshell", "ScriptLocation": scripts.ok("after.py")}}
    glue.update_job(JobName=after, JobUpdate=update_after)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"], timeout=20)
    nodes = nodes_by_name(run)
    t = job_runs(nodes[j2])[0]
    assert t["JobRunState"] == "TIMEOUT" and t["Timeout"] == 2
    assert node_state(nodes[after]) == "SUCCEEDED"
    assert stats(run, "total", "timeout", "succeeded") == {"total": 2, "timeout": 1, "succeeded": 1}


def test_stop_workflow_run_cancels_a_running_crawl(scaled, unique):
    glue, _ = scaled
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    crawler = unique("crawler")
    glue.create_crawler(Name=crawler, Role=ROLE, Targets=SIMULATED_TARGETS)
    j = create_job(glue, unique("j"))  # simulated: 30 s on this server
    on_demand(glue, unique("t1"), wf, j, "crawler:" + crawler)
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    wait_node(glue, wf, run_id, crawler, "RUNNING")
    wait_node(glue, wf, run_id, j, "RUNNING")
    assert glue.get_crawler(Name=crawler)["Crawler"]["State"] == "RUNNING"
    glue.stop_workflow_run(Name=wf, RunId=run_id)
    run = wait_run(glue, wf, run_id, status="STOPPED", timeout=10)
    nodes = nodes_by_name(run)
    assert node_state(nodes[j]) == "STOPPED"
    assert node_state(nodes[crawler]) == "CANCELLED"
    assert stats(run, "total", "stopped") == {"total": 2, "stopped": 2}
    assert glue.get_crawler(Name=crawler)["Crawler"]["State"] == "READY"


def test_s3_script_location_under_s3_dir(scaled, unique, wait_until):
    glue, s3 = scaled
    (s3 / "scripts-bucket" / "jobs").mkdir(parents=True)
    (s3 / "scripts-bucket" / "jobs" / "fail.py").write_text("import sys\nsys.exit('from s3 dir')\n")
    j = create_job(glue, unique("j"), "s3://scripts-bucket/jobs/fail.py")
    run_id = glue.start_job_run(JobName=j)["JobRunId"]
    r = wait_until(lambda: (lambda r: r if r.get("CompletedOn") else None)(
        glue.get_job_run(JobName=j, RunId=run_id)["JobRun"]), timeout=20)
    assert r["JobRunState"] == "FAILED" and "from s3 dir" in r["ErrorMessage"]


def test_busy_crawler_fails_its_node_and_keeps_running(scaled, unique, scripts):
    """A crawler already crawling (30 s on this server) cannot start for a workflow node: the node
    fails at once, its FAILED trigger fires, and the crawl in progress is left alone."""
    glue, _ = scaled
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    crawler = unique("crawler")
    glue.create_crawler(Name=crawler, Role=ROLE, Targets=SIMULATED_TARGETS)
    on_fail = create_job(glue, unique("onfail"), scripts.ok("onfail.py"))
    on_demand(glue, unique("t1"), wf, "crawler:" + crawler)
    conditional(glue, unique("t2"), wf, [("crawler:" + crawler, "FAILED")], [on_fail])
    glue.start_crawler(Name=crawler)
    try:
        run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"], timeout=20)
        nodes = nodes_by_name(run)
        crawl = nodes[crawler]["CrawlerDetails"]["Crawls"]
        assert [c["State"] for c in crawl] == ["FAILED"] and "already" in crawl[0]["ErrorMessage"]
        assert node_state(nodes[on_fail]) == "SUCCEEDED"
        assert glue.get_crawler(Name=crawler)["Crawler"]["State"] == "RUNNING"
    finally:
        glue.stop_crawler(Name=crawler)
