"""Starting, probing, resetting and stopping one glue-local process."""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"
# Without an IAM config any key is the account's administrator.
PERMISSIVE_CREDENTIALS = ("test", "test", None)
_LISTENING = re.compile(r"listening on (http://\S+)")


class GlueLocalError(RuntimeError):
    """glue-local could not be started, or a control request failed."""


def binary():
    """The ``glue-local`` executable: ``$GLUE_LOCAL_BIN``, the one this package was
    installed with (its environment's scripts folder), else the first on ``PATH``."""
    override = os.environ.get("GLUE_LOCAL_BIN")
    if override:
        return override
    name = "glue-local.exe" if sys.platform == "win32" else "glue-local"
    schemes = [sysconfig.get_path("scripts")]
    user_scheme = "nt_user" if os.name == "nt" else "posix_user"
    with contextlib.suppress(KeyError):
        schemes.append(sysconfig.get_path("scripts", scheme=user_scheme))
    for folder in schemes:
        candidate = os.path.join(folder, name) if folder else None
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return found
    raise GlueLocalError("no glue-local executable: pip install glue-local, or set GLUE_LOCAL_BIN")


class GlueLocal:
    """A running glue-local: its URL, a boto3 client for it, reset and stop."""

    def __init__(self, process, endpoint_url, region, account_id, credentials, log_path):
        self.process = process
        self.endpoint_url = endpoint_url
        self.region = region
        self.account_id = account_id
        #: (access key, secret key, session token) that clients and reset sign with.
        self.credentials = credentials
        #: The server's log (its stderr).
        self.log_path = log_path

    def client(self, **kwargs):
        """A boto3 Glue client for this server (keyword arguments go to ``boto3.client``)."""
        try:
            import boto3
        except ImportError as e:
            raise GlueLocalError("GlueLocal.client() needs boto3: pip install 'glue-local[boto3]'") from e
        key, secret, token = self.credentials
        options = {
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            "aws_access_key_id": key,
            "aws_secret_access_key": secret,
            "aws_session_token": token,
        }
        options.update(kwargs)
        return boto3.client("glue", **options)

    def health(self, timeout=2.0):
        """The health document (``{"status": "ok", ...}``)."""
        with urllib.request.urlopen(self.endpoint_url + "/_glue_local/health", timeout=timeout) as r:
            return json.loads(r.read())

    def reset(self):
        """Forgets all state (``POST /_glue_local/reset``; signed when an IAM config is loaded)."""
        self._post("/_glue_local/reset", {})

    def _post(self, path, document):
        body = json.dumps(document).encode()
        headers = {"Content-Type": "application/json"}
        if self.credentials != PERMISSIVE_CREDENTIALS:
            headers = _signed_headers(self, path, body, headers)
        request = urllib.request.Request(self.endpoint_url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                r.read()
        except urllib.error.HTTPError as e:
            raise GlueLocalError(f"POST {path} answered {e.code}: {e.read().decode(errors='replace')}") from e

    def stop(self, timeout=10.0):
        """SIGTERM (the server lets open requests finish), SIGKILL after ``timeout`` seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _signed_headers(gl, path, body, headers):
    try:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
    except ImportError as e:
        raise GlueLocalError("with an IAM config, reset is signed: it needs botocore (pip install boto3)") from e
    request = AWSRequest(method="POST", url=gl.endpoint_url + path, data=body, headers=headers)
    SigV4Auth(Credentials(*gl.credentials), "glue", gl.region).add_auth(request)
    return dict(request.headers.items())


def _first_principal(iam_config):
    """The credentials of the IAM config's first principal: the fixture's signer."""
    with open(iam_config, encoding="utf-8") as f:
        principals = json.load(f).get("principals") or []
    if not principals:
        raise GlueLocalError(f"{iam_config}: no principals, so nothing to sign requests with")
    first = principals[0]
    return (first["accessKeyId"], first["secretAccessKey"], first.get("sessionToken"))


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return list(value)


@contextlib.contextmanager
def server(
    *,
    iam_config=None,
    scripts_dirs=None,
    job_duration=None,
    region=DEFAULT_REGION,
    account_id=DEFAULT_ACCOUNT_ID,
    args=(),
    startup_timeout=30.0,
    executable=None,
):
    """Starts glue-local on a free loopback port and stops it on exit; yields a :class:`GlueLocal`.

    ``iam_config``: a ``--iam-config`` file (clients and reset then sign with its first
    principal's keys); ``scripts_dirs``: folder(s) whose scripts job runs may execute;
    ``job_duration``: e.g. ``"0ms"``; ``args``: any further flags of ``glue-local --help``.
    """
    command = [executable or binary(), "--host", "127.0.0.1", "--port", "0"]
    command += ["--region", region, "--account-id", account_id]
    if iam_config:
        command += ["--iam-config", os.fspath(iam_config)]
    for folder in _as_list(scripts_dirs):
        command += ["--scripts-dir", os.fspath(folder)]
    if job_duration is not None:
        command += ["--job-duration", str(job_duration)]
    command += [os.fspath(a) for a in args]
    credentials = _first_principal(iam_config) if iam_config else PERMISSIVE_CREDENTIALS

    log = tempfile.NamedTemporaryFile(prefix="glue-local-", suffix=".log", delete=False)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
    log.close()
    gl = None
    try:
        endpoint_url = _wait_listening(process, startup_timeout, log.name)
        gl = GlueLocal(process, endpoint_url, region, account_id, credentials, log.name)
        _wait_healthy(gl, startup_timeout, log.name)
        yield gl
    finally:
        if gl is not None:
            gl.stop()
        elif process.poll() is None:
            process.kill()
            process.wait()
        with contextlib.suppress(OSError):
            os.unlink(log.name)


def _wait_listening(process, timeout, log_path):
    """The URL of the server's "listening on" line (it binds port 0, so no port race)."""
    found = []
    ready = threading.Event()

    def drain():
        for raw in process.stdout:
            if not found:
                match = _LISTENING.search(raw.decode(errors="replace"))
                if match:
                    found.append(match.group(1))
                    ready.set()
        ready.set()  # stdout closed: the process is gone

    threading.Thread(target=drain, name="glue-local stdout", daemon=True).start()
    if not ready.wait(timeout):
        raise GlueLocalError(f"glue-local did not start within {timeout}s{_tail(log_path)}")
    if not found:
        process.wait()
        raise GlueLocalError(f"glue-local exited with status {process.returncode}{_tail(log_path)}")
    return found[0]


def _wait_healthy(gl, timeout, log_path):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if gl.health(timeout=1.0).get("status") == "ok":
                return
        except (OSError, ValueError):
            pass
        if gl.process.poll() is not None:
            raise GlueLocalError(f"glue-local exited with status {gl.process.returncode}{_tail(log_path)}")
        if time.monotonic() >= deadline:
            raise GlueLocalError(f"{gl.endpoint_url} was not healthy within {timeout}s{_tail(log_path)}")
        time.sleep(0.02)


def _tail(log_path, lines=20):
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            text = "".join(f.readlines()[-lines:]).strip()
    except OSError:
        return ""
    return f":\n{text}" if text else ""
