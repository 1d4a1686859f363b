"""Smoke tests of the harness against the running glue-local: each fixture works.

Behavioural tests of the API live in their own files; these only prove the
plumbing (health, boto3 with validation, aws CLI with the plugin, raw
signed and unsigned requests, unique names, wait_until).
"""

import json

import pytest

import model_validator as mv

AUTH_CODES = {
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
}


def test_health(raw):
    resp = raw("GET", "/_glue_local/health", sign=False)
    assert resp.status == 200, resp.describe()
    doc = resp.json
    assert isinstance(doc, dict) and doc.get("status") == "ok" and isinstance(doc.get("version"), str), doc


def test_boto3_round_trip(glue, unique):
    name = unique("wf")
    assert glue.create_workflow(Name=name, Description="harness smoke")["Name"] == name
    try:
        got = glue.get_workflow(Name=name)["Workflow"]
        assert got["Name"] == name and got["Description"] == "harness smoke"
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_workflow(Name=unique("missing"))
    finally:
        glue.delete_workflow(Name=name)


def test_make_glue_other_region_and_keys(make_glue, unique):
    client = make_glue(region="eu-west-1", access_key="AKIDEXAMPLE", secret_key="secret")
    with pytest.raises(client.exceptions.EntityNotFoundException):  # the error body is validated too
        client.get_workflow(Name=unique("missing"))


def test_aws_cli_round_trip(aws_cli, unique):
    name = unique("wf")
    out = aws_cli("glue", "create-workflow", "--name", name)
    assert out.json == {"Name": name}
    try:
        got = aws_cli("glue", "get-workflow", "--name", name)
        assert got.json["Workflow"]["Name"] == name
        missing = aws_cli("glue", "get-workflow", "--name", unique("missing"), expect_ok=False)
        assert missing.returncode != 0 and "EntityNotFoundException" in missing.stderr
    finally:
        aws_cli("glue", "delete-workflow", "--name", name)


def test_raw_signed_call_is_validated_like_the_sdks(raw, glue_model, unique):
    name = unique("wf")
    resp = raw.glue("CreateWorkflow", {"Name": name})
    assert resp.status == 200, resp.describe()
    assert mv.check_response(glue_model.operation_model("CreateWorkflow"), resp.status, resp.headers, resp.body) == []
    resp = raw.glue("DeleteWorkflow", {"Name": name})
    assert resp.status == 200, resp.describe()
    assert json.loads(resp.body) == {"Name": name}


def test_unsigned_glue_request_is_an_auth_error(raw, glue_model):
    resp = raw.glue("ListWorkflows", {}, sign=False)
    assert resp.status == 403 and resp.error_code in AUTH_CODES, resp.describe()
    assert mv.check_response(glue_model.operation_model("ListWorkflows"), resp.status, resp.headers, resp.body) == []


def test_unique_names_differ(unique):
    names = {unique("wf") for _ in range(100)}
    assert len(names) == 100 and all(n.startswith("wf-") for n in names)


def test_wait_until(wait_until):
    calls = []
    assert wait_until(lambda: calls.append(1) or len(calls) >= 3, timeout=2, interval=0.001) is True
    with pytest.raises(AssertionError, match="not met within"):
        wait_until(lambda: False, timeout=0.05, interval=0.01)
