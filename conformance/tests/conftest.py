"""Fixtures of the glue-local conformance suite.

Server: ``GLUE_LOCAL_ENDPOINT`` (set by conformance/run) names a running
glue-local; without it the session starts ``target/debug/glue-local`` itself
on a free port (it does not build it), so
``conformance/.venv/bin/pytest conformance/tests`` works alone.  Job scripts
run only under a ``--scripts-dir``: the shared server's covers pytest's
basetemp (conformance/run passes ``--basetemp``), so scripts go in ``tmp_path``;
a test's own server that runs scripts passes ``--scripts-dir`` itself.

Tests share one server: create resources with ``unique(...)`` names and never
assume an empty state.

Fixtures
  endpoint      str, e.g. "http://127.0.0.1:41234"
  glue          boto3 Glue client (us-east-1, test/test, retries off), every response model-validated
  make_glue     make_glue(region="us-east-1", access_key="test", secret_key="test", session_token=None) -> client
  aws_cli       aws_cli(*args, region="us-east-1", access_key="test", secret_key="test", expect_ok=True)
                -> CliResult(.returncode .json .stdout .stderr); args start with "glue"
  unique        unique("wf") -> "wf-<random>"
  raw           raw(method="POST", path="/", headers=None, body=b"", sign=True, ...) -> RawResponse
                (.status .headers .body .json .error_code); raw.glue(operation, payload | body=bytes)
  wait_until    wait_until(fn, timeout=10, interval=0.02) -> fn's first truthy value
  glue_model    botocore's Glue ServiceModel
"""

import os
import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
for _p in (_TESTS, _TESTS.parent):  # gluelocal, model_validator; operations.py
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import gluelocal  # noqa: E402
import model_validator  # noqa: E402

# Keep the developer's AWS setup out of the tests.
for _k in list(os.environ):
    if _k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE") or _k.startswith("AWS_ENDPOINT_URL"):
        del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = str(_TESTS / "does-not-exist" / "config")
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(_TESTS / "does-not-exist" / "credentials")
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
_no_proxy = ",".join(x for x in (os.environ.get("NO_PROXY"), "127.0.0.1", "localhost") if x)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = _no_proxy


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory):
    given = os.environ.get("GLUE_LOCAL_ENDPOINT")
    if given:
        given = given.rstrip("/")
        if gluelocal.health(given, timeout=5) is None:
            pytest.fail(f"GLUE_LOCAL_ENDPOINT={given} does not answer GET {gluelocal.HEALTH_PATH}", pytrace=False)
        yield given
        return
    server = gluelocal.LocalServer(extra_args=["--scripts-dir", str(tmp_path_factory.getbasetemp())])
    try:
        url = server.start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def glue_model():
    return gluelocal.glue_service_model()


@pytest.fixture(scope="session")
def make_glue(endpoint):
    def make_glue(region="us-east-1", access_key="test", secret_key="test", session_token=None):
        return gluelocal.make_glue_client(endpoint, region, access_key, secret_key, session_token)

    return make_glue


@pytest.fixture(scope="session")
def glue(make_glue):
    return make_glue()


@pytest.fixture(scope="session")
def aws_cli(endpoint, tmp_path_factory):
    return gluelocal.AwsCli(endpoint, tmp_path_factory.mktemp("aws-cli"))


@pytest.fixture(scope="session")
def raw(endpoint):
    client = gluelocal.RawClient(endpoint)
    yield client
    client.close()


@pytest.fixture(scope="session")
def unique():
    return gluelocal.unique


@pytest.fixture(scope="session")
def wait_until():
    return gluelocal.wait_until


# --------------------------------------------------------------------------
# hooks
# --------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test during which a model violation was seen, even if it swallowed the exception."""
    start = len(model_validator.RECORDED_VIOLATIONS)
    result = yield
    seen = model_validator.RECORDED_VIOLATIONS[start:]
    if seen:
        raise model_validator.ModelViolation(
            f"{len(seen)} response(s) broke the Glue model during this test (the exception was caught by the test):\n\n"
            + "\n\n".join(seen)
        )
    return result


def pytest_terminal_summary(terminalreporter):
    n = gluelocal.STATS["bad_input_cases"]
    if n:
        failed = gluelocal.STATS["bad_input_failed"]
        conns = gluelocal.STATS["connections"]
        terminalreporter.write_line(f"bad-input cases run: {n} ({failed} failed) over {conns} HTTP connection(s)")
