"""Per-execution instrumentation of moto's executor, for ``dsl.testing``.

An execution started under :func:`probing` carries a :class:`Probe`. moto's executor already
has a mock mode (``Environment.mock_test_case``: a Task whose state name it lists answers
from the mock instead of calling the service) and carries that object into every frame
(Map iterations, Parallel branches, a Task's timeout frame), so the probe rides on it:

- mocks: the probe answers each call of a mocked state, by call number (every retry attempt
  and every Map iteration is a call), with the request the state actually sends;
- inspection: one :class:`Visit` per state entered, with the values TestState's DEBUG level
  shows (input, after InputPath, after Parameters, result, after ResultSelector, after
  ResultPath, output, variables), the Choice rule taken, the retriers that fired and the
  catcher that caught;
- completion: the probe's ``done`` event is set when the execution ends.

Executions without a probe pay one attribute lookup per hook.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.catch.catcher_decl import (
    CatcherDecl,
)
from moto.stepfunctions.parser.asl.component.common.catch.catcher_outcome import (
    CatcherOutcomeCaught,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.parargs import Parargs
from moto.stepfunctions.parser.asl.component.common.path.input_path import InputPath
from moto.stepfunctions.parser.asl.component.common.path.result_path import ResultPath
from moto.stepfunctions.parser.asl.component.common.result_selector import (
    ResultSelector,
)
from moto.stepfunctions.parser.asl.component.common.retry.retrier_decl import (
    RetrierDecl,
)
from moto.stepfunctions.parser.asl.component.common.retry.retrier_outcome import (
    RetrierOutcome,
)
from moto.stepfunctions.parser.asl.component.state.choice.choice_rule import ChoiceRule
from moto.stepfunctions.parser.asl.component.state.choice.state_choice import (
    StateChoice,
)
from moto.stepfunctions.parser.asl.component.state.exec.execute_state import (
    ExecutionState,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
    StateTaskService,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import (
    StateTask,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import (
    StateTaskLambda,
)
from moto.stepfunctions.parser.asl.component.state.state import CommonStateField
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.backend.execution import (
    BaseExecutionWorkerCommunication,
    Execution,
)
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.mocking.mock_config import (
    MockedResponse,
    MockedResponseThrow,
    MockTestCase,
)

from local.shims._patch import Undo, replace_attr, undo_all

_RECORD = "_probe_visit"  # the Environment attribute holding the state being evaluated
_REQUEST = "_probe_request"  # the Environment attribute holding the Task's request
_pending = threading.local()

Responder = Callable[[str, int, Any], MockedResponse]
"""(state name, call number from 0, request) -> the mocked response of that call."""


@dataclass
class Visit:
    """One entry into a state, as TestState's DEBUG inspection shows it (values are JSON)."""

    name: str
    input: Any = None
    after_input_path: Any = None
    after_parameters: Any = None
    result: Any = None
    after_result_selector: Any = None
    after_result_path: Any = None
    output: Any = None
    variables: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0  # Task calls (1 + retries)
    retries: list[int] = field(default_factory=list)  # index of the retrier that fired, per retry
    caught_by: int | None = None  # index of the catcher that caught
    choice: int | str | None = None  # index of the Choice rule taken, or "Default"
    next: str | None = None  # the state entered next (None: the scope ended or failed)
    _rules: list[int] = field(default_factory=list, repr=False)
    _retriers: list[int] = field(default_factory=list, repr=False)
    _catchers: list[int] = field(default_factory=list, repr=False)


class Probe(MockTestCase):
    """Mocks and recordings of one execution; moto carries it as the execution's mock test case."""

    def __init__(self, mocked_states: set[str], respond: Responder) -> None:
        # moto's is_mocked_mode() asks ``name in state_mocked_responses``.
        self.state_mocked_responses: dict[str, Any] = dict.fromkeys(mocked_states)  # type: ignore[misc]
        self.respond = respond
        self.visits: list[Visit] = []
        self.calls: dict[str, int] = {}
        self.done = threading.Event()
        self.env: Any = None  # the execution's environment, once built (StopExecution acts on it)
        self._lock = threading.Lock()

    def next_call(self, state: str) -> int:
        """The call number of a new call of ``state`` (0 for its first)."""
        with self._lock:
            number = self.calls.get(state, 0)
            self.calls[state] = number + 1
            return number

    def add(self, visit: Visit) -> None:
        """Record a state entry (Map iterations add theirs from several threads)."""
        with self._lock:
            self.visits.append(visit)


def _probe(env: Any) -> Probe | None:
    case = getattr(env, "mock_test_case", None)
    return case if isinstance(case, Probe) else None


def _visit(env: Any) -> Visit | None:
    visit: Visit | None = getattr(env, _RECORD, None)
    return visit


def _json(value: Any) -> Any:
    return copy.deepcopy(value)


@contextmanager
def probing(probe: Probe) -> Iterator[None]:
    """Executions started by this thread inside the block carry ``probe``."""
    _pending.probe = probe
    try:
        yield
    finally:
        _pending.probe = None


def _after(method: Any, record: Callable[[Any, Visit, Any], None]) -> Any:
    """``method`` followed by ``record(self, visit, env)`` when the env has a probe's visit."""

    def wrapper(self: Any, env: Any, *args: Any, **kwargs: Any) -> Any:
        result = method(self, env, *args, **kwargs)
        visit = _visit(env)
        if visit is not None:
            record(self, visit, env)
        return result

    return wrapper


def _raise_states_error(env: Any, response: MockedResponseThrow) -> None:
    """Fail with a ``States.*`` error as the executor raises its own (mock mode takes custom names only)."""
    try:
        name = StatesErrorName.from_name(response.error)
    except Exception as error:
        raise ValueError(f"{response.error} is not a Step Functions error name") from error
    raise FailureEventException(failure_event=FailureEvent(
        env=env, error_name=name, event_type=HistoryEventType.TaskFailed,
        event_details=cast(Any, EventDetails)(taskFailedEventDetails=TaskFailedEventDetails(
            error=response.error, cause=response.cause)),
    ))


def install() -> Undo:
    """Add the probe's hooks to moto's executor."""
    undos: list[Undo] = []

    def patch(owner: Any, name: str, new: Any) -> None:
        undos.append(replace_attr(owner, name, new))

    start_worker = Execution.__dict__["_get_start_execution_worker"]

    def get_start_execution_worker(self: Any) -> Any:
        worker = start_worker(self)
        probe = getattr(_pending, "probe", None)
        if probe is not None:
            worker._mock_test_case = probe
        return worker

    patch(Execution, "_get_start_execution_worker", get_start_execution_worker)

    evaluation_environment = ExecutionWorker._get_evaluation_environment

    def evaluation_environment_with_probe(self: Any) -> Any:
        env = evaluation_environment(self)
        pending = getattr(_pending, "probe", None)
        if pending is not None and env.mock_test_case is None:
            env.mock_test_case = pending  # a redrive's worker builds its environment in the caller's thread
        probe = _probe(env)
        if probe is not None:
            probe.env = env
        return env

    patch(ExecutionWorker, "_get_evaluation_environment", evaluation_environment_with_probe)

    terminated = BaseExecutionWorkerCommunication.__dict__["terminated"]

    def on_terminated(self: Any) -> None:
        try:
            terminated(self)
        finally:
            worker = self.execution.exec_worker
            probe = _probe(worker.env) if worker is not None else None
            if probe is not None:
                probe.done.set()

    patch(BaseExecutionWorkerCommunication, "terminated", on_terminated)

    state_body = CommonStateField.__dict__["_eval_body"]

    def eval_state(self: Any, env: Any) -> None:
        probe = _probe(env)
        if probe is None:
            state_body(self, env)
            return
        visit = Visit(name=self.name, input=_json(env.states.get_input()))
        if isinstance(self, StateChoice):
            visit._rules = [id(rule) for rule in self.choices_decl.rules]
        if isinstance(self, ExecutionState):
            visit._retriers = [id(r) for r in self.retry.retriers] if self.retry else []
            visit._catchers = [id(c) for c in self.catch.catchers] if self.catch else []
        probe.add(visit)
        outer = getattr(env, _RECORD, None)
        setattr(env, _RECORD, visit)
        try:
            state_body(self, env)
        finally:
            visit.output = _json(env.states.get_input())
            store = env.variable_store
            if store._outer_scope or store._inner_scope:
                visit.variables = _json({**store._outer_scope, **store._inner_scope})
            visit.next = env.next_state_name if env.next_state_name != self.name else None
            if isinstance(self, StateChoice) and visit.choice is None and visit.next is not None:
                visit.choice = "Default"
            setattr(env, _RECORD, outer)

    patch(CommonStateField, "_eval_body", eval_state)

    open_frame = Environment.__dict__["open_frame"]

    def open_frame_with_visit(self: Any, *args: Any, **kwargs: Any) -> Any:
        frame = open_frame(self, *args, **kwargs)
        setattr(frame, _RECORD, getattr(self, _RECORD, None))
        return frame

    patch(Environment, "open_frame", open_frame_with_visit)

    def top(field_name: str) -> Callable[[Any, Visit, Any], None]:
        def record(_: Any, visit: Visit, env: Any) -> None:
            setattr(visit, field_name, _json(env.stack[-1]))
        return record

    for owner, field_name in ((InputPath, "after_input_path"), (ResultSelector, "after_result_selector"),
                              (ResultPath, "after_result_path"), (Parargs, "after_parameters")):
        patch(owner, "_eval_body", _after(owner.__dict__["_eval_body"], top(field_name)))

    def record_request(original: Any) -> Any:
        def eval_parameters(self: Any, env: Any) -> Any:
            parameters = original(self, env)
            visit = _visit(env)
            if visit is not None:
                visit.attempts += 1
                setattr(env, _REQUEST, _json(parameters))
            return parameters
        return eval_parameters

    patch(StateTask, "_eval_parameters", record_request(StateTask.__dict__["_eval_parameters"]))
    patch(StateTaskLambda, "_eval_parameters", record_request(StateTaskLambda.__dict__["_eval_parameters"]))

    def record_result(_: Any, visit: Visit, env: Any) -> None:
        visit.result = _json(env.stack[-1])

    patch(StateTaskService, "_after_eval_execution",
          _after(StateTaskService.__dict__["_after_eval_execution"], record_result))

    def current_mocked_response(self: Any) -> Any:
        probe = _probe(self)
        assert probe is not None, "mock mode without a probe"
        name = str(self.next_state_name)
        response = probe.respond(name, probe.next_call(name), getattr(self, _REQUEST, None))
        if isinstance(response, MockedResponseThrow) and response.error.startswith("States."):
            _raise_states_error(self, response)
        return response

    patch(Environment, "get_current_mocked_response", current_mocked_response)

    def record_rule(rule: Any, visit: Visit, env: Any) -> None:
        if rule.next_stmt is not None and env.stack[-1] is True and visit.choice is None \
                and id(rule) in visit._rules:
            visit.choice = visit._rules.index(id(rule))

    patch(ChoiceRule, "_eval_body", _after(ChoiceRule.__dict__["_eval_body"], record_rule))

    def record_retry(retrier: Any, visit: Visit, env: Any) -> None:
        if env.stack[-1] == RetrierOutcome.Executed and id(retrier) in visit._retriers:
            visit.retries.append(visit._retriers.index(id(retrier)))

    # Wraps whatever RetrierDecl._eval_body is now (the interruptible_retry shim's, when installed).
    patch(RetrierDecl, "_eval_body", _after(RetrierDecl._eval_body, record_retry))

    def record_catch(catcher: Any, visit: Visit, env: Any) -> None:
        if isinstance(env.stack[-1], CatcherOutcomeCaught) and id(catcher) in visit._catchers:
            visit.caught_by = visit._catchers.index(id(catcher))

    patch(CatcherDecl, "_eval_body", _after(CatcherDecl.__dict__["_eval_body"], record_catch))
    return undo_all(undos)
