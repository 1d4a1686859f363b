"""aws CLI (v1) plugin: validate every Glue (and EventBridge) response against the model.

Loaded by the config file that the ``aws_cli`` fixture generates::

    [plugins]
    gluelocal_validator = gluelocal_cli_plugin

with this directory on PYTHONPATH (aws CLI v1 imports plugins by module
name; it has no ``cli_legacy_plugin_path``, which is a v2 setting).

On a violation it prints one line ``GLUE-LOCAL-MODEL-VIOLATION <json>`` to
stderr and fails the command (the CLI exits 255); the fixture turns the
marker into a test failure.  The CLI's own (vendored) botocore hands the
operation model to the hook, so the CLI is checked against its own model.
"""

import json
import sys

import model_validator

MARKER = "GLUE-LOCAL-MODEL-VIOLATION"


def _before_parse(operation_model=None, response_dict=None, **_kwargs):
    result = model_validator.validate_response_dict(operation_model, response_dict, source="aws CLI")
    if result is None:
        return
    report, _violations = result
    sys.stderr.write(f"{MARKER} {json.dumps({'operation': operation_model.name, 'report': report})}\n")
    sys.stderr.flush()
    raise model_validator.ModelViolation(report)


def awscli_initialize(cli):
    for service in ("glue", "eventbridge"):  # `aws glue`, `aws events`
        cli.register(f"before-parameter-build.{service}", model_validator._capture_params)
        cli.register(f"before-parse.{service}", _before_parse)
