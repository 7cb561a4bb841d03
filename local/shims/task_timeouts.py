"""A Task's TimeoutSeconds and HeartbeatSeconds reported as `States.Timeout` / `States.HeartbeatTimeout`.

AWS: a Task that outlives `TimeoutSeconds` fails with `States.Timeout`, one whose heartbeat
does not arrive within `HeartbeatSeconds` with `States.HeartbeatTimeout`, whatever the service.
moto 5.2.6: the executor raises its timeout inside the Task and converts it with the Task's
`_from_error`; the DynamoDB, SQS, EventBridge, Step Functions, Lambda, API Gateway and Glue
integrations override it and report any non-service exception as their own error (a
DynamoDB Task that times out fails with `DynamoDB.AmazonDynamoDBException`), and a missed
heartbeat is reported as `States.Timeout`.
Shim: every `_from_error` of moto's Task integrations answers a timeout first, as AWS names it.
"""

from __future__ import annotations

import sys
from typing import Any, cast

from moto.stepfunctions.parser.api import HistoryEventType, TaskTimedOutEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import (
    StateTask,
)
from moto.stepfunctions.parser.asl.eval.callback.callback import HeartbeatTimeoutError
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

from local.shims._patch import Undo, _import_package, replace_attr, undo_all

_PACKAGE = "moto.stepfunctions.parser.asl.component.state.exec.state_task"


def _heartbeat_failure(env: Any) -> FailureEvent:
    name = StatesErrorNameType.StatesHeartbeatTimeout
    return FailureEvent(
        env=env, error_name=StatesErrorName(typ=name), event_type=HistoryEventType.TaskTimedOut,
        event_details=cast(Any, EventDetails)(taskTimedOutEventDetails=TaskTimedOutEventDetails(error=name.to_name())),
    )


def _answering_timeouts(original: Any) -> Any:
    def from_error(self: Any, env: Any, ex: Exception) -> Any:
        if isinstance(ex, HeartbeatTimeoutError):
            return _heartbeat_failure(env)
        if isinstance(ex, TimeoutError):
            return self._get_timed_out_failure_event(env)
        return original(self, env, ex)

    return from_error


def install() -> Undo:
    """Report Task timeouts as AWS does, in every integration."""
    _import_package(_PACKAGE)
    undos = []
    classes = [value for name, module in list(sys.modules.items()) if name.startswith(_PACKAGE)
               for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, StateTask) and value.__module__ == name]
    for cls in {id(c): c for c in classes}.values():
        if "_from_error" in cls.__dict__:
            undos.append(replace_attr(cls, "_from_error", _answering_timeouts(cls.__dict__["_from_error"])))
    return undo_all(undos)
