"""Where things are and the identity the tests use."""

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
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

