"""pytest plugin: the ``glue_local`` fixture.

One glue-local per test session, on a free loopback port; every test that uses the
fixture starts from empty state (``POST /_glue_local/reset`` before it). The fixture is a
:class:`glue_local.GlueLocal`: ``.endpoint_url``, ``.client()``, ``.reset()``, ``.region``.

Options (command line, or the ini keys in brackets):
  --glue-local-iam-config FILE   [glue_local_iam_config]
  --glue-local-scripts-dir DIR   [glue_local_scripts_dir], repeatable (ini: one per line)
  --glue-local-job-duration D    [glue_local_job_duration], e.g. 0ms
"""

import pytest

from ._server import server


def pytest_addoption(parser):
    group = parser.getgroup("glue-local")
    group.addoption("--glue-local-iam-config", metavar="FILE", help="glue-local --iam-config FILE")
    group.addoption(
        "--glue-local-scripts-dir",
        metavar="DIR",
        action="append",
        help="glue-local --scripts-dir DIR (repeatable)",
    )
    group.addoption("--glue-local-job-duration", metavar="DURATION", help="glue-local --job-duration, e.g. 0ms")
    parser.addini("glue_local_iam_config", "glue-local --iam-config FILE")
    parser.addini("glue_local_scripts_dir", "glue-local --scripts-dir folders, one per line", type="linelist")
    parser.addini("glue_local_job_duration", "glue-local --job-duration, e.g. 0ms")


def _setting(config, name):
    """The command-line option, else the ini key (relative ini paths are the ini file's)."""
    value = config.getoption(f"--glue-local-{name.replace('_', '-')}")
    if value:
        return value
    value = config.getini(f"glue_local_{name}")
    if not value or name == "job_duration":
        return value or None
    root = config.inipath.parent if config.inipath else config.rootpath
    if isinstance(value, list):
        return [str(root / v) for v in value]
    return str(root / value)


@pytest.fixture(scope="session")
def _glue_local_session(pytestconfig):
    with server(
        iam_config=_setting(pytestconfig, "iam_config"),
        scripts_dirs=_setting(pytestconfig, "scripts_dir"),
        job_duration=_setting(pytestconfig, "job_duration"),
    ) as gl:
        yield gl


@pytest.fixture
def glue_local(_glue_local_session):
    """The session's glue-local, reset to empty state for this test."""
    _glue_local_session.reset()
    return _glue_local_session
