"""Retried `.sync` and `.waitForTaskToken` tasks.

AWS: every attempt of a Task is a new task with its own token; a retry waits for its own
child execution (`.sync`) or its own `SendTaskSuccess` (`.waitForTaskToken`).
moto 5.2.5: the token and its callback endpoint are made once per state entry
(`StateTaskServiceCallback._eval_body`) and the first attempt's `interrupt_all()` leaves
the endpoint signalled, so every retry ends at once as `States.Timeout` (`TaskTimedOut`).
Shim: an attempt that finds its endpoint spent gets a fresh token and endpoint first.
"""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import (
    ResourceCondition,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
    StateTaskServiceCallback,
)

from local.shims._patch import Undo, replace_attr


def _endpoint_spent(env: Any) -> bool:
    task = env.states.context_object.context_object_data.get("Task")
    if task is None:
        return False
    endpoint = env.callback_pool_manager.get(task["Token"])
    return endpoint is not None and endpoint._notify_event.is_set()


def install() -> Undo:
    """Give every attempt of a callback-capable task its own token."""

    def eval_execution(self: Any, env: Any) -> None:
        if (
            self._is_integration_pattern()
            and ResourceCondition.WaitForTaskToken in self._supported_integration_patterns
            and _endpoint_spent(env)
        ):
            token = env.states.context_object.update_task_token()
            env.callback_pool_manager.add(token)
        # Looked up at call time, so patches of the base class installed later still apply.
        super(StateTaskServiceCallback, self)._eval_execution(env)

    return replace_attr(StateTaskServiceCallback, "_eval_execution", eval_execution)
