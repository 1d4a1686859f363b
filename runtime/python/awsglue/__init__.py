"""glue-local's own ``awsglue`` package: what a Python shell job imports from AWS Glue.

glue-local puts it first on the PYTHONPATH of every ``.py`` job script.  It holds
``awsglue.utils`` (``getResolvedOptions``, ``GlueArgumentError``), ``awsglue.job`` (``Job``
with job bookmarks, with or without Spark) and, for Spark jobs run with
``--spark-executor local``, a small ``GlueContext`` and ``DynamicFrame`` on the user's own
PySpark (``awsglue.context``, ``awsglue.dynamicframe``: without an importable ``pyspark``
they fail with an ImportError that says so).  It is
written for glue-local from the behaviour the AWS Glue developer guide describes, not
copied from AWS's libraries.  The rest of AWS's ``awsglue`` (``transforms`` ...) is not
provided: importing it fails with an ImportError that says so.
"""

import importlib.abc
import sys


class _SparkOnly(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: reached only for ``awsglue.*`` modules this package lacks."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(__name__ + "."):
            return None
        raise ImportError(
            f"{fullname} is part of AWS Glue's Spark library, which glue-local does not provide: "
            "its awsglue package holds what Python shell jobs use (awsglue.utils, awsglue.job) and, on PySpark, "
            "awsglue.context and awsglue.dynamicframe. "
            "For the rest, run Spark (glueetl, gluestreaming) scripts with a Spark executor: "
            "--spark-executor docker runs them in AWS's Glue image.",
            name=fullname,
        )


if not any(isinstance(finder, _SparkOnly) for finder in sys.meta_path):
    sys.meta_path.append(_SparkOnly())
