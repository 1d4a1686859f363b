"""Helpers of the resource-API tests (workflows, jobs, triggers, crawlers, tags, pagination).

  * ``Resources``   creates workflows, jobs, triggers and crawlers with unique names and
                    deletes them again at the end of the test (fixture ``res``)
  * ``walk``        follows NextToken through every page of a list call
  * ``arn``         the ARN glue-local gives a resource

Import the fixtures into a test module with ``from glue_resources import res  # noqa: F401``.
"""

from __future__ import annotations

import re

import pytest

import gluelocal

ACCOUNT = gluelocal.ACCOUNT_ID
ROLE = f"arn:aws:iam::{ACCOUNT}:role/glue-local-tests"
# An s3:// script without --s3-dir: glue-local simulates the run (success after --job-duration).
COMMAND = {"Name": "glueetl", "ScriptLocation": "s3://glue-local-tests/scripts/noop.py", "PythonVersion": "3"}
TARGETS = {"S3Targets": [{"Path": "s3://glue-local-tests/data/"}]}
NODE_ID = re.compile(r"^wnode_[0-9a-f]{64}$")
# Far in the future: a valid schedule that does not fire while the tests run.
NEVER = "cron(0 0 1 1 ? 2099)"


def arn(kind, name, region=gluelocal.REGION, account=ACCOUNT):
    return f"arn:aws:glue:{region}:{account}:{kind}/{name}"


def error_message(excinfo):
    return excinfo.value.response["Error"]["Message"]


def walk(call, items_key, max_results=None, **kwargs):
    """All items of a paginated call, and the list of page sizes.

    Checks that every page respects MaxResults and that the walk ends."""
    items, sizes, token, seen_tokens = [], [], None, set()
    while True:
        args = dict(kwargs)
        if max_results is not None:
            args["MaxResults"] = max_results
        if token is not None:
            args["NextToken"] = token
        page = call(**args)
        got = page.get(items_key, [])  # lists with a model minimum of 1 are left out when empty
        sizes.append(len(got))
        if max_results is not None:
            assert len(got) <= max_results, f"{items_key}: page of {len(got)} > MaxResults {max_results}"
        items.extend(got)
        token = page.get("NextToken")
        if not token:
            return items, sizes
        assert token not in seen_tokens, f"{items_key}: NextToken repeated, the walk would loop"
        seen_tokens.add(token)
        assert len(sizes) < 10_000, f"{items_key}: walk does not end"


class Resources:
    """Creates resources with unique names; ``cleanup`` deletes whatever is left."""

    def __init__(self, glue):
        self.glue = glue
        self.workflows, self.jobs, self.triggers, self.crawlers = [], [], [], []

    def workflow(self, name=None, **kwargs):
        name = name or gluelocal.unique("wf")
        assert self.glue.create_workflow(Name=name, **kwargs)["Name"] == name
        self.workflows.append(name)
        return name

    def job(self, name=None, **kwargs):
        name = name or gluelocal.unique("job")
        kwargs.setdefault("Role", ROLE)
        kwargs.setdefault("Command", dict(COMMAND))
        assert self.glue.create_job(Name=name, **kwargs)["Name"] == name
        self.jobs.append(name)
        return name

    def crawler(self, name=None, **kwargs):
        name = name or gluelocal.unique("crawler")
        kwargs.setdefault("Role", ROLE)
        kwargs.setdefault("Targets", TARGETS)
        self.glue.create_crawler(Name=name, **kwargs)
        self.crawlers.append(name)
        return name

    def trigger(self, name=None, **kwargs):
        name = name or gluelocal.unique("trg")
        assert self.glue.create_trigger(Name=name, **kwargs)["Name"] == name
        self.triggers.append(name)
        return name

    def cleanup(self):
        errors = []

        def attempt(fn, **kwargs):
            try:
                fn(**kwargs)
            except self.glue.exceptions.EntityNotFoundException:
                pass
            except Exception as e:  # noqa: BLE001 - report every leftover, do not stop at the first
                errors.append(f"{fn.__name__}({kwargs}): {e!r}")

        for t in self.triggers:
            attempt(self.glue.delete_trigger, Name=t)
        for w in self.workflows:
            attempt(self.glue.delete_workflow, Name=w)
        for c in self.crawlers:
            try:
                self.glue.stop_crawler(Name=c)
            except (self.glue.exceptions.CrawlerNotRunningException, self.glue.exceptions.EntityNotFoundException):
                pass
            except self.glue.exceptions.CrawlerStoppingException:
                pass
            try:
                gluelocal.wait_until(lambda c=c: _crawler_idle(self.glue, c), timeout=30)
            except AssertionError as e:
                errors.append(str(e))
                continue
            attempt(self.glue.delete_crawler, Name=c)
        for j in self.jobs:
            attempt(self.glue.delete_job, JobName=j)
        assert not errors, "cleanup failed:\n" + "\n".join(errors)


def _crawler_idle(glue, name):
    try:
        return glue.get_crawler(Name=name)["Crawler"]["State"] == "READY"
    except glue.exceptions.EntityNotFoundException:
        return True


@pytest.fixture
def res(glue):
    r = Resources(glue)
    yield r
    r.cleanup()
