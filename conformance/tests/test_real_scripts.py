"""Real Glue Python shell scripts run unchanged: ``from awsglue.utils import
getResolvedOptions`` finds glue-local's own package (runtime/python, unit-tested in
test_awsglue_runtime.py), first on the script's PYTHONPATH.

The scripts are written as on AWS; the ``#!<this venv's python>`` line the ``scripts``
fixture adds is a comment to Python and only picks the interpreter that has boto3.
"""

import json

import pytest

import gluelocal
from workflows_util import (  # noqa: F401 (scripts is a fixture)
    conditional,
    create_job,
    job_runs,
    nodes_by_name,
    on_demand,
    scripts,
    wait_run,
)

PRODUCER = """
import sys

import boto3
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "WORKFLOW_NAME", "WORKFLOW_RUN_ID", "input"])
glue = boto3.client("glue")
props = glue.get_workflow_run_properties(Name=args["WORKFLOW_NAME"], RunId=args["WORKFLOW_RUN_ID"])["RunProperties"]
glue.put_workflow_run_properties(
    Name=args["WORKFLOW_NAME"],
    RunId=args["WORKFLOW_RUN_ID"],
    RunProperties={
        "output": props["base"] + args["input"],
        "producer": args["JOB_NAME"],
        "producer_run": args["JOB_RUN_ID"],
        "bookmark": args["job_bookmark_option"],
    },
)
print("wrote", args["input"])
"""

CONSUMER = """
import sys

import boto3
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "WORKFLOW_NAME", "WORKFLOW_RUN_ID"])
glue = boto3.client("glue")
props = glue.get_workflow_run_properties(Name=args["WORKFLOW_NAME"], RunId=args["WORKFLOW_RUN_ID"])["RunProperties"]
if props.get("output") != "s3://bucket/in/day=1/":
    raise ValueError(f"unexpected properties {props}")
glue.put_workflow_run_properties(
    Name=args["WORKFLOW_NAME"], RunId=args["WORKFLOW_RUN_ID"], RunProperties={"consumer": args["JOB_NAME"]}
)
"""


def _finished(glue, job, run_id, wait_until):
    def done():
        run = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        return run if run.get("CompletedOn") else None

    return wait_until(done, timeout=30, message=f"job run {run_id} of {job} finished")


def test_workflow_of_glue_style_scripts(glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf, DefaultRunProperties={"base": "s3://bucket/in/"})
    p = create_job(glue, unique("producer"), scripts.write("producer.py", PRODUCER), DefaultArguments={"--input": "x"})
    c = create_job(glue, unique("consumer"), scripts.write("consumer.py", CONSUMER))
    glue.create_trigger(
        Name=unique("t1"), WorkflowName=wf, Type="ON_DEMAND",
        Actions=[{"JobName": p, "Arguments": {"--input": "day=1/", "--job-bookmark-option": "job-bookmark-pause"}}],
    )
    conditional(glue, unique("t2"), wf, [(p, "SUCCEEDED")], [c])
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    run = wait_run(glue, wf, run_id)
    nodes = nodes_by_name(run)
    pr, cr = job_runs(nodes[p])[0], job_runs(nodes[c])[0]
    assert pr["JobRunState"] == "SUCCEEDED", pr.get("ErrorMessage")
    assert cr["JobRunState"] == "SUCCEEDED", cr.get("ErrorMessage")
    assert glue.get_workflow_run_properties(Name=wf, RunId=run_id)["RunProperties"] == {
        "base": "s3://bucket/in/",
        "output": "s3://bucket/in/day=1/",
        "producer": p,
        "producer_run": pr["Id"],
        "bookmark": "job-bookmark-pause",
        "consumer": c,
    }


def test_missing_option_fails_the_run_with_the_argparse_message(glue, unique, scripts, wait_until):
    """Outside a workflow there are no --WORKFLOW_NAME / --WORKFLOW_RUN_ID: a script that
    asks for them ends FAILED with AWS's GlueArgumentError line."""
    j = create_job(glue, unique("needs-workflow"), scripts.write("needs_workflow.py", CONSUMER))
    run_id = glue.start_job_run(JobName=j)["JobRunId"]
    run = _finished(glue, j, run_id, wait_until)
    assert run["JobRunState"] == "FAILED"
    # The message ends with the traceback's last kilobyte.
    assert run["ErrorMessage"].startswith("Script ended with exit code 1: "), run["ErrorMessage"]
    assert run["ErrorMessage"].endswith(
        "awsglue.utils.GlueArgumentError: the following arguments are required: --WORKFLOW_NAME, --WORKFLOW_RUN_ID"
    ), run["ErrorMessage"]


def test_spark_only_modules_fail_with_a_clear_message(glue, unique, scripts, wait_until):
    spark = scripts.write(
        "spark.py",
        """
        import sys
        from awsglue.utils import getResolvedOptions
        from awsglue.context import GlueContext
        """,
        shebang=False,
    )
    j = create_job(glue, unique("spark"), spark)
    run = _finished(glue, j, glue.start_job_run(JobName=j)["JobRunId"], wait_until)
    assert run["JobRunState"] == "FAILED"
    assert "ImportError: awsglue.context is part of AWS Glue's Spark library" in run["ErrorMessage"], run["ErrorMessage"]


def test_python_path_has_ours_first_then_the_inherited_one(tmp_path, unique, wait_until):
    """A PYTHONPATH the server was started with stays on the script's path, after glue-local's package."""
    scripts_dir = tmp_path / "scripts"
    own_lib = tmp_path / "lib"
    (own_lib / "awsglue").mkdir(parents=True)
    (own_lib / "awsglue" / "__init__.py").write_text("raise ImportError('the inherited awsglue came first')\n")
    (own_lib / "helpers.py").write_text("ANSWER = 42\n")
    seen = tmp_path / "seen.json"
    scripts_dir.mkdir()
    script = scripts_dir / "uses_both.py"
    script.write_text(
        "import json, os, sys\n"
        "from awsglue.utils import getResolvedOptions\n"
        "import helpers\n"
        f"json.dump({{'answer': helpers.ANSWER, 'path': os.environ['PYTHONPATH']}}, open({str(seen)!r}, 'w'))\n"
    )
    server = gluelocal.LocalServer(
        log_path=gluelocal.ARTIFACTS_DIR / "server-python-path.log",
        extra_args=["--scripts-dir", str(scripts_dir), "--log-dir", str(tmp_path / "logs")],
        env={"PYTHONPATH": str(own_lib)},
    )
    try:
        glue = gluelocal.make_glue_client(server.start())
        j = create_job(glue, unique("path"), "file://" + str(script))
        run = _finished(glue, j, glue.start_job_run(JobName=j)["JobRunId"], wait_until)
    finally:
        server.stop()
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    [ours] = (tmp_path / "logs" / "glue-local-runtime").glob("*/python")
    assert json.loads(seen.read_text()) == {"answer": 42, "path": f"{ours}:{own_lib}"}
    assert (ours / "awsglue" / "utils.py").read_text() == (
        gluelocal.REPO_ROOT / "runtime" / "python" / "awsglue" / "utils.py"
    ).read_text()


@pytest.mark.parametrize("mode", [0o777, 0o775])
def test_log_dir_others_may_write_is_refused(tmp_path, unique, wait_until, mode):
    """glue-local's package is not written where another user could change it."""
    logs = tmp_path / "logs"
    logs.mkdir()
    logs.chmod(mode)
    script = tmp_path / "scripts" / "plain.py"
    script.parent.mkdir()
    script.write_text("print('never runs')\n")
    server = gluelocal.LocalServer(
        log_path=gluelocal.ARTIFACTS_DIR / "server-shared-log-dir.log",
        extra_args=["--scripts-dir", str(script.parent), "--log-dir", str(logs)],
    )
    try:
        glue = gluelocal.make_glue_client(server.start())
        j = create_job(glue, unique("shared"), "file://" + str(script))
        run = _finished(glue, j, glue.start_job_run(JobName=j)["JobRunId"], wait_until)
    finally:
        server.stop()
    assert run["JobRunState"] == "FAILED"
    assert run["ErrorMessage"].startswith("Cannot write glue-local's awsglue package under"), run["ErrorMessage"]
    assert f"others may write to it (mode {mode:o}); choose a private --log-dir" in run["ErrorMessage"]
    assert not list(logs.glob("glue-local-runtime/*/python/awsglue/utils.py"))
