"""StopExecution while a Task runs.

AWS: StopExecution ends the execution ABORTED at once, even while a Task (a Lambda
invocation, a `.sync` child) is running; the Lambda itself runs on. A cleanup triggered by
the ABORTED event can therefore run while the stopped execution's worker still works.
moto 5.2.5: the state waits for its Task attempt with `threading.Event().wait(TimeoutSeconds)`
in `ExecutionState._evaluate_with_timeout`, which a stop does not wake: the execution stays
RUNNING until the Task returns (measured: stopped 0.3 s into a 4 s Lambda, ABORTED only
after the Lambda ended, so the hazard above could never show locally).
Shim: that wait also ends when the execution is stopped; the Task attempt is abandoned
(its thread, and the Lambda, run on) without the spurious `TaskTimedOut` event moto would
record. Known difference: the abandoned attempt may still append its own TaskSucceeded or
TaskFailed event to the history after ExecutionAborted (moto does the same for TimeoutSeconds).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import moto.stepfunctions.parser.asl.component.state.exec.execute_state as execute_state_module
from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import (
    EvalTimeoutError,
)
from moto.stepfunctions.parser.asl.component.state.exec.execute_state import (
    ExecutionState,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager

from local.shims._patch import Undo, replace_attr, undo_all

_current = threading.local()
_waiting: weakref.WeakKeyDictionary[Any, set[_StopAwareEvent]] = weakref.WeakKeyDictionary()
_waiting_lock = threading.Lock()


class _StopAwareEvent(threading.Event):
    """An Event whose wait also ends (reporting "not set") when its execution is stopped."""

    def __init__(self) -> None:
        super().__init__()
        self.stopped = False
        env = getattr(_current, "env", None)
        if env is not None:
            with _waiting_lock:
                _waiting.setdefault(env, set()).add(self)

    def stop(self) -> None:
        self.stopped = True
        self.set()

    def wait(self, timeout: float | None = None) -> bool:
        return super().wait(timeout) and not self.stopped


class _Threading:
    """Stands for `threading` inside moto's execute_state module: only `Event` differs."""

    Event = _StopAwareEvent

    def __getattr__(self, name: str) -> Any:
        return getattr(threading, name)


def install() -> Undo:
    """Let a stop end the wait for a running Task attempt."""
    original_evaluate = ExecutionState._evaluate_with_timeout
    original_set_stop = Environment.set_stop
    original_add_event = EventManager.add_event

    def evaluate_with_timeout(self: Any, env: Any) -> None:
        _current.env = env
        try:
            original_evaluate(self, env)
        except EvalTimeoutError:
            if not env.is_running():
                _current.drop_next_event = True  # the failure event moto would record for the "timeout"
            raise
        finally:
            _current.env = None

    def set_stop(self: Any, *args: Any, **kwargs: Any) -> None:
        original_set_stop(self, *args, **kwargs)
        with _waiting_lock:
            waiting = list(_waiting.pop(self, ()))
        for event in waiting:
            event.stop()

    def add_event(self: Any, *args: Any, **kwargs: Any) -> None:
        if getattr(_current, "drop_next_event", False):
            _current.drop_next_event = False
            return
        original_add_event(self, *args, **kwargs)

    return undo_all([
        replace_attr(execute_state_module, "threading", _Threading()),
        replace_attr(ExecutionState, "_evaluate_with_timeout", evaluate_with_timeout),
        replace_attr(Environment, "set_stop", set_stop),
        replace_attr(EventManager, "add_event", add_event),
    ])
