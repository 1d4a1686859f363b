"""docker/Dockerfile and docker/docker-compose.yml built and run as a user would.

No registry is reachable here, so the bases are local (docker_util: bookworm minbase via
debootstrap + docker import) and the binary is the host's ``cargo build --release
--locked``, given to the Dockerfile through ``PREBUILT``; the compose example's app image
(``APP_IMAGE``) is that base plus Debian's python3-boto3.  The image alone runs a Python
shell job (awsglue, the trimmed standard library, sh); compose brings up glue-local and
the app, which runs the guide's W1 through ``AWS_ENDPOINT_URL_GLUE``.

Without a Docker engine these tests are skipped, saying why; under ``CI=true`` that is a
failure.  Figures (image size, build and compose times): artifacts/docker-image.txt.
"""

import json
import os
import shutil
import subprocess
import time

import pytest

import docker_util
import gluelocal

IMAGE = "glue-local-test/glue-local:suite"
APP_IMAGE = "glue-local-test/python-boto3"
DOCKER_DIR = gluelocal.REPO_ROOT / "docker"
# Issue #16's target for the runtime image (README: Docker); an unstripped binary, boto3,
# apt or the base's docs in it would not fit.
SIZE_LIMIT = 80 * 1000 * 1000  # bytes, as `docker images` counts MB
# A Python shell job's script: glue-local's awsglue and the standard library it may use.
JOB_SCRIPT = """import sys
from awsglue.utils import getResolvedOptions
import asyncio, bz2, csv, ctypes, decimal, gzip, hashlib, json, lzma, multiprocessing, sqlite3
import ssl, subprocess, tempfile, urllib.request, uuid, zlib
args = getResolvedOptions(sys.argv, ["JOB_NAME", "day"])
assert args["day"] == "2024-01-01", args
assert sqlite3.connect(":memory:").execute("select 1").fetchone() == (1,)
with tempfile.TemporaryFile() as f:
    f.write(lzma.compress(b"x"))
assert subprocess.run(["sh", "-c", "test $(id -u) != 0"]).returncode == 0
print("ran", args["JOB_NAME"], hashlib.sha256(b"x").hexdigest()[:8])
"""
FIGURES = {}


def _release_binary():
    target = os.environ.get("CARGO_TARGET_DIR", gluelocal.REPO_ROOT / "target")
    built = subprocess.run(
        ["cargo", "build", "--release", "--locked", "--bin", "glue-local"],
        cwd=gluelocal.REPO_ROOT, capture_output=True, text=True, timeout=3600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return gluelocal.REPO_ROOT / target / "release" / "glue-local"


def _timed(name, fn):
    started = time.monotonic()
    value = fn()
    FIGURES[name] = f"{time.monotonic() - started:.1f} s"
    return value


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    docker_util.require_engine()
    base = _timed("base image (debootstrap, cached by tag)", docker_util.base_image)
    binary = _timed("cargo build --release --locked", _release_binary)
    context = tmp_path_factory.mktemp("docker-context")
    subprocess.run(["strip", "-o", str(context / "glue-local"), str(binary)], check=True)
    (context / "docker").mkdir()
    shutil.copy2(DOCKER_DIR / "rootfs.sh", context / "docker" / "rootfs.sh")

    def build():
        return docker_util.docker(
            "build", "-f", str(DOCKER_DIR / "Dockerfile"), "-t", IMAGE,
            "--build-arg", f"BUILD_BASE={base}", "--build-arg", f"RUNTIME_BASE={base}",
            "--build-arg", "PREBUILT=glue-local", str(context), timeout=900,
        )

    previous = docker_util.docker("image", "inspect", "--format", "{{.Id}}", IMAGE).stdout.strip()
    built = _timed("docker build (prebuilt binary)", build)
    current = docker_util.docker("image", "inspect", "--format", "{{.Id}}", IMAGE).stdout.strip()
    if previous and previous != current:  # the last run's image, untagged by this build
        docker_util.docker("rmi", previous)
    # The classic builder keeps each build stage as an image; the suite's would pile up.
    docker_util.docker("image", "prune", "--force", "--filter", "label=glue-local.stage=build")
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    size = int(docker_util.docker("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout)
    FIGURES["runtime image size"] = f"{size / 1e6:.1f} MB"
    yield IMAGE, size
    gluelocal.ARTIFACTS_DIR.mkdir(exist_ok=True)
    (gluelocal.ARTIFACTS_DIR / "docker-image.txt").write_text("".join(f"{k}: {v}\n" for k, v in FIGURES.items()))


def _health(container):
    out = docker_util.docker("inspect", "--format", "{{.State.Health.Status}}", container)
    return out.stdout.strip()


def _wait_healthy(container, timeout=60):
    gluelocal.wait_until(lambda: _health(container) == "healthy", timeout=timeout, interval=0.2,
                         message=f"{container} to turn healthy (is: {_health(container)})")


def test_image_runs_healthy_as_non_root_and_small(image):
    tag, size = image
    name = gluelocal.unique("glue-local-image")
    started = docker_util.docker("run", "-d", "--name", name, tag)
    assert started.returncode == 0, started.stderr
    try:
        _wait_healthy(name)
        uid = docker_util.docker("exec", name, "id", "-u")
        assert uid.returncode == 0 and uid.stdout.strip() != "0", uid
    finally:
        docker_util.docker("rm", "-f", name)
    assert size <= SIZE_LIMIT, f"the runtime image is {size / 1e6:.1f} MB, over {SIZE_LIMIT / 1e6:.0f} MB"


def test_image_runs_python_shell_jobs_with_awsglue(image, tmp_path):
    scripts = tmp_path / "scripts"
    (scripts / "jobs").mkdir(parents=True)
    (scripts / "jobs" / "job.py").write_text(JOB_SCRIPT)
    for path in (tmp_path, scripts, scripts / "jobs"):
        path.chmod(0o755)  # the container's user reads them
    (scripts / "jobs" / "job.py").chmod(0o644)
    port = gluelocal.free_port()
    name = gluelocal.unique("glue-local-job")
    started = docker_util.docker(
        "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:9100",
        "-v", f"{scripts}:/scripts:ro", "-e", "GLUE_LOCAL_S3_DIR=/scripts", "-e", "GLUE_LOCAL_SCRIPTS_DIR=/scripts",
        image[0],
    )
    assert started.returncode == 0, started.stderr
    try:
        _wait_healthy(name)
        glue = gluelocal.make_glue_client(f"http://127.0.0.1:{port}")
        command = {"Name": "pythonshell", "ScriptLocation": "s3://jobs/job.py", "PythonVersion": "3.9"}
        glue.create_job(Name="J", Role="r", Command=command)
        run_id = glue.start_job_run(JobName="J", Arguments={"--day": "2024-01-01"})["JobRunId"]
        run = gluelocal.wait_until(
            lambda: (r := glue.get_job_run(JobName="J", RunId=run_id)["JobRun"])["JobRunState"]
            in ("SUCCEEDED", "FAILED", "ERROR") and r,
            timeout=60, interval=0.2, message="the job run to end")
        assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    finally:
        docker_util.docker("rm", "-f", name)


def _compose_command():
    if docker_util.docker("compose", "version").returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker_util.unavailable("no docker compose (Debian: docker-compose)")


@pytest.fixture(scope="module")
def compose(image):
    command = _compose_command()
    app_image = _timed("app image (base + python3-boto3, cached by tag)",
                       lambda: docker_util.derived_image(APP_IMAGE, ["python3-boto3"]))
    port = gluelocal.free_port()
    project = gluelocal.unique("gluelocal").lower()
    env = {**os.environ, "GLUE_LOCAL_IMAGE": image[0], "APP_IMAGE": app_image, "GLUE_LOCAL_HOST_PORT": str(port)}

    def run(*args, timeout=300):
        return subprocess.run([*command, "-p", project, "-f", str(DOCKER_DIR / "docker-compose.yml"), *args],
                              capture_output=True, text=True, env=env, timeout=timeout)

    try:
        yield run, f"http://127.0.0.1:{port}"
    finally:
        down = _timed("compose down", lambda: run("down", "--volumes", "--timeout", "5"))
        assert down.returncode == 0, down.stderr


def _container(run, service):
    ids = run("ps", "-q", service).stdout.split()
    assert len(ids) == 1, ids
    return ids[0]


def test_compose_example_runs_w1_and_keeps_state_across_restart(compose):
    run, endpoint = compose
    started = time.monotonic()
    up = run("up", "-d", "--no-build")
    assert up.returncode == 0, up.stderr
    glue_local = _container(run, "glue-local")
    _wait_healthy(glue_local)
    app = _container(run, "app")
    waited = docker_util.docker("wait", app, timeout=120)
    logs = run("logs", "--no-color", "app").stdout
    assert waited.stdout.strip() == "0", logs + run("logs", "--no-color", "glue-local").stdout[-3000:]
    FIGURES["compose up until the app has run W1"] = f"{time.monotonic() - started:.1f} s"
    line = [x for x in logs.splitlines() if '"RunId"' in x][-1]
    w1 = json.loads(line[line.index("{"):])
    assert w1["Status"] == "COMPLETED", w1
    assert w1["Jobs"] == {"J1": ["SUCCEEDED"], "J2": ["FAILED"], "J3": ["FAILED"], "J4": [], "J5": []}, w1

    uid = docker_util.docker("exec", glue_local, "id", "-u")
    assert uid.returncode == 0 and uid.stdout.strip() != "0", uid

    restarted = run("restart", "glue-local")
    assert restarted.returncode == 0, restarted.stderr
    _wait_healthy(glue_local)
    glue = gluelocal.make_glue_client(endpoint)
    after = glue.get_workflow_run(Name="W1", RunId=w1["RunId"])["Run"]
    assert after["Status"] == "COMPLETED", after
    assert {j["Name"] for j in glue.get_jobs()["Jobs"]} == {"J1", "J2", "J3", "J4", "J5"}
