"""``GlueContext`` for ``--spark-executor local``, over the script's own SparkContext.

Holds ``spark_session``, ``get_logger()``, and ``create_dynamic_frame.from_options`` /
``write_dynamic_frame.from_options`` (also as ``create_dynamic_frame_from_options`` /
``write_dynamic_frame_from_options``) for ``connection_type="s3"`` in csv, json or
parquet, ``s3://`` naming the ``--s3-dir``.  The Data Catalog and other connections are
not emulated.  With a ``Job(glueContext)`` whose bookmark is enabled or paused, a read with a
``transformation_ctx`` takes only the files its bookmark has not (``awsglue._s3_bookmark``).
"""

from awsglue._spark import local_path, require_pyspark, s3_url

require_pyspark(__name__)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.types import StructType  # noqa: E402

from awsglue import _s3_bookmark  # noqa: E402

from awsglue.dynamicframe import DynamicFrame  # noqa: E402

__all__ = ["GlueContext"]

FORMATS = ("csv", "json", "parquet")


def _true(value):
    return value is True or str(value).lower() == "true"


class GlueContext:
    def __init__(self, spark_context, **options):
        self._sc = spark_context
        self.spark_session = SparkSession(spark_context)
        self.create_dynamic_frame = _Reader(self)
        self.write_dynamic_frame = _Writer(self)

    def get_logger(self):
        return self._sc._jvm.org.apache.log4j.LogManager.getLogger("GlueLogger")

    def create_dynamic_frame_from_options(self, connection_type, connection_options=None, format=None,
                                          format_options=None, transformation_ctx="", **options):
        _s3_only(connection_type)
        paths = (connection_options or {}).get("paths") or []
        if isinstance(paths, str):
            paths = [paths]
        if not paths:
            raise ValueError('connection_options must name "paths" to read')
        fmt, fmt_options = _format(format), format_options or {}
        reader = self.spark_session.read
        if fmt == "csv":
            reader = reader.option("header", _true(fmt_options.get("withHeader", False)))
            reader = reader.option("sep", fmt_options.get("separator", ","))
            reader = reader.option("quote", fmt_options.get("quoteChar", '"'))
        elif fmt == "json" and _true(fmt_options.get("multiline", False)):
            reader = reader.option("multiLine", True)
        files = [local_path(p) for p in paths]
        job = getattr(self, "_job", None)
        if job is not None and transformation_ctx and job.bookmark_option != "job-bookmark-disable":
            upto = (job.bookmark_to or {}).get(transformation_ctx)
            files, job.bookmark[transformation_ctx] = _s3_bookmark.select(
                files, job.bookmark.get(transformation_ctx), upto, name=s3_url)
            if not files:  # nothing new since the bookmark
                return DynamicFrame(self.spark_session.createDataFrame([], StructType([])), self, transformation_ctx)
        df = reader.format(fmt).load(files)
        return DynamicFrame(df, self, transformation_ctx)

    def write_dynamic_frame_from_options(self, frame, connection_type, connection_options=None, format=None,
                                         format_options=None, transformation_ctx="", **options):
        _s3_only(connection_type)
        path = (connection_options or {}).get("path")
        if not path:
            raise ValueError('connection_options must name the "path" to write')
        fmt, fmt_options = _format(format), format_options or {}
        writer = frame.toDF().write.mode("append").format(fmt)
        if fmt == "csv":
            writer = writer.option("header", _true(fmt_options.get("writeHeader", True)))
            writer = writer.option("sep", fmt_options.get("separator", ","))
        writer.save(local_path(path))
        return frame


def _s3_only(connection_type):
    if connection_type != "s3":
        raise ValueError(f'connection_type {connection_type!r}: glue-local\'s GlueContext reads and writes only "s3"')


def _format(fmt):
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: glue-local's GlueContext knows {', '.join(FORMATS)}")
    return fmt


class _Reader:
    def __init__(self, glue_context):
        self._gc = glue_context

    def from_options(self, connection_type, connection_options=None, format=None, format_options=None,
                     transformation_ctx="", **options):
        return self._gc.create_dynamic_frame_from_options(
            connection_type, connection_options, format, format_options, transformation_ctx, **options)


class _Writer:
    def __init__(self, glue_context):
        self._gc = glue_context

    def from_options(self, frame, connection_type, connection_options=None, format=None, format_options=None,
                     transformation_ctx="", **options):
        return self._gc.write_dynamic_frame_from_options(
            frame, connection_type, connection_options, format, format_options, transformation_ctx, **options)
