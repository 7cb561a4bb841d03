"""One boto3 client per service for moto's executor, instead of a new client per Task attempt.

moto's `boto_client_for` builds a fresh boto3 client for every service call a Task makes;
building one costs tens of milliseconds of CPU, which on a shared 2-core machine dominated
a local run (a DynamoDB call took 0.3-4 s with 20 executions running). Clients are
thread-safe for API calls, so the executor's clients are cached per (region, service), with
a connection pool sized for many concurrent executions. This changes speed only: the calls
and their answers are the same.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from botocore.config import Config  # type: ignore[import-untyped]
from moto.stepfunctions.parser.asl.utils import boto_client

from local.shims._patch import Undo, replace_attr, replace_function, undo_all

POOL_CONNECTIONS = 128


def install() -> Undo:
    """Cache the executor's boto3 clients."""
    original = boto_client.boto_client_for
    cache: dict[tuple[str, str], Any] = {}
    lock = threading.Lock()

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        key = (region, service)
        with lock:
            if key not in cache:
                cache[key] = original(region=region, service=service, state_credentials=state_credentials)
            return cache[key]

    return undo_all([
        # moto builds its client Config in that module; a bigger pool serves many executions at once.
        replace_attr(boto_client, "Config", functools.partial(Config, max_pool_connections=POOL_CONNECTIONS)),
        replace_function(original, boto_client_for, package="moto.stepfunctions.parser"),
    ])
