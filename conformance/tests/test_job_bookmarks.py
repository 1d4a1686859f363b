"""Job bookmarks: GetJobBookmark and ResetJobBookmark (boto3 and the aws CLI), and
unmodified Glue-style scripts whose ``Job.init``/``Job.commit`` (glue-local's ``awsglue.job``)
read and store the bookmark through ``/_glue_local/bookmarks/<job run id>`` with their run's
own credentials — under ``job-bookmark-enable``, ``-pause`` (with ``--job-bookmark-from`` /
``-to``) and ``-disable``, across a restart with ``--state-dir``.
"""

import json

import pytest

import gluelocal
from test_job_credentials import Captured
from workflows_util import Scripts, create_job, job_runs, nodes_by_name, scripts, wait_run  # noqa: F401 (scripts)

ENABLE = {"--job-bookmark-option": "job-bookmark-enable"}

# What a data engineer writes: process the files of --input that no earlier run processed.
INCREMENTAL = """
import json, os, sys
from awsglue.job import Job
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "input", "out"])
job = Job()
job.init(args["JOB_NAME"], args)
done = job.bookmark.get("orders", {"files": []})["files"]
if job.bookmark_to is not None:  # job-bookmark-pause with --job-bookmark-from/-to
    new = [f for f in job.bookmark_to["orders"]["files"] if f not in done]
else:
    new = [f for f in sorted(os.listdir(args["input"])) if f not in done]
job.bookmark["orders"] = {"files": done + new}
job.commit()
with open(os.path.join(args["out"], args["JOB_RUN_ID"] + ".json"), "w") as out:
    json.dump({"option": args["job_bookmark_option"], "done": done, "new": new}, out)
"""

# The same in a workflow, handing what it processed to the next job in the run properties.
IN_WORKFLOW = """
import os, sys
import boto3
from awsglue.job import Job
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "WORKFLOW_NAME", "WORKFLOW_RUN_ID", "input"])
job = Job()
job.init(args["JOB_NAME"], args)
done = job.bookmark.get("orders", {"files": []})["files"]
new = [f for f in sorted(os.listdir(args["input"])) if f not in done]
job.bookmark["orders"] = {"files": done + new}
boto3.client("glue").put_workflow_run_properties(
    Name=args["WORKFLOW_NAME"], RunId=args["WORKFLOW_RUN_ID"], RunProperties={"new": ",".join(new)}
)
job.commit()
"""


class Incremental:
    """A job running INCREMENTAL over ``<tmp>/in``; ``run()`` returns (run id, what it reported)."""

    def __init__(self, glue, unique, scripts, tmp_path, **job):
        self.glue, self.inbox, self.out = glue, tmp_path / "in", tmp_path / "out"
        self.inbox.mkdir()
        self.out.mkdir()
        arguments = {"--input": str(self.inbox), "--out": str(self.out), **job.pop("DefaultArguments", ENABLE)}
        self.name = create_job(glue, unique("incr"), scripts.write("incremental.py", INCREMENTAL),
                               DefaultArguments=arguments, **job)

    def add(self, *files):
        for f in files:
            (self.inbox / f).write_text(f)

    def run(self, **arguments):
        run_id = self.glue.start_job_run(JobName=self.name, Arguments=arguments)["JobRunId"]
        run = gluelocal.wait_until(
            lambda: (r := self.glue.get_job_run(JobName=self.name, RunId=run_id)["JobRun"]).get("CompletedOn") and r,
            timeout=30, message=f"job run {run_id} finished",
        )
        assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
        return run_id, json.loads((self.out / f"{run_id}.json").read_text())

    def bookmark(self, **kw):
        return self.glue.get_job_bookmark(JobName=self.name, **kw)["JobBookmarkEntry"]


def _not_found(call):
    with pytest.raises(Exception) as raised:
        call()
    error = raised.value.response["Error"]
    assert error["Code"] == "EntityNotFoundException", error
    return error["Message"]


def test_a_workflow_of_bookmarked_scripts_processes_only_new_data(glue, unique, scripts, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "day=1.csv").write_text("a")
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    job = create_job(glue, unique("orders"), scripts.write("orders.py", IN_WORKFLOW),
                     DefaultArguments={"--input": str(inbox), **ENABLE})
    glue.create_trigger(Name=unique("t"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    assert _not_found(lambda: glue.get_job_bookmark(JobName=job)) == f"Continuation for job {job} not found"

    def run_workflow():
        run_id = glue.start_workflow_run(Name=wf)["RunId"]
        [job_run] = job_runs(nodes_by_name(wait_run(glue, wf, run_id))[job])
        assert job_run["JobRunState"] == "SUCCEEDED", job_run.get("ErrorMessage")
        return job_run["Id"], glue.get_workflow_run_properties(Name=wf, RunId=run_id)["RunProperties"]["new"]

    first, new = run_workflow()
    assert new == "day=1.csv"
    entry = glue.get_job_bookmark(JobName=job)["JobBookmarkEntry"]
    assert entry == {"JobName": job, "Version": 1, "Run": 1, "Attempt": 0, "RunId": first,
                     "JobBookmark": json.dumps({"orders": {"files": ["day=1.csv"]}}, separators=(",", ":"))}
    (inbox / "day=2.csv").write_text("b")
    second, new = run_workflow()
    assert new == "day=2.csv", "the second run starts where the first left off"
    entry = glue.get_job_bookmark(JobName=job)["JobBookmarkEntry"]
    assert (entry["Version"], entry["Run"], entry["RunId"], entry["PreviousRunId"]) == (2, 2, second, first)
    assert json.loads(entry["JobBookmark"]) == {"orders": {"files": ["day=1.csv", "day=2.csv"]}}
    third, new = run_workflow()
    assert new == ""


def test_pause_reads_without_advancing_and_disable_ignores_the_bookmark(glue, unique, scripts, tmp_path):
    job = Incremental(glue, unique, scripts, tmp_path)
    job.add("a", "b")
    first, seen = job.run()
    assert seen == {"option": "job-bookmark-enable", "done": [], "new": ["a", "b"]}
    job.add("c")
    paused, seen = job.run(**{"--job-bookmark-option": "job-bookmark-pause"})
    assert seen == {"option": "job-bookmark-pause", "done": ["a", "b"], "new": ["c"]}
    assert job.bookmark()["RunId"] == first, "a paused run does not advance the bookmark"
    _, seen = job.run(**{"--job-bookmark-option": "job-bookmark-disable"})
    assert seen == {"option": "job-bookmark-disable", "done": [], "new": ["a", "b", "c"]}
    assert job.bookmark()["RunId"] == first
    second, seen = job.run()
    assert seen["new"] == ["c"]
    job.add("d")
    third, seen = job.run()
    assert seen["new"] == ["d"]
    # Reprocess what the second and third runs took, without moving the bookmark.
    _, seen = job.run(**{"--job-bookmark-option": "job-bookmark-pause",
                         "--job-bookmark-from": first, "--job-bookmark-to": third})
    assert seen == {"option": "job-bookmark-pause", "done": ["a", "b"], "new": ["c", "d"]}
    assert job.bookmark()["RunId"] == third
    assert job.bookmark(RunId=first)["JobBookmark"] == json.dumps({"orders": {"files": ["a", "b"]}},
                                                                 separators=(",", ":"))
    message = _not_found(lambda: job.bookmark(RunId=paused))
    assert message.startswith(f"Continuation for job {job.name} not found for run {paused}"), message


def test_reset_and_rewind_with_the_aws_cli(glue, aws_cli, unique, scripts, tmp_path):
    job = Incremental(glue, unique, scripts, tmp_path)
    job.add("a")
    first, _ = job.run()
    job.add("b")
    second, _ = job.run()
    rewound = aws_cli("glue", "reset-job-bookmark", "--job-name", job.name, "--run-id", first).json
    assert rewound["JobBookmarkEntry"]["RunId"] == first
    got = aws_cli("glue", "get-job-bookmark", "--job-name", job.name).json["JobBookmarkEntry"]
    assert (got["RunId"], got["Run"], json.loads(got["JobBookmark"])) == (first, 1, {"orders": {"files": ["a"]}})
    _, seen = job.run()
    assert seen["new"] == ["b"], "after the rewind the next run continues from the first run"
    reset = aws_cli("glue", "reset-job-bookmark", "--job-name", job.name).json["JobBookmarkEntry"]
    assert reset["Run"] == 2
    gone = aws_cli("glue", "get-job-bookmark", "--job-name", job.name, expect_ok=False)
    assert gone.returncode != 0 and "EntityNotFoundException" in gone.stderr
    assert f"Continuation for job {job.name} not found" in gone.stderr
    _, seen = job.run()
    assert seen == {"option": "job-bookmark-enable", "done": [], "new": ["a", "b"]}
    again = aws_cli("glue", "reset-job-bookmark", "--job-name", job.name, "--run-id", second, expect_ok=False)
    assert again.returncode != 0 and "EntityNotFoundException" in again.stderr


def test_missing_jobs_and_deleted_jobs_have_no_bookmark(glue, unique, scripts, tmp_path):
    missing = unique("missing")
    assert _not_found(lambda: glue.get_job_bookmark(JobName=missing)) == f"Job {missing} not found"
    assert _not_found(lambda: glue.reset_job_bookmark(JobName=missing)) == f"Job {missing} not found"
    job = Incremental(glue, unique, scripts, tmp_path)
    job.add("a")
    job.run()
    glue.delete_job(JobName=job.name)
    create_job(glue, job.name, DefaultArguments=ENABLE)
    assert _not_found(job.bookmark) == f"Continuation for job {job.name} not found"


def test_bookmarks_survive_a_restart_with_a_state_dir(unique, tmp_path):
    scripts_dir = tmp_path / "scripts"
    scripts_dir.mkdir()
    args = ["--state-dir", str(tmp_path / "state"), "--scripts-dir", str(scripts_dir)]

    def start(tag):
        server = gluelocal.LocalServer(log_path=gluelocal.ARTIFACTS_DIR / f"server-bookmarks-{tag}.log",
                                       extra_args=args)
        return server, gluelocal.make_glue_client(server.start())

    server, glue = start("before")
    try:
        job = Incremental(glue, unique, Scripts(scripts_dir), tmp_path)
        job.add("a")
        first, _ = job.run()
        before = job.bookmark()
    finally:
        server.stop()
    server, glue = start("after")
    try:
        job.glue = glue
        assert job.bookmark() == before
        job.add("b")
        second, seen = job.run()
        assert seen == {"option": "job-bookmark-enable", "done": ["a"], "new": ["b"]}
        assert job.bookmark()["PreviousRunId"] == first
    finally:
        server.stop()


COMMIT = {"jobBookmark": {"orders": {"files": ["forged"]}}}


def test_only_a_runs_own_credentials_read_or_commit_its_bookmark(glue, endpoint, unique, scripts):
    captured = Captured(glue, scripts, unique("own"), DefaultArguments=ENABLE)
    (one, env, out), (two, env2, out2) = captured.start("one"), captured.start("two")
    raw = gluelocal.RawClient(endpoint)

    def call(method, run_id, env=None, **kw):
        body = json.dumps(COMMIT) if method == "POST" else b""
        keys = {} if env is None else {"access_key": env["AWS_ACCESS_KEY_ID"], "secret_key": env["AWS_SECRET_ACCESS_KEY"],
                                       "session_token": env["AWS_SESSION_TOKEN"]}
        return raw(method, f"/_glue_local/bookmarks/{run_id}", {"Content-Type": "application/json"}, body, **keys, **kw)

    try:
        for method in ("GET", "POST"):
            for refused in (call(method, two, env), call(method, one), call(method, one, sign=False)):
                assert refused.status in (400, 403) and refused.error_code in (
                    "AccessDeniedException", "MissingAuthenticationTokenException"), refused.describe()
            assert call(method, two, env).error_code == "AccessDeniedException"
            assert call(method, one).status == 403, "the account's own keys are not the run's"
        assert _not_found(lambda: glue.get_job_bookmark(JobName=captured.job))
        seen = call("GET", one, env)
        assert seen.status == 200 and seen.json == {"jobName": captured.job, "option": "job-bookmark-enable",
                                                    "from": None, "to": None}
        stored = call("POST", one, env)
        assert stored.status == 200 and stored.json["stored"] is True, stored.describe()
        assert json.loads(glue.get_job_bookmark(JobName=captured.job)["JobBookmarkEntry"]["JobBookmark"]) == \
            COMMIT["jobBookmark"]
        bad = raw("POST", f"/_glue_local/bookmarks/{one}", {"Content-Type": "application/json"}, b"[1]",
                  access_key=env["AWS_ACCESS_KEY_ID"], secret_key=env["AWS_SECRET_ACCESS_KEY"],
                  session_token=env["AWS_SESSION_TOKEN"])
        assert bad.status == 400 and bad.error_code == "SerializationException", bad.describe()
    finally:
        raw.close()
        for run_id, o in ((one, out), (two, out2)):
            assert captured.finish(run_id, o)["JobRunState"] == "SUCCEEDED"
    late = call("POST", one, env)
    assert late.status == 400 and late.error_code == "InvalidInputException", late.describe()
    assert "only a running job run" in late.json["Message"]
