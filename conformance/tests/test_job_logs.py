"""A job run's logs: GetJobRun's LogGroupName (``/aws-glue/jobs``, as AWS) names the folder under
``--log-dir`` where the run's ``output/<run id>`` and ``error/<run id>`` are written, and
``GET /_glue_local/logs/<job run id>?stream=output|error&tail=<bytes>`` answers their end as text:
bounded, for runs of the caller's account and region only (never a path), behind the Host/Origin
checks, authorized like ``glue:GetJobRun`` on the job with an IAM config, never for job runs' own
credentials.  Each server here is the module's own (``--scripts-dir`` covering pytest's basetemp)."""

import json
import secrets

import pytest
from botocore.exceptions import ClientError

import gluelocal
from workflows_util import Scripts, create_job

MIB = 1024 * 1024
ADMIN = ("AKIALOGSADMIN0000001", "logs-admin")
READER = ("AKIALOGSREADER000001", "logs-reader")
PRINCIPALS = [
    {"arn": f"arn:aws:iam::{gluelocal.ACCOUNT_ID}:user/admin", "accessKeyId": ADMIN[0], "secretAccessKey": ADMIN[1],
     "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:*", "Resource": "*"}]}]},
    # may read the runs of the jobs named visible-*, nothing else
    {"arn": f"arn:aws:iam::{gluelocal.ACCOUNT_ID}:user/reader", "accessKeyId": READER[0], "secretAccessKey": READER[1],
     "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:GetJobRun",
                   "Resource": f"arn:aws:glue:{gluelocal.REGION}:{gluelocal.ACCOUNT_ID}:job/visible-*"}]}]},
]

# Prints a numbered line per 100 bytes up to `size`, then THE END; a line on stderr.
CHATTY = """
import sys
size = int(sys.argv[sys.argv.index("--size") + 1])
for i in range(size // 100):
    sys.stdout.write(f"line {i:08d} ".ljust(99, ".") + "\\n")
print("THE END")
sys.stderr.write("a warning on stderr\\n")
"""

# Reads its own run's log through the endpoint with the run's credentials; prints the status.
READS_ITS_OWN_LOG = """
import os, urllib.error, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

env = os.environ
url = f"{env['AWS_ENDPOINT_URL']}/_glue_local/logs/{env['GLUE_LOCAL_JOB_RUN_ID']}"
req = AWSRequest(method="GET", url=url)
creds = Credentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"])
SigV4Auth(creds, "glue", env["AWS_REGION"]).add_auth(req)
try:
    urllib.request.urlopen(urllib.request.Request(url, headers=dict(req.headers.items())), timeout=10)
    print("status 200")
except urllib.error.HTTPError as e:
    print("status", e.code, e.read().decode())
"""


def _start(name, tmp_path_factory, *args):
    log_dir = tmp_path_factory.mktemp(f"{name}-logs")
    server = gluelocal.LocalServer(
        log_path=gluelocal.ARTIFACTS_DIR / f"server-{name}.log",
        extra_args=["--scripts-dir", str(tmp_path_factory.getbasetemp()), "--log-dir", str(log_dir), *args],
    )
    try:
        server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    return server, log_dir


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    server, log_dir = _start("job-logs", tmp_path_factory)
    yield server.endpoint, log_dir
    server.stop()


@pytest.fixture(scope="module")
def iam(tmp_path_factory):
    config = tmp_path_factory.mktemp("logs-iam") / "iam.json"
    config.write_text(json.dumps({"principals": PRINCIPALS}))
    server, _ = _start("job-logs-iam", tmp_path_factory, "--iam-config", str(config))
    yield server.endpoint
    server.stop()


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    return Scripts(tmp_path_factory.mktemp("logs-scripts"))


def _finished_run(glue, job, args=None):
    run_id = glue.start_job_run(JobName=job, Arguments=args or {})["JobRunId"]
    done = ("SUCCEEDED", "FAILED", "ERROR", "TIMEOUT", "STOPPED")
    return gluelocal.wait_until(
        lambda: (r := glue.get_job_run(JobName=job, RunId=run_id)["JobRun"])["JobRunState"] in done and r,
        timeout=60,
        message=f"job run {run_id} of {job} did not finish",
    )


def _logs(raw, run_id, query="", **kwargs):
    return raw("GET", f"/_glue_local/logs/{run_id}{'?' + query if query else ''}", **kwargs)


def test_log_group_name_points_at_the_files_written(plain, scripts, unique):
    endpoint, log_dir = plain
    glue = gluelocal.make_glue_client(endpoint)
    job = create_job(glue, unique("chatty"), scripts.write("chatty.py", CHATTY))
    run = _finished_run(glue, job, {"--size": "1000"})
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    assert run["LogGroupName"] == "/aws-glue/jobs"
    listed = glue.get_job_runs(JobName=job)["JobRuns"]
    assert [r["LogGroupName"] for r in listed] == ["/aws-glue/jobs"]
    group = log_dir / run["LogGroupName"].lstrip("/")
    assert (group / "output" / run["Id"]).read_text().endswith("THE END\n")
    assert (group / "error" / run["Id"]).read_text() == "a warning on stderr\n"


def test_logs_endpoint_answers_a_bounded_tail(plain, scripts, unique):
    endpoint, log_dir = plain
    glue, raw = gluelocal.make_glue_client(endpoint), gluelocal.RawClient(endpoint)
    job = create_job(glue, unique("chatty"), scripts.write("chatty.py", CHATTY))
    size = 3 * MIB // 2
    run = _finished_run(glue, job, {"--size": str(size)})
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    whole = (log_dir / "aws-glue/jobs/output" / run["Id"]).read_bytes()

    resp = _logs(raw, run["Id"], "tail=100")
    assert resp.status == 200, resp.describe()
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert resp.body == whole[-100:] and resp.body.endswith(b"THE END\n")
    assert int(resp.headers["x-glue-local-log-size"]) == len(whole)
    assert _logs(raw, run["Id"]).body == whole[-65536:]  # the default tail
    assert _logs(raw, run["Id"], f"tail={10**12}").body == whole[-MIB:]  # never more than 1 MiB
    assert _logs(raw, run["Id"], "stream=error").body == b"a warning on stderr\n"
    raw.close()


def test_logs_endpoint_refuses_paths_unknown_runs_and_other_regions(plain, scripts, unique):
    endpoint, _ = plain
    glue, raw = gluelocal.make_glue_client(endpoint), gluelocal.RawClient(endpoint)
    job = create_job(glue, unique("chatty"), scripts.write("chatty.py", CHATTY))
    run_id = _finished_run(glue, job, {"--size": "100"})["Id"]
    for bad in ["../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", f"{run_id}/..", "", "jr_x.y"]:
        resp = _logs(raw, bad)
        assert resp.status == 400, (bad, resp.describe())
    assert _logs(raw, run_id, "stream=../../etc/passwd").status == 400
    assert _logs(raw, run_id, "tail=-1").status == 400
    assert _logs(raw, "jr_" + secrets.token_hex(32)).status == 404
    assert _logs(raw, run_id, region="eu-west-1").status == 404  # runs of the signed region only
    assert _logs(raw, run_id).status == 200
    raw.close()


def test_logs_endpoint_is_behind_the_host_and_origin_checks(plain, scripts, unique):
    endpoint, _ = plain
    glue, raw = gluelocal.make_glue_client(endpoint), gluelocal.RawClient(endpoint)
    job = create_job(glue, unique("chatty"), scripts.write("chatty.py", CHATTY))
    run_id = _finished_run(glue, job, {"--size": "100"})["Id"]
    assert _logs(raw, run_id, headers=[("Host", "evil.example")]).status == 403
    assert _logs(raw, run_id, headers=[("Origin", "http://evil.example")]).status == 403
    assert _logs(raw, run_id, headers=[("Origin", endpoint)]).status == 200  # the console's own origin
    raw.close()


def test_job_run_credentials_cannot_read_logs(plain, scripts, unique):
    endpoint, _ = plain
    glue = gluelocal.make_glue_client(endpoint)
    job = create_job(glue, unique("nosy"), scripts.write("nosy.py", READS_ITS_OWN_LOG))
    run = _finished_run(glue, job)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    raw = gluelocal.RawClient(endpoint)
    out = _logs(raw, run["Id"]).body.decode()
    assert out.startswith("status 403") and "job run" in out, out
    raw.close()


def test_logs_endpoint_is_authorized_like_get_job_run(iam, scripts, unique):
    admin = gluelocal.make_glue_client(iam, access_key=ADMIN[0], secret_key=ADMIN[1])
    script = scripts.write("chatty.py", CHATTY)
    visible = create_job(admin, unique("visible"), script)
    hidden = create_job(admin, unique("hidden"), script)
    seen, unseen = (_finished_run(admin, j, {"--size": "100"})["Id"] for j in (visible, hidden))
    reader = gluelocal.RawClient(iam, access_key=READER[0], secret_key=READER[1])
    resp = _logs(reader, seen)
    assert resp.status == 200 and resp.body.endswith(b"THE END\n"), resp.describe()
    resp = _logs(reader, unseen)
    assert resp.error_code == "AccessDeniedException", resp.describe()
    assert f"job/{hidden}" in resp.json["Message"]
    with pytest.raises(ClientError, match="AccessDeniedException"):  # the same answer as GetJobRun's
        gluelocal.make_glue_client(iam, access_key=READER[0], secret_key=READER[1]).get_job_run(
            JobName=hidden, RunId=unseen
        )
    assert _logs(reader, seen, sign=False).status in (400, 403)  # unsigned: refused
    assert _logs(reader, seen, secret_key="wrong").error_code == "InvalidSignatureException"
    unknown = gluelocal.RawClient(iam, access_key="AKIAUNKNOWN000000001", secret_key="x")
    assert _logs(unknown, seen).error_code == "UnrecognizedClientException"
    for client in (reader, unknown):
        client.close()
