"""moto's executor calls the services in-process, through one boto3 client per service.

moto's `boto_client_for` builds a fresh boto3 client for every service call a Task makes;
building one costs tens of milliseconds of CPU, which on a shared 2-core machine dominated
a local run (a DynamoDB call took 0.3-4 s with 20 executions running). Clients are
thread-safe for API calls, so the executor's clients are cached per (region, service), with
a connection pool sized for many concurrent executions.

Each call then went over HTTP to the embedded server: the executor thread serialised it, a
server thread parsed it, both took turns on one interpreter lock with every other running
thread. In a 100-execution start storm that made a holder's 1 s of work take 1.6 s and its
hand-off 1.2 s. The executor's clients therefore hand each request to moto's request
dispatcher in the calling thread (what moto does itself under ``mock_aws``): same backends,
same response handlers and the same instruments around them (the DynamoDB gateway, the
in-process Lambda runtime), without the sockets. A handler that raises is answered with
HTTP 500, as the server answers it. This changes speed only: the calls and their answers
are the same.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from moto.core.botocore_stubber import BotocoreStubber, MockRawResponse
from moto.stepfunctions.parser.asl.utils import boto_client

from local.shims._patch import Undo, replace_attr, replace_function, undo_all

POOL_CONNECTIONS = 128
_LOG = logging.getLogger(__name__)


def install() -> Undo:
    """Cache the executor's boto3 clients and answer their calls in-process."""
    original = boto_client.boto_client_for
    cache: dict[tuple[str, str], Any] = {}
    lock = threading.Lock()

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        key = (region, service)
        with lock:
            if key not in cache:
                client = original(region=region, service=service, state_credentials=state_credentials)
                host = f"{client.meta.service_model.endpoint_prefix}.{region}.amazonaws.com"
                client.meta.events.register("before-send", functools.partial(_answer_in_process, host=host),
                                            unique_id="local-in-process")
                cache[key] = client
            return cache[key]

    return undo_all([
        # moto builds its client Config in that module; a bigger pool serves many executions at once.
        replace_attr(boto_client, "Config", functools.partial(Config, max_pool_connections=POOL_CONNECTIONS)),
        replace_function(original, boto_client_for, package="moto.stepfunctions.parser"),
    ])


_DISPATCHER = BotocoreStubber()


def _answer_in_process(request: AWSPreparedRequest, host: str, **_: Any) -> AWSResponse | None:
    """moto's answer to ``request`` (sent to the embedded server), computed in this thread.

    moto matches requests by their AWS hostname, so the server's address is swapped for
    ``host``. None (nothing matched) lets the request go to the server over HTTP.
    """
    parts = urlsplit(request.url)
    aws_request = AWSPreparedRequest(method=request.method, url=urlunsplit(("https", host, *parts[2:])),
                                     headers=request.headers, body=request.body, stream_output=False)
    try:
        answer = _DISPATCHER.process_request(aws_request)
    except Exception:  # noqa: BLE001 - the server answers a handler's crash with 500, so must this path
        _LOG.exception("moto failed to answer %s %s", request.method, aws_request.url)
        answer = (500, {}, b"")
    if answer is None:
        return None
    status, headers, body = answer
    return AWSResponse(request.url, status, headers, MockRawResponse(body))
