"""Self-tests of model_validator on synthetic bodies (no glue-local needed).

A good body passes; each kind of violation is caught at the right path.  The
last tests run a stub HTTP server in-process to show that the hooks fire for
boto3 and the aws CLI, on success and on error responses.
"""

import contextlib
import copy
import http.server
import json
import threading

import pytest

import gluelocal
import model_validator as mv

MODEL = gluelocal.glue_service_model()
OK_HEADERS = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "11111111-2222-3333-4444-555555555555"}

GOOD_GET_WORKFLOW = {
    "Workflow": {
        "Name": "wf-1",
        "Description": "a workflow",
        "DefaultRunProperties": {"k": "v"},
        "CreatedOn": 1700000000.123,
        "LastModifiedOn": 1700000001,
        "MaxConcurrentRuns": 2,
        "LastRun": {
            "Name": "wf-1",
            "WorkflowRunId": "wr_" + "0" * 64,
            "StartedOn": 1700000002.5,
            "CompletedOn": 1700000003.5,
            "Status": "COMPLETED",
            "Statistics": {"TotalActions": 2, "SucceededActions": 2, "FailedActions": 0},
            "WorkflowRunProperties": {},
        },
        "Graph": {
            "Nodes": [
                {
                    "Type": "TRIGGER",
                    "Name": "t1",
                    "UniqueId": "wnode_" + "a" * 64,
                    "TriggerDetails": {
                        "Trigger": {
                            "Name": "t1",
                            "WorkflowName": "wf-1",
                            "Type": "ON_DEMAND",
                            "State": "CREATED",
                            "Actions": [{"JobName": "j1", "Timeout": 10}],
                        }
                    },
                },
                {"Type": "JOB", "Name": "j1", "UniqueId": "wnode_" + "b" * 64, "JobDetails": {}},
            ],
            "Edges": [{"SourceId": "wnode_" + "a" * 64, "DestinationId": "wnode_" + "b" * 64}],
        },
    }
}


def op(name):
    return MODEL.operation_model(name)


def body(value):
    return json.dumps(value).encode()


def violations(operation, value, status=200, headers=OK_HEADERS):
    raw = value if isinstance(value, (bytes, str)) else body(value)
    return mv.check_response(op(operation), status, headers, raw)


def mutate(path_setter):
    value = copy.deepcopy(GOOD_GET_WORKFLOW)
    path_setter(value)
    return value


def assert_one(vs, rule, path=None):
    assert vs, "expected a violation, got none"
    matching = [v for v in vs if v.rule == rule and (path is None or v.path == path)]
    assert matching, f"expected a {rule!r} violation at {path}, got: {[str(v) for v in vs]}"


# --------------------------------------------------------------------------
# success bodies
# --------------------------------------------------------------------------


def test_good_body_passes():
    assert violations("GetWorkflow", GOOD_GET_WORKFLOW) == []


def test_good_bodies_of_other_operations_pass():
    assert violations("ListWorkflows", {"Workflows": ["a", "b"], "NextToken": "t"}) == []
    assert violations("TagResource", {}) == []
    assert violations("GetTags", {"Tags": {"k": "v"}}) == []
    assert violations("StartJobRun", {"JobRunId": "jr_" + "1" * 64}) == []
    assert violations("GetJob", {"Job": {"Name": "j", "GlueVersion": "4.0", "MaxCapacity": 0.0625, "Timeout": 2880}}) == []
    assert violations("ListCrawls", {"Crawls": [{"DPUHour": 0, "State": "COMPLETED", "StartTime": 1700000000}]}) == []


@pytest.mark.parametrize(
    "setter,rule,path",
    [
        (lambda b: b.update(Extra=1), "unknown-member", "$.Extra"),
        (lambda b: b["Workflow"].update(Foo="x"), "unknown-member", "$.Workflow.Foo"),
        (lambda b: b["Workflow"]["Graph"]["Nodes"][0].update(Bogus=True), "unknown-member", "$.Workflow.Graph.Nodes[0].Bogus"),
        (
            lambda b: b["Workflow"]["Graph"]["Nodes"][0]["TriggerDetails"]["Trigger"].update(EventBatchingCondition={}),
            "required",
            "$.Workflow.Graph.Nodes[0].TriggerDetails.Trigger.EventBatchingCondition.BatchSize",
        ),
        (lambda b: b["Workflow"].update(Name=5), "type", "$.Workflow.Name"),
        (lambda b: b["Workflow"].update(MaxConcurrentRuns=1.0), "type", "$.Workflow.MaxConcurrentRuns"),
        (lambda b: b["Workflow"].update(MaxConcurrentRuns=True), "type", "$.Workflow.MaxConcurrentRuns"),
        (lambda b: b["Workflow"].update(MaxConcurrentRuns="2"), "type", "$.Workflow.MaxConcurrentRuns"),
        (lambda b: b["Workflow"].update(MaxConcurrentRuns=2**31), "range", "$.Workflow.MaxConcurrentRuns"),
        (lambda b: b["Workflow"]["LastRun"]["Statistics"].update(TotalActions=False), "type", "$.Workflow.LastRun.Statistics.TotalActions"),
        (lambda b: b["Workflow"].update(CreatedOn="2024-01-01T00:00:00Z"), "type", "$.Workflow.CreatedOn"),
        (lambda b: b["Workflow"].update(CreatedOn=True), "type", "$.Workflow.CreatedOn"),
        (lambda b: b["Workflow"].update(CreatedOn=1700000000123), "timestamp", "$.Workflow.CreatedOn"),
        (lambda b: b["Workflow"].update(CreatedOn=0), "timestamp", "$.Workflow.CreatedOn"),
        (lambda b: b["Workflow"]["LastRun"].update(Status="DONE"), "enum", "$.Workflow.LastRun.Status"),
        (lambda b: b["Workflow"]["Graph"]["Nodes"][1].update(Type="job"), "enum", "$.Workflow.Graph.Nodes[1].Type"),
        (lambda b: b["Workflow"].update(Name=""), "length", "$.Workflow.Name"),
        (lambda b: b["Workflow"].update(Name="n" * 256), "length", "$.Workflow.Name"),
        (lambda b: b["Workflow"].update(Description=None), "null", "$.Workflow.Description"),
        (lambda b: b["Workflow"]["DefaultRunProperties"].update(k=None), "null", "$.Workflow.DefaultRunProperties.k"),
        (lambda b: b["Workflow"]["Graph"].update(Nodes={}), "type", "$.Workflow.Graph.Nodes"),
        (lambda b: b["Workflow"].update(DefaultRunProperties=[]), "type", "$.Workflow.DefaultRunProperties"),
        (lambda b: b["Workflow"].update(LastRun="run"), "type", "$.Workflow.LastRun"),
        (lambda b: b["Workflow"]["DefaultRunProperties"].update(k=1), "type", "$.Workflow.DefaultRunProperties.k"),
        (lambda b: b["Workflow"]["DefaultRunProperties"].update({"": "v"}), "length", '$.Workflow.DefaultRunProperties[""]<key>'),
        (
            lambda b: b["Workflow"]["Graph"]["Nodes"][0]["TriggerDetails"]["Trigger"]["Actions"][0].update(Timeout=0),
            "range",
            "$.Workflow.Graph.Nodes[0].TriggerDetails.Trigger.Actions[0].Timeout",
        ),
        (lambda b: b["Workflow"]["Graph"]["Nodes"].append(None), "null", "$.Workflow.Graph.Nodes[2]"),
    ],
    ids=lambda x: x if isinstance(x, str) else None,
)
def test_each_violation_kind_is_caught(setter, rule, path):
    assert_one(violations("GetWorkflow", mutate(setter)), rule, path)


def test_list_size_limits():
    assert_one(mv.validate_value(op("ListWorkflows").output_shape, {"Workflows": []}), "length", "$.Workflows")
    assert_one(violations("ListWorkflows", {"Workflows": [f"w{i}" for i in range(26)]}), "length", "$.Workflows")


def test_output_lists_aws_sends_empty():
    # The model's minimum of one is the input's; AWS answers an empty list.
    assert violations("ListWorkflows", {"Workflows": []}) == []
    assert violations("GetWorkflowRuns", {"Runs": []}) == []
    assert violations("BatchGetWorkflows", {"Workflows": [], "MissingWorkflows": []}) == []


def test_map_size_and_key_limits():
    assert_one(violations("GetTags", {"Tags": {f"k{i}": "v" for i in range(51)}}), "length", "$.Tags")
    assert_one(violations("GetTags", {"Tags": {"k" * 129: "v"}}), "length")
    assert_one(violations("GetTags", {"Tags": {"k": "v" * 257}}), "length", "$.Tags.k")


def test_doubles_and_patterns():
    assert_one(violations("ListCrawls", {"Crawls": [{"DPUHour": "1.5"}]}), "type", "$.Crawls[0].DPUHour")
    assert_one(violations("ListCrawls", {"Crawls": [{"DPUHour": -1}]}), "range", "$.Crawls[0].DPUHour")
    assert_one(violations("ListCrawls", {"Crawls": [{"DPUHour": True}]}), "type", "$.Crawls[0].DPUHour")
    assert_one(violations("GetJob", {"Job": {"Name": "j", "GlueVersion": "4"}}), "pattern", "$.Job.GlueVersion")


def test_supplementary_characters_match_the_models_surrogate_ranges():
    assert violations("GetWorkflow", {"Workflow": {"Name": "wf-\U0001F600"}}) == []
    assert_one(violations("GetWorkflow", {"Workflow": {"Name": "a\u0001b"}}), "pattern", "$.Workflow.Name")


def test_json_level_problems():
    assert_one(violations("GetWorkflow", b""), "json")
    assert_one(violations("GetWorkflow", b"not json"), "json")
    assert_one(violations("GetWorkflow", b'{"Workflow": {"Name": "a", "Name": "b"}}'), "json")
    assert_one(violations("GetWorkflow", b'{"Workflow": {"MaxConcurrentRuns": NaN}}'), "json")
    assert_one(violations("GetWorkflow", b'{"Workflow": {"Name": "\xff"}}'), "json")
    assert_one(violations("GetWorkflow", b"null"), "null", "$")
    assert_one(violations("GetWorkflow", b"[]"), "type", "$")


def test_protocol_headers_and_status():
    assert_one(violations("GetWorkflow", GOOD_GET_WORKFLOW, headers={"x-amzn-RequestId": "r"}), "protocol")
    assert_one(violations("GetWorkflow", GOOD_GET_WORKFLOW, headers={"Content-Type": "application/json", "x-amzn-RequestId": "r"}), "protocol")
    assert_one(violations("GetWorkflow", GOOD_GET_WORKFLOW, headers={"Content-Type": "application/x-amz-json-1.1"}), "protocol")
    assert_one(violations("GetWorkflow", GOOD_GET_WORKFLOW, status=201), "protocol", "<status>")


def test_every_implemented_operation_has_an_output_shape_walkable():
    from operations import IMPLEMENTED_OPERATIONS

    for name in IMPLEMENTED_OPERATIONS:
        o = op(name)
        # an empty object is valid for every output shape that has no required members
        vs = mv.check_response(o, 200, OK_HEADERS, b"{}")
        assert all(v.rule == "required" for v in vs), (name, [str(v) for v in vs])


# --------------------------------------------------------------------------
# error bodies
# --------------------------------------------------------------------------


def err(code, message="boom", status=400, header=None, extra=None, key="Message"):
    h = dict(OK_HEADERS)
    if header is not False:
        h["x-amzn-ErrorType"] = header or code
    b = {"__type": code}
    if key:
        b[key] = message
    b.update(extra or {})
    return status, h, body(b)


def error_violations(operation, response):
    status, h, b = response
    return mv.check_response(op(operation) if operation else None, status, h, b)


def test_good_errors_pass():
    assert error_violations("GetWorkflow", err("EntityNotFoundException")) == []
    assert error_violations("GetWorkflow", err("EntityNotFoundException", extra={"FromFederationSource": False})) == []
    assert error_violations("GetWorkflow", err("InvalidInputException", key="message")) == []
    assert error_violations("GetWorkflow", err("InternalServiceException", status=500)) == []
    assert error_violations("GetWorkflow", err("UnrecognizedClientException", status=403)) == []
    assert error_violations("GetWorkflow", err("AccessDeniedException")) == []
    assert error_violations("GetWorkflow", err("SerializationException")) == []
    assert error_violations(None, err("UnknownOperationException")) == []
    assert error_violations("CreateWorkflow", err("RequestEntityTooLargeException", status=413)) == []
    # the model forgets InvalidInputException on crawler operations: accepted anyway
    assert error_violations("GetCrawler", err("InvalidInputException")) == []


@pytest.mark.parametrize(
    "operation,response,rule",
    [
        ("GetWorkflow", err("EntityNotFoundException", header=False), "error-header"),
        ("GetWorkflow", err("EntityNotFoundException", header="InvalidInputException"), "error-header"),
        ("GetWorkflow", err("EntityNotFoundException", key=None), "error-message"),
        ("GetWorkflow", err("EntityNotFoundException", message=""), "error-message"),
        ("GetWorkflow", err("EntityNotFoundException", message=None), "error-message"),
        ("GetWorkflow", err("EntityNotFoundException", extra={"message": "twice"}), "error-message"),
        ("GetWorkflow", err("CrawlerRunningException"), "error-code"),
        ("DeleteWorkflow", err("EntityNotFoundException"), "error-code"),
        ("GetWorkflow", err("com.amazonaws.glue#EntityNotFoundException"), "error-code"),
        ("GetWorkflow", err("EntityNotFoundException", status=404), "error-status"),
        ("GetWorkflow", err("InternalServiceException", status=400), "error-status"),
        ("GetWorkflow", err("UnrecognizedClientException", status=400), "error-status"),
        ("CreateWorkflow", err("RequestEntityTooLargeException", status=400), "error-status"),
        ("GetWorkflow", err("EntityNotFoundException", extra={"Detail": "x"}), "unknown-member"),
        ("GetWorkflow", err("EntityNotFoundException", extra={"FromFederationSource": "no"}), "type"),
        (None, err("EntityNotFoundException"), "error-code"),
    ],
)
def test_error_violations_are_caught(operation, response, rule):
    assert_one(error_violations(operation, response), rule)


def test_error_body_without_type_and_non_json():
    h = dict(OK_HEADERS, **{"x-amzn-ErrorType": "InvalidInputException"})
    assert_one(mv.check_response(op("GetWorkflow"), 400, h, body({"Message": "m"})), "error-body")
    assert_one(mv.check_response(op("GetWorkflow"), 400, h, b"<html>"), "json")
    assert_one(mv.check_response(op("GetWorkflow"), 400, h, b"[]"), "error-body")


def test_check_expected_error():
    status, h, b = err("InvalidInputException")
    assert mv.check_expected_error(op("GetWorkflow"), status, h, b, "InvalidInputException", 400) == []
    problems = mv.check_expected_error(op("GetWorkflow"), status, h, b, "SerializationException", 400)
    assert problems and "expected error SerializationException, got InvalidInputException" in problems[0]
    problems = mv.check_expected_error(op("GetWorkflow"), 200, OK_HEADERS, b"{}", "InvalidInputException")
    assert problems and "got success" in problems[0]


def test_report_is_readable():
    bad = mutate(lambda b: b["Workflow"].update(CreatedOn="yesterday"))
    vs = violations("GetWorkflow", bad)
    report = mv.format_report("GetWorkflow", {"Name": "wf-1"}, 200, body(bad), vs)
    assert "GetWorkflow" in report
    assert '"Name": "wf-1"' in report
    assert "response status: 200" in report
    assert "yesterday" in report
    assert "$.Workflow.CreatedOn: [type]" in report


# --------------------------------------------------------------------------
# hooks, end to end against an in-process stub server
# --------------------------------------------------------------------------


class _Stub(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _StubHandler)
        self.responses = {}  # operation -> (status, headers, body)
        self.requests = []


class _StubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 - http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        operation = (self.headers.get("X-Amz-Target") or "").split(".")[-1]
        self.server.requests.append((operation, dict(self.headers), data))
        status, headers, payload = self.server.responses.get(operation, (200, OK_HEADERS, b"{}"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stub():
    server = _Stub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stub_endpoint(stub):
    stub.responses.clear()
    stub.requests.clear()
    return f"http://127.0.0.1:{stub.server_address[1]}"


@contextlib.contextmanager
def provoked_violation():
    """Expect a ModelViolation and forget it (conftest would fail the test otherwise)."""
    start = len(mv.RECORDED_VIOLATIONS)
    try:
        with pytest.raises(mv.ModelViolation) as info:
            yield info
    finally:
        assert len(mv.RECORDED_VIOLATIONS) > start, "the violation was not recorded"
        del mv.RECORDED_VIOLATIONS[start:]


def test_boto3_hook_passes_good_responses(stub, stub_endpoint):
    stub.responses["GetWorkflow"] = (200, OK_HEADERS, body(GOOD_GET_WORKFLOW))
    client = gluelocal.make_glue_client(stub_endpoint)
    assert client.get_workflow(Name="wf-1")["Workflow"]["Name"] == "wf-1"


def test_boto3_hook_fails_bad_success_response(stub, stub_endpoint):
    stub.responses["GetWorkflow"] = (200, OK_HEADERS, body({"Workflow": {"Name": "wf-1", "CreatedOn": "today"}}))
    client = gluelocal.make_glue_client(stub_endpoint)
    with provoked_violation() as info:
        client.get_workflow(Name="wf-1", IncludeGraph=True)
    text = str(info.value)
    assert "GetWorkflow" in text and '"IncludeGraph": true' in text and "$.Workflow.CreatedOn: [type]" in text
    assert "response status: 200" in text


def test_boto3_hook_fails_bad_error_response(stub, stub_endpoint):
    # the hook sees error responses too (before botocore turns them into ClientError)
    stub.responses["GetWorkflow"] = (400, OK_HEADERS, body({"__type": "EntityNotFoundException", "Message": "no"}))
    client = gluelocal.make_glue_client(stub_endpoint)
    with provoked_violation() as info:
        client.get_workflow(Name="missing")
    assert "x-amzn-ErrorType" in str(info.value)


def test_swallowed_violation_is_recorded(stub, stub_endpoint):
    stub.responses["ListWorkflows"] = (200, OK_HEADERS, body({"Workflows": "not-a-list"}))
    client = gluelocal.make_glue_client(stub_endpoint)
    start = len(mv.RECORDED_VIOLATIONS)
    try:
        client.list_workflows()
    except Exception:  # noqa: BLE001 - a careless test swallowing everything
        pass
    assert len(mv.RECORDED_VIOLATIONS) == start + 1  # conftest's pytest_runtest_call fails such a test
    del mv.RECORDED_VIOLATIONS[start:]


def test_boto3_hook_lets_good_errors_through(stub, stub_endpoint):
    h = dict(OK_HEADERS, **{"x-amzn-ErrorType": "EntityNotFoundException"})
    stub.responses["GetWorkflow"] = (400, h, body({"__type": "EntityNotFoundException", "Message": "no"}))
    client = gluelocal.make_glue_client(stub_endpoint)
    with pytest.raises(client.exceptions.EntityNotFoundException):
        client.get_workflow(Name="missing")


def test_boto3_retries_are_off(stub, stub_endpoint):
    h = dict(OK_HEADERS, **{"x-amzn-ErrorType": "InternalServiceException"})
    stub.responses["GetWorkflow"] = (500, h, body({"__type": "InternalServiceException", "Message": "oops"}))
    client = gluelocal.make_glue_client(stub_endpoint)
    with pytest.raises(client.exceptions.InternalServiceException):
        client.get_workflow(Name="x")
    assert len(stub.requests) == 1, "a 500 must not be retried"


def test_aws_cli_retries_are_off(stub, stub_endpoint, tmp_path):
    h = dict(OK_HEADERS, **{"x-amzn-ErrorType": "InternalServiceException"})
    stub.responses["GetWorkflow"] = (500, h, body({"__type": "InternalServiceException", "Message": "oops"}))
    result = gluelocal.AwsCli(stub_endpoint, tmp_path)("glue", "get-workflow", "--name", "x", expect_ok=False)
    assert result.returncode != 0 and "InternalServiceException" in result.stderr
    assert len(stub.requests) == 1, "a 500 must not be retried"


def test_aws_cli_plugin_fails_bad_response(stub, stub_endpoint, tmp_path):
    stub.responses["ListWorkflows"] = (200, OK_HEADERS, body({"Workflows": ["a"], "Surprise": 1}))
    cli = gluelocal.AwsCli(stub_endpoint, tmp_path)
    with provoked_violation() as info:
        cli("glue", "list-workflows")
    text = str(info.value)
    assert "ListWorkflows" in text and "$.Surprise: [unknown-member]" in text and "aws CLI" in text


def test_aws_cli_plugin_passes_good_response_and_errors(stub, stub_endpoint, tmp_path):
    stub.responses["ListWorkflows"] = (200, OK_HEADERS, body({"Workflows": ["a", "b"]}))
    cli = gluelocal.AwsCli(stub_endpoint, tmp_path)
    result = cli("glue", "list-workflows")
    assert result.returncode == 0 and result.json == {"Workflows": ["a", "b"]}
    op_name, headers, _ = stub.requests[-1]
    assert op_name == "ListWorkflows" and "Credential=test/" in headers["Authorization"]

    h = dict(OK_HEADERS, **{"x-amzn-ErrorType": "EntityNotFoundException"})
    stub.responses["GetWorkflow"] = (400, h, body({"__type": "EntityNotFoundException", "Message": "no such"}))
    result = cli("glue", "get-workflow", "--name", "x", expect_ok=False)
    assert result.returncode != 0 and "EntityNotFoundException" in result.stderr
    with pytest.raises(AssertionError, match="expect_ok"):
        cli("glue", "get-workflow", "--name", "x")


def test_raw_client_signs_with_sigv4(stub, stub_endpoint):
    raw = gluelocal.RawClient(stub_endpoint)
    resp = raw.glue("ListWorkflows", {})
    assert resp.status == 200 and resp.json == {}
    _, headers, data = stub.requests[-1]
    auth = headers["Authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=test/") and "/us-east-1/glue/aws4_request" in auth
    assert "x-amz-target" in auth and headers["X-Amz-Target"] == "AWSGlue.ListWorkflows" and data == b"{}"
    unsigned = raw("GET", "/_glue_local/health", sign=False)
    assert unsigned.status == 200
    assert "Authorization" not in stub.requests[-1][1]
    raw.glue("ListWorkflows", {})
    assert raw.connections_opened == 1, "requests must share one keep-alive connection"
    raw.close()
