"""Step Functions optimized integration: ``states:startExecution`` (async, .sync, .sync:2)."""

from __future__ import annotations

from typing import Any, Literal

from dsl.states import Task

_SUFFIX = {"async": "", "sync": ".sync", "sync:2": ".sync:2"}


def start_execution(name: str, *, state_machine: str, input: Any = None,
                    execution_name: Any = None,
                    mode: Literal["async", "sync", "sync:2"] = "async", **state: Any) -> Task:
    """Start an execution of ``state_machine``; ``mode="sync:2"`` waits and returns JSON output."""
    parameters: dict[str, Any] = {"StateMachineArn": state_machine}
    if input is not None:
        parameters["Input"] = input
    if execution_name is not None:
        parameters["Name"] = execution_name
    resource = "arn:aws:states:::states:startExecution" + _SUFFIX[mode]
    return Task(name, resource=resource, parameters=parameters, **state)
