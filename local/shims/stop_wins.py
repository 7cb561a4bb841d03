"""A stopped execution ends ABORTED, whatever its current state does next.

AWS: StopExecution ends the execution as ABORTED at once; a Task that fails afterwards,
or a Catch that can no longer run, does not turn it into FAILED.
moto 5.2.5: `StopExecution` marks the program stopped, but when the state in flight then
fails, its Catch is skipped (the program no longer runs), the error goes uncaught and
`Environment.set_error` overwrites the stopped state: measured, one of two executions
stopped while waiting for a slot ended FAILED with `DynamoDB.ConditionalCheckFailedException`.
Shim: `set_error` and `set_timed_out` leave a stopped program stopped.
"""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped

from local.shims._patch import Undo, replace_attr, undo_all


def _unless_stopped(original: Any) -> Any:
    def guarded(self: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(self._program_state, ProgramStopped):
            return
        original(self, *args, **kwargs)

    return guarded


def install() -> Undo:
    """Keep StopExecution's ABORTED final."""
    return undo_all([
        replace_attr(Environment, "set_error", _unless_stopped(Environment.set_error)),
        replace_attr(Environment, "set_timed_out", _unless_stopped(Environment.set_timed_out)),
    ])
