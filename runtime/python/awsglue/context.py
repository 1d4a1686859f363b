"""``GlueContext`` for ``--spark-executor local``, over the script's own SparkContext.

Holds ``spark_session``, ``get_logger()``, and ``create_dynamic_frame.from_options`` /
``write_dynamic_frame.from_options`` (also as ``create_dynamic_frame_from_options`` /
``write_dynamic_frame_from_options``) for ``connection_type="s3"`` in csv, json or
parquet, ``s3://`` naming the ``--s3-dir``, and ``create_dynamic_frame.from_catalog`` /
``write_dynamic_frame.from_catalog`` for the Data Catalog's tables of those files
(``awsglue._catalog``).  Other connections are not emulated.  With a ``Job(glueContext)``
whose bookmark is enabled or paused, a read with a ``transformation_ctx`` takes only the
files its bookmark has not (``awsglue._s3_bookmark``).
"""

import functools
import os

from awsglue._spark import local_path, require_pyspark, s3_url

require_pyspark(__name__)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql.types import StructType  # noqa: E402

from awsglue import _catalog, _s3_bookmark  # noqa: E402

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
        selected = self._bookmarked(files, transformation_ctx)
        if selected == []:  # nothing new since the bookmark
            return DynamicFrame(self.spark_session.createDataFrame([], StructType([])), self, transformation_ctx)
        df = reader.format(fmt).load(files if selected is None else selected)
        return DynamicFrame(df, self, transformation_ctx)

    def _bookmarked(self, files, transformation_ctx):
        """The files under ``files`` the job's bookmark has not taken (and takes them), or None
        when the read is not bookmarked."""
        job = getattr(self, "_job", None)
        if job is None or not transformation_ctx or job.bookmark_option == "job-bookmark-disable":
            return None
        upto = (job.bookmark_to or {}).get(transformation_ctx)
        selected, job.bookmark[transformation_ctx] = _s3_bookmark.select(
            files, job.bookmark.get(transformation_ctx), upto, name=s3_url)
        return selected

    def create_dynamic_frame_from_catalog(self, database, table_name, redshift_tmp_dir="", transformation_ctx="",
                                          push_down_predicate="", additional_options=None, catalog_id=None,
                                          **options):
        table = _catalog.get_table(database, table_name, catalog_id)
        fmt, fmt_options = _catalog.storage_format(table)
        reader = self.spark_session.read.format(fmt).options(**fmt_options)
        columns = (table.get("StorageDescriptor") or {}).get("Columns") or []
        if fmt != "parquet" and columns:  # csv and json take the catalog's column types
            reader = reader.schema(_catalog.ddl(columns))
        keys = table.get("PartitionKeys") or []
        if keys:
            parts = [(local_path(_partition_location(table, keys, p)), p["Values"])
                     for p in _catalog.partitions(database, table_name, push_down_predicate, catalog_id)]
        else:
            parts = [(local_path(_catalog.location(table)), [])]
        selected = self._bookmarked([path for path, _ in parts], transformation_ctx)
        frames = []
        for path, values in parts:
            files = [path] if selected is None else [f for f in selected if _under(f, path)]
            if not files:
                continue
            df = reader.load(files)
            for key, value in zip(keys, values):
                df = df.withColumn(key["Name"], F.lit(value).cast(key.get("Type") or "string"))
            frames.append(df)
        if not frames:
            df = self.spark_session.createDataFrame([], _catalog.ddl(columns + keys) or StructType([]))
        else:
            df = functools.reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)
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

    def write_dynamic_frame_from_catalog(self, frame, database, table_name, redshift_tmp_dir="",
                                         transformation_ctx="", additional_options=None, catalog_id=None,
                                         **options):
        table = _catalog.get_table(database, table_name, catalog_id)
        fmt, fmt_options = _catalog.storage_format(table)
        writer = frame.toDF().write.mode("append").format(fmt).options(**fmt_options)
        keys = (additional_options or {}).get("partitionKeys")
        if keys is None:
            keys = [k["Name"] for k in table.get("PartitionKeys") or []]
        if keys:
            writer = writer.partitionBy(*keys)
        writer.save(local_path(_catalog.location(table)))
        return frame


def _s3_only(connection_type):
    if connection_type != "s3":
        raise ValueError(f'connection_type {connection_type!r}: glue-local\'s GlueContext reads and writes only "s3"')


def _partition_location(table, keys, partition):
    """A partition's own Location, else Hive's ``<table location>/key=value/...`` under the table's."""
    own = (partition.get("StorageDescriptor") or {}).get("Location")
    if own:
        return own
    parts = [f"{k['Name']}={v}" for k, v in zip(keys, partition["Values"])]
    return "/".join([_catalog.location(table).rstrip("/"), *parts])


def _under(file, path):
    return file == path or file.startswith(path.rstrip(os.sep) + os.sep)


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

    def from_catalog(self, database=None, table_name=None, redshift_tmp_dir="", transformation_ctx="",
                     push_down_predicate="", additional_options=None, catalog_id=None, **options):
        return self._gc.create_dynamic_frame_from_catalog(
            database, table_name, redshift_tmp_dir, transformation_ctx, push_down_predicate, additional_options,
            catalog_id, **options)


class _Writer:
    def __init__(self, glue_context):
        self._gc = glue_context

    def from_options(self, frame, connection_type, connection_options=None, format=None, format_options=None,
                     transformation_ctx="", **options):
        return self._gc.write_dynamic_frame_from_options(
            frame, connection_type, connection_options, format, format_options, transformation_ctx, **options)

    def from_catalog(self, frame, database=None, table_name=None, redshift_tmp_dir="", transformation_ctx="",
                     additional_options=None, catalog_id=None, **options):
        return self._gc.write_dynamic_frame_from_catalog(
            frame, database, table_name, redshift_tmp_dir, transformation_ctx, additional_options, catalog_id,
            **options)
