"""A JSONata expression that fails to evaluate is `States.QueryEvaluationError`.

AWS: a JSONata evaluation failure (e.g. `$error("...")` in a Task's `Arguments` or a
Choice `Condition`) is the error `States.QueryEvaluationError`, which Retry and Catch
can match (`States.ALL` included), with the expression's message in the cause.
moto 5.2.5 (with :mod:`local.shims.jsonata_python`): the evaluator's `JSONataException`
escapes the state as a plain Python exception and becomes `States.Runtime` (never
retried or caught), cause `JSONataException(('UNKNOWN', '<message>'))`.
Shim: expression components turn a `JSONataException` into a `States.QueryEvaluationError`
failure. Task, Parallel and Map states record it as an `EvaluationFailed` event (where moto
records their failure events); a failing Choice `Condition` goes straight to `ExecutionFailed`.
Known difference: the exact wording of AWS's cause is not reproduced; it names the
expression and ends with the evaluator's message.
"""

from __future__ import annotations

from typing import Any, cast

from moto.stepfunctions.parser.api import EvaluationFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.common.string.string_expression import (
    StringJSONata,
    StringVariableSample,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.jsonata.jsonata import JSONataException

from local.shims._patch import Undo, replace_attr, undo_all

QUERY_EVALUATION_ERROR = StatesErrorNameType.StatesQueryEvaluationError.to_name()


def _query_evaluation_failure(env: Any, expression: str, error: JSONataException) -> FailureEventException:
    message = error.details if error.details is not None else str(error)
    # env.next_field_name would name moto's component class here, not the ASL field.
    cause = f"The JSONata expression '{expression}' threw an error during evaluation: {message}"
    return FailureEventException(failure_event=FailureEvent(
        env=env,
        error_name=StatesErrorName(typ=StatesErrorNameType.StatesQueryEvaluationError),
        event_type=HistoryEventType.EvaluationFailed,
        event_details=cast(Any, EventDetails)(evaluationFailedEventDetails=EvaluationFailedEventDetails(
            error=QUERY_EVALUATION_ERROR, cause=cause)),
    ))


def _naming_evaluation_errors(original: Any) -> Any:
    def eval_body(self: Any, env: Any) -> None:
        try:
            original(self, env)
        except JSONataException as error:
            raise _query_evaluation_failure(env, self.expression, error) from error

    return eval_body


def install() -> Undo:
    """Report JSONata evaluation failures as `States.QueryEvaluationError`."""
    return undo_all([
        replace_attr(owner, "_eval_body", _naming_evaluation_errors(owner._eval_body))
        for owner in (StringJSONata, StringVariableSample)
    ])
