"""What the Spark modules of glue-local's ``awsglue`` share: PySpark, and ``s3://`` paths.

They run under ``--spark-executor local`` on the user's own PySpark.  ``s3://bucket/key``
names ``$GLUE_LOCAL_S3_DIR/bucket/key`` (glue-local's ``--s3-dir``), never a path out of it.
"""

import os


def require_pyspark(module):
    """Imports pyspark, or raises the ImportError that says what is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"{module} is part of AWS Glue's Spark library: glue-local's version of it runs on "
            f"PySpark, which this Python cannot import ({e}). Run Spark (glueetl, gluestreaming) "
            "scripts with a Spark executor: --spark-executor local with PySpark installed, or docker.",
            name=module,
        ) from None


def s3_url(path):
    """The ``s3://`` URL of a local path under ``$GLUE_LOCAL_S3_DIR``; other paths as given."""
    root = os.environ.get("GLUE_LOCAL_S3_DIR")
    if root:
        root = os.path.realpath(root)
        if path.startswith(root + os.sep):
            return "s3://" + os.path.relpath(path, root)
    return path


def local_path(url):
    """The local path of an ``s3://`` URL under ``$GLUE_LOCAL_S3_DIR``; other paths as given."""
    if not url.startswith("s3://"):
        return url
    root = os.environ.get("GLUE_LOCAL_S3_DIR")
    if not root:
        raise ValueError(f"{url}: glue-local maps s3:// paths only when it runs with --s3-dir")
    root = os.path.realpath(root)
    path = os.path.normpath(os.path.join(root, url[len("s3://"):]))
    if path != root and not path.startswith(root + os.sep):
        raise ValueError(f"{url} points out of the --s3-dir")
    return path
