"""Triggers: the four types, their states, validation, and CreateTrigger, GetTrigger,
GetTriggers, UpdateTrigger, DeleteTrigger, ListTriggers, BatchGetTriggers, StartTrigger, StopTrigger."""

import json

import pytest

from glue_resources import NEVER, error_message, res, walk  # noqa: F401


def cond(job=None, state="SUCCEEDED", crawler=None, crawl_state="SUCCEEDED"):
    if crawler is not None:
        return {"LogicalOperator": "EQUALS", "CrawlerName": crawler, "CrawlState": crawl_state}
    return {"LogicalOperator": "EQUALS", "JobName": job, "State": state}


def state_of(glue, name):
    return glue.get_trigger(Name=name)["Trigger"]["State"]


# ---- the four types ---------------------------------------------------------------


def test_on_demand_trigger(glue, res):
    job = res.job()
    name = res.trigger(Type="ON_DEMAND", Description="by hand", Actions=[{"JobName": job, "Arguments": {"--x": "1"}, "Timeout": 5}])
    t = glue.get_trigger(Name=name)["Trigger"]
    assert t["Name"] == name
    assert t["Type"] == "ON_DEMAND"
    assert t["State"] == "CREATED"
    assert t["Description"] == "by hand"
    assert t["Actions"] == [{"JobName": job, "Arguments": {"--x": "1"}, "Timeout": 5}]
    assert "WorkflowName" not in t and "Predicate" not in t and "Schedule" not in t
    assert isinstance(t.get("Id"), str) and t["Id"]


def test_on_demand_with_start_on_creation_is_invalid(glue, res, unique):
    job = res.job()
    name = unique("trg")
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_trigger(Name=name, Type="ON_DEMAND", StartOnCreation=True, Actions=[{"JobName": job}])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_trigger(Name=name)


def test_start_on_demand_trigger_fires_its_job_and_stays_created(glue, res, wait_until):
    job = res.job()
    name = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job, "Arguments": {"--from": "trigger"}}])
    assert glue.start_trigger(Name=name)["Name"] == name
    runs = wait_until(lambda: glue.get_job_runs(JobName=job)["JobRuns"])
    assert len(runs) == 1
    assert runs[0]["TriggerName"] == name
    assert runs[0]["Arguments"].get("--from") == "trigger"
    assert state_of(glue, name) == "CREATED"
    wait_until(lambda: glue.get_job_run(JobName=job, RunId=runs[0]["Id"])["JobRun"]["JobRunState"] == "SUCCEEDED")


def test_stop_on_demand_trigger_is_invalid(glue, res):
    name = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": res.job()}])
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.stop_trigger(Name=name)
    assert state_of(glue, name) == "CREATED"


def test_scheduled_trigger_states(glue, res):
    job = res.job()
    name = res.trigger(Type="SCHEDULED", Schedule=NEVER, Actions=[{"JobName": job}])
    t = glue.get_trigger(Name=name)["Trigger"]
    assert (t["Type"], t["State"], t["Schedule"]) == ("SCHEDULED", "CREATED", NEVER)
    assert glue.start_trigger(Name=name)["Name"] == name
    assert state_of(glue, name) == "ACTIVATED"
    assert glue.stop_trigger(Name=name)["Name"] == name
    assert state_of(glue, name) == "DEACTIVATED"
    glue.start_trigger(Name=name)
    assert state_of(glue, name) == "ACTIVATED"
    assert glue.get_job_runs(JobName=job)["JobRuns"] == [], "activating a scheduled trigger does not run it"


def test_scheduled_trigger_start_on_creation_is_activated(glue, res):
    name = res.trigger(Type="SCHEDULED", Schedule="cron(0 12 1 1 ? 2099)", StartOnCreation=True, Actions=[{"JobName": res.job()}])
    assert state_of(glue, name) == "ACTIVATED"


@pytest.mark.parametrize(
    "schedule",
    [None, "", "rate(5 minutes)", "cron(0 12 * *)", "cron(99 12 * * ? *)", "0 12 * * ? *", "cron(0 12 * * ? *"],
)
def test_scheduled_trigger_needs_a_valid_cron(glue, res, unique, schedule):
    job = res.job()
    name = unique("trg")
    kwargs = {} if schedule is None else {"Schedule": schedule}
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_trigger(Name=name, Type="SCHEDULED", Actions=[{"JobName": job}], **kwargs)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_trigger(Name=name)


def test_conditional_trigger_with_job_and_crawler_conditions(glue, res):
    j1, j2, crawler = res.job(), res.job(), res.crawler()
    name = res.trigger(
        Type="CONDITIONAL",
        Predicate={"Logical": "AND", "Conditions": [cond(j1), cond(crawler=crawler, crawl_state="FAILED")]},
        Actions=[{"JobName": j2}],
    )
    t = glue.get_trigger(Name=name)["Trigger"]
    assert (t["Type"], t["State"]) == ("CONDITIONAL", "CREATED")
    assert t["Predicate"]["Logical"] == "AND"
    assert t["Predicate"]["Conditions"] == [cond(j1), cond(crawler=crawler, crawl_state="FAILED")]
    assert t["Actions"] == [{"JobName": j2}]


def test_conditional_any_and_start_on_creation(glue, res):
    j1, j2, j3 = res.job(), res.job(), res.job()
    name = res.trigger(
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Logical": "ANY", "Conditions": [cond(j1, "FAILED"), cond(j2, "TIMEOUT")]},
        Actions=[{"JobName": j3}],
    )
    t = glue.get_trigger(Name=name)["Trigger"]
    assert t["State"] == "ACTIVATED"
    assert t["Predicate"]["Logical"] == "ANY"
    assert [(c["JobName"], c["State"]) for c in t["Predicate"]["Conditions"]] == [(j1, "FAILED"), (j2, "TIMEOUT")]
    glue.stop_trigger(Name=name)
    assert state_of(glue, name) == "DEACTIVATED"
    glue.start_trigger(Name=name)
    assert state_of(glue, name) == "ACTIVATED"


def test_conditional_single_condition_needs_no_logical(glue, res):
    j1, j2 = res.job(), res.job()
    name = res.trigger(Type="CONDITIONAL", Predicate={"Conditions": [cond(j1)]}, Actions=[{"JobName": j2}])
    assert glue.get_trigger(Name=name)["Trigger"]["Predicate"]["Conditions"] == [cond(j1)]


@pytest.mark.parametrize("predicate", [None, {}, {"Logical": "AND", "Conditions": []}])
def test_conditional_without_a_condition_is_invalid(glue, res, unique, predicate):
    job = res.job()
    kwargs = {} if predicate is None else {"Predicate": predicate}
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_trigger(Name=unique("trg"), Type="CONDITIONAL", Actions=[{"JobName": job}], **kwargs)


def test_conditional_two_conditions_without_logical_is_invalid(glue, res, unique):
    j1, j2, j3 = res.job(), res.job(), res.job()
    with pytest.raises(glue.exceptions.InvalidInputException) as e:
        glue.create_trigger(
            Name=unique("trg"),
            Type="CONDITIONAL",
            Predicate={"Conditions": [cond(j1), cond(j2)]},
            Actions=[{"JobName": j3}],
        )
    assert "Logical operator cannot be null or empty" in error_message(e)


def test_event_trigger(glue, res):
    wf = res.workflow()
    job = res.job()
    name = res.trigger(
        WorkflowName=wf,
        Type="EVENT",
        EventBatchingCondition={"BatchSize": 5, "BatchWindow": 300},
        Actions=[{"JobName": job}],
    )
    t = glue.get_trigger(Name=name)["Trigger"]
    assert (t["Type"], t["State"], t["WorkflowName"]) == ("EVENT", "CREATED", wf)
    assert t["EventBatchingCondition"] == {"BatchSize": 5, "BatchWindow": 300}


# ---- workflows and references ---------------------------------------------------------


def test_second_start_trigger_in_a_workflow_is_invalid(glue, res, unique):
    wf = res.workflow()
    job = res.job()
    res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    for kwargs in (
        {"Type": "ON_DEMAND"},
        {"Type": "SCHEDULED", "Schedule": NEVER},
        {"Type": "EVENT"},
    ):
        name = unique("trg")
        with pytest.raises(glue.exceptions.InvalidInputException):
            glue.create_trigger(Name=name, WorkflowName=wf, Actions=[{"JobName": job}], **kwargs)
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_trigger(Name=name)
    # A conditional trigger after the start trigger is fine.
    res.trigger(WorkflowName=wf, Type="CONDITIONAL", Predicate={"Conditions": [cond(job)]}, Actions=[{"JobName": res.job()}])


def test_references_to_missing_resources_are_entity_not_found(glue, res, unique):
    job = res.job()
    cases = [
        {"Type": "ON_DEMAND", "WorkflowName": unique("wf-missing"), "Actions": [{"JobName": job}]},
        {"Type": "ON_DEMAND", "Actions": [{"JobName": unique("job-missing")}]},
        {"Type": "ON_DEMAND", "Actions": [{"CrawlerName": unique("crawler-missing")}]},
        {"Type": "CONDITIONAL", "Predicate": {"Conditions": [cond(unique("job-missing"))]}, "Actions": [{"JobName": job}]},
        {
            "Type": "CONDITIONAL",
            "Predicate": {"Conditions": [cond(crawler=unique("crawler-missing"))]},
            "Actions": [{"JobName": job}],
        },
    ]
    for kwargs in cases:
        name = unique("trg")
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.create_trigger(Name=name, **kwargs)
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_trigger(Name=name)


def test_create_existing_is_already_exists(glue, res):
    job = res.job()
    name = res.trigger(Type="ON_DEMAND", Description="first", Actions=[{"JobName": job}])
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_trigger(Name=name, Type="ON_DEMAND", Description="second", Actions=[{"JobName": job}])
    assert glue.get_trigger(Name=name)["Trigger"]["Description"] == "first"


def test_start_trigger_of_a_workflow_starts_a_run(glue, res, wait_until):
    wf = res.workflow()
    job = res.job()
    name = res.trigger(WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    glue.start_trigger(Name=name)
    runs = wait_until(lambda: glue.get_workflow_runs(Name=wf)["Runs"])
    assert len(runs) == 1 and runs[0]["Name"] == wf
    done = wait_until(lambda: glue.get_workflow_run(Name=wf, RunId=runs[0]["WorkflowRunId"])["Run"]["Status"] == "COMPLETED")
    assert done
    job_runs = glue.get_job_runs(JobName=job)["JobRuns"]
    assert len(job_runs) == 1 and job_runs[0]["Arguments"]["--WORKFLOW_NAME"] == wf


# ---- get, update, delete, list ------------------------------------------------------------


def test_get_missing_trigger_and_start_stop_missing(glue, unique):
    name = unique("trg-missing")
    for call in (glue.get_trigger, glue.start_trigger, glue.stop_trigger):
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            call(Name=name)


def test_update_trigger_changes_only_members_given(glue, res):
    j1, j2, j3 = res.job(), res.job(), res.job()
    name = res.trigger(
        Type="CONDITIONAL",
        Description="before",
        Predicate={"Conditions": [cond(j1)]},
        Actions=[{"JobName": j2}],
    )
    t = glue.update_trigger(Name=name, TriggerUpdate={"Description": "after"})["Trigger"]
    assert t["Description"] == "after"
    assert t["Actions"] == [{"JobName": j2}]
    assert t["Predicate"]["Conditions"] == [cond(j1)]
    t = glue.update_trigger(
        Name=name,
        TriggerUpdate={"Actions": [{"JobName": j3}], "Predicate": {"Logical": "ANY", "Conditions": [cond(j1), cond(j2, "FAILED")]}},
    )["Trigger"]
    assert t["Actions"] == [{"JobName": j3}]
    assert t["Predicate"] == {"Logical": "ANY", "Conditions": [cond(j1), cond(j2, "FAILED")]}
    assert t["Description"] == "after"
    assert glue.get_trigger(Name=name)["Trigger"] == t


def test_update_scheduled_trigger_schedule(glue, res):
    name = res.trigger(Type="SCHEDULED", Schedule=NEVER, Actions=[{"JobName": res.job()}])
    other = "cron(30 6 1 1 ? 2099)"
    assert glue.update_trigger(Name=name, TriggerUpdate={"Schedule": other})["Trigger"]["Schedule"] == other
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.update_trigger(Name=name, TriggerUpdate={"Schedule": "rate(1 day)"})
    assert glue.get_trigger(Name=name)["Trigger"]["Schedule"] == other


def test_update_errors(glue, res, unique):
    j1, j2, j3 = res.job(), res.job(), res.job()
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_trigger(Name=unique("trg-missing"), TriggerUpdate={"Description": "x"})
    name = res.trigger(Type="CONDITIONAL", Predicate={"Conditions": [cond(j1)]}, Actions=[{"JobName": j2}])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_trigger(Name=name, TriggerUpdate={"Actions": [{"JobName": unique("job-missing")}]})
    with pytest.raises(glue.exceptions.InvalidInputException) as e:
        glue.update_trigger(Name=name, TriggerUpdate={"Predicate": {"Conditions": [cond(j1), cond(j3)]}})
    assert "Logical operator cannot be null or empty" in error_message(e)
    t = glue.get_trigger(Name=name)["Trigger"]
    assert t["Actions"] == [{"JobName": j2}] and t["Predicate"]["Conditions"] == [cond(j1)], "a refused update changes nothing"


def test_delete_trigger(glue, res, unique):
    name = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": res.job()}])
    assert glue.delete_trigger(Name=name)["Name"] == name
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_trigger(Name=name)
    missing = unique("trg-missing")
    assert glue.delete_trigger(Name=missing)["Name"] == missing


def test_get_triggers_and_list_triggers_by_dependent_job(glue, res):
    a, b = res.job(), res.job()
    ta = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": a}])
    tab = res.trigger(Type="SCHEDULED", Schedule=NEVER, Actions=[{"JobName": b}, {"JobName": a}])
    tb = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": b}])

    got, _ = walk(glue.get_triggers, "Triggers", DependentJobName=a)
    assert sorted(t["Name"] for t in got) == sorted([ta, tab])
    assert {t["Name"]: t["Type"] for t in got} == {ta: "ON_DEMAND", tab: "SCHEDULED"}
    listed, _ = walk(glue.list_triggers, "TriggerNames", DependentJobName=b)
    assert sorted(listed) == sorted([tab, tb])

    everything, _ = walk(glue.get_triggers, "Triggers")
    names = [t["Name"] for t in everything]
    assert {ta, tab, tb} <= set(names) and len(names) == len(set(names))


def test_list_triggers_with_tags_filter(glue, res, unique):
    team = unique("team")
    job = res.job()
    a = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}], Tags={"team": team, "env": "prod"})
    b = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}], Tags={"team": team})
    res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}])
    by_team, _ = walk(glue.list_triggers, "TriggerNames", Tags={"team": team})
    assert sorted(by_team) == sorted([a, b])
    both, _ = walk(glue.list_triggers, "TriggerNames", Tags={"team": team, "env": "prod"})
    assert both == [a]


def test_batch_get_triggers(glue, res, unique):
    job = res.job()
    a = res.trigger(Type="ON_DEMAND", Actions=[{"JobName": job}], Description="A")
    b = res.trigger(Type="SCHEDULED", Schedule=NEVER, Actions=[{"JobName": job}], Description="B")
    missing = unique("trg-missing")
    out = glue.batch_get_triggers(TriggerNames=[a, missing, b])
    assert {t["Name"]: (t["Type"], t["Description"]) for t in out["Triggers"]} == {a: ("ON_DEMAND", "A"), b: ("SCHEDULED", "B")}
    assert out["TriggersNotFound"] == [missing]


def test_cli_trigger_happy_and_error_paths(aws_cli, glue, res, unique):
    job = res.job()
    name = unique("trg-cli")
    out = aws_cli(
        "glue", "create-trigger", "--name", name, "--type", "SCHEDULED", "--schedule", NEVER,
        "--actions", json.dumps([{"JobName": job}]), "--start-on-creation",
    )
    assert out.json == {"Name": name}
    try:
        t = aws_cli("glue", "get-trigger", "--name", name).json["Trigger"]
        assert (t["Type"], t["State"], t["Schedule"]) == ("SCHEDULED", "ACTIVATED", NEVER)
        assert aws_cli("glue", "stop-trigger", "--name", name).json == {"Name": name}
        assert glue.get_trigger(Name=name)["Trigger"]["State"] == "DEACTIVATED"
        upd = aws_cli("glue", "update-trigger", "--name", name, "--trigger-update", json.dumps({"Description": "cli"})).json
        assert upd["Trigger"]["Description"] == "cli" and upd["Trigger"]["Actions"] == [{"JobName": job}]
    finally:
        assert aws_cli("glue", "delete-trigger", "--name", name).json == {"Name": name}
    bad = aws_cli(
        "glue", "create-trigger", "--name", unique("trg-cli"), "--type", "SCHEDULED", "--schedule", "rate(5 minutes)",
        "--actions", json.dumps([{"JobName": job}]), expect_ok=False,
    )
    assert bad.returncode != 0 and "InvalidInputException" in bad.stderr, bad
    gone = aws_cli("glue", "get-trigger", "--name", name, expect_ok=False)
    assert gone.returncode != 0 and "EntityNotFoundException" in gone.stderr, gone


def test_dependent_job_without_triggers_returns_all_triggers(glue, unique):
    """AWS: "If there is no such trigger, all triggers are returned." """
    lonely = unique("lonely")
    glue.create_job(Name=lonely, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    other = unique("job")
    glue.create_job(Name=other, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    trigger = unique("t")
    glue.create_trigger(Name=trigger, Type="ON_DEMAND", Actions=[{"JobName": other}])
    names, token = [], None
    while True:
        page = glue.list_triggers(DependentJobName=lonely, MaxResults=100, **({"NextToken": token} if token else {}))
        names += page.get("TriggerNames", [])
        token = page.get("NextToken")
        if not token:
            break
    assert trigger in names
