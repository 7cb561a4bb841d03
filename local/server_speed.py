"""Request-handling speed-ups for the embedded server (no change to what any request answers).

Profiled on a local run (20 executions on 2 shared cores), moto's server spent most of its
time outside the services: the dispatcher lists moto's package directory (~150 ``isdir``
calls) on every request while holding a global lock, and the HTTP/1.0 request handler makes
every call open a new TCP connection. This module caches the directory listing (it cannot
change while the process runs) and answers with HTTP/1.1 keep-alive.
"""

from __future__ import annotations

import functools

from moto import backends
from moto.moto_server.werkzeug_app import MotoRequestHandler

from local.shims._patch import Undo, replace_attr, undo_all


def install() -> Undo:
    """Cache moto's module list and keep HTTP connections alive."""
    modules = tuple(backends.list_of_moto_modules())
    return undo_all([
        replace_attr(backends, "list_of_moto_modules", functools.partial(iter, modules)),
        replace_attr(MotoRequestHandler, "protocol_version", "HTTP/1.1"),
    ])
