"""Empty results must follow the model too, whatever else is on the server.

Several Glue output lists have a model minimum of 1 (ListWorkflows.Workflows,
BatchGetWorkflows.Workflows, GetWorkflowRuns.Runs): an empty one must be left
out, not sent as []. The validating client checks every answer; these calls
produce empty results deterministically (fresh resources, names that do not
exist), so the edge is tested even when other tests leave data behind.
"""

import pytest


@pytest.fixture
def fresh_workflow(glue, unique):
    name = unique("wf-empty")
    glue.create_workflow(Name=name)
    yield name
    glue.delete_workflow(Name=name)


def test_batch_get_workflows_all_missing(glue, unique):
    missing = unique("wf-missing")
    out = glue.batch_get_workflows(Names=[missing])
    assert out.get("MissingWorkflows") == [missing]
    assert not out.get("Workflows")


def test_get_workflow_runs_of_a_workflow_that_never_ran(glue, fresh_workflow):
    assert not glue.get_workflow_runs(Name=fresh_workflow).get("Runs")


def test_get_workflow_of_an_empty_workflow_with_graph(glue, fresh_workflow):
    wf = glue.get_workflow(Name=fresh_workflow, IncludeGraph=True)["Workflow"]
    assert wf["Name"] == fresh_workflow


def test_batch_gets_all_missing(glue, unique):
    assert glue.batch_get_jobs(JobNames=[unique("job-missing")])["JobsNotFound"]
    assert glue.batch_get_triggers(TriggerNames=[unique("trg-missing")])["TriggersNotFound"]
    assert glue.batch_get_crawlers(CrawlerNames=[unique("cr-missing")])["CrawlersNotFound"]


def test_list_operations_filtered_to_nothing(glue, unique):
    tags = {unique("no-such-tag"): "x"}
    assert not glue.list_jobs(Tags=tags).get("JobNames")
    assert not glue.list_triggers(Tags=tags).get("TriggerNames")
    assert not glue.list_crawlers(Tags=tags).get("CrawlerNames")


def test_tags_of_an_untagged_workflow(glue, fresh_workflow):
    arn = f"arn:aws:glue:us-east-1:123456789012:workflow/{fresh_workflow}"
    assert not glue.get_tags(ResourceArn=arn).get("Tags")


def test_runs_of_fresh_job_and_crawler(glue, unique):
    job, crawler = unique("job-empty"), unique("cr-empty")
    glue.create_job(Name=job, Role="arn:aws:iam::123456789012:role/r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    glue.create_crawler(Name=crawler, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]})
    try:
        assert not glue.get_job_runs(JobName=job).get("JobRuns")
        assert not glue.list_crawls(CrawlerName=crawler).get("Crawls")
        metrics = glue.get_crawler_metrics(CrawlerNameList=[crawler])["CrawlerMetricsList"]
        assert [m["CrawlerName"] for m in metrics] == [crawler]
    finally:
        glue.delete_job(JobName=job)
        glue.delete_crawler(Name=crawler)
