"""Docker for the suite: the engine or a skip saying why (a failure under ``CI=true``,
whose .ci/run installs docker.io and debootstrap and starts dockerd), and local images
made from Debian packages, since no registry is reachable (debootstrap + docker import)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"
# The bookworm base every local image starts from: minbase, slimmed like debian:*-slim.
BASE_IMAGE = "glue-local-base/bookworm"
# The PATH every image made here has (docker import sets none).
IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# What debian:bookworm-slim leaves out; dpkg keeps leaving it out in derived images.
_SLIM_DPKG = """path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
"""
_APT_CLEAN = """DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT::Install-Recommends "false";
"""


def unavailable(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI installs it: see .ci/run)", pytrace=False)
    pytest.skip(reason)


def docker(*args, timeout=600, **kw):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, **kw)


def require_engine():
    if shutil.which("docker") is None:
        unavailable("no docker CLI (Debian: docker.io)")
    info = docker("info", "--format", "{{.ServerVersion}}")
    if info.returncode != 0:
        unavailable(f"no Docker engine answers (.ci/run starts dockerd): {info.stderr.strip()[-500:]}")


def image_exists(tag):
    return docker("image", "inspect", tag).returncode == 0


def debootstrap_image(tag, include=(), files=None, slim=False):
    """Import a bookworm minbase (plus ``include``d packages and ``files``: path -> (text,
    mode)) as ``tag``, unless that tag exists already (built once per machine)."""
    if image_exists(tag):
        return tag
    if shutil.which("debootstrap") is None:
        unavailable("no debootstrap to build the local images (Debian: apt-get install debootstrap)")
    root = Path(tempfile.mkdtemp(prefix="glue-local-image-"))
    try:
        command = ["debootstrap", "--variant=minbase", "bookworm", str(root), "http://deb.debian.org/debian"]
        if include:
            command[2:2] = ["--include=" + ",".join(include)]
        built = subprocess.run(command, capture_output=True, text=True, timeout=900)
        if built.returncode != 0:
            unavailable(f"debootstrap failed: {built.stderr[-2000:]}")
        if slim:
            files = {"etc/dpkg/dpkg.cfg.d/slim": (_SLIM_DPKG, 0o644),
                     "etc/apt/apt.conf.d/slim": (_APT_CLEAN, 0o644), **(files or {})}
            subprocess.run(
                "rm -rf var/cache/apt/*.bin var/cache/apt/archives/*.deb var/lib/apt/lists/* "
                "usr/share/doc/* usr/share/man/* usr/share/info/* && "
                "find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +",
                shell=True, cwd=root, check=True,
            )
        for path, (text, mode) in (files or {}).items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            target.chmod(mode)
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        imported = docker("import", "-c", f"ENV PATH={IMAGE_PATH}", "-", tag, stdin=tar.stdout)
        tar.wait()
        assert imported.returncode == 0, imported.stderr
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return tag


def base_image():
    return debootstrap_image(BASE_IMAGE, slim=True)


def derived_image(tag, packages):
    """``BASE_IMAGE`` plus Debian ``packages`` (apt-get in a classic ``docker build``)."""
    if image_exists(tag):
        return tag
    dockerfile = (f"FROM {base_image()}\n"
                  f"RUN apt-get update && apt-get install -y {' '.join(packages)} && rm -rf /var/lib/apt/lists/*\n")
    built = docker("build", "-q", "-t", tag, "-", input=dockerfile, timeout=900)
    assert built.returncode == 0, built.stderr[-2000:]
    return tag
