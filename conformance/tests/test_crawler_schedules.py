"""Crawler schedules: UpdateCrawlerSchedule, and the schedule GetCrawler reports.

Refusals while a crawl runs are in test_crawlers.py (its slow server)."""

import pytest

from glue_resources import NEVER, res  # noqa: F401

# Like NEVER: valid, and far from firing while the tests run.
OTHER_NEVER = "cron(0 0 1 1 ? 2098)"


def schedule_of(glue, name):
    return glue.get_crawler(Name=name)["Crawler"].get("Schedule")


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
