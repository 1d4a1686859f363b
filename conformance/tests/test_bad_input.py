"""Bad input, systematically: every implemented operation x every case kind.

Cases come from badinput.py (generated from botocore's input shapes).  Each
is sent as a raw SigV4-signed request over one keep-alive connection; the
answer must be the expected 4xx error (checked with the same error rules as
every response, see model_validator.py), and right after each case the
server must still answer a ListWorkflows.  One pytest test per (operation,
kind); the total number of cases run is printed in the terminal summary.
"""


import pytest

import badinput
import gluelocal
import model_validator as mv
from operations import IMPLEMENTED_OPERATIONS

MODEL = gluelocal.glue_service_model()
GROUPS = badinput.generate_all(MODEL, IMPLEMENTED_OPERATIONS)
MAX_DETAILED_FAILURES = 15
BODY_LIMIT = 10 * 1024 * 1024


def _still_alive(raw):
    """Problems with a ListWorkflows sent right after a case (empty list: fine)."""
    try:
        resp = raw.glue("ListWorkflows", {})
    except ConnectionError as e:
        return [f"server did not answer the follow-up ListWorkflows: {e}"]
    if resp.status != 200:
        return [f"follow-up ListWorkflows answered {resp.describe(300)}"]
    return []


def _run_case(raw, operation, case, **send):
    op_model = MODEL.operation_model(operation) if operation in MODEL.operation_names else None
    try:
        resp = raw.glue(operation, body=case.body, **send)
    except ConnectionError as e:
        problems = [f"no response: {e}"]
        resp = None
    else:
        if case.expected_code is None:
            problems = [str(v) for v in mv.check_response(op_model, resp.status, resp.headers, resp.body)]
            if resp.status != case.expected_status:
                problems.insert(0, f"expected HTTP {case.expected_status}, got {resp.describe(300)}")
        else:
            problems = mv.check_expected_error(op_model, resp.status, resp.headers, resp.body, case.expected_code, case.expected_status)
    problems += _still_alive(raw)
    _count(raw, problems)
    return resp, problems


def _count(raw, problems):
    gluelocal.STATS["bad_input_cases"] += 1
    if problems:
        gluelocal.STATS["bad_input_failed"] += 1
    gluelocal.STATS["connections"] = raw.connections_opened


def _report(operation, kind, failures, total):
    lines = [f"{len(failures)} of {total} {kind} cases of {operation} failed:"]
    for case, resp, problems in failures[:MAX_DETAILED_FAILURES]:
        expected = case.expected_code or f"HTTP {case.expected_status}"
        lines.append(f"\n* {case.description}  (expected {expected})")
        lines.append(f"  request body : {case.body_text(300)}")
        lines.append(f"  response     : {resp.describe(500) if resp is not None else '(none)'}")
        lines += [f"  - {p}" for p in problems]
    if len(failures) > MAX_DETAILED_FAILURES:
        lines.append(f"\n... and {len(failures) - MAX_DETAILED_FAILURES} more: " + "; ".join(c.description for c, _, _ in failures[MAX_DETAILED_FAILURES:]))
    return "\n".join(lines)


@pytest.mark.parametrize("operation,kind", sorted(GROUPS), ids=[f"{o}-{k}" for o, k in sorted(GROUPS)])
def test_bad_input(raw, operation, kind):
    cases = GROUPS[(operation, kind)]
    failures = []
    for case in cases:
        resp, problems = _run_case(raw, operation, case)
        if problems:
            failures.append((case, resp, problems))
    if failures:
        pytest.fail(_report(operation, kind, failures, len(cases)), pytrace=False)


# --------------------------------------------------------------------------
# once per server
# --------------------------------------------------------------------------

# (id, operation the request is for (None: no X-Amz-Target), request options, expected code)
ONCE = [
    ("unknown-target", "NoSuchOperation", {}, "UnknownOperationException"),
    ("wrong-target-prefix", "ListWorkflows", {"target": "AWSGlueX.ListWorkflows"}, "UnknownOperationException"),
    ("missing-target", None, {}, "UnknownOperationException"),
    ("content-type-text-plain", "ListWorkflows", {"content_type": "text/plain"}, "SerializationException"),
    ("content-type-xml", "ListWorkflows", {"content_type": "application/xml"}, "SerializationException"),
]


@pytest.mark.parametrize("name,operation,send,code", ONCE, ids=[c[0] for c in ONCE])
def test_protocol_errors(raw, name, operation, send, code):
    # the error rules are those of the operation when the target names a real one
    known = operation if operation in MODEL.operation_names and "target" not in send else None
    case = badinput.Case(known or "(no operation)", name, name, b"{}", code, 400)
    try:
        resp = raw.glue(operation, body=case.body, **send)
    except ConnectionError as e:
        pytest.fail(f"{name}: no response: {e}", pytrace=False)
    op_model = MODEL.operation_model(known) if known else None
    problems = mv.check_expected_error(op_model, resp.status, resp.headers, resp.body, code, 400)
    problems += _still_alive(raw)
    _count(raw, problems)
    if problems:
        pytest.fail(_report(case.operation, name, [(case, resp, problems)], 1), pytrace=False)


def test_body_over_10_mib_is_rejected_with_413(raw):
    filler = BODY_LIMIT + 1 - len(b'{"Name": ""}')
    body = b'{"Name": "' + b"a" * filler + b'"}'
    assert len(body) == BODY_LIMIT + 1
    case = badinput.Case("CreateWorkflow", "too-large", "body of 10 MiB + 1 byte", body, "RequestEntityTooLargeException", 413)
    resp, problems = _run_case(raw, "CreateWorkflow", case)
    if problems:
        pytest.fail(_report("CreateWorkflow", "too-large", [(case, resp, problems)], 1), pytrace=False)


def test_body_of_exactly_10_mib_is_not_rejected_as_too_large(raw):
    """The limit is 'over 10 MiB': a body of exactly 10 MiB must get past the size check
    (its Name is far too long, so the answer is a validation error, not a 413)."""
    filler = BODY_LIMIT - len(b'{"Name": ""}')
    body = b'{"Name": "' + b"a" * filler + b'"}'
    case = badinput.Case("CreateWorkflow", "at-limit", "body of exactly 10 MiB", body, "InvalidInputException", 400)
    resp, problems = _run_case(raw, "CreateWorkflow", case)
    if problems:
        pytest.fail(_report("CreateWorkflow", "at-limit", [(case, resp, problems)], 1), pytrace=False)
