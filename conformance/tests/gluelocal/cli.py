"""The venv's aws CLI with the model-validator plugin loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import model_validator

from .settings import ACCESS_KEY, CONFORMANCE_DIR, REGION, SECRET_KEY, TESTS_DIR

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
