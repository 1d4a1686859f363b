"""EVENT triggers that fire: events delivered to a workflow (POST /_glue_local/events,
EventBridge's PutEvents through rules, files created under --s3-dir) are batched by the
trigger's EventBatchingCondition and start runs that carry StartingEventBatchCondition and
the batch's event ids in the run property aws:eventIds.

One server of its own at --time-scale 1000 (a 900 s window lasts 0.9 s) with an --s3-dir;
its simulated jobs take 2 s, so that a run is still going when the next event comes."""

import contextlib
import json

import pytest

import gluelocal


@pytest.fixture(scope="module")
def s3_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("s3")


@pytest.fixture(scope="module")
def server(s3_dir, tmp_path_factory):
    srv = gluelocal.LocalServer(
        extra_args=["--time-scale", "1000", "--s3-dir", str(s3_dir), "--job-duration", "2s"],
        log_path=tmp_path_factory.mktemp("events-log") / "server.log",
    )
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def glue(server):
    return gluelocal.make_glue_client(server.endpoint)


@pytest.fixture(scope="module")
def raw(server):
    client = gluelocal.RawClient(server.endpoint)
    yield client
    client.close()


def post_event(raw, workflow, event_id=None, status=200):
    body = {"workflowName": workflow, **({"eventId": event_id} if event_id else {})}
    resp = raw("POST", "/_glue_local/events", [("Content-Type", "application/json")], json.dumps(body))
    assert resp.status == status, resp.describe()
    return resp.json


def event_workflow(glue, unique, batching=None, max_runs=None, start=True):
    """A workflow W started by an EVENT trigger running job J; returns (W, trigger)."""
    job = unique("job")
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"},
                    ExecutionProperty={"MaxConcurrentRuns": 10})
    wf = unique("wf")
    glue.create_workflow(Name=wf, **({"MaxConcurrentRuns": max_runs} if max_runs else {}))
    trigger = unique("event")
    glue.create_trigger(Name=trigger, WorkflowName=wf, Type="EVENT", StartOnCreation=start,
                        Actions=[{"JobName": job}], **({"EventBatchingCondition": batching} if batching else {}))
    return wf, trigger


def runs_of(glue, wf):
    return glue.get_workflow_runs(Name=wf, IncludeGraph=True)["Runs"]


def test_one_event_starts_a_run_by_default(glue, raw, unique, wait_until):
    wf, trigger = event_workflow(glue, unique)
    answer = post_event(raw, wf, "ev-1")
    assert answer["delivery"] == "started" and answer["trigger"] == trigger, answer
    run = glue.get_workflow_run(Name=wf, RunId=answer["runId"], IncludeGraph=True)["Run"]
    assert run["StartingEventBatchCondition"] == {"BatchSize": 1}
    assert run["WorkflowRunProperties"]["aws:eventIds"] == "[ev-1]"
    props = glue.get_workflow_run_properties(Name=wf, RunId=answer["runId"])["RunProperties"]
    assert props["aws:eventIds"][1:-1] == "ev-1"  # how scripts written for AWS read it
    node = next(n for n in run["Graph"]["Nodes"] if n["Type"] == "TRIGGER")
    assert node["TriggerDetails"]["Trigger"]["Type"] == "EVENT" and node["Name"] == trigger
    # a run started otherwise has no batch condition
    other = glue.start_workflow_run(Name=wf)["RunId"]
    assert "StartingEventBatchCondition" not in glue.get_workflow_run(Name=wf, RunId=other)["Run"]


def test_batch_size_starts_the_run_and_resets(glue, raw, unique):
    wf, _ = event_workflow(glue, unique, batching={"BatchSize": 3, "BatchWindow": 900})
    assert post_event(raw, wf, "a")["pending"] == 1
    assert post_event(raw, wf, "a")["pending"] == 2  # no de-duplication
    answer = post_event(raw, wf, "b")
    assert answer["delivery"] == "started", answer
    run = glue.get_workflow_run(Name=wf, RunId=answer["runId"])["Run"]
    assert run["StartingEventBatchCondition"] == {"BatchSize": 3}
    assert run["WorkflowRunProperties"]["aws:eventIds"] == "[a, a, b]"
    assert post_event(raw, wf, "c") == {"eventId": "c", "delivery": "batched", "trigger": answer["trigger"],
                                        "pending": 1}
    assert len(runs_of(glue, wf)) == 1


def test_batch_window_starts_the_run_with_what_came(glue, raw, unique, wait_until):
    # 5 s of Glue time at --time-scale 1000: 5 ms after the first event
    wf, _ = event_workflow(glue, unique, batching={"BatchSize": 50, "BatchWindow": 5})
    generated = post_event(raw, wf)["eventId"]
    runs = wait_until(lambda: runs_of(glue, wf))
    assert runs[0]["StartingEventBatchCondition"] == {"BatchWindow": 5}
    assert runs[0]["WorkflowRunProperties"]["aws:eventIds"] == f"[{generated}]"


def test_over_max_concurrent_runs_the_start_is_an_error_run_not_retried(glue, raw, unique, wait_until):
    job = unique("slow")
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    wf, trigger = unique("wf"), unique("event")
    glue.create_workflow(Name=wf, MaxConcurrentRuns=1)
    glue.create_trigger(Name=trigger, WorkflowName=wf, Type="EVENT", StartOnCreation=True, Actions=[{"JobName": job}])
    assert post_event(raw, wf, "e1")["delivery"] == "started"
    # while its job runs (--job-duration 2s), the next event's start is refused
    second = post_event(raw, wf, "e2")
    assert second == {"eventId": "e2", "delivery": "notStarted", "trigger": trigger,
                      "message": f"Concurrent runs exceeded for workflow: {wf}."}
    runs = runs_of(glue, wf)
    assert [r["Status"] for r in runs][0] == "ERROR"
    assert runs[0]["ErrorMessage"] == f"Concurrent runs exceeded for workflow: {wf}."


def test_a_trigger_that_is_not_activated_ignores_events(glue, raw, unique):
    wf, trigger = event_workflow(glue, unique, start=False)
    answer = post_event(raw, wf, "x")
    assert answer["delivery"] == "ignored" and "CREATED" in answer["message"], answer
    glue.start_trigger(Name=trigger)
    assert post_event(raw, wf, "y")["delivery"] == "started"
    glue.stop_trigger(Name=trigger)
    assert post_event(raw, wf, "z")["delivery"] == "ignored"
    assert len(runs_of(glue, wf)) == 1
    assert "no EVENT trigger" in post_event(raw, event_workflow_without_trigger(glue, unique), "w")["message"]
    assert "not found" in post_event(raw, unique("missing"), status=404)["error"]


def event_workflow_without_trigger(glue, unique):
    wf = unique("bare")
    glue.create_workflow(Name=wf)
    return wf


@contextlib.contextmanager
def durable_server(state, log):
    """A server of its own on `state`; yields (glue, raw) clients."""
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=log)
    srv.start()
    client = gluelocal.RawClient(srv.endpoint)
    try:
        yield gluelocal.make_glue_client(srv.endpoint), client
    finally:
        client.close()
        srv.stop()


def test_event_runs_survive_a_restart(tmp_path, unique):
    state, log = tmp_path / "state", tmp_path / "server.log"
    with durable_server(state, log) as (glue, client):
        wf, _ = event_workflow(glue, unique, batching={"BatchSize": 2})
        post_event(client, wf, "k1")
        run_id = post_event(client, wf, "k2")["runId"]
        post_event(client, wf, "k3")  # pending: memory only
    with durable_server(state, log) as (glue, client):
        run = glue.get_workflow_run(Name=wf, RunId=run_id)["Run"]
        assert run["StartingEventBatchCondition"] == {"BatchSize": 2}
        assert run["WorkflowRunProperties"]["aws:eventIds"] == "[k1, k2]"
        assert post_event(client, wf, "k4")["pending"] == 1, "the pending batch was lost with the restart"
