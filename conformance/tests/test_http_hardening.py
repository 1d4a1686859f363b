"""HTTP hardening: slow or huge requests cannot tie the server up, and a web page on
another site (or a rebound DNS name) cannot reach the API or the control endpoints.

Each test runs its own glue-local with the flags it needs (short timeouts, small caps);
raw sockets send exactly the bytes a misbehaving client would."""

import contextlib
import http.client
import json
import os
import resource
import socket
import time
from urllib.parse import urlsplit

import pytest
import gluelocal

ACCOUNT = gluelocal.ACCOUNT_ID
OTHER_ACCOUNT = "210987654321"
MiB = 1 << 20


@contextlib.contextmanager
def own_server(name, *args, preexec_fn=None):
    srv = gluelocal.LocalServer(
        extra_args=list(args),
        log_path=gluelocal.ARTIFACTS_DIR / f"server-hardening-{name}.log",
        preexec_fn=preexec_fn,
    )
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def address(endpoint):
    parts = urlsplit(endpoint)
    return parts.hostname, parts.port


def connect(endpoint, timeout=5):
    return socket.create_connection(address(endpoint), timeout=timeout)


def glue_head(endpoint, content_length, operation="ListWorkflows", headers=(), sign=True):
    """The request line and headers of a Glue call declaring ``content_length`` body bytes."""
    host, port = address(endpoint)
    pairs = [("Content-Type", gluelocal.JSON_CONTENT_TYPE), ("X-Amz-Target", f"AWSGlue.{operation}"), *headers]
    if sign:
        pairs = gluelocal.RawClient(endpoint).sign("POST", "/", pairs, b"")
    lines = ["POST / HTTP/1.1", f"Host: {host}:{port}", *(f"{k}: {v}" for k, v in pairs)]
    lines.append(f"Content-Length: {content_length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def response_of(sock, timeout):
    """The response on ``sock`` within ``timeout`` seconds: (status, parsed body), or
    None when the server closed the connection without one. socket.timeout if neither."""
    sock.settimeout(timeout)
    resp = http.client.HTTPResponse(sock)
    try:
        resp.begin()
    except http.client.RemoteDisconnected:
        return None
    body = resp.read()
    try:
        return resp.status, json.loads(body)
    except ValueError:
        return resp.status, body


def answers_health(srv):
    return gluelocal.health(srv.endpoint, timeout=1) is not None


# --------------------------------------------------------------------------
# timeouts and limits
# --------------------------------------------------------------------------


def test_slowloris_headers_are_dropped_within_the_header_timeout():
    with own_server("slowloris", "--header-timeout", "1s") as srv:
        sock = connect(srv.endpoint)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        dropped = None
        sock.settimeout(0.2)
        while time.monotonic() - started < 6:
            try:
                data = sock.recv(4096)
            except socket.timeout:
                try:
                    sock.sendall(b"X-Drip: 1\r\n")  # one more header line, never the end of them
                except (BrokenPipeError, ConnectionResetError):
                    dropped = time.monotonic() - started
                    break
                continue
            except ConnectionResetError:
                data = b""
            dropped = time.monotonic() - started
            assert not data.startswith(b"HTTP/1.1 2"), data
            break
        sock.close()
        assert dropped is not None, "the server kept a connection sending headers for 6 s (--header-timeout 1s)"
        assert dropped < 3, f"dropped after {dropped:.1f} s, --header-timeout is 1s"
        assert answers_health(srv)


def test_idle_connection_is_closed_after_the_header_timeout():
    with own_server("idle", "--header-timeout", "1s") as srv:
        sock = connect(srv.endpoint)
        started = time.monotonic()
        sock.settimeout(6)
        try:
            data = sock.recv(4096)
        except ConnectionResetError:
            data = b""
        assert time.monotonic() - started < 3
        assert not data.startswith(b"HTTP/1.1 2"), data
        sock.close()


def test_stalled_body_is_dropped_within_the_body_timeout():
    with own_server("stalled-body", "--body-timeout", "1s") as srv:
        sock = connect(srv.endpoint)
        sock.sendall(glue_head(srv.endpoint, 100) + b'{"Max')
        started = time.monotonic()
        got = response_of(sock, timeout=6)
        took = time.monotonic() - started
        sock.close()
        assert got is not None and got[0] == 408, got
        assert got[1]["__type"] == "RequestTimeoutException" and "--body-timeout" in got[1]["Message"], got
        assert took < 3, f"answered after {took:.1f} s, --body-timeout is 1s"
        glue = gluelocal.make_glue_client(srv.endpoint)
        assert glue.list_workflows()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_connection_cap_is_honoured_and_recovers():
    with own_server("cap", "--max-connections", "3", "--header-timeout", "30s") as srv:
        held = []
        for _ in range(3):  # three keep-alive connections, each served once and then idle
            sock = connect(srv.endpoint)
            sock.sendall(b"GET /_glue_local/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert response_of(sock, timeout=5)[0] == 200
            held.append(sock)
        extra = connect(srv.endpoint)  # the kernel completes it into the backlog
        extra.sendall(b"GET /_glue_local/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        with pytest.raises(socket.timeout):
            response_of(extra, timeout=1)
        held.pop().close()
        got = response_of(extra, timeout=5)
        assert got is not None and got[0] == 200, got
        for sock in [extra, *held]:
            sock.close()


def test_declared_body_over_the_limit_is_refused_without_reading_it(endpoint):
    srv = type("Shared", (), {"endpoint": endpoint})
    sock = connect(srv.endpoint)
    sock.sendall(glue_head(srv.endpoint, 11 * MiB))  # and not one byte of the body
    got = response_of(sock, timeout=5)
    sock.close()
    assert got is not None and got[0] == 413, got
    assert got[1]["__type"] == "RequestEntityTooLargeException", got


IAM_CONFIG = {
    "principals": [
        {
            "arn": f"arn:aws:iam::{account}:user/admin",
            "accessKeyId": key,
            "secretAccessKey": "admin-secret",
            "policies": [
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": ["glue:*", "glue-local:*"], "Resource": "*"}],
                }
            ],
        }
        for account, key in ((ACCOUNT, "AKIAADMIN00000000001"), (OTHER_ACCOUNT, "AKIAOTHER00000000001"))
    ]
}


@pytest.fixture(scope="module")
def iam_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("iam") / "iam.json"
    path.write_text(json.dumps(IAM_CONFIG))
    with own_server("iam", "--iam-config", str(path), "--body-timeout", "30s") as srv:
        yield srv


def fake_authorization(key, date):
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/{date[:8]}/us-east-1/glue/aws4_request, "
        f"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={'0' * 64}"
    )


NOW = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


@pytest.mark.parametrize(
    "headers, status, code",
    [
        ([("X-Amz-Date", NOW), ("Authorization", fake_authorization("AKIAUNKNOWN000000001", NOW))], 403, "UnrecognizedClientException"),
        ([("X-Amz-Date", NOW), ("Authorization", "AWS4-HMAC-SHA256 garbage")], 400, "IncompleteSignatureException"),
        (
            [("X-Amz-Date", "20200101T000000Z"), ("Authorization", fake_authorization("AKIAADMIN00000000001", "20200101"))],
            403,
            "InvalidSignatureException",
        ),
    ],
    ids=["unknown-key", "malformed-authorization", "expired-date"],
)
def test_unauthenticated_big_body_is_answered_before_it_is_read(iam_server, headers, status, code):
    for path_and_op in (None, "/_glue_local/reset"):
        sock = connect(iam_server.endpoint)
        head = glue_head(iam_server.endpoint, 5 * MiB, headers=headers, sign=False)
        if path_and_op:
            head = head.replace(b"POST / ", f"POST {path_and_op} ".encode()).replace(
                gluelocal.JSON_CONTENT_TYPE.encode(), b"application/json"
            )
        sock.sendall(head)  # 5 MiB declared, none sent
        started = time.monotonic()
        got = response_of(sock, timeout=5)
        sock.close()
        assert got is not None and got[0] == status and got[1]["__type"] == code, (path_and_op, got)
        assert time.monotonic() - started < 2


def test_in_flight_body_budget_refuses_the_extra_ones_and_small_requests_still_pass():
    with own_server("budget", "--max-body-bytes-in-flight", "3MiB", "--body-timeout", "30s") as srv:
        stalled = []
        for _ in range(5):  # 1 MiB declared each, a little sent, then nothing
            sock = connect(srv.endpoint)
            sock.sendall(glue_head(srv.endpoint, MiB) + b"{" + b" " * 1000)
            stalled.append(sock)
        answers = {}

        def two_answered():
            for i, sock in enumerate(stalled):
                if i not in answers:
                    try:
                        answers[i] = response_of(sock, timeout=0.05)
                    except socket.timeout:
                        pass
            return len(answers) >= 2

        gluelocal.wait_until(two_answered, timeout=5, message="two of five 1 MiB bodies refused (budget 3 MiB)")
        assert len(answers) == 2, answers
        for status, body in answers.values():
            assert status == 400 and body["__type"] == "ThrottlingException", body
            assert "--max-body-bytes-in-flight" in body["Message"]
        glue = gluelocal.make_glue_client(srv.endpoint)
        assert glue.list_workflows()["ResponseMetadata"]["HTTPStatusCode"] == 200  # small bodies are not held back

        sock = connect(srv.endpoint)
        sock.sendall(glue_head(srv.endpoint, MiB))  # refused from its headers: no room for 1 MiB more
        got = response_of(sock, timeout=5)
        sock.close()
        assert got is not None and got[1]["__type"] == "ThrottlingException", got
        raw = gluelocal.RawClient(srv.endpoint)
        big = b"{}" + b" " * MiB
        for sock in stalled:
            sock.close()
        gluelocal.wait_until(
            lambda: raw.glue("ListWorkflows", body=big).status == 200, timeout=5, message="the budget is released"
        )
        raw.close()


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_accept_backs_off_when_out_of_file_descriptors():
    limit = 64

    def low_fd_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    with own_server("emfile", "--max-connections", "1000", "--header-timeout", "60s", preexec_fn=low_fd_limit) as srv:
        pid = srv.proc.pid
        socks = []
        try:
            for _ in range(limit + 20):
                socks.append(connect(srv.endpoint))
            gluelocal.wait_until(
                lambda: len(os.listdir(f"/proc/{pid}/fd")) >= limit, timeout=10, message="the server's fds exhausted"
            )
            before = cpu_seconds(pid)
            time.sleep(1.0)  # the measurement window
            used = cpu_seconds(pid) - before
            assert used < 0.1, f"the server used {used:.2f} s of CPU in 1 s while accept failed (a spinning core is ~1 s)"
        finally:
            for sock in socks:
                sock.close()
        gluelocal.wait_until(lambda: answers_health(srv), timeout=10, message="the server answers again")


# --------------------------------------------------------------------------
# Host and Origin checks
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    with own_server("hosts") as srv:
        yield srv


def test_rebound_host_is_refused(server, unique):
    _, port = address(server.endpoint)
    glue = gluelocal.make_glue_client(server.endpoint)
    name = unique("wf")
    glue.create_workflow(Name=name)
    raw = gluelocal.RawClient(server.endpoint)
    evil = [("Host", f"evil.example:{port}")]
    resp = raw.glue("GetWorkflow", {"Name": name}, headers=evil)
    assert resp.status == 403 and resp.error_code == "AccessDeniedException", resp.describe()
    assert "--allowed-hosts" in resp.json["Message"], resp.json
    resp = raw("POST", "/_glue_local/reset", [("Content-Type", "application/json"), *evil], b"{}", sign=False)
    assert resp.status == 403 and resp.error_code == "AccessDeniedException", resp.describe()
    for path in ("/_glue_local/health", "/_glue_local/ui/"):
        assert raw("GET", path, evil, sign=False).status == 403
    assert glue.get_workflow(Name=name)["Workflow"]["Name"] == name  # not reset
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
        assert raw("GET", "/_glue_local/health", [("Host", host)], sign=False).status == 200, host
    raw.close()


def started_job_state(glue, job, wait_until):
    run_id = glue.start_job_run(JobName=job)["JobRunId"]
    return wait_until(
        lambda: (s := glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"]) in ("SUCCEEDED", "FAILED")
        and s
    )


def test_foreign_origin_is_refused_and_changes_nothing(server, unique, wait_until):
    glue = gluelocal.make_glue_client(server.endpoint)
    raw = gluelocal.RawClient(server.endpoint)
    evil = [("Origin", "http://evil.example")]
    kept, job = unique("wf"), unique("job")
    glue.create_workflow(Name=kept)
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})

    resp = raw("POST", "/_glue_local/reset", [("Content-Type", "application/json"), *evil], b"{}", sign=False)
    assert resp.status == 403 and resp.error_code == "AccessDeniedException", resp.describe()
    assert "Origin" in resp.json["Message"]
    outcome = json.dumps({"jobName": job, "state": "FAILED"})
    resp = raw("POST", "/_glue_local/outcomes", [("Content-Type", "application/json"), *evil], outcome, sign=False)
    assert resp.status == 403, resp.describe()
    created = unique("wf")
    resp = raw.glue("CreateWorkflow", {"Name": created}, headers=evil)
    assert resp.status == 403 and resp.error_code == "AccessDeniedException", resp.describe()
    resp = raw.glue("ListWorkflows", {}, headers=[("Origin", "null")])
    assert resp.status == 403, resp.describe()

    assert glue.get_workflow(Name=kept)["Workflow"]["Name"] == kept
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_workflow(Name=created)
    assert started_job_state(glue, job, wait_until) == "SUCCEEDED"  # no outcome was injected

    # the console's own origin passes
    resp = raw.glue("GetWorkflow", {"Name": kept}, headers=[("Origin", server.endpoint)])
    assert resp.status == 200, resp.describe()
    raw.close()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_control_post_needs_a_json_content_type(server, unique, wait_until, content_type):
    glue = gluelocal.make_glue_client(server.endpoint)
    raw = gluelocal.RawClient(server.endpoint)
    kept, job = unique("wf"), unique("job")
    glue.create_workflow(Name=kept)
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    headers = [("Content-Type", content_type)] if content_type else []
    resp = raw("POST", "/_glue_local/reset", headers, b"{}", sign=False)
    assert resp.status == 415 and "application/json" in resp.json["error"], resp.describe()
    resp = raw("POST", "/_glue_local/outcomes", headers, json.dumps({"jobName": job, "state": "FAILED"}), sign=False)
    assert resp.status == 415, resp.describe()
    assert glue.get_workflow(Name=kept)["Workflow"]["Name"] == kept
    assert started_job_state(glue, job, wait_until) == "SUCCEEDED"
    resp = raw(
        "POST",
        "/_glue_local/outcomes",
        [("Content-Type", "application/json; charset=utf-8")],
        json.dumps({"jobName": job, "state": "FAILED"}),
        sign=False,
    )
    assert resp.status == 200, resp.describe()
    assert started_job_state(glue, job, wait_until) == "FAILED"
    raw.close()


def test_allowed_hosts_let_configured_names_in():
    with own_server("allowed-hosts", "--allowed-hosts", "glue-local,Other.Example") as srv:
        _, port = address(srv.endpoint)
        raw = gluelocal.RawClient(srv.endpoint)
        for host in (f"glue-local:{port}", "glue-local", f"other.example:{port}"):
            resp = raw.glue("ListWorkflows", {}, headers=[("Host", host)])
            assert resp.status == 200, (host, resp.describe())
        resp = raw.glue("ListWorkflows", {}, headers=[("Origin", "http://glue-local:3000")])
        assert resp.status == 200, resp.describe()
        assert raw.glue("ListWorkflows", {}, headers=[("Host", f"evil.example:{port}")]).status == 403
        raw.close()
    with own_server("any-host", "--allowed-hosts", "*") as srv:
        _, port = address(srv.endpoint)
        raw = gluelocal.RawClient(srv.endpoint)
        host = [("Host", f"anything.example:{port}")]
        assert raw.glue("ListWorkflows", {}, headers=host).status == 200
        same_origin = [*host, ("Origin", f"http://anything.example:{port}")]
        assert raw.glue("ListWorkflows", {}, headers=same_origin).status == 200
        foreign = [*host, ("Origin", "http://evil.example")]
        assert raw.glue("ListWorkflows", {}, headers=foreign).status == 403  # `*` opens Host, not Origin
        raw.close()


# --------------------------------------------------------------------------
# InjectOutcome in the caller's account
# --------------------------------------------------------------------------


def test_inject_outcome_defaults_to_the_callers_account(iam_server, unique, wait_until):
    admin = gluelocal.make_glue_client(iam_server.endpoint, access_key="AKIAADMIN00000000001", secret_key="admin-secret")
    other = gluelocal.make_glue_client(iam_server.endpoint, access_key="AKIAOTHER00000000001", secret_key="admin-secret")
    job = unique("job")
    for glue in (admin, other):
        glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    signed = gluelocal.RawClient(iam_server.endpoint, access_key="AKIAOTHER00000000001", secret_key="admin-secret")
    resp = signed(
        "POST",
        "/_glue_local/outcomes",
        {"Content-Type": "application/json"},
        json.dumps({"jobName": job, "state": "FAILED", "errorMessage": "injected", "count": 2}),
    )
    assert resp.status == 200, resp.describe()
    signed.close()
    assert started_job_state(admin, job, wait_until) == "SUCCEEDED"  # not --account-id's job
    assert started_job_state(other, job, wait_until) == "FAILED"
