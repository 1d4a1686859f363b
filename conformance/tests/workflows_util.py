"""Helpers for the run-engine and resume tests (test_runs, test_resume, test_scripts,
test_concurrency): building workflows, local job scripts, injected outcomes, and
polling runs to an end.

Job scripts
  Job runs of a job whose ScriptLocation is ``file:///abs/path`` really run that
  script.  glue-local runs a script with the interpreter its ``#!`` line names,
  else ``python3`` (.py) or ``sh`` (.sh).  Scripts that need boto3 start with
  ``#!<this venv's python>`` (``sys.executable``), so they do not depend on
  which ``python3`` is first on the server's PATH.

Slow jobs
  ``Scripts.gate(name)`` is a job script that runs until the test calls
  ``gate.open()`` (a marker file appears), so a test can act while a job is
  RUNNING without sleeping.  A gate that is never opened ends the script with
  exit code 3 after ``GATE_LIMIT`` seconds, so nothing hangs forever.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

import gluelocal

ROLE = "arn:aws:iam::123456789012:role/GlueLocalTests"
GATE_LIMIT = 120
RUN_TIMEOUT = 30
TERMINAL_JOB_STATES = {"STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "EXPIRED"}


# --------------------------------------------------------------------------
# control endpoint
# --------------------------------------------------------------------------


def inject(endpoint, *, job=None, crawler=None, state="FAILED", message=None, count=1):
    """POST /_glue_local/outcomes: the next ``count`` runs of ``job`` (or crawls of ``crawler``) end in ``state``."""
    body = {"state": state, "count": count}
    if job is not None:
        body["jobName"] = job
    if crawler is not None:
        body["crawlerName"] = crawler
    if message is not None:
        body["errorMessage"] = message
    req = urllib.request.Request(
        endpoint.rstrip("/") + "/_glue_local/outcomes",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200, r.read()
        return json.loads(r.read())


# --------------------------------------------------------------------------
# scripts
# --------------------------------------------------------------------------


class Gate:
    """A marker file a gate script waits for."""

    def __init__(self, marker: Path):
        self.marker = marker

    def open(self):
        self.marker.write_text("open")


class Scripts:
    """Job scripts written under one temporary folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, body: str, shebang: bool = True) -> str:
        path = self.folder / name
        text = textwrap.dedent(body).lstrip("\n")
        if shebang:
            text = f"#!{sys.executable}\n" + text
        path.write_text(text)
        return "file://" + str(path)

    def ok(self, name="ok.py") -> str:
        return self.write(name, "import sys\nprint('ok', sys.argv[1:])\n")

    def fail(self, name="fail.py", message="boom") -> str:
        """Exits 1 after writing ``message`` to stderr (no #! line: runs with python3)."""
        return self.write(
            name,
            f"""
            import sys
            print("starting", flush=True)
            sys.stderr.write("Traceback (most recent call last):\\n  ...\\nValueError: {message}\\n")
            sys.exit(1)
            """,
            shebang=False,
        )

    def gate(self, name: str, pid_file: bool = True) -> tuple[str, Gate]:
        """A script that runs until its gate opens; it records its pid in ``<name>.pid``."""
        marker = self.folder / f"{name}.open"
        pid = self.folder / f"{name}.pid"
        location = self.write(
            f"{name}.py",
            f"""
            import os, sys, time
            {"open(%r, 'w').write(str(os.getpid()))" % str(pid) if pid_file else ""}
            deadline = time.monotonic() + {GATE_LIMIT}
            while not os.path.exists({str(marker)!r}):
                if time.monotonic() > deadline:
                    sys.stderr.write("gate never opened\\n")
                    sys.exit(3)
                time.sleep(0.02)
            print("gate opened")
            """,
        )
        return location, Gate(marker)

    def pid_of(self, name: str, timeout=10) -> int:
        path = self.folder / f"{name}.pid"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().strip():
                return int(path.read_text())
            time.sleep(0.02)
        raise AssertionError(f"script {name} did not start within {timeout}s")


def process_alive(pid: int) -> bool:
    """Whether ``pid`` is a live (non-zombie) process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


# --------------------------------------------------------------------------
# resources
# --------------------------------------------------------------------------


def create_job(glue, name, script=None, max_concurrent=None, **extra):
    """A job; without ``script`` its runs are simulated (they succeed after --job-duration)."""
    command = {"Name": "pythonshell", "PythonVersion": "3.9"}
    if script is not None:
        command["ScriptLocation"] = script
    args = {"Name": name, "Role": ROLE, "Command": command, **extra}
    if max_concurrent is not None:
        args["ExecutionProperty"] = {"MaxConcurrentRuns": max_concurrent}
    glue.create_job(**args)
    return name


def update_job(glue, name, script=None, max_concurrent=None, **extra):
    command = {"Name": "pythonshell", "PythonVersion": "3.9"}
    if script is not None:
        command["ScriptLocation"] = script
    update = {"Role": ROLE, "Command": command, **extra}
    if max_concurrent is not None:
        update["ExecutionProperty"] = {"MaxConcurrentRuns": max_concurrent}
    glue.update_job(JobName=name, JobUpdate=update)


def actions(*targets, **extra):
    """Trigger actions: names are jobs, ``crawler:NAME`` crawlers."""
    out = []
    for t in targets:
        if t.startswith("crawler:"):
            out.append({"CrawlerName": t[len("crawler:") :]})
        else:
            out.append({"JobName": t, **extra})
    return out


def predicate(*conditions, logical=None):
    """Conditions are ``(job, state)`` or ``("crawler:NAME", crawl_state)``."""
    conds = []
    for name, state in conditions:
        if name.startswith("crawler:"):
            conds.append({"LogicalOperator": "EQUALS", "CrawlerName": name[len("crawler:") :], "CrawlState": state})
        else:
            conds.append({"LogicalOperator": "EQUALS", "JobName": name, "State": state})
    p = {"Conditions": conds}
    if logical:
        p["Logical"] = logical
    return p


def on_demand(glue, name, workflow, *targets):
    kw = {"WorkflowName": workflow} if workflow else {}
    glue.create_trigger(Name=name, Type="ON_DEMAND", Actions=actions(*targets), **kw)
    return name


def conditional(glue, name, workflow, watch, targets, logical=None, start=True):
    """A CONDITIONAL trigger; ``watch`` is a list of (name, state)."""
    kw = {"WorkflowName": workflow} if workflow else {}
    glue.create_trigger(
        Name=name,
        Type="CONDITIONAL",
        Predicate=predicate(*watch, logical=logical),
        Actions=actions(*targets),
        StartOnCreation=start,
        **kw,
    )
    return name


class W1:
    """The AWS guide's workflow W1: T1 (ON_DEMAND) → J1; J1 SUCCEEDED → T2 → J2 and → T3 → J3;
    J2 SUCCEEDED → T4 → J4; J3 SUCCEEDED → T5 → J5.  ``scripts`` maps J-names to ScriptLocations."""

    def __init__(self, glue, unique, scripts=None, max_concurrent_runs=None, job_extra=None):
        scripts = scripts or {}
        self.glue = glue
        self.name = unique("w1")
        kw = {"MaxConcurrentRuns": max_concurrent_runs} if max_concurrent_runs else {}
        glue.create_workflow(Name=self.name, **kw)
        self.jobs = {}
        for j in ("J1", "J2", "J3", "J4", "J5"):
            self.jobs[j] = create_job(glue, f"{self.name}-{j}", scripts.get(j), **(job_extra or {}))
        self.triggers = {t: f"{self.name}-{t}" for t in ("T1", "T2", "T3", "T4", "T5")}
        J, T = self.jobs, self.triggers
        on_demand(glue, T["T1"], self.name, J["J1"])
        conditional(glue, T["T2"], self.name, [(J["J1"], "SUCCEEDED")], [J["J2"]])
        conditional(glue, T["T3"], self.name, [(J["J1"], "SUCCEEDED")], [J["J3"]])
        conditional(glue, T["T4"], self.name, [(J["J2"], "SUCCEEDED")], [J["J4"]])
        conditional(glue, T["T5"], self.name, [(J["J3"], "SUCCEEDED")], [J["J5"]])

    def job(self, short):
        return self.jobs[short]

    def start(self, **kw):
        return self.glue.start_workflow_run(Name=self.name, **kw)["RunId"]

    def run(self, run_id, **kw):
        return wait_run(self.glue, self.name, run_id, **kw)

    def node(self, run, short):
        """The graph node of job ``J1``… or trigger ``T1``… in a run read with its graph."""
        full = self.jobs.get(short) or self.triggers[short]
        return nodes_by_name(run)[full]


# --------------------------------------------------------------------------
# reading runs
# --------------------------------------------------------------------------


def get_run(glue, workflow, run_id, graph=True):
    return glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=graph)["Run"]


def wait_run(glue, workflow, run_id, status=("COMPLETED",), timeout=RUN_TIMEOUT, graph=True):
    """Polls GetWorkflowRun until the run's Status is one of ``status``; returns the run."""
    if isinstance(status, str):
        status = (status,)
    deadline = time.monotonic() + timeout
    while True:
        run = get_run(glue, workflow, run_id, graph)
        if run["Status"] in status:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(
                f"run {run_id} of {workflow} did not reach {status} within {timeout}s; "
                f"status {run['Status']}, statistics {run.get('Statistics')}, nodes {summary(run)}"
            )
        time.sleep(0.02)


def wait_node(glue, workflow, run_id, node_name, states, timeout=RUN_TIMEOUT):
    """Polls until the node's latest job run (or crawl) is in one of ``states``; returns the run."""
    if isinstance(states, str):
        states = (states,)
    deadline = time.monotonic() + timeout
    while True:
        run = get_run(glue, workflow, run_id)
        if node_state(nodes_by_name(run)[node_name]) in states:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(
                f"node {node_name} of run {run_id} did not reach {states} within {timeout}s; nodes {summary(run)}"
            )
        time.sleep(0.02)


def nodes_by_name(run):
    return {n["Name"]: n for n in run["Graph"]["Nodes"]}


def job_runs(node):
    """The node's job runs, newest first (as AWS lists them); [] when it never ran."""
    return node.get("JobDetails", {}).get("JobRuns", [])


def crawls(node):
    return node.get("CrawlerDetails", {}).get("Crawls", [])


def node_state(node):
    """The state of the node's latest job run or crawl; None when it has no run details."""
    if job_runs(node):
        return job_runs(node)[0]["JobRunState"]
    if crawls(node):
        return crawls(node)[0]["State"]
    return None


def summary(run):
    """{name: state} of the job and crawler nodes, for failure messages."""
    if "Graph" not in run:
        return "(no graph)"
    return {n["Name"]: node_state(n) for n in run["Graph"]["Nodes"] if n["Type"] != "TRIGGER"}


def stats(run, *keys):
    """The run's Statistics; with keys, only those (short names: total, succeeded, failed, …)."""
    s = run["Statistics"]
    if not keys:
        return s
    long = {
        "total": "TotalActions",
        "succeeded": "SucceededActions",
        "failed": "FailedActions",
        "stopped": "StoppedActions",
        "timeout": "TimeoutActions",
        "running": "RunningActions",
        "errored": "ErroredActions",
        "waiting": "WaitingActions",
    }
    return {k: s.get(long[k], 0) for k in keys}


def all_runs(glue, workflow, page_size=None):
    """Every run of the workflow via GetWorkflowRuns, following NextToken."""
    out, token = [], None
    while True:
        kw = {"Name": workflow}
        if page_size:
            kw["MaxResults"] = page_size
        if token:
            kw["NextToken"] = token
        page = glue.get_workflow_runs(**kw)
        out.extend(page.get("Runs", []))
        token = page.get("NextToken")
        if not token:
            return out


def all_workflows(glue):
    """Every workflow name, read through boto3's ListWorkflows paginator in pages of 25."""
    pages = glue.get_paginator("list_workflows").paginate(PaginationConfig={"PageSize": 25})
    return [name for page in pages for name in page.get("Workflows", [])]


def error_code(exc_info):
    return exc_info.value.response["Error"]["Code"]


# --------------------------------------------------------------------------
# a server of a test module's own
# --------------------------------------------------------------------------


@pytest.fixture
def scripts(tmp_path):
    """Local job scripts of one test, written under its tmp_path."""
    return Scripts(tmp_path / "scripts")
