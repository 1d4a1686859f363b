"""A workflow run journals its graph once per content and then only what changes, so
the journal grows by a bounded amount per run; after a restart every run reads back
the same through GetWorkflowRun, graph included."""

import gluelocal
from workflows_util import W1

RUNS = 20
# A W1 run to COMPLETED took 46 KB here when each of its 7 records held the whole run, graph included.
MAX_BYTES_PER_RUN = 8_000


def test_runs_journal_a_bounded_amount_and_read_back_identical_after_a_restart(tmp_path, unique):
    state = tmp_path / "state"
    journal = state / "journal"
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=tmp_path / "server.log")
    srv.start()
    try:
        glue = gluelocal.make_glue_client(srv.endpoint)
        w1 = W1(glue, unique, job_extra={"max_concurrent": RUNS})
        first = w1.start()
        w1.run(first)
        before = journal.stat().st_size
        ids = [w1.start() for _ in range(RUNS)]
        runs = {run_id: w1.run(run_id) for run_id in ids}
        grown = journal.stat().st_size - before
        assert grown / RUNS < MAX_BYTES_PER_RUN, f"{grown / RUNS:.0f} journal bytes per W1 run"
        runs[first] = w1.run(first)
        assert all(r["Statistics"]["SucceededActions"] == 5 for r in runs.values())
    finally:
        srv.stop()
    srv = gluelocal.LocalServer(extra_args=["--state-dir", str(state)], log_path=tmp_path / "server.log")
    srv.start()
    try:
        glue = gluelocal.make_glue_client(srv.endpoint)
        for run_id, run in runs.items():
            assert glue.get_workflow_run(Name=w1.name, RunId=run_id, IncludeGraph=True)["Run"] == run
    finally:
        srv.stop()
