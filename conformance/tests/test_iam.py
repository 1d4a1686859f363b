"""IAM: principals from --iam-config, verified signatures, policy checks on every
Glue action, AWS's denial format, hot reload, and control endpoints behind glue-local:*.

These tests run their own glue-local with an IAM config (the shared server is permissive)."""

import json

import pytest
from botocore.exceptions import ClientError

import gluelocal
from workflows_util import all_workflows

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"


def principal(name, key, policies, account=ACCOUNT, kind="user"):
    return {
        "arn": f"arn:aws:iam::{account}:{kind}/{name}",
        "accessKeyId": key,
        "secretAccessKey": f"{name}-secret",
        "policies": policies,
    }


def allow(actions, resources="*"):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}]}


def config(reader_actions=("glue:Get*", "glue:List*")):
    return {
        "principals": [
            principal("admin", "AKIAADMIN00000000001", [allow(["glue:*", "glue-local:*"])]),
            principal("reader", "AKIAREADER0000000001", [allow(list(reader_actions))]),
            principal("operator", "AKIAOPERATOR00000001", [allow(["glue:Get*", "glue:ResumeWorkflowRun"])], kind="role"),
            principal(
                "guarded",
                "AKIAGUARDED000000001",
                [
                    allow(["glue:*"]),
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Deny",
                                "Action": "glue:*",
                                "Resource": f"arn:aws:glue:us-east-1:{ACCOUNT}:workflow/secret-*",
                            }
                        ],
                    },
                ],
            ),
            principal("stranger", "AKIASTRANGER00000001", [allow(["glue:*"])], account=OTHER_ACCOUNT),
        ]
    }


@pytest.fixture(scope="module")
def iam_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("iam") / "iam.json"
    path.write_text(json.dumps(config()))
    return path


@pytest.fixture(scope="module")
def server(iam_file):
    srv = gluelocal.LocalServer(extra_args=["--iam-config", str(iam_file)], log_path=gluelocal.ARTIFACTS_DIR / "server-iam.log")
    srv.start()
    yield srv
    srv.stop()


def client(server, who, region="us-east-1"):
    keys = {
        "admin": "AKIAADMIN00000000001",
        "reader": "AKIAREADER0000000001",
        "operator": "AKIAOPERATOR00000001",
        "guarded": "AKIAGUARDED000000001",
        "stranger": "AKIASTRANGER00000001",
    }
    return gluelocal.make_glue_client(server.endpoint, region, keys[who], f"{who}-secret")


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response


def failed_run(server, unique, wait_until):
    """A workflow J1 → J2 whose J2 failed: returns (workflow, run id, J2's node id)."""
    admin = client(server, "admin")
    wf, j1, j2 = unique("wf"), unique("j1"), unique("j2")
    for j in (j1, j2):
        admin.create_job(Name=j, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    admin.create_workflow(Name=wf)
    admin.create_trigger(Name=unique("t1"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": j1}])
    admin.create_trigger(
        Name=unique("t2"),
        WorkflowName=wf,
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": j1, "State": "SUCCEEDED"}]},
        Actions=[{"JobName": j2}],
    )
    signed = gluelocal.RawClient(server.endpoint, access_key="AKIAADMIN00000000001", secret_key="admin-secret")
    resp = signed("POST", "/_glue_local/outcomes", {"Content-Type": "application/json"},
                  json.dumps({"jobName": j2, "state": "FAILED", "errorMessage": "boom"}))
    assert resp.status == 200, resp.describe()
    run_id = admin.start_workflow_run(Name=wf)["RunId"]
    wait_until(lambda: admin.get_workflow_run(Name=wf, RunId=run_id)["Run"]["Status"] == "COMPLETED")
    graph = admin.get_workflow_run(Name=wf, RunId=run_id, IncludeGraph=True)["Run"]["Graph"]
    node = next(n for n in graph["Nodes"] if n["Name"] == j2)
    return wf, run_id, node["UniqueId"]


def test_reader_may_read_runs_but_not_resume(server, unique, wait_until):
    wf, run_id, node = failed_run(server, unique, wait_until)
    reader = client(server, "reader")
    assert reader.get_workflow_run(Name=wf, RunId=run_id)["Run"]["Status"] == "COMPLETED"
    err = error_of(lambda: reader.resume_workflow_run(Name=wf, RunId=run_id, NodeIds=[node]))
    assert err["Error"]["Code"] == "AccessDeniedException"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err["Error"]["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT}:user/reader is not authorized to perform: glue:ResumeWorkflowRun "
        f"on resource: arn:aws:glue:us-east-1:{ACCOUNT}:workflow/{wf} "
        "because no identity-based policy allows the glue:ResumeWorkflowRun action"
    )
    # The denied call changed nothing.
    assert len(reader.get_workflow_runs(Name=wf)["Runs"]) == 1


def test_operator_may_resume(server, unique, wait_until):
    wf, run_id, node = failed_run(server, unique, wait_until)
    operator = client(server, "operator")
    resumed = operator.resume_workflow_run(Name=wf, RunId=run_id, NodeIds=[node])
    assert resumed["NodeIds"] == [node]
    run = wait_until(lambda: (r := operator.get_workflow_run(Name=wf, RunId=resumed["RunId"])["Run"])["Status"] == "COMPLETED" and r)
    assert run["PreviousRunId"] == run_id
    # The operator may not create anything.
    err = error_of(lambda: operator.create_workflow(Name=unique("wf")))
    assert err["Error"]["Code"] == "AccessDeniedException"
    assert f"arn:aws:iam::{ACCOUNT}:role/operator is not authorized to perform: glue:CreateWorkflow" in err["Error"]["Message"]


def test_explicit_deny_on_one_workflow(server, unique):
    guarded = client(server, "guarded")
    open_name, secret_name = unique("open"), unique("secret")
    guarded.create_workflow(Name=open_name)
    err = error_of(lambda: guarded.create_workflow(Name=secret_name))
    assert err["Error"]["Code"] == "AccessDeniedException"
    assert err["Error"]["Message"].endswith("with an explicit deny in an identity-based policy")
    assert f"workflow/{secret_name}" in err["Error"]["Message"]
    assert open_name in all_workflows(client(server, "admin"))
    assert secret_name not in all_workflows(client(server, "admin"))


def test_unknown_access_key_is_unrecognized(server):
    stranger = gluelocal.make_glue_client(server.endpoint, "us-east-1", "AKIANOBODY0000000001", "x")
    err = error_of(lambda: stranger.list_workflows())
    assert err["Error"]["Code"] == "UnrecognizedClientException"
    assert err["Error"]["Message"] == "The security token included in the request is invalid."


def test_wrong_secret_and_tampered_body_are_refused(server, unique):
    wrong = gluelocal.make_glue_client(server.endpoint, "us-east-1", "AKIAADMIN00000000001", "not-the-secret")
    err = error_of(lambda: wrong.list_workflows())
    assert err["Error"]["Code"] == "InvalidSignatureException"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403

    raw = gluelocal.RawClient(server.endpoint, access_key="AKIAADMIN00000000001", secret_key="admin-secret")
    body = json.dumps({"Name": unique("wf")}).encode()
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSGlue.CreateWorkflow")]
    signed = raw.sign("POST", "/", headers, body)
    ok = raw("POST", "/", signed, body, sign=False)
    assert ok.status == 200, ok.describe()
    tampered = body[:-2] + b"X" + body[-1:]  # one byte changed after signing
    refused = raw("POST", "/", raw.sign("POST", "/", headers, body), tampered, sign=False)
    assert refused.status == 403
    assert refused.error_code == "InvalidSignatureException"


def test_other_account_sees_nothing_of_the_first(server, unique):
    wf = unique("wf")
    client(server, "admin").create_workflow(Name=wf)
    stranger = client(server, "stranger")
    assert wf not in all_workflows(stranger)
    err = error_of(lambda: stranger.get_workflow(Name=wf))
    assert err["Error"]["Code"] == "EntityNotFoundException"


def test_cli_denial(server, unique, tmp_path):
    cli = gluelocal.AwsCli(server.endpoint, tmp_path)
    wf = unique("wf")
    client(server, "admin").create_workflow(Name=wf)
    ok = cli("glue", "get-workflow", "--name", wf, access_key="AKIAREADER0000000001", secret_key="reader-secret")
    assert ok.json["Workflow"]["Name"] == wf
    denied = cli("glue", "delete-workflow", "--name", wf, access_key="AKIAREADER0000000001",
                 secret_key="reader-secret", expect_ok=False)
    assert denied.returncode != 0
    assert "AccessDeniedException" in denied.stderr
    assert "glue:DeleteWorkflow" in denied.stderr


def test_control_endpoints_need_glue_local_permission(server):
    anonymous = gluelocal.RawClient(server.endpoint)
    resp = anonymous("POST", "/_glue_local/outcomes", {"Content-Type": "application/json"},
                     json.dumps({"jobName": "x", "state": "FAILED"}), sign=False)
    assert resp.status == 403 and resp.error_code == "MissingAuthenticationTokenException"
    reader = gluelocal.RawClient(server.endpoint, access_key="AKIAREADER0000000001", secret_key="reader-secret")
    resp = reader("POST", "/_glue_local/reset", {"Content-Type": "application/json"}, b"{}")
    assert resp.status == 400 and resp.error_code == "AccessDeniedException"
    assert "glue-local:Reset" in resp.json["Message"]
    assert anonymous("GET", "/_glue_local/health", sign=False).status == 200


def test_reload_keeps_old_policies_when_the_new_file_is_bad(server, iam_file, unique, wait_until):
    admin = gluelocal.RawClient(server.endpoint, access_key="AKIAADMIN00000000001", secret_key="admin-secret")
    original = iam_file.read_text()
    try:
        iam_file.write_text("{not json")
        resp = admin("POST", "/_glue_local/iam/reload", {"Content-Type": "application/json"}, b"{}")
        assert resp.status == 400 and "iam.json" in resp.body.decode()
        client(server, "reader").list_workflows()  # old config in force: still allowed

        iam_file.write_text(json.dumps(config(reader_actions=("glue:Get*", "glue:List*", "glue:CreateWorkflow"))))
        resp = admin("POST", "/_glue_local/iam/reload", {"Content-Type": "application/json"}, b"{}")
        assert resp.status == 200, resp.describe()
        client(server, "reader").create_workflow(Name=unique("wf"))
    finally:
        iam_file.write_text(original)
        admin("POST", "/_glue_local/iam/reload", {"Content-Type": "application/json"}, b"{}")


def test_bad_config_stops_start_up(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"principals": [principal("x", "AKIAX000000000000001", [{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "glue:*", "Resource": "*"}]}])]}))
    srv = gluelocal.LocalServer(extra_args=["--iam-config", str(bad)], log_path=tmp_path / "server.log")
    with pytest.raises(RuntimeError) as info:
        srv.start(timeout=10)
    text = str(info.value)
    assert "bad.json" in text and "arn:aws:iam::123456789012:user/x" in text and "Permit" in text
    assert "x-secret" not in text


def test_sighup_reloads_the_config(server, iam_file, unique, wait_until):
    import signal

    original = iam_file.read_text()
    reader = client(server, "reader")
    name = unique("wf")
    try:
        assert error_of(lambda: reader.create_workflow(Name=name))["Error"]["Code"] == "AccessDeniedException"
        iam_file.write_text(json.dumps(config(reader_actions=("glue:Get*", "glue:List*", "glue:CreateWorkflow"))))
        server.proc.send_signal(signal.SIGHUP)

        def allowed():
            try:
                reader.create_workflow(Name=name)
                return True
            except ClientError as e:
                assert e.response["Error"]["Code"] == "AccessDeniedException"
                return False

        wait_until(allowed, timeout=10)
    finally:
        iam_file.write_text(original)
        server.proc.send_signal(signal.SIGHUP)
