"""How ``awsglue.job.Job`` reads and commits a job run's bookmark in glue-local.

``GET /_glue_local/bookmarks/<job run id>`` answers what the run starts from and ``POST``
commits its state; glue-local accepts both only when signed with that run's own
credentials (``awsglue._signed``).
"""

import json
import os

from awsglue import _signed

PATH = "/_glue_local/bookmarks/"


class BookmarkError(_signed.CallError):
    """glue-local refused a bookmark call, or could not be reached."""


def run_id():
    """The job run glue-local started this script as, or None outside glue-local."""
    return os.environ.get("GLUE_LOCAL_JOB_RUN_ID") or None


def call(method, job_run_id, payload=None):
    """GET (what the run starts from) or POST (commit ``payload``) this run's bookmark."""
    extra = {"content-type": "application/json"} if method == "POST" else None
    return _signed.send(method, PATH + job_run_id, payload, f"the job bookmark {method} for {job_run_id}",
                        extra, BookmarkError)


def state(entry):
    """The state dict of an entry glue-local answered (None: no state)."""
    return None if entry is None else json.loads(entry["jobBookmark"])
