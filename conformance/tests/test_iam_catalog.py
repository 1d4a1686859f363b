"""IAM on the Data Catalog: a call is authorized on every ARN AWS lists for it — the
catalog, the database and the table — and is refused when any one is not allowed.

This module runs its own glue-local with an IAM config (the shared server is permissive)."""


import pytest
from botocore.exceptions import ClientError

import gluelocal

ACCOUNT = gluelocal.ACCOUNT_ID
PREFIX = f"arn:aws:glue:us-east-1:{ACCOUNT}"
READS = [
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetTableVersions",
    "glue:SearchTables",
    "glue:GetPartitions",
]


def principal(name, statements):
    return {
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "accessKeyId": f"AKIA{name.upper():0<16}",
        "secretAccessKey": f"{name}-secret",
        "policies": [{"Version": "2012-10-17", "Statement": statements}],
    }


PRINCIPALS = [
    principal("admin", [{"Effect": "Allow", "Action": ["glue:*", "glue-local:*"], "Resource": "*"}]),
    # Database sales and its public_* tables, not sales/secret nor any other database.
    principal(
        "analyst",
        [
            {
                "Effect": "Allow",
                "Action": READS,
                "Resource": [f"{PREFIX}:catalog", f"{PREFIX}:database/sales", f"{PREFIX}:table/sales/public_*"],
            }
        ],
    ),
    # Database and table allowed, the catalog not.
    principal(
        "nocatalog",
        [{"Effect": "Allow", "Action": READS, "Resource": [f"{PREFIX}:database/sales", f"{PREFIX}:table/sales/*"]}],
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = gluelocal.iam_server(tmp_path_factory.mktemp("iam-catalog"), "iam-catalog", PRINCIPALS)
    admin = client(srv, "admin")
    for db in ("sales", "hr"):
        admin.create_database(DatabaseInput={"Name": db})
    for table in ("public_orders", "secret"):
        admin.create_table(DatabaseName="sales", TableInput={"Name": table})
    admin.create_table(DatabaseName="hr", TableInput={"Name": "public_people"})
    yield srv
    srv.stop()


def client(srv, who):
    key = next(p["accessKeyId"] for p in PRINCIPALS if p["arn"].endswith(f"/{who}"))
    return gluelocal.make_glue_client(srv.endpoint, "us-east-1", key, f"{who}-secret")


def denied(call):
    with pytest.raises(ClientError) as info:
        call()
    err = info.value.response["Error"]
    assert err["Code"] == "AccessDeniedException", err
    return err["Message"]


def test_the_database_is_allowed_and_a_table_of_it_is_not(server):
    glue = client(server, "analyst")
    assert glue.get_database(Name="sales")["Database"]["Name"] == "sales"
    assert glue.get_table(DatabaseName="sales", Name="public_orders")["Table"]["Name"] == "public_orders"
    message = denied(lambda: glue.get_table(DatabaseName="sales", Name="secret"))
    assert f"glue:GetTable on resource: {PREFIX}:table/sales/secret " in message, message
    # Names are matched as Glue stores them, lowercase.
    message = denied(lambda: glue.get_table(DatabaseName="SALES", Name="SECRET"))
    assert f"{PREFIX}:table/sales/secret " in message, message
    assert glue.get_table_versions(DatabaseName="sales", TableName="Public_Orders")["TableVersions"]


def test_another_database_is_refused_on_its_database_arn(server):
    glue = client(server, "analyst")
    message = denied(lambda: glue.get_table(DatabaseName="hr", Name="public_people"))
    assert f"on resource: {PREFIX}:database/hr " in message, message
    denied(lambda: glue.get_database(Name="hr"))


def test_listing_needs_every_table_of_the_database(server):
    # GetTables is authorized on table/sales/*: public_* alone does not cover it.
    message = denied(lambda: client(server, "analyst").get_tables(DatabaseName="sales"))
    assert f"{PREFIX}:table/sales/*" in message, message
    assert len(client(server, "admin").get_tables(DatabaseName="sales")["TableList"]) == 2
    denied(lambda: client(server, "analyst").search_tables())


def test_the_catalog_arn_is_needed_too(server):
    glue = client(server, "nocatalog")
    message = denied(lambda: glue.get_table(DatabaseName="sales", Name="public_orders"))
    assert f"on resource: {PREFIX}:catalog " in message, message


def test_writes_need_their_own_actions(server):
    glue = client(server, "analyst")
    message = denied(lambda: glue.delete_table(DatabaseName="sales", Name="public_orders"))
    assert "glue:DeleteTable" in message
    denied(lambda: glue.create_database(DatabaseInput={"Name": "sales2"}))
    assert client(server, "admin").get_table(DatabaseName="sales", Name="public_orders")


def test_partitions_are_authorized_on_their_table(server):
    admin, glue = client(server, "admin"), client(server, "analyst")
    for table in ("public_orders", "secret"):
        admin.update_table(DatabaseName="sales", TableInput={"Name": table, "PartitionKeys": [{"Name": "day", "Type": "date"}]})
        admin.create_partition(DatabaseName="sales", TableName=table, PartitionInput={"Values": ["2024-01-01"]})
    got = glue.get_partitions(DatabaseName="sales", TableName="public_orders", Expression="day >= '2024-01-01'")
    assert [p["Values"] for p in got["Partitions"]] == [["2024-01-01"]]
    message = denied(lambda: glue.get_partitions(DatabaseName="sales", TableName="secret"))
    assert f"glue:GetPartitions on resource: {PREFIX}:table/sales/secret " in message, message
    message = denied(lambda: glue.batch_create_partition(DatabaseName="sales", TableName="public_orders", PartitionInputList=[]))
    assert "glue:BatchCreatePartition" in message, message
