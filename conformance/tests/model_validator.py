"""Generic validation of Glue wire responses against botocore's service model.

Nothing in here is written for a particular operation: every rule is read
from the model (``botocore.session.get_session().get_service_model('glue')``
or whatever operation model a client hands to its ``before-parse`` event).

Entry points
  * ``check_response(op_model, status, headers, body)`` -> list of Violation
    (success bodies against the output shape, error bodies against the error
    rules below).
  * ``check_expected_error(op_model, status, headers, body, code, status=)``
    -> list of problems (the above plus "was it the error we expected").
  * ``validate_value(shape, value)`` -> list of Violation, for any shape.
  * ``install(client)`` registers the checks on a boto3/botocore client
    (``before-parse``, which sees every raw response, success or error, even
    one botocore would fail to parse; ``after-call`` would miss those);
    ``ModelViolation`` is raised from inside the call on a violation.
  * ``format_report(...)`` renders the readable failure message.

The module imports nothing from botocore at import time, so it also works
inside the aws CLI (whose vendored botocore differs from boto3's).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import math
import re
import threading
from dataclasses import dataclass
from datetime import datetime

# Errors any Glue operation may answer, whatever its model lists.
COMMON_ERRORS = frozenset(
    {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
        "SerializationException",
        "UnknownOperationException",
        "ThrottlingException",
        "RequestEntityTooLargeException",
    }
)
# glue-local answers InvalidInputException for every request that breaks a
# model constraint (required, length, pattern, enum, range).  The Glue model
# forgets to declare it on several operations (GetCrawler, StartCrawler,
# GetCrawlers, ...), so it is accepted everywhere.
VALIDATION_ERROR = "InvalidInputException"
ALWAYS_ALLOWED_ERRORS = COMMON_ERRORS | {VALIDATION_ERROR}

AUTH_ERRORS_403 = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
    }
)

# Plausible epoch-second timestamps: 2000-01-01 .. 2100-01-01.  Milliseconds
# (1.7e12) or nanoseconds are caught by this.
MIN_TIMESTAMP = 946684800
MAX_TIMESTAMP = 4102444800

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

# Output lists the model gives a minimum of one (the shape is shared with an
# input) that AWS nevertheless sends empty when there is nothing to list, as
# Glue does for every other list (ListJobs, BatchGetJobs.JobsNotFound, ...).
EMPTY_OUTPUT_LISTS = frozenset(
    {
        ("ListWorkflows", "$.Workflows"),
        ("BatchGetWorkflows", "$.Workflows"),
        ("BatchGetWorkflows", "$.MissingWorkflows"),
        ("GetWorkflowRuns", "$.Runs"),
    }
)

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
MAX_BODY_IN_REPORT = 4000


@dataclass(frozen=True)
class Violation:
    path: str  # JSONPath-like location ("$.Workflow.Graph.Nodes[0].Type"), or a header name
    rule: str  # short rule id: "unknown-member", "type", "enum", "length", ...
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.rule}] {self.detail}"


class ModelViolation(AssertionError):
    """Raised (from inside a client call) when a response breaks the model."""

    def __init__(self, report: str, violations=()):
        super().__init__(report)
        self.report = report
        self.violations = list(violations)


# --------------------------------------------------------------------------
# strict JSON
# --------------------------------------------------------------------------


class _JsonProblem(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise _JsonProblem(f"duplicate object key {k!r}")
        out[k] = v
    return out


def _no_constants(name):
    raise _JsonProblem(f"non-standard JSON constant {name}")


def parse_json_strict(body):
    """Return (value, violations). Rejects non-UTF-8, NaN/Infinity, duplicate keys."""
    if isinstance(body, (bytes, bytearray)):
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError as e:
            return None, [Violation("$", "json", f"body is not UTF-8: {e}")]
    else:
        text = body
    if text.strip() == "":
        return None, [Violation("$", "json", "body is empty (expected a JSON object)")]
    try:
        value = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants
        )
    except _JsonProblem as e:
        return None, [Violation("$", "json", str(e))]
    except ValueError as e:
        return None, [Violation("$", "json", f"body is not valid JSON: {e}")]
    return value, []


# --------------------------------------------------------------------------
# patterns (Java regex in the model -> Python)
# --------------------------------------------------------------------------

_PATTERN_CACHE: dict = {}
_PATTERN_LOCK = threading.Lock()
# The model spells "any supplementary character" as a UTF-16 surrogate pair
# range; Python strings hold code points.
_SURROGATE_RANGE = re.compile(r"\\uD800\\uDC00-\\uDBFF\\uDFFF", re.IGNORECASE)


def compile_pattern(pattern):
    """Compiled Python regex for a model pattern, or None if it can't be translated."""
    with _PATTERN_LOCK:
        if pattern in _PATTERN_CACHE:
            return _PATTERN_CACHE[pattern]
    translated = _SURROGATE_RANGE.sub(lambda _m: r"\U00010000-\U0010FFFF", pattern)
    try:
        compiled = re.compile(translated)
    except re.error:
        compiled = None
    with _PATTERN_LOCK:
        _PATTERN_CACHE[pattern] = compiled
    return compiled


# --------------------------------------------------------------------------
# shape walk
# --------------------------------------------------------------------------


def _short(value, limit=120):
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def wire_name(member_name, member_shape):
    return member_shape.serialization.get("name", member_name)


def _key_path(path, key):
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def validate_value(shape, value, path="$", *, check_patterns=True):
    """Validate a decoded JSON value against a botocore Shape; returns violations."""
    out: list = []
    _walk(shape, value, path, out, check_patterns, 0)
    return out


def _size_rule(shape, n, path, what, out):
    md = shape.metadata
    lo, hi = md.get("min"), md.get("max")
    if lo is not None and n < lo:
        out.append(Violation(path, "length", f"{what} {n} is below the model minimum {lo} (shape {shape.name})"))
    if hi is not None and n > hi:
        out.append(Violation(path, "length", f"{what} {n} is above the model maximum {hi} (shape {shape.name})"))


def _range_rule(shape, v, path, out):
    md = shape.metadata
    lo, hi = md.get("min"), md.get("max")
    if lo is not None and v < lo:
        out.append(Violation(path, "range", f"value {v} is below the model minimum {lo} (shape {shape.name})"))
    if hi is not None and v > hi:
        out.append(Violation(path, "range", f"value {v} is above the model maximum {hi} (shape {shape.name})"))


def _type_violation(shape, value, path, expected):
    return Violation(
        path,
        "type",
        f"expected {expected} for {shape.type_name} shape {shape.name}, got JSON {_json_type(value)} {_short(value)}",
    )


def _walk(shape, value, path, out, check_patterns, depth):
    if depth > 64:
        out.append(Violation(path, "depth", "nesting deeper than 64 levels"))
        return
    if value is None:
        out.append(Violation(path, "null", f"JSON null is not allowed (shape {shape.name}); omit the member instead"))
        return
    t = shape.type_name
    if t == "structure":
        if getattr(shape, "is_document_type", False):
            return
        if not isinstance(value, dict):
            out.append(_type_violation(shape, value, path, "a JSON object"))
            return
        by_wire = {wire_name(n, s): (n, s) for n, s in shape.members.items()}
        for key, v in value.items():
            sub = _key_path(path, key)
            if key not in by_wire:
                out.append(
                    Violation(sub, "unknown-member", f"{key!r} is not a member of {shape.name} (members: {', '.join(sorted(by_wire)) or 'none'})")
                )
                continue
            _walk(by_wire[key][1], v, sub, out, check_patterns, depth + 1)
        for req in shape.required_members:
            wn = wire_name(req, shape.members[req])
            if wn not in value:
                out.append(Violation(_key_path(path, wn), "required", f"required member {wn!r} of {shape.name} is missing"))
        if getattr(shape, "is_tagged_union", False):
            present = [k for k in value if k in by_wire and value[k] is not None]
            if len(present) != 1:
                out.append(Violation(path, "union", f"union {shape.name} must have exactly one member set, has {present}"))
    elif t == "list":
        if not isinstance(value, list):
            out.append(_type_violation(shape, value, path, "a JSON array"))
            return
        _size_rule(shape, len(value), path, "list size", out)
        for i, item in enumerate(value):
            _walk(shape.member, item, f"{path}[{i}]", out, check_patterns, depth + 1)
    elif t == "map":
        if not isinstance(value, dict):
            out.append(_type_violation(shape, value, path, "a JSON object (map)"))
            return
        _size_rule(shape, len(value), path, "map size", out)
        for k, v in value.items():
            sub = _key_path(path, k)
            _walk(shape.key, k, f"{sub}<key>", out, check_patterns, depth + 1)
            _walk(shape.value, v, sub, out, check_patterns, depth + 1)
    elif t == "string":
        if not isinstance(value, str):
            out.append(_type_violation(shape, value, path, "a JSON string"))
            return
        _size_rule(shape, len(value), path, "string length", out)
        enum = shape.metadata.get("enum")
        if enum and value not in enum:
            out.append(Violation(path, "enum", f"{_short(value)} is not a value of enum {shape.name} {list(enum)}"))
        pattern = shape.metadata.get("pattern")
        if check_patterns and pattern:
            rx = compile_pattern(pattern)
            if rx is not None and rx.fullmatch(value) is None:
                out.append(Violation(path, "pattern", f"{_short(value)} does not match pattern {pattern!r} of {shape.name}"))
    elif t in ("integer", "long", "short", "byte"):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(_type_violation(shape, value, path, "a JSON integer"))
            return
        lo, hi = INT64 if t == "long" else INT32
        if not lo <= value <= hi:
            out.append(Violation(path, "range", f"{value} does not fit a {t}"))
        _range_rule(shape, value, path, out)
    elif t in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(_type_violation(shape, value, path, "a JSON number"))
            return
        if isinstance(value, float) and not math.isfinite(value):
            out.append(Violation(path, "type", f"{value} is not a finite number"))
            return
        _range_rule(shape, value, path, out)
    elif t == "boolean":
        if not isinstance(value, bool):
            out.append(_type_violation(shape, value, path, "a JSON boolean"))
    elif t == "timestamp":
        fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
        if fmt == "unixTimestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                out.append(_type_violation(shape, value, path, "a JSON number (epoch seconds)"))
                return
            if not (isinstance(value, int) or math.isfinite(value)) or not MIN_TIMESTAMP <= value <= MAX_TIMESTAMP:
                out.append(
                    Violation(path, "timestamp", f"{value} is not a plausible epoch-seconds timestamp (expected {MIN_TIMESTAMP}..{MAX_TIMESTAMP}; milliseconds?)")
                )
        else:
            if not isinstance(value, str):
                out.append(_type_violation(shape, value, path, f"a JSON string ({fmt})"))
                return
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                out.append(Violation(path, "timestamp", f"{_short(value)} is not an {fmt} timestamp"))
    elif t == "blob":
        if not isinstance(value, str):
            out.append(_type_violation(shape, value, path, "a base64 JSON string"))
            return
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            out.append(Violation(path, "type", f"{_short(value)} is not valid base64"))
    else:
        out.append(Violation(path, "model", f"unsupported shape type {t} ({shape.name})"))


# --------------------------------------------------------------------------
# responses
# --------------------------------------------------------------------------


def _lower_headers(headers):
    if headers is None:
        return {}
    items = headers.items() if hasattr(headers, "items") else headers
    out = {}
    for k, v in items:
        out.setdefault(str(k).lower(), v)
    return out


def _common_header_checks(h, out):
    ct = h.get("content-type")
    if ct is None:
        out.append(Violation("<header Content-Type>", "protocol", "response has no Content-Type"))
    elif ct.split(";")[0].strip().lower() != JSON_CONTENT_TYPE:
        out.append(Violation("<header Content-Type>", "protocol", f"Content-Type is {ct!r}, expected {JSON_CONTENT_TYPE}"))
    if not h.get("x-amzn-requestid"):
        out.append(Violation("<header x-amzn-RequestId>", "protocol", "response has no x-amzn-RequestId header"))


def modelled_error_codes(op_model):
    if op_model is None:
        return frozenset()
    codes = set()
    for s in op_model.error_shapes:
        codes.add(getattr(s, "error_code", None) or s.name)
    return frozenset(codes)


def _error_shape(op_model, code):
    if op_model is None:
        return None
    for s in op_model.error_shapes:
        if (getattr(s, "error_code", None) or s.name) == code:
            return s
    try:
        return op_model.service_model.shape_for(code)
    except Exception:  # noqa: BLE001 - unknown shape names raise various errors
        return None


def expected_status_for(code, error_shape=None):
    """Set of acceptable HTTP statuses for an error code."""
    if error_shape is not None:
        st = error_shape.metadata.get("error", {}).get("httpStatusCode")
        if st:
            return {int(st)}
    if code == "InternalServiceException":
        return {500}
    if code == "RequestEntityTooLargeException":
        return {413}
    if code in AUTH_ERRORS_403:
        return {403}
    if code == "AccessDeniedException":
        return {400, 403}
    return {400}


def check_response(op_model, status, headers, body, *, check_headers=True):
    """All violations of one HTTP response to ``op_model`` (None: unknown operation)."""
    if status >= 300:
        return check_error_response(op_model, status, headers, body, check_headers=check_headers)
    out: list = []
    h = _lower_headers(headers)
    if check_headers:
        _common_header_checks(h, out)
    if status != 200:
        out.append(Violation("<status>", "protocol", f"success status must be 200, got {status}"))
    value, problems = parse_json_strict(body)
    if problems:
        return out + problems
    shape = op_model.output_shape if op_model is not None else None
    if shape is None:
        if value != {}:
            out.append(Violation("$", "unknown-member", f"operation has no output shape; expected {{}}, got {_short(value)}"))
        return out
    empty_ok = {path for op, path in EMPTY_OUTPUT_LISTS if op == op_model.name}
    out.extend(
        v
        for v in validate_value(shape, value, "$")
        if not (v.rule == "length" and v.path in empty_ok and value.get(v.path[2:]) == [])
    )
    return out


def check_error_response(op_model, status, headers, body, *, check_headers=True):
    out: list = []
    h = _lower_headers(headers)
    if check_headers:
        _common_header_checks(h, out)
    value, problems = parse_json_strict(body)
    if problems:
        return out + problems
    if not isinstance(value, dict):
        return out + [Violation("$", "error-body", f"error body must be a JSON object, got JSON {_json_type(value)}")]
    header_code = h.get("x-amzn-errortype")
    body_code = value.get("__type")
    if header_code is None:
        out.append(Violation("<header x-amzn-ErrorType>", "error-header", "error response has no x-amzn-ErrorType header"))
    if not isinstance(body_code, str) or not body_code:
        out.append(Violation("$.__type", "error-body", f"error body needs a non-empty string __type, got {_short(body_code)}"))
        body_code = None
    if header_code is not None and body_code is not None and header_code != body_code:
        out.append(
            Violation("<header x-amzn-ErrorType>", "error-header", f"header x-amzn-ErrorType {header_code!r} differs from body __type {body_code!r}")
        )
    code = body_code or header_code
    if code is not None:
        if "#" in code or ":" in code:
            out.append(Violation("$.__type", "error-code", f"error code {code!r} must be a bare code (no namespace# prefix or :suffix)"))
        allowed = modelled_error_codes(op_model) | ALWAYS_ALLOWED_ERRORS | service_validation_error(op_model)
        if code not in allowed:
            op = op_model.name if op_model is not None else "(unknown operation)"
            out.append(
                Violation("$.__type", "error-code", f"{code!r} is neither an error modelled for {op} {sorted(modelled_error_codes(op_model))} nor a common error")
            )
    msgs = [k for k in ("Message", "message") if k in value]
    if len(msgs) != 1:
        out.append(Violation("$", "error-message", f"error body must have exactly one of Message/message, has {msgs or 'neither'}"))
    for k in msgs:
        m = value[k]
        if not isinstance(m, str) or not m.strip():
            out.append(Violation(f"$.{k}", "error-message", f"error message must be a non-empty string, got {_short(m)}"))
    shape = _error_shape(op_model, code) if code else None
    members = {}
    if shape is not None and shape.type_name == "structure":
        members = {wire_name(n, s): s for n, s in shape.members.items()}
    for k, v in value.items():
        if k in ("__type", "Message", "message"):
            if v is None:
                out.append(Violation(f"$.{k}", "null", "JSON null is not allowed"))
            continue
        if k not in members:
            out.append(Violation(_key_path("$", k), "unknown-member", f"{k!r} is not a member of error {code}"))
            continue
        out.extend(validate_value(members[k], v, _key_path("$", k)))
    if code is not None:
        want = expected_status_for(code, shape)
        if status not in want:
            out.append(Violation("<status>", "error-status", f"{code} must be sent with HTTP {' or '.join(map(str, sorted(want)))}, got {status}"))
    return out


def error_code_of(headers, body):
    """The error code a client would see (body __type, else header), or None."""
    try:
        value = json.loads(body)
    except (ValueError, TypeError):
        value = None
    if isinstance(value, dict) and isinstance(value.get("__type"), str):
        return value["__type"].split("#")[-1].split(":")[0]
    h = _lower_headers(headers)
    hc = h.get("x-amzn-errortype")
    return hc.split(":")[0] if hc else None


def check_expected_error(op_model, status, headers, body, code, expected_status=None):
    """Problems (list of str) with a response that should be error ``code``."""
    problems = []
    got = error_code_of(headers, body) if status >= 300 else None
    if status < 300:
        problems.append(f"expected error {code}, got success HTTP {status}")
    elif got != code:
        problems.append(f"expected error {code}, got {got or 'no error code'} (HTTP {status})")
    if expected_status is not None and status != expected_status:
        problems.append(f"expected HTTP {expected_status}, got {status}")
    problems.extend(str(v) for v in check_response(op_model, status, headers, body))
    return problems


# --------------------------------------------------------------------------
# reports and client hooks
# --------------------------------------------------------------------------


def _body_text(body):
    if isinstance(body, (bytes, bytearray)):
        text = bytes(body).decode("utf-8", "replace")
    else:
        text = str(body)
    if len(text) > MAX_BODY_IN_REPORT:
        text = text[:MAX_BODY_IN_REPORT] + f"... ({len(text)} characters)"
    return text


def _params_text(params):
    if params is None:
        return "(not captured)"
    try:
        text = json.dumps(params, default=str, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(params)
    if len(text) > MAX_BODY_IN_REPORT:
        text = text[:MAX_BODY_IN_REPORT] + "..."
    return text


def format_report(operation, params, status, body, violations, source="boto3"):
    lines = [
        f"MODEL VIOLATION in the response to {operation} ({source})",
        f"  request params : {_params_text(params)}",
        f"  response status: {status}",
        f"  response body  : {_body_text(body)}",
        "  broken rules:",
    ]
    lines += [f"    - {v}" for v in violations]
    return "\n".join(lines)


# Every violation seen by an installed hook, in order (the pytest plugin in
# conftest.py fails a test that swallowed the exception).
RECORDED_VIOLATIONS: list = []
_RECORD_LOCK = threading.Lock()

# Calls are synchronous per thread: the params of the call in flight.
_CURRENT = threading.local()


def _capture_params(params=None, **_kwargs):
    try:
        _CURRENT.params = copy.deepcopy(params)
    except Exception:  # noqa: BLE001 - params holding odd objects: keep a repr
        _CURRENT.params = repr(params)


def validate_response_dict(operation_model, response_dict, source="boto3"):
    """(report, violations) if the raw response breaks the model, else None."""
    if operation_model is None or response_dict is None:
        return None
    status = response_dict.get("status_code")
    headers = response_dict.get("headers")
    content = response_dict.get("body")
    if not isinstance(content, (bytes, bytearray, str)):
        return None  # streaming bodies: none in Glue
    violations = check_response(operation_model, status, headers, content)
    if not violations:
        return None
    params = getattr(_CURRENT, "params", None)
    report = format_report(operation_model.name, params, status, content, violations, source)
    return report, violations


def _before_parse(operation_model=None, response_dict=None, **_kwargs):
    result = validate_response_dict(operation_model, response_dict)
    if result is None:
        return
    report, violations = result
    with _RECORD_LOCK:
        RECORDED_VIOLATIONS.append(report)
    raise ModelViolation(report, violations)


def service_validation_error(op_model):
    """EventBridge answers a request that breaks its model with ValidationException
    (undeclared by its operations, as InvalidInputException is by some of Glue's)."""
    events = op_model is not None and op_model.service_model.service_name == "events"
    return {"ValidationException"} if events else set()


def install(client):
    """Validate every response this boto3/botocore Glue client receives.

    The check runs on ``before-parse``: it sees the raw status, headers and
    body of every response, success or error, before botocore parses it (a
    body botocore cannot parse, e.g. a string timestamp, never reaches
    ``after-call``).  The ModelViolation raised there propagates out of the
    client call.
    """
    events = client.meta.events
    service = client.meta.service_model.service_id.hyphenize()  # "glue", "eventbridge"
    events.register(f"before-parameter-build.{service}", _capture_params, unique_id="gluelocal-capture-params")
    events.register(f"before-parse.{service}", _before_parse, unique_id="gluelocal-model-validator")
    return client
