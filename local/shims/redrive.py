"""`RedriveExecution` and the redrive fields (`$$.Execution.RedriveCount`, DescribeExecution).

AWS: RedriveExecution restarts a FAILED, ABORTED or TIMED_OUT execution of a STANDARD
machine (else `ExecutionNotRedrivable`; an unknown ARN is `ExecutionDoesNotExist`) under the
same execution ARN, with the same definition and input. Successful steps are not re-run: the
execution continues from the unsuccessful step, with the input that step had. The history
keeps its events and gets an `ExecutionRedriven` event (`redriveCount`); the status goes
back to RUNNING; DescribeExecution shows `redriveCount` and `redriveDate`; the context
object has `Execution.RedriveCount` (0 while never redriven) and, once redriven,
`Execution.RedriveTime`. The answer is `{"redriveDate": ...}`.
moto 5.2.5: no RedriveExecution (HTTP 500, "not implemented"), no RedriveCount/RedriveTime
in the context object, no redrive fields in DescribeExecution.
Shim: ``sfn.redrive_execution(executionArn=...)`` is answered by the embedded server. The
resume point is the top-level state whose `*StateEntered` event has no matching
`*StateExited` (events inside a Parallel/Map, between its `...StateStarted` and
`...StateSucceeded/Failed/Aborted`, are not top-level); the execution resumes there in a new
worker on the same `Execution` object, continuing the same event history and variables.
The end of a redriven execution goes through moto's usual end-of-execution path, so the
EventBridge emulator (:mod:`local.eventbridge`) publishes its status change; the execution
carries ``redrive_count`` and ``redrive_date`` for those events.
Known differences (documented, not emulated):
* a failed Parallel or inline Map is re-run as a whole, with the input it had: AWS re-runs
  only its failed branches/iterations (a Distributed Map's Map Run is not redriven either);
* the machine's `TimeoutSeconds` starts again at the redrive;
* an execution that ended in a Fail state (say, after a Catch) resumes at that Fail state and
  fails again: "the unsuccessful step" read literally; not checked against AWS;
* no `clientToken` idempotency, no 14-day redrivable period, no history-size limit; an
  execution without an unsuccessful top-level state in its history is refused;
* ListExecutions has no redrive fields and no `redriveFilter`.
"""

from __future__ import annotations

import copy
import datetime
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import (
    ExecutionStatus,
    HistoryEventType,
    StateMachineType,
)
from moto.stepfunctions.parser.asl.component.common.flow.start_at import StartAt
from moto.stepfunctions.parser.asl.eval.evaluation_details import EvaluationDetails
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.exceptions import StepFunctionsException
from moto.stepfunctions.responses import StepFunctionResponse

from local.shims._patch import Undo, replace_attr, undo_all
from local.shims.context_timestamps import aws_timestamp

REDRIVABLE = frozenset({ExecutionStatus.FAILED, ExecutionStatus.ABORTED, ExecutionStatus.TIMED_OUT})
_BRANCHING_STARTED = frozenset({"ParallelStateStarted", "MapStateStarted"})
_BRANCHING_ENDED = frozenset({"ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted",
                              "MapStateSucceeded", "MapStateFailed", "MapStateAborted"})
_PENDING = "_local_pending_redrive"  # the worker Execution.start runs instead of a new one
_REDRIVING = threading.Lock()  # one status check and restart at a time


class ExecutionNotRedrivable(StepFunctionsException):
    """The execution cannot be redriven (AWS error code ``ExecutionNotRedrivable``)."""

    code = "ExecutionNotRedrivable"


@dataclass(frozen=True)
class ResumePoint:
    """The top-level state a redrive continues from, with the input it was entered with."""

    state_name: str
    state_input: Any


def _event_type(event: Mapping[str, Any]) -> str:
    kind = event["type"]
    return str(getattr(kind, "value", kind))


def resume_point(history: Sequence[Mapping[str, Any]]) -> ResumePoint | None:
    """The last top-level state entered and never exited, or None if every one exited."""
    depth = 0  # inside how many Parallel/Map states the event is
    open_state: Mapping[str, Any] | None = None
    for event in history:
        kind = _event_type(event)
        if kind in _BRANCHING_STARTED:
            depth += 1
        elif kind in _BRANCHING_ENDED:
            depth = max(0, depth - 1)  # a Map failing before it started has no ...Started
        elif depth == 0 and kind.endswith("StateEntered"):
            open_state = event["stateEnteredEventDetails"]
        elif (depth == 0 and kind.endswith("StateExited") and open_state is not None
              and event["stateExitedEventDetails"]["name"] == open_state["name"]):
            open_state = None
    if open_state is None:
        return None
    return ResumePoint(open_state["name"], json.loads(open_state.get("input") or "null"))


def redrive_count(execution: Any) -> int:
    """How many times ``execution`` has been redriven (0 if never)."""
    return int(getattr(execution, "redrive_count", 0))


def redrive_date(execution: Any) -> datetime.datetime | None:
    """When ``execution`` was last redriven (None if never)."""
    return getattr(execution, "redrive_date", None)


class RedriveWorker(ExecutionWorker):
    """A worker that continues ``execution``'s history from ``resume`` instead of starting afresh.

    The environment is built (and `ExecutionRedriven` recorded) at construction, in the request
    thread, so the history and StopExecution work at once; the thread only evaluates.
    """

    def __init__(self, execution: Execution, resume: ResumePoint, *, count: int,
                 moment: datetime.datetime) -> None:
        super().__init__(
            evaluation_details=EvaluationDetails(
                aws_execution_details=execution._get_start_aws_execution_details(),
                execution_details=execution.get_start_execution_details(),
                state_machine_details=execution.get_start_state_machine_details(),
            ),
            exec_comm=execution._get_start_execution_worker_comm(),
            cloud_watch_logging_session=execution._cloud_watch_logging_session,
            activity_store=execution._activity_store,
        )
        self._resume = resume
        self._count = count
        self._moment = moment
        previous: Any = cast(Any, execution.exec_worker).env
        env = self._get_evaluation_environment()
        env.event_manager = previous.event_manager
        env.variable_store = previous.variable_store
        last_id = max((e["id"] for e in previous.event_manager.get_event_history()), default=0)
        env.event_history_context.source_event_id = last_id
        env.event_history_context.last_published_event_id = last_id
        env.states.reset(input_value=resume.state_input)
        env.next_state_name = resume.state_name
        env.event_manager.add_event(
            context=env.event_history_context,
            event_type=HistoryEventType.ExecutionRedriven,
            event_details=cast(Any, EventDetails)(executionRedrivenEventDetails={"redriveCount": count}),
        )
        self.env = env

    def _get_evaluation_environment(self) -> Any:
        env = super()._get_evaluation_environment()
        context: Any = env.states.context_object.context_object_data["Execution"]
        context["RedriveCount"] = self._count
        context["RedriveTime"] = aws_timestamp(self._moment)
        return env

    def _execution_logic(self) -> None:
        program: Any = copy.copy(self._get_evaluation_entrypoint())  # moto's parse gives a Program
        program.start_at = StartAt(start_at_name=self._resume.state_name)
        env = self.env
        assert env is not None
        try:
            program.eval(env)
        except RuntimeError:
            # Stopped between the redrive and this thread: no state may start; record the end.
            if env.is_running():
                raise
            program._eval_body(env)
        self._execution_communication.terminated()


def redrive(execution: Any) -> datetime.datetime:
    """Restart ``execution`` (a moto parser Execution) from its unsuccessful state; returns the redrive date."""
    with _REDRIVING:
        if not isinstance(execution, Execution) or execution.exec_worker is None \
                or execution.exec_worker.env is None:
            raise ExecutionNotRedrivable(f"Execution {execution.exec_arn} was not run by the ASL executor "
                                         "and cannot be redriven")
        if execution.sm_type != StateMachineType.STANDARD:
            raise ExecutionNotRedrivable(f"Execution {execution.exec_arn} is of an EXPRESS state machine "
                                         "and cannot be redriven")
        if execution.exec_status not in REDRIVABLE:
            raise ExecutionNotRedrivable(f"Execution is {execution.status} and cannot be redriven")
        resume = resume_point(execution.exec_worker.env.event_manager.get_event_history())
        if resume is None:
            raise ExecutionNotRedrivable(f"Execution {execution.exec_arn} has no unsuccessful state to "
                                         "redrive from in its history")
        moment = datetime.datetime.now(tz=datetime.UTC)
        count = redrive_count(execution) + 1
        worker = RedriveWorker(execution, resume, count=count, moment=moment)
        execution.redrive_count = count  # type: ignore[attr-defined]
        execution.redrive_date = moment  # type: ignore[attr-defined]
        execution.stop_date = None
        execution.output = None
        execution.error = None
        execution.cause = None
        setattr(execution, _PENDING, worker)
        # Through Execution.start, so its observers (the EventBridge emulator) publish RUNNING;
        # the worker starts afterwards, so a state that fails at once cannot end it first.
        cast(Any, execution).start()
        cast(Any, worker).start()
        return moment


def _describe_fields(execution: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"redriveCount": redrive_count(execution)}
    if redrive_date(execution) is not None:
        fields["redriveDate"] = redrive_date(execution)
    if execution.status in {status.value for status in REDRIVABLE}:
        fields["redriveStatus"] = "REDRIVABLE"
    else:
        fields["redriveStatus"] = "NOT_REDRIVABLE"
        fields["redriveStatusReason"] = f"Execution is {execution.status} and cannot be redriven"
    return fields


def install() -> Undo:
    """Answer RedriveExecution; add the redrive fields to the context object and DescribeExecution."""
    original_environment = ExecutionWorker._get_evaluation_environment
    original_start = Execution.start
    original_describe = StepFunctionResponse.describe_execution

    def evaluation_environment(self: Any) -> Any:
        env = original_environment(self)
        execution_data: Any = env.states.context_object.context_object_data["Execution"]
        execution_data["RedriveCount"] = 0
        return env

    def start(self: Any) -> None:
        worker = self.__dict__.pop(_PENDING, None)
        if worker is None:
            original_start(self)
            return
        self.exec_worker = worker  # started by redrive() once start's observers have run
        self.exec_status = ExecutionStatus.RUNNING

    def describe_execution(self: Any) -> Any:
        result = original_describe(self)
        execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
        if isinstance(result.result, dict):
            result.result.update(_describe_fields(execution))
        return result

    def redrive_execution(self: Any) -> ActionResult:
        execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
        return ActionResult({"redriveDate": redrive(execution)})

    return undo_all([
        replace_attr(ExecutionWorker, "_get_evaluation_environment", evaluation_environment),
        replace_attr(Execution, "start", start),
        replace_attr(StepFunctionResponse, "describe_execution", describe_execution),
        replace_attr(StepFunctionResponse, "redrive_execution", redrive_execution),
    ])
