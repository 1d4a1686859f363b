"""EVENT triggers that fire: events delivered to a workflow (POST /_glue_local/events,
EventBridge's PutEvents through rules, files created under --s3-dir) are batched by the
trigger's EventBatchingCondition and start runs that carry StartingEventBatchCondition and
the batch's event ids in the run property aws:eventIds.

One server of its own at --time-scale 1000 (a 900 s window lasts 0.9 s) with an --s3-dir;
its simulated jobs take 2 s, so that a run is still going when the next event comes."""

import contextlib
import json

import pytest

import gluelocal


@pytest.fixture(scope="module")
def s3_dir(tmp_path_factory):
    s3 = tmp_path_factory.mktemp("s3")
    for folder in ("in/raw", "in/tmp"):  # before the server watches, so no folder is new to it
        (s3 / folder).mkdir(parents=True)
    return s3


@pytest.fixture(scope="module")
def server(s3_dir, tmp_path_factory):
    srv = gluelocal.LocalServer(
        extra_args=["--time-scale", "1000", "--s3-dir", str(s3_dir), "--job-duration", "2s"],
        log_path=tmp_path_factory.mktemp("events-log") / "server.log",
    )
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def glue(server):
    return gluelocal.make_glue_client(server.endpoint)


@pytest.fixture(scope="module")
def raw(server):
    client = gluelocal.RawClient(server.endpoint)
    yield client
    client.close()


def post_event(raw, workflow, event_id=None, status=200):
    body = {"workflowName": workflow, **({"eventId": event_id} if event_id else {})}
    resp = raw("POST", "/_glue_local/events", [("Content-Type", "application/json")], json.dumps(body))
    assert resp.status == status, resp.describe()
    return resp.json


def event_workflow(glue, unique, batching=None, max_runs=None, start=True):
    """A workflow W started by an EVENT trigger running job J; returns (W, trigger)."""
    job = unique("job")
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"},
                    ExecutionProperty={"MaxConcurrentRuns": 10})
    wf = unique("wf")
    glue.create_workflow(Name=wf, **({"MaxConcurrentRuns": max_runs} if max_runs else {}))
    trigger = unique("event")
    glue.create_trigger(Name=trigger, WorkflowName=wf, Type="EVENT", StartOnCreation=start,
                        Actions=[{"JobName": job}], **({"EventBatchingCondition": batching} if batching else {}))
    return wf, trigger


def runs_of(glue, wf):
    return glue.get_workflow_runs(Name=wf, IncludeGraph=True)["Runs"]


def test_one_event_starts_a_run_by_default(glue, raw, unique, wait_until):
    wf, trigger = event_workflow(glue, unique)
    answer = post_event(raw, wf, "ev-1")
    assert answer["delivery"] == "started" and answer["trigger"] == trigger, answer
    run = glue.get_workflow_run(Name=wf, RunId=answer["runId"], IncludeGraph=True)["Run"]
    assert run["StartingEventBatchCondition"] == {"BatchSize": 1}
    assert run["WorkflowRunProperties"]["aws:eventIds"] == "[ev-1]"
    props = glue.get_workflow_run_properties(Name=wf, RunId=answer["runId"])["RunProperties"]
    assert props["aws:eventIds"][1:-1] == "ev-1"  # how scripts written for AWS read it
    node = next(n for n in run["Graph"]["Nodes"] if n["Type"] == "TRIGGER")
    assert node["TriggerDetails"]["Trigger"]["Type"] == "EVENT" and node["Name"] == trigger
    # a run started otherwise has no batch condition
    other = glue.start_workflow_run(Name=wf)["RunId"]
    assert "StartingEventBatchCondition" not in glue.get_workflow_run(Name=wf, RunId=other)["Run"]


def test_batch_size_starts_the_run_and_resets(glue, raw, unique):
    wf, _ = event_workflow(glue, unique, batching={"BatchSize": 3, "BatchWindow": 900})
    assert post_event(raw, wf, "a")["pending"] == 1
    assert post_event(raw, wf, "a")["pending"] == 2  # no de-duplication
    answer = post_event(raw, wf, "b")
    assert answer["delivery"] == "started", answer
    run = glue.get_workflow_run(Name=wf, RunId=answer["runId"])["Run"]
    assert run["StartingEventBatchCondition"] == {"BatchSize": 3}
    assert run["WorkflowRunProperties"]["aws:eventIds"] == "[a, a, b]"
    assert post_event(raw, wf, "c") == {"eventId": "c", "delivery": "batched", "trigger": answer["trigger"],
                                        "pending": 1}
    assert len(runs_of(glue, wf)) == 1


def test_batch_window_starts_the_run_with_what_came(glue, raw, unique, wait_until):
    # 5 s of Glue time at --time-scale 1000: 5 ms after the first event
    wf, _ = event_workflow(glue, unique, batching={"BatchSize": 50, "BatchWindow": 5})
    generated = post_event(raw, wf)["eventId"]
    runs = wait_until(lambda: runs_of(glue, wf))
    assert runs[0]["StartingEventBatchCondition"] == {"BatchWindow": 5}
    assert runs[0]["WorkflowRunProperties"]["aws:eventIds"] == f"[{generated}]"


def test_over_max_concurrent_runs_the_start_is_an_error_run_not_retried(glue, raw, unique, wait_until):
    job = unique("slow")
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    wf, trigger = unique("wf"), unique("event")
    glue.create_workflow(Name=wf, MaxConcurrentRuns=1)
    glue.create_trigger(Name=trigger, WorkflowName=wf, Type="EVENT", StartOnCreation=True, Actions=[{"JobName": job}])
    assert post_event(raw, wf, "e1")["delivery"] == "started"
    # while its job runs (--job-duration 2s), the next event's start is refused
    second = post_event(raw, wf, "e2")
    assert second == {"eventId": "e2", "delivery": "notStarted", "trigger": trigger,
                      "message": f"Concurrent runs exceeded for workflow: {wf}."}
    runs = runs_of(glue, wf)
    assert [r["Status"] for r in runs][0] == "ERROR"
    assert runs[0]["ErrorMessage"] == f"Concurrent runs exceeded for workflow: {wf}."


def test_a_trigger_that_is_not_activated_ignores_events(glue, raw, unique):
    wf, trigger = event_workflow(glue, unique, start=False)
    answer = post_event(raw, wf, "x")
    assert answer["delivery"] == "ignored" and "CREATED" in answer["message"], answer
    glue.start_trigger(Name=trigger)
    assert post_event(raw, wf, "y")["delivery"] == "started"
    glue.stop_trigger(Name=trigger)
    assert post_event(raw, wf, "z")["delivery"] == "ignored"
    assert len(runs_of(glue, wf)) == 1
    assert "no EVENT trigger" in post_event(raw, event_workflow_without_trigger(glue, unique), "w")["message"]
    assert "not found" in post_event(raw, unique("missing"), status=404)["error"]


def event_workflow_without_trigger(glue, unique):
    wf = unique("bare")
    glue.create_workflow(Name=wf)
    return wf


@contextlib.contextmanager
def durable_server(state, log):
    """A server of its own on `state`; yields (glue, raw) clients."""
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=log)
    srv.start()
    client = gluelocal.RawClient(srv.endpoint)
    try:
        yield gluelocal.make_glue_client(srv.endpoint), client
    finally:
        client.close()
        srv.stop()


def test_event_runs_survive_a_restart(tmp_path, unique):
    state, log = tmp_path / "state", tmp_path / "server.log"
    with durable_server(state, log) as (glue, client):
        wf, _ = event_workflow(glue, unique, batching={"BatchSize": 2})
        post_event(client, wf, "k1")
        run_id = post_event(client, wf, "k2")["runId"]
        post_event(client, wf, "k3")  # pending: memory only
    with durable_server(state, log) as (glue, client):
        run = glue.get_workflow_run(Name=wf, RunId=run_id)["Run"]
        assert run["StartingEventBatchCondition"] == {"BatchSize": 2}
        assert run["WorkflowRunProperties"]["aws:eventIds"] == "[k1, k2]"
        assert post_event(client, wf, "k4")["pending"] == 1, "the pending batch was lost with the restart"


@pytest.fixture(scope="module")
def aws_cli(server, tmp_path_factory):
    return gluelocal.AwsCli(server.endpoint, tmp_path_factory.mktemp("aws-cli-events"))


@pytest.fixture(scope="module")
def events(server):
    return gluelocal.make_client("events", server.endpoint)


def workflow_arn(wf):
    return f"arn:aws:glue:{gluelocal.REGION}:{gluelocal.ACCOUNT_ID}:workflow/{wf}"


LANDED = {"source": ["my.app"], "detail-type": ["File Landed"],
          "detail": {"bucket": {"name": ["in"]}, "object": {"key": [{"prefix": "raw/"}]}}}


def landed(key, bucket="in"):
    return {"Source": "my.app", "DetailType": "File Landed",
            "Detail": json.dumps({"bucket": {"name": bucket}, "object": {"key": key}})}


def test_aws_events_put_rule_put_targets_put_events_start_a_workflow(glue, aws_cli, unique, wait_until):
    wf, trigger = event_workflow(glue, unique)
    rule = unique("rule")
    put = aws_cli("events", "put-rule", "--name", rule, "--event-pattern", json.dumps(LANDED)).json
    assert put["RuleArn"] == f"arn:aws:events:{gluelocal.REGION}:{gluelocal.ACCOUNT_ID}:rule/{rule}"
    role = f"arn:aws:iam::{gluelocal.ACCOUNT_ID}:role/events-to-glue"
    targets = aws_cli("events", "put-targets", "--rule", rule,
                      "--targets", f"Id=wf,Arn={workflow_arn(wf)},RoleArn={role}").json
    assert targets == {"FailedEntryCount": 0, "FailedEntries": []}
    sent = aws_cli("events", "put-events", "--entries", json.dumps([landed("tmp/a.csv"), landed("raw/a.csv")])).json
    assert sent["FailedEntryCount"] == 0 and len(sent["Entries"]) == 2
    runs = wait_until(lambda: runs_of(glue, wf))
    assert len(runs) == 1, "only the event under raw/ matches the rule"
    assert runs[0]["WorkflowRunProperties"]["aws:eventIds"] == f"[{sent['Entries'][1]['EventId']}]"
    assert runs[0]["StartingEventBatchCondition"] == {"BatchSize": 1}

    described = aws_cli("events", "describe-rule", "--name", rule).json
    assert (described["State"], json.loads(described["EventPattern"])) == ("ENABLED", LANDED)
    assert rule in [r["Name"] for r in aws_cli("events", "list-rules", "--name-prefix", rule).json["Rules"]]
    listed = aws_cli("events", "list-targets-by-rule", "--rule", rule).json["Targets"]
    assert listed == [{"Id": "wf", "Arn": workflow_arn(wf), "RoleArn": role}]
    aws_cli("events", "disable-rule", "--name", rule)
    aws_cli("events", "put-events", "--entries", json.dumps([landed("raw/b.csv")]))
    aws_cli("events", "remove-targets", "--rule", rule, "--ids", "wf")
    aws_cli("events", "delete-rule", "--name", rule)
    gone = aws_cli("events", "describe-rule", "--name", rule, expect_ok=False)
    assert gone.returncode != 0 and "ResourceNotFoundException" in gone.stderr
    assert len(runs_of(glue, wf)) == 1, "a disabled rule delivers nothing"


def test_eventbridge_errors(events, unique):
    from botocore.exceptions import ClientError

    def code(call, **kw):
        with pytest.raises(ClientError) as e:
            call(**kw)
        return e.value.response["Error"]["Code"]

    assert code(events.put_rule, Name=unique("r"), EventPattern='{"source": "not-a-list"}') == "InvalidEventPatternException"
    assert code(events.put_rule, Name=unique("r"), EventPattern="{") == "InvalidEventPatternException"
    assert code(events.put_rule, Name=unique("r")) == "ValidationException"
    assert code(events.put_rule, Name=unique("r"), EventPattern=json.dumps(LANDED), EventBusName="other") == "ResourceNotFoundException"
    assert code(events.put_targets, Rule=unique("missing"), Targets=[{"Id": "1", "Arn": "arn:aws:sqs:us-east-1:1:q"}]) == "ResourceNotFoundException"
    rule = unique("r")
    events.put_rule(Name=rule, EventPattern=json.dumps(LANDED))
    events.put_targets(Rule=rule, Targets=[{"Id": "1", "Arn": "arn:aws:sqs:us-east-1:1:q"}])
    assert code(events.delete_rule, Name=rule) == "ValidationException"  # it has targets
    many = [{"Id": str(i), "Arn": "arn:aws:sqs:us-east-1:1:q"} for i in range(2, 7)]
    assert code(events.put_targets, Rule=rule, Targets=many) == "LimitExceededException"
    out = events.put_events(Entries=[{"Source": "my.app", "DetailType": "x", "Detail": "[1]"}, landed("raw/x")])
    assert out["FailedEntryCount"] == 1
    assert out["Entries"][0]["ErrorCode"] == "MalformedDetail" and "EventId" in out["Entries"][1]


def test_eventbridge_calls_are_validated_and_signed_for_events(server, raw):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def call(body, service):
        req = AWSRequest(method="POST", url=server.endpoint + "/", data=body)
        req.headers["Content-Type"] = "application/x-amz-json-1.1"
        req.headers["X-Amz-Target"] = "AWSEvents.PutEvents"
        SigV4Auth(Credentials(gluelocal.ACCESS_KEY, gluelocal.SECRET_KEY), service, gluelocal.REGION).add_auth(req)
        return raw("POST", "/", list(req.headers.items()), body, sign=False)

    empty = call(b'{"Entries": []}', "events")
    assert (empty.status, empty.error_code) == (400, "ValidationException"), empty.describe()
    wrong_scope = call(b'{"Entries": []}', "glue")
    assert wrong_scope.error_code == "IncompleteSignatureException", wrong_scope.describe()
    assert "'events'" in wrong_scope.json["Message"]


def test_rules_survive_a_restart(tmp_path, unique):
    state, log = tmp_path / "state", tmp_path / "server.log"
    rule = unique("rule")
    with durable_server(state, log) as (glue, _):
        events = gluelocal.make_client("events", glue.meta.endpoint_url)
        events.put_rule(Name=rule, EventPattern=json.dumps(LANDED), State="DISABLED")
        events.put_targets(Rule=rule, Targets=[{"Id": "w", "Arn": workflow_arn("W")}])
    with durable_server(state, log) as (glue, _):
        events = gluelocal.make_client("events", glue.meta.endpoint_url)
        assert events.describe_rule(Name=rule)["State"] == "DISABLED"
        assert events.list_targets_by_rule(Rule=rule)["Targets"] == [{"Id": "w", "Arn": workflow_arn("W")}]


def test_iam_delivery_is_glue_notify_event_for_the_target_role(tmp_path, unique, wait_until):
    acct = gluelocal.ACCOUNT_ID
    allow = lambda actions, res="*": {"Version": "2012-10-17",  # noqa: E731
                                      "Statement": [{"Effect": "Allow", "Action": actions, "Resource": res}]}
    wf, other = unique("wf"), unique("wf")
    config = {"principals": [
        {"arn": f"arn:aws:iam::{acct}:user/admin", "accessKeyId": "AKIAEVENTSADMIN00001", "secretAccessKey": "s1",
         "policies": [allow(["glue:*", "events:*"])]},
        {"arn": f"arn:aws:iam::{acct}:user/poster", "accessKeyId": "AKIAEVENTSPOSTER0001", "secretAccessKey": "s2",
         "policies": [allow(["glue:notifyEvent"], workflow_arn(wf))]},
        {"arn": f"arn:aws:iam::{acct}:role/events", "accessKeyId": "AKIAEVENTSROLE000001", "secretAccessKey": "s3",
         "policies": [allow(["glue:notifyEvent"], workflow_arn(wf))]},
    ]}
    (tmp_path / "iam.json").write_text(json.dumps(config))
    srv = gluelocal.LocalServer(extra_args=["--iam-config", str(tmp_path / "iam.json")], log_path=tmp_path / "server.log")
    srv.start()
    try:
        admin = dict(access_key="AKIAEVENTSADMIN00001", secret_key="s1")
        glue = gluelocal.make_glue_client(srv.endpoint, **admin)
        events = gluelocal.make_client("events", srv.endpoint, **admin)
        for name in (wf, other):
            glue.create_job(Name=name, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
            glue.create_workflow(Name=name)
            glue.create_trigger(Name=name, WorkflowName=name, Type="EVENT", StartOnCreation=True,
                                Actions=[{"JobName": name}])
        rule = unique("rule")
        events.put_rule(Name=rule, EventPattern=json.dumps(LANDED))
        events.put_targets(Rule=rule, Targets=[
            {"Id": "allowed", "Arn": workflow_arn(wf), "RoleArn": f"arn:aws:iam::{acct}:role/events"},
            {"Id": "denied", "Arn": workflow_arn(other), "RoleArn": f"arn:aws:iam::{acct}:role/events"},
        ])
        events.put_events(Entries=[landed("raw/x.csv")])
        wait_until(lambda: glue.get_workflow_runs(Name=wf)["Runs"])
        assert glue.get_workflow_runs(Name=other)["Runs"] == [], "the role may not notify the other workflow"

        poster = gluelocal.RawClient(srv.endpoint, access_key="AKIAEVENTSPOSTER0001", secret_key="s2")
        assert post_event(poster, wf, "p1")["delivery"] == "started"
        denied = poster("POST", "/_glue_local/events", [("Content-Type", "application/json")],
                        json.dumps({"workflowName": other}))
        assert denied.error_code == "AccessDeniedException", denied.describe()
        assert "glue:notifyEvent" in denied.json["Message"]
        poster.close()
    finally:
        srv.stop()


def s3_rule(events, unique, wf, pattern):
    rule = unique("s3")
    events.put_rule(Name=rule, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=rule, Targets=[{"Id": "wf", "Arn": workflow_arn(wf)}])
    return rule


def object_created(prefix):
    return {"source": ["aws.s3"], "detail-type": ["Object Created"],
            "detail": {"bucket": {"name": ["in"]}, "object": {"key": [{"prefix": prefix}]}}}


def test_files_dropped_under_s3_dir_start_runs_by_batch_size(glue, events, s3_dir, unique, wait_until):
    wf, _ = event_workflow(glue, unique, batching={"BatchSize": 2, "BatchWindow": 900})
    s3_rule(events, unique, wf, object_created(f"raw/{wf}-"))
    (s3_dir / "in" / "tmp" / f"{wf}-0.csv").write_text("not matched\n")
    (s3_dir / "in" / "raw" / f"{wf}-1.csv").write_text("a\n")
    (s3_dir / "in" / "raw" / f"{wf}-2.csv").write_text("b\n")
    runs = wait_until(lambda: runs_of(glue, wf))
    assert runs[0]["StartingEventBatchCondition"] == {"BatchSize": 2}
    ids = runs[0]["WorkflowRunProperties"]["aws:eventIds"][1:-1].split(", ")
    assert len(ids) == 2 and len(set(ids)) == 2, ids


def test_a_file_alone_starts_a_run_when_the_window_ends(glue, events, s3_dir, unique, wait_until):
    # 2 s of Glue time at --time-scale 1000
    wf, _ = event_workflow(glue, unique, batching={"BatchSize": 10, "BatchWindow": 2})
    s3_rule(events, unique, wf, object_created(f"raw/{wf}-"))
    staged = s3_dir / "in" / f".{wf}.part"
    staged.write_text("moved into place\n")  # hidden: no event
    staged.rename(s3_dir / "in" / "raw" / f"{wf}-moved.csv")  # a file moved in is created too
    runs = wait_until(lambda: runs_of(glue, wf))
    assert runs[0]["StartingEventBatchCondition"] == {"BatchWindow": 2}
    assert len(runs[0]["WorkflowRunProperties"]["aws:eventIds"][1:-1].split(", ")) == 1


def test_the_guides_cloudtrail_rule_matches_files_too(glue, events, s3_dir, unique, wait_until):
    wf, _ = event_workflow(glue, unique)
    s3_rule(events, unique, wf, {
        "source": ["aws.s3"], "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventSource": ["s3.amazonaws.com"], "eventName": ["PutObject"],
                   "requestParameters": {"bucketName": ["in"], "key": [{"prefix": f"raw/{wf}"}]}},
    })
    (s3_dir / "in" / "raw" / f"{wf}.json").write_text("{}\n")
    runs = wait_until(lambda: runs_of(glue, wf))
    assert runs[0]["StartingEventBatchCondition"] == {"BatchSize": 1}
