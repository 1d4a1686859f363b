"""Workflow runs that really run: triggers fire jobs and crawlers, some fail, and
the run ends COMPLETED with a partial graph (AWS Glue Developer Guide,
"Repairing and resuming a workflow run", workflow W1; docs/behaviour.md "Runs")."""

import pytest

from workflows_util import (  # noqa: F401 (scripts is a fixture)
    all_runs,
    conditional,
    crawls,
    create_job,
    error_code,
    get_run,
    inject,
    job_runs,
    node_state,
    nodes_by_name,
    on_demand,
    process_alive,
    ROLE,
    scripts,
    stats,
    update_job,
    W1,
    wait_node,
    wait_run,
)


# --------------------------------------------------------------------------
# the guide's W1
# --------------------------------------------------------------------------


def test_w1_j2_and_j3_fail_by_script_run_completes_with_partial_graph(glue, unique, scripts):
    fail = scripts.fail("fail.py", message="bad input row 17")
    w = W1(glue, unique, scripts={"J2": fail, "J3": fail})
    run_id = w.start()
    assert run_id.startswith("wr_") and len(run_id) == 67

    run = w.run(run_id)
    assert run["Status"] == "COMPLETED"
    assert run["Name"] == w.name and run["WorkflowRunId"] == run_id
    assert "PreviousRunId" not in run
    assert run["CompletedOn"] >= run["StartedOn"]

    j1 = job_runs(w.node(run, "J1"))
    assert [r["JobRunState"] for r in j1] == ["SUCCEEDED"]
    assert j1[0]["TriggerName"] == w.triggers["T1"]
    assert j1[0]["Arguments"]["--WORKFLOW_NAME"] == w.name
    assert j1[0]["Arguments"]["--WORKFLOW_RUN_ID"] == run_id
    for j, t in (("J2", "T2"), ("J3", "T3")):
        runs = job_runs(w.node(run, j))
        assert len(runs) == 1, runs
        r = runs[0]
        assert r["JobRunState"] == "FAILED" and r["TriggerName"] == w.triggers[t]
        # The script's stderr tail is the error message.
        assert "ValueError: bad input row 17" in r["ErrorMessage"], r["ErrorMessage"]
        assert r["Attempt"] == 0 and r["Id"].startswith("jr_")
    for j in ("J4", "J5"):
        node = w.node(run, j)
        assert "JobDetails" not in node, node
    assert stats(run, "total", "succeeded", "failed", "stopped", "timeout", "running") == {
        "total": 3,
        "succeeded": 1,
        "failed": 2,
        "stopped": 0,
        "timeout": 0,
        "running": 0,
    }

    # The complete graph: 5 triggers, 5 jobs, 9 edges, trigger nodes carry their definition.
    nodes = run["Graph"]["Nodes"]
    assert sorted(n["Type"] for n in nodes) == ["JOB"] * 5 + ["TRIGGER"] * 5
    assert len(run["Graph"]["Edges"]) == 9
    ids = {n["Name"]: n["UniqueId"] for n in nodes}
    edges = {(e["SourceId"], e["DestinationId"]) for e in run["Graph"]["Edges"]}
    assert (ids[w.triggers["T1"]], ids[w.jobs["J1"]]) in edges
    assert (ids[w.jobs["J1"]], ids[w.triggers["T2"]]) in edges
    assert (ids[w.jobs["J2"]], ids[w.triggers["T4"]]) in edges
    t4 = w.node(run, "T4")["TriggerDetails"]["Trigger"]
    assert t4["Type"] == "CONDITIONAL" and t4["Actions"] == [{"JobName": w.jobs["J4"]}]

    # The same job runs through the job API.
    failed = glue.get_job_run(JobName=w.jobs["J2"], RunId=job_runs(w.node(run, "J2"))[0]["Id"])["JobRun"]
    assert failed["JobRunState"] == "FAILED" and "bad input row 17" in failed["ErrorMessage"]
    assert glue.get_job_runs(JobName=w.jobs["J4"])["JobRuns"] == []


def test_w1_all_succeed(glue, unique):
    w = W1(glue, unique)
    run = w.run(w.start())
    assert {j: node_state(w.node(run, j)) for j in w.jobs} == {j: "SUCCEEDED" for j in w.jobs}
    assert stats(run, "total", "succeeded", "failed") == {"total": 5, "succeeded": 5, "failed": 0}
    j4 = job_runs(w.node(run, "J4"))[0]
    j2 = job_runs(w.node(run, "J2"))[0]
    assert j4["StartedOn"] >= j2["CompletedOn"]


def test_failure_by_injected_outcome(glue, unique, endpoint):
    w = W1(glue, unique)
    inject(endpoint, job=w.job("J3"), state="FAILED", message="injected failure")
    run = w.run(w.start())
    j3 = job_runs(w.node(run, "J3"))[0]
    assert j3["JobRunState"] == "FAILED" and j3["ErrorMessage"] == "injected failure"
    assert node_state(w.node(run, "J4")) == "SUCCEEDED"
    assert node_state(w.node(run, "J5")) is None
    assert stats(run, "total", "succeeded", "failed") == {"total": 4, "succeeded": 3, "failed": 1}
    # The outcome was used up: the next run succeeds everywhere.
    run = w.run(w.start())
    assert stats(run, "total", "succeeded") == {"total": 5, "succeeded": 5}


def test_a_job_that_does_not_exist_fails_its_node(glue, unique):
    w = W1(glue, unique)
    glue.delete_job(JobName=w.job("J2"))
    run = w.run(w.start())
    j2 = job_runs(w.node(run, "J2"))
    assert [r["JobRunState"] for r in j2] == ["FAILED"] and "not found" in j2[0]["ErrorMessage"]
    assert node_state(w.node(run, "J4")) is None
    assert node_state(w.node(run, "J5")) == "SUCCEEDED"


def test_missing_script_fails_the_job_run(glue, unique, tmp_path):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    job = create_job(glue, unique("job"), "file://" + str(tmp_path / "nowhere.py"))
    on_demand(glue, unique("t"), wf, job)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    r = job_runs(nodes_by_name(run)[job])[0]
    assert r["JobRunState"] == "FAILED" and "nowhere.py" in r["ErrorMessage"]


# --------------------------------------------------------------------------
# predicates
# --------------------------------------------------------------------------


def test_and_predicate_waits_for_both_parents(glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow, gate = scripts.gate("slow-parent")
    a, b, c = create_job(glue, unique("a")), create_job(glue, unique("b"), slow), create_job(glue, unique("c"))
    on_demand(glue, unique("t1"), wf, a, b)
    conditional(glue, unique("t2"), wf, [(a, "SUCCEEDED"), (b, "SUCCEEDED")], [c], logical="AND")
    run_id = glue.start_workflow_run(Name=wf)["RunId"]

    run = wait_node(glue, wf, run_id, a, "SUCCEEDED")
    run = wait_node(glue, wf, run_id, b, "RUNNING")
    nodes = nodes_by_name(run)
    assert node_state(nodes[a]) == "SUCCEEDED"
    assert "JobDetails" not in nodes[c], "C started before both parents succeeded"
    assert run["Status"] == "RUNNING"
    assert stats(run, "total", "succeeded", "running") == {"total": 2, "succeeded": 1, "running": 1}

    gate.open()
    run = wait_run(glue, wf, run_id)
    nodes = nodes_by_name(run)
    assert node_state(nodes[c]) == "SUCCEEDED"
    assert job_runs(nodes[c])[0]["StartedOn"] >= job_runs(nodes[b])[0]["CompletedOn"]
    assert stats(run, "total", "succeeded") == {"total": 3, "succeeded": 3}


def test_and_predicate_with_a_failed_parent_never_fires(glue, unique, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    a, b, c = create_job(glue, unique("a")), create_job(glue, unique("b")), create_job(glue, unique("c"))
    on_demand(glue, unique("t1"), wf, a, b)
    conditional(glue, unique("t2"), wf, [(a, "SUCCEEDED"), (b, "SUCCEEDED")], [c], logical="AND")
    inject(endpoint, job=b, state="FAILED")
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(run)
    assert (node_state(nodes[a]), node_state(nodes[b]), node_state(nodes[c])) == ("SUCCEEDED", "FAILED", None)


def test_any_predicate_fires_on_the_first_parent_and_only_once(glue, unique, scripts, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow, gate = scripts.gate("slow-any")
    a, b, c = create_job(glue, unique("a")), create_job(glue, unique("b"), slow), create_job(glue, unique("c"))
    on_demand(glue, unique("t1"), wf, a, b)
    # A FAILED or B SUCCEEDED: A fails at once, B succeeds later; C runs once.
    conditional(glue, unique("t2"), wf, [(a, "FAILED"), (b, "SUCCEEDED")], [c], logical="ANY")
    inject(endpoint, job=a, state="FAILED")
    run_id = glue.start_workflow_run(Name=wf)["RunId"]

    run = wait_node(glue, wf, run_id, c, "SUCCEEDED")
    nodes = nodes_by_name(run)
    assert node_state(nodes[b]) == "RUNNING", "C should have run on A's failure alone"
    assert run["Status"] == "RUNNING"

    gate.open()
    run = wait_run(glue, wf, run_id)
    nodes = nodes_by_name(run)
    assert node_state(nodes[b]) == "SUCCEEDED"
    assert len(job_runs(nodes[c])) == 1, "an ANY trigger fires at most once per run"
    assert len(glue.get_job_runs(JobName=c)["JobRuns"]) == 1
    assert stats(run, "total", "succeeded", "failed") == {"total": 3, "succeeded": 2, "failed": 1}


def test_condition_on_failure_fires_the_failure_branch(glue, unique, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    a, ok, cleanup = create_job(glue, unique("a")), create_job(glue, unique("ok")), create_job(glue, unique("cl"))
    on_demand(glue, unique("t1"), wf, a)
    conditional(glue, unique("t2"), wf, [(a, "SUCCEEDED")], [ok])
    conditional(glue, unique("t3"), wf, [(a, "FAILED")], [cleanup])
    inject(endpoint, job=a, state="FAILED")
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(run)
    assert node_state(nodes[ok]) is None and node_state(nodes[cleanup]) == "SUCCEEDED"


def test_deactivated_trigger_does_not_fire(glue, unique):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    a, b = create_job(glue, unique("a")), create_job(glue, unique("b"))
    on_demand(glue, unique("t1"), wf, a)
    t2 = conditional(glue, unique("t2"), wf, [(a, "SUCCEEDED")], [b])
    glue.stop_trigger(Name=t2)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    assert node_state(nodes_by_name(run)[b]) is None
    glue.start_trigger(Name=t2)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    assert node_state(nodes_by_name(run)[b]) == "SUCCEEDED"


# --------------------------------------------------------------------------
# crawlers
# --------------------------------------------------------------------------


def _crawler_workflow(glue, unique):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    crawler = unique("crawler")
    glue.create_crawler(
        Name=crawler, Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://bucket/data/"}]}
    )
    j1, j2 = create_job(glue, unique("j1")), create_job(glue, unique("j2"))
    on_demand(glue, unique("t1"), wf, j1)
    conditional(glue, unique("t2"), wf, [(j1, "SUCCEEDED")], ["crawler:" + crawler])
    conditional(glue, unique("t3"), wf, [("crawler:" + crawler, "SUCCEEDED")], [j2])
    return wf, crawler, j1, j2


def test_crawler_in_the_middle_of_a_workflow(glue, unique):
    wf, crawler, j1, j2 = _crawler_workflow(glue, unique)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(run)
    assert nodes[crawler]["Type"] == "CRAWLER"
    assert "JobDetails" not in nodes[crawler]
    c = crawls(nodes[crawler])
    assert len(c) == 1 and c[0]["State"] == "SUCCEEDED", c
    assert c[0]["CompletedOn"] >= c[0]["StartedOn"]
    assert c[0]["StartedOn"] >= job_runs(nodes[j1])[0]["CompletedOn"]
    assert node_state(nodes[j2]) == "SUCCEEDED"
    assert job_runs(nodes[j2])[0]["StartedOn"] >= c[0]["CompletedOn"]
    assert stats(run, "total", "succeeded") == {"total": 3, "succeeded": 3}
    assert glue.get_crawler(Name=crawler)["Crawler"]["State"] == "READY"


def test_failed_crawl_stops_the_branch(glue, unique, endpoint):
    wf, crawler, j1, j2 = _crawler_workflow(glue, unique)
    inject(endpoint, crawler=crawler, state="FAILED", message="no such bucket")
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(run)
    c = crawls(nodes[crawler])
    assert c[0]["State"] == "FAILED" and c[0]["ErrorMessage"] == "no such bucket"
    assert node_state(nodes[j2]) is None
    assert stats(run, "total", "succeeded", "failed") == {"total": 2, "succeeded": 1, "failed": 1}


# --------------------------------------------------------------------------
# the snapshot rule
# --------------------------------------------------------------------------


def test_trigger_changes_after_start_do_not_affect_the_running_run(glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow, gate = scripts.gate("snapshot-j1")
    j1 = create_job(glue, unique("j1"), slow)
    j2, j3, j4 = (create_job(glue, unique(n)) for n in ("j2", "j3", "j4"))
    on_demand(glue, unique("t1"), wf, j1)
    t2 = conditional(glue, unique("t2"), wf, [(j1, "SUCCEEDED")], [j2])
    t3 = conditional(glue, unique("t3"), wf, [(j1, "SUCCEEDED")], [j3])
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    wait_node(glue, wf, run_id, j1, "RUNNING")

    # While J1 runs: T2 now starts J4 instead of J2, and T3 is deleted.
    glue.update_trigger(
        Name=t2,
        TriggerUpdate={"Actions": [{"JobName": j4}], "Predicate": {"Conditions": [
            {"LogicalOperator": "EQUALS", "JobName": j1, "State": "SUCCEEDED"}]}},
    )
    glue.delete_trigger(Name=t3)
    assert glue.get_trigger(Name=t2)["Trigger"]["Actions"] == [{"JobName": j4}]
    gate.open()

    run = wait_run(glue, wf, run_id)
    nodes = nodes_by_name(run)
    assert node_state(nodes[j2]) == "SUCCEEDED", "the run must use the triggers as they were at its start"
    assert node_state(nodes[j3]) == "SUCCEEDED", "a trigger deleted during the run still fires in it"
    assert j4 not in nodes
    assert t3 in nodes and nodes[t3]["TriggerDetails"]["Trigger"]["Actions"] == [{"JobName": j3}]
    assert glue.get_job_runs(JobName=j4)["JobRuns"] == []

    # A new run takes the new snapshot.
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(run)
    assert node_state(nodes[j4]) == "SUCCEEDED"
    assert j2 not in nodes and j3 not in nodes and t3 not in nodes


def test_job_definition_changes_take_effect_in_the_current_run(glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow, gate = scripts.gate("jobchange-j1")
    j1 = create_job(glue, unique("j1"), slow)
    j2 = create_job(glue, unique("j2"), scripts.fail("j2-fail.py", message="old definition"))
    on_demand(glue, unique("t1"), wf, j1)
    conditional(glue, unique("t2"), wf, [(j1, "SUCCEEDED")], [j2])
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    wait_node(glue, wf, run_id, j1, "RUNNING")

    update_job(glue, j2, scripts.ok("j2-ok.py"), DefaultArguments={"--mode": "fixed"}, Timeout=7)
    gate.open()
    run = wait_run(glue, wf, run_id)
    r = job_runs(nodes_by_name(run)[j2])[0]
    assert r["JobRunState"] == "SUCCEEDED", r.get("ErrorMessage")
    assert r["Timeout"] == 7


# --------------------------------------------------------------------------
# run properties
# --------------------------------------------------------------------------


def test_run_properties_merge(glue, unique):
    wf = unique("wf")
    glue.create_workflow(Name=wf, DefaultRunProperties={"a": "1", "b": "2"})
    on_demand(glue, unique("t1"), wf, create_job(glue, unique("j")))
    run_id = glue.start_workflow_run(Name=wf, RunProperties={"b": "3", "c": "4"})["RunId"]
    expected = {"a": "1", "b": "3", "c": "4"}
    assert glue.get_workflow_run_properties(Name=wf, RunId=run_id)["RunProperties"] == expected
    glue.put_workflow_run_properties(Name=wf, RunId=run_id, RunProperties={"c": "5", "d": "6"})
    expected = {"a": "1", "b": "3", "c": "5", "d": "6"}
    assert glue.get_workflow_run_properties(Name=wf, RunId=run_id)["RunProperties"] == expected
    run = wait_run(glue, wf, run_id)
    assert run["WorkflowRunProperties"] == expected
    # The workflow's defaults are untouched; another run starts from them.
    assert glue.get_workflow(Name=wf)["Workflow"]["DefaultRunProperties"] == {"a": "1", "b": "2"}
    other = glue.start_workflow_run(Name=wf)["RunId"]
    assert glue.get_workflow_run_properties(Name=wf, RunId=other)["RunProperties"] == {"a": "1", "b": "2"}
    wait_run(glue, wf, other)

    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow_run_properties(Name=wf, RunId="wr_" + "0" * 64)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.put_workflow_run_properties(Name=unique("missing"), RunId=run_id, RunProperties={"x": "y"})


# --------------------------------------------------------------------------
# MaxConcurrentRuns, StopWorkflowRun
# --------------------------------------------------------------------------


def test_workflow_max_concurrent_runs(glue, unique, scripts):
    wf = unique("wf")
    glue.create_workflow(Name=wf, MaxConcurrentRuns=1)
    slow, gate = scripts.gate("mcr")
    on_demand(glue, unique("t1"), wf, create_job(glue, unique("j"), slow))
    first = glue.start_workflow_run(Name=wf)["RunId"]
    with pytest.raises(glue.exceptions.ConcurrentRunsExceededException) as e:
        glue.start_workflow_run(Name=wf)
    assert e.value.response["Error"]["Message"] == f"Concurrent runs exceeded for workflow: {wf}."
    assert [r["WorkflowRunId"] for r in all_runs(glue, wf)] == [first]
    gate.open()
    wait_run(glue, wf, first)
    second = glue.start_workflow_run(Name=wf)["RunId"]
    assert [r["WorkflowRunId"] for r in all_runs(glue, wf)] == [second, first]
    wait_run(glue, wf, second)


def test_stop_workflow_run(glue, unique, scripts, wait_until):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow, _never_opened = scripts.gate("stopme")
    j1, on_stop = create_job(glue, unique("j1"), slow), create_job(glue, unique("onstop"))
    on_demand(glue, unique("t1"), wf, j1)
    # In a running run this would fire when J1 ends STOPPED; a stopped run fires nothing.
    conditional(glue, unique("t2"), wf, [(j1, "STOPPED")], [on_stop])
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    wait_node(glue, wf, run_id, j1, "RUNNING")
    pid = scripts.pid_of("stopme")
    assert process_alive(pid)

    glue.stop_workflow_run(Name=wf, RunId=run_id)
    status = get_run(glue, wf, run_id, graph=False)["Status"]
    assert status in ("STOPPING", "STOPPED")
    run = wait_run(glue, wf, run_id, status="STOPPED")
    nodes = nodes_by_name(run)
    assert [r["JobRunState"] for r in job_runs(nodes[j1])] == ["STOPPED"]
    assert node_state(nodes[on_stop]) is None
    assert glue.get_job_runs(JobName=on_stop)["JobRuns"] == []
    assert stats(run, "total", "stopped", "running") == {"total": 1, "stopped": 1, "running": 0}
    assert "CompletedOn" in run
    wait_until(lambda: not process_alive(pid), timeout=10, message="the stopped job's script to be killed")

    with pytest.raises(glue.exceptions.IllegalWorkflowStateException):
        glue.stop_workflow_run(Name=wf, RunId=run_id)
    # The workflow can run again.
    glue.update_job(JobName=j1, JobUpdate={"Role": ROLE, "Command": {"Name": "pythonshell"}})
    done = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    with pytest.raises(glue.exceptions.IllegalWorkflowStateException):
        glue.stop_workflow_run(Name=wf, RunId=done["WorkflowRunId"])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.stop_workflow_run(Name=wf, RunId="wr_" + "1" * 64)


# --------------------------------------------------------------------------
# retries
# --------------------------------------------------------------------------


def test_max_retries_in_a_workflow(glue, unique, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    j = create_job(glue, unique("j"), MaxRetries=2)
    after = create_job(glue, unique("after"))
    on_demand(glue, unique("t1"), wf, j)
    conditional(glue, unique("t2"), wf, [(j, "SUCCEEDED")], [after])
    inject(endpoint, job=j, state="FAILED", message="flaky", count=3)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    runs = job_runs(nodes_by_name(run)[j])
    assert [r["Attempt"] for r in runs] == [2, 1, 0], "JobRuns are newest first, one per attempt"
    first = runs[-1]["Id"]
    assert runs[1]["Id"] == f"{first}_attempt_1" and runs[0]["Id"] == f"{first}_attempt_2"
    assert runs[0]["PreviousRunId"] == first and runs[1]["PreviousRunId"] == first
    assert "PreviousRunId" not in runs[2]
    assert all(r["JobRunState"] == "FAILED" for r in runs)
    assert all(r["Arguments"]["--WORKFLOW_RUN_ID"] == run["WorkflowRunId"] for r in runs)
    assert node_state(nodes_by_name(run)[after]) is None
    assert stats(run, "total", "failed") == {"total": 1, "failed": 1}

    # One failure, then the retry succeeds: the node succeeds and the next trigger fires.
    inject(endpoint, job=j, state="FAILED", count=1)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    runs = job_runs(nodes_by_name(run)[j])
    assert [(r["Attempt"], r["JobRunState"]) for r in runs] == [(1, "SUCCEEDED"), (0, "FAILED")]
    assert runs[0]["Id"] == runs[1]["Id"] + "_attempt_1"
    assert node_state(nodes_by_name(run)[after]) == "SUCCEEDED"
    assert stats(run, "total", "succeeded", "failed") == {"total": 2, "succeeded": 2, "failed": 0}


def test_max_retries_outside_workflows(glue, unique, endpoint, wait_until):
    j = create_job(glue, unique("j"), MaxRetries=1)
    inject(endpoint, job=j, state="FAILED", count=2)
    first = glue.start_job_run(JobName=j)["JobRunId"]

    def both_done():
        runs = glue.get_job_runs(JobName=j)["JobRuns"]
        return runs if len(runs) == 2 and all(r.get("CompletedOn") for r in runs) else None

    runs = wait_until(both_done)
    assert [(r["Id"], r["Attempt"], r["JobRunState"]) for r in runs] == [
        (f"{first}_attempt_1", 1, "FAILED"),
        (first, 0, "FAILED"),
    ]
    retry = glue.get_job_run(JobName=j, RunId=f"{first}_attempt_1")["JobRun"]
    assert retry["PreviousRunId"] == first


# --------------------------------------------------------------------------
# job runs outside workflows
# --------------------------------------------------------------------------


def test_start_get_and_list_job_runs(glue, unique, wait_until):
    j = create_job(glue, unique("j"), max_concurrent=3, DefaultArguments={"--env": "test"})
    ids = [glue.start_job_run(JobName=j, Arguments={"--n": str(i)})["JobRunId"] for i in range(3)]
    assert len(set(ids)) == 3 and all(i.startswith("jr_") and len(i) == 67 for i in ids)

    def done(run_id):
        r = glue.get_job_run(JobName=j, RunId=run_id)["JobRun"]
        return r if r["JobRunState"] == "SUCCEEDED" else None

    for n, run_id in enumerate(ids):
        r = wait_until(lambda: done(run_id))
        assert r["Id"] == run_id and r["JobName"] == j and r["Attempt"] == 0
        assert r["Arguments"] == {"--n": str(n)}
        assert "TriggerName" not in r
        assert r["Timeout"] == 2880

    listed = glue.get_job_runs(JobName=j)["JobRuns"]
    assert [r["Id"] for r in listed] == ids[::-1], "GetJobRuns lists newest first"
    page1 = glue.get_job_runs(JobName=j, MaxResults=2)
    page2 = glue.get_job_runs(JobName=j, MaxResults=2, NextToken=page1["NextToken"])
    assert [r["Id"] for r in page1["JobRuns"] + page2["JobRuns"]] == ids[::-1]
    assert "NextToken" not in page2

    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job_run(JobName=j, RunId="jr_" + "0" * 64)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.start_job_run(JobName=unique("missing"))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job_runs(JobName=unique("missing"))


def test_job_max_concurrent_runs_and_batch_stop(glue, unique, scripts, wait_until):
    slow, gate = scripts.gate("batchstop")
    j = create_job(glue, unique("j"), slow)  # MaxConcurrentRuns defaults to 1
    first = glue.start_job_run(JobName=j)["JobRunId"]
    with pytest.raises(glue.exceptions.ConcurrentRunsExceededException):
        glue.start_job_run(JobName=j)
    wait_until(lambda: glue.get_job_run(JobName=j, RunId=first)["JobRun"]["JobRunState"] == "RUNNING")

    missing = "jr_" + "2" * 64
    out = glue.batch_stop_job_run(JobName=j, JobRunIds=[first, missing])
    assert out["SuccessfulSubmissions"] == [{"JobName": j, "JobRunId": first}]
    assert [e["JobRunId"] for e in out["Errors"]] == [missing]
    assert out["Errors"][0]["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"
    r = wait_until(lambda: (lambda r: r if r["JobRunState"] == "STOPPED" else None)(
        glue.get_job_run(JobName=j, RunId=first)["JobRun"]))
    assert r["CompletedOn"] >= r["StartedOn"]

    # Stopping a finished run is an error entry; the slot is free again.
    again = glue.batch_stop_job_run(JobName=j, JobRunIds=[first])
    assert again["SuccessfulSubmissions"] == [] and len(again["Errors"]) == 1
    gate.open()
    second = glue.start_job_run(JobName=j)["JobRunId"]
    wait_until(lambda: glue.get_job_run(JobName=j, RunId=second)["JobRun"]["JobRunState"] == "SUCCEEDED")


def test_job_concurrency_is_shared_with_workflow_runs(glue, unique, scripts):
    """A workflow node refused for the job's MaxConcurrentRuns fails, and frees no slot it never held."""
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    slow, gate = scripts.gate("shared-slot")
    j = create_job(glue, unique("j"), slow)  # MaxConcurrentRuns 1
    on_demand(glue, unique("t1"), wf, j)
    first = glue.start_workflow_run(Name=wf)["RunId"]
    wait_node(glue, wf, first, j, "RUNNING")
    second = glue.start_workflow_run(Name=wf)["RunId"]
    run2 = wait_run(glue, wf, second)
    r = job_runs(nodes_by_name(run2)[j])[0]
    assert r["JobRunState"] == "FAILED" and "Concurrent runs exceeded" in r["ErrorMessage"]
    # The first run's job still holds the only slot.
    with pytest.raises(glue.exceptions.ConcurrentRunsExceededException):
        glue.start_job_run(JobName=j)
    gate.open()
    run1 = wait_run(glue, wf, first)
    assert node_state(nodes_by_name(run1)[j]) == "SUCCEEDED"


# --------------------------------------------------------------------------
# triggers starting runs
# --------------------------------------------------------------------------


def test_start_trigger_on_a_workflow_start_trigger_starts_a_run(glue, unique):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    j = create_job(glue, unique("j"))
    t = on_demand(glue, unique("t1"), wf, j)
    assert all_runs(glue, wf) == []
    assert glue.start_trigger(Name=t)["Name"] == t
    runs = all_runs(glue, wf)
    assert len(runs) == 1
    run = wait_run(glue, wf, runs[0]["WorkflowRunId"])
    assert job_runs(nodes_by_name(run)[j])[0]["TriggerName"] == t
    assert glue.get_trigger(Name=t)["Trigger"]["State"] == "CREATED"
    glue.start_trigger(Name=t)
    assert len(all_runs(glue, wf)) == 2


def test_standalone_conditional_trigger_fires_after_a_triggered_job(glue, unique, wait_until):
    a, b = create_job(glue, unique("a"), max_concurrent=5), create_job(glue, unique("b"), max_concurrent=5)
    start = on_demand(glue, unique("s"), None, a)
    cond = conditional(glue, unique("c"), None, [(a, "SUCCEEDED")], [b], start=True)
    assert glue.get_trigger(Name=cond)["Trigger"]["State"] == "ACTIVATED"

    # A run of A that no trigger started does not fire the conditional trigger.
    direct = glue.start_job_run(JobName=a)["JobRunId"]
    wait_until(lambda: glue.get_job_run(JobName=a, RunId=direct)["JobRun"]["JobRunState"] == "SUCCEEDED")

    glue.start_trigger(Name=start)

    def b_done():
        runs = glue.get_job_runs(JobName=b)["JobRuns"]
        return runs if runs and all(r["JobRunState"] == "SUCCEEDED" for r in runs) else None

    runs = wait_until(b_done)
    assert [r["TriggerName"] for r in runs] == [cond]
    a_runs = glue.get_job_runs(JobName=a)["JobRuns"]
    assert [r.get("TriggerName") for r in a_runs] == [start, None]
    assert runs[0]["StartedOn"] >= a_runs[0]["CompletedOn"]
    assert "--WORKFLOW_RUN_ID" not in runs[0].get("Arguments", {})


# --------------------------------------------------------------------------
# GetWorkflow LastRun, GetWorkflowRuns
# --------------------------------------------------------------------------


def test_get_workflow_last_run_and_get_workflow_runs_pagination(glue, unique):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    assert "LastRun" not in glue.get_workflow(Name=wf)["Workflow"]
    on_demand(glue, unique("t1"), wf, create_job(glue, unique("j"), max_concurrent=10))
    ids = []
    for _ in range(5):
        ids.append(glue.start_workflow_run(Name=wf)["RunId"])
        last = glue.get_workflow(Name=wf)["Workflow"]["LastRun"]
        assert last["WorkflowRunId"] == ids[-1]
    for i in ids:
        wait_run(glue, wf, i)

    got = glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]
    assert got["LastRun"]["WorkflowRunId"] == ids[-1] and got["LastRun"]["Status"] == "COMPLETED"
    assert "Graph" in got["LastRun"] and "Graph" in got

    pages = []
    token = None
    while True:
        kw = {"NextToken": token} if token else {}
        page = glue.get_workflow_runs(Name=wf, MaxResults=2, **kw)
        pages.append([r["WorkflowRunId"] for r in page["Runs"]])
        assert all("Graph" not in r for r in page["Runs"])
        token = page.get("NextToken")
        if not token:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sum(pages, []) == ids[::-1], "GetWorkflowRuns lists newest first"
    with_graph = glue.get_workflow_runs(Name=wf, IncludeGraph=True, MaxResults=1)["Runs"]
    assert "Graph" in with_graph[0]

    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_workflow_runs(Name=wf, NextToken="not-a-token")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow_runs(Name=unique("missing"))
    with pytest.raises(glue.exceptions.EntityNotFoundException) as e:
        glue.get_workflow_run(Name=wf, RunId="wr_" + "3" * 64)
    assert error_code(e) == "EntityNotFoundException"


def test_standalone_and_trigger_fires_once_when_both_jobs_end_together(glue, unique, wait_until):
    """S starts A and B together; C waits for both. However close their ends, C fires once per pair."""
    a, b, d = (create_job(glue, unique(n), max_concurrent=10) for n in ("a", "b", "d"))
    start = on_demand(glue, unique("s"), None, a, b)
    conditional(glue, unique("c"), None, [(a, "SUCCEEDED"), (b, "SUCCEEDED")], [d], logical="AND")
    for round_ in range(1, 21):
        glue.start_trigger(Name=start)

        def round_done():
            ends = [glue.get_job_runs(JobName=j)["JobRuns"] for j in (a, b)]
            return all(len(r) == round_ and all(x.get("CompletedOn") for x in r) for r in ends)

        wait_until(round_done)
        runs = wait_until(lambda: (lambda r: r if len(r) >= round_ and all(x.get("CompletedOn") for x in r) else None)(
            glue.get_job_runs(JobName=d)["JobRuns"]))
        assert len(runs) == round_, f"round {round_}: D ran {len(runs)} times"


def test_crawler_node_that_cannot_start_fails_and_fires_failure_triggers(glue, unique):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    crawler = unique("crawler")
    glue.create_crawler(Name=crawler, Role=ROLE, Targets={"S3Targets": [{"Path": "s3://b/p/"}]})
    j1, on_fail = create_job(glue, unique("j1")), create_job(glue, unique("onfail"))
    on_demand(glue, unique("t1"), wf, j1)
    conditional(glue, unique("t2"), wf, [(j1, "SUCCEEDED")], ["crawler:" + crawler])
    conditional(glue, unique("t3"), wf, [("crawler:" + crawler, "FAILED")], [on_fail])
    glue.delete_crawler(Name=crawler)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(run)
    c = crawls(nodes[crawler])
    assert [x["State"] for x in c] == ["FAILED"] and "not found" in c[0]["ErrorMessage"]
    assert node_state(nodes[on_fail]) == "SUCCEEDED", "a crawler node that fails at once still fires FAILED triggers"
    assert stats(run, "total", "succeeded", "failed") == {"total": 3, "succeeded": 2, "failed": 1}
