"""Partitions: CreatePartition and the batch calls with their per-entry errors, GetPartition(s)
with the Expression filter against a table of cases (string, int, date and timestamp keys),
pages through boto3's paginator, segments, ExcludeColumnSchema, updates, deletes, a deleted
table taking its partitions along, and partitions surviving a restart with --state-dir.

Each test makes a database of its own (unique name) and deletes it at the end."""

import pytest

import gluelocal

KEYS = [
    {"Name": "region", "Type": "string"},
    {"Name": "year", "Type": "int"},
    {"Name": "day", "Type": "date"},
    {"Name": "ts", "Type": "timestamp"},
]

COLUMNS = [{"Name": "id", "Type": "bigint"}, {"Name": "amount", "Type": "double"}]


def sd(location, columns=COLUMNS):
    return {
        "Columns": columns,
        "Location": location,
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
    }


def partition_input(values, **extra):
    location = "s3://bucket/t/" + "/".join(values) + "/"
    return {"Values": list(values), "StorageDescriptor": sd(location), **extra}


@pytest.fixture
def table(glue, unique):
    """A database with one table partitioned by KEYS: (database, table)."""
    database = unique("db")
    glue.create_database(DatabaseInput={"Name": database})
    glue.create_table(
        DatabaseName=database,
        TableInput={"Name": "events", "StorageDescriptor": sd("s3://bucket/t/"), "PartitionKeys": KEYS},
    )
    yield database, "events"
    try:
        glue.delete_database(Name=database)
    except glue.exceptions.EntityNotFoundException:
        pass


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def message(excinfo):
    return excinfo.value.response["Error"]["Message"]


def all_partitions(glue, database, table, page_size=None, **kwargs):
    paginator = glue.get_paginator("get_partitions")
    config = {"PageSize": page_size} if page_size else {}
    pages = list(paginator.paginate(DatabaseName=database, TableName=table, PaginationConfig=config, **kwargs))
    return [p for page in pages for p in page["Partitions"]], pages


def test_create_get_update_delete(glue, table):
    database, name = table
    values = ["eu-west-1", "2024", "2024-01-01", "2024-01-01 00:00:00"]
    glue.create_partition(
        DatabaseName=database, TableName=name, PartitionInput=partition_input(values, Parameters={"k": "v"})
    )
    got = glue.get_partition(DatabaseName=database, TableName=name, PartitionValues=values)["Partition"]
    assert got["Values"] == values
    assert got["DatabaseName"] == database and got["TableName"] == name
    assert got["CatalogId"] == gluelocal.ACCOUNT_ID
    assert got["Parameters"] == {"k": "v"}
    assert got["StorageDescriptor"]["Location"] == "s3://bucket/t/eu-west-1/2024/2024-01-01/2024-01-01 00:00:00/"
    assert got["StorageDescriptor"]["Columns"] == COLUMNS
    created = got["CreationTime"]

    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_partition(DatabaseName=database, TableName=name, PartitionInput=partition_input(values))

    update = partition_input(values, Parameters={"k": "w"})
    update["StorageDescriptor"]["Location"] = "s3://bucket/elsewhere/"
    glue.update_partition(DatabaseName=database, TableName=name, PartitionValueList=values, PartitionInput=update)
    got = glue.get_partition(DatabaseName=database, TableName=name, PartitionValues=values)["Partition"]
    assert got["Parameters"] == {"k": "w"}
    assert got["StorageDescriptor"]["Location"] == "s3://bucket/elsewhere/"
    assert got["CreationTime"] == created

    # UpdatePartition may give the partition new values.
    moved = ["eu-west-1", "2025", "2025-01-01", "2025-01-01 00:00:00"]
    glue.update_partition(
        DatabaseName=database, TableName=name, PartitionValueList=values, PartitionInput=partition_input(moved)
    )
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition(DatabaseName=database, TableName=name, PartitionValues=values)
    assert glue.get_partition(DatabaseName=database, TableName=name, PartitionValues=moved)["Partition"]["Values"] == moved

    glue.delete_partition(DatabaseName=database, TableName=name, PartitionValues=moved)
    with pytest.raises(glue.exceptions.EntityNotFoundException) as e:
        glue.get_partition(DatabaseName=database, TableName=name, PartitionValues=moved)
    assert message(e) == "Cannot find partition."
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_partition(DatabaseName=database, TableName=name, PartitionValues=moved)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_partition(
            DatabaseName=database, TableName=name, PartitionValueList=moved, PartitionInput=partition_input(moved)
        )


def test_refusals(glue, table, unique):
    database, name = table
    with pytest.raises(glue.exceptions.InvalidInputException) as e:
        glue.create_partition(DatabaseName=database, TableName=name, PartitionInput=partition_input(["only-one"]))
    assert "number of partition keys" in message(e)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.create_partition(DatabaseName=database, TableName="nope", PartitionInput=partition_input(["a"]))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partitions(DatabaseName=unique("nodb"), TableName=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.batch_create_partition(DatabaseName=database, TableName="nope", PartitionInputList=[])
    with pytest.raises(glue.exceptions.InvalidInputException) as e:
        glue.get_partitions(DatabaseName=database, TableName=name, Segment={"SegmentNumber": 3, "TotalSegments": 3})
    assert "SegmentNumber" in message(e)


def test_batch_create_reports_each_refused_entry(glue, table):
    database, name = table
    existing = ["us-east-1", "2024", "2024-01-01", "2024-01-01 00:00:00"]
    glue.create_partition(DatabaseName=database, TableName=name, PartitionInput=partition_input(existing))
    new = [["us-east-1", str(y), f"{y}-06-01", f"{y}-06-01 12:00:00"] for y in (2020, 2021, 2022)]
    out = glue.batch_create_partition(
        DatabaseName=database,
        TableName=name,
        PartitionInputList=[partition_input(v) for v in new]
        + [partition_input(existing), partition_input(new[0]), partition_input(["short"])],
    )
    errors = [(e["PartitionValues"], e["ErrorDetail"]["ErrorCode"]) for e in out["Errors"]]
    assert errors == [
        (existing, "AlreadyExistsException"),
        (new[0], "AlreadyExistsException"),
        (["short"], "InvalidInputException"),
    ]
    got, _ = all_partitions(glue, database, name)
    assert sorted(p["Values"] for p in got) == sorted(new + [existing])
    assert not glue.batch_create_partition(
        DatabaseName=database, TableName=name, PartitionInputList=[partition_input(["eu", "1", "2001-01-01", "2001-01-01 00:00:00"])]
    ).get("Errors")


def test_batch_get_update_delete(glue, table):
    database, name = table
    values = [["eu", str(y), f"{y}-01-01", f"{y}-01-01 00:00:00"] for y in range(2000, 2010)]
    glue.batch_create_partition(DatabaseName=database, TableName=name, PartitionInputList=[partition_input(v) for v in values])
    missing = ["eu", "1999", "1999-01-01", "1999-01-01 00:00:00"]

    out = glue.batch_get_partition(
        DatabaseName=database, TableName=name, PartitionsToGet=[{"Values": v} for v in (values[3], missing, values[1])]
    )
    # AWS leaves out the partitions that do not exist; it processes every key asked for.
    assert [p["Values"] for p in out["Partitions"]] == [values[3], values[1]]
    assert out["UnprocessedKeys"] == []

    entries = [
        {"PartitionValueList": values[0], "PartitionInput": partition_input(values[0], Parameters={"u": "1"})},
        {"PartitionValueList": missing, "PartitionInput": partition_input(missing)},
        {"PartitionValueList": values[2], "PartitionInput": partition_input(["short"])},
    ]
    out = glue.batch_update_partition(DatabaseName=database, TableName=name, Entries=entries)
    assert [(e["PartitionValueList"], e["ErrorDetail"]["ErrorCode"]) for e in out["Errors"]] == [
        (missing, "EntityNotFoundException"),
        (values[2], "InvalidInputException"),
    ]
    assert glue.get_partition(DatabaseName=database, TableName=name, PartitionValues=values[0])["Partition"]["Parameters"] == {"u": "1"}

    out = glue.batch_delete_partition(
        DatabaseName=database, TableName=name, PartitionsToDelete=[{"Values": v} for v in values[:5] + [missing]]
    )
    assert [(e["PartitionValues"], e["ErrorDetail"]["ErrorCode"]) for e in out["Errors"]] == [
        (missing, "EntityNotFoundException")
    ]
    got, _ = all_partitions(glue, database, name)
    assert sorted(p["Values"] for p in got) == sorted(values[5:])


# The partitions the expression cases run over: (region, year, day, ts).
CASE_PARTITIONS = [
    ("eu-west-1", "2023", "2023-12-31", "2023-12-31 23:59:59"),
    ("us-east-1", "2024", "2024-01-01", "2024-01-01 00:00:00"),
    ("us-west-2", "9", "2024-02-29", "2024-02-29 12:30:00.5"),
    ("ap-south-1", "10", "2024-10-10", "2024-10-10 08:00:00"),
    ("us-east-1", "100", "2025-05-05", "2025-05-05 05:05:05"),
]

EXPRESSION_CASES = [
    ("region = 'us-east-1'", [1, 4]),
    ("region <> 'us-east-1'", [0, 2, 3]),
    ("region LIKE 'us-%'", [1, 2, 4]),
    ("region NOT LIKE '%-1'", [2]),
    ("region IN ('eu-west-1', 'ap-south-1')", [0, 3]),
    ("region > 'eu'", [0, 1, 2, 4]),
    # int keys compare as numbers: 9 < 10 < 100 < 2023
    ("year > 9", [0, 1, 3, 4]),
    ("year < 100", [2, 3]),
    ("year BETWEEN 10 AND 2023", [0, 3, 4]),
    ("year NOT IN (9, 10)", [0, 1, 4]),
    ("year >= '100'", [0, 1, 4]),
    # date keys compare as dates
    ("day >= '2024-01-01' AND day < '2024-10-10'", [1, 2]),
    ("day BETWEEN '2024-01-01' AND '2024-12-31'", [1, 2, 3]),
    ("day > DATE '2024-10-09'", [3, 4]),
    ("ts > '2024-02-29 12:30:00'", [2, 3, 4]),
    ("ts <= TIMESTAMP '2024-01-01 00:00:00'", [0, 1]),
    ("(region = 'us-east-1' OR region = 'us-west-2') AND year < 1000", [2, 4]),
    ("NOT (region = 'us-east-1') AND NOT year = 9", [0, 3]),
    ("region = 'us-east-1' OR year = 9 AND day = '2024-02-29'", [1, 2, 4]),
    ("region IS NOT NULL", [0, 1, 2, 3, 4]),
    ("region IS NULL", []),
]

EXPRESSION_ERRORS = [
    ("nope = 1", "Unknown column 'nope'"),
    ("year = 'abc'", "'abc' is not an integer"),
    ("day = '2024-13-01'", "is not a date"),
    ("year LIKE '2%'", "Integral data type doesn't support operation 'LIKE'"),
    ("region = ", "Unsupported expression"),
    ("lower(region) = 'x'", "Unsupported expression"),
    ("region = 'a'; DROP TABLE t", "Unsupported expression"),
]


@pytest.fixture
def case_table(glue, table):
    database, name = table
    glue.batch_create_partition(
        DatabaseName=database, TableName=name, PartitionInputList=[partition_input(v) for v in CASE_PARTITIONS]
    )
    return database, name


def test_expressions_against_a_table_of_cases(glue, case_table):
    database, name = case_table
    wrong = []
    for expression, expected in EXPRESSION_CASES:
        got, _ = all_partitions(glue, database, name, page_size=2, Expression=expression)
        got_values = sorted(tuple(p["Values"]) for p in got)
        want = sorted(CASE_PARTITIONS[i] for i in expected)
        if got_values != want:
            wrong.append(f"{expression!r}: wanted {want}, got {got_values}")
    assert not wrong, "\n".join(wrong)


def test_expression_errors(glue, case_table):
    database, name = case_table
    wrong = []
    for expression, text in EXPRESSION_ERRORS:
        try:
            glue.get_partitions(DatabaseName=database, TableName=name, Expression=expression)
            wrong.append(f"{expression!r}: answered")
        except glue.exceptions.InvalidInputException as e:
            if text not in e.response["Error"]["Message"]:
                wrong.append(f"{expression!r}: {e.response['Error']['Message']!r} lacks {text!r}")
    assert not wrong, "\n".join(wrong)


def test_expressions_through_the_cli(aws_cli, case_table):
    database, name = case_table
    out = aws_cli("glue", "get-partitions", "--database-name", database, "--table-name", name,
                  "--expression", "year BETWEEN 10 AND 2023 AND region <> 'eu-west-1'")
    assert sorted(p["Values"][0] for p in out.json["Partitions"]) == ["ap-south-1", "us-east-1"]
    bad = aws_cli("glue", "get-partitions", "--database-name", database, "--table-name", name,
                  "--expression", "year LIKE '1%'", expect_ok=False)
    assert bad.returncode != 0 and "InvalidInputException" in bad.stderr


def test_pages_segments_and_exclude_column_schema(glue, table):
    database, name = table
    values = [["r", str(i), f"2024-01-{i % 28 + 1:02d}", "2024-01-01 00:00:00"] for i in range(57)]
    glue.batch_create_partition(DatabaseName=database, TableName=name, PartitionInputList=[partition_input(v) for v in values[:50]])
    glue.batch_create_partition(DatabaseName=database, TableName=name, PartitionInputList=[partition_input(v) for v in values[50:]])

    got, pages = all_partitions(glue, database, name, page_size=10)
    assert len(pages) == 6 and all(len(p["Partitions"]) <= 10 for p in pages)
    assert sorted(p["Values"] for p in got) == sorted(values), "every partition once across the pages"

    got, pages = all_partitions(glue, database, name, page_size=4, Expression="year >= 50")
    assert sorted(int(p["Values"][1]) for p in got) == list(range(50, 57))

    segments = [
        {tuple(p["Values"]) for p in all_partitions(glue, database, name, Segment={"SegmentNumber": s, "TotalSegments": 3})[0]}
        for s in range(3)
    ]
    assert sum(len(s) for s in segments) == len(values), "segments do not overlap"
    assert set().union(*segments) == {tuple(v) for v in values}
    assert all(segments), "each segment holds some of 57 partitions"

    out = glue.get_partitions(DatabaseName=database, TableName=name, ExcludeColumnSchema=True, MaxResults=1)
    sd_out = out["Partitions"][0]["StorageDescriptor"]
    assert "Columns" not in sd_out and sd_out["Location"].startswith("s3://bucket/t/")

    token = out["NextToken"]
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_partitions(DatabaseName=database, TableName=name, Expression="year > 1", NextToken=token)


def test_deleting_a_table_deletes_its_partitions(glue, table):
    database, name = table
    glue.create_partition(DatabaseName=database, TableName=name, PartitionInput=partition_input(["a", "1", "2024-01-01", "2024-01-01 00:00:00"]))
    glue.delete_table(DatabaseName=database, Name=name)
    glue.create_table(DatabaseName=database, TableInput={"Name": name, "PartitionKeys": KEYS})
    assert glue.get_partitions(DatabaseName=database, TableName=name)["Partitions"] == []


def test_partitions_survive_a_restart_and_journal_per_partition(tmp_path, unique):
    state = tmp_path / "state"
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=tmp_path / "server.log")
    srv.start()
    database = unique("db")
    try:
        glue = gluelocal.make_glue_client(srv.endpoint)
        glue.create_database(DatabaseInput={"Name": database})
        glue.create_table(DatabaseName=database, TableInput={"Name": "t", "PartitionKeys": KEYS})
        journal = state / "journal"
        sizes = []
        for batch in range(10):
            inputs = [partition_input(["r", str(batch * 100 + i), "2024-01-01", "2024-01-01 00:00:00"]) for i in range(100)]
            glue.batch_create_partition(DatabaseName=database, TableName="t", PartitionInputList=inputs)
            sizes.append(journal.stat().st_size)
        growth = [b - a for a, b in zip(sizes, sizes[1:])]
        # Each batch journals its own 100 partitions, not the table's others.
        assert max(growth) < 1.5 * min(growth), f"journal growth per batch of 100: {growth}"
        first = ["r", "0", "2024-01-01", "2024-01-01 00:00:00"]
        glue.update_partition(DatabaseName=database, TableName="t", PartitionValueList=first,
                              PartitionInput=partition_input(first, Parameters={"after": "update"}))
        glue.delete_partition(DatabaseName=database, TableName="t", PartitionValues=["r", "1", "2024-01-01", "2024-01-01 00:00:00"])
        before = sorted(p["Values"][1] for p in all_partitions(glue, database, "t")[0])
    finally:
        srv.stop()

    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=tmp_path / "server2.log")
    srv.start()
    try:
        glue = gluelocal.make_glue_client(srv.endpoint)
        after = sorted(p["Values"][1] for p in all_partitions(glue, database, "t")[0])
        assert after == before and len(after) == 999
        got = glue.get_partition(DatabaseName=database, TableName="t", PartitionValues=first)["Partition"]
        assert got["Parameters"] == {"after": "update"}
        assert [p["Values"][1] for p in glue.get_partitions(DatabaseName=database, TableName="t", Expression="year < 3")["Partitions"]] in (["0", "2"], ["2", "0"])
    finally:
        srv.stop()
