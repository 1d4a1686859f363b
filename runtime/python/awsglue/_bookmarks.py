"""How ``awsglue.job.Job`` reads and commits a job run's bookmark in glue-local.

glue-local gives every script run credentials of its own (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``) and its address
(``AWS_ENDPOINT_URL_GLUE``).  ``GET /_glue_local/bookmarks/<job run id>`` answers what the
run starts from and ``POST`` commits its state; glue-local accepts both only when signed
(SigV4, signed here with the standard library: no boto3 needed) with that run's own
credentials.
"""

import datetime
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit

PATH = "/_glue_local/bookmarks/"


class BookmarkError(RuntimeError):
    """glue-local refused a bookmark call, or could not be reached."""


def run_id():
    """The job run glue-local started this script as, or None outside glue-local."""
    return os.environ.get("GLUE_LOCAL_JOB_RUN_ID") or None


def _hmac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _signed_headers(method, host, path, body, now):
    """SigV4 headers for a call to glue-local with this run's credentials."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    key, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {"host": host, "x-amz-date": amz_date}
    if os.environ.get("AWS_SESSION_TOKEN"):
        headers["x-amz-security-token"] = os.environ["AWS_SESSION_TOKEN"]
    if method == "POST":
        headers["content-type"] = "application/json"
    names = sorted(headers)
    canonical = "\n".join([
        method, path, "",
        "".join(f"{n}:{headers[n]}\n" for n in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ])
    scope = f"{day}/{region}/glue/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing_key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret).encode(), day), region), "glue"), "aws4_request")
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return headers


def call(method, job_run_id, payload=None):
    """GET (what the run starts from) or POST (commit ``payload``) this run's bookmark."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_GLUE") or os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        raise BookmarkError("AWS_ENDPOINT_URL_GLUE is not set: job bookmarks need the glue-local that started this run")
    url = urlsplit(endpoint)
    path = PATH + job_run_id
    body = b"" if payload is None else json.dumps(payload).encode()
    now = datetime.datetime.now(datetime.timezone.utc)
    request = urllib.request.Request(
        f"{url.scheme}://{url.netloc}{path}",
        data=body if method == "POST" else None,
        method=method,
        headers=_signed_headers(method, url.netloc, path, body, now),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        try:
            error = json.load(e)
            message = f"{error.get('__type')}: {error.get('Message')}"
        except ValueError:
            message = f"HTTP {e.code}"
        raise BookmarkError(f"glue-local refused the job bookmark {method} for {job_run_id}: {message}") from None
    except OSError as e:
        raise BookmarkError(f"glue-local could not be reached at {endpoint} for the job bookmark: {e}") from None


def state(entry):
    """The state dict of an entry glue-local answered (None: no state)."""
    return None if entry is None else json.loads(entry["jobBookmark"])
