"""Function errors without an error type (timeouts, crashes) in `lambda:invoke` tasks.

AWS: "Unhandled errors in Lambda are reported as Lambda.Unknown in the error output. These
include out-of-memory errors and function timeouts" — the function error's payload then
has no `errorType`.
moto 5.2.5: `StateTaskServiceLambda._from_error` names such an error `Exception`.
Shim: a function error whose payload has no `errorType` is `Lambda.Unknown`.
"""

from __future__ import annotations

import json
from typing import Any, cast

from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (
    CustomErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task import (
    lambda_eval_utils,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_lambda import (
    StateTaskServiceLambda,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

from local.shims._patch import Undo, replace_attr

UNKNOWN = "Lambda.Unknown"


def _has_error_type(payload: str) -> bool:
    try:
        document = json.loads(payload)
    except ValueError:
        return False
    return isinstance(document, dict) and isinstance(document.get("errorType"), str)


def install() -> Undo:
    """Name untyped function errors `Lambda.Unknown`."""
    original = StateTaskServiceLambda._from_error

    def from_error(self: Any, env: Any, ex: Exception) -> Any:
        event = original(self, env, ex)
        if not isinstance(ex, lambda_eval_utils.LambdaFunctionErrorException) or _has_error_type(ex.payload):
            return event
        details = dict(cast(Any, event.event_details)["taskFailedEventDetails"], error=UNKNOWN)
        return FailureEvent(env=env, error_name=CustomErrorName(UNKNOWN), event_type=event.event_type,
                            event_details=cast(Any, EventDetails)(taskFailedEventDetails=details))

    return replace_attr(StateTaskServiceLambda, "_from_error", from_error)
