"""Many runs at once: every run keeps its own graph, statistics and job runs, and
the MaxConcurrentRuns limits hold exactly under concurrent calls."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor


from workflows_util import (  # noqa: F401 (scripts is a fixture)
    all_runs,
    conditional,
    create_job,
    get_run,
    inject,
    job_runs,
    nodes_by_name,
    on_demand,
    scripts,
    stats,
    wait_run,
)

RUNS = 100


def fan_out_fan_in(glue, unique, width=3, max_concurrent=RUNS * 2):
    """T1 → A; A SUCCEEDED → T2 → B1..Bn; B1 AND … AND Bn SUCCEEDED → T3 → C."""
    wf = unique("fan")
    glue.create_workflow(Name=wf)
    mk = lambda n: create_job(glue, unique(n), max_concurrent=max_concurrent)  # noqa: E731
    a = mk("a")
    bs = [mk(f"b{i}") for i in range(width)]
    c = mk("c")
    on_demand(glue, unique("t1"), wf, a)
    conditional(glue, unique("t2"), wf, [(a, "SUCCEEDED")], bs)
    conditional(glue, unique("t3"), wf, [(b, "SUCCEEDED") for b in bs], [c], logical="AND")
    return wf, a, bs, c


def start_concurrently(make_glue, n, call):
    """Runs ``call(client)`` n times from 8 threads, each with its own client; returns results or exceptions."""
    local = threading.local()
    barrier = threading.Barrier(min(n, 8))

    def one(i):
        if not hasattr(local, "client"):
            local.client = make_glue()
            try:
                barrier.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass
        try:
            return call(local.client)
        except Exception as e:  # noqa: BLE001 - collected and checked by the caller
            return e

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(n)))


def test_100_concurrent_runs_of_a_fan_out_fan_in_workflow(glue, make_glue, unique):
    wf, a, bs, c = fan_out_fan_in(glue, unique)
    results = start_concurrently(make_glue, RUNS, lambda g: g.start_workflow_run(Name=wf)["RunId"])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    ids = set(results)
    assert len(ids) == RUNS

    deadline = time.monotonic() + 120
    pending = set(ids)
    while pending:
        for run in all_runs(glue, wf):
            if run["Status"] == "COMPLETED":
                pending.discard(run["WorkflowRunId"])
        if pending and time.monotonic() > deadline:
            raise AssertionError(f"{len(pending)} runs did not complete in time")
        time.sleep(0.1)

    listed = all_runs(glue, wf, page_size=7)
    assert {r["WorkflowRunId"] for r in listed} == ids and len(listed) == RUNS
    seen_job_runs = set()
    for run_id in ids:
        run = get_run(glue, wf, run_id)
        assert run["Status"] == "COMPLETED"
        assert stats(run, "total", "succeeded", "failed", "running") == {
            "total": 2 + len(bs),
            "succeeded": 2 + len(bs),
            "failed": 0,
            "running": 0,
        }, run_id
        nodes = nodes_by_name(run)
        for job in [a, *bs, c]:
            runs = job_runs(nodes[job])
            assert len(runs) == 1 and runs[0]["JobRunState"] == "SUCCEEDED", (run_id, job, runs)
            assert runs[0]["Arguments"]["--WORKFLOW_RUN_ID"] == run_id
            seen_job_runs.add(runs[0]["Id"])
        c_run = job_runs(nodes[c])[0]
        assert all(c_run["StartedOn"] >= job_runs(nodes[b])[0]["CompletedOn"] for b in bs), "C waited for every B"
    assert len(seen_job_runs) == RUNS * (2 + len(bs))
    for job in [a, *bs, c]:
        assert len(glue.get_job_runs(JobName=job, MaxResults=200)["JobRuns"]) == RUNS


def test_concurrent_failures_stay_in_their_own_runs(glue, make_glue, unique, endpoint):
    """Half the runs get a failing B0 (injected outcomes are consumed one per job run)."""
    wf, a, bs, c = fan_out_fan_in(glue, unique, width=2)
    inject(endpoint, job=bs[0], state="FAILED", count=20)
    results = start_concurrently(make_glue, 40, lambda g: g.start_workflow_run(Name=wf)["RunId"])
    assert not [r for r in results if isinstance(r, Exception)]
    runs = [wait_run(glue, wf, r, timeout=60) for r in results]
    failed = [r for r in runs if stats(r, "failed")["failed"]]
    assert len(failed) == 20
    for r in failed:
        nodes = nodes_by_name(r)
        assert job_runs(nodes[bs[0]])[0]["JobRunState"] == "FAILED"
        assert "JobDetails" not in nodes[c]
        assert stats(r, "total", "succeeded", "failed") == {"total": 3, "succeeded": 2, "failed": 1}
    for r in runs:
        if r not in failed:
            assert stats(r, "total", "succeeded") == {"total": 4, "succeeded": 4}


def test_workflow_max_concurrent_runs_holds_under_concurrent_starts(glue, make_glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf, MaxConcurrentRuns=5)
    slow, gate = scripts.gate("wf-limit")
    on_demand(glue, unique("t1"), wf, create_job(glue, unique("j"), slow, max_concurrent=50))
    results = start_concurrently(make_glue, 30, lambda g: g.start_workflow_run(Name=wf)["RunId"])
    started = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if not isinstance(r, str)]
    assert len(started) == 5, results
    assert all(e.response["Error"]["Code"] == "ConcurrentRunsExceededException" for e in refused)
    assert {r["WorkflowRunId"] for r in all_runs(glue, wf)} == set(started)
    gate.open()
    for r in started:
        wait_run(glue, wf, r)


def test_job_max_concurrent_runs_holds_under_concurrent_starts(glue, make_glue, unique, scripts, wait_until):
    slow, gate = scripts.gate("job-limit")
    j = create_job(glue, unique("j"), slow, max_concurrent=4)
    results = start_concurrently(make_glue, 24, lambda g: g.start_job_run(JobName=j)["JobRunId"])
    started = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if not isinstance(r, str)]
    assert len(started) == 4, results
    assert all(e.response["Error"]["Code"] == "ConcurrentRunsExceededException" for e in refused)
    assert len(glue.get_job_runs(JobName=j)["JobRuns"]) == 4
    gate.open()

    def all_done():
        runs = glue.get_job_runs(JobName=j)["JobRuns"]
        return all(r["JobRunState"] == "SUCCEEDED" for r in runs)

    wait_until(all_done, timeout=30)
    # All four slots are free again.
    again = start_concurrently(make_glue, 4, lambda g: g.start_job_run(JobName=j)["JobRunId"])
    assert all(isinstance(r, str) for r in again), again


def test_concurrent_resumes_of_one_run(glue, make_glue, unique, endpoint):
    wf, a, bs, c = fan_out_fan_in(glue, unique, width=2)
    inject(endpoint, job=bs[1], state="FAILED")
    original = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    rid = original["WorkflowRunId"]
    b1 = nodes_by_name(original)[bs[1]]["UniqueId"]
    results = start_concurrently(
        make_glue, 20, lambda g: g.resume_workflow_run(Name=wf, RunId=rid, NodeIds=[b1])["RunId"]
    )
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 20
    for r in results:
        run = wait_run(glue, wf, r, timeout=60)
        assert run["PreviousRunId"] == rid
        nodes = nodes_by_name(run)
        assert job_runs(nodes[a]) == job_runs(nodes_by_name(original)[a])
        assert [x["JobRunState"] for x in job_runs(nodes[bs[1]])] == ["SUCCEEDED"]
        assert [x["JobRunState"] for x in job_runs(nodes[c])] == ["SUCCEEDED"]
        assert stats(run, "total", "succeeded") == {"total": 2, "succeeded": 2}
    assert len(all_runs(glue, wf)) == 21
