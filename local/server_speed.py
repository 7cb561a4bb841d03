"""Request-handling speed-ups for the embedded server (no change to what any request answers).

Profiled on a local run (20 executions on 2 shared cores), moto's server spent most of its
time outside the services: the dispatcher lists moto's package directory (~150 ``isdir``
calls) on every request while holding a global lock, and the HTTP/1.0 request handler makes
every call open a new TCP connection. This module caches the directory listing (it cannot
change while the process runs) and answers with HTTP/1.1 keep-alive.

moto's executor also parses the state machine's definition with ANTLR (pure Python, about
0.1-0.5 s of CPU for a 30-state machine) at every StartExecution, then builds the evaluation
components from the syntax tree (about 40 ms for the semaphore machine), so starting 100
executions kept both cores busy for seconds while the running executions starved. Both are
done once per definition and the components are shared by its executions: they keep no
per-execution state (that lives in each execution's ``Environment``: its stack, heap and
frames; moto's own Map iterations already evaluate one component from many threads at
once). Their one lazily-set attribute, ``heap_key``, is set before the first execution, so
two executions cannot race to give a component two keys. (Per-execution deep copies cost
38 ms each and were 37 % of the CPU of a 100-execution start storm; unpickled copies still
28 %.) The JSONPath expressions the executor evaluates are parsed once per path.

:func:`warm_up` loads, before the first execution, what the first service calls would
otherwise load while a hundred executions wait on them: the botocore models the shims read
and the executor's boto3 clients. Loaded lazily, the first refused conditional write of a
start storm held every other execution for about 6 s while its thread parsed the DynamoDB
model on a CPU shared with them.
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import Any

from moto import backends
from moto.moto_server.werkzeug_app import MotoRequestHandler
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.component import Component
from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor
from moto.stepfunctions.parser.asl.utils import json_path

from local.shims._models import service_model
from local.shims._patch import Undo, replace_attr, undo_all

# What the semaphore stack's executions call: DynamoDB, Step Functions (callbacks,
# DescribeExecution), Lambda.
WARM_SERVICES = ("dynamodb", "stepfunctions", "lambda")

# Seconds a thread may run before the interpreter hands its lock to another (Python's default
# is 0.005). A DynamoDB request holds the request lock (dynamodb_atomic) for a few ms of CPU;
# with 100 executions runnable, each forced switch made it wait for a turn, so requests held
# the lock 10-300 ms and a 100-execution start storm queued them for 1-1.5 s. At 0.02 a request
# mostly finishes in one turn. Worst wait / ideal delay of the semaphore benchmark's runs of
# ours (seeds 1-3): 9 runs at 0.005 gave 1.6-2.1, one with 14 executions over 2x; 30 runs at
# 0.02 gave 1.2-1.6 in 27 and 2.3-2.5 (one execution over 2x) in 3.
SWITCH_INTERVAL = 0.02


def install() -> Undo:
    """Cache moto's module list, parsed definitions and JSONPaths; keep HTTP connections alive;
    lengthen the interpreter's thread switch interval while the server runs."""
    modules = tuple(backends.list_of_moto_modules())
    return undo_all([
        _switch_interval(SWITCH_INTERVAL),
        replace_attr(AmazonStateLanguageParser, "parse", staticmethod(_cached_parse())),
        # Parsed paths are only read by find/update_or_create: safe to share between threads.
        replace_attr(json_path, "parse", functools.lru_cache(maxsize=1024)(json_path.parse)),  # type: ignore[attr-defined]
        replace_attr(result_path, "parse", functools.lru_cache(maxsize=1024)(result_path.parse)),  # type: ignore[attr-defined]
        replace_attr(backends, "list_of_moto_modules", functools.partial(iter, modules)),
        replace_attr(MotoRequestHandler, "protocol_version", "HTTP/1.1"),
    ])


def _switch_interval(seconds: float) -> Undo:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    return lambda: sys.setswitchinterval(previous)


def _cached_parse() -> Any:
    original = AmazonStateLanguageParser.parse
    parsed: dict[str, tuple[Any, Any]] = {}
    lock = threading.Lock()

    def parse(definition: str) -> tuple[Any, Any]:
        # One lock for parsing too: 100 executions started at once must not all parse the
        # same definition before the first has cached it.
        with lock:
            entry = parsed.get(definition)
            if entry is None:
                _, tree = original(definition)  # raises on a syntax error, as before
                program = Preprocessor().visit(tree)
                _settle_heap_keys(program)
                entry = parsed[definition] = (program, tree)
        return entry

    return parse


def _settle_heap_keys(root: Any) -> None:
    """Set the lazily made ``heap_key`` of every evaluation component reachable from ``root``."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, EvalComponent):
            _ = node.heap_key
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            pending.extend(node)
        elif isinstance(node, Component):
            pending.extend(vars(node).values())


def warm_up(region: str, services: tuple[str, ...] = WARM_SERVICES) -> None:
    """Load the shims' botocore models and the executor's clients for ``services`` now."""
    from moto.stepfunctions.parser.asl.utils import boto_client

    for service in services:
        service_model(service)
        boto_client.boto_client_for(region=region, service=service)
