"""``Job``: ``init(name, args)`` and ``commit()``, with glue-local's job bookmarks.

Python shell scripts use it without a GlueContext (``Job()``; it needs no PySpark), Spark
scripts as on AWS (``Job(glueContext)``).  Under ``job-bookmark-enable`` or
``job-bookmark-pause``, ``init`` loads the state the job's last committed run left in
``job.bookmark``: a dict keyed by the script's ``transformation_ctx`` names, holding what
each source has processed (JSON values).  The script reads it, updates it and calls
``commit()``, which stores it in glue-local (``job-bookmark-enable`` only: a paused run
reads the state but leaves it as it was; a disabled run starts from ``{}`` and stores
nothing).  With ``job-bookmark-pause`` and ``--job-bookmark-from``/``--job-bookmark-to``,
``job.bookmark`` is the state the ``from`` run committed and ``job.bookmark_to`` the one
the ``to`` run committed: process what lies between them.
"""

import copy

from awsglue import _bookmarks

__all__ = ["Job"]

DISABLED = "job-bookmark-disable"


class Job:
    def __init__(self, glue_context=None):
        self.glue_context = glue_context
        self.name = None
        self.args = {}
        self.bookmark_option = DISABLED
        self.bookmark = {}
        self.bookmark_to = None
        self._run_id = None
        if glue_context is not None:
            glue_context._job = self

    def init(self, job_name, args=None):
        """Starts the job run's bookmark: ``job.bookmark`` holds where the last run left off."""
        self.name = job_name
        self.args = dict(args or {})
        self._run_id = _bookmarks.run_id()
        if self._run_id is None:
            return  # not started by glue-local: no bookmark service
        seen = _bookmarks.call("GET", self._run_id)
        self.bookmark_option = seen["option"]
        self.bookmark = _bookmarks.state(seen["from"]) or {}
        self.bookmark_to = _bookmarks.state(seen["to"])

    def commit(self):
        """Stores ``job.bookmark`` as the job's bookmark (``job-bookmark-enable`` only)."""
        if self._run_id is None or self.bookmark_option != "job-bookmark-enable":
            return None
        _bookmarks.call("POST", self._run_id, {"jobBookmark": copy.deepcopy(self.bookmark)})
        return None
