"""Tags: Tags at creation on workflows, jobs, triggers and crawlers; TagResource,
UntagResource, GetTags; ARNs of resources that do not exist."""

import pytest

from glue_resources import arn, res, walk  # noqa: F401

KINDS = ("workflow", "job", "trigger", "crawler")


def make(res, kind, tags=None):
    """A resource of ``kind``; ``tags`` None leaves the Tags member out."""
    kwargs = {} if tags is None else {"Tags": tags}
    if kind == "workflow":
        return res.workflow(**kwargs)
    if kind == "job":
        return res.job(**kwargs)
    if kind == "crawler":
        return res.crawler(**kwargs)
    return res.trigger(Type="ON_DEMAND", Actions=[{"JobName": res.job()}], **kwargs)


def tags_of(glue, resource_arn):
    return glue.get_tags(ResourceArn=resource_arn)["Tags"]


@pytest.mark.parametrize("kind", KINDS)
def test_tags_at_creation(glue, res, kind):
    name = make(res, kind, {"team": "data", "cost-center": "42"})
    assert tags_of(glue, arn(kind, name)) == {"team": "data", "cost-center": "42"}


@pytest.mark.parametrize("kind", KINDS)
def test_no_tags_at_creation(glue, res, kind):
    name = make(res, kind)
    assert tags_of(glue, arn(kind, name)) == {}
    assert tags_of(glue, arn(kind, make(res, kind, {}))) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_tag_and_untag(glue, res, kind):
    name = make(res, kind, {"keep": "1", "change": "old", "drop": "x"})
    resource = arn(kind, name)
    glue.tag_resource(ResourceArn=resource, TagsToAdd={"change": "new", "added": "yes"})
    assert tags_of(glue, resource) == {"keep": "1", "change": "new", "drop": "x", "added": "yes"}
    glue.untag_resource(ResourceArn=resource, TagsToRemove=["drop", "added", "never-there"])
    assert tags_of(glue, resource) == {"keep": "1", "change": "new"}
    glue.untag_resource(ResourceArn=resource, TagsToRemove=["keep", "change"])
    assert tags_of(glue, resource) == {}


def test_tags_of_one_resource_do_not_touch_another(glue, res):
    a = res.job(Tags={"t": "a"})
    b = res.job(Tags={"t": "b"})
    wf = res.workflow(name=a)  # same name, another kind
    glue.tag_resource(ResourceArn=arn("job", a), TagsToAdd={"extra": "1"})
    assert tags_of(glue, arn("job", a)) == {"t": "a", "extra": "1"}
    assert tags_of(glue, arn("job", b)) == {"t": "b"}
    assert tags_of(glue, arn("workflow", wf)) == {}


def test_tag_changes_show_in_list_filters(glue, res, unique):
    label = unique("label")
    job = res.job()
    trigger = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}])
    crawler = res.crawler()
    for kind, name in (("job", job), ("trigger", trigger), ("crawler", crawler)):
        glue.tag_resource(ResourceArn=arn(kind, name), TagsToAdd={"label": label})
    assert walk(glue.list_jobs, "JobNames", Tags={"label": label})[0] == [job]
    assert walk(glue.list_triggers, "TriggerNames", Tags={"label": label})[0] == [trigger]
    assert walk(glue.list_crawlers, "CrawlerNames", Tags={"label": label})[0] == [crawler]
    for kind, name in (("job", job), ("trigger", trigger), ("crawler", crawler)):
        glue.untag_resource(ResourceArn=arn(kind, name), TagsToRemove=["label"])
    assert walk(glue.list_jobs, "JobNames", Tags={"label": label})[0] == []
    assert walk(glue.list_triggers, "TriggerNames", Tags={"label": label})[0] == []
    assert walk(glue.list_crawlers, "CrawlerNames", Tags={"label": label})[0] == []


def test_tags_go_with_the_resource(glue, res):
    name = res.job(Tags={"old": "1"})
    glue.delete_job(JobName=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_tags(ResourceArn=arn("job", name))
    res.job(name=name)
    assert tags_of(glue, arn("job", name)) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_arn_is_entity_not_found(glue, unique, kind):
    resource = arn(kind, unique(f"{kind}-missing"))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_tags(ResourceArn=resource)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.tag_resource(ResourceArn=resource, TagsToAdd={"a": "b"})
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.untag_resource(ResourceArn=resource, TagsToRemove=["a"])


def test_arn_of_another_region_or_account_is_entity_not_found(glue, res):
    name = res.job(Tags={"a": "b"})
    for other in (arn("job", name, region="eu-west-1"), arn("job", name, account="210987654321")):
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_tags(ResourceArn=other)
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.tag_resource(ResourceArn=other, TagsToAdd={"c": "d"})
    assert tags_of(glue, arn("job", name)) == {"a": "b"}


def test_cli_tags_happy_and_error_paths(aws_cli, glue, res, unique):
    name = res.workflow(Tags={"from": "boto3"})
    resource = arn("workflow", name)
    aws_cli("glue", "tag-resource", "--resource-arn", resource, "--tags-to-add", "via=cli,n=1")
    got = aws_cli("glue", "get-tags", "--resource-arn", resource).json
    assert got == {"Tags": {"from": "boto3", "via": "cli", "n": "1"}}
    aws_cli("glue", "untag-resource", "--resource-arn", resource, "--tags-to-remove", "n", "from")
    assert tags_of(glue, resource) == {"via": "cli"}
    missing = aws_cli("glue", "get-tags", "--resource-arn", arn("workflow", unique("wf-missing")), expect_ok=False)
    assert missing.returncode != 0 and "EntityNotFoundException" in missing.stderr, missing
