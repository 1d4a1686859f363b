"""boto3 Glue clients with retries off and every response validated against the model."""

from __future__ import annotations

import threading

import model_validator

from .settings import ACCESS_KEY, REGION, SECRET_KEY

_BOTO_LOCK = threading.Lock()
_BOTO3_SESSION = None


def _boto3_session():
    """One shared boto3 session: the Glue model is loaded and parsed once."""
    global _BOTO3_SESSION
    with _BOTO_LOCK:
        if _BOTO3_SESSION is None:
            import boto3

            _BOTO3_SESSION = boto3.session.Session()
        return _BOTO3_SESSION


def glue_service_model():
    return _boto3_session()._session.get_service_model("glue")


def make_glue_client(endpoint, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY, session_token=None, **config):
    """boto3 Glue client: retries off, every response validated against the model."""
    return make_client("glue", endpoint, region, access_key, secret_key, session_token, **config)


def make_client(service, endpoint, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY, session_token=None,
                **config):
    """boto3 client of `service` ("glue", "events"): retries off, every response validated."""
    from botocore.config import Config

    cfg = Config(
        # botocore: "max_attempts" in this dict counts RETRIES (1 would mean 2 attempts);
        # total_max_attempts counts the first attempt too. One attempt: retries off.
        retries={"total_max_attempts": 1},
        connect_timeout=config.pop("connect_timeout", 5),
        read_timeout=config.pop("read_timeout", 60),
        **config,
    )
    client = _boto3_session().client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        aws_session_token=session_token,
        config=cfg,
    )
    return model_validator.install(client)
