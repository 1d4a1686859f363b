"""Jobs as resources: CreateJob (idempotent), GetJob, UpdateJob (replace), DeleteJob,
GetJobs, ListJobs (Tags filter), BatchGetJobs."""

import datetime as dt
import json

import pytest

from glue_resources import COMMAND, ROLE, error_message, res, walk  # noqa: F401

FULL = {
    "Description": "loads the sales table",
    "LogUri": "s3://glue-local-tests/logs/",
    "Connections": {"Connections": ["conn-a", "conn-b"]},
    "NotificationProperty": {"NotifyDelayAfter": 7},
    "ExecutionProperty": {"MaxConcurrentRuns": 4},
    "DefaultArguments": {"--stage": "dev", "--enable-metrics": "true"},
    "NonOverridableArguments": {"--fixed": "yes"},
    "MaxRetries": 2,
    "Timeout": 60,
    "GlueVersion": "4.0",
    "WorkerType": "G.1X",
    "NumberOfWorkers": 3,
    "ExecutionClass": "STANDARD",
    "SecurityConfiguration": "sec-conf",
}


def test_create_minimal_job_has_defaults(glue, res):
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    name = res.job()
    j = glue.get_job(JobName=name)["Job"]
    assert j["Name"] == name
    assert j["Role"] == ROLE
    assert j["Command"] == COMMAND
    assert j["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert j["MaxRetries"] == 0
    assert j["Timeout"] == 2880
    assert before <= j["CreatedOn"] <= j["LastModifiedOn"] <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)
    for absent in ("Description", "DefaultArguments", "Connections", "NotificationProperty"):
        assert absent not in j, f"{absent} was never set"


def test_passthrough_members_round_trip(glue, res):
    name = res.job(**FULL)
    j = glue.get_job(JobName=name)["Job"]
    for key, value in FULL.items():
        assert j[key] == value, key
    # GetJobs and BatchGetJobs show the same definition.
    batch = glue.batch_get_jobs(JobNames=[name])["Jobs"]
    assert len(batch) == 1 and all(batch[0][k] == v for k, v in FULL.items())


def test_create_same_definition_is_idempotent(glue, res):
    name = res.job(Description="d", DefaultArguments={"--a": "1"})
    created = glue.get_job(JobName=name)["Job"]
    again = glue.create_job(Name=name, Role=ROLE, Command=dict(COMMAND), Description="d", DefaultArguments={"--a": "1"})
    assert again["Name"] == name
    assert glue.get_job(JobName=name)["Job"] == created


def test_create_different_definition_is_a_mismatch(glue, res):
    name = res.job(Description="d")
    with pytest.raises(glue.exceptions.IdempotentParameterMismatchException):
        glue.create_job(Name=name, Role=ROLE, Command=dict(COMMAND), Description="other")
    with pytest.raises(glue.exceptions.IdempotentParameterMismatchException):
        glue.create_job(Name=name, Role=ROLE + "-2", Command=dict(COMMAND), Description="d")
    assert glue.get_job(JobName=name)["Job"]["Description"] == "d"
    assert glue.get_job(JobName=name)["Job"]["Role"] == ROLE


def test_get_missing_job_is_entity_not_found(glue, unique):
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job(JobName=unique("job-missing"))


def test_update_replaces_the_definition(glue, res):
    name = res.job(**FULL)
    created = glue.get_job(JobName=name)["Job"]
    new_command = {"Name": "pythonshell", "ScriptLocation": "s3://glue-local-tests/scripts/other.py", "PythonVersion": "3.9"}
    out = glue.update_job(JobName=name, JobUpdate={"Role": ROLE + "-new", "Command": new_command, "Timeout": 10})
    assert out["JobName"] == name
    j = glue.get_job(JobName=name)["Job"]
    assert j["Role"] == ROLE + "-new"
    assert j["Command"] == new_command
    assert j["Timeout"] == 10
    # Members the update does not give are back to their defaults.
    assert j["MaxRetries"] == 0
    assert j["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    for gone in ("Description", "DefaultArguments", "NonOverridableArguments", "Connections", "NotificationProperty", "LogUri", "WorkerType"):
        assert gone not in j, f"{gone} should be reset by UpdateJob"
    assert j["CreatedOn"] == created["CreatedOn"]
    assert j["LastModifiedOn"] >= created["LastModifiedOn"]


def test_update_keeps_role_and_command_when_omitted(glue, res):
    name = res.job(Description="old", MaxRetries=3)
    glue.update_job(JobName=name, JobUpdate={"Description": "new", "DefaultArguments": {"--x": "1"}})
    j = glue.get_job(JobName=name)["Job"]
    assert j["Role"] == ROLE and j["Command"] == COMMAND
    assert j["Description"] == "new"
    assert j["DefaultArguments"] == {"--x": "1"}
    assert j["MaxRetries"] == 0


def test_update_missing_job_is_entity_not_found(glue, unique):
    name = unique("job-missing")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_job(JobName=name, JobUpdate={"Role": ROLE, "Command": dict(COMMAND)})
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job(JobName=name)


def test_delete_job(glue, res, unique):
    name = res.job()
    assert glue.delete_job(JobName=name)["JobName"] == name
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job(JobName=name)
    missing = unique("job-missing")
    assert glue.delete_job(JobName=missing)["JobName"] == missing
    # Deleted for good: a new job of that name may have any definition.
    res.job(name=name, Description="reborn")
    assert glue.get_job(JobName=name)["Job"]["Description"] == "reborn"


def test_get_jobs_returns_definitions(glue, res):
    names = {res.job(Description=f"job {i}", MaxRetries=i) for i in range(3)}
    jobs, _ = walk(glue.get_jobs, "Jobs")
    mine = {j["Name"]: j for j in jobs if j["Name"] in names}
    assert set(mine) == names
    for j in mine.values():
        assert j["Description"] == f"job {j['MaxRetries']}" and j["Role"] == ROLE
    all_names = [j["Name"] for j in jobs]
    assert len(all_names) == len(set(all_names))


def test_list_jobs_with_tags_filter(glue, res, unique):
    team = unique("team")
    a = res.job(Tags={"team": team, "tier": "gold"})
    b = res.job(Tags={"team": team})
    c = res.job(Tags={"team": team + "-other", "tier": "gold"})
    untagged = res.job()

    listed, _ = walk(glue.list_jobs, "JobNames")
    assert {a, b, c, untagged} <= set(listed)
    assert listed == sorted(listed)

    by_team, _ = walk(glue.list_jobs, "JobNames", Tags={"team": team})
    assert sorted(by_team) == sorted([a, b])
    both, _ = walk(glue.list_jobs, "JobNames", Tags={"team": team, "tier": "gold"})
    assert both == [a]
    none, _ = walk(glue.list_jobs, "JobNames", Tags={"team": unique("nobody")})
    assert none == []


def test_batch_get_jobs_reports_missing(glue, res, unique):
    a, b = res.job(Description="A"), res.job(Description="B")
    missing = unique("job-missing")
    out = glue.batch_get_jobs(JobNames=[a, missing, b])
    assert {j["Name"]: j["Description"] for j in out["Jobs"]} == {a: "A", b: "B"}
    assert out["JobsNotFound"] == [missing]


def test_cli_job_happy_and_error_paths(aws_cli, glue, unique):
    name = unique("job-cli")
    out = aws_cli(
        "glue", "create-job", "--name", name, "--role", ROLE,
        "--command", json.dumps(COMMAND),
        "--default-arguments", json.dumps({"--from": "cli"}),
        "--tags", "origin=cli",
    )
    assert out.json == {"Name": name}
    try:
        j = aws_cli("glue", "get-job", "--job-name", name).json["Job"]
        assert j["Command"] == COMMAND and j["DefaultArguments"] == {"--from": "cli"} and j["Timeout"] == 2880
        mismatch = aws_cli("glue", "create-job", "--name", name, "--role", ROLE + "-x",
                           "--command", json.dumps(COMMAND), expect_ok=False)
        assert mismatch.returncode != 0 and "IdempotentParameterMismatchException" in mismatch.stderr, mismatch
        upd = aws_cli("glue", "update-job", "--job-name", name, "--job-update", json.dumps({"Description": "via cli"}))
        assert upd.json == {"JobName": name}
        assert glue.get_job(JobName=name)["Job"]["Description"] == "via cli"
        listed = aws_cli("glue", "list-jobs", "--tags", "origin=cli").json["JobNames"]
        assert name in listed
    finally:
        assert aws_cli("glue", "delete-job", "--job-name", name).json == {"JobName": name}
    missing = aws_cli("glue", "get-job", "--job-name", name, expect_ok=False)
    assert missing.returncode != 0 and "EntityNotFoundException" in missing.stderr, missing
    assert name in missing.stderr or "not found" in missing.stderr.lower()


def test_error_message_names_the_job(glue, unique):
    name = unique("job-missing")
    with pytest.raises(glue.exceptions.EntityNotFoundException) as e:
        glue.get_job(JobName=name)
    assert name in error_message(e)
