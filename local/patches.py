"""Every patch the local engine applies to moto, in one registry, in the order it is installed.

Two kinds go through the same ``install() -> Undo`` protocol:

- ``fidelity``: a shim in :mod:`local.shims` closing a measured gap between moto and AWS;
- ``engine``: speed, clock and plumbing changes that do not change what any request answers.

The order is data: a patch names the patches it must follow (``after``), and
:func:`patches` refuses an order that breaks one. Per-run instruments (the in-process Lambda
runtime, the DynamoDB gateway, the EventBridge emulator) are objects of the running server
and install after these (:func:`local.server.local_server`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from dsl.errors import CodedError
from local import callcontext, client_cache, clock, server_speed
from local.shims import (
    api_casing,
    context_timestamps,
    definite_paths,
    dynamodb_atomic,
    dynamodb_error_names,
    dynamodb_return_values,
    execution_names,
    inline_map_concurrency,
    interruptible_retry,
    jsonata_errors,
    jsonata_python,
    lambda_unknown_error,
    redrive,
    runtime_errors,
    starting_executions,
    stop_interrupts_tasks,
    stop_wins,
    string_output,
    task_timeouts,
    task_token_per_attempt,
)
from local.shims._patch import Undo

PatchKind = Literal["fidelity", "engine"]


class PatchOrderError(CodedError):
    """A patch is installed before one it must follow (code ``LOCAL-PATCH-ORDER``)."""

    code = "LOCAL-PATCH-ORDER"
    code_in_text = True


@dataclass(frozen=True)
class Patch:
    """One named, reversible change to moto."""

    name: str
    kind: PatchKind
    install: Callable[[], Undo]
    after: tuple[str, ...] = ()
    """Patches that must be installed first (they patch the same method or response)."""
    before_start: bool = False
    """Installed before the server starts (it changes how the server is built)."""


def _fidelity(module: ModuleType, *after: str) -> Patch:
    return Patch(module.__name__.rsplit(".", 1)[1], "fidelity", module.install, tuple(after))


FIDELITY: tuple[Patch, ...] = (
    _fidelity(dynamodb_atomic),
    _fidelity(execution_names),
    _fidelity(api_casing),
    _fidelity(task_token_per_attempt),
    _fidelity(context_timestamps),
    _fidelity(dynamodb_error_names),
    _fidelity(dynamodb_return_values, "dynamodb_atomic"),
    _fidelity(runtime_errors),
    _fidelity(definite_paths),
    _fidelity(jsonata_python),
    _fidelity(interruptible_retry),
    _fidelity(inline_map_concurrency),
    _fidelity(lambda_unknown_error),
    _fidelity(string_output),
    _fidelity(stop_wins),
    _fidelity(stop_interrupts_tasks),
    # Both wrap what an earlier shim replaced: the same ExecutionWorker method, the same response.
    _fidelity(redrive, "context_timestamps", "string_output"),
    _fidelity(jsonata_errors, "jsonata_python"),
    _fidelity(starting_executions),
    # Wraps the _from_error methods those two replaced.
    _fidelity(task_timeouts, "lambda_unknown_error", "runtime_errors"),
)
"""The fidelity shims, in install order."""


def patches(*, time_scale: float = 1.0, fidelity: Sequence[Patch] = FIDELITY) -> tuple[Patch, ...]:
    """Every patch of one server run, in install order (``fidelity=()`` for a bare moto)."""
    ordered = (
        Patch("server_speed", "engine", server_speed.install, before_start=True),
        Patch("clock", "engine", functools.partial(clock.install, time_scale)),
        *fidelity,
        Patch("client_cache", "engine", client_cache.install),
        Patch("callcontext", "engine", callcontext.install, after=("client_cache",)),
    )
    check_order(ordered)
    return ordered


def check_order(ordered: Sequence[Patch]) -> None:
    """Raise :class:`PatchOrderError` if a patch comes before one it names in ``after``."""
    position = {patch.name: index for index, patch in enumerate(ordered)}
    for index, patch in enumerate(ordered):
        for name in patch.after:
            if name in position and position[name] > index:
                raise PatchOrderError(f"patch {patch.name!r} is installed before {name!r}, which it must follow")
