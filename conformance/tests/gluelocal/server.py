"""The glue-local process under test: start on a free loopback port, wait for health, reset."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .settings import ACCOUNT_ID, ARTIFACTS_DIR, HEALTH_PATH, REGION, REPO_ROOT, RESET_PATH

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


def iam_server(folder, name, principals):
    """A started LocalServer whose IAM config (written into ``folder``) holds ``principals``;
    its log is ``artifacts/server-<name>.log``."""
    path = Path(folder) / "iam.json"
    path.write_text(json.dumps({"principals": principals}))
    srv = LocalServer(extra_args=["--iam-config", str(path)], log_path=ARTIFACTS_DIR / f"server-{name}.log")
    srv.start()
    return srv
