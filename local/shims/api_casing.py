"""Parameter and result casing of `states:startExecution` and `aws-sdk:*` tasks.

AWS: a Task's `Parameters` use the PascalCase member names (`StateMachineArn`, `Input`,
`TaskToken`, `Output`) even where the service API is camelCase, and the result comes back
PascalCase (`ExecutionArn`, `StartDate`).
moto 5.2.5: `StateTaskService._normalise_parameters/_normalise_response` are empty, so boto3
receives `Input=` and fails inside its serializer (`States.Runtime`, cause `'Input'`), and the
`.sync` resolvers look up `ExecutionArn` in a camelCase response. Timestamps in results
(`StartDate`, `StopDate`) stay Python datetimes, which AWS writes as epoch milliseconds and
which make DescribeExecution of the calling execution fail with HTTP 500.
Shim: map names through the botocore service model, using moto's own shape walkers
(`_to_boto_request`, `_from_boto_response`), for the Step Functions and AWS SDK services,
and write timestamps as epoch milliseconds.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from botocore import xform_name  # type: ignore[import-untyped]
from botocore.model import OperationModel  # type: ignore[import-untyped]
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)

from local.shims._models import service_model
from local.shims._patch import Undo, replace_attr, undo_all


@functools.lru_cache(maxsize=64)
def _operation(service: str, snake_action: str) -> OperationModel:
    model = service_model(service)
    for name in model.operation_names:
        if xform_name(name) == snake_action:
            return model.operation_model(name)
    raise KeyError(f"{service} has no operation {snake_action}")


def _operation_of(task: Any, boto_service_name: str | None, service_action_name: str | None) -> OperationModel:
    return _operation(
        task._get_boto_service_name(boto_service_name),
        task._get_boto_service_action(service_action_name),
    )


def _to_boto(task: Any, parameters: dict[str, Any], boto_service_name: str | None,
             service_action_name: str | None) -> None:
    task._to_boto_request(parameters, _operation_of(task, boto_service_name, service_action_name).input_shape)


def _epoch_millis(value: Any) -> Any:
    """``value`` with every datetime inside replaced by epoch milliseconds (changed in place)."""
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        for key, inner in value.items():
            value[key] = _epoch_millis(inner)
    elif isinstance(value, list):
        value[:] = [_epoch_millis(inner) for inner in value]
    return value


def _normalise_response(self: Any, response: Any, boto_service_name: str | None = None,
                        service_action_name: str | None = None) -> None:
    self._from_boto_response(response, _operation_of(self, boto_service_name, service_action_name).output_shape)
    _epoch_millis(response)


def _aws_sdk_normalise_parameters(self: Any, parameters: dict[str, Any], boto_service_name: str | None = None,
                                  service_action_name: str | None = None) -> None:
    _to_boto(self, parameters, boto_service_name, service_action_name)


def install() -> Undo:
    """Map Task parameter/result names to and from the botocore shapes."""
    sfn_original = StateTaskServiceSfn.__dict__["_normalise_parameters"]

    def sfn_normalise_parameters(self: Any, parameters: dict[str, Any], boto_service_name: str | None = None,
                                 service_action_name: str | None = None) -> None:
        # moto's own step (Input serialised to a JSON string) first, then the casing.
        sfn_original(self, parameters, boto_service_name, service_action_name)
        _to_boto(self, parameters, boto_service_name, service_action_name)

    return undo_all([
        replace_attr(StateTaskServiceSfn, "_normalise_parameters", sfn_normalise_parameters),
        replace_attr(StateTaskServiceSfn, "_normalise_response", _normalise_response),
        replace_attr(StateTaskServiceAwsSdk, "_normalise_parameters", _aws_sdk_normalise_parameters),
        replace_attr(StateTaskServiceAwsSdk, "_normalise_response", _normalise_response),
    ])
