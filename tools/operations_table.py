"""The names of the operations glue-local implements, read from the one table of
operations, src/api/operations.rs (one row per line: `"Name" => handler, resource, mode;`),
or EventBridge's, src/api/events/operations.rs.
Used by tools/extract-model.py and the conformance suite's operations.py."""

import os
import re

TABLE = os.path.join("src", "api", "operations.rs")
ROW = re.compile(r'^\s*"([A-Za-z0-9]+)"\s*=>', re.M)
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# EventBridge's table (tools/extract-model.py --service events).
EVENTS_TABLE = os.path.join("src", "api", "events", "operations.rs")


def names(repo_root=REPO_ROOT, table=TABLE):
    with open(os.path.join(repo_root, table), encoding="utf-8") as f:
        found = ROW.findall(f.read())
    if not found:
        raise SystemExit(f"no operation rows found in {table}")
    if len(set(found)) != len(found):
        raise SystemExit(f"duplicate operation in {table}")
    return found
