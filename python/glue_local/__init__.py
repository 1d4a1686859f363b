"""glue-local from Python: start the bundled ``glue-local`` binary for a test session.

    with glue_local.server(job_duration="0ms") as gl:
        glue = gl.client()          # a boto3 Glue client for it (boto3 is optional)
        ...
        gl.reset()                  # forget all state

The pytest plugin (``glue_local.pytest_plugin``, registered through the ``pytest11``
entry point) wraps the same thing in the ``glue_local`` fixture.
"""

from ._server import GlueLocal, GlueLocalError, binary, server

__all__ = ["GlueLocal", "GlueLocalError", "binary", "server"]
