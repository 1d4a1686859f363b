#!/usr/bin/env python3
"""Extract the subset of botocore's AWS Glue model that glue-local validates against.

Usage: tools/extract-model.py [--service events] [SERVICE_JSON(.gz)] [OUTPUT]

With --service events: botocore's events/2015-10-07 model, the operations of
src/api/events/operations.rs, written to model/events.json (EventBridge's minimum).

SERVICE_JSON defaults to botocore's bundled glue/2017-03-31/service-2.json.gz
(found through the importable botocore package); OUTPUT defaults to
model/glue.json relative to the repository root (the parent of tools/).

The output keeps, for each operation of src/api/operations.rs's table, its input, output and error shape
names, and every shape reachable from the input and output shapes with only the
fields validation needs: input validation (Model::validate_input) and the unit
tests' output checks (Model::validate_output, which also reads timestampFormat).
Structure members become [name, target] pairs in the model's order. Output is
deterministic: sorted keys, one shape or operation per line.
"""

import gzip
import json
import os
import sys

import operations_table

# Shape-level fields kept for validating inputs and outputs.
SHAPE_FIELDS = ("type", "required", "min", "max", "enum", "pattern", "timestampFormat")


# service → (botocore folder, API version, table of operations, output)
SERVICES = {
    "glue": ("glue", "2017-03-31", operations_table.TABLE, "glue.json"),
    "events": ("events", "2015-10-07", operations_table.EVENTS_TABLE, "events.json"),
}


def default_model_path(service="glue"):
    import botocore  # imported lazily so an explicit path needs no botocore

    folder, version, _, _ = SERVICES[service]
    return os.path.join(
        os.path.dirname(botocore.__file__),
        "data", folder, version, "service-2.json.gz",
    )


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def slim_shape(shape):
    out = {k: shape[k] for k in SHAPE_FIELDS if k in shape}
    if "members" in shape:
        # [name, target] pairs in the model's order: sort_keys must not
        # reorder members, since violations are reported in member order.
        out["members"] = [[n, m["shape"]] for n, m in shape["members"].items()]
    if "member" in shape:
        out["member"] = shape["member"]["shape"]
    if "key" in shape:
        out["key"] = shape["key"]["shape"]
    if "value" in shape:
        out["value"] = shape["value"]["shape"]
    return out


def targets(shape):
    if "members" in shape:
        yield from (m["shape"] for m in shape["members"].values())
    for k in ("member", "key", "value"):
        if k in shape:
            yield shape[k]["shape"]


def extract(service, names):
    all_ops = service["operations"]
    all_shapes = service["shapes"]
    missing = [op for op in names if op not in all_ops]
    if missing:
        raise SystemExit("operations missing from the model: " + ", ".join(missing))

    operations = {}
    pending = []
    for name in names:
        op = all_ops[name]
        entry = {"name": name}
        if "input" in op:
            entry["input"] = op["input"]["shape"]
            pending.append(op["input"]["shape"])
        if "output" in op:
            entry["output"] = op["output"]["shape"]
            pending.append(op["output"]["shape"])
        entry["errors"] = [e["shape"] for e in op.get("errors", [])]
        operations[name] = entry

    shapes = {}
    while pending:
        name = pending.pop()
        if name in shapes:
            continue
        shape = all_shapes[name]
        shapes[name] = slim_shape(shape)
        pending.extend(t for t in targets(shape) if t not in shapes)

    unsupported = sorted(
        n for n in shapes if all_shapes[n].get("union") or all_shapes[n].get("document")
    )
    if unsupported:
        print("warning: union/document shapes validated as plain structures: "
              + ", ".join(unsupported), file=sys.stderr)

    return {
        "metadata": {
            k: service["metadata"][k]
            for k in ("apiVersion", "jsonVersion", "protocol", "targetPrefix")
            if k in service["metadata"]
        },
        "operations": operations,
        "shapes": shapes,
    }


def dump(model):
    """Sorted keys, one operation or shape per line."""

    def line(v):
        return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    def section(d):
        items = [" " + line(k) + ":" + line(d[k]) for k in sorted(d)]
        return "{\n" + ",\n".join(items) + "\n}"

    return (
        "{\n"
        + '"metadata":' + line(model["metadata"]) + ",\n"
        + '"operations":' + section(model["operations"]) + ",\n"
        + '"shapes":' + section(model["shapes"]) + "\n"
        + "}\n"
    )


def main(argv):
    service = "glue"
    if len(argv) > 2 and argv[1] == "--service" and argv[2] in SERVICES:
        service = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) > 3 or any(a in ("-h", "--help", "--service") for a in argv[1:]):
        print(__doc__.strip())
        return 0 if len(argv) <= 3 else 2
    _, _, table, output = SERVICES[service]
    src = argv[1] if len(argv) > 1 else default_model_path(service)
    repo_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dst = argv[2] if len(argv) > 2 else os.path.join(repo_root, "model", output)

    model = extract(load(src), operations_table.names(repo_root, table))
    text = dump(model)
    json.loads(text)  # sanity: the hand-assembled layout is valid JSON
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {dst}: {len(model['operations'])} operations, "
          f"{len(model['shapes'])} shapes (from {src})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
