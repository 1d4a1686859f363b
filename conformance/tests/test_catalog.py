"""The Data Catalog through boto3 and the aws CLI: databases, tables, versions,
GetTables' Expression, SearchTables, the boto3 paginators, AWS's errors, and
the catalog surviving a restart with --state-dir.

The server is shared: every test makes databases of its own (unique names)."""

import pytest
from botocore.exceptions import ClientError

import gluelocal
from glue_resources import walk


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def columns(*names):
    return [{"Name": n, "Type": "string"} for n in names]


def table_input(name, location="s3://bucket/raw/", cols=("id", "name"), **extra):
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "csv"},
        "PartitionKeys": [{"Name": "dt", "Type": "date"}],
        "StorageDescriptor": {
            "Columns": columns(*cols),
            "Location": location,
            "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "SerdeInfo": {
                "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                "Parameters": {"field.delim": ","},
            },
            "Compressed": False,
            "NumberOfBuckets": -1,
            "StoredAsSubDirectories": False,
        },
        **extra,
    }


@pytest.fixture
def db(glue, unique):
    name = unique("db")
    glue.create_database(DatabaseInput={"Name": name, "Description": "raw data", "LocationUri": "s3://bucket/raw/"})
    yield name
    try:
        glue.delete_database(Name=name)
    except ClientError:
        pass


def test_database_crud_and_names_in_lowercase(glue, unique):
    name = unique("Sales")
    glue.create_database(
        DatabaseInput={"Name": name, "Description": "d", "Parameters": {"owner": "team"}}, Tags={"team": "data"}
    )
    got = glue.get_database(Name=name.upper())["Database"]
    assert got["Name"] == name.lower()
    assert got["Description"] == "d"
    assert got["Parameters"] == {"owner": "team"}
    assert got["CatalogId"] == gluelocal.ACCOUNT_ID
    assert got["CreateTableDefaultPermissions"][0]["Principal"]["DataLakePrincipalIdentifier"] == "IAM_ALLOWED_PRINCIPALS"
    with pytest.raises(ClientError) as e:
        glue.create_database(DatabaseInput={"Name": name.lower()})
    assert code(e) == "AlreadyExistsException"
    glue.update_database(Name=name, DatabaseInput={"Name": name, "Description": "changed"})
    got = glue.get_database(Name=name)["Database"]
    assert got["Description"] == "changed" and "Parameters" not in got
    glue.delete_database(Name=name)
    with pytest.raises(ClientError) as e:
        glue.get_database(Name=name)
    assert code(e) == "EntityNotFoundException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as e:
        glue.delete_database(Name=name)
    assert code(e) == "EntityNotFoundException"


def test_database_tags(glue, unique):
    name = unique("tagged")
    glue.create_database(DatabaseInput={"Name": name}, Tags={"team": "data"})
    arn = f"arn:aws:glue:us-east-1:{gluelocal.ACCOUNT_ID}:database/{name}"
    try:
        assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "data"}
        glue.tag_resource(ResourceArn=arn, TagsToAdd={"stage": "raw"})
        glue.untag_resource(ResourceArn=arn, TagsToRemove=["team"])
        assert glue.get_tags(ResourceArn=arn)["Tags"] == {"stage": "raw"}
    finally:
        glue.delete_database(Name=name)
    with pytest.raises(ClientError) as e:
        glue.get_tags(ResourceArn=arn)
    assert code(e) == "EntityNotFoundException"


def test_table_crud_keeps_what_was_given(glue, db):
    glue.create_table(DatabaseName=db, TableInput=table_input("Events", Retention=0, Owner="me"))
    t = glue.get_table(DatabaseName=db.upper(), Name="EVENTS")["Table"]
    assert (t["Name"], t["DatabaseName"], t["VersionId"]) == ("events", db, "1")
    assert t["StorageDescriptor"]["Location"] == "s3://bucket/raw/"
    assert t["StorageDescriptor"]["Columns"] == columns("id", "name")
    assert t["StorageDescriptor"]["SerdeInfo"]["Parameters"] == {"field.delim": ","}
    assert t["StorageDescriptor"]["NumberOfBuckets"] == -1
    assert t["StorageDescriptor"]["StoredAsSubDirectories"] is False
    assert t["PartitionKeys"] == [{"Name": "dt", "Type": "date"}]
    assert (t["TableType"], t["Parameters"], t["Owner"], t["Retention"]) == ("EXTERNAL_TABLE", {"classification": "csv"}, "me", 0)
    assert t["CreateTime"] == t["UpdateTime"]
    with pytest.raises(ClientError) as e:
        glue.create_table(DatabaseName=db, TableInput=table_input("events"))
    assert code(e) == "AlreadyExistsException"
    with pytest.raises(ClientError) as e:
        glue.create_table(DatabaseName=db + "-missing", TableInput=table_input("events"))
    assert code(e) == "EntityNotFoundException"
    with pytest.raises(ClientError) as e:
        glue.get_table(DatabaseName=db, Name="nope")
    assert code(e) == "EntityNotFoundException"
    glue.delete_table(DatabaseName=db, Name="Events")
    with pytest.raises(ClientError) as e:
        glue.delete_table(DatabaseName=db, Name="events")
    assert code(e) == "EntityNotFoundException"


def test_update_table_keeps_versions_unless_skip_archive(glue, db):
    glue.create_table(DatabaseName=db, TableInput=table_input("t"))
    glue.update_table(DatabaseName=db, TableInput=table_input("t", cols=("id", "name", "amount")))
    t = glue.get_table(DatabaseName=db, Name="t")["Table"]
    assert t["VersionId"] == "2"
    assert [c["Name"] for c in t["StorageDescriptor"]["Columns"]] == ["id", "name", "amount"]
    old = glue.get_table_version(DatabaseName=db, TableName="t", VersionId="1")["TableVersion"]
    assert old["VersionId"] == "1" and [c["Name"] for c in old["Table"]["StorageDescriptor"]["Columns"]] == ["id", "name"]
    assert glue.get_table_version(DatabaseName=db, TableName="t")["TableVersion"]["VersionId"] == "2"
    glue.update_table(DatabaseName=db, TableInput=table_input("t", cols=("id",)), SkipArchive=True, VersionId="2")
    versions = glue.get_table_versions(DatabaseName=db, TableName="t")["TableVersions"]
    assert [v["VersionId"] for v in versions] == ["3", "1"]
    with pytest.raises(ClientError) as e:
        glue.update_table(DatabaseName=db, TableInput=table_input("t"), VersionId="2")
    assert code(e) == "ConcurrentModificationException"
    with pytest.raises(ClientError) as e:
        glue.update_table(DatabaseName=db, TableInput=table_input("missing"))
    assert code(e) == "EntityNotFoundException"
    for _ in range(3):
        glue.update_table(DatabaseName=db, TableInput=table_input("t"))
    glue.delete_table_version(DatabaseName=db, TableName="t", VersionId="1")
    with pytest.raises(ClientError) as e:
        glue.delete_table_version(DatabaseName=db, TableName="t", VersionId="1")
    assert code(e) == "EntityNotFoundException"
    errors = glue.batch_delete_table_version(DatabaseName=db, TableName="t", VersionIds=["3", "4", "6", "99", "x"])["Errors"]
    assert sorted((e["VersionId"], e["ErrorDetail"]["ErrorCode"]) for e in errors) == [
        ("6", "InvalidInputException"),  # the current version stays
        ("99", "EntityNotFoundException"),
        ("x", "InvalidInputException"),
    ]
    versions = glue.get_table_versions(DatabaseName=db, TableName="t")["TableVersions"]
    assert [v["VersionId"] for v in versions] == ["6", "5"]


def test_get_tables_expression_and_batch_delete(glue, db):
    for name in ("sales_2023", "sales_2024", "users", "orders"):
        glue.create_table(DatabaseName=db, TableInput=table_input(name))
    names = lambda **kw: [t["Name"] for t in glue.get_tables(DatabaseName=db, **kw)["TableList"]]  # noqa: E731
    assert names() == ["orders", "sales_2023", "sales_2024", "users"]
    assert names(Expression="sales*") == ["sales_2023", "sales_2024"]
    assert names(Expression="users|orders") == ["orders", "users"]
    assert names(Expression="SALES_202[4]") == ["sales_2024"]
    assert names(Expression="nothing") == []
    pages = list(glue.get_paginator("get_tables").paginate(DatabaseName=db, Expression="sales*", PaginationConfig={"PageSize": 1}))
    assert [[t["Name"] for t in p["TableList"]] for p in pages] == [["sales_2023"], ["sales_2024"]]
    with pytest.raises(ClientError) as e:
        glue.get_tables(DatabaseName=db, Expression="(unclosed")
    assert code(e) == "InvalidInputException"
    errors = glue.batch_delete_table(DatabaseName=db, TablesToDelete=["USERS", "ghost"])["Errors"]
    assert [(e["TableName"], e["ErrorDetail"]["ErrorCode"]) for e in errors] == [("ghost", "EntityNotFoundException")]
    assert names() == ["orders", "sales_2023", "sales_2024"]
    with pytest.raises(ClientError) as e:
        glue.get_tables(DatabaseName=db + "-missing")
    assert code(e) == "EntityNotFoundException"


def test_deleting_a_database_deletes_its_tables(glue, unique):
    name = unique("db")
    glue.create_database(DatabaseInput={"Name": name})
    glue.create_table(DatabaseName=name, TableInput=table_input("t"))
    glue.delete_database(Name=name)
    glue.create_database(DatabaseInput={"Name": name})
    assert glue.get_tables(DatabaseName=name)["TableList"] == []
    glue.delete_database(Name=name)


def test_boto3_paginators(glue, unique):
    prefix = unique("pg")
    dbs = [f"{prefix}-{i}" for i in range(5)]
    for name in dbs:
        glue.create_database(DatabaseInput={"Name": name})
    try:
        pages = list(glue.get_paginator("get_databases").paginate(PaginationConfig={"PageSize": 2}))
        names = [d["Name"] for p in pages for d in p["DatabaseList"]]
        assert [n for n in names if n.startswith(prefix)] == dbs
        assert len(names) == len(set(names)) and len(pages) >= 3
        for i in range(5):
            glue.create_table(DatabaseName=dbs[0], TableInput=table_input(f"t{i}", Description=prefix))
        for _ in range(4):
            glue.update_table(DatabaseName=dbs[0], TableInput=table_input("t0"))
        pages = list(glue.get_paginator("get_tables").paginate(DatabaseName=dbs[0], PaginationConfig={"PageSize": 2}))
        assert [t["Name"] for p in pages for t in p["TableList"]] == [f"t{i}" for i in range(5)]
        assert len(pages) == 3
        pages = list(
            glue.get_paginator("get_table_versions").paginate(
                DatabaseName=dbs[0], TableName="t0", PaginationConfig={"PageSize": 2}
            )
        )
        assert [v["VersionId"] for p in pages for v in p["TableVersions"]] == ["5", "4", "3", "2", "1"]
        # botocore has no SearchTables paginator: its NextToken walked by hand.
        tables, sizes = walk(
            glue.search_tables, "TableList", max_results=2, SearchText=prefix, SortCriteria=[{"FieldName": "Name", "Sort": "DESC"}]
        )
        assert [t["Name"] for t in tables] == [f"t{i}" for i in reversed(range(5))]
        assert sizes == [2, 2, 1]
    finally:
        for name in dbs:
            glue.delete_database(Name=name)


def test_search_tables_filters(glue, db, unique):
    other = unique("db")
    glue.create_database(DatabaseInput={"Name": other})
    try:
        glue.create_table(DatabaseName=db, TableInput=table_input("customer-link", Description="linked"))
        glue.create_table(DatabaseName=db, TableInput=table_input("xxlinkyy"))
        glue.create_table(DatabaseName=other, TableInput=table_input("orders", cols=("order_id",)))
        found = lambda **kw: sorted(  # noqa: E731
            f'{t["DatabaseName"]}.{t["Name"]}'
            for t in glue.search_tables(**kw)["TableList"]
            if t["DatabaseName"] in (db, other)
        )
        link = [{"Key": "Name", "Value": "link"}]
        assert found(Filters=link) == [f"{db}.customer-link"]
        assert found(Filters=[{"Key": "DatabaseName", "Value": other}]) == [f"{other}.orders"]
        assert found(SearchText="order_id") == [f"{other}.orders"]
        assert found(SearchText='"linked"') == [f"{db}.customer-link"]
        assert len(found(Filters=[{"Key": "CreateTime", "Value": "2000-01-01T00:00:00Z", "Comparator": "GREATER_THAN"}])) == 3
        assert found(Filters=link, ResourceShareType="FOREIGN") == []
        with pytest.raises(ClientError) as e:
            glue.search_tables(SortCriteria=[{"FieldName": "Colour", "Sort": "ASC"}])
        assert code(e) == "InvalidInputException"
    finally:
        glue.delete_database(Name=other)


def test_other_catalog_ids_are_refused(glue, db):
    glue.get_database(Name=db, CatalogId=gluelocal.ACCOUNT_ID)
    with pytest.raises(ClientError) as e:
        glue.get_database(Name=db, CatalogId="999999999999")
    assert code(e) == "AccessDeniedException"
    with pytest.raises(ClientError) as e:
        glue.create_table(CatalogId="999999999999", DatabaseName=db, TableInput=table_input("t"))
    assert code(e) == "AccessDeniedException"


def test_bad_input_gets_aws_errors(glue, db, raw):
    with pytest.raises(ClientError) as e:
        glue.create_table(DatabaseName=db)  # no TableInput
    assert code(e) == "InvalidInputException"
    r = raw.glue("CreateDatabase", {"DatabaseInput": {}})
    assert (r.status, r.error_code) == (400, "InvalidInputException")
    r = raw.glue("GetTableVersion", {"DatabaseName": db, "TableName": "t", "VersionId": "one"})
    assert r.error_code in ("InvalidInputException", "EntityNotFoundException")
    r = raw.glue("CreateTable", {"DatabaseName": db, "TableInput": {"Name": "t", "StorageDescriptor": {"Columns": "x"}}})
    assert (r.status, r.error_code) == (400, "SerializationException")


def test_the_aws_cli(aws_cli, unique):
    name = unique("cli")
    aws_cli("glue", "create-database", "--database-input", f"Name={name},Description=cli")
    try:
        aws_cli(
            "glue", "create-table", "--database-name", name, "--table-input",
            '{"Name": "Events", "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": "s3://b/e/"},'
            ' "PartitionKeys": [{"Name": "dt", "Type": "string"}]}',
        )
        got = aws_cli("glue", "get-table", "--database-name", name, "--name", "events").json["Table"]
        assert got["StorageDescriptor"]["Columns"] == [{"Name": "id", "Type": "bigint"}]
        tables = aws_cli("glue", "get-tables", "--database-name", name, "--expression", "ev*").json["TableList"]
        assert [t["Name"] for t in tables] == ["events"]
        dbs = aws_cli("glue", "get-databases", "--page-size", "1").json["DatabaseList"]
        assert name in [d["Name"] for d in dbs]
        missing = aws_cli("glue", "get-table", "--database-name", name, "--name", "nope", expect_ok=False)
        assert missing.returncode != 0 and "EntityNotFoundException" in missing.stderr
    finally:
        aws_cli("glue", "delete-database", "--name", name)


def test_the_catalog_survives_a_restart(tmp_path):
    state, log = tmp_path / "state", tmp_path / "server.log"
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=log)
    srv.start()
    try:
        glue = gluelocal.make_glue_client(srv.endpoint)
        glue.create_database(DatabaseInput={"Name": "raw", "Parameters": {"k": "v"}})
        glue.create_database(DatabaseInput={"Name": "gone"})
        glue.create_table(DatabaseName="raw", TableInput=table_input("events"))
        glue.update_table(DatabaseName="raw", TableInput=table_input("events", cols=("id",)))
        glue.create_table(DatabaseName="raw", TableInput=table_input("dropped"))
        glue.delete_table(DatabaseName="raw", Name="dropped")
        glue.delete_database(Name="gone")
        before = (glue.get_databases()["DatabaseList"], glue.get_table_versions(DatabaseName="raw", TableName="events")["TableVersions"])
    finally:
        srv.stop()
    for _ in range(2):  # from the journal, then from the snapshot the first restart wrote
        srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=log)
        srv.start()
        try:
            glue = gluelocal.make_glue_client(srv.endpoint)
            after = (glue.get_databases()["DatabaseList"], glue.get_table_versions(DatabaseName="raw", TableName="events")["TableVersions"])
            assert after == before
            assert [t["Name"] for t in glue.get_tables(DatabaseName="raw")["TableList"]] == ["events"]
        finally:
            srv.stop()
