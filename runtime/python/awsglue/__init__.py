"""glue-local's own ``awsglue`` package: what a Python shell job imports from AWS Glue.

glue-local puts it first on the PYTHONPATH of every ``.py`` job script.  It holds
``awsglue.utils`` (``getResolvedOptions``, ``GlueArgumentError``); it is written for
glue-local from the behaviour the AWS Glue developer guide describes, not copied from
AWS's libraries.  The rest of AWS's ``awsglue`` (``context``, ``dynamicframe``, ``job``,
``transforms`` ...) needs Spark: importing it fails with an ImportError that says so.
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
            "its awsglue package holds only what Python shell jobs use (awsglue.utils). "
            "Spark (glueetl, gluestreaming) scripts need a Spark executor.",
            name=fullname,
        )


if not any(isinstance(finder, _SparkOnly) for finder in sys.meta_path):
    sys.meta_path.append(_SparkOnly())
