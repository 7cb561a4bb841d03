"""Retry intervals that a StopExecution interrupts.

AWS: StopExecution ends an execution at once, also while a state waits between retries.
moto 5.2.5: `RetrierDecl._eval_body` waits with `time.sleep(interval)`, so an execution
stopped during a retry interval (the original semaphore spends up to 63 s there while
waiting for a slot) stays RUNNING until the interval is over.
Shim: the retrier waits on the execution's state event instead (woken by a stop), for the
interval on :mod:`local.clock`'s clock.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import moto.stepfunctions.parser.asl.component.common.retry.retrier_decl as retrier_module
from moto.stepfunctions.parser.asl.component.common.retry.retrier_decl import (
    RetrierDecl,
)

from local import clock
from local.shims._patch import Undo, replace_attr, undo_all

_current = threading.local()


class _RetryClock:
    """Stands in for the `time` module inside moto's retrier: `sleep` waits on the execution."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        env = getattr(_current, "env", None)
        if env is None:
            time.sleep(seconds * clock.scale())
        else:
            clock.wait_while_running(env, seconds)


def install() -> Undo:
    """Make retry intervals interruptible by StopExecution."""
    original = RetrierDecl._eval_body

    def eval_body(self: Any, env: Any) -> None:
        _current.env = env
        try:
            original(self, env)
        finally:
            _current.env = None

    return undo_all([
        replace_attr(retrier_module, "time", _RetryClock()),
        replace_attr(RetrierDecl, "_eval_body", eval_body),
    ])
