"""Helpers behind the conformance fixtures (see conftest.py).

  * ``LocalServer``      start target/debug/glue-local on a free port, wait for health
  * ``make_glue_client`` a boto3 Glue client with retries off and model validation on
  * ``RawClient``        raw HTTP requests over one keep-alive connection, optionally SigV4-signed
  * ``AwsCli``           run the venv's ``aws`` with the validator plugin loaded
  * ``unique``, ``wait_until``
"""

from __future__ import annotations

import secrets
import time

from .boto import glue_service_model, make_client, make_glue_client
from .cli import CLI_MARKER, AwsCli, CliResult, aws_executable
from .raw_http import RawClient, RawResponse
from .server import LocalServer, free_port, health, iam_server, reset, server_binary, tail
from .settings import (
    ACCESS_KEY,
    ACCOUNT_ID,
    ARTIFACTS_DIR,
    CONFORMANCE_DIR,
    HEALTH_PATH,
    JSON_CONTENT_TYPE,
    REGION,
    REPO_ROOT,
    RESET_PATH,
    SECRET_KEY,
    STATS,
    TARGET_PREFIX,
    TESTS_DIR,
)


__all__ = [
    "make_client",
    "glue_service_model",
    "make_glue_client",
    "CLI_MARKER",
    "AwsCli",
    "CliResult",
    "aws_executable",
    "RawClient",
    "RawResponse",
    "LocalServer",
    "free_port",
    "health",
    "iam_server",
    "reset",
    "server_binary",
    "tail",
    "ACCESS_KEY",
    "ACCOUNT_ID",
    "ARTIFACTS_DIR",
    "CONFORMANCE_DIR",
    "HEALTH_PATH",
    "JSON_CONTENT_TYPE",
    "REGION",
    "REPO_ROOT",
    "RESET_PATH",
    "SECRET_KEY",
    "STATS",
    "TARGET_PREFIX",
    "TESTS_DIR",
    "wait_until",
    "unique",
]


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

