"""A compressed clock for the local engine: ASL waits and retry intervals scaled by a factor.

Correctness properties of a workflow (never more than the limit, no leaked slot) must hold
under any timing, so tests may run the same ASL with its Wait states and Retry intervals
shortened (``scale`` < 1) to finish in seconds. Timing measurements (makespan, utilization)
are only meaningful at scale 1, which is the default and what ``deploy.py --local`` uses.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)

from local.shims._patch import Undo, replace_attr

_scale = 1.0
_lock = threading.Lock()


def scale() -> float:
    """The factor applied to ASL Wait seconds and Retry intervals (1.0 = real time)."""
    return _scale


def wait_while_running(env: Any, seconds: float) -> None:
    """Wait ``seconds`` (scaled) or until the execution stops running, whichever is first."""
    deadline = time.monotonic() + seconds * _scale
    while env.is_running():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        env.program_state_event.wait(remaining)


def install(factor: float) -> Undo:
    """Run ASL Wait states on the scaled clock (Retry intervals: see local.shims.interruptible_retry)."""
    global _scale
    if not factor > 0:
        raise ValueError(f"time scale {factor}: expected a number > 0")
    with _lock:
        previous, _scale = _scale, float(factor)

    def wait_interval(self: Any, env: Any, wait_seconds: float) -> None:
        wait_while_running(env, wait_seconds)

    undo_patch = replace_attr(WaitFunction, "_wait_interval", wait_interval)

    def undo() -> None:
        global _scale
        undo_patch()
        with _lock:
            _scale = previous

    return undo
