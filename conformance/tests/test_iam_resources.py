"""IAM on what a call names: BatchGet* checked per named resource, aws:ResourceTag keys in
any case, X-Amz-Target covered by the signature, pagination tokens bound to the account
and region that issued them, and reads of unknown regions leaving no partition behind.

These tests run their own glue-local with an IAM config (the shared server is permissive)."""

import json
import secrets

import pytest
from botocore.exceptions import ClientError

import gluelocal
from glue_resources import Resources

ACCOUNT = gluelocal.ACCOUNT_ID
OTHER_ACCOUNT = "210987654321"
KINDS = ("workflow", "job", "trigger", "crawler")


def arn(kind, pattern, account=ACCOUNT):
    return f"arn:aws:glue:us-east-1:{account}:{kind}/{pattern}"


def statement(effect, actions, resources, condition=None):
    s = {"Effect": effect, "Action": actions, "Resource": resources}
    if condition:
        s["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [s]}


def principal(name, policies, account=ACCOUNT):
    return {
        "arn": f"arn:aws:iam::{account}:user/{name}",
        "accessKeyId": f"AKIA{name.upper():0<16}",
        "secretAccessKey": f"{name}-secret",
        "policies": policies,
    }


PRINCIPALS = [
    principal("admin", [statement("Allow", ["glue:*", "glue-local:*"], "*")]),
    # Everything but prod*: an explicit deny on each kind's prod* ARNs.
    principal(
        "noprod",
        [
            statement("Allow", "glue:*", "*"),
            statement("Deny", "glue:*", [arn(kind, "prod*") for kind in KINDS]),
        ],
    ),
    # BatchGet* on dev* only: no allow for anything else.
    principal("devonly", [statement("Allow", "glue:BatchGet*", [arn(kind, "dev*") for kind in KINDS])]),
    # Reads of resources tagged Team=data, the condition key written in another case than the tag.
    principal(
        "teamdata",
        [statement("Allow", ["glue:GetWorkflow", "glue:BatchGetWorkflows"], "*", {"StringEquals": {"aws:ResourceTag/team": "data"}})],
    ),
    principal("stranger", [statement("Allow", "glue:*", "*")], account=OTHER_ACCOUNT),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = gluelocal.iam_server(tmp_path_factory.mktemp("iam-resources"), "iam-resources", PRINCIPALS)
    yield srv
    srv.stop()


def key_of(who):
    return next(p["accessKeyId"] for p in PRINCIPALS if p["arn"].endswith(f"/{who}"))


def client(server, who, region="us-east-1"):
    return gluelocal.make_glue_client(server.endpoint, region, key_of(who), f"{who}-secret")


def raw_client(server, who):
    return gluelocal.RawClient(server.endpoint, access_key=key_of(who), secret_key=f"{who}-secret")


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]


@pytest.fixture
def admin_res(server):
    r = Resources(client(server, "admin"))
    yield r
    r.cleanup()


def one_of_each(res, name):
    """A workflow, job, trigger and crawler all called `name`."""
    res.workflow(name=name)
    res.job(name=name)
    res.trigger(name=name, Type="ON_DEMAND", Actions=[{"JobName": name}])
    res.crawler(name=name)


def batch_get(glue, kind, names):
    """(found names, not-found names) of the kind's BatchGet* call."""
    if kind == "workflow":
        out = glue.batch_get_workflows(Names=names)
        return [w["Name"] for w in out.get("Workflows", [])], out.get("MissingWorkflows", [])
    if kind == "job":
        out = glue.batch_get_jobs(JobNames=names)
        return [j["Name"] for j in out.get("Jobs", [])], out.get("JobsNotFound", [])
    if kind == "trigger":
        out = glue.batch_get_triggers(TriggerNames=names)
        return [t["Name"] for t in out.get("Triggers", [])], out.get("TriggersNotFound", [])
    out = glue.batch_get_crawlers(CrawlerNames=names)
    return [c["Name"] for c in out.get("Crawlers", [])], out.get("CrawlersNotFound", [])


# ---- BatchGet* per named resource ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_deny_on_prod_hides_prod_from_batch_get(server, admin_res, unique, kind):
    prod, dev = unique("prod"), unique("dev")
    for name in (prod, dev):
        one_of_each(admin_res, name)
    assert batch_get(client(server, "admin"), kind, [prod, dev]) == ([prod, dev], [])
    noprod = client(server, "noprod")
    # A denied name is answered like a missing one, in the order asked.
    assert batch_get(noprod, kind, [prod, dev, "dev-missing"]) == ([dev], [prod, "dev-missing"])
    # Nothing named may be seen: the call itself is refused, naming the first denied ARN.
    err = error_of(lambda: batch_get(noprod, kind, [prod]))
    assert err["Code"] == "AccessDeniedException"
    assert "glue:BatchGet" in err["Message"] and f":{kind}/{prod} " in err["Message"], err["Message"]
    assert err["Message"].endswith("with an explicit deny in an identity-based policy")


@pytest.mark.parametrize("kind", KINDS)
def test_allow_on_dev_resources_only(server, admin_res, unique, kind):
    prod, dev = unique("prod"), unique("dev")
    for name in (prod, dev):
        one_of_each(admin_res, name)
    devonly = client(server, "devonly")
    assert batch_get(devonly, kind, [dev, prod]) == ([dev], [prod])
    err = error_of(lambda: batch_get(devonly, kind, [prod]))
    assert err["Code"] == "AccessDeniedException"
    assert err["Message"].endswith("because no identity-based policy allows the glue:BatchGet" + {
        "workflow": "Workflows", "job": "Jobs", "trigger": "Triggers", "crawler": "Crawlers"}[kind] + " action")


def test_batch_get_through_the_cli_hides_denied_names(server, unique, admin_res, tmp_path):
    prod, dev = unique("prod"), unique("dev")
    admin_res.workflow(name=prod)
    admin_res.workflow(name=dev)
    cli = gluelocal.AwsCli(server.endpoint, tmp_path)
    out = cli("glue", "batch-get-workflows", "--names", prod, dev, access_key=key_of("noprod"), secret_key="noprod-secret")
    assert [w["Name"] for w in out.json["Workflows"]] == [dev]
    assert out.json["MissingWorkflows"] == [prod]


# ---- aws:ResourceTag/<key> -----------------------------------------------------------------


def test_resource_tag_condition_key_is_case_insensitive(server, admin_res, unique):
    tagged = admin_res.workflow(Tags={"Team": "data"})
    other = admin_res.workflow(Tags={"Team": "web"})
    untagged = admin_res.workflow()
    teamdata = client(server, "teamdata")
    assert teamdata.get_workflow(Name=tagged)["Workflow"]["Name"] == tagged
    for name in (other, untagged):
        assert error_of(lambda: teamdata.get_workflow(Name=name))["Code"] == "AccessDeniedException"
    out = teamdata.batch_get_workflows(Names=[other, tagged, untagged])
    assert [w["Name"] for w in out["Workflows"]] == [tagged]
    assert out["MissingWorkflows"] == [other, untagged]


# ---- X-Amz-Target must be signed -----------------------------------------------------------


def test_unsigned_target_is_refused(server, admin_res):
    name = admin_res.workflow()
    raw = raw_client(server, "admin")
    body = json.dumps({"Name": name}).encode()
    signed = raw.sign("POST", "/", [("Content-Type", gluelocal.JSON_CONTENT_TYPE)], body)
    assert "x-amz-target" not in dict((k.lower(), v) for k, v in signed)["authorization"].lower()
    resp = raw("POST", "/", signed + [("X-Amz-Target", "AWSGlue.DeleteWorkflow")], body, sign=False)
    assert resp.status == 400, resp.describe()
    assert resp.error_code == "IncompleteSignatureException", resp.describe()
    assert resp.json["Message"] == "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."
    assert client(server, "admin").get_workflow(Name=name)["Workflow"]["Name"] == name
    # The same request with the target signed goes through.
    ok = raw.glue("DeleteWorkflow", {"Name": name})
    assert ok.status == 200, ok.describe()


# ---- pagination tokens are bound to account and region -------------------------------------


def test_pagination_token_replayed_in_another_account_or_region_is_refused(server, admin_res):
    for _ in range(2):
        admin_res.job()
    admin = client(server, "admin")
    token = admin.list_jobs(MaxResults=1)["NextToken"]
    assert admin.list_jobs(MaxResults=1, NextToken=token)["JobNames"]
    replays = {
        "eu-west-1": client(server, "admin", region="eu-west-1"),
        OTHER_ACCOUNT: client(server, "stranger"),
    }
    for where, glue in replays.items():
        err = error_of(lambda: glue.list_jobs(MaxResults=1, NextToken=token))
        assert err["Code"] == "InvalidInputException", where


# ---- reads of unknown regions --------------------------------------------------------------


def partitions(server):
    return gluelocal.health(server.endpoint)["partitions"]


def random_region():
    return f"zz-{secrets.token_hex(5)}-{secrets.randbelow(10)}"


def test_reads_of_unknown_regions_create_no_partition(server):
    raw = raw_client(server, "admin")
    before = partitions(server)
    reads = [
        ("GetWorkflow", {"Name": "w"}, 400, "EntityNotFoundException"),
        ("ListWorkflows", {}, 200, None),
        ("BatchGetJobs", {"JobNames": ["j"]}, 200, None),
        ("GetTriggers", {}, 200, None),
        ("ListCrawlers", {}, 200, None),
        ("GetTags", {"ResourceArn": arn("job", "j")}, 400, "EntityNotFoundException"),
        ("GetJobRuns", {"JobName": "j"}, 400, "EntityNotFoundException"),
    ]
    for i in range(2100):
        op, payload, status, code = reads[i % len(reads)]
        resp = raw.glue(op, payload, region=random_region())
        assert (resp.status, resp.error_code) == (status, code), f"{op}: {resp.describe()}"
        if op == "BatchGetJobs":
            assert resp.json["JobsNotFound"] == ["j"] and not resp.json.get("Jobs"), resp.describe()
    raw.close()
    assert partitions(server) == before
    # The first write makes the partition, and what it wrote is there to read.
    region = random_region()
    glue = client(server, "admin", region=region)
    glue.create_workflow(Name="made")
    assert partitions(server) == before + 1
    assert glue.get_workflow(Name="made")["Workflow"]["Name"] == "made"
    assert glue.list_workflows()["Workflows"] == ["made"]
