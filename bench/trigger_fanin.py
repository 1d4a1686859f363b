#!/usr/bin/env python3
"""How long glue-local takes to evaluate conditional triggers: the fan-in scenario.

An ON_DEMAND trigger starts J1..JM; K conditional AND triggers each watch all of
J1..JM (SUCCEEDED) and start a job of their own. With --job-duration 0ms the
time from the start to the last job's end is almost all trigger evaluation.
Inside a workflow (default) the time is the run's CompletedOn - StartedOn;
with --standalone (triggers outside workflows) it is from StartTrigger to the
last of the K jobs' CompletedOn.

    conformance/.venv/bin/python bench/trigger_fanin.py --binary target/release/glue-local \
        --jobs 500 --triggers 500 --server-arg=--quota=actions-per-trigger=500 ...

Every --server-arg is passed to the server (the default quotas allow 50 actions
and 50 conditions a trigger and 100 nodes a workflow).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance" / "tests"))
import gluelocal  # noqa: E402


def wait_for(fn, timeout, what):
    return gluelocal.wait_until(fn, timeout, 0.01, what)


ROLE = "arn:aws:iam::123456789012:role/bench"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--jobs", type=int, default=500, help="M: jobs every trigger watches")
    p.add_argument("--triggers", type=int, default=500, help="K: conditional AND triggers")
    p.add_argument("--standalone", action="store_true", help="triggers outside any workflow")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--server-arg", action="append", default=[])
    a = p.parse_args()

    port = gluelocal.free_port()
    server = subprocess.Popen(
        [a.binary, "--port", str(port), "--job-duration", "0ms", *a.server_arg],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        glue = boto3.client(
            "glue",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            config=Config(retries={"max_attempts": 1}),
        )
        wait_for(lambda: _answers(glue), 10, "server start")
        workflow = {} if a.standalone else {"WorkflowName": "fanin"}
        if not a.standalone:
            glue.create_workflow(Name="fanin")
        command = {"Name": "glueetl", "ScriptLocation": "s3://bench/job.py"}
        watched = [f"J{i}" for i in range(a.jobs)]
        started = [f"X{i}" for i in range(a.triggers)]
        for job in watched + started:
            glue.create_job(Name=job, Role=ROLE, Command=command, ExecutionProperty={"MaxConcurrentRuns": 1000})
        glue.create_trigger(Name="start", Type="ON_DEMAND", Actions=[{"JobName": j} for j in watched], **workflow)
        conditions = [{"LogicalOperator": "EQUALS", "JobName": j, "State": "SUCCEEDED"} for j in watched]
        for i, job in enumerate(started):
            glue.create_trigger(
                Name=f"T{i}",
                Type="CONDITIONAL",
                StartOnCreation=True,
                Predicate={"Logical": "AND", "Conditions": conditions},
                Actions=[{"JobName": job}],
                **workflow,
            )

        t0 = time.monotonic()
        if a.standalone:
            glue.start_trigger(Name="start")
            ends = wait_for(lambda: _last_ends(glue, started), a.timeout, "the triggered jobs")
            first = min(_run(glue, j)["StartedOn"] for j in watched)
            elapsed = (max(ends) - first).total_seconds()
        else:
            run_id = glue.start_workflow_run(Name="fanin")["RunId"]
            run = wait_for(lambda: _completed(glue, run_id), a.timeout, "the workflow run")
            elapsed = (run["CompletedOn"] - run["StartedOn"]).total_seconds()
        wall = time.monotonic() - t0
        where = "outside workflows" if a.standalone else "in a workflow"
        print(f"{a.jobs} jobs x {a.triggers} AND triggers {where}: {elapsed:.3f} s (server), {wall:.3f} s (wall)")
    finally:
        server.terminate()
        server.wait(10)


def _answers(glue):
    try:
        glue.list_workflows()
        return True
    except Exception:
        return False


def _completed(glue, run_id):
    run = glue.get_workflow_run(Name="fanin", RunId=run_id)["Run"]
    return run if run["Status"] == "COMPLETED" else None


def _run(glue, job):
    runs = glue.get_job_runs(JobName=job)["JobRuns"]
    return runs[0] if runs else None


def _last_ends(glue, jobs):
    ends = []
    for job in jobs:
        run = _run(glue, job)
        if run is None or "CompletedOn" not in run:
            return None
        ends.append(run["CompletedOn"])
    return ends


if __name__ == "__main__":
    main()
