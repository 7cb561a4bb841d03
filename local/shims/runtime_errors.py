"""`States.Runtime`: never retried, never caught.

AWS: "A States.Runtime error isn't retriable, and will always cause the execution to fail.
A retry or catch on States.ALL won't catch States.Runtime errors"; `States.ALL` does not
catch `States.DataLimitExceeded` either. A path that selects nothing (in Parameters,
ResultSelector, ...) is a `States.Runtime` error.
moto 5.2.5: `ErrorEqualsDecl` lets `States.ALL` match every error, so a failed
ResultSelector is retried and caught; and inside a DynamoDB task every non-API error
(including a path that selects nothing) is renamed `DynamoDB.AmazonDynamoDBException`.
Shim: no Retrier or Catcher matches `States.Runtime`; `States.ALL` skips
`States.DataLimitExceeded`; DynamoDB tasks report path errors as `States.Runtime`.
"""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl import (
    ErrorEqualsDecl,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.state.exec.execute_state import (
    ExecutionState,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb import (
    StateTaskServiceDynamoDB,
)
from moto.stepfunctions.parser.asl.utils.json_path import NoSuchJsonPathError

from local.shims._patch import Undo, replace_attr, undo_all

RUNTIME = "States.Runtime"
DATA_LIMIT = "States.DataLimitExceeded"
ALL = "States.ALL"


def matches(error: str, error_equals: list[str]) -> bool:
    """Whether a Retrier/Catcher with ``error_equals`` handles ``error``, as AWS decides."""
    if error == RUNTIME:
        return False
    if ALL in error_equals:
        return error != DATA_LIMIT
    return error in error_equals


def install() -> Undo:
    """Make States.Runtime terminal and keep path errors in DynamoDB tasks States.Runtime."""
    original_error_equals = ErrorEqualsDecl._eval_body

    def error_equals_body(self: Any, env: Any) -> None:
        error = env.stack[-1]
        original_error_equals(self, env)
        if env.stack[-1] and not matches(error.error_name, [name.error_name for name in self.error_names]):
            env.stack[-1] = False

    original_dynamodb_from_error = StateTaskServiceDynamoDB._from_error

    def dynamodb_from_error(self: Any, env: Any, ex: Exception) -> Any:
        if isinstance(ex, (FailureEventException, NoSuchJsonPathError)):
            return ExecutionState._from_error(self, env, ex)
        return original_dynamodb_from_error(self, env, ex)

    return undo_all([
        replace_attr(ErrorEqualsDecl, "_eval_body", error_equals_body),
        replace_attr(StateTaskServiceDynamoDB, "_from_error", dynamodb_from_error),
    ])
