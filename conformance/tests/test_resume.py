"""ResumeWorkflowRun as the AWS Glue Developer Guide documents it ("Repairing and
resuming a workflow run"), with boto3 and with the guide's aws CLI walk-through."""

import pytest

from workflows_util import (  # noqa: F401 (scripts is a fixture)
    all_runs,
    conditional,
    create_job,
    error_code,
    get_run,
    inject,
    job_runs,
    node_state,
    nodes_by_name,
    on_demand,
    scripts,
    stats,
    update_job,
    W1,
    wait_node,
    wait_run,
)


def failed_w1(glue, unique, endpoint, fail=("J2", "J3"), **kw):
    """W1 whose jobs ``fail`` fail once by injected outcome; returns (w, completed original run)."""
    w = W1(glue, unique, **kw)
    for j in fail:
        inject(endpoint, job=w.job(j), state="FAILED", message=f"{j} failed")
    run = w.run(w.start())
    for j in fail:
        assert node_state(w.node(run, j)) == "FAILED"
    return w, run


def node_id(w, run, short):
    return w.node(run, short)["UniqueId"]


def check_guide_resume(glue, w, original, resumed_id, node_ids):
    """The guide's outcome: J2..J5 succeed in a new run, J1 is copied, the history shows the link."""
    orig_id = original["WorkflowRunId"]
    assert resumed_id.startswith("wr_") and resumed_id != orig_id
    assert node_ids == [node_id(w, original, "J2"), node_id(w, original, "J3")]

    run = w.run(resumed_id)
    assert run["Status"] == "COMPLETED"
    assert run["PreviousRunId"] == orig_id
    # J1 is copied with its run details: the very same job run.
    assert job_runs(w.node(run, "J1")) == job_runs(w.node(original, "J1"))
    for j in ("J2", "J3", "J4", "J5"):
        runs = job_runs(w.node(run, j))
        assert [r["JobRunState"] for r in runs] == ["SUCCEEDED"], (j, runs)
        assert runs[0]["Arguments"]["--WORKFLOW_RUN_ID"] == resumed_id
    # J2 and J3 ran again: new job runs, not the failed ones.
    for j in ("J2", "J3"):
        assert job_runs(w.node(run, j))[0]["Id"] != job_runs(w.node(original, j))[0]["Id"]
    # The graph is complete: all five triggers and five jobs.
    assert sorted(n["Type"] for n in run["Graph"]["Nodes"]) == ["JOB"] * 5 + ["TRIGGER"] * 5
    assert len(run["Graph"]["Edges"]) == 9
    assert {n["UniqueId"] for n in run["Graph"]["Nodes"]} == {n["UniqueId"] for n in original["Graph"]["Nodes"]}
    # Statistics count what this run ran (the copied J1 is not counted).
    assert stats(run, "total", "succeeded", "failed") == {"total": 4, "succeeded": 4, "failed": 0}

    # History: both runs, the resumed one first with its PreviousRunId.
    history = all_runs(glue, w.name)
    assert [r["WorkflowRunId"] for r in history] == [resumed_id, orig_id]
    assert history[0]["PreviousRunId"] == orig_id and "PreviousRunId" not in history[1]
    assert glue.get_workflow(Name=w.name)["Workflow"]["LastRun"]["WorkflowRunId"] == resumed_id

    # The original is untouched.
    again = get_run(glue, w.name, orig_id)
    assert again["Status"] == "COMPLETED"
    assert stats(again, "total", "succeeded", "failed") == {"total": 3, "succeeded": 1, "failed": 2}
    assert node_state(w.node(again, "J2")) == "FAILED" and node_state(w.node(again, "J4")) is None
    return run


# --------------------------------------------------------------------------
# the guide's scenario
# --------------------------------------------------------------------------


def test_guide_scenario_fixed_by_removing_the_failure(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint)
    assert stats(original, "total", "succeeded", "failed") == {"total": 3, "succeeded": 1, "failed": 2}
    out = glue.resume_workflow_run(
        Name=w.name,
        RunId=original["WorkflowRunId"],
        NodeIds=[node_id(w, original, "J2"), node_id(w, original, "J3")],
    )
    check_guide_resume(glue, w, original, out["RunId"], out["NodeIds"])


def test_guide_scenario_fixed_by_update_job(glue, unique, scripts):
    fail = scripts.fail("fail.py", message="wrong column")
    w = W1(glue, unique, scripts={"J2": fail, "J3": fail})
    original = w.run(w.start())
    assert "wrong column" in job_runs(w.node(original, "J2"))[0]["ErrorMessage"]
    ok = scripts.ok("fixed.py")
    update_job(glue, w.job("J2"), ok)
    update_job(glue, w.job("J3"), ok)
    out = glue.resume_workflow_run(
        Name=w.name,
        RunId=original["WorkflowRunId"],
        NodeIds=[node_id(w, original, "J2"), node_id(w, original, "J3")],
    )
    check_guide_resume(glue, w, original, out["RunId"], out["NodeIds"])


def test_guide_cli_walk_through(glue, unique, endpoint, aws_cli):
    w, _ = failed_w1(glue, unique, endpoint)

    # "Get the run ID … by running the get-workflow command."
    wf = aws_cli("glue", "get-workflow", "--name", w.name).json["Workflow"]
    run_id = wf["LastRun"]["WorkflowRunId"]
    assert wf["LastRun"]["Status"] == "COMPLETED"

    # aws glue get-workflow-run --name … --run-id … --include-graph
    got = aws_cli("glue", "get-workflow-run", "--name", w.name, "--run-id", run_id, "--include-graph").json
    nodes = got["Run"]["Graph"]["Nodes"]
    # "Locate the nodes of interest by the Type and Name properties of the node objects."
    failed = [
        n["UniqueId"]
        for n in nodes
        if n["Type"] == "JOB" and n.get("JobDetails", {}).get("JobRuns", [{}])[0].get("JobRunState") == "FAILED"
    ]
    names = {n["UniqueId"]: n["Name"] for n in nodes}
    assert sorted(names[i] for i in failed) == [w.job("J2"), w.job("J3")]
    example = next(n for n in nodes if n["UniqueId"] == failed[0])
    assert example["UniqueId"].startswith("wnode_") and len(example["UniqueId"]) == 70
    r = example["JobDetails"]["JobRuns"][0]
    assert {"Id", "Attempt", "TriggerName", "JobName", "StartedOn", "LastModifiedOn", "CompletedOn",
            "JobRunState", "PredecessorRuns", "ExecutionTime", "Timeout"} <= set(r)

    # aws glue resume-workflow-run --name … --run-id … --node-ids a b
    out = aws_cli("glue", "resume-workflow-run", "--name", w.name, "--run-id", run_id, "--node-ids", *failed).json
    assert set(out) == {"RunId", "NodeIds"}
    assert out["NodeIds"] == failed
    new_id = out["RunId"]

    wait_run(glue, w.name, new_id)
    history = aws_cli("glue", "get-workflow-runs", "--name", w.name).json["Runs"]
    assert [(r["WorkflowRunId"], r.get("PreviousRunId")) for r in history] == [(new_id, run_id), (run_id, None)]
    resumed = aws_cli("glue", "get-workflow-run", "--name", w.name, "--run-id", new_id, "--include-graph").json["Run"]
    assert resumed["Status"] == "COMPLETED"
    assert {j: node_state(w.node(resumed, j)) for j in w.jobs} == {j: "SUCCEEDED" for j in w.jobs}


# --------------------------------------------------------------------------
# node selection
# --------------------------------------------------------------------------


def test_redundant_downstream_node_is_dropped(glue, unique, endpoint):
    # J2 succeeds and J4 fails, so both were attempted; J4 is downstream of J2.
    w, original = failed_w1(glue, unique, endpoint, fail=("J4",))
    rid = original["WorkflowRunId"]
    j2, j4 = node_id(w, original, "J2"), node_id(w, original, "J4")
    for selection in ([j2, j4], [j4, j2]):
        out = glue.resume_workflow_run(Name=w.name, RunId=rid, NodeIds=selection)
        assert out["NodeIds"] == [j2], "a node downstream of another selected node is redundant"
        run = w.run(out["RunId"])
        assert len(job_runs(w.node(run, "J2"))) == 1 and len(job_runs(w.node(run, "J4"))) == 1
        assert node_state(w.node(run, "J4")) == "SUCCEEDED"
        # J4 ran after J2, by the normal flow.
        assert job_runs(w.node(run, "J4"))[0]["StartedOn"] >= job_runs(w.node(run, "J2"))[0]["CompletedOn"]
        # J1, J3 and J5 are copied.
        for j in ("J1", "J3", "J5"):
            assert job_runs(w.node(run, j)) == job_runs(w.node(original, j))
        assert stats(run, "total", "succeeded") == {"total": 2, "succeeded": 2}


def test_duplicate_node_ids(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint)
    j2, j3 = node_id(w, original, "J2"), node_id(w, original, "J3")
    out = glue.resume_workflow_run(Name=w.name, RunId=original["WorkflowRunId"], NodeIds=[j3, j2, j3, j2])
    assert out["NodeIds"] == [j3, j2]
    run = w.run(out["RunId"])
    assert all(len(job_runs(w.node(run, j))) == 1 for j in w.jobs)
    assert stats(run, "total", "succeeded") == {"total": 4, "succeeded": 4}


def test_resume_from_a_successful_node_reruns_everything_downstream(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint)
    out = glue.resume_workflow_run(
        Name=w.name, RunId=original["WorkflowRunId"], NodeIds=[node_id(w, original, "J1"), node_id(w, original, "J3")]
    )
    assert out["NodeIds"] == [node_id(w, original, "J1")]
    run = w.run(out["RunId"])
    assert job_runs(w.node(run, "J1"))[0]["Id"] != job_runs(w.node(original, "J1"))[0]["Id"]
    assert stats(run, "total", "succeeded") == {"total": 5, "succeeded": 5}


def test_downstream_node_that_does_not_run_again_has_no_details(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint, fail=("J2",))
    inject(endpoint, job=w.job("J2"), state="FAILED", message="still broken")
    out = glue.resume_workflow_run(Name=w.name, RunId=original["WorkflowRunId"], NodeIds=[node_id(w, original, "J2")])
    run = w.run(out["RunId"])
    assert job_runs(w.node(run, "J2"))[0]["ErrorMessage"] == "still broken"
    assert "JobDetails" not in w.node(run, "J4")
    # J3 and J5 ran in the original and are copied.
    assert job_runs(w.node(run, "J5")) == job_runs(w.node(original, "J5"))
    assert stats(run, "total", "failed") == {"total": 1, "failed": 1}


# --------------------------------------------------------------------------
# validation: every refusal changes nothing
# --------------------------------------------------------------------------


def assert_refused(glue, w, exc, **call):
    before = [(r["WorkflowRunId"], r["Status"]) for r in all_runs(glue, w.name)]
    with pytest.raises(exc) as e:
        glue.resume_workflow_run(**call)
    after = [(r["WorkflowRunId"], r["Status"]) for r in all_runs(glue, w.name)]
    assert after == before, "a refused resume must not create or change runs"
    return e


def test_validation_errors_change_nothing(glue, unique, endpoint, raw):
    w, original = failed_w1(glue, unique, endpoint)
    rid = original["WorkflowRunId"]
    j2 = node_id(w, original, "J2")
    ex = glue.exceptions

    e = assert_refused(glue, w, ex.EntityNotFoundException, Name=unique("missing"), RunId=rid, NodeIds=[j2])
    assert error_code(e) == "EntityNotFoundException"
    assert_refused(glue, w, ex.EntityNotFoundException, Name=w.name, RunId="wr_" + "4" * 64, NodeIds=[j2])
    e = assert_refused(glue, w, ex.InvalidInputException, Name=w.name, RunId=rid, NodeIds=[])
    assert e.value.response["Error"]["Message"]
    assert_refused(glue, w, ex.InvalidInputException, Name=w.name, RunId=rid, NodeIds=["wnode_" + "5" * 64])
    e = assert_refused(glue, w, ex.InvalidInputException, Name=w.name, RunId=rid, NodeIds=[node_id(w, original, "T2")])
    assert "trigger" in e.value.response["Error"]["Message"].lower()
    # J4 never ran in the original: it cannot be resumed from (even beside a valid node).
    assert_refused(glue, w, ex.InvalidInputException, Name=w.name, RunId=rid, NodeIds=[j2, node_id(w, original, "J4")])
    # A node of another workflow.
    other, other_run = failed_w1(glue, unique, endpoint)
    assert_refused(glue, w, ex.InvalidInputException, Name=w.name, RunId=rid, NodeIds=[node_id(other, other_run, "J2")])
    # A run of another workflow.
    assert_refused(glue, w, ex.EntityNotFoundException, Name=w.name, RunId=other_run["WorkflowRunId"], NodeIds=[j2])

    # Without NodeIds at all (boto3 refuses to send that, so raw).
    resp = raw.glue("ResumeWorkflowRun", {"Name": w.name, "RunId": rid})
    assert resp.status == 400 and resp.error_code == "InvalidInputException", resp.describe()
    assert len(all_runs(glue, w.name)) == 1

    # And still resumable afterwards.
    out = glue.resume_workflow_run(Name=w.name, RunId=rid, NodeIds=[j2])
    assert out["NodeIds"] == [j2]
    w.run(out["RunId"])


def test_running_and_stopped_runs_cannot_be_resumed(glue, unique, scripts):
    slow, gate = scripts.gate("illegal-state")
    w = W1(glue, unique, scripts={"J1": slow}, job_extra={"ExecutionProperty": {"MaxConcurrentRuns": 5}})
    running = w.start()
    run = wait_node(glue, w.name, running, w.job("J1"), "RUNNING")
    j1 = node_id(w, run, "J1")
    e = assert_refused(glue, w, glue.exceptions.IllegalWorkflowStateException, Name=w.name, RunId=running, NodeIds=[j1])
    assert "RUNNING" in e.value.response["Error"]["Message"]

    stopped = w.start()
    wait_node(glue, w.name, stopped, w.job("J1"), "RUNNING")
    glue.stop_workflow_run(Name=w.name, RunId=stopped)
    wait_run(glue, w.name, stopped, status="STOPPED")
    assert_refused(glue, w, glue.exceptions.IllegalWorkflowStateException, Name=w.name, RunId=stopped, NodeIds=[j1])

    gate.open()
    wait_run(glue, w.name, running)


def test_resume_over_max_concurrent_runs(glue, unique, endpoint, scripts):
    w, original = failed_w1(glue, unique, endpoint, max_concurrent_runs=1)
    rid = original["WorkflowRunId"]
    j2 = node_id(w, original, "J2")
    slow, gate = scripts.gate("mcr-resume")
    update_job(glue, w.job("J1"), slow)
    blocking = w.start()
    e = assert_refused(glue, w, glue.exceptions.ConcurrentRunsExceededException, Name=w.name, RunId=rid, NodeIds=[j2])
    assert e.value.response["Error"]["Message"] == f"Concurrent runs exceeded for workflow: {w.name}."
    gate.open()
    wait_run(glue, w.name, blocking)
    out = glue.resume_workflow_run(Name=w.name, RunId=rid, NodeIds=[j2])
    # While the resumed run runs, it counts against MaxConcurrentRuns too.
    w.run(out["RunId"])


# --------------------------------------------------------------------------
# resuming again
# --------------------------------------------------------------------------


def test_resume_a_resumed_run(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint)
    inject(endpoint, job=w.job("J3"), state="FAILED", message="J3 still broken")
    ids = [node_id(w, original, "J2"), node_id(w, original, "J3")]
    first = glue.resume_workflow_run(Name=w.name, RunId=original["WorkflowRunId"], NodeIds=ids)["RunId"]
    r1 = w.run(first)
    assert (node_state(w.node(r1, "J2")), node_state(w.node(r1, "J4"))) == ("SUCCEEDED", "SUCCEEDED")
    assert (node_state(w.node(r1, "J3")), node_state(w.node(r1, "J5"))) == ("FAILED", None)

    # Node ids read from the original work on the resumed run: they are stable.
    out = glue.resume_workflow_run(Name=w.name, RunId=first, NodeIds=[node_id(w, original, "J3")])
    r2 = w.run(out["RunId"])
    assert r2["PreviousRunId"] == first and r1["PreviousRunId"] == original["WorkflowRunId"]
    assert {j: node_state(w.node(r2, j)) for j in w.jobs} == {j: "SUCCEEDED" for j in w.jobs}
    # Copied from the run it resumed: J1 (itself copied from the original), J2 and J4 of the first resume.
    assert job_runs(w.node(r2, "J1"))[0]["Id"] == job_runs(w.node(original, "J1"))[0]["Id"]
    for j in ("J2", "J4"):
        assert job_runs(w.node(r2, j)) == job_runs(w.node(r1, j))
    assert stats(r2, "total", "succeeded") == {"total": 2, "succeeded": 2}
    chain = [(r["WorkflowRunId"], r.get("PreviousRunId")) for r in all_runs(glue, w.name)]
    assert chain == [
        (out["RunId"], first),
        (first, original["WorkflowRunId"]),
        (original["WorkflowRunId"], None),
    ]


def test_resume_the_same_run_twice(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint)
    rid = original["WorkflowRunId"]
    a = glue.resume_workflow_run(Name=w.name, RunId=rid, NodeIds=[node_id(w, original, "J2")])["RunId"]
    b = glue.resume_workflow_run(Name=w.name, RunId=rid, NodeIds=[node_id(w, original, "J3")])["RunId"]
    assert a != b
    ra, rb = w.run(a), w.run(b)
    assert ra["PreviousRunId"] == rid and rb["PreviousRunId"] == rid
    # Each copies from the original, not from the other resume.
    assert (node_state(w.node(ra, "J2")), node_state(w.node(ra, "J3"))) == ("SUCCEEDED", "FAILED")
    assert (node_state(w.node(rb, "J2")), node_state(w.node(rb, "J3"))) == ("FAILED", "SUCCEEDED")
    assert job_runs(w.node(rb, "J2")) == job_runs(w.node(original, "J2"))
    assert len(all_runs(glue, w.name)) == 3


def test_and_join_with_a_copied_parent_fires(glue, unique, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    j1, j2, j3 = (create_job(glue, unique(n)) for n in ("j1", "j2", "j3"))
    on_demand(glue, unique("t1"), wf, j1, j2)
    conditional(glue, unique("t2"), wf, [(j1, "SUCCEEDED"), (j2, "SUCCEEDED")], [j3], logical="AND")
    inject(endpoint, job=j2, state="FAILED")
    original = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(original)
    assert (node_state(nodes[j1]), node_state(nodes[j2]), node_state(nodes[j3])) == ("SUCCEEDED", "FAILED", None)

    out = glue.resume_workflow_run(Name=wf, RunId=original["WorkflowRunId"], NodeIds=[nodes[j2]["UniqueId"]])
    run = wait_run(glue, wf, out["RunId"])
    rn = nodes_by_name(run)
    assert job_runs(rn[j1]) == job_runs(nodes[j1]), "J1 is copied"
    assert node_state(rn[j2]) == "SUCCEEDED"
    assert node_state(rn[j3]) == "SUCCEEDED", "the AND join counts the copied J1"
    assert stats(run, "total", "succeeded") == {"total": 2, "succeeded": 2}


def test_resumed_run_starts_with_the_originals_final_properties(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint)
    rid = original["WorkflowRunId"]
    glue.update_workflow(Name=w.name, DefaultRunProperties={"default": "changed"})
    glue.put_workflow_run_properties(Name=w.name, RunId=rid, RunProperties={"stage": "2", "fixed": "no"})
    final = glue.get_workflow_run_properties(Name=w.name, RunId=rid)["RunProperties"]
    assert final == {"stage": "2", "fixed": "no"}
    out = glue.resume_workflow_run(Name=w.name, RunId=rid, NodeIds=[node_id(w, original, "J2")])
    assert glue.get_workflow_run_properties(Name=w.name, RunId=out["RunId"])["RunProperties"] == final
    glue.put_workflow_run_properties(Name=w.name, RunId=out["RunId"], RunProperties={"fixed": "yes"})
    run = w.run(out["RunId"])
    assert run["WorkflowRunProperties"] == {"stage": "2", "fixed": "yes"}
    assert glue.get_workflow_run_properties(Name=w.name, RunId=rid)["RunProperties"] == final


def test_job_fixed_by_editing_its_local_script(glue, unique, scripts):
    location = scripts.fail("j2.py", message="typo in j2")
    w = W1(glue, unique, scripts={"J2": location})
    original = w.run(w.start())
    assert "typo in j2" in job_runs(w.node(original, "J2"))[0]["ErrorMessage"]
    assert node_state(w.node(original, "J5")) == "SUCCEEDED"
    scripts.write("j2.py", "print('typo fixed')\n")  # same ScriptLocation, new content
    out = glue.resume_workflow_run(Name=w.name, RunId=original["WorkflowRunId"], NodeIds=[node_id(w, original, "J2")])
    run = w.run(out["RunId"])
    assert node_state(w.node(run, "J2")) == "SUCCEEDED" and node_state(w.node(run, "J4")) == "SUCCEEDED"


def test_resume_from_a_crawler_node(glue, unique, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    crawler = unique("crawler")
    glue.create_crawler(Name=crawler, Role="arn:aws:iam::123456789012:role/r",
                        Targets={"S3Targets": [{"Path": "s3://b/p/"}]})
    j1, j2 = create_job(glue, unique("j1")), create_job(glue, unique("j2"))
    on_demand(glue, unique("t1"), wf, j1)
    conditional(glue, unique("t2"), wf, [(j1, "SUCCEEDED")], ["crawler:" + crawler])
    conditional(glue, unique("t3"), wf, [("crawler:" + crawler, "SUCCEEDED")], [j2])
    inject(endpoint, crawler=crawler, state="FAILED")
    original = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    nodes = nodes_by_name(original)
    assert node_state(nodes[crawler]) == "FAILED" and node_state(nodes[j2]) is None
    out = glue.resume_workflow_run(Name=wf, RunId=original["WorkflowRunId"], NodeIds=[nodes[crawler]["UniqueId"]])
    assert out["NodeIds"] == [nodes[crawler]["UniqueId"]]
    run = wait_run(glue, wf, out["RunId"])
    rn = nodes_by_name(run)
    assert [c["State"] for c in rn[crawler]["CrawlerDetails"]["Crawls"]] == ["SUCCEEDED"]
    assert node_state(rn[j2]) == "SUCCEEDED"
    assert job_runs(rn[j1]) == job_runs(nodes[j1])


def test_resumed_run_keeps_the_originals_trigger_snapshot(glue, unique, endpoint):
    w, original = failed_w1(glue, unique, endpoint, fail=("J2",))
    extra = create_job(glue, unique("extra"))
    glue.update_trigger(
        Name=w.triggers["T4"],
        TriggerUpdate={"Actions": [{"JobName": extra}], "Predicate": {"Conditions": [
            {"LogicalOperator": "EQUALS", "JobName": w.job("J2"), "State": "SUCCEEDED"}]}},
    )
    out = glue.resume_workflow_run(Name=w.name, RunId=original["WorkflowRunId"], NodeIds=[node_id(w, original, "J2")])
    run = w.run(out["RunId"])
    assert node_state(w.node(run, "J4")) == "SUCCEEDED"
    assert extra not in nodes_by_name(run)
    assert glue.get_job_runs(JobName=extra)["JobRuns"] == []


def test_restarted_node_keeps_its_trigger_action_arguments(glue, unique, endpoint):
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    j1, j2 = create_job(glue, unique("j1")), create_job(glue, unique("j2"))
    on_demand(glue, unique("t1"), wf, j1)
    t2 = unique("t2")
    glue.create_trigger(
        Name=t2, WorkflowName=wf, Type="CONDITIONAL", StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": j1, "State": "SUCCEEDED"}]},
        Actions=[{"JobName": j2, "Arguments": {"--table": "orders"}, "Timeout": 9}],
    )
    inject(endpoint, job=j2, state="FAILED")
    original = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    node = nodes_by_name(original)[j2]
    out = glue.resume_workflow_run(Name=wf, RunId=original["WorkflowRunId"], NodeIds=[node["UniqueId"]])
    run = wait_run(glue, wf, out["RunId"])
    r = job_runs(nodes_by_name(run)[j2])[0]
    assert r["JobRunState"] == "SUCCEEDED"
    assert r["TriggerName"] == t2 and r["Timeout"] == 9
    assert r["Arguments"] == {"--table": "orders", "--WORKFLOW_NAME": wf, "--WORKFLOW_RUN_ID": out["RunId"]}
