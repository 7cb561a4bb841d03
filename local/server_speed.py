"""Request-handling speed-ups for the embedded server (no change to what any request answers).

Profiled on a local run (20 executions on 2 shared cores), moto's server spent most of its
time outside the services: the dispatcher lists moto's package directory (~150 ``isdir``
calls) on every request while holding a global lock, and the HTTP/1.0 request handler makes
every call open a new TCP connection. This module caches the directory listing (it cannot
change while the process runs) and answers with HTTP/1.1 keep-alive.

moto's executor also parses the state machine's definition with ANTLR (pure Python, about
0.1-0.5 s of CPU for a 30-state machine) at every StartExecution, so starting 100 executions
kept both cores busy for half a minute. The syntax tree of a definition is cached; each
execution still gets fresh evaluation components built from it.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto import backends
from moto.moto_server.werkzeug_app import MotoRequestHandler
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

from local.shims._patch import Undo, replace_attr, undo_all


def install() -> Undo:
    """Cache moto's module list and parsed definitions; keep HTTP connections alive."""
    modules = tuple(backends.list_of_moto_modules())
    return undo_all([
        replace_attr(AmazonStateLanguageParser, "parse", staticmethod(_cached_parse())),
        replace_attr(backends, "list_of_moto_modules", functools.partial(iter, modules)),
        replace_attr(MotoRequestHandler, "protocol_version", "HTTP/1.1"),
    ])


def _cached_parse() -> Any:
    original = AmazonStateLanguageParser.parse
    trees: dict[str, Any] = {}
    lock = threading.Lock()

    def parse(definition: str) -> tuple[Any, Any]:
        with lock:
            tree = trees.get(definition)
        if tree is None:
            _, tree = original(definition)  # raises on a syntax error, as before
            with lock:
                trees[definition] = tree
        # Evaluation components hold per-execution state: built fresh every time.
        return Preprocessor().visit(tree), tree

    return parse
