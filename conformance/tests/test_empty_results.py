"""Empty results are empty lists, as AWS sends them, and follow the model too.

Every list-shaped output member of the implemented operations is sent when
there is nothing in it: ``{"Workflows": []}``, not ``{}``. Four of them
(ListWorkflows.Workflows, BatchGetWorkflows.Workflows and .MissingWorkflows,
GetWorkflowRuns.Runs) share a shape with a request member whose model minimum
is one; the validator accepts them empty (``EMPTY_OUTPUT_LISTS`` in
model_validator.py) and checks everything else in every answer. These calls
produce empty results deterministically (fresh resources, names that do not
exist, a region nothing else uses), whatever other tests leave behind.
"""

import pytest

# A real region no other test creates anything in.
EMPTY_REGION = "me-central-1"


@pytest.fixture
def fresh_workflow(glue, unique):
    name = unique("wf-empty")
    glue.create_workflow(Name=name)
    yield name
    glue.delete_workflow(Name=name)


def test_list_workflows_with_none(make_glue):
    assert make_glue(region=EMPTY_REGION).list_workflows()["Workflows"] == []


def test_cli_list_workflows_with_none(aws_cli):
    assert aws_cli("glue", "list-workflows", region=EMPTY_REGION).json == {"Workflows": []}


def test_lists_of_an_empty_region(make_glue):
    glue = make_glue(region=EMPTY_REGION)
    assert glue.list_jobs()["JobNames"] == []
    assert glue.get_jobs()["Jobs"] == []
    assert glue.list_triggers()["TriggerNames"] == []
    assert glue.get_triggers()["Triggers"] == []
    assert glue.list_crawlers()["CrawlerNames"] == []
    assert glue.get_crawlers()["Crawlers"] == []
    assert glue.get_crawler_metrics()["CrawlerMetricsList"] == []


def test_batch_get_workflows_all_missing(glue, unique):
    missing = unique("wf-missing")
    out = glue.batch_get_workflows(Names=[missing])
    assert out["MissingWorkflows"] == [missing]
    assert out["Workflows"] == []


def test_batch_get_workflows_all_found(glue, fresh_workflow):
    out = glue.batch_get_workflows(Names=[fresh_workflow])
    assert [w["Name"] for w in out["Workflows"]] == [fresh_workflow]
    assert out["MissingWorkflows"] == []


def test_get_workflow_runs_of_a_workflow_that_never_ran(glue, fresh_workflow):
    assert glue.get_workflow_runs(Name=fresh_workflow)["Runs"] == []


def test_cli_get_workflow_runs_of_a_workflow_that_never_ran(aws_cli, fresh_workflow):
    assert aws_cli("glue", "get-workflow-runs", "--name", fresh_workflow).json == {"Runs": []}


def test_get_workflow_of_an_empty_workflow_with_graph(glue, fresh_workflow):
    wf = glue.get_workflow(Name=fresh_workflow, IncludeGraph=True)["Workflow"]
    assert wf["Name"] == fresh_workflow
    assert wf["Graph"] == {"Nodes": [], "Edges": []}


def test_batch_gets_all_missing(glue, unique):
    job, trigger, crawler = unique("job-missing"), unique("trg-missing"), unique("cr-missing")
    out = glue.batch_get_jobs(JobNames=[job])
    assert (out["Jobs"], out["JobsNotFound"]) == ([], [job])
    out = glue.batch_get_triggers(TriggerNames=[trigger])
    assert (out["Triggers"], out["TriggersNotFound"]) == ([], [trigger])
    out = glue.batch_get_crawlers(CrawlerNames=[crawler])
    assert (out["Crawlers"], out["CrawlersNotFound"]) == ([], [crawler])


def test_list_operations_filtered_to_nothing(glue, unique):
    tags = {unique("no-such-tag"): "x"}
    assert glue.list_jobs(Tags=tags)["JobNames"] == []
    assert glue.list_triggers(Tags=tags)["TriggerNames"] == []
    assert glue.list_crawlers(Tags=tags)["CrawlerNames"] == []


def test_tags_of_an_untagged_workflow(glue, fresh_workflow):
    arn = f"arn:aws:glue:us-east-1:123456789012:workflow/{fresh_workflow}"
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {}


def test_runs_of_fresh_job_and_crawler(glue, unique):
    job, crawler = unique("job-empty"), unique("cr-empty")
    glue.create_job(Name=job, Role="arn:aws:iam::123456789012:role/r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    glue.create_crawler(Name=crawler, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]})
    try:
        assert glue.get_job_runs(JobName=job)["JobRuns"] == []
        assert glue.list_crawls(CrawlerName=crawler)["Crawls"] == []
        metrics = glue.get_crawler_metrics(CrawlerNameList=[crawler])["CrawlerMetricsList"]
        assert [m["CrawlerName"] for m in metrics] == [crawler]
        stopped = glue.batch_stop_job_run(JobName=job, JobRunIds=["jr_missing"])
        assert stopped["SuccessfulSubmissions"] == []
        assert [e["JobRunId"] for e in stopped["Errors"]] == ["jr_missing"]
    finally:
        glue.delete_job(JobName=job)
        glue.delete_crawler(Name=crawler)
