"""Crawlers: CreateCrawler, GetCrawler, GetCrawlers, UpdateCrawler, DeleteCrawler, ListCrawlers,
BatchGetCrawlers, StartCrawler, StopCrawler, ListCrawls, GetCrawlerMetrics (schedules:
test_crawler_schedules.py).

The "while running" cases use a private glue-local whose crawls last long (``slow``), and
end each crawl early with StopCrawler."""

import datetime as dt
import json

import pytest

import gluelocal
from glue_resources import NEVER, ROLE, TARGETS, Resources, res, walk  # noqa: F401

SLOW_DURATION = "3s"


@pytest.fixture(scope="module")
def slow_glue():
    server = gluelocal.LocalServer(
        extra_args=["--job-duration", SLOW_DURATION], log_path=gluelocal.ARTIFACTS_DIR / "server-slow.log"
    )
    try:
        endpoint = server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield gluelocal.make_glue_client(endpoint)
    finally:
        server.stop()


@pytest.fixture
def slow_res(slow_glue):
    r = Resources(slow_glue)
    yield r
    r.cleanup()


def crawler_of(glue, name):
    return glue.get_crawler(Name=name)["Crawler"]


def ready_with_last_crawl(glue, name):
    c = crawler_of(glue, name)
    return c if c["State"] == "READY" and "LastCrawl" in c else None


# ---- definitions --------------------------------------------------------------------


def test_create_get_round_trip(glue, res):
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    policy = {"UpdateBehavior": "LOG", "DeleteBehavior": "DEPRECATE_IN_DATABASE"}
    name = res.crawler(
        DatabaseName="sales_db",
        Description="finds sales tables",
        Schedule=NEVER,
        TablePrefix="raw_",
        SchemaChangePolicy=policy,
        Configuration='{"Version":1.0}',
    )
    c = crawler_of(glue, name)
    assert c["Name"] == name
    assert c["Role"] == ROLE
    assert c["Targets"] == TARGETS
    assert c["DatabaseName"] == "sales_db"
    assert c["Description"] == "finds sales tables"
    assert c["TablePrefix"] == "raw_"
    assert c["SchemaChangePolicy"] == policy
    assert c["Configuration"] == '{"Version":1.0}'
    assert c["Schedule"]["ScheduleExpression"] == NEVER
    assert c["State"] == "READY"
    assert c["Version"] == 1
    assert before <= c["CreationTime"] <= c["LastUpdated"] <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)
    assert "LastCrawl" not in c, "a crawler that never ran has no LastCrawl"


def test_create_existing_is_already_exists(glue, res):
    name = res.crawler(Description="first")
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_crawler(Name=name, Role=ROLE, Targets=TARGETS, Description="second")
    assert crawler_of(glue, name)["Description"] == "first"


def test_create_with_bad_schedule_is_invalid(glue, unique):
    name = unique("crawler")
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_crawler(Name=name, Role=ROLE, Targets=TARGETS, Schedule="every day")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_crawler(Name=name)


def test_get_missing_is_entity_not_found(glue, unique):
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_crawler(Name=unique("crawler-missing"))


def test_update_changes_only_members_given(glue, res):
    name = res.crawler(DatabaseName="db1", Description="before", TablePrefix="p_")
    created = crawler_of(glue, name)
    glue.update_crawler(Name=name, Description="after")
    c = crawler_of(glue, name)
    assert c["Description"] == "after"
    assert (c["DatabaseName"], c["TablePrefix"], c["Targets"], c["Role"]) == ("db1", "p_", TARGETS, ROLE)
    assert c["Version"] == created["Version"] + 1
    assert c["LastUpdated"] >= created["LastUpdated"] and c["CreationTime"] == created["CreationTime"]

    new_targets = {"S3Targets": [{"Path": "s3://glue-local-tests/other/"}]}
    glue.update_crawler(Name=name, Targets=new_targets, DatabaseName="db2", Role=ROLE + "-2", Schedule=NEVER)
    c = crawler_of(glue, name)
    assert (c["Targets"], c["DatabaseName"], c["Role"]) == (new_targets, "db2", ROLE + "-2")
    assert c["Schedule"]["ScheduleExpression"] == NEVER
    assert c["Description"] == "after"
    assert c["Version"] == created["Version"] + 2


def test_update_missing_is_entity_not_found(glue, unique):
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_crawler(Name=unique("crawler-missing"), Description="x")


def test_delete_crawler(glue, res, unique):
    name = res.crawler()
    assert glue.delete_crawler(Name=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_crawler(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_crawler(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_crawler(Name=unique("crawler-missing"))


def test_get_crawlers_and_list_crawlers(glue, res):
    names = {res.crawler(Description=f"c{i}") for i in range(3)}
    got, _ = walk(glue.get_crawlers, "Crawlers")
    mine = {c["Name"]: c for c in got if c["Name"] in names}
    assert set(mine) == names
    assert all(c["Role"] == ROLE and c["State"] == "READY" for c in mine.values())
    all_names = [c["Name"] for c in got]
    assert len(all_names) == len(set(all_names))
    listed, _ = walk(glue.list_crawlers, "CrawlerNames")
    assert names <= set(listed) and listed == sorted(listed) and len(listed) == len(set(listed))


def test_list_crawlers_with_tags_filter(glue, res, unique):
    team = unique("team")
    a = res.crawler(Tags={"team": team, "env": "prod"})
    b = res.crawler(Tags={"team": team})
    res.crawler(Tags={"env": "prod"})
    by_team, _ = walk(glue.list_crawlers, "CrawlerNames", Tags={"team": team})
    assert sorted(by_team) == sorted([a, b])
    both, _ = walk(glue.list_crawlers, "CrawlerNames", Tags={"team": team, "env": "prod"})
    assert both == [a]


def test_batch_get_crawlers(glue, res, unique):
    a, b = res.crawler(Description="A"), res.crawler(Description="B")
    missing = unique("crawler-missing")
    out = glue.batch_get_crawlers(CrawlerNames=[a, missing, b])
    assert {c["Name"]: c["Description"] for c in out["Crawlers"]} == {a: "A", b: "B"}
    assert out["CrawlersNotFound"] == [missing]


# ---- crawls (default server: crawls last 50 ms) -------------------------------------------


def test_start_crawler_ends_ready_with_last_crawl(glue, res, wait_until):
    name = res.crawler()
    started = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    assert glue.start_crawler(Name=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    c = wait_until(lambda: ready_with_last_crawl(glue, name))
    last = c["LastCrawl"]
    assert last["Status"] == "SUCCEEDED"
    assert last["StartTime"] >= started
    assert "ErrorMessage" not in last
    crawls = glue.list_crawls(CrawlerName=name)["Crawls"]
    assert len(crawls) == 1
    assert crawls[0]["State"] == "COMPLETED"
    assert crawls[0]["EndTime"] >= crawls[0]["StartTime"]
    assert crawls[0]["CrawlId"]
    # A second crawl after the first ended is fine.
    glue.start_crawler(Name=name)
    wait_until(lambda: len(glue.list_crawls(CrawlerName=name)["Crawls"]) == 2 and crawler_of(glue, name)["State"] == "READY")
    crawls = glue.list_crawls(CrawlerName=name)["Crawls"]
    assert crawls[0]["StartTime"] >= crawls[1]["StartTime"], "ListCrawls lists the newest crawl first"
    assert len({x["CrawlId"] for x in crawls}) == 2


def test_stop_crawler_not_running(glue, res):
    name = res.crawler()
    with pytest.raises(glue.exceptions.CrawlerNotRunningException):
        glue.stop_crawler(Name=name)
    assert crawler_of(glue, name)["State"] == "READY"


def test_start_and_stop_missing_crawler(glue, unique):
    """StartCrawler, StopCrawler, ListCrawls and the schedule calls of a crawler that does not exist."""
    name = unique("crawler-missing")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.start_crawler(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.stop_crawler(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.list_crawls(CrawlerName=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.start_crawler_schedule(CrawlerName=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.stop_crawler_schedule(CrawlerName=name)


def test_get_crawler_metrics(glue, res, wait_until):
    ran, idle = res.crawler(), res.crawler()
    glue.start_crawler(Name=ran)
    wait_until(lambda: ready_with_last_crawl(glue, ran))
    out = glue.get_crawler_metrics(CrawlerNameList=[ran, idle])["CrawlerMetricsList"]
    by_name = {m["CrawlerName"]: m for m in out}
    assert set(by_name) == {ran, idle}
    assert by_name[ran]["LastRuntimeSeconds"] > 0
    assert by_name[ran]["MedianRuntimeSeconds"] > 0
    assert by_name[ran]["TimeLeftSeconds"] == 0 and by_name[ran]["StillEstimating"] is False
    assert by_name[idle]["LastRuntimeSeconds"] == 0


def test_get_crawler_metrics_skips_unknown_names(glue, res, unique):
    name = res.crawler()
    out = glue.get_crawler_metrics(CrawlerNameList=[name, unique("crawler-missing")])["CrawlerMetricsList"]
    assert [m["CrawlerName"] for m in out] == [name]


# ---- crawls that last (private slow server) ------------------------------------------------


def test_crawler_is_running_then_ready(slow_glue, slow_res, wait_until):
    glue = slow_glue
    name = slow_res.crawler()
    glue.start_crawler(Name=name)
    c = crawler_of(glue, name)
    assert c["State"] == "RUNNING"
    assert "LastCrawl" not in c
    crawls = glue.list_crawls(CrawlerName=name)["Crawls"]
    assert len(crawls) == 1 and crawls[0]["State"] == "RUNNING" and "EndTime" not in crawls[0]
    metrics = glue.get_crawler_metrics(CrawlerNameList=[name])["CrawlerMetricsList"]
    assert len(metrics) == 1 and metrics[0]["TimeLeftSeconds"] > 0
    c = wait_until(lambda: ready_with_last_crawl(glue, name), timeout=30)
    assert c["LastCrawl"]["Status"] == "SUCCEEDED"
    crawl = glue.list_crawls(CrawlerName=name)["Crawls"][0]
    assert crawl["State"] == "COMPLETED" and crawl["CrawlId"] == crawls[0]["CrawlId"]
    assert (crawl["EndTime"] - crawl["StartTime"]).total_seconds() >= 2.5
    assert glue.get_crawler_metrics(CrawlerNameList=[name])["CrawlerMetricsList"][0]["LastRuntimeSeconds"] >= 2.5


def test_running_crawler_refuses_start_update_and_delete(slow_glue, slow_res, wait_until):
    glue = slow_glue
    name = slow_res.crawler(Description="keep")
    glue.start_crawler(Name=name)
    assert crawler_of(glue, name)["State"] == "RUNNING"
    with pytest.raises(glue.exceptions.CrawlerRunningException):
        glue.start_crawler(Name=name)
    with pytest.raises(glue.exceptions.CrawlerRunningException):
        glue.delete_crawler(Name=name)
    with pytest.raises(glue.exceptions.CrawlerRunningException):
        glue.update_crawler(Name=name, Description="changed")
    # UpdateCrawlerSchedule's model has no CrawlerRunningException.
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.update_crawler_schedule(CrawlerName=name, Schedule=NEVER)
    c = crawler_of(glue, name)
    assert c["State"] == "RUNNING" and c["Description"] == "keep" and "Schedule" not in c
    assert len(glue.list_crawls(CrawlerName=name)["Crawls"]) == 1, "the refused start began no crawl"

    glue.stop_crawler(Name=name)
    c = wait_until(lambda: ready_with_last_crawl(glue, name), timeout=30)
    assert c["LastCrawl"]["Status"] == "CANCELLED"
    assert glue.list_crawls(CrawlerName=name)["Crawls"][0]["State"] == "STOPPED"
    with pytest.raises(glue.exceptions.CrawlerNotRunningException):
        glue.stop_crawler(Name=name)
    glue.delete_crawler(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_crawler(Name=name)


def test_schedule_state_switches_while_a_crawl_goes_on(slow_glue, slow_res, wait_until):
    glue = slow_glue
    name = slow_res.crawler(Schedule=NEVER)
    glue.start_crawler(Name=name)
    glue.stop_crawler_schedule(CrawlerName=name)
    c = crawler_of(glue, name)
    assert (c["State"], c["Schedule"]["State"]) == ("RUNNING", "NOT_SCHEDULED")
    glue.start_crawler_schedule(CrawlerName=name)
    c = crawler_of(glue, name)
    assert (c["State"], c["Schedule"]["State"]) == ("RUNNING", "SCHEDULED")
    glue.stop_crawler(Name=name)
    wait_until(lambda: crawler_of(glue, name)["State"] == "READY", timeout=30)


def test_stop_crawler_twice(slow_glue, slow_res, wait_until):
    glue = slow_glue
    name = slow_res.crawler()
    glue.start_crawler(Name=name)
    glue.stop_crawler(Name=name)
    state = crawler_of(glue, name)["State"]
    assert state in ("STOPPING", "READY")
    if state == "STOPPING":
        with pytest.raises((glue.exceptions.CrawlerStoppingException, glue.exceptions.CrawlerNotRunningException)):
            glue.stop_crawler(Name=name)
    wait_until(lambda: crawler_of(glue, name)["State"] == "READY", timeout=30)


def test_cli_crawler_happy_and_error_paths(aws_cli, glue, unique, wait_until):
    name = unique("crawler-cli")
    out = aws_cli("glue", "create-crawler", "--name", name, "--role", ROLE, "--targets", json.dumps(TARGETS),
                  "--database-name", "cli_db")
    assert out.returncode == 0 and out.json in (None, {}), out
    try:
        c = aws_cli("glue", "get-crawler", "--name", name).json["Crawler"]
        assert (c["Name"], c["DatabaseName"], c["State"], c["Targets"]) == (name, "cli_db", "READY", TARGETS)
        aws_cli("glue", "start-crawler", "--name", name)
        wait_until(lambda: ready_with_last_crawl(glue, name))
        stop = aws_cli("glue", "stop-crawler", "--name", name, expect_ok=False)
        assert stop.returncode != 0 and "CrawlerNotRunningException" in stop.stderr, stop
    finally:
        aws_cli("glue", "delete-crawler", "--name", name)
    gone = aws_cli("glue", "delete-crawler", "--name", name, expect_ok=False)
    assert gone.returncode != 0 and "EntityNotFoundException" in gone.stderr, gone
