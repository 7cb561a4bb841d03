"""A compressed clock for the local engine: ASL waits and retry intervals scaled by a factor.

Correctness properties of a workflow (never more than the limit, no leaked slot) must hold
under any timing, so tests may run the same ASL with its Wait states and Retry intervals
shortened (``scale`` < 1) to finish in seconds. Timing measurements (makespan, utilization)
are only meaningful at scale 1, which is the default and what ``deploy.py --local`` uses.
"""

from __future__ import annotations

import datetime
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
    """Wait ``seconds`` (scaled) or until the execution stops running, whichever is first.

    Under :func:`virtual_time` nothing waits: the virtual clock moves on by ``seconds``.
    """
    virtual = _virtual
    if virtual is not None:
        virtual.advance(seconds)
        return
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


class VirtualClock:
    """Execution time that Waits and retry intervals move forward instead of sleeping.

    ``now()`` is the real time plus every second skipped so far, so timestamps still
    increase between two waits. Waits in concurrent Map iterations or Parallel branches add
    up (the clock is one line, not one per branch).
    """

    def __init__(self) -> None:
        self._skipped = 0.0
        self._lock = threading.Lock()

    def advance(self, seconds: float) -> None:
        """Move the clock on by ``seconds`` without waiting."""
        with self._lock:
            self._skipped += max(0.0, float(seconds))

    @property
    def skipped(self) -> float:
        """Seconds skipped so far."""
        return self._skipped

    def now(self, tz: datetime.tzinfo | None = None) -> datetime.datetime:
        """The virtual current time (as ``datetime.datetime.now(tz)``)."""
        return datetime.datetime.now(tz) + datetime.timedelta(seconds=self._skipped)


class _VirtualDatetimeModule:
    """Stands in for the ``datetime`` module where moto's executor stamps states and events."""

    def __init__(self, clock: VirtualClock) -> None:
        clock_now = clock.now

        class _Datetime(datetime.datetime):
            @classmethod
            def now(cls, tz: datetime.tzinfo | None = None) -> Any:
                return clock_now(tz)

        self.datetime = _Datetime

    def __getattr__(self, name: str) -> Any:
        return getattr(datetime, name)


_virtual: VirtualClock | None = None

# Where moto 5.2.6 reads the time it writes into $$.State.EnteredTime, history events, an
# execution's start and stop dates, and the time a Wait's Timestamp is measured from.
_STAMPING_MODULES = (
    "moto.stepfunctions.parser.asl.component.state.state",
    "moto.stepfunctions.parser.asl.eval.event.event_manager",
    "moto.stepfunctions.parser.backend.execution",
    "moto.stepfunctions.parser.models",
    "moto.stepfunctions.parser.asl.component.state.wait.wait_function.timestamp",
)


def install_virtual_time(clock: VirtualClock) -> Undo:
    """Run Waits and retry intervals on ``clock`` (no sleeping) and stamp the executor's times with it."""
    import importlib

    global _virtual
    with _lock:
        if _virtual is not None:
            raise RuntimeError("a virtual clock is already installed")
        _virtual = clock
    stand_in = _VirtualDatetimeModule(clock)
    undos = [replace_attr(importlib.import_module(name), "datetime", stand_in) for name in _STAMPING_MODULES]

    def undo() -> None:
        global _virtual
        for step in reversed(undos):
            step()
        with _lock:
            _virtual = None

    return undo
