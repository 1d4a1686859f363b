"""Which files of an ``s3://`` source a bookmarked read takes (``--spark-executor local``).

As AWS Glue's S3 bookmarks do, a source's state remembers the latest modification time it
has processed and the files modified at that very time; a read takes the files modified
later (or then, but not yet taken).  Paths are ``$GLUE_LOCAL_S3_DIR`` files (see
``awsglue._spark.local_path``); folders are read recursively, skipping the names Spark
skips (starting with ``_`` or ``.``).  Pure Python: unit-tested without Spark.
"""

import os

JSON_CLASS = "HadoopDataSourceJobBookmarkState"


def _files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
            for name in sorted(names):
                if not name.startswith(("_", ".")):
                    yield os.path.join(folder, name)


def _after(state, mtime, name):
    """Whether a file modified at ``mtime`` comes after what ``state`` took."""
    if not state:
        return True
    latest = state["latestModified"]
    return mtime > latest or (mtime == latest and name not in state["filesAtLatest"])


def select(paths, since=None, upto=None, name=lambda path: path):
    """The files under ``paths`` after the state ``since`` (and not after ``upto``), and the
    state once they are taken; the state names a file by ``name(path)`` (its ``s3://`` URL)."""
    taken = []
    for path in _files(paths):
        mtime, key = os.stat(path).st_mtime_ns, name(path)
        if _after(since, mtime, key) and (upto is None or not _after(upto, mtime, key)):
            taken.append((mtime, path, key))
    latest = max([m for m, _, _ in taken] + ([since["latestModified"]] if since else []), default=0)
    at_latest = [k for m, _, k in taken if m == latest]
    if since and since["latestModified"] == latest:
        at_latest = since["filesAtLatest"] + at_latest
    state = {"jsonClass": JSON_CLASS, "latestModified": latest, "filesAtLatest": at_latest}
    return [p for _, p, _ in taken], state
