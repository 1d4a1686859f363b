"""The operations glue-local implements, read from the server's one table of
operations (src/api/operations.rs), so that everything in the conformance suite
that iterates "all operations" (the bad-input generator, coverage checks) follows
the server: adding a row there adds the operation here."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
from operations_table import names  # noqa: E402

IMPLEMENTED_OPERATIONS = tuple(names())

if __name__ == "__main__":
    print("\n".join(IMPLEMENTED_OPERATIONS))
