"""Scripts run only on the operator's opt-in (``--scripts-dir``): without it a local
ScriptLocation is simulated and nothing executes; with it, only a script whose canonical
path lies under a scripts dir runs, and ``s3://`` keys never leave ``--s3-dir``.  A refused
script ends its job run FAILED with the reason; StartJobRun / StartWorkflowRun still succeed.

Every script here would leave a marker file if it ran."""

import os

import pytest

import gluelocal
from workflows_util import create_job, job_runs, nodes_by_name, on_demand, wait_run


def _marker_script(path, marker):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"echo ran > '{marker}'\n")
    return path


def _server(name, *args):
    server = gluelocal.LocalServer(log_path=gluelocal.ARTIFACTS_DIR / f"server-{name}.log", extra_args=list(args))
    try:
        endpoint = server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    return server, gluelocal.make_glue_client(endpoint)


def _finished(glue, job, run_id, wait_until):
    return wait_until(
        lambda: (lambda r: r if r.get("CompletedOn") else None)(glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]),
        timeout=20,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """``allowed/`` (the scripts dir), ``allowed/s3/`` (the s3 dir) and ``outside/``."""
    root = tmp_path_factory.mktemp("script-safety")
    (root / "allowed" / "s3" / "b").mkdir(parents=True)
    (root / "outside").mkdir()
    return root


@pytest.fixture(scope="module")
def without_opt_in(tree):
    server, glue = _server("no-scripts-dir", "--s3-dir", str(tree / "allowed" / "s3"))
    yield glue
    server.stop()


@pytest.fixture(scope="module")
def guarded(tree):
    server, glue = _server(
        "scripts-dir", "--scripts-dir", str(tree / "allowed"), "--s3-dir", str(tree / "allowed" / "s3")
    )
    yield glue
    server.stop()


def test_without_scripts_dir_local_scripts_are_simulated(without_opt_in, tree, unique, wait_until):
    glue = without_opt_in
    marker = tree / "no-opt-in.ran"
    script = _marker_script(tree / "allowed" / "no-opt-in.sh", marker)
    _marker_script(tree / "allowed" / "s3" / "b" / "no-opt-in.sh", marker)
    for location in (f"file://{script}", "s3://b/no-opt-in.sh"):
        j = create_job(glue, unique("j"), location)
        r = _finished(glue, j, glue.start_job_run(JobName=j, Arguments={"--x": "1"})["JobRunId"], wait_until)
        assert r["JobRunState"] == "SUCCEEDED" and not r.get("ErrorMessage"), r
        assert not marker.exists(), f"{location} was executed without --scripts-dir"


def test_script_under_the_scripts_dir_runs(guarded, tree, unique, wait_until):
    marker = tree / "inside.ran"
    script = _marker_script(tree / "allowed" / "sub" / "inside.sh", marker)
    j = create_job(guarded, unique("j"), f"file://{script}")
    r = _finished(guarded, j, guarded.start_job_run(JobName=j)["JobRunId"], wait_until)
    assert r["JobRunState"] == "SUCCEEDED", r
    assert marker.exists()
    _marker_script(tree / "allowed" / "s3" / "b" / "k" / "inside.sh", tree / "s3-inside.ran")
    j = create_job(guarded, unique("j"), "s3://b/k/inside.sh")
    r = _finished(guarded, j, guarded.start_job_run(JobName=j)["JobRunId"], wait_until)
    assert r["JobRunState"] == "SUCCEEDED", r
    assert (tree / "s3-inside.ran").exists()


def _refused_cases(tree):
    """(ScriptLocation, words the ErrorMessage must hold), each script writing its own marker."""
    allowed, outside, s3 = tree / "allowed", tree / "outside", tree / "allowed" / "s3"
    _marker_script(outside / "x.sh", tree / "outside.ran")
    _marker_script(allowed / "x.sh", tree / "s3-climb.ran")  # s3://b/../../x.sh would be this one
    if not (allowed / "link.sh").exists():
        os.symlink(outside / "x.sh", allowed / "link.sh")
        os.symlink(outside, allowed / "linked-dir")
        os.symlink(allowed / "x.sh", s3 / "b" / "out.sh")  # inside the scripts dir, out of the s3 dir
    return [
        (f"file://{outside / 'x.sh'}", "outside every --scripts-dir"),
        (f"file://{allowed}/../outside/x.sh", "outside every --scripts-dir"),
        (f"file://{allowed / 'link.sh'}", "outside every --scripts-dir"),
        (f"file://{allowed / 'linked-dir' / 'x.sh'}", "outside every --scripts-dir"),
        (f"file://{allowed / 'missing.sh'}", "not found"),
        ("s3://b/../../x.sh", "'..'"),
        ("s3://b/../../../outside/x.sh", "'..'"),
        ("s3:///x.sh", "no bucket"),
        ("s3://b/out.sh", "out of the --s3-dir"),
    ]


def test_refused_scripts_fail_their_runs_with_the_reason(guarded, tree, unique, wait_until):
    for location, reason in _refused_cases(tree):
        j = create_job(guarded, unique("j"), location)
        run_id = guarded.start_job_run(JobName=j)["JobRunId"]  # the call itself succeeds
        r = _finished(guarded, j, run_id, wait_until)
        assert r["JobRunState"] == "FAILED", (location, r)
        assert "refused" in r["ErrorMessage"] and reason in r["ErrorMessage"], (location, r["ErrorMessage"])
    assert not (tree / "outside.ran").exists() and not (tree / "s3-climb.ran").exists()


def test_refused_script_fails_its_workflow_node(guarded, tree, unique):
    _refused_cases(tree)
    wf = unique("wf")
    guarded.create_workflow(Name=wf)
    j = create_job(guarded, unique("j"), f"file://{tree / 'outside' / 'x.sh'}")
    on_demand(guarded, unique("t"), wf, j)
    run = wait_run(guarded, wf, guarded.start_workflow_run(Name=wf)["RunId"])
    r = job_runs(nodes_by_name(run)[j])[0]
    assert r["JobRunState"] == "FAILED" and "outside every --scripts-dir" in r["ErrorMessage"], r
    assert run["Statistics"]["FailedActions"] == 1
    assert not (tree / "outside.ran").exists()


def test_server_refuses_a_missing_scripts_dir(tmp_path):
    server = gluelocal.LocalServer(
        log_path=tmp_path / "server.log", extra_args=["--scripts-dir", str(tmp_path / "nowhere")]
    )
    with pytest.raises(RuntimeError, match="exited"):
        server.start(timeout=10)
    assert "--scripts-dir" in (tmp_path / "server.log").read_text()
