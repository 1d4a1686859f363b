"""The compose example is safe by default: state on its volume, the port published
on the host's loopback only, scripts and the service name opted in explicitly.

The image itself is built and run by the Docker suite where a Docker engine can run;
this checks the file every user copies."""

from pathlib import Path

import yaml

import gluelocal

COMPOSE = gluelocal.REPO_ROOT / "docker" / "docker-compose.yml"


def _service():
    doc = yaml.safe_load(COMPOSE.read_text())
    return doc, doc["services"]["glue-local"]


def test_state_dir_is_the_volume():
    doc, service = _service()
    env = service["environment"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in service["volumes"]}
    state_dir = env.get("GLUE_LOCAL_STATE_DIR")
    assert state_dir, "GLUE_LOCAL_STATE_DIR is not set: state would not survive a restart"
    volumes = [src for dst, src in mounts.items() if Path(state_dir).is_relative_to(dst)]
    assert volumes and volumes[0] in doc["volumes"], f"{state_dir} is not on a named volume: {mounts}"


def test_port_published_on_loopback_only():
    _, service = _service()
    for port in service["ports"]:
        text = str(port)
        assert text.startswith("127.0.0.1:"), f"{text} publishes glue-local on every interface of the host"


def test_service_name_allowed_and_scripts_opted_in():
    _, service = _service()
    env = service["environment"]
    assert "glue-local" in env.get("GLUE_LOCAL_ALLOWED_HOSTS", "").split(","), env
    assert env.get("GLUE_LOCAL_SCRIPTS_DIR") == env.get("GLUE_LOCAL_S3_DIR") == "/scripts", env
