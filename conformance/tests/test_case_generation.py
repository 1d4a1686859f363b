"""Offline checks of the bad-input generator (badinput.py); no server needed.

Each generated minimal body must satisfy the model, and each derived case
must break exactly the rule its kind names, checked with the same generic
walker that validates responses.
"""

import collections
import json

import pytest

import badinput
import gluelocal
import model_validator as mv
from operations import IMPLEMENTED_OPERATIONS

MODEL = gluelocal.glue_service_model()
ALL = badinput.generate_all(MODEL, IMPLEMENTED_OPERATIONS)


def test_every_implemented_operation_is_in_the_model():
    missing = [op for op in IMPLEMENTED_OPERATIONS if op not in MODEL.operation_names]
    assert not missing


@pytest.mark.parametrize("operation", IMPLEMENTED_OPERATIONS)
def test_minimal_body_is_valid(operation):
    shape = MODEL.operation_model(operation).input_shape
    body = badinput.minimal_body(MODEL, operation)
    assert mv.validate_value(shape, body) == [], body


@pytest.mark.parametrize("operation", IMPLEMENTED_OPERATIONS)
def test_each_case_breaks_its_rule(operation):
    shape = MODEL.operation_model(operation).input_shape
    problems = []
    for case in badinput.generate_cases(MODEL, operation):
        if case.kind == "malformed_json":
            value, vs = mv.parse_json_strict(case.body)
            if not vs:
                problems.append(f"{case.description}: body parses as JSON")
            continue
        if case.kind == "empty_body":
            continue
        value = json.loads(case.body)
        if case.kind == "non_object_body":
            if isinstance(value, dict):
                problems.append(f"{case.description}: body is an object")
            continue
        vs = mv.validate_value(shape, value)
        rules = {v.rule for v in vs}
        if case.broken_rule not in rules:
            problems.append(f"{case.kind} {case.description}: expected a {case.broken_rule} violation, got {[str(v) for v in vs]}")
        # exactly one thing is wrong (a too-long string may also break its pattern)
        other = rules - {case.broken_rule, "pattern"}
        if other:
            problems.append(f"{case.kind} {case.description}: also breaks {other}: {[str(v) for v in vs]}")
    assert not problems, "\n".join(problems)


def test_case_counts(capsys):
    per_kind = collections.Counter()
    for (_op, kind), cases in ALL.items():
        per_kind[kind] += len(cases)
    total = sum(per_kind.values())
    with capsys.disabled():
        print(f"\nbad-input cases generated: {total} in {len(ALL)} (operation, kind) groups: {dict(sorted(per_kind.items()))}")
    # every operation gets the per-operation kinds
    for op in IMPLEMENTED_OPERATIONS:
        for kind in ("malformed_json", "non_object_body", "empty_body"):
            assert (op, kind) in ALL
        required = MODEL.operation_model(op).input_shape.required_members
        if required:
            assert (op, "missing_required") in ALL, op
    assert per_kind["wrong_type"] > 100 and per_kind["missing_required"] > 40
