"""Executions that are being started, seen by another request.

AWS: an execution is RUNNING from the moment StartExecution returns; a concurrent
SendTaskSuccess, SendTaskFailure or heartbeat never fails because another execution is starting.
moto 5.2.5: `start_execution` appends the new `Execution` to its machine's list before
`Execution.start()` sets its status and worker; `StepFunctionsParserBackend._get_executions`
then reads `execution.status` (`exec_status.value` of None) and the concurrent request fails
with HTTP 500 (`'NoneType' object has no attribute 'value'`). Measured: in a 100-execution
run a releaser's SendTaskSuccess failed that way, its waiter was never woken and waited out
its 300 s park.
Shim: the task-token and map-run lookups skip an execution that has no worker yet (it cannot
hold a token); every other execution is listed as before.
"""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from local.shims._patch import Undo, replace_attr


def install() -> Undo:
    """Leave not-yet-started executions out of the backend's execution scans."""
    def get_executions(self: Any, execution_status: Any = None) -> list[Any]:
        started = [execution for machine in self.state_machines for execution in machine.executions
                   if execution.exec_worker is not None and execution.exec_status is not None]
        if execution_status is None:
            return started
        return [execution for execution in started if execution.status == execution_status]

    return replace_attr(StepFunctionsParserBackend, "_get_executions", get_executions)
