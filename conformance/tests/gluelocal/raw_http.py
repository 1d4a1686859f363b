"""Raw HTTP requests over one keep-alive connection, optionally SigV4-signed."""

from __future__ import annotations

import http.client
import json
import select
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import model_validator

from .settings import ACCESS_KEY, JSON_CONTENT_TYPE, REGION, SECRET_KEY, TARGET_PREFIX

class _CIHeaders:
    """Case-insensitive, order-keeping view of response headers."""

    def __init__(self, pairs):
        self._pairs = list(pairs)

    def get(self, name, default=None):
        name = name.lower()
        for k, v in self._pairs:
            if k.lower() == name:
                return v
        return default

    def __getitem__(self, name):
        v = self.get(name)
        if v is None:
            raise KeyError(name)
        return v

    def __contains__(self, name):
        return self.get(name) is not None

    def items(self):
        return list(self._pairs)

    def __repr__(self):
        return repr(dict(self._pairs))


@dataclass
class RawResponse:
    status: int
    headers: _CIHeaders
    body: bytes
    reason: str = ""

    @property
    def json(self):
        """Parsed body, or None if it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, TypeError):
            return None

    @property
    def error_code(self):
        return model_validator.error_code_of(self.headers, self.body) if self.status >= 300 else None

    def describe(self, limit=2000):
        text = self.body.decode("utf-8", "replace")
        if len(text) > limit:
            text = text[:limit] + f"... ({len(self.body)} bytes)"
        return f"HTTP {self.status}, x-amzn-ErrorType={self.headers.get('x-amzn-ErrorType')!r}, body {text}"


def _dropped(sock):
    """Whether an idle keep-alive socket was closed by the server (it is readable: EOF)."""
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class RawClient:
    """Arbitrary HTTP requests to the server over one keep-alive connection.

    ``raw(method, path, headers=None, body=b"", sign=True, ...)`` sends exactly
    the given headers and body (plus Host, Content-Length, and with ``sign`` the
    SigV4 ``X-Amz-Date``/``Authorization`` that botocore's SigV4Auth computes
    for service ``glue`` over those headers).  ``raw.glue(op, payload)`` is the
    usual Glue call: POST / with X-Amz-Target and the JSON content type.
    """

    def __init__(self, endpoint, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY, timeout=60):
        parts = urlsplit(endpoint)
        self.endpoint = endpoint.rstrip("/")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.timeout = timeout
        self._conn = None
        self._lock = threading.Lock()
        self.connections_opened = 0

    # -- signing ---------------------------------------------------------
    def sign(self, method, path, headers, body, region=None, access_key=None, secret_key=None, session_token=None):
        """Return ``headers`` plus SigV4 headers (botocore SigV4Auth, service glue)."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        req = AWSRequest(method=method, url=self.endpoint + path, data=body)
        for k, v in headers:
            req.headers[k] = v  # HTTPHeaders keeps order and duplicates
        creds = Credentials(access_key or self.access_key, secret_key or self.secret_key, session_token)
        SigV4Auth(creds, "glue", region or self.region).add_auth(req)
        return list(req.headers.items())

    # -- sending ---------------------------------------------------------
    def _connection(self):
        if self._conn is not None and _dropped(self._conn.sock):
            self._drop()  # the server closed it while idle (glue-local's --header-timeout)
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.connections_opened += 1
            return self._conn, True
        return self._conn, False

    def _drop(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self):
        with self._lock:
            self._drop()

    def __call__(
        self,
        method="POST",
        path="/",
        headers=None,
        body=b"",
        *,
        sign=True,
        region=None,
        access_key=None,
        secret_key=None,
        session_token=None,
    ):
        if isinstance(body, str):
            body = body.encode("utf-8")
        body = bytes(body or b"")
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        if sign:
            pairs = self.sign(method, path, pairs, body, region, access_key, secret_key, session_token)
        with self._lock:
            return self._send(method, path, pairs, body)

    def _send(self, method, path, pairs, body):
        names = {k.lower() for k, _ in pairs}
        for attempt in (0, 1):
            conn, fresh = self._connection()
            send_error = None
            try:
                conn.putrequest(method, path, skip_host="host" in names, skip_accept_encoding=True)
                for k, v in pairs:
                    conn.putheader(k, v)
                if "content-length" not in names and (body or method in ("POST", "PUT")):
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders()
                view = memoryview(body)
                for off in range(0, len(body), 1 << 16):
                    conn.send(view[off : off + (1 << 16)])
            except (BrokenPipeError, ConnectionResetError) as e:
                send_error = e  # the server may have answered early (e.g. 413): try to read it
            except (OSError, http.client.HTTPException):
                self._drop()
                if not fresh and attempt == 0:
                    continue
                raise
            try:
                resp = conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.IncompleteRead) as e:
                self._drop()
                if not fresh and attempt == 0 and send_error is None:
                    continue  # a reused keep-alive connection the server had closed
                raise ConnectionError(
                    f"no HTTP response from {self.endpoint} to {method} {path} ({len(body)} byte body): {e!r}"
                    + (f"; sending the body failed first: {send_error!r}" if send_error else "")
                ) from e
            except (OSError, http.client.HTTPException):
                self._drop()
                raise
            if resp.will_close or send_error is not None:
                self._drop()
            return RawResponse(resp.status, _CIHeaders(resp.getheaders()), data, resp.reason)
        raise AssertionError("unreachable")

    def glue(
        self,
        operation,
        payload=None,
        *,
        body=None,
        content_type=JSON_CONTENT_TYPE,
        target=None,
        headers=None,
        **kwargs,
    ):
        """POST / with ``X-Amz-Target: AWSGlue.<operation>``; ``payload`` is JSON-encoded,
        ``body`` (bytes) is sent as is.  ``target``/``content_type`` None leaves the header out."""
        if body is None:
            body = json.dumps({} if payload is None else payload).encode("utf-8")
        pairs = []
        if content_type is not None:
            pairs.append(("Content-Type", content_type))
        tgt = target if target is not None else (f"{TARGET_PREFIX}.{operation}" if operation else None)
        if tgt is not None:
            pairs.append(("X-Amz-Target", tgt))
        pairs += list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        return self("POST", "/", pairs, body, **kwargs)
