"""``Job`` for ``--spark-executor local``: ``init(name, args)`` and ``commit()``.

``commit()`` returns without storing anything: glue-local keeps no job bookmarks yet.
"""

from awsglue._spark import require_pyspark

require_pyspark(__name__)

__all__ = ["Job"]


class Job:
    def __init__(self, glue_context):
        self.glue_context = glue_context
        self.name = None
        self.args = {}

    def init(self, job_name, args=None):
        self.name = job_name
        self.args = dict(args or {})

    def commit(self):
        return None
