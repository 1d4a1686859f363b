"""State is per (account, region): what is created in us-east-1 does not exist in eu-west-1.
Without an IAM config every access key is account 123456789012, so keys do not partition."""

import pytest

from glue_resources import Resources, arn, res, walk  # noqa: F401

OTHER = "eu-west-1"


@pytest.fixture
def eu(make_glue):
    return make_glue(region=OTHER)


@pytest.fixture
def eu_res(eu):
    r = Resources(eu)
    yield r
    r.cleanup()


def test_workflow_is_not_visible_from_another_region(glue, eu, res):
    name = res.workflow(Description="in us-east-1")
    assert glue.get_workflow(Name=name)["Workflow"]["Name"] == name
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_workflow(Name=name)
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.update_workflow(Name=name, Description="from eu")
    assert name not in walk(eu.list_workflows, "Workflows")[0]
    assert eu.batch_get_workflows(Names=[name])["MissingWorkflows"] == [name]
    assert name in walk(glue.list_workflows, "Workflows")[0]
    assert glue.get_workflow(Name=name)["Workflow"]["Description"] == "in us-east-1"


def test_same_name_in_two_regions_is_two_workflows(glue, eu, res, eu_res):
    name = res.workflow(Description="us")
    eu_res.workflow(name=name, Description="eu")  # no AlreadyExistsException
    assert glue.get_workflow(Name=name)["Workflow"]["Description"] == "us"
    assert eu.get_workflow(Name=name)["Workflow"]["Description"] == "eu"
    eu.delete_workflow(Name=name)
    assert glue.get_workflow(Name=name)["Workflow"]["Description"] == "us"
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_workflow(Name=name)


def test_jobs_triggers_crawlers_are_per_region(glue, eu, res):
    job, crawler = res.job(), res.crawler()
    trigger = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}])
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_job(JobName=job)
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_trigger(Name=trigger)
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_crawler(Name=crawler)
    assert eu.batch_get_jobs(JobNames=[job])["JobsNotFound"] == [job]
    # A trigger in eu-west-1 cannot name the us-east-1 job.
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.create_trigger(Name=trigger, Type="ON_DEMAND", Actions=[{"JobName": job}])


def test_tags_arn_names_the_region(glue, eu, res):
    name = res.workflow(Tags={"r": "us"})
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_tags(ResourceArn=arn("workflow", name))  # the us-east-1 ARN
    with pytest.raises(eu.exceptions.EntityNotFoundException):
        eu.get_tags(ResourceArn=arn("workflow", name, region=OTHER))
    assert glue.get_tags(ResourceArn=arn("workflow", name))["Tags"] == {"r": "us"}


def test_other_access_keys_share_the_account(glue, make_glue, res):
    name = res.workflow(Description="shared")
    other = make_glue(access_key="AKIDOTHERKEY", secret_key="other-secret")
    assert other.get_workflow(Name=name)["Workflow"]["Description"] == "shared"


def test_cli_region_isolation(aws_cli, res):
    name = res.workflow()
    assert aws_cli("glue", "get-workflow", "--name", name).json["Workflow"]["Name"] == name
    other = aws_cli("glue", "get-workflow", "--name", name, region=OTHER, expect_ok=False)
    assert other.returncode != 0 and "EntityNotFoundException" in other.stderr, other
