"""Quotas: AWS Glue's defaults where they bound what a caller can make the server hold
or evaluate (README, "Quotas"). At each limit the call is accepted; one more is refused
with AWS's error and nothing of it is stored.

  * actions per trigger (50, "Max jobs per trigger") and conditions per trigger (50,
    glue-local's: AWS documents none): one request too big -> InvalidInputException
  * jobs, crawlers, triggers per workflow (100, AWS's "Blueprint and workflow
    restrictions"): ResourceNumberLimitExceededException from CreateTrigger,
    InvalidInputException from UpdateTrigger (AWS's model gives it no other)
  * jobs (2000), triggers, workflows, crawlers (1000 each) per account and region:
    ResourceNumberLimitExceededException, on a server of their own
  * the Data Catalog's databases (10,000), tables per database (200,000) and in all (1,000,000),
    table versions per table (100,000) and in all (1,000,000): ResourceNumberLimitExceededException
  * ``--quota NAME=N`` changes a limit.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import gluelocal
from glue_resources import COMMAND, ROLE, TARGETS, error_message, res  # noqa: F401


def condition(job):
    return {"LogicalOperator": "EQUALS", "JobName": job, "State": "SUCCEEDED"}


def refused(glue, code, call, **kwargs):
    with pytest.raises(glue.exceptions.ClientError) as e:
        call(**kwargs)
    assert e.value.response["Error"]["Code"] == code, e.value.response
    return error_message(e)


def assert_no_trigger(glue, name):
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_trigger(Name=name)


def test_actions_per_trigger(glue, res, unique):
    job = res.job()
    fifty = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}] * 50)
    assert len(glue.get_trigger(Name=fifty)["Trigger"]["Actions"]) == 50

    name = unique("trg")
    message = refused(glue, "InvalidInputException", glue.create_trigger, Name=name, Type="ON_DEMAND", Actions=[{"JobName": job}] * 51)
    assert "51 actions" in message and "at most 50" in message
    assert_no_trigger(glue, name)

    refused(glue, "InvalidInputException", glue.update_trigger, Name=fifty, TriggerUpdate={"Actions": [{"JobName": job}] * 51})
    assert len(glue.get_trigger(Name=fifty)["Trigger"]["Actions"]) == 50


def test_conditions_per_trigger(glue, res, unique):
    watched, started = res.job(), res.job()
    predicate = {"Logical": "ANY", "Conditions": [condition(watched)] * 50}
    fifty = res.trigger(Type="CONDITIONAL", Predicate=predicate, Actions=[{"JobName": started}])
    assert len(glue.get_trigger(Name=fifty)["Trigger"]["Predicate"]["Conditions"]) == 50

    name = unique("trg")
    too_many = {"Logical": "ANY", "Conditions": [condition(watched)] * 51}
    message = refused(
        glue, "InvalidInputException", glue.create_trigger, Name=name, Type="CONDITIONAL", Predicate=too_many, Actions=[{"JobName": started}]
    )
    assert "51 conditions" in message and "at most 50" in message
    assert_no_trigger(glue, name)

    refused(glue, "InvalidInputException", glue.update_trigger, Name=fifty, TriggerUpdate={"Predicate": too_many})
    assert len(glue.get_trigger(Name=fifty)["Trigger"]["Predicate"]["Conditions"]) == 50


def test_nodes_per_workflow(glue, res, unique):
    wf = res.workflow()
    jobs = [res.job() for _ in range(50)]
    # 1 start trigger + 50 jobs + 49 conditional triggers (each J0 -> J1) = 100 nodes.
    res.trigger(Type="ON_DEMAND", WorkflowName=wf, Actions=[{"JobName": j} for j in jobs])
    conditional = {"Type": "CONDITIONAL", "WorkflowName": wf, "Predicate": {"Conditions": [condition(jobs[0])]}, "Actions": [{"JobName": jobs[1]}]}
    last = [res.trigger(**conditional) for _ in range(49)][-1]
    graph = glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"]
    assert len(graph["Nodes"]) == 100

    name = unique("trg")
    message = refused(glue, "ResourceNumberLimitExceededException", glue.create_trigger, Name=name, **conditional)
    assert f"Workflow {wf} would have 101" in message
    assert_no_trigger(glue, name)
    # A change that adds a node to a full workflow: UpdateTrigger's error is InvalidInputException.
    extra = res.job()
    refused(glue, "InvalidInputException", glue.update_trigger, Name=last, TriggerUpdate={"Actions": [{"JobName": extra}]})
    assert glue.get_trigger(Name=last)["Trigger"]["Actions"] == [{"JobName": jobs[1]}]
    assert len(glue.get_workflow(Name=wf, IncludeGraph=True)["Workflow"]["Graph"]["Nodes"]) == 100


def test_cli_refuses_a_trigger_with_too_many_actions(aws_cli, res, unique):
    job = res.job()
    actions = json.dumps([{"JobName": job}] * 51)
    result = aws_cli("glue", "create-trigger", "--name", unique("trg"), "--type", "ON_DEMAND", "--actions", actions, expect_ok=False)
    assert result.returncode != 0 and "InvalidInputException" in result.stderr and "at most 50" in result.stderr


def start(*extra_args, log="server-quotas.log"):
    server = gluelocal.LocalServer(extra_args=extra_args, log_path=gluelocal.ARTIFACTS_DIR / log)
    try:
        server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    return server


@pytest.fixture
def own_server():
    """A server of its own, so the account's counts start from zero."""
    server = start()
    yield server.endpoint
    server.stop()


def fill(create, count):
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(create, range(count)))


@pytest.mark.parametrize(
    "kind,limit",
    [("jobs", 2000), ("triggers", 1000), ("workflows", 1000), ("crawlers", 1000)],
)
def test_resources_per_account(own_server, kind, limit):
    glue = gluelocal.make_glue_client(own_server)
    job = f"{kind}-watched"
    glue.create_job(Name=job, Role=ROLE, Command=COMMAND)
    create = {
        "jobs": lambda i: glue.create_job(Name=f"job-{i}", Role=ROLE, Command=COMMAND),
        "triggers": lambda i: glue.create_trigger(Name=f"trg-{i}", Type="ON_DEMAND", Actions=[{"JobName": job}]),
        "workflows": lambda i: glue.create_workflow(Name=f"wf-{i}"),
        "crawlers": lambda i: glue.create_crawler(Name=f"cr-{i}", Role=ROLE, Targets=TARGETS),
    }[kind]
    # The job above counts against the jobs quota too.
    fill(create, limit - 1 if kind == "jobs" else limit)
    message = refused(glue, "ResourceNumberLimitExceededException", create, i="one-more")
    assert f"already has {limit} {kind}" in message
    listed = {
        "jobs": lambda: glue.get_paginator("list_jobs").paginate().build_full_result()["JobNames"],
        "triggers": lambda: glue.get_paginator("list_triggers").paginate().build_full_result()["TriggerNames"],
        "workflows": lambda: glue.get_paginator("list_workflows").paginate().build_full_result()["Workflows"],
        "crawlers": lambda: _all_crawlers(glue),
    }[kind]()
    assert len([n for n in listed if n != job]) == (limit - 1 if kind == "jobs" else limit)
    assert not any(n.endswith("one-more") for n in listed)
    # Room again once one is deleted.
    {
        "jobs": lambda: glue.delete_job(JobName="job-0"),
        "triggers": lambda: glue.delete_trigger(Name="trg-0"),
        "workflows": lambda: glue.delete_workflow(Name="wf-0"),
        "crawlers": lambda: glue.delete_crawler(Name="cr-0"),
    }[kind]()
    create("again")


def _all_crawlers(glue):
    names, token = [], None
    while True:
        page = glue.list_crawlers(MaxResults=100, **({"NextToken": token} if token else {}))
        names += page["CrawlerNames"]
        token = page.get("NextToken")
        if not token:
            return names


def test_quota_flag_changes_a_limit():
    server = start("--quota", "crawlers=3", log="server-quota-flag.log")
    glue = gluelocal.make_glue_client(server.endpoint)
    for i in range(3):
        glue.create_crawler(Name=f"cr-{i}", Role=ROLE, Targets=TARGETS)
    message = refused(glue, "ResourceNumberLimitExceededException", glue.create_crawler, Name="cr-3", Role=ROLE, Targets=TARGETS)
    assert "already has 3 crawlers" in message and "--quota crawlers=N" in message
    assert glue.list_crawlers()["CrawlerNames"] == ["cr-0", "cr-1", "cr-2"]
    server.stop()


def test_catalog_quotas():
    server = start(
        "--quota", "databases=2", "--quota", "tables-per-database=2", "--quota", "tables=3",
        "--quota", "versions-per-table=2", log="server-quota-catalog.log",
    )
    try:
        glue = gluelocal.make_glue_client(server.endpoint)
        for db in ("a", "b"):
            glue.create_database(DatabaseInput={"Name": db})
        message = refused(glue, "ResourceNumberLimitExceededException", glue.create_database, DatabaseInput={"Name": "c"})
        assert "already has 2 databases" in message and "--quota databases=N" in message
        for t in ("t1", "t2"):
            glue.create_table(DatabaseName="a", TableInput={"Name": t})
        refused(glue, "ResourceNumberLimitExceededException", glue.create_table, DatabaseName="a", TableInput={"Name": "t3"})
        glue.create_table(DatabaseName="b", TableInput={"Name": "t3"})
        message = refused(glue, "ResourceNumberLimitExceededException", glue.create_table, DatabaseName="b", TableInput={"Name": "t4"})
        assert "3 tables" in message, message
        glue.update_table(DatabaseName="a", TableInput={"Name": "t1", "Description": "v2"})
        refused(glue, "ResourceNumberLimitExceededException", glue.update_table, DatabaseName="a", TableInput={"Name": "t1"})
        # Dropping the replaced version needs no room; deleting old versions makes room.
        glue.update_table(DatabaseName="a", TableInput={"Name": "t1", "Description": "v3"}, SkipArchive=True)
        glue.delete_table_version(DatabaseName="a", TableName="t1", VersionId="1")
        glue.update_table(DatabaseName="a", TableInput={"Name": "t1", "Description": "v4"})
        versions = glue.get_table_versions(DatabaseName="a", TableName="t1")["TableVersions"]
        assert [v["VersionId"] for v in versions] == ["4", "3"]
        assert sorted(d["Name"] for d in glue.get_databases()["DatabaseList"]) == ["a", "b"]
    finally:
        server.stop()


def test_a_bad_quota_flag_stops_the_server(tmp_path):
    server = gluelocal.LocalServer(extra_args=["--quota", "nodes=5"], log_path=tmp_path / "server.log")
    with pytest.raises(RuntimeError, match="unknown name"):
        server.start(timeout=10)
