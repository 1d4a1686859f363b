"""Durable state (--state-dir): acknowledged changes survive SIGKILL, runs in progress
come back settled and resumable, a torn journal tail is dropped, corruption stops start-up.

Each test runs its own glue-local on a state folder of its own."""

import signal
import threading
import time

import pytest

import gluelocal
from workflows_util import all_workflows


def start(state_dir, log, *extra):
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state_dir), *extra], log_path=log)
    srv.start()
    return srv


def glue_for(srv):
    return gluelocal.make_glue_client(srv.endpoint)


def kill9(srv):
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(timeout=10)
    srv.stop()


def test_acknowledged_writes_survive_sigkill(tmp_path, unique):
    srv = start(tmp_path / "state", tmp_path / "server.log")
    glue = glue_for(srv)
    prefix = unique("wf")
    acknowledged, stop = [], threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            name = f"{prefix}-{i:05d}"
            try:
                glue.create_workflow(Name=name, DefaultRunProperties={"i": str(i)})
            except Exception:
                return  # the server died mid-stream
            acknowledged.append(name)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    gluelocal.wait_until(lambda: len(acknowledged) >= 200, timeout=30)
    kill9(srv)  # in the middle of the stream
    stop.set()
    thread.join(timeout=30)
    assert len(acknowledged) >= 200

    srv = start(tmp_path / "state", tmp_path / "server2.log")
    try:
        glue = glue_for(srv)
        present = set(all_workflows(glue))
        missing = [n for n in acknowledged if n not in present]
        assert not missing, f"{len(missing)} acknowledged workflows lost, e.g. {missing[:3]}"
        last = acknowledged[-1]
        assert glue.get_workflow(Name=last)["Workflow"]["DefaultRunProperties"] == {"i": str(len(acknowledged) - 1)}
    finally:
        srv.stop()


def test_runs_and_graphs_survive_restart_and_in_progress_runs_come_back_resumable(tmp_path, unique):
    gate = tmp_path / "gate"
    script = tmp_path / "wait.sh"
    script.write_text(f'i=0; while [ ! -e "{gate}" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n')
    srv = start(tmp_path / "state", tmp_path / "server.log", "--scripts-dir", str(tmp_path))
    glue = glue_for(srv)
    wf, j1, j2 = unique("wf"), unique("j1"), unique("j2")
    glue.create_job(Name=j1, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    glue.create_job(Name=j2, Role="r", Command={"Name": "pythonshell", "ScriptLocation": f"file://{script}"})
    glue.create_workflow(Name=wf, DefaultRunProperties={"a": "1"})
    glue.create_trigger(Name=unique("t1"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": j1}])
    glue.create_trigger(
        Name=unique("t2"), WorkflowName=wf, Type="CONDITIONAL", StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": j1, "State": "SUCCEEDED"}]},
        Actions=[{"JobName": j2}],
    )
    run_id = glue.start_workflow_run(Name=wf)["RunId"]

    def j2_running():
        nodes = glue.get_workflow_run(Name=wf, RunId=run_id, IncludeGraph=True)["Run"]["Graph"]["Nodes"]
        node = next(n for n in nodes if n["Name"] == j2)
        runs = node.get("JobDetails", {}).get("JobRuns", [])
        return runs and runs[0]["JobRunState"] == "RUNNING"

    gluelocal.wait_until(j2_running, timeout=20)
    before = glue.get_workflow_run(Name=wf, RunId=run_id, IncludeGraph=True)["Run"]
    kill9(srv)

    srv = start(tmp_path / "state", tmp_path / "server2.log", "--scripts-dir", str(tmp_path))
    try:
        glue = glue_for(srv)
        run = glue.get_workflow_run(Name=wf, RunId=run_id, IncludeGraph=True)["Run"]
        assert run["Status"] == "COMPLETED"
        assert "stopped" in run.get("ErrorMessage", "")
        nodes = {n["Name"]: n for n in run["Graph"]["Nodes"]}
        j1_before = next(n for n in before["Graph"]["Nodes"] if n["Name"] == j1)
        assert nodes[j1]["JobDetails"]["JobRuns"][0]["Id"] == j1_before["JobDetails"]["JobRuns"][0]["Id"]
        assert nodes[j1]["JobDetails"]["JobRuns"][0]["JobRunState"] == "SUCCEEDED"
        interrupted = nodes[j2]["JobDetails"]["JobRuns"][0]
        assert interrupted["JobRunState"] == "ERROR" and "glue-local stopped" in interrupted["ErrorMessage"]
        assert run["WorkflowRunProperties"] == {"a": "1"}
        assert glue.get_job_run(JobName=j2, RunId=interrupted["Id"])["JobRun"]["JobRunState"] == "ERROR"

        gate.write_text("open")  # the "fix"
        resumed = glue.resume_workflow_run(Name=wf, RunId=run_id, NodeIds=[nodes[j2]["UniqueId"]])
        new = gluelocal.wait_until(
            lambda: (r := glue.get_workflow_run(Name=wf, RunId=resumed["RunId"])["Run"])["Status"] == "COMPLETED" and r,
            timeout=20,
        )
        assert new["PreviousRunId"] == run_id
        assert new["Statistics"]["SucceededActions"] == 1, (new["Statistics"], glue.get_workflow_run(Name=wf, RunId=resumed["RunId"], IncludeGraph=True)["Run"]["Graph"]["Nodes"])
    finally:
        srv.stop()


def test_torn_tail_is_dropped_and_corruption_stops_start_up(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log")
    glue = glue_for(srv)
    kept = unique("wf")
    glue.create_workflow(Name=kept)
    kill9(srv)

    journal = state / "journal"
    with open(journal, "ab") as f:
        f.write(b"\x40\x00\x00\x00\x01\x02")  # half a record header: a torn append
    srv = start(state, tmp_path / "server2.log")
    try:
        assert glue_for(srv).get_workflow(Name=kept)["Workflow"]["Name"] == kept
        glue_for(srv).create_workflow(Name=kept + "-2")
        glue_for(srv).create_workflow(Name=kept + "-3")
    finally:
        kill9(srv)
    log = (tmp_path / "server2.log").read_text()
    assert "torn" in log

    # Damage a record that is not the last one (the first after the restart's compaction):
    # start-up must refuse and leave the files alone.
    data = bytearray(journal.read_bytes())
    assert len(data) > 40
    data[20] ^= 0xFF
    journal.write_bytes(bytes(data))
    snapshot_before = (state / "snapshot.json").read_bytes()
    bad = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=tmp_path / "server3.log")
    with pytest.raises(RuntimeError) as info:
        bad.start(timeout=10)
    assert "corrupt" in str(info.value) or "journal" in str(info.value)
    assert journal.read_bytes() == bytes(data)
    assert (state / "snapshot.json").read_bytes() == snapshot_before


def test_sigterm_exits_cleanly_and_quickly(tmp_path, unique):
    srv = start(tmp_path / "state", tmp_path / "server.log")
    glue = glue_for(srv)
    name = unique("wf")
    glue.create_workflow(Name=name)
    began = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=10) == 0
    assert time.monotonic() - began < 10
    srv.stop()
    srv = start(tmp_path / "state", tmp_path / "server2.log")
    try:
        assert glue_for(srv).get_workflow(Name=name)["Workflow"]["Name"] == name
    finally:
        srv.stop()
