"""Workflows: CreateWorkflow, GetWorkflow (with its graph), UpdateWorkflow, DeleteWorkflow,
ListWorkflows, BatchGetWorkflows."""

import datetime as dt

import pytest

from glue_resources import NODE_ID, res, walk  # noqa: F401


def test_create_get_round_trip(glue, res):
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    name = res.workflow(Description="nightly load", DefaultRunProperties={"env": "test", "k": "v"}, MaxConcurrentRuns=3)
    w = glue.get_workflow(Name=name)["Workflow"]
    assert w["Name"] == name
    assert w["Description"] == "nightly load"
    assert w["DefaultRunProperties"] == {"env": "test", "k": "v"}
    assert w["MaxConcurrentRuns"] == 3
    assert before <= w["CreatedOn"] <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)
    assert w["LastModifiedOn"] >= w["CreatedOn"]
    assert "Graph" not in w, "GetWorkflow without IncludeGraph must not return the graph"
    assert "LastRun" not in w, "a workflow that never ran has no LastRun"


def test_create_existing_is_already_exists(glue, res):
    name = res.workflow(Description="first")
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_workflow(Name=name, Description="second")
    assert glue.get_workflow(Name=name)["Workflow"]["Description"] == "first"


def test_update_changes_only_members_given(glue, res):
    name = res.workflow(Description="before", DefaultRunProperties={"a": "1"}, MaxConcurrentRuns=2)
    created = glue.get_workflow(Name=name)["Workflow"]
    assert glue.update_workflow(Name=name, Description="after")["Name"] == name
    w = glue.get_workflow(Name=name)["Workflow"]
    assert w["Description"] == "after"
    assert w["DefaultRunProperties"] == {"a": "1"}
    assert w["MaxConcurrentRuns"] == 2
    assert w["CreatedOn"] == created["CreatedOn"]
    assert w["LastModifiedOn"] >= created["LastModifiedOn"]

    glue.update_workflow(Name=name, DefaultRunProperties={"b": "2"}, MaxConcurrentRuns=5)
    w = glue.get_workflow(Name=name)["Workflow"]
    assert w["Description"] == "after"
    assert w["DefaultRunProperties"] == {"b": "2"}
    assert w["MaxConcurrentRuns"] == 5


def test_get_and_update_missing_are_entity_not_found(glue, unique):
    name = unique("wf-missing")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow(Name=name, IncludeGraph=True)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_workflow(Name=name, Description="x")
    # UpdateWorkflow did not create it.
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow(Name=name)


def test_delete_then_get_is_not_found_and_delete_missing_succeeds(glue, res, unique):
    name = res.workflow()
    out = glue.delete_workflow(Name=name)
    out.pop("ResponseMetadata")
    assert out == {"Name": name}
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow(Name=name)
    missing = unique("wf-missing")
    assert glue.delete_workflow(Name=missing)["Name"] == missing
    # The name is free again.
    assert glue.create_workflow(Name=name)["Name"] == name


def test_delete_removes_triggers_but_keeps_jobs_and_crawlers(glue, res):
    wf = res.workflow()
    job1, job2, crawler = res.job(), res.job(), res.crawler()
    start = res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job1}, {"CrawlerName": crawler}])
    then = res.trigger(
        WorkflowName=wf,
        Type="CONDITIONAL",
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": job1, "State": "SUCCEEDED"}]},
        Actions=[{"JobName": job2}],
    )
    outside = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job2}])

    glue.delete_workflow(Name=wf)

    for t in (start, then):
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_trigger(Name=t)
    batch = glue.batch_get_triggers(TriggerNames=[start, then, outside])
    assert sorted(batch["TriggersNotFound"]) == sorted([start, then])
    assert [t["Name"] for t in batch["Triggers"]] == [outside]
    assert glue.get_job(JobName=job1)["Job"]["Name"] == job1
    assert glue.get_job(JobName=job2)["Job"]["Name"] == job2
    assert glue.get_crawler(Name=crawler)["Crawler"]["Name"] == crawler
    # A new workflow of the same name starts empty.
    glue.create_workflow(Name=wf)
    graph = glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"].get("Graph", {})
    assert graph.get("Nodes", []) == [] and graph.get("Edges", []) == []


def test_last_run_and_delete_removes_runs(glue, res, wait_until):
    wf = res.workflow()
    job = res.job()
    res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    wait_until(lambda: glue.get_workflow_run(Name=wf, RunId=run_id)["Run"]["Status"] == "COMPLETED")
    last = glue.get_workflow(Name=wf)["Workflow"]["LastRun"]
    assert (last["WorkflowRunId"], last["Name"], last["Status"]) == (run_id, wf, "COMPLETED")
    assert "Graph" not in last
    with_graph = glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["LastRun"]
    assert {n["Name"] for n in with_graph["Graph"]["Nodes"]} >= {job}

    glue.delete_workflow(Name=wf)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow_run(Name=wf, RunId=run_id)
    glue.create_workflow(Name=wf)
    assert "LastRun" not in glue.get_workflow(Name=wf)["Workflow"]
    assert not glue.get_workflow_runs(Name=wf).get("Runs")
    assert glue.get_job(JobName=job)["Job"]["Name"] == job


def test_list_workflows_includes_created(glue, res):
    names = [res.workflow() for _ in range(3)]
    listed, _ = walk(glue.list_workflows, "Workflows")
    assert set(names) <= set(listed)
    assert len(listed) == len(set(listed))
    assert listed == sorted(listed), "ListWorkflows returns names in name order"
    glue.delete_workflow(Name=names[0])
    listed, _ = walk(glue.list_workflows, "Workflows")
    assert names[0] not in listed and set(names[1:]) <= set(listed)


def test_batch_get_workflows_reports_missing(glue, res, unique):
    a = res.workflow(Description="A")
    b = res.workflow(Description="B")
    missing = unique("wf-missing")
    out = glue.batch_get_workflows(Names=[a, missing, b])
    assert {w["Name"]: w.get("Description") for w in out["Workflows"]} == {a: "A", b: "B"}
    assert out["MissingWorkflows"] == [missing]
    assert all("Graph" not in w for w in out["Workflows"])


def _graph_workflow(res):
    """wf: T1 (ON_DEMAND) → J1, C1; T2 (CONDITIONAL, J1 AND C1 succeeded) → J2."""
    wf = res.workflow()
    j1, j2, c1 = res.job(), res.job(), res.crawler()
    t1 = res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": j1}, {"CrawlerName": c1}])
    t2 = res.trigger(
        WorkflowName=wf,
        Type="CONDITIONAL",
        Predicate={
            "Logical": "AND",
            "Conditions": [
                {"LogicalOperator": "EQUALS", "JobName": j1, "State": "SUCCEEDED"},
                {"LogicalOperator": "EQUALS", "CrawlerName": c1, "CrawlState": "SUCCEEDED"},
            ],
        },
        Actions=[{"JobName": j2}],
    )
    return wf, dict(t1=t1, t2=t2, j1=j1, j2=j2, c1=c1)


def _check_graph(graph, n):
    nodes = graph["Nodes"]
    by_name = {(node["Type"], node["Name"]): node for node in nodes}
    expected = {
        ("TRIGGER", n["t1"]),
        ("TRIGGER", n["t2"]),
        ("JOB", n["j1"]),
        ("JOB", n["j2"]),
        ("CRAWLER", n["c1"]),
    }
    assert set(by_name) == expected and len(nodes) == 5, [(x["Type"], x["Name"]) for x in nodes]
    ids = [node["UniqueId"] for node in nodes]
    assert all(NODE_ID.match(i) for i in ids), ids
    assert len(set(ids)) == 5, "UniqueIds must differ"
    uid = {key: by_name[key]["UniqueId"] for key in by_name}
    # Trigger nodes carry their trigger.
    for key in (("TRIGGER", n["t1"]), ("TRIGGER", n["t2"])):
        assert by_name[key]["TriggerDetails"]["Trigger"]["Name"] == key[1]
    assert by_name[("TRIGGER", n["t1"])]["TriggerDetails"]["Trigger"]["Type"] == "ON_DEMAND"
    assert by_name[("TRIGGER", n["t2"])]["TriggerDetails"]["Trigger"]["Type"] == "CONDITIONAL"
    edges = {(e["SourceId"], e["DestinationId"]) for e in graph["Edges"]}
    assert len(graph["Edges"]) == len(edges), "duplicate edges"
    expected_edges = {
        (uid[("TRIGGER", n["t1"])], uid[("JOB", n["j1"])]),
        (uid[("TRIGGER", n["t1"])], uid[("CRAWLER", n["c1"])]),
        (uid[("JOB", n["j1"])], uid[("TRIGGER", n["t2"])]),
        (uid[("CRAWLER", n["c1"])], uid[("TRIGGER", n["t2"])]),
        (uid[("TRIGGER", n["t2"])], uid[("JOB", n["j2"])]),
    }
    assert edges == expected_edges
    return uid


def test_get_workflow_include_graph(glue, res):
    wf, n = _graph_workflow(res)
    first = _check_graph(glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"], n)
    second = _check_graph(glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"], n)
    assert first == second, "UniqueIds must be stable across calls"
    assert "Graph" not in glue.get_workflow(Name=wf, IncludeGraph=False)["Workflow"]


def test_graph_follows_trigger_changes(glue, res):
    wf, n = _graph_workflow(res)
    before = _check_graph(glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"], n)
    j3 = res.job()
    glue.update_trigger(Name=n["t2"], TriggerUpdate={"Actions": [{"JobName": j3}]})
    graph = glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"]
    names = {(x["Type"], x["Name"]): x["UniqueId"] for x in graph["Nodes"]}
    assert ("JOB", j3) in names and ("JOB", n["j2"]) not in names
    # Nodes that stayed keep their ids.
    for key in (("TRIGGER", n["t1"]), ("TRIGGER", n["t2"]), ("JOB", n["j1"]), ("CRAWLER", n["c1"])):
        assert names[key] == before[key]
    assert (names[("TRIGGER", n["t2"])], names[("JOB", j3)]) in {(e["SourceId"], e["DestinationId"]) for e in graph["Edges"]}


def test_batch_get_workflows_include_graph(glue, res, unique):
    wf, n = _graph_workflow(res)
    other = res.workflow()
    missing = unique("wf-missing")
    out = glue.batch_get_workflows(Names=[wf, missing, other], IncludeGraph=True)
    assert out["MissingWorkflows"] == [missing]
    got = {w["Name"]: w for w in out["Workflows"]}
    assert set(got) == {wf, other}
    uid = _check_graph(got[wf]["Graph"], n)
    single = _check_graph(glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"], n)
    assert uid == single, "BatchGetWorkflows and GetWorkflow must show the same node ids"
    other_graph = got[other].get("Graph", {})
    assert other_graph.get("Nodes", []) == [] and other_graph.get("Edges", []) == []


def test_node_ids_differ_between_workflows(glue, res):
    """The same job in two workflows is two nodes with different ids."""
    job = res.job()
    ids = []
    for _ in range(2):
        wf = res.workflow()
        res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
        graph = glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"]
        ids.append({x["UniqueId"] for x in graph["Nodes"] if x["Type"] == "JOB"})
    assert len(ids[0]) == 1 and ids[0].isdisjoint(ids[1])


def test_cli_workflow_happy_and_error_paths(aws_cli, glue, unique):
    name = unique("wf-cli")
    out = aws_cli("glue", "create-workflow", "--name", name, "--description", "from the CLI",
                  "--default-run-properties", "stage=1")
    assert out.json == {"Name": name}
    try:
        again = aws_cli("glue", "create-workflow", "--name", name, expect_ok=False)
        assert again.returncode != 0 and "AlreadyExistsException" in again.stderr, again
        got = aws_cli("glue", "get-workflow", "--name", name, "--include-graph").json["Workflow"]
        assert got["Description"] == "from the CLI" and got["DefaultRunProperties"] == {"stage": "1"}
        assert aws_cli("glue", "update-workflow", "--name", name, "--description", "changed").json == {"Name": name}
        assert glue.get_workflow(Name=name)["Workflow"]["Description"] == "changed"
        batch = aws_cli("glue", "batch-get-workflows", "--names", name, unique("wf-missing")).json
        assert [w["Name"] for w in batch["Workflows"]] == [name] and len(batch["MissingWorkflows"]) == 1
        listed = aws_cli("glue", "list-workflows").json["Workflows"]  # the CLI follows NextToken itself
        assert name in listed
    finally:
        assert aws_cli("glue", "delete-workflow", "--name", name).json == {"Name": name}
    missing = aws_cli("glue", "update-workflow", "--name", name, "--description", "x", expect_ok=False)
    assert missing.returncode != 0 and "EntityNotFoundException" in missing.stderr, missing
