"""Script start overhead: how long from a StartJobRun / StartWorkflowRun call to the first
line of the job's Python script (BENCHMARKS.md, "Script start overhead").

    conformance/.venv/bin/python bench/script_start.py [--runs 50] [--binary PATH]

Starts its own glue-local (``$CARGO_TARGET_DIR/debug/glue-local`` by default) with a
``--scripts-dir`` and ``--log-dir`` in a fresh temporary folder.  The script's first
statement reads ``time.monotonic()`` (CLOCK_MONOTONIC, one clock for every process on
the machine), so ``first line - just before the call`` needs no clock agreement.  Runs
go one at a time, each waited for until it ends.  The baseline starts the same
interpreter on the same script directly (``subprocess.Popen``): what any launcher pays.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance" / "tests"))
import gluelocal  # noqa: E402

SCRIPT = f"""#!{sys.executable}
import time; T = time.monotonic()
import sys
from awsglue.utils import getResolvedOptions
args = getResolvedOptions(sys.argv, ["JOB_RUN_ID", "out"])
open(args["out"] + "/" + args["JOB_RUN_ID"], "w").write(repr(T))
"""


def wait_for(path, timeout=30):
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text():
        if time.monotonic() > deadline:
            raise SystemExit(f"{path} was not written within {timeout}s")
        time.sleep(0.001)
    return float(path.read_text())


def summary(ms):
    ms = sorted(ms)
    return {
        "runs": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[max(0, round(0.95 * len(ms)) - 1)], 1),
        "min_ms": round(ms[0], 1),
        "max_ms": round(ms[-1], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--binary", default=str(gluelocal.server_binary()))
    opts = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="glue-local-script-start-"))
    scripts, out = root / "scripts", root / "out"
    scripts.mkdir()
    out.mkdir()
    script = scripts / "first_line.py"
    script.write_text(SCRIPT)
    script.chmod(0o755)

    direct_env = {**os.environ, "PYTHONPATH": str(gluelocal.REPO_ROOT / "runtime" / "python")}
    baseline = []
    for i in range(opts.runs):
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, str(script), "--JOB_RUN_ID", f"direct_{i}", "--out", str(out)], check=True, env=direct_env
        )
        baseline.append((wait_for(out / f"direct_{i}") - t0) * 1000)

    server = gluelocal.LocalServer(
        binary=opts.binary,
        log_path=root / "server.log",
        extra_args=["--scripts-dir", str(scripts), "--log-dir", str(root / "logs")],
    )
    glue = gluelocal.make_glue_client(server.start())
    try:
        job = "first-line"
        glue.create_job(
            Name=job,
            Role="arn:aws:iam::123456789012:role/bench",
            Command={"Name": "pythonshell", "ScriptLocation": f"file://{script}", "PythonVersion": "3.9"},
            DefaultArguments={"--out": str(out)},
        )
        glue.create_workflow(Name="wf")
        glue.create_trigger(Name="start", WorkflowName="wf", Type="ON_DEMAND", Actions=[{"JobName": job}])

        def done(run_id):
            deadline = time.monotonic() + 30
            while glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"] in ("STARTING", "RUNNING"):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{run_id} did not end within 30s")
                time.sleep(0.005)

        first = None
        start_job_run = []
        for i in range(opts.runs + 1):
            t0 = time.monotonic()
            run_id = glue.start_job_run(JobName=job)["JobRunId"]
            ms = (wait_for(out / run_id) - t0) * 1000
            done(run_id)
            if first is None:
                first = ms  # writes the awsglue package: reported on its own
            else:
                start_job_run.append(ms)

        start_workflow_run = []
        for _ in range(opts.runs):
            seen = set(out.iterdir())
            t0 = time.monotonic()
            glue.start_workflow_run(Name="wf")
            deadline = time.monotonic() + 30
            while not (new := set(out.iterdir()) - seen):
                if time.monotonic() > deadline:
                    raise SystemExit("a workflow run started no script within 30s")
                time.sleep(0.001)
            [path] = new
            start_workflow_run.append((wait_for(path) - t0) * 1000)
            done(path.name)
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)

    result = {
        "binary": opts.binary,
        "python": sys.executable,
        "direct_start": summary(baseline),
        "first_run_ms": round(first, 1),
        "StartJobRun": summary(start_job_run),
        "StartWorkflowRun": summary(start_workflow_run),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
