"""Bad-input cases generated from botocore's Glue input shapes.

For each operation a *minimal valid body* is built (required members only,
shortest values that satisfy min length and pattern, first enum value) and
cases are derived from it, each breaking exactly one rule:

  missing_required  a required member removed (top level, and in the structures
                    reached at one level of nesting)            -> InvalidInputException
  wrong_type        a member given a value of the wrong JSON type (every top-level
                    member and one level of nesting)            -> SerializationException
  too_long          a string one character over its max        -> InvalidInputException
  too_short         a string one character under its min       -> InvalidInputException
  bad_enum          an enum string with an unknown value       -> InvalidInputException
  out_of_range      a number just outside its min/max          -> InvalidInputException
  bad_size          a list/map with one item over max / under min -> InvalidInputException
  malformed_json    bodies that are not JSON                   -> SerializationException
  non_object_body   JSON array / string / number bodies        -> SerializationException
  empty_body        b""  (treated as {}): InvalidInputException if the operation has
                    required members, else a normal 200 answer

"One level of nesting": for a top-level member M, the members of M if it is a
structure; its element (list) or value (map), and if that is a structure,
that structure's members.

Nothing here talks to a server; test_bad_input.py sends the cases and
test_case_generation.py checks the generator offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import model_validator

SERIALIZATION = "SerializationException"
INVALID_INPUT = "InvalidInputException"

KINDS = (
    "missing_required",
    "wrong_type",
    "too_long",
    "too_short",
    "bad_enum",
    "out_of_range",
    "bad_size",
    "malformed_json",
    "non_object_body",
    "empty_body",
)

# Strings longer than this are not generated (a too_long case for a 400 000
# character max is fine, one for a 10 MiB max is the body-size test's job).
MAX_GENERATED_STRING = 1_000_000
MAX_GENERATED_ITEMS = 1000
UNKNOWN_ENUM_VALUE = "NOT_A_VALID_ENUM_VALUE"
INT_LIMITS = {"integer": model_validator.INT32, "long": model_validator.INT64}

# A wrong JSON type for each shape type.
WRONG_TYPE_VALUE = {
    "string": 12345,
    "integer": "1",
    "long": "1",
    "short": "1",
    "byte": "1",
    "double": "1.5",
    "float": "1.5",
    "boolean": "true",
    "timestamp": True,
    "blob": 12345,
    "list": "not-a-list",
    "map": ["not", "a", "map"],
    "structure": "not-an-object",
}

# Values tried, in order, for a string with a pattern (padded with "a" up to
# the min length); the first that the pattern accepts is used.
_STRING_CANDIDATES = (
    "a",
    "A",
    "1",
    "auto",
    "3",
    "a.a",
    "Sun:1",
    "arn:aws:glue:us-east-1:123456789012:workflow/a",
)

MALFORMED_BODIES = (
    ("truncated object", b'{"Name": '),
    ("trailing comma", b'{"a": "b",}'),
    ("not JSON at all", b"this is not json"),
    ("invalid UTF-8 in a string", b'{"Name": "\xff\xfe"}'),
)
NON_OBJECT_BODIES = (
    ("JSON array", b"[]"),
    ("JSON string", b'"a"'),
    ("JSON number", b"42"),
)


@dataclass
class Case:
    operation: str
    kind: str
    description: str
    body: bytes
    expected_code: str | None  # None: a 2xx answer is expected
    expected_status: int
    # the rule the body breaks, for the offline check (None: not a model rule)
    broken_rule: str | None = None

    def body_text(self, limit=600):
        text = self.body.decode("utf-8", "replace")
        if len(text) > limit:
            text = text[:limit] + f"... ({len(self.body)} bytes)"
        return text


class GenerationError(Exception):
    pass


# --------------------------------------------------------------------------
# minimal values
# --------------------------------------------------------------------------


def string_value(shape, length=None):
    md = shape.metadata
    enum = md.get("enum")
    if enum and length is None:
        return enum[0]
    lo = md.get("min", 0) or 0
    hi = md.get("max")
    n = max(lo, 1) if length is None else length
    if length is not None:
        return "a" * length
    rx = model_validator.compile_pattern(md["pattern"]) if md.get("pattern") else None
    for cand in _STRING_CANDIDATES:
        if len(cand) < n:
            cand = cand + "a" * (n - len(cand))
        if hi is not None and len(cand) > hi:
            continue
        if rx is None or rx.fullmatch(cand):
            return cand
    raise GenerationError(f"no generated value satisfies {shape.name} (pattern {md.get('pattern')!r}, min {lo}, max {hi})")


def unknown_enum_value(shape):
    """A value outside the enum that still fits the string's length limits."""
    md = shape.metadata
    lo, hi = md.get("min", 0) or 0, md.get("max")
    value = UNKNOWN_ENUM_VALUE
    if hi is not None:
        value = value[:hi]
    value = value + "X" * max(0, lo - len(value))
    while value in md.get("enum", ()):
        value = value[:-1] + "Z" if value.endswith("X") else value[:-1] + "X"
    return value


def _number_value(shape):
    md = shape.metadata
    lo, hi = md.get("min"), md.get("max")
    v = 1
    if lo is not None and v < lo:
        v = lo
    if hi is not None and v > hi:
        v = hi
    if shape.type_name in ("double", "float"):
        return float(v)
    return int(v)


def map_keys(key_shape, count):
    """``count`` distinct valid keys for a map, or None if the key shape can't have that many."""
    md = key_shape.metadata
    enum = md.get("enum")
    if enum:
        return list(enum[:count]) if len(enum) >= count else None
    lo = md.get("min", 0) or 0
    hi = md.get("max")
    base = string_value(key_shape)
    keys = []
    for i in range(count):
        k = base if i == 0 else f"{base}{i}"
        if len(k) < lo:
            k = k + "a" * (lo - len(k))
        if hi is not None and len(k) > hi:
            return None
        rx = model_validator.compile_pattern(md["pattern"]) if md.get("pattern") else None
        if rx is not None and not rx.fullmatch(k):
            return None
        keys.append(k)
    return keys


def minimal_value(shape, _stack=()):
    """The smallest valid JSON value for ``shape`` (required structure members only)."""
    if shape.name in _stack and shape.type_name in ("structure", "list", "map"):
        raise GenerationError(f"recursive required members through {shape.name}")
    stack = _stack + (shape.name,)
    t = shape.type_name
    if t == "structure":
        return {
            model_validator.wire_name(r, shape.members[r]): minimal_value(shape.members[r], stack)
            for r in shape.required_members
        }
    if t == "list":
        n = shape.metadata.get("min", 0) or 0
        return [minimal_value(shape.member, stack) for _ in range(n)]
    if t == "map":
        n = shape.metadata.get("min", 0) or 0
        keys = map_keys(shape.key, n) or []
        return {k: minimal_value(shape.value, stack) for k in keys}
    if t == "string":
        return string_value(shape)
    if t in ("integer", "long", "short", "byte", "double", "float"):
        return _number_value(shape)
    if t == "boolean":
        return False
    if t == "timestamp":
        return 1700000000
    if t == "blob":
        return "YQ=="
    raise GenerationError(f"unsupported shape type {t} ({shape.name})")


# --------------------------------------------------------------------------
# sites: where in the body a value is placed
# --------------------------------------------------------------------------
# A path is a tuple of steps: ("m", wire_name, member_name) into a structure,
# ("i",) the first element of a list, ("k",) the first key of a map.


def path_text(steps):
    out = "$"
    for st in steps:
        if st[0] == "m":
            out += f".{st[1]}"
        elif st[0] == "i":
            out += "[0]"
        else:
            out += "[<key>]"
    return out


def _child_shape(shape, step):
    if step[0] == "m":
        return shape.members[step[2]]
    if step[0] == "i":
        return shape.member
    return shape.value


def _children(shape):
    if shape.type_name == "structure" and not getattr(shape, "is_document_type", False):
        for name, ms in shape.members.items():
            yield ("m", model_validator.wire_name(name, ms), name), ms
    elif shape.type_name == "list":
        yield ("i",), shape.member
    elif shape.type_name == "map":
        yield ("k",), shape.value


def sites(input_shape):
    """(steps, shape) for the root, every top-level member and one level of nesting."""
    yield (), input_shape
    for step1, s1 in _children(input_shape):
        yield (step1,), s1
        for step2, s2 in _children(s1):
            yield (step1, step2), s2
            if s1.type_name in ("list", "map") and s2.type_name == "structure":
                for step3, s3 in _children(s2):
                    yield (step1, step2, step3), s3


def place(shape, steps, leaf):
    """A valid value of ``shape`` with ``leaf`` placed at ``steps``."""
    if not steps:
        return leaf
    step, rest = steps[0], steps[1:]
    child = _child_shape(shape, step)
    inner = place(child, rest, leaf)
    if step[0] == "m":
        value = minimal_value(shape)
        value[step[1]] = inner
        return value
    if step[0] == "i":
        n = max(shape.metadata.get("min", 0) or 0, 1)
        return [inner] + [minimal_value(shape.member) for _ in range(n - 1)]
    n = max(shape.metadata.get("min", 0) or 0, 1)
    keys = map_keys(shape.key, n)
    if keys is None:
        raise GenerationError(f"no valid keys for map {shape.name}")
    value = {keys[0]: inner}
    for k in keys[1:]:
        value[k] = minimal_value(shape.value)
    return value


# --------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------


def _encode(value):
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _value_cases(shape, steps):
    """(kind, description, leaf value, broken rule) for one site (leaf replaced)."""
    where = path_text(steps)
    t = shape.type_name
    md = shape.metadata
    out = []
    wrong = WRONG_TYPE_VALUE.get(t)
    if wrong is not None and steps:
        out.append(("wrong_type", f"{where}: {t} {shape.name} given JSON {json.dumps(wrong)}", wrong, "type"))
    if t == "string":
        hi, lo, enum = md.get("max"), md.get("min", 0) or 0, md.get("enum")
        if enum:  # length limits of enum strings are not tested separately
            bad = unknown_enum_value(shape)
            out.append(("bad_enum", f"{where}: {bad!r} not in {shape.name}", bad, "enum"))
        else:
            if hi is not None and hi + 1 <= MAX_GENERATED_STRING:
                out.append(("too_long", f"{where}: {hi + 1} characters (max {hi})", "a" * (hi + 1), "length"))
            if lo >= 1:
                out.append(("too_short", f"{where}: {lo - 1} characters (min {lo})", "a" * (lo - 1), "length"))
    elif t in ("integer", "long", "double", "float"):
        native = INT_LIMITS.get(t, (-(2**53), 2**53))
        for bound, delta, word in (("min", -1, "below"), ("max", 1, "above")):
            b = md.get(bound)
            if b is None:
                continue
            v = b + delta
            if native[0] <= v <= native[1]:
                v = float(v) if t in ("double", "float") else int(v)
                out.append(("out_of_range", f"{where}: {v} ({word} {bound} {b})", v, "range"))
    elif t in ("list", "map"):
        hi, lo = md.get("max"), md.get("min", 0) or 0
        sizes = []
        if hi is not None and hi + 1 <= MAX_GENERATED_ITEMS:
            sizes.append((hi + 1, f"max {hi}"))
        if lo >= 1:
            sizes.append((lo - 1, f"min {lo}"))
        if t == "map":
            kmd = shape.key.metadata
            khi, klo = kmd.get("max"), kmd.get("min", 0) or 0
            bad_keys = []
            if khi is not None and khi + 1 <= MAX_GENERATED_STRING:
                bad_keys.append(("too_long", "a" * (khi + 1), f"{khi + 1} characters (max {khi})"))
            if klo >= 1:
                bad_keys.append(("too_short", "a" * (klo - 1), f"{klo - 1} characters (min {klo})"))
            if kmd.get("enum"):
                bad_keys = [("bad_enum", unknown_enum_value(shape.key), f"not in {shape.key.name}")]
            for kind, key, why in bad_keys:
                try:
                    leaf = {key: minimal_value(shape.value)}
                except GenerationError:
                    continue
                rule = "enum" if kind == "bad_enum" else "length"
                out.append((kind, f"{where}<key>: map key {why}", leaf, rule))
        for n, why in sizes:
            try:
                if t == "list":
                    leaf = [minimal_value(shape.member) for _ in range(n)]
                else:
                    keys = map_keys(shape.key, n)
                    if keys is None:
                        continue
                    leaf = {k: minimal_value(shape.value) for k in keys}
            except GenerationError:
                continue
            out.append(("bad_size", f"{where}: {n} items ({why})", leaf, "length"))
    return out


EXPECTED_CODE = {
    "missing_required": INVALID_INPUT,
    "wrong_type": SERIALIZATION,
    "too_long": INVALID_INPUT,
    "too_short": INVALID_INPUT,
    "bad_enum": INVALID_INPUT,
    "out_of_range": INVALID_INPUT,
    "bad_size": INVALID_INPUT,
    "malformed_json": SERIALIZATION,
    "non_object_body": SERIALIZATION,
}


def generate_cases(service_model, operation):
    op = service_model.operation_model(operation)
    shape = op.input_shape
    cases = []

    def add(kind, description, body, rule):
        cases.append(Case(operation, kind, description, body, EXPECTED_CODE[kind], 400, rule))

    if shape is not None:
        minimal_value(shape)  # raises GenerationError early if the op can't be generated
        for steps, s in sites(shape):
            # missing required members: the request, top-level structure members and
            # list elements / map values that are structures
            if s.type_name == "structure" and s.required_members and len(steps) <= 2:
                for req in s.required_members:
                    wn = model_validator.wire_name(req, s.members[req])
                    inner = minimal_value(s)
                    del inner[wn]
                    where = path_text(steps + (("m", wn, req),))
                    add("missing_required", f"{where} missing (required in {s.name})", _encode(place(shape, steps, inner)), "required")
            for kind, desc, leaf, rule in _value_cases(s, steps):
                try:
                    body = place(shape, steps, leaf)
                except GenerationError:
                    continue
                add(kind, desc, _encode(body), rule)

    for desc, body in MALFORMED_BODIES:
        add("malformed_json", desc, body, None)
    for desc, body in NON_OBJECT_BODIES:
        add("non_object_body", desc, body, None)
    has_required = bool(shape is not None and shape.required_members)
    cases.append(
        Case(
            operation,
            "empty_body",
            "empty body (treated as {})" + (f": required {list(shape.required_members)} missing" if has_required else ""),
            b"",
            INVALID_INPUT if has_required else None,
            400 if has_required else 200,
            "required" if has_required else None,
        )
    )
    return cases


def generate_all(service_model, operations):
    """{(operation, kind): [Case, ...]} for every operation and kind that has cases."""
    grouped = {}
    for name in operations:
        for case in generate_cases(service_model, name):
            grouped.setdefault((name, case.kind), []).append(case)
    return grouped


def minimal_body(service_model, operation):
    shape = service_model.operation_model(operation).input_shape
    return {} if shape is None else minimal_value(shape)


if __name__ == "__main__":  # python badinput.py: print case counts
    import collections
    import sys

    import botocore.session

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    from operations import IMPLEMENTED_OPERATIONS

    model = botocore.session.get_session().get_service_model("glue")
    grouped = generate_all(model, IMPLEMENTED_OPERATIONS)
    per_kind = collections.Counter()
    per_op = collections.Counter()
    for (op, kind), cs in grouped.items():
        per_kind[kind] += len(cs)
        per_op[op] += len(cs)
    for op in IMPLEMENTED_OPERATIONS:
        print(f"{op:28} {per_op[op]}")
    print(dict(per_kind))
    print(f"total: {sum(per_kind.values())} cases in {len(grouped)} (operation, kind) groups")
