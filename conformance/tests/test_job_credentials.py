"""The credentials a job run's script gets: its own random key, secret and session token,
bound to the run's account and region, valid while the run goes on (plus a grace), never
good for the control endpoints; a clean environment without the server's own AWS_*
variables; with an IAM config, the job's Role as the principal when the config names it.

Each test here runs a server of its own (``--scripts-dir`` covering pytest's basetemp)."""

import json

import pytest
from botocore.exceptions import ClientError

import gluelocal
from workflows_util import (  # noqa: F401 (scripts is a fixture)
    Scripts,
    create_job,
    job_runs,
    nodes_by_name,
    on_demand,
    scripts,
    wait_run,
)

ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
CONTROL_POSTS = {"reset": {}, "outcomes": {"jobName": "x", "state": "FAILED"}, "iam/reload": {}}
SERVER_ENV = {
    "AWS_SESSION_TOKEN": "server-session-token",
    "AWS_PROFILE": "server-profile",
    "AWS_DEFAULT_PROFILE": "server-profile",
    "AWS_CONFIG_FILE": "/server/aws/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/server/aws/credentials",
    "AWS_CA_BUNDLE": "/server/ca.pem",
    "AWS_ACCESS_KEY_ID": "AKIASERVERSERVER0001",
    "AWS_SECRET_ACCESS_KEY": "server-secret",
    "HTTPS_PROXY": "http://user:password@proxy.example:3128",
    "GLUE_LOCAL_TEST_SECRET": "not for scripts",
    "TZ": "UTC",
    "LC_MESSAGES": "C",
}
SET_BY_GLUE_LOCAL = {
    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_GLUE", "AWS_DEFAULT_REGION", "AWS_REGION",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
}


def _allow(*actions):
    return [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}]


PRINCIPALS = [
    {"arn": f"arn:aws:iam::{ACCOUNT_A}:user/admin", "accessKeyId": "AKIAADMINA0000000001",
     "secretAccessKey": "admin-a", "policies": _allow("glue:*", "glue-local:*")},
    {"arn": f"arn:aws:iam::{ACCOUNT_B}:user/admin", "accessKeyId": "AKIAADMINB0000000001",
     "secretAccessKey": "admin-b", "policies": _allow("glue:*")},
    # the role of the jobs below: reads only, yet glue-local:* (which job runs never get)
    {"arn": f"arn:aws:iam::{ACCOUNT_A}:role/EtlRole", "accessKeyId": "AKIAETLROLE000000001",
     "secretAccessKey": "etl-role", "policies": _allow("glue:GetJob", "glue:GetJobs", "glue-local:*")},
    {"arn": f"arn:aws:iam::{ACCOUNT_B}:role/OtherAccountRole", "accessKeyId": "AKIAOTHERROLE0000001",
     "secretAccessKey": "other-role", "policies": _allow("glue:*")},
    # keys that look like job runners' (the old GLJOB<account> and AWS's ASIA): still themselves
    {"arn": f"arn:aws:iam::{ACCOUNT_A}:user/gljob", "accessKeyId": f"GLJOB{ACCOUNT_A}",
     "secretAccessKey": "gljob-secret", "policies": _allow("glue:GetJobs")},
    {"arn": f"arn:aws:iam::{ACCOUNT_A}:user/asia", "accessKeyId": "ASIAGLUELOCALTEST001",
     "secretAccessKey": "asia-secret", "policies": _allow("glue:GetJobs")},
]


def _start(name, tmp_path_factory, *args, env=None):
    server = gluelocal.LocalServer(
        log_path=gluelocal.ARTIFACTS_DIR / f"server-{name}.log",
        extra_args=["--scripts-dir", str(tmp_path_factory.getbasetemp()), *args],
        env=env,
    )
    try:
        server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    return server


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """No IAM config; started with AWS_* credentials and other variables of its own."""
    server = _start("job-credentials-plain", tmp_path_factory, env=SERVER_ENV)
    yield server.endpoint
    server.stop()


@pytest.fixture(scope="module")
def iam(tmp_path_factory):
    config = tmp_path_factory.mktemp("iam") / "iam.json"
    config.write_text(json.dumps({"principals": PRINCIPALS}))
    server = _start(
        "job-credentials-iam", tmp_path_factory, "--iam-config", str(config), "--job-credential-grace", "1s"
    )
    yield server.endpoint
    server.stop()


def _client(endpoint, key, region="us-east-1"):
    secret = next(p["secretAccessKey"] for p in PRINCIPALS if p["accessKeyId"] == key)
    return gluelocal.make_glue_client(endpoint, region, key, secret)


def _run_client(endpoint, env, region="us-east-1"):
    return gluelocal.make_glue_client(
        endpoint, region, env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"]
    )


class Captured:
    """A job whose runs write their environment to ``<out>`` and wait for ``<out>.open``."""

    def __init__(self, glue, scripts: Scripts, name, role="EtlRole", **job):
        self.glue, self.folder = glue, scripts.folder
        location = scripts.write(
            "capture.py",
            """
            import json, os, sys, time
            out = sys.argv[sys.argv.index("--out") + 1]
            json.dump(dict(os.environ), open(out + ".tmp", "w"))
            os.rename(out + ".tmp", out)
            deadline = time.monotonic() + 60
            while not os.path.exists(out + ".open") and time.monotonic() < deadline:
                time.sleep(0.02)
            """,
        )
        self.job = create_job(glue, name, location, Role=role, max_concurrent=5, **job)

    def start(self, tag):
        out = self.folder / f"{tag}.json"
        run_id = self.glue.start_job_run(JobName=self.job, Arguments={"--out": str(out)})["JobRunId"]
        env = gluelocal.wait_until(lambda: out.exists() and json.loads(out.read_text()), timeout=20)
        return run_id, env, out

    def finish(self, run_id, out):
        (out.parent / (out.name + ".open")).write_text("open")
        return gluelocal.wait_until(
            lambda: (r := self.glue.get_job_run(JobName=self.job, RunId=run_id)["JobRun"]).get("CompletedOn") and r,
            timeout=20,
        )


def _control(endpoint, env, path):
    raw = gluelocal.RawClient(endpoint)
    try:
        return raw(
            "POST", f"/_glue_local/{path}", {"Content-Type": "application/json"}, json.dumps(CONTROL_POSTS[path]),
            access_key=env["AWS_ACCESS_KEY_ID"], secret_key=env["AWS_SECRET_ACCESS_KEY"],
            session_token=env["AWS_SESSION_TOKEN"],
        )
    finally:
        raw.close()


def _code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return "ok", ""


# --------------------------------------------------------------------------
# without an IAM config
# --------------------------------------------------------------------------


def test_scripts_start_from_a_clean_environment(plain, unique, scripts):
    glue = gluelocal.make_glue_client(plain)
    captured = Captured(glue, scripts, unique("env"))
    run_id, env, out = captured.start("env")
    try:
        assert {k for k in env if k.startswith("AWS_")} == SET_BY_GLUE_LOCAL, sorted(env)
        for name, value in SERVER_ENV.items():
            if name in ("TZ", "LC_MESSAGES"):
                assert env[name] == value, f"{name} is on the allow-list"
            else:
                assert env.get(name) != value, f"the script sees the server's {name}"
        assert "HTTPS_PROXY" not in env and "GLUE_LOCAL_TEST_SECRET" not in env
        assert env["GLUE_LOCAL_JOB_RUN_ID"] == run_id and env["PATH"]
        assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA") and len(env["AWS_SESSION_TOKEN"]) >= 64
    finally:
        assert captured.finish(run_id, out)["JobRunState"] == "SUCCEEDED"


def test_run_credentials_are_per_run_and_never_pass_control_endpoints(plain, unique, scripts):
    glue = gluelocal.make_glue_client(plain)
    captured = Captured(glue, scripts, unique("ctl"))
    keep = unique("wf")
    glue.create_workflow(Name=keep)
    (first, env, out), (second, env2, out2) = captured.start("one"), captured.start("two")
    try:
        assert env["AWS_ACCESS_KEY_ID"] != env2["AWS_ACCESS_KEY_ID"]
        assert env["AWS_SECRET_ACCESS_KEY"] != env2["AWS_SECRET_ACCESS_KEY"]
        as_run = _run_client(plain, env)
        assert as_run.get_job(JobName=captured.job)["Job"]["Name"] == captured.job
        for path in CONTROL_POSTS:
            r = _control(plain, env, path)
            assert r.status == 403 and r.error_code == "AccessDeniedException", (path, r.describe())
        assert glue.get_workflow(Name=keep)["Workflow"]["Name"] == keep, "nothing was reset"
    finally:
        for run_id, o in ((first, out), (second, out2)):
            assert captured.finish(run_id, o)["JobRunState"] == "SUCCEEDED"


# --------------------------------------------------------------------------
# with an IAM config
# --------------------------------------------------------------------------


def _script_calls(scripts, glue, name, role, other_job):
    """A job whose script calls GetJob (itself), DeleteJob (itself) and GetJob(other_job)
    with the credentials it was given, and writes what each answered to <name>.json."""
    out = scripts.folder / f"{name}.json"
    location = scripts.write(
        f"{name}.py",
        f"""
        import json, sys
        import boto3
        from botocore.exceptions import ClientError

        me = sys.argv[sys.argv.index("--JOB_NAME") + 1]
        glue = boto3.client("glue")
        calls = {{
            "get_job": lambda: glue.get_job(JobName=me),
            "delete_job": lambda: glue.delete_job(JobName=me),
            "get_other": lambda: glue.get_job(JobName={other_job!r}),
        }}
        seen = {{}}
        for key, call in calls.items():
            try:
                call()
                seen[key] = ["ok", ""]
            except ClientError as e:
                seen[key] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
        json.dump(seen, open({str(out)!r}, "w"))
        """,
    )
    job = create_job(glue, gluelocal.unique(name), location, Role=role)
    wf = gluelocal.unique("wf")
    glue.create_workflow(Name=wf)
    on_demand(glue, gluelocal.unique("t"), wf, job)
    run = wait_run(glue, wf, glue.start_workflow_run(Name=wf)["RunId"])
    r = job_runs(nodes_by_name(run)[job])[0]
    assert r["JobRunState"] == "SUCCEEDED", r
    return json.loads(out.read_text())


def test_the_jobs_role_is_the_principal_of_its_script(iam, scripts):
    admin_a, admin_b = _client(iam, "AKIAADMINA0000000001"), _client(iam, "AKIAADMINB0000000001")
    only_in_b = gluelocal.unique("only-in-b")
    create_job(admin_b, only_in_b)
    seen = _script_calls(scripts, admin_a, "role-name", "EtlRole", only_in_b)
    role = f"arn:aws:iam::{ACCOUNT_A}:role/EtlRole"
    assert seen["get_job"] == ["ok", ""], seen
    assert seen["delete_job"][0] == "AccessDeniedException" and role in seen["delete_job"][1], seen
    assert seen["get_other"][0] == "EntityNotFoundException", "account B is not the run's account"
    seen = _script_calls(scripts, admin_a, "role-arn", role, only_in_b)
    assert seen["get_job"] == ["ok", ""] and seen["delete_job"][0] == "AccessDeniedException", seen


def test_a_role_not_configured_in_the_runs_account_gets_nothing(iam, scripts):
    admin_a = _client(iam, "AKIAADMINA0000000001")
    for role in ("NotConfigured", f"arn:aws:iam::{ACCOUNT_B}:role/OtherAccountRole"):
        seen = _script_calls(scripts, admin_a, "unconfigured", role, "whatever")
        for call in ("get_job", "delete_job", "get_other"):
            code, message = seen[call]
            assert code == "AccessDeniedException" and f"not a role of account {ACCOUNT_A}" in message, (role, seen)


def test_run_credentials_are_bound_to_the_run_and_end_with_it(iam, scripts):
    admin_a, admin_b = _client(iam, "AKIAADMINA0000000001"), _client(iam, "AKIAADMINB0000000001")
    only_in_b = gluelocal.unique("only-in-b")
    create_job(admin_b, only_in_b)
    captured = Captured(admin_a, scripts, gluelocal.unique("bound"))
    run_id, env, out = captured.start("bound")
    as_run = _run_client(iam, env)
    try:
        assert as_run.get_job(JobName=captured.job)["Job"]["Name"] == captured.job
        names = [j["Name"] for j in as_run.get_jobs()["Jobs"]]
        assert captured.job in names and only_in_b not in names
        assert _code(lambda: as_run.get_job(JobName=only_in_b))[0] == "EntityNotFoundException"
        code, message = _code(lambda: _run_client(iam, env, region="eu-west-1").get_jobs())
        assert code == "AccessDeniedException" and "us-east-1 only" in message
        for path in CONTROL_POSTS:  # although the role's policy allows glue-local:*
            r = _control(iam, env, path)
            assert r.status == 403 and r.error_code == "AccessDeniedException", (path, r.describe())
        assert admin_a.get_job(JobName=captured.job)["Job"]["Name"] == captured.job, "nothing was reset"
    finally:
        assert captured.finish(run_id, out)["JobRunState"] == "SUCCEEDED"
    # valid for a grace of 1 s after the run (this server), then forgotten
    gluelocal.wait_until(
        lambda: _code(lambda: as_run.get_jobs())[0] == "UnrecognizedClientException", timeout=10,
        message="the run's credentials to be refused after the run and its grace",
    )
    for path in CONTROL_POSTS:
        r = _control(iam, env, path)
        assert r.status == 403, (path, r.describe())


def test_configured_keys_that_look_like_job_runners_are_their_principals(iam):
    for key, user in ((f"GLJOB{ACCOUNT_A}", "gljob"), ("ASIAGLUELOCALTEST001", "asia")):
        glue = _client(iam, key)
        assert "Jobs" in glue.get_jobs()
        code, message = _code(lambda: glue.create_workflow(Name=gluelocal.unique("wf")))
        assert code == "AccessDeniedException" and f"arn:aws:iam::{ACCOUNT_A}:user/{user}" in message, message
