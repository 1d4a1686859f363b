"""What a user writes with the wheel installed: only the ``glue_local`` fixture."""

import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def wait_until(what, probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def run_workflow(glue, script_location):
    glue.create_job(
        Name="J1",
        Role="arn:aws:iam::123456789012:role/etl",
        Command={"Name": "pythonshell", "ScriptLocation": script_location},
    )
    glue.create_workflow(Name="W1")
    glue.create_trigger(
        Name="W1-start", WorkflowName="W1", Type="ON_DEMAND", Actions=[{"JobName": "J1"}]
    )
    run_id = glue.start_workflow_run(Name="W1")["RunId"]

    def completed():
        run = glue.get_workflow_run(Name="W1", RunId=run_id, IncludeGraph=True)["Run"]
        return run if run["Status"] == "COMPLETED" else None

    run = wait_until("W1's run to complete", completed)
    (node,) = [n for n in run["Graph"]["Nodes"] if n["Type"] == "JOB"]
    return node["JobDetails"]["JobRuns"][-1]["JobRunState"]


def test_fixture_gives_a_ready_client(glue_local):
    assert glue_local.endpoint_url.startswith("http://127.0.0.1:")
    glue = glue_local.client()
    assert run_workflow(glue, "s3://bucket/simulated.py") == "SUCCEEDED"
    assert glue.get_workflow(Name="W1")["Workflow"]["Name"] == "W1"


def test_state_is_reset_between_tests(glue_local):
    # the first test left W1 and J1 behind
    assert glue_local.client().list_workflows()["Workflows"] == []
    assert glue_local.client().get_jobs()["Jobs"] == []


def test_scripts_dir_option_runs_real_scripts(glue_local):
    # ini glue_local_scripts_dir = scripts: this script really runs (and exits 3)
    script = "file://" + os.path.join(HERE, "scripts", "fails.py")
    assert run_workflow(glue_local.client(), script) == "FAILED"
