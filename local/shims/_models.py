"""botocore service models for the shims: loaded once per service, under a lock.

``botocore.session.get_session()`` builds a new session (and a new loader with an empty
cache) per call, and ``functools.lru_cache`` does not lock: a hundred executions whose first
call arrives together would each list botocore's data folder and parse the model, which on a
2-core machine stalled the executor for tens of seconds.
"""

from __future__ import annotations

import threading

import botocore.session  # type: ignore[import-untyped]
from botocore.model import ServiceModel  # type: ignore[import-untyped]

_lock = threading.Lock()
_session = botocore.session.get_session()
_models: dict[str, ServiceModel] = {}


def service_model(service: str) -> ServiceModel:
    """The botocore model of ``service`` (e.g. ``"dynamodb"``), shared by every caller."""
    with _lock:
        if service not in _models:
            _models[service] = _session.get_service_model(service)
        return _models[service]
