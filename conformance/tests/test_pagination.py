"""Pagination: walks with a small MaxResults over every list and get-many call, and
NextTokens that were forged, altered, or issued for another request.

The server is shared: each test creates resources with its own name prefix and only
checks those, but the whole walk must still be duplicate-free and in name order."""

import math

import pytest

from glue_resources import res, walk  # noqa: F401

COUNT = 5
PAGE = 2


def _names(items, key):
    return [i if key is None else i[key] for i in items]


def _check_walk(call, items_key, mine, name_key=None, **kwargs):
    items, sizes = walk(call, items_key, max_results=PAGE, **kwargs)
    names = _names(items, name_key)
    assert len(names) == len(set(names)), f"{items_key}: duplicates across pages"
    assert names == sorted(names), f"{items_key}: names must come in name order across pages"
    got = [n for n in names if n in set(mine)]
    assert sorted(got) == sorted(mine), f"{items_key}: missing {sorted(set(mine) - set(got))}"
    assert len(sizes) >= math.ceil(len(names) / PAGE), f"{items_key}: pages {sizes} exceed MaxResults"
    assert len(sizes) > 1, f"{items_key}: {len(names)} items came in one page despite MaxResults={PAGE}"
    return names


@pytest.fixture
def prefix(unique):
    return unique("pg")


def test_list_workflows_pages(glue, res, prefix):
    mine = [res.workflow(name=f"{prefix}-wf-{i}") for i in range(COUNT)]
    _check_walk(glue.list_workflows, "Workflows", mine)


def test_list_jobs_and_get_jobs_pages(glue, res, prefix):
    mine = [res.job(name=f"{prefix}-job-{i}") for i in range(COUNT)]
    _check_walk(glue.list_jobs, "JobNames", mine)
    _check_walk(glue.get_jobs, "Jobs", mine, name_key="Name")


def test_list_jobs_pages_with_tags_filter(glue, res, prefix):
    mine = [res.job(name=f"{prefix}-job-{i}", Tags={"pg": prefix}) for i in range(COUNT)]
    res.job(name=f"{prefix}-job-untagged")
    names = _check_walk(glue.list_jobs, "JobNames", mine, Tags={"pg": prefix})
    assert names == mine, "only the tagged jobs match the filter"


def test_list_triggers_and_get_triggers_pages(glue, res, prefix):
    job = res.job()
    mine = [res.trigger(name=f"{prefix}-trg-{i}", Type="ON_DEMAND", Actions=[{"JobName": job}]) for i in range(COUNT)]
    _check_walk(glue.list_triggers, "TriggerNames", mine)
    _check_walk(glue.get_triggers, "Triggers", mine, name_key="Name")
    # With DependentJobName only these triggers match: the walk returns exactly them.
    assert _check_walk(glue.get_triggers, "Triggers", mine, name_key="Name", DependentJobName=job) == mine
    assert _check_walk(glue.list_triggers, "TriggerNames", mine, DependentJobName=job) == mine


def test_list_crawlers_and_get_crawlers_pages(glue, res, prefix):
    mine = [res.crawler(name=f"{prefix}-crawler-{i}") for i in range(COUNT)]
    _check_walk(glue.list_crawlers, "CrawlerNames", mine)
    _check_walk(glue.get_crawlers, "Crawlers", mine, name_key="Name")


def test_get_workflow_runs_pages(glue, res, wait_until):
    wf = res.workflow()
    job = res.job(ExecutionProperty={"MaxConcurrentRuns": 10})
    res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    started = [glue.start_workflow_run(Name=wf)["RunId"] for _ in range(COUNT)]
    runs, sizes = walk(glue.get_workflow_runs, "Runs", max_results=PAGE, Name=wf)
    ids = [r["WorkflowRunId"] for r in runs]
    assert ids == list(reversed(started)), "all runs, once each, newest first"
    assert sizes == [2, 2, 1]
    times = [r["StartedOn"] for r in runs]
    assert times == sorted(times, reverse=True)
    wait_until(
        lambda: all(r["Status"] == "COMPLETED" for r in glue.get_workflow_runs(Name=wf)["Runs"]),
        timeout=20,
    )


def test_get_job_runs_pages(glue, res, wait_until):
    job = res.job(ExecutionProperty={"MaxConcurrentRuns": 10})
    started = [glue.start_job_run(JobName=job)["JobRunId"] for _ in range(COUNT)]
    runs, sizes = walk(glue.get_job_runs, "JobRuns", max_results=PAGE, JobName=job)
    assert [r["Id"] for r in runs] == list(reversed(started)), "all runs, once each, newest first"
    assert sizes == [2, 2, 1]
    wait_until(
        lambda: all(r["JobRunState"] == "SUCCEEDED" for r in glue.get_job_runs(JobName=job)["JobRuns"]),
        timeout=20,
    )


def test_max_results_larger_than_the_list_gives_one_page(glue, res):
    job = res.job(ExecutionProperty={"MaxConcurrentRuns": 5})
    started = {glue.start_job_run(JobName=job)["JobRunId"] for _ in range(2)}
    out = glue.get_job_runs(JobName=job, MaxResults=200)
    assert {r["Id"] for r in out["JobRuns"]} == started and "NextToken" not in out
    wf = res.workflow()
    out = glue.list_workflows(MaxResults=25)
    assert len(out["Workflows"]) <= 25
    if "NextToken" not in out:
        assert wf in out["Workflows"]


def test_get_job_runs_walk_survives_new_runs(glue, res):
    """A run started while a client walks the pages must not repeat a run already seen."""
    job = res.job(ExecutionProperty={"MaxConcurrentRuns": 10})
    started = [glue.start_job_run(JobName=job)["JobRunId"] for _ in range(4)]
    first = glue.get_job_runs(JobName=job, MaxResults=2)
    newer = glue.start_job_run(JobName=job)["JobRunId"]
    rest, _ = walk(glue.get_job_runs, "JobRuns", max_results=2, JobName=job, NextToken=first["NextToken"])
    ids = [r["Id"] for r in first["JobRuns"]] + [r["Id"] for r in rest]
    assert len(ids) == len(set(ids)), f"duplicates: {ids}"
    assert ids == list(reversed(started)), "the walk shows the runs that existed when it began, newest first"
    assert newer not in ids


def test_get_workflow_runs_walk_survives_new_runs(glue, res):
    wf = res.workflow()
    job = res.job(ExecutionProperty={"MaxConcurrentRuns": 10})
    res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    started = [glue.start_workflow_run(Name=wf)["RunId"] for _ in range(4)]
    first = glue.get_workflow_runs(Name=wf, MaxResults=2)
    glue.start_workflow_run(Name=wf)
    rest, _ = walk(glue.get_workflow_runs, "Runs", max_results=2, Name=wf, NextToken=first["NextToken"])
    ids = [r["WorkflowRunId"] for r in first["Runs"] + rest]
    assert ids == list(reversed(started)), f"walk after a new run: {ids}"


def test_list_crawls_pages(glue, res, wait_until):
    crawler = res.crawler()
    for i in range(3):
        glue.start_crawler(Name=crawler)
        wait_until(lambda: glue.get_crawler(Name=crawler)["Crawler"]["State"] == "READY"
                   and len(glue.list_crawls(CrawlerName=crawler)["Crawls"]) == i + 1)
    crawls, sizes = walk(glue.list_crawls, "Crawls", max_results=PAGE, CrawlerName=crawler)
    ids = [c["CrawlId"] for c in crawls]
    assert len(ids) == 3 == len(set(ids)) and sizes == [2, 1]
    assert [c["StartTime"] for c in crawls] == sorted((c["StartTime"] for c in crawls), reverse=True)


# ---- tokens that were not issued for the request ------------------------------------------


def _calls(glue, job, wf):
    return {
        "ListWorkflows": lambda **kw: glue.list_workflows(**kw),
        "ListJobs": lambda **kw: glue.list_jobs(**kw),
        "GetJobs": lambda **kw: glue.get_jobs(**kw),
        "ListTriggers": lambda **kw: glue.list_triggers(**kw),
        "GetTriggers": lambda **kw: glue.get_triggers(**kw),
        "ListCrawlers": lambda **kw: glue.list_crawlers(**kw),
        "GetCrawlers": lambda **kw: glue.get_crawlers(**kw),
        "GetWorkflowRuns": lambda **kw: glue.get_workflow_runs(Name=wf, **kw),
        "GetJobRuns": lambda **kw: glue.get_job_runs(JobName=job, **kw),
    }


FORGED = ["forged-token", "eyJvZmZzZXQiOjJ9", "1", "bjAw.000000000000000000000000", "a.b.c"]


@pytest.mark.parametrize("op", list(_calls(None, None, None)))
def test_forged_next_token_is_invalid_input(glue, res, op):
    job = res.job()
    wf = res.workflow()
    call = _calls(glue, job, wf)[op]
    for token in FORGED:
        with pytest.raises(glue.exceptions.InvalidInputException):
            call(NextToken=token, MaxResults=1)


def _real_token(call):
    token = call(MaxResults=1).get("NextToken")
    assert token, "needs at least two items to get a NextToken"
    return token


def test_altered_token_is_invalid_input(glue, res, prefix):
    for i in range(3):
        res.job(name=f"{prefix}-job-{i}")
    token = _real_token(glue.list_jobs)
    assert glue.list_jobs(NextToken=token, MaxResults=1)["JobNames"]  # the real one works
    for altered in (token[:-1] + ("0" if token[-1] != "0" else "1"), "A" + token, token + "A", token[: len(token) // 2]):
        with pytest.raises(glue.exceptions.InvalidInputException):
            glue.list_jobs(NextToken=altered, MaxResults=1)


def test_token_of_another_operation_is_invalid_input(glue, res, prefix):
    job = res.job(name=f"{prefix}-job-0")
    res.job(name=f"{prefix}-job-1")
    res.trigger(name=f"{prefix}-trg-0", Type="ON_DEMAND", Actions=[{"JobName": job}])
    res.trigger(name=f"{prefix}-trg-1", Type="ON_DEMAND", Actions=[{"JobName": job}])
    jobs_token = _real_token(glue.list_jobs)
    for call in (glue.list_triggers, glue.get_jobs, glue.list_crawlers, glue.list_workflows):
        with pytest.raises(glue.exceptions.InvalidInputException):
            call(NextToken=jobs_token, MaxResults=1)
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.list_jobs(NextToken=_real_token(glue.list_triggers), MaxResults=1)


def test_token_of_other_filters_is_invalid_input(glue, res, prefix):
    for i in range(3):
        res.job(name=f"{prefix}-job-{i}", Tags={"pg": prefix})
    token = _real_token(lambda **kw: glue.list_jobs(Tags={"pg": prefix}, **kw))
    assert glue.list_jobs(Tags={"pg": prefix}, NextToken=token, MaxResults=1)["JobNames"] == [f"{prefix}-job-1"]
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.list_jobs(Tags={"pg": prefix + "-other"}, NextToken=token, MaxResults=1)
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.list_jobs(NextToken=token, MaxResults=1)


def test_job_runs_token_of_another_job_is_invalid_input(glue, res):
    a = res.job(ExecutionProperty={"MaxConcurrentRuns": 5})
    b = res.job(ExecutionProperty={"MaxConcurrentRuns": 5})
    for job in (a, b):
        for _ in range(2):
            glue.start_job_run(JobName=job)
    token = _real_token(lambda **kw: glue.get_job_runs(JobName=a, **kw))
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_job_runs(JobName=b, NextToken=token, MaxResults=1)


def test_cli_paginates_and_refuses_a_forged_token(aws_cli, res, prefix):
    mine = [res.job(name=f"{prefix}-job-{i}") for i in range(COUNT)]
    # --page-size makes the CLI walk NextToken itself with MaxResults=2.
    listed = aws_cli("glue", "list-jobs", "--page-size", "2").json["JobNames"]
    assert [n for n in listed if n.startswith(prefix)] == mine
    assert len(listed) == len(set(listed))
    bad = aws_cli("glue", "list-jobs", "--no-paginate", "--next-token", "forged", expect_ok=False)
    assert bad.returncode != 0 and "InvalidInputException" in bad.stderr, bad
