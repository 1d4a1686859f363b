"""Crawler schedules: UpdateCrawlerSchedule, StartCrawlerSchedule, StopCrawlerSchedule, and the
schedule (expression and state) GetCrawler reports.

Calls while a crawl runs are in test_crawlers.py (its slow server); that the scheduler leaves a
NOT_SCHEDULED crawler alone is in test_schedule.py (its one minute-long wait)."""

import pytest
from botocore.exceptions import ClientError

import gluelocal
from glue_resources import NEVER, Resources, arn, res  # noqa: F401

# Like NEVER: valid, and far from firing while the tests run.
OTHER_NEVER = "cron(0 0 1 1 ? 2098)"


def schedule_of(glue, name):
    return glue.get_crawler(Name=name)["Crawler"].get("Schedule")


def state_of(glue, name):
    return schedule_of(glue, name)["State"]


def test_update_crawler_schedule_sets_changes_and_removes(glue, res):
    name = res.crawler()
    assert schedule_of(glue, name) is None
    version = glue.get_crawler(Name=name)["Crawler"]["Version"]

    out = glue.update_crawler_schedule(CrawlerName=name, Schedule=NEVER)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert schedule_of(glue, name)["ScheduleExpression"] == NEVER
    glue.update_crawler_schedule(CrawlerName=name, Schedule=OTHER_NEVER)
    assert schedule_of(glue, name)["ScheduleExpression"] == OTHER_NEVER
    assert glue.get_crawler(Name=name)["Crawler"]["Version"] == version + 2

    glue.update_crawler_schedule(CrawlerName=name, Schedule="")
    assert schedule_of(glue, name) is None


def test_update_crawler_schedule_bad_cron_is_invalid_and_changes_nothing(glue, res):
    name = res.crawler(Schedule=NEVER)
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.update_crawler_schedule(CrawlerName=name, Schedule="every day")
    assert schedule_of(glue, name)["ScheduleExpression"] == NEVER


def test_update_crawler_schedule_of_missing_crawler(glue, unique):
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_crawler_schedule(CrawlerName=unique("crawler-missing"), Schedule=NEVER)


def test_stop_and_start_switch_the_schedule_state_once(glue, res):
    name = res.crawler(Schedule=NEVER)
    assert schedule_of(glue, name) == {"ScheduleExpression": NEVER, "State": "SCHEDULED"}
    version = glue.get_crawler(Name=name)["Crawler"]["Version"]

    assert glue.stop_crawler_schedule(CrawlerName=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert schedule_of(glue, name) == {"ScheduleExpression": NEVER, "State": "NOT_SCHEDULED"}
    with pytest.raises(glue.exceptions.SchedulerNotRunningException):
        glue.stop_crawler_schedule(CrawlerName=name)
    assert state_of(glue, name) == "NOT_SCHEDULED"

    assert glue.start_crawler_schedule(CrawlerName=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert state_of(glue, name) == "SCHEDULED"
    with pytest.raises(glue.exceptions.SchedulerRunningException):
        glue.start_crawler_schedule(CrawlerName=name)
    assert state_of(glue, name) == "SCHEDULED"
    c = glue.get_crawler(Name=name)["Crawler"]
    assert (c["Version"], c["State"]) == (version, "READY"), "switching the state is not a new version"


def test_a_crawler_without_schedule_has_no_schedule_to_start_or_stop(glue, res):
    name = res.crawler()
    with pytest.raises(glue.exceptions.NoScheduleException):
        glue.start_crawler_schedule(CrawlerName=name)
    with pytest.raises(glue.exceptions.SchedulerNotRunningException):
        glue.stop_crawler_schedule(CrawlerName=name)
    assert schedule_of(glue, name) is None


def test_updates_keep_the_state_and_a_new_schedule_is_scheduled(glue, res):
    name = res.crawler(Schedule=NEVER)
    glue.stop_crawler_schedule(CrawlerName=name)
    glue.update_crawler_schedule(CrawlerName=name, Schedule=OTHER_NEVER)
    assert schedule_of(glue, name) == {"ScheduleExpression": OTHER_NEVER, "State": "NOT_SCHEDULED"}
    glue.update_crawler(Name=name, Schedule=NEVER)
    assert schedule_of(glue, name) == {"ScheduleExpression": NEVER, "State": "NOT_SCHEDULED"}

    glue.update_crawler_schedule(CrawlerName=name, Schedule="")
    assert schedule_of(glue, name) is None
    glue.update_crawler_schedule(CrawlerName=name, Schedule=NEVER)
    assert schedule_of(glue, name) == {"ScheduleExpression": NEVER, "State": "SCHEDULED"}


def test_cli_crawler_schedule_happy_and_error_paths(aws_cli, glue, res):
    name = res.crawler()
    out = aws_cli("glue", "update-crawler-schedule", "--crawler-name", name, "--schedule", NEVER)
    assert out.returncode == 0 and out.json in (None, {}), out
    aws_cli("glue", "stop-crawler-schedule", "--crawler-name", name)
    c = aws_cli("glue", "get-crawler", "--name", name).json["Crawler"]
    assert c["Schedule"] == {"ScheduleExpression": NEVER, "State": "NOT_SCHEDULED"}
    again = aws_cli("glue", "stop-crawler-schedule", "--crawler-name", name, expect_ok=False)
    assert again.returncode != 0 and "SchedulerNotRunningException" in again.stderr, again
    aws_cli("glue", "start-crawler-schedule", "--crawler-name", name)
    assert state_of(glue, name) == "SCHEDULED"
    bad = aws_cli("glue", "update-crawler-schedule", "--crawler-name", name, "--schedule", "daily", expect_ok=False)
    assert bad.returncode != 0 and "InvalidInputException" in bad.stderr, bad


# ---- IAM (a server of its own) ---------------------------------------------------------------

SCHEDULE_ACTIONS = ["glue:UpdateCrawlerSchedule", "glue:StartCrawlerSchedule", "glue:StopCrawlerSchedule"]
PRINCIPALS = [
    {"arn": f"arn:aws:iam::{gluelocal.ACCOUNT_ID}:user/admin", "accessKeyId": "AKIAADMIN00000000001",
     "secretAccessKey": "admin-secret", "policies": [
         {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:*", "Resource": "*"}]}]},
    {"arn": f"arn:aws:iam::{gluelocal.ACCOUNT_ID}:user/ops", "accessKeyId": "AKIAOPS0000000000001",
     "secretAccessKey": "ops-secret", "policies": [
         {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": SCHEDULE_ACTIONS, "Resource": arn("crawler", "dev-*")}]}]},
]


@pytest.fixture(scope="module")
def iam_server(tmp_path_factory):
    srv = gluelocal.iam_server(tmp_path_factory.mktemp("iam-schedules"), "iam-schedules", PRINCIPALS)
    yield srv
    srv.stop()


def test_schedule_calls_are_authorized_on_the_crawler_named(iam_server, unique):
    admin, ops = (
        gluelocal.make_glue_client(iam_server.endpoint, gluelocal.REGION, p["accessKeyId"], p["secretAccessKey"])
        for p in PRINCIPALS
    )
    admins = Resources(admin)
    try:
        dev = admins.crawler(name=unique("dev"), Schedule=NEVER)
        prod = admins.crawler(name=unique("prod"), Schedule=NEVER)
        ops.stop_crawler_schedule(CrawlerName=dev)
        ops.update_crawler_schedule(CrawlerName=dev, Schedule=OTHER_NEVER)
        ops.start_crawler_schedule(CrawlerName=dev)
        calls = {
            "StopCrawlerSchedule": lambda: ops.stop_crawler_schedule(CrawlerName=prod),
            "UpdateCrawlerSchedule": lambda: ops.update_crawler_schedule(CrawlerName=prod, Schedule=OTHER_NEVER),
            "StartCrawlerSchedule": lambda: ops.start_crawler_schedule(CrawlerName=prod),
        }
        for op, call in calls.items():
            with pytest.raises(ClientError) as info:
                call()
            error = info.value.response["Error"]
            assert error["Code"] == "AccessDeniedException", (op, error)
            assert f"glue:{op} on resource: {arn('crawler', prod)}" in error["Message"], error
        assert admin.get_crawler(Name=dev)["Crawler"]["Schedule"] == {"ScheduleExpression": OTHER_NEVER, "State": "SCHEDULED"}
        assert admin.get_crawler(Name=prod)["Crawler"]["Schedule"] == {"ScheduleExpression": NEVER, "State": "SCHEDULED"}
    finally:
        admins.cleanup()
