"""Calls from a job run's script to the glue-local that started it, signed with the run's credentials.

glue-local gives every script run credentials of its own (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``) and its address
(``AWS_ENDPOINT_URL_GLUE``).  Requests are signed (SigV4) here with the standard library:
no boto3 needed.  ``awsglue._bookmarks`` and ``awsglue._catalog`` call through ``send``.
"""

import datetime
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit


class CallError(RuntimeError):
    """glue-local refused a call, or could not be reached."""


def _hmac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signed_headers(method, host, path, body, now, extra=None):
    """SigV4 headers (``extra`` ones signed too) for a call to glue-local with this run's credentials."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    key, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {"host": host, "x-amz-date": amz_date, **(extra or {})}
    if os.environ.get("AWS_SESSION_TOKEN"):
        headers["x-amz-security-token"] = os.environ["AWS_SESSION_TOKEN"]
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


def send(method, path, payload, what, extra=None, error=CallError):
    """The JSON glue-local answers ``method path`` (``payload`` as JSON body); ``error`` says why not."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_GLUE") or os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        raise error(f"AWS_ENDPOINT_URL_GLUE is not set: {what} needs the glue-local that started this run")
    url = urlsplit(endpoint)
    body = b"" if payload is None else json.dumps(payload).encode()
    now = datetime.datetime.now(datetime.timezone.utc)
    request = urllib.request.Request(
        f"{url.scheme}://{url.netloc}{path}",
        data=body if method == "POST" else None,
        method=method,
        headers=signed_headers(method, url.netloc, path, body, now, extra),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        try:
            answer = json.load(e)
            message = f"{answer.get('__type')}: {answer.get('Message') or answer.get('message')}"
        except ValueError:
            message = f"HTTP {e.code}"
        raise error(f"glue-local refused {what}: {message}") from None
    except OSError as e:
        raise error(f"glue-local could not be reached at {endpoint} for {what}: {e}") from None
