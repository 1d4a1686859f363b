"""What ``GlueContext``'s ``from_catalog`` reads of the Data Catalog (``--spark-executor local``).

GetTable and GetPartitions (paged, ``Expression`` = the read's ``push_down_predicate``) go
to the glue-local that started the run, signed with its credentials (``awsglue._signed``).
A table's format comes from its ``classification`` or SerDe, as the crawler writes them.
Pure Python: unit-tested without Spark.
"""

from awsglue import _signed

FORMATS = {"csv": "csv", "json": "json", "parquet": "parquet"}
SERDES = {"OpenCSVSerde": "csv", "LazySimpleSerDe": "csv", "JsonSerDe": "json", "ParquetHiveSerDe": "parquet"}


class CatalogError(_signed.CallError):
    """The Data Catalog refused a call (a missing table: EntityNotFoundException)."""


def call(operation, payload):
    """The answer of the Glue API ``operation`` to ``payload``."""
    extra = {"content-type": "application/x-amz-json-1.1", "x-amz-target": f"AWSGlue.{operation}"}
    return _signed.send("POST", "/", payload, f"{operation} {payload}", extra, CatalogError)


def _ids(database, table_name, catalog_id):
    ids = {"DatabaseName": database}
    if catalog_id:
        ids["CatalogId"] = catalog_id
    return ids


def get_table(database, table_name, catalog_id=None):
    return call("GetTable", {**_ids(database, table_name, catalog_id), "Name": table_name})["Table"]


def partitions(database, table_name, expression=None, catalog_id=None, page_size=None):
    """Every partition of the table that ``expression`` selects, all pages (``page_size`` each)."""
    request = {**_ids(database, table_name, catalog_id), "TableName": table_name}
    if expression:
        request["Expression"] = expression
    if page_size:
        request["MaxResults"] = page_size
    found = []
    while True:
        page = call("GetPartitions", request)
        found.extend(page.get("Partitions", []))
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def storage_format(table):
    """``(format, options)`` a table's files are read and written in: csv (``sep``, ``header``,
    ``quote``), json or parquet."""
    sd = table.get("StorageDescriptor") or {}
    serde = sd.get("SerdeInfo") or {}
    serde_params, params = serde.get("Parameters") or {}, table.get("Parameters") or {}
    fmt = FORMATS.get((params.get("classification") or "").lower())
    if fmt is None:
        library = (serde.get("SerializationLibrary") or "").rsplit(".", 1)[-1]
        fmt = SERDES.get(library)
    if fmt is None:
        raise ValueError(
            f"table {table.get('DatabaseName')}.{table.get('Name')}: glue-local's from_catalog reads csv, json "
            "or parquet tables (its classification or SerDe names none of them)")
    if fmt != "csv":
        return fmt, {}
    skip = serde_params.get("skip.header.line.count") or params.get("skip.header.line.count") or "0"
    options = {
        "sep": serde_params.get("field.delim") or serde_params.get("separatorChar") or params.get("delimiter") or ",",
        "header": skip.strip() == "1",
    }
    if serde_params.get("quoteChar"):
        options["quote"] = serde_params["quoteChar"]
    return fmt, options


def location(table):
    path = (table.get("StorageDescriptor") or {}).get("Location")
    if not path:
        raise ValueError(f"table {table.get('DatabaseName')}.{table.get('Name')} has no StorageDescriptor.Location")
    return path


def ddl(columns):
    """A Spark DDL schema for catalog ``columns`` (Hive type names are Spark's)."""
    return ", ".join(f"`{c['Name']}` {c.get('Type') or 'string'}" for c in columns)
