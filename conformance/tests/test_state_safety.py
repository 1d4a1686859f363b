"""The state dir is safe: one process per folder, a change that cannot be saved is
refused (and the journal stays whole), reads write nothing, a change journals only
what changed, damage and newer formats stop start-up without touching anything,
and a reset stays a reset across a restart.

Each test runs its own glue-local on a state folder of its own."""

import json
import os
import shutil
import signal
import struct
import subprocess
import time
import zlib

import pytest
from botocore.exceptions import ClientError

import gluelocal

ACCOUNT = gluelocal.ACCOUNT_ID


def start(state_dir, log, *extra):
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state_dir), *extra], log_path=log)
    srv.start()
    return srv


def refused_start(state_dir, log, *extra):
    """Starts glue-local on the folder, expects it to exit non-zero; returns its output."""
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state_dir), *extra], log_path=log)
    with pytest.raises(RuntimeError) as info:
        srv.start(timeout=10)
    assert "exited with code" in str(info.value) and "code 0" not in str(info.value), info.value
    return log.read_text()


def glue_for(srv, **keys):
    return gluelocal.make_glue_client(srv.endpoint, **keys)


def create_job(glue, name, **extra):
    glue.create_job(Name=name, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"}, **extra)


def frames(path):
    """The journal's header and its records as (offset, payload); asserts it ends on a whole record."""
    data = path.read_bytes()
    header_end = data.index(b"\n") + 1
    at, records = header_end, []
    while at < len(data):
        assert len(data) - at >= 8, f"{len(data) - at} stray bytes at {at}"
        length, crc = struct.unpack_from("<II", data, at)
        payload = data[at + 8 : at + 8 + length]
        assert len(payload) == length, f"record at {at} runs past the end"
        assert zlib.crc32(payload) == crc, f"bad checksum at {at}"
        records.append((at, payload))
        at += 8 + length
    return data[:header_end], records


def test_a_second_process_on_the_same_state_dir_is_refused(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "first.log")
    try:
        name = unique("wf")
        glue_for(srv).create_workflow(Name=name)
        output = refused_start(state, tmp_path / "second.log")
        assert "in use by another glue-local" in output and str(state) in output, output
        # The first one carries on, its state untouched.
        glue_for(srv).create_workflow(Name=name + "-2")
        assert glue_for(srv).get_workflow(Name=name)["Workflow"]["Name"] == name
    finally:
        srv.stop()
    # Once the first has stopped, the folder is free again.
    srv = start(state, tmp_path / "third.log")
    try:
        assert glue_for(srv).get_workflow(Name=name + "-2")["Workflow"]["Name"] == name + "-2"
    finally:
        srv.stop()


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs: a disk that fills up."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (tests run as root here and in CI)")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_change_that_cannot_be_saved_is_refused_and_the_journal_stays_whole(tmp_path, small_disk, unique):
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (600 * 1024))
    state = small_disk / "state"
    srv = start(state, tmp_path / "server.log")
    glue = glue_for(srv)
    prefix = unique("job")
    acknowledged, refused, padding = [], None, {"--pad": "x" * 3000}
    try:
        for i in range(1000):
            name = f"{prefix}-{i:04d}"
            try:
                create_job(glue, name, DefaultArguments=padding)
            except ClientError as e:
                assert e.response["Error"]["Code"] == "InternalServiceException", e.response
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 500
                refused = name
                break
            acknowledged.append(name)
        assert refused, "the disk never filled up"
        assert len(acknowledged) > 10
        # Not kept in memory either; the journal ends on its last whole record.
        with pytest.raises(ClientError) as info:
            glue.get_job(JobName=refused)
        assert info.value.response["Error"]["Code"] == "EntityNotFoundException"
        frames(state / "journal")
        # Changes as large are refused while the disk is full; reads still work.
        with pytest.raises(ClientError) as info:
            create_job(glue, refused + "-again", DefaultArguments=padding)
        assert info.value.response["Error"]["Code"] == "InternalServiceException"
        assert glue.get_job(JobName=acknowledged[-1])["Job"]["Name"] == acknowledged[-1]

        filler.unlink()  # space again
        after = unique("after")
        create_job(glue, after)
        frames(state / "journal")
    finally:
        srv.stop()

    srv = start(state, tmp_path / "server2.log")
    try:
        glue = glue_for(srv)
        names = set(glue.list_jobs(MaxResults=1000)["JobNames"])
        missing = [n for n in acknowledged + [after] if n not in names]
        assert not missing, f"{len(missing)} acknowledged jobs lost, e.g. {missing[:3]}"
        assert refused not in names
    finally:
        srv.stop()


def tag_condition_config(path):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "glue:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}}
        ],
    }
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["glue:*", "glue-local:*"], "Resource": "*"}]}
    path.write_text(json.dumps({"principals": [
        {"arn": f"arn:aws:iam::{ACCOUNT}:user/admin", "accessKeyId": "AKIAADMIN00000000001", "secretAccessKey": "admin-secret", "policies": [admin]},
        {"arn": f"arn:aws:iam::{ACCOUNT}:user/team-a", "accessKeyId": "AKIATEAMA00000000001", "secretAccessKey": "team-a-secret", "policies": [policy]},
    ]}))


def test_read_only_calls_write_nothing(tmp_path, unique):
    iam = tmp_path / "iam.json"
    tag_condition_config(iam)
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log", "--iam-config", str(iam))
    try:
        admin = glue_for(srv, access_key="AKIAADMIN00000000001", secret_key="admin-secret")
        team = glue_for(srv, access_key="AKIATEAMA00000000001", secret_key="team-a-secret")
        wf, job, crawler = unique("wf"), unique("job"), unique("cr")
        admin.create_workflow(Name=wf, Tags={"team": "a"})
        create_job(admin, job, Tags={"team": "a"})
        admin.create_trigger(Name=unique("t"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
        admin.create_crawler(Name=crawler, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]}, Tags={"team": "a"})
        arn = f"arn:aws:glue:{gluelocal.REGION}:{ACCOUNT}:job/{job}"
        before = (state / "journal").stat().st_size
        for _ in range(5):
            admin.get_tags(ResourceArn=arn)
            team.get_tags(ResourceArn=arn)
            team.get_workflow(Name=wf, IncludeGraph=True)
            team.get_job(JobName=job)
            team.get_crawler(Name=crawler)
            admin.get_triggers()
            admin.list_jobs()
            admin.list_workflows()
            admin.batch_get_jobs(JobNames=[job])
        assert (state / "journal").stat().st_size == before
        # A refused change writes nothing either.
        with pytest.raises(ClientError):
            admin.create_workflow(Name=wf)
        assert (state / "journal").stat().st_size == before
    finally:
        srv.stop()


def test_a_change_journals_only_the_resource_that_changed(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log")
    try:
        glue = glue_for(srv)
        prefix = unique("job")
        for i in range(1000):
            create_job(glue, f"{prefix}-{i:04d}", Description="a job among a thousand")
        journal = state / "journal"
        sizes = [journal.stat().st_size]
        glue.create_job(Name=prefix + "-one-more", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
        sizes.append(journal.stat().st_size)
        glue.tag_resource(ResourceArn=f"arn:aws:glue:{gluelocal.REGION}:{ACCOUNT}:job/{prefix}-0500", TagsToAdd={"k": "v"})
        sizes.append(journal.stat().st_size)
        glue.delete_job(JobName=prefix + "-0001")
        sizes.append(journal.stat().st_size)
        grown = [b - a for a, b in zip(sizes, sizes[1:])]
        assert all(0 < g < 1024 for g in grown), grown
        _, records = frames(journal)
        kinds = [json.loads(p)["kind"] for _, p in records[-3:]]
        assert kinds == ["PutJob", "PutJob", "DeleteJob"], kinds
    finally:
        srv.stop()


def stopped(srv):
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(timeout=10)
    srv.stop()


def test_a_damaged_length_mid_journal_refuses_start_and_keeps_a_copy(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log")
    glue = glue_for(srv)
    for _ in range(5):
        glue.create_workflow(Name=unique("wf"))
    stopped(srv)
    journal = state / "journal"
    _, records = frames(journal)
    second = records[1][0]
    for length in (0xFFFFFFF0, len(records[1][1]) + 100):  # implausible; plausible but over whole records
        data = bytearray(journal.read_bytes())
        struct.pack_into("<I", data, second, length)
        journal.write_bytes(bytes(data))
        files_before = {p.name: p.read_bytes() for p in state.iterdir() if p.name != "lock"}
        output = refused_start(state, tmp_path / f"refused-{length}.log")
        assert "corrupt" in output and str(journal) in output and f"byte {second}" in output, output
        after = {p.name: p.read_bytes() for p in state.iterdir() if p.name != "lock"}
        copies = [n for n in after if n.startswith("journal.damaged-")]
        assert copies and all(after[c] == bytes(data) for c in copies if c not in files_before), copies
        assert {n: b for n, b in after.items() if n in files_before} == files_before
        for c in copies:
            (state / c).unlink()


def test_a_torn_tail_is_copied_before_it_is_dropped(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log")
    kept = unique("wf")
    glue_for(srv).create_workflow(Name=kept)
    stopped(srv)
    journal = state / "journal"
    with open(journal, "ab") as f:
        f.write(struct.pack("<II", 40, 0) + b'{"kind":"PutWo')  # an append cut short
    torn = journal.read_bytes()
    srv = start(state, tmp_path / "server2.log")
    try:
        assert glue_for(srv).get_workflow(Name=kept)["Workflow"]["Name"] == kept
    finally:
        srv.stop()
    copies = [p for p in state.iterdir() if p.name.startswith("journal.damaged-")]
    assert len(copies) == 1 and copies[0].read_bytes() == torn


def test_files_of_a_newer_format_are_refused(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log")
    name = unique("wf")
    glue_for(srv).create_workflow(Name=name)
    srv.stop()
    journal, snapshot = state / "journal", state / "snapshot.json"
    first = snapshot.read_text().splitlines()[0]
    assert json.loads(first) == {"kind": "Format", "version": 2}
    assert journal.read_bytes().startswith(b"GLJRNL2\n")

    good = journal.read_bytes()
    journal.write_bytes(b"GLJRNL3\n" + good[len(b"GLJRNL2\n"):])
    output = refused_start(state, tmp_path / "newer-journal.log")
    assert "newer glue-local" in output and "journal format 3" in output, output
    assert not [p for p in state.iterdir() if "damaged" in p.name]
    journal.write_bytes(good)

    text = snapshot.read_text()
    snapshot.write_text(text.replace('"version":2', '"version":3', 1))
    output = refused_start(state, tmp_path / "newer-snapshot.log")
    assert "newer glue-local" in output and "snapshot format 3" in output, output
    snapshot.write_text(text)

    srv = start(state, tmp_path / "server2.log")
    try:
        assert glue_for(srv).get_workflow(Name=name)["Workflow"]["Name"] == name
    finally:
        srv.stop()


def test_a_version_less_snapshot_and_a_format_1_journal_still_load(tmp_path, unique):
    """What glue-local wrote before formats had versions: whole-region records."""
    state = tmp_path / "state"
    state.mkdir()
    srv = start(state, tmp_path / "server.log")
    wf, job = unique("wf"), unique("job")
    glue = glue_for(srv)
    glue.create_workflow(Name=wf)
    create_job(glue, job)
    srv.stop()
    start(state, tmp_path / "server1.log").stop()  # folds the journal into the snapshot
    # Turn today's snapshot into yesterday's: no Format line; its whole-region record
    # goes into a format-1 journal too, with the job deleted there.
    lines = (state / "snapshot.json").read_text().splitlines()
    definitions = next(json.loads(l) for l in lines if json.loads(l)["kind"] == "Definitions")
    (state / "snapshot.json").write_text("\n".join(l for l in lines if json.loads(l)["kind"] != "Format") + "\n")
    del definitions["definitions"]["jobs"][job]
    payload = json.dumps(definitions).encode()
    (state / "journal").write_bytes(b"GLJRNL1\n" + struct.pack("<II", len(payload), zlib.crc32(payload)) + payload)
    srv = start(state, tmp_path / "server2.log")
    try:
        glue = glue_for(srv)
        assert glue.get_workflow(Name=wf)["Workflow"]["Name"] == wf
        with pytest.raises(ClientError):
            glue.get_job(JobName=job)
    finally:
        srv.stop()


def journal_quiet(path, for_seconds=0.3):
    """The journal's size once it has not changed for `for_seconds` (runs that a reset
    stopped end within milliseconds; an absence can only be checked after a bound)."""
    last = [path.stat().st_size, time.monotonic()]

    def quiet():
        size = path.stat().st_size
        if size != last[0]:
            last[:] = [size, time.monotonic()]
            return False
        return time.monotonic() - last[1] >= for_seconds and size

    return gluelocal.wait_until(quiet, timeout=10)


def test_reset_then_restart_brings_nothing_back(tmp_path, unique):
    state = tmp_path / "state"
    srv = start(state, tmp_path / "server.log", "--job-duration", "30s")
    glue = glue_for(srv)
    wf, job, crawler = unique("wf"), unique("job"), unique("cr")
    create_job(glue, job, ExecutionProperty={"MaxConcurrentRuns": 10})
    glue.create_workflow(Name=wf)
    glue.create_trigger(Name=unique("t"), WorkflowName=wf, Type="ON_DEMAND", Actions=[{"JobName": job}])
    glue.create_crawler(Name=crawler, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]})
    run_id = glue.start_workflow_run(Name=wf)["RunId"]
    job_run = glue.start_job_run(JobName=job)["JobRunId"]
    glue.start_crawler(Name=crawler)
    gluelocal.wait_until(lambda: glue.get_job_run(JobName=job, RunId=job_run)["JobRun"]["JobRunState"] == "RUNNING")
    assert gluelocal.reset(srv.endpoint) == 200
    journal_quiet(state / "journal")
    stopped(srv)

    srv = start(state, tmp_path / "server2.log")
    try:
        glue = glue_for(srv)
        assert glue.list_workflows().get("Workflows", []) == []
        assert glue.list_jobs()["JobNames"] == []
        assert glue.list_crawlers()["CrawlerNames"] == []
        # The same names again: none of the old runs shows up under them.
        create_job(glue, job)
        glue.create_workflow(Name=wf)
        assert glue.get_workflow_runs(Name=wf).get("Runs", []) == []
        assert glue.get_job_runs(JobName=job)["JobRuns"] == []
        with pytest.raises(ClientError):
            glue.get_workflow_run(Name=wf, RunId=run_id)
    finally:
        srv.stop()
