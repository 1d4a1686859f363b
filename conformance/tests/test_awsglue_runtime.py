"""glue-local's ``awsglue`` package (runtime/python), imported from the repository: no
server.  ``getResolvedOptions`` against the behaviour the AWS Glue developer guide
documents ("Accessing parameters using getResolvedOptions", "Job parameters used by
AWS Glue"); the job-run side is in test_real_scripts.py.
"""

import datetime
import importlib
import subprocess
import sys

import pytest

import gluelocal

RUNTIME = gluelocal.REPO_ROOT / "runtime" / "python"
sys.path.insert(0, str(RUNTIME))

from awsglue.utils import GlueArgumentError, getResolvedOptions  # noqa: E402

SCRIPT = "/scripts/job.py"
# What Glue adds to every dict whether it was passed or not.
GLUE_DEFAULTS = {
    "JOB_ID": None,
    "JOB_RUN_ID": None,
    "SECURITY_CONFIGURATION": None,
    "TempDir": None,
    "RedshiftTempDir": None,
    "encryption_type": None,
    "job_bookmark_option": "job-bookmark-disable",
    "job_bookmark_from": None,
    "job_bookmark_to": None,
}


def resolved(argv, options):
    return getResolvedOptions([SCRIPT, *argv], options)


RESOLVED = [
    # (id, argv after the script, options, expected dict minus GLUE_DEFAULTS' unchanged keys)
    ("space form", ["--JOB_NAME", "j", "--input", "s3://b/in/"], ["JOB_NAME", "input"],
     {"JOB_NAME": "j", "input": "s3://b/in/"}),
    ("equals form", ["--JOB_NAME=j", "--input=s3://b/k=v/"], ["JOB_NAME", "input"],
     {"JOB_NAME": "j", "input": "s3://b/k=v/"}),
    ("last repeat wins", ["--day", "1", "--day=2", "--day", "3"], ["day"], {"day": "3"}),
    ("unknown arguments ignored", ["--other", "x", "--conf", "a=b", "--day", "1", "stray"], ["day"],
     {"day": "1"}),
    ("argv[0] is the script", ["--day", "1"], ["day"], {"day": "1"}),
    ("empty value", ["--day", ""], ["day"], {"day": ""}),
    ("value with spaces and dashes inside", ["--q", "a b-c --d"], ["q"], {"q": "a b-c --d"}),
    ("nothing asked", ["--JOB_NAME", "j"], [], {}),
    ("name asked twice", ["--day", "1"], ["day", "day"], {"day": "1"}),
    ("dashes become underscores", ["--day-key", "p0"], ["day-key"], {"day_key": "p0"}),
    ("Glue's ids without asking", ["--JOB_NAME", "j", "--JOB_ID", "id", "--JOB_RUN_ID", "jr_1"], ["JOB_NAME"],
     {"JOB_NAME": "j", "JOB_ID": "id", "JOB_RUN_ID": "jr_1"}),
    ("workflow arguments", ["--WORKFLOW_NAME", "wf", "--WORKFLOW_RUN_ID", "wr_1"], ["WORKFLOW_NAME", "WORKFLOW_RUN_ID"],
     {"WORKFLOW_NAME": "wf", "WORKFLOW_RUN_ID": "wr_1"}),
    ("TempDir fills RedshiftTempDir", ["--TempDir", "s3://t/"], [], {"TempDir": "s3://t/", "RedshiftTempDir": "s3://t/"}),
    ("RedshiftTempDir fills TempDir", ["--RedshiftTempDir", "s3://r/"], [],
     {"TempDir": "s3://r/", "RedshiftTempDir": "s3://r/"}),
    ("TempDir wins over RedshiftTempDir", ["--RedshiftTempDir", "s3://r/", "--TempDir", "s3://t/"], [],
     {"TempDir": "s3://t/", "RedshiftTempDir": "s3://t/"}),
    ("TempDir asked but optional", [], ["TempDir", "RedshiftTempDir"], {}),
    ("bookmark option", ["--job-bookmark-option", "job-bookmark-enable"], [],
     {"job_bookmark_option": "job-bookmark-enable"}),
    ("continuation-enabled", ["--continuation-option", "continuation-enabled"], [],
     {"job_bookmark_option": "job-bookmark-enable"}),
    ("continuation-readonly", ["--continuation-option", "continuation-readonly"], [],
     {"job_bookmark_option": "job-bookmark-pause"}),
    ("continuation-ignore", ["--continuation-option", "continuation-ignore"], [],
     {"job_bookmark_option": "job-bookmark-disable"}),
    ("bookmark option wins over continuation",
     ["--continuation-option", "continuation-enabled", "--job-bookmark-option", "job-bookmark-disable"], [],
     {"job_bookmark_option": "job-bookmark-disable"}),
    ("pause with a range",
     ["--job-bookmark-option", "job-bookmark-pause", "--job-bookmark-from", "jr_1", "--job-bookmark-to", "jr_2"], [],
     {"job_bookmark_option": "job-bookmark-pause", "job_bookmark_from": "jr_1", "job_bookmark_to": "jr_2"}),
    ("encryption type", ["--encryption-type", "sse-s3"], [], {"encryption_type": "sse-s3"}),
]


@pytest.mark.parametrize("argv,options,expected", [c[1:] for c in RESOLVED], ids=[c[0] for c in RESOLVED])
def test_resolved(argv, options, expected):
    result = resolved(argv, options)
    assert type(result) is dict
    assert result == {**GLUE_DEFAULTS, **expected}


ERRORS = [
    # (id, argv after the script, options, exception type, exact message)
    ("missing one", ["--JOB_NAME", "j"], ["JOB_NAME", "input"], GlueArgumentError,
     "the following arguments are required: --input"),
    ("missing several, in asked order", [], ["JOB_NAME", "b", "a"], GlueArgumentError,
     "the following arguments are required: --JOB_NAME, --b, --a"),
    ("JOB_NAME asked and absent", ["--input", "x"], ["JOB_NAME"], GlueArgumentError,
     "the following arguments are required: --JOB_NAME"),
    ("workflow arguments outside a workflow", ["--JOB_NAME", "j"], ["WORKFLOW_NAME", "WORKFLOW_RUN_ID"],
     GlueArgumentError, "the following arguments are required: --WORKFLOW_NAME, --WORKFLOW_RUN_ID"),
    ("JOB_RUN_ID asked and absent", [], ["JOB_RUN_ID"], GlueArgumentError,
     "the following arguments are required: --JOB_RUN_ID"),
    ("a name without a value", ["--input"], ["input"], GlueArgumentError, "argument --input: expected one argument"),
    ("a name followed by another", ["--input", "--JOB_NAME", "j"], ["input", "JOB_NAME"], GlueArgumentError,
     "argument --input: expected one argument"),
    ("bad bookmark option", ["--job-bookmark-option", "on"], [], GlueArgumentError,
     "argument --job-bookmark-option: invalid choice: 'on' "
     "(choose from 'job-bookmark-enable', 'job-bookmark-disable', 'job-bookmark-pause')"),
    ("reserved: job-bookmark-option", [], ["job-bookmark-option"], RuntimeError,
     "Using reserved arguments job-bookmark-option"),
    ("reserved: continuation-option", [], ["continuation-option"], RuntimeError,
     "Using reserved arguments continuation-option"),
    ("reserved: job-bookmark-from", [], ["job-bookmark-from"], RuntimeError,
     "Using reserved arguments job-bookmark-from"),
    ("pause with half a range", ["--job-bookmark-option", "job-bookmark-pause", "--job-bookmark-from", "jr_1"], [],
     RuntimeError, "Missing option or value for --job-bookmark-to"),
    ("a range without pause", ["--job-bookmark-to", "jr_2"], [], RuntimeError,
     "--job-bookmark-to is valid only with --job-bookmark-option job-bookmark-pause, not job-bookmark-disable"),
]


@pytest.mark.parametrize("argv,options,error,message", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors(argv, options, error, message):
    with pytest.raises(error) as raised:
        resolved(argv, options)
    assert type(raised.value) is error
    assert str(raised.value) == message


def test_glue_argument_error_is_an_exception_not_an_exit():
    """A script can catch it; uncaught, the script ends with exit code 1 and AWS's traceback line."""
    assert issubclass(GlueArgumentError, Exception)
    script = "import sys\nfrom awsglue.utils import getResolvedOptions\ngetResolvedOptions(sys.argv, ['JOB_NAME', 'input'])\n"
    env = {"PYTHONPATH": str(RUNTIME), "PATH": "/usr/bin:/bin"}
    ran = subprocess.run([sys.executable, "-c", script, "--JOB_NAME", "j"], env=env, capture_output=True,
                         text=True, timeout=30)
    assert ran.returncode == 1
    assert ran.stderr.strip().splitlines()[-1] == (
        "awsglue.utils.GlueArgumentError: the following arguments are required: --input"
    )


def test_abbreviations_match_as_argparse_does():
    assert resolved(["--inp", "x"], ["input"])["input"] == "x"
    with pytest.raises(GlueArgumentError, match="ambiguous option: --JOB_"):
        resolved(["--JOB_", "x"], ["JOB_NAME", "JOB_RUN_ID"])


def test_options_may_be_any_iterable_of_names():
    assert resolved(["--a", "1"], ("a",))["a"] == "1"


@pytest.mark.parametrize("module", ["awsglue.context", "awsglue.dynamicframe", "awsglue.transforms"])
def test_spark_modules_say_they_need_spark(module):
    with pytest.raises(ImportError, match=r"part of AWS Glue's Spark library.*Spark executor") as raised:
        importlib.import_module(module)
    assert raised.value.name == module


def test_other_imports_are_untouched():
    with pytest.raises(ModuleNotFoundError, match="No module named 'awsgluex'"):
        importlib.import_module("awsgluex")
    assert importlib.import_module("awsglue.utils").getResolvedOptions is getResolvedOptions


def test_job_needs_no_spark_and_outside_glue_local_keeps_no_bookmark(monkeypatch):
    """A Python shell script's ``Job()``: run by hand (no glue-local job run), init and
    commit work and store nothing."""
    from awsglue.job import Job

    monkeypatch.delenv("GLUE_LOCAL_JOB_RUN_ID", raising=False)
    job = Job()
    job.init("j", {"JOB_NAME": "j", "job_bookmark_option": "job-bookmark-enable"})
    assert (job.name, job.bookmark, job.bookmark_to, job.bookmark_option) == ("j", {}, None, "job-bookmark-disable")
    job.bookmark["ctx"] = {"done": 1}
    assert job.commit() is None


def test_calls_are_signed_as_botocore_signs_them(monkeypatch):
    """The standard-library SigV4 of awsglue._signed (bookmarks, Data Catalog) gives botocore's signature."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from awsglue import _bookmarks, _signed

    env = {"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
           "AWS_REGION": "eu-west-1"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    json11 = {"content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSGlue.GetTable"}
    for method, path, body, extra in (
        ("GET", _bookmarks.PATH + "jr_1", b"", {}),
        ("POST", _bookmarks.PATH + "jr_1", b'{"jobBookmark": {}}', {"content-type": "application/json"}),
        ("POST", "/", b'{"DatabaseName": "d", "Name": "t"}', json11),
    ):
        request = AWSRequest(method=method, url="http://127.0.0.1:9100" + path, data=body, headers=dict(extra))
        SigV4Auth(Credentials("ASIAEXAMPLE", "secret", "token"), "glue", "eu-west-1").add_auth(request)
        now = datetime.datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
        ours = _signed.signed_headers(method, "127.0.0.1:9100", path, body, now, extra)
        assert ours["authorization"] == request.headers["Authorization"]
        assert ours["x-amz-security-token"] == "token"


def _serde(library, **parameters):
    return {"SerializationLibrary": library, "Parameters": parameters}


@pytest.mark.parametrize("table, expected", [
    ({"Parameters": {"classification": "csv", "skip.header.line.count": "1"},
      "StorageDescriptor": {"SerdeInfo": _serde("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                                                **{"field.delim": "|"})}},
     ("csv", {"sep": "|", "header": True})),
    ({"StorageDescriptor": {"SerdeInfo": _serde("org.apache.hadoop.hive.serde2.OpenCSVSerde", separatorChar=";",
                                                quoteChar="'")}},
     ("csv", {"sep": ";", "header": False, "quote": "'"})),
    ({"Parameters": {"classification": "csv"}, "StorageDescriptor": {}}, ("csv", {"sep": ",", "header": False})),
    ({"StorageDescriptor": {"SerdeInfo": _serde("org.openx.data.jsonserde.JsonSerDe")}}, ("json", {})),
    ({"Parameters": {"classification": "PARQUET"}}, ("parquet", {})),
])
def test_catalog_tables_name_their_format(table, expected):
    """``awsglue._catalog.storage_format``: a crawler's classification, else the SerDe."""
    from awsglue import _catalog

    assert _catalog.storage_format(table) == expected


def test_catalog_tables_of_other_formats_are_refused():
    from awsglue import _catalog

    with pytest.raises(ValueError, match="d.t: glue-local's from_catalog reads csv, json or parquet"):
        _catalog.storage_format({"DatabaseName": "d", "Name": "t", "Parameters": {"classification": "avro"}})


def test_catalog_calls_take_every_page_of_the_selected_partitions(glue, endpoint, unique, monkeypatch):
    """``awsglue._catalog`` against the running server, signed with the standard library."""
    from awsglue import _catalog

    for k, v in {"AWS_ENDPOINT_URL_GLUE": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                 "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    db, table = unique("db"), unique("t")
    glue.create_database(DatabaseInput={"Name": db})
    sd = {"Columns": [{"Name": "item", "Type": "string"}], "Location": "s3://b/t/"}
    glue.create_table(DatabaseName=db, TableInput={
        "Name": table, "StorageDescriptor": sd, "PartitionKeys": [{"Name": "year", "Type": "int"}]})
    glue.batch_create_partition(DatabaseName=db, TableName=table, PartitionInputList=[
        {"Values": [y], "StorageDescriptor": {**sd, "Location": f"s3://b/t/year={y}/"}}
        for y in ("2022", "2023", "2024", "2025")])
    assert _catalog.get_table(db, table)["StorageDescriptor"]["Location"] == "s3://b/t/"
    found = _catalog.partitions(db, table, "year >= 2023 AND year < 2025", page_size=1)
    assert sorted(p["Values"][0] for p in found) == ["2023", "2024"]
    assert len(_catalog.partitions(db, table, page_size=3)) == 4
    with pytest.raises(_catalog.CatalogError, match="GetTable .*EntityNotFoundException"):
        _catalog.get_table(db, "missing")


def test_s3_bookmarks_take_the_files_modified_after_the_state(tmp_path):
    """``awsglue._s3_bookmark``: what a bookmarked ``from_options`` read takes (no Spark needed)."""
    import os

    from awsglue import _s3_bookmark

    inbox = tmp_path / "in"
    (inbox / "day=1").mkdir(parents=True)

    def put(name, mtime):
        path = inbox / name
        path.write_text(name)
        os.utime(path, ns=(mtime, mtime))
        return str(path)

    a, b = put("day=1/a.csv", 100), put("day=1/b.csv", 200)
    put("_SUCCESS", 300)
    put(".hidden", 300)
    files, first = _s3_bookmark.select([str(inbox)])
    assert files == [a, b]
    assert first == {"jsonClass": "HadoopDataSourceJobBookmarkState", "latestModified": 200, "filesAtLatest": [b]}
    assert _s3_bookmark.select([str(inbox)], first) == ([], first)
    c, d = put("c.csv", 200), put("d.csv", 300)
    files, second = _s3_bookmark.select([str(inbox)], first)
    assert files == [c, d], "a file modified at the state's time but not taken yet is new"
    assert second == {"jsonClass": "HadoopDataSourceJobBookmarkState", "latestModified": 300, "filesAtLatest": [d]}
    put("e.csv", 400)
    assert _s3_bookmark.select([str(inbox)], first, upto=second)[0] == [c, d], "a range stops at its upper state"
    files, named = _s3_bookmark.select([a], name=lambda p: "s3://b/" + os.path.basename(p))
    assert (files, named["filesAtLatest"]) == ([a], ["s3://b/a.csv"])
