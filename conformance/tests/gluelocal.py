"""Helpers behind the conformance fixtures (see conftest.py).

  * ``LocalServer``      start target/debug/glue-local on a free port, wait for health
  * ``make_glue_client`` a boto3 Glue client with retries off and model validation on
  * ``RawClient``        raw HTTP requests over one keep-alive connection, optionally SigV4-signed
  * ``AwsCli``           run the venv's ``aws`` with the validator plugin loaded
  * ``unique``, ``wait_until``
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import model_validator

TESTS_DIR = Path(__file__).resolve().parent
CONFORMANCE_DIR = TESTS_DIR.parent
REPO_ROOT = CONFORMANCE_DIR.parent
ARTIFACTS_DIR = CONFORMANCE_DIR / "artifacts"

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
ACCESS_KEY = "test"
SECRET_KEY = "test"
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "AWSGlue"
HEALTH_PATH = "/_glue_local/health"
RESET_PATH = "/_glue_local/reset"

# Counters shown in the terminal summary.
STATS = {"bad_input_cases": 0, "bad_input_failed": 0, "connections": 0}


# --------------------------------------------------------------------------
# polling
# --------------------------------------------------------------------------


def wait_until(fn, timeout=10, interval=0.02, message=None):
    """Call ``fn`` until it returns something truthy; return that value.

    Fails (AssertionError) when ``timeout`` seconds pass first; the last value
    is in the message.  Exceptions raised by ``fn`` propagate.
    """
    deadline = time.monotonic() + timeout
    attempts = 0
    while True:
        value = fn()
        attempts += 1
        if value:
            return value
        if time.monotonic() >= deadline:
            what = message or getattr(fn, "__name__", "condition")
            raise AssertionError(f"{what} not met within {timeout}s ({attempts} attempts); last value: {value!r}")
        time.sleep(interval)


def unique(prefix="gl"):
    """A collision-free resource name: ``unique("wf") -> "wf-3f9a1c0b7d2e"``."""
    return f"{prefix}-{secrets.token_hex(6)}"


# --------------------------------------------------------------------------
# server process
# --------------------------------------------------------------------------


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def server_binary():
    if os.environ.get("GLUE_LOCAL_BIN"):
        return Path(os.environ["GLUE_LOCAL_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target"))
    if not target.is_absolute():
        target = REPO_ROOT / target
    return target / "debug" / "glue-local"


def health(endpoint, timeout=2.0):
    """The parsed health document, or None when the server does not answer OK."""
    try:
        with urllib.request.urlopen(endpoint.rstrip("/") + HEALTH_PATH, timeout=timeout) as r:
            if r.status != 200:
                return None
            return json.loads(r.read() or b"null")
    except (OSError, ValueError, urllib.error.URLError, http.client.HTTPException):
        return None


def reset(endpoint, timeout=5.0):
    req = urllib.request.Request(
        endpoint.rstrip("/") + RESET_PATH, data=b"{}", method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status


class LocalServer:
    """target/debug/glue-local on a free loopback port (used when GLUE_LOCAL_ENDPOINT is unset)."""

    def __init__(self, binary=None, log_path=None, extra_args=(), env=None, preexec_fn=None):
        self.binary = Path(binary) if binary else server_binary()
        self.log_path = Path(log_path) if log_path else ARTIFACTS_DIR / "server-pytest.log"
        self.extra_args = list(extra_args)
        self.env = {**os.environ, **env} if env else None  # added to this process's environment
        self.preexec_fn = preexec_fn  # runs in the child before exec, e.g. to lower a resource limit
        self.proc = None
        self.endpoint = None
        self._log = None

    def start(self, timeout=30.0):
        if not self.binary.exists():
            raise RuntimeError(
                f"{self.binary} does not exist: run `cargo build` first, or set GLUE_LOCAL_ENDPOINT "
                "to a running glue-local (conformance/run does both)"
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        last_error = None
        for _attempt in range(3):  # a free port can be taken between probe and bind
            port = free_port()
            self._log = open(self.log_path, "ab")
            args = [
                str(self.binary),
                "--host", "127.0.0.1",
                "--port", str(port),
                "--region", REGION,
                "--account-id", ACCOUNT_ID,
                "--log-level", "warn",
                "--job-duration", "50ms",
                *self.extra_args,
            ]
            self.proc = subprocess.Popen(
                args,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                preexec_fn=self.preexec_fn,
            )
            endpoint = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    last_error = f"glue-local exited with code {self.proc.returncode}"
                    break
                if health(endpoint, timeout=0.5) is not None:
                    self.endpoint = endpoint
                    return endpoint
                time.sleep(0.02)
            else:
                last_error = f"glue-local did not answer {HEALTH_PATH} within {timeout}s"
                self.stop()
                break
            self._log.close()
        raise RuntimeError(f"{last_error}; log: {self.log_path}\n{tail(self.log_path)}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


def tail(path, lines=60):
    try:
        text = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:])


# --------------------------------------------------------------------------
# boto3 clients
# --------------------------------------------------------------------------

_BOTO_LOCK = threading.Lock()
_BOTO3_SESSION = None


def _boto3_session():
    """One shared boto3 session: the Glue model is loaded and parsed once."""
    global _BOTO3_SESSION
    with _BOTO_LOCK:
        if _BOTO3_SESSION is None:
            import boto3

            _BOTO3_SESSION = boto3.session.Session()
        return _BOTO3_SESSION


def glue_service_model():
    return _boto3_session()._session.get_service_model("glue")


def make_glue_client(endpoint, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY, session_token=None, **config):
    """boto3 Glue client: retries off, every response validated against the model."""
    from botocore.config import Config

    cfg = Config(
        # botocore: "max_attempts" in this dict counts RETRIES (1 would mean 2 attempts);
        # total_max_attempts counts the first attempt too. One attempt: retries off.
        retries={"total_max_attempts": 1},
        connect_timeout=config.pop("connect_timeout", 5),
        read_timeout=config.pop("read_timeout", 60),
        **config,
    )
    client = _boto3_session().client(
        "glue",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        aws_session_token=session_token,
        config=cfg,
    )
    return model_validator.install(client)


# --------------------------------------------------------------------------
# raw HTTP
# --------------------------------------------------------------------------


class _CIHeaders:
    """Case-insensitive, order-keeping view of response headers."""

    def __init__(self, pairs):
        self._pairs = list(pairs)

    def get(self, name, default=None):
        name = name.lower()
        for k, v in self._pairs:
            if k.lower() == name:
                return v
        return default

    def __getitem__(self, name):
        v = self.get(name)
        if v is None:
            raise KeyError(name)
        return v

    def __contains__(self, name):
        return self.get(name) is not None

    def items(self):
        return list(self._pairs)

    def __repr__(self):
        return repr(dict(self._pairs))


@dataclass
class RawResponse:
    status: int
    headers: _CIHeaders
    body: bytes
    reason: str = ""

    @property
    def json(self):
        """Parsed body, or None if it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, TypeError):
            return None

    @property
    def error_code(self):
        return model_validator.error_code_of(self.headers, self.body) if self.status >= 300 else None

    def describe(self, limit=2000):
        text = self.body.decode("utf-8", "replace")
        if len(text) > limit:
            text = text[:limit] + f"... ({len(self.body)} bytes)"
        return f"HTTP {self.status}, x-amzn-ErrorType={self.headers.get('x-amzn-ErrorType')!r}, body {text}"


def _dropped(sock):
    """Whether an idle keep-alive socket was closed by the server (it is readable: EOF)."""
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class RawClient:
    """Arbitrary HTTP requests to the server over one keep-alive connection.

    ``raw(method, path, headers=None, body=b"", sign=True, ...)`` sends exactly
    the given headers and body (plus Host, Content-Length, and with ``sign`` the
    SigV4 ``X-Amz-Date``/``Authorization`` that botocore's SigV4Auth computes
    for service ``glue`` over those headers).  ``raw.glue(op, payload)`` is the
    usual Glue call: POST / with X-Amz-Target and the JSON content type.
    """

    def __init__(self, endpoint, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY, timeout=60):
        parts = urlsplit(endpoint)
        self.endpoint = endpoint.rstrip("/")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.timeout = timeout
        self._conn = None
        self._lock = threading.Lock()
        self.connections_opened = 0

    # -- signing ---------------------------------------------------------
    def sign(self, method, path, headers, body, region=None, access_key=None, secret_key=None, session_token=None):
        """Return ``headers`` plus SigV4 headers (botocore SigV4Auth, service glue)."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        req = AWSRequest(method=method, url=self.endpoint + path, data=body)
        for k, v in headers:
            req.headers[k] = v  # HTTPHeaders keeps order and duplicates
        creds = Credentials(access_key or self.access_key, secret_key or self.secret_key, session_token)
        SigV4Auth(creds, "glue", region or self.region).add_auth(req)
        return list(req.headers.items())

    # -- sending ---------------------------------------------------------
    def _connection(self):
        if self._conn is not None and _dropped(self._conn.sock):
            self._drop()  # the server closed it while idle (glue-local's --header-timeout)
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.connections_opened += 1
            return self._conn, True
        return self._conn, False

    def _drop(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self):
        with self._lock:
            self._drop()

    def __call__(
        self,
        method="POST",
        path="/",
        headers=None,
        body=b"",
        *,
        sign=True,
        region=None,
        access_key=None,
        secret_key=None,
        session_token=None,
    ):
        if isinstance(body, str):
            body = body.encode("utf-8")
        body = bytes(body or b"")
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        if sign:
            pairs = self.sign(method, path, pairs, body, region, access_key, secret_key, session_token)
        with self._lock:
            return self._send(method, path, pairs, body)

    def _send(self, method, path, pairs, body):
        names = {k.lower() for k, _ in pairs}
        for attempt in (0, 1):
            conn, fresh = self._connection()
            send_error = None
            try:
                conn.putrequest(method, path, skip_host="host" in names, skip_accept_encoding=True)
                for k, v in pairs:
                    conn.putheader(k, v)
                if "content-length" not in names and (body or method in ("POST", "PUT")):
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders()
                view = memoryview(body)
                for off in range(0, len(body), 1 << 16):
                    conn.send(view[off : off + (1 << 16)])
            except (BrokenPipeError, ConnectionResetError) as e:
                send_error = e  # the server may have answered early (e.g. 413): try to read it
            except (OSError, http.client.HTTPException):
                self._drop()
                if not fresh and attempt == 0:
                    continue
                raise
            try:
                resp = conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.IncompleteRead) as e:
                self._drop()
                if not fresh and attempt == 0 and send_error is None:
                    continue  # a reused keep-alive connection the server had closed
                raise ConnectionError(
                    f"no HTTP response from {self.endpoint} to {method} {path} ({len(body)} byte body): {e!r}"
                    + (f"; sending the body failed first: {send_error!r}" if send_error else "")
                ) from e
            except (OSError, http.client.HTTPException):
                self._drop()
                raise
            if resp.will_close or send_error is not None:
                self._drop()
            return RawResponse(resp.status, _CIHeaders(resp.getheaders()), data, resp.reason)
        raise AssertionError("unreachable")

    def glue(
        self,
        operation,
        payload=None,
        *,
        body=None,
        content_type=JSON_CONTENT_TYPE,
        target=None,
        headers=None,
        **kwargs,
    ):
        """POST / with ``X-Amz-Target: AWSGlue.<operation>``; ``payload`` is JSON-encoded,
        ``body`` (bytes) is sent as is.  ``target``/``content_type`` None leaves the header out."""
        if body is None:
            body = json.dumps({} if payload is None else payload).encode("utf-8")
        pairs = []
        if content_type is not None:
            pairs.append(("Content-Type", content_type))
        tgt = target if target is not None else (f"{TARGET_PREFIX}.{operation}" if operation else None)
        if tgt is not None:
            pairs.append(("X-Amz-Target", tgt))
        pairs += list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        return self("POST", "/", pairs, body, **kwargs)


# --------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------

CLI_MARKER = "GLUE-LOCAL-MODEL-VIOLATION"


@dataclass
class CliResult:
    args: list
    returncode: int
    stdout: str
    stderr: str
    json: object = field(default=None)

    def __str__(self):
        return (
            f"$ {' '.join(self.args)}\n  exit code {self.returncode}\n"
            f"  stdout: {self.stdout.strip()[:3000]}\n  stderr: {self.stderr.strip()[:3000]}"
        )


def aws_executable():
    candidates = [Path(sys.executable).parent / "aws", CONFORMANCE_DIR / ".venv" / "bin" / "aws"]
    for c in candidates:
        if c.exists():
            return str(c)
    found = shutil.which("aws")
    if found:
        return found
    raise RuntimeError("no aws executable: create conformance/.venv (conformance/run does)")


class AwsCli:
    """``aws_cli(*args, region=, access_key=, secret_key=, expect_ok=True)``.

    Runs ``aws --endpoint-url E --output json *args`` with env credentials,
    ``AWS_MAX_ATTEMPTS=1`` and a generated AWS_CONFIG_FILE that loads the
    model-validator plugin.  ``args`` start with the service: ``("glue",
    "list-workflows")``.  A model violation always fails the test;
    ``expect_ok=True`` also fails it on a non-zero exit code.
    """

    def __init__(self, endpoint, workdir):
        self.endpoint = endpoint
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_file = self.workdir / "aws-config"
        self.config_file.write_text(
            "[default]\n"
            f"region = {REGION}\n"
            "output = json\n"
            "\n"
            "[plugins]\n"
            "gluelocal_validator = gluelocal_cli_plugin\n"
        )
        self.executable = aws_executable()

    def env(self, region, access_key, secret_key, session_token):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            {
                "AWS_CONFIG_FILE": str(self.config_file),
                "AWS_SHARED_CREDENTIALS_FILE": str(self.workdir / "no-credentials"),
                "AWS_ACCESS_KEY_ID": access_key,
                "AWS_SECRET_ACCESS_KEY": secret_key,
                "AWS_DEFAULT_REGION": region,
                "AWS_REGION": region,
                "AWS_MAX_ATTEMPTS": "1",
                "AWS_RETRY_MODE": "standard",
                "AWS_PAGER": "",
                "AWS_EC2_METADATA_DISABLED": "true",
                "PYTHONPATH": str(TESTS_DIR),
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        if session_token:
            env["AWS_SESSION_TOKEN"] = session_token
        return env

    def __call__(
        self,
        *args,
        region=REGION,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        expect_ok=True,
        session_token=None,
        timeout=120,
        input=None,
    ):
        argv = [self.executable, "--endpoint-url", self.endpoint, "--output", "json", *map(str, args)]
        proc = subprocess.run(
            argv,
            env=self.env(region, access_key, secret_key, session_token),
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input,
            cwd=str(self.workdir),
        )
        try:
            parsed = json.loads(proc.stdout) if proc.stdout.strip() else None
        except ValueError:
            parsed = None
        result = CliResult(["aws", *argv[1:]], proc.returncode, proc.stdout, proc.stderr, parsed)
        reports = []
        for line in proc.stderr.splitlines():
            if line.startswith(CLI_MARKER + " "):
                try:
                    reports.append(json.loads(line[len(CLI_MARKER) + 1 :])["report"])
                except (ValueError, KeyError):
                    reports.append(line)
        if reports:
            report = "\n".join(reports) + f"\n  command: {' '.join(result.args)}"
            model_validator.RECORDED_VIOLATIONS.append(report)
            raise model_validator.ModelViolation(report)
        if "Unable to load plugin" in proc.stderr or "No module named 'gluelocal_cli_plugin'" in proc.stderr:
            raise AssertionError(f"the aws CLI could not load the validator plugin:\n{result}")
        if expect_ok and proc.returncode != 0:
            raise AssertionError(f"aws CLI command failed (expect_ok=True):\n{result}")
        return result
