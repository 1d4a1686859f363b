"""``getResolvedOptions``: a job run's arguments as a dict, as AWS Glue documents it.

Glue starts a script with ``--NAME value`` pairs (``sys.argv``); a script asks for the
names it needs, without the dashes::

    args = getResolvedOptions(sys.argv, ["JOB_NAME", "input"])

* Every name asked for is required; when one is missing the call raises
  ``GlueArgumentError("the following arguments are required: --input")``.
* ``--name value`` and ``--name=value`` both work; a repeated argument's last value wins;
  arguments not asked for are ignored.  Parsing is argparse's, so a name's dashes become
  underscores in the dict (the guide: use underscores in argument names), and an
  unambiguous prefix of a name matches it.
* ``sys.argv[0]`` (the script) is skipped.
* Glue's own arguments are always in the dict, ``None`` when absent: ``JOB_ID``,
  ``JOB_RUN_ID``, ``SECURITY_CONFIGURATION``, ``encryption_type``, ``TempDir``,
  ``RedshiftTempDir`` (either one fills the other), ``job_bookmark_from``,
  ``job_bookmark_to``, and ``job_bookmark_option`` (``job-bookmark-disable`` by default;
  the older ``--continuation-option`` values are translated).
* ``TempDir`` and ``RedshiftTempDir`` asked for are optional; asking for
  ``job-bookmark-option``, ``continuation-option``, ``encryption-type``,
  ``job-bookmark-from`` or ``job-bookmark-to`` is a RuntimeError (Glue reserves them).
* With ``job-bookmark-pause``, ``--job-bookmark-from`` and ``--job-bookmark-to`` go
  together (one alone is a RuntimeError); with another bookmark option neither may be given.
"""

import argparse

__all__ = ["GlueArgumentError", "getResolvedOptions"]

BOOKMARK_ENABLE = "job-bookmark-enable"
BOOKMARK_DISABLE = "job-bookmark-disable"
BOOKMARK_PAUSE = "job-bookmark-pause"

# The names --continuation-option had before job bookmarks, and what they mean now.
_CONTINUATION = {
    "continuation-enabled": BOOKMARK_ENABLE,
    "continuation-readonly": BOOKMARK_PAUSE,
    "continuation-ignore": BOOKMARK_DISABLE,
}
_BOOKMARK_RANGE = ("job-bookmark-from", "job-bookmark-to")
_RESERVED = ("job-bookmark-option", "continuation-option", "encryption-type", *_BOOKMARK_RANGE)
_GLUE_IDS = ("JOB_ID", "JOB_RUN_ID", "SECURITY_CONFIGURATION")
_TEMP_DIRS = ("TempDir", "RedshiftTempDir")


class GlueArgumentError(Exception):
    """The job's arguments do not satisfy ``getResolvedOptions`` (argparse's message)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise GlueArgumentError(message)


def getResolvedOptions(args, options):  # noqa: N802 (AWS's name)
    """The arguments in ``args`` (``sys.argv``) named by ``options``, and Glue's own, as a dict."""
    for name in _RESERVED:
        if name in options:
            raise RuntimeError(f"Using reserved arguments {name}")
    # add_help=False: a job argument never asks for a usage text.
    parser = _Parser(add_help=False)
    parser.add_argument("--job-bookmark-option", choices=(BOOKMARK_ENABLE, BOOKMARK_DISABLE, BOOKMARK_PAUSE))
    parser.add_argument("--continuation-option", choices=tuple(_CONTINUATION))
    parser.add_argument("--encryption-type", choices=("sse-s3",))
    for name in (*_BOOKMARK_RANGE, *_TEMP_DIRS):
        parser.add_argument("--" + name)
    for name in _GLUE_IDS:
        parser.add_argument("--" + name, required=name in options)
    for name in dict.fromkeys(options):
        if name not in _TEMP_DIRS and name not in _GLUE_IDS:
            parser.add_argument("--" + name, required=True)
    resolved, _ignored = parser.parse_known_args(list(args[1:]))
    result = vars(resolved)

    if result["TempDir"] is not None:
        result["RedshiftTempDir"] = result["TempDir"]
    elif result["RedshiftTempDir"] is not None:
        result["TempDir"] = result["RedshiftTempDir"]

    continuation = result.pop("continuation_option")
    if result["job_bookmark_option"] is None:
        result["job_bookmark_option"] = _CONTINUATION.get(continuation, BOOKMARK_DISABLE)
    given = [name for name in _BOOKMARK_RANGE if result[name.replace("-", "_")] is not None]
    if result["job_bookmark_option"] == BOOKMARK_PAUSE:
        if len(given) == 1:
            missing = next(name for name in _BOOKMARK_RANGE if name not in given)
            raise RuntimeError(f"Missing option or value for --{missing}")
    elif given:
        raise RuntimeError(
            f"--{given[0]} is valid only with --job-bookmark-option {BOOKMARK_PAUSE}, "
            f"not {result['job_bookmark_option']}"
        )
    return result
