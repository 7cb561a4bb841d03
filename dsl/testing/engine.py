"""The test engine: the local run's embedded moto server and shims, plus mocks, probes and virtual time.

One engine per process (moto's backends are process-wide). Executions are started in-process
on moto's Step Functions backend, one at a time (the virtual clock is shared), and awaited on
the probe's completion event rather than polled.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import itertools
import json
import threading
import zipfile
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Self

from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import (
    EvalTimeoutError,
)
from moto.stepfunctions.parser.asl.eval.callback.callback import HeartbeatTimeoutError
from moto.stepfunctions.parser.mocking.mock_config import (
    MockedResponse,
    MockedResponseReturn,
    MockedResponseThrow,
)

from dsl.testing import coverage
from dsl.testing.definition import asl_of, states_by_name, unknown_state
from dsl.testing.errors import MockError, TestingError, UnmockedTaskError
from dsl.testing.mocks import MockSpec, Return, StateMock, Throw, normalise
from dsl.testing.result import StateInspection, TestResult
from dsl.testing.shapes import Validation, check_mock
from dsl.workflow import Workflow
from local import clock, instrument
from local.server import ACCOUNT_ID, LocalServer, local_server

EMULATED_SERVICES = frozenset({"dynamodb", "sqs", "sns", "s3", "lambda", "states", "sfn", "events"})
_ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/dsl-testing"
_TERMINAL_WAIT_SECONDS = 120.0
_names = itertools.count(1)
_shared: Engine | None = None
_shared_lock = threading.Lock()


def task_service(resource: str) -> str | None:
    """The service a Task resource calls (``dynamodb``, ``s3``...), or None for an activity."""
    parts = resource.split(":")
    if len(parts) >= 6 and parts[2] == "lambda":
        return "lambda"
    if len(parts) >= 6 and parts[2] == "states" and parts[5] == "activity":
        return None
    if parts[5:6] == ["aws-sdk"] and len(parts) > 6:
        return parts[6]
    return parts[5] if len(parts) > 5 else None


class Engine:
    """The embedded local engine with the testing hooks; use as a context manager or :func:`shared_engine`."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self.clock = clock.VirtualClock()
        self._run_lock = threading.Lock()
        self._machines: dict[str, str] = {}
        self._states: dict[str, dict[str, Mapping[str, Any]]] = {}  # by the definition's canonical text
        self._server: LocalServer | None = None
        self._running: instrument.Probe | None = None

    def __enter__(self) -> Self:
        try:
            self._server = self._stack.enter_context(local_server())
            self._stack.callback(instrument.install())
            self._stack.callback(clock.install_virtual_time(self.clock))
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the server and remove every hook."""
        self._server = None
        self._stack.close()

    @property
    def server(self) -> LocalServer:
        """The embedded moto server (for seeding DynamoDB tables, SQS queues...)."""
        if self._server is None:
            raise TestingError("the test engine is not running")
        return self._server

    def register_lambda(self, name: str, handler: Callable[[Any, Any], Any], *, timeout: int = 3) -> str:
        """Create Lambda function ``name`` in moto, answered by ``handler(event, context)``; returns its ARN."""
        runtime = self.server.lambda_runtime
        runtime.handlers[name] = handler
        self._role()
        client = self.server.client("lambda")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("handler.py", "def handler(event, context):\n    return event\n")
        try:
            arn: str = client.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
            return arn
        except client.exceptions.ResourceNotFoundException:
            pass
        created = client.create_function(FunctionName=name, Runtime="python3.12", Role=_ROLE,
                                         Handler="handler.handler", Code={"ZipFile": archive.getvalue()},
                                         Timeout=timeout)
        return str(created["FunctionArn"])

    def _role(self) -> None:
        iam = self.server.client("iam")
        try:
            iam.get_role(RoleName=_ROLE.rsplit("/", 1)[1])
        except iam.exceptions.NoSuchEntityException:
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                             "Principal": {"Service": "lambda.amazonaws.com"}}]}
            iam.create_role(RoleName=_ROLE.rsplit("/", 1)[1], AssumeRolePolicyDocument=json.dumps(trust))

    def run(self, workflow: Workflow | Mapping[str, Any] | str | Path, input: Any = None, *,
            mocks: Mapping[str, MockSpec] | None = None, validation: Validation = "STRICT",
            execution_name: str | None = None) -> TestResult:
        """Execute ``workflow`` on ``input`` with ``mocks``; see :func:`dsl.testing.run`."""
        doc = asl_of(workflow)

        def start(backend: Any) -> Any:
            return backend.start_execution(
                self._machine(backend, doc), name=execution_name or f"test-{next(_names)}",
                execution_input=json.dumps({} if input is None else input))

        return self._execute(doc, _label(workflow), start, mocks, validation)

    def redrive(self, result: TestResult, *, mocks: Mapping[str, MockSpec] | None = None,
                validation: Validation = "STRICT") -> TestResult:
        """Redrive the FAILED, ABORTED or TIMED_OUT execution of ``result`` with ``mocks`` (calls counted afresh).

        The result's path, inspection and history cover the whole execution, before and after the redrive.
        """
        from local.shims import redrive

        def start(backend: Any) -> Any:
            execution = backend.describe_execution(result.execution_arn)
            redrive.redrive(execution)
            return execution

        return self._execute(result.doc, result.workflow, start, mocks, validation, earlier=result)

    def stop_execution(self, *, error: str | None = None, cause: str | None = None) -> None:
        """Stop the running execution, as StopExecution does (call it from a callable mock)."""
        probe = self._running
        if probe is None or probe.env is None:
            raise TestingError("no execution is running")
        probe.env.set_stop(stop_date=self.clock.now(datetime.UTC), cause=cause, error=error)

    def _execute(self, doc: dict[str, Any], workflow: str | None, start: Callable[[Any], Any],
                 mocks: Mapping[str, MockSpec] | None, validation: Validation,
                 earlier: TestResult | None = None) -> TestResult:
        text = json.dumps(doc, sort_keys=True)
        states = self._states.get(text)
        if states is None:
            states = self._states[text] = states_by_name(doc)
        prepared = normalise(mocks or {})
        _check_mocks(prepared, states, validation)
        prepared.update(_unmockable(prepared, states))
        failures: list[TestingError] = []

        def stop(cause: str) -> None:
            self.stop_execution(error="dsl.testing", cause=cause)

        probe = instrument.Probe(set(prepared), _responder(prepared, states, validation, self.clock, failures, stop))
        with self._run_lock:
            backend = _backend(self.server)
            started = self.clock.skipped
            self._running = probe
            try:
                with instrument.probing(probe):
                    execution = start(backend)
                if not probe.done.wait(_TERMINAL_WAIT_SECONDS):
                    self.stop_execution(cause="test timeout")
                    raise TestingError(f"the execution did not end within {_TERMINAL_WAIT_SECONDS:.0f} s "
                                       "of real time")
            finally:
                self._running = None
            virtual = self.clock.skipped - started
        if failures:
            raise failures[0]
        result = _result(execution, probe, virtual, doc, workflow, earlier)
        coverage.SESSION.add(doc, result, name=workflow, key=text)
        return result

    def _machine(self, backend: Any, doc: Mapping[str, Any]) -> str:
        text = json.dumps(doc, sort_keys=True)
        arn = self._machines.get(text)
        if arn is None:
            name = "test-" + hashlib.sha256(text.encode()).hexdigest()[:16]
            arn = str(backend.create_state_machine(name=name, definition=text, roleArn=_ROLE).arn)
            self._machines[text] = arn
        return arn


def _label(workflow: Workflow | Mapping[str, Any] | str | Path) -> str | None:
    if isinstance(workflow, Workflow):
        return workflow.name
    if isinstance(workflow, str | Path):
        return Path(workflow).name
    return None


def shared_engine() -> Engine:
    """The process's engine, started on first use and stopped by :func:`close_shared_engine`."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Engine().__enter__()
        return _shared


def close_shared_engine() -> None:
    """Stop the shared engine (if started), freeing the process's one embedded server."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


def _backend(server: LocalServer) -> Any:
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    return stepfunctions_parser_backends[ACCOUNT_ID][server.region]


def _check_mocks(mocks: Mapping[str, StateMock], states: Mapping[str, Mapping[str, Any]],
                 validation: Validation) -> None:
    for name, mock in mocks.items():
        if name not in states:
            raise MockError(unknown_state("mock for", name, states))
        state = states[name]
        if state.get("Type") != "Task":
            raise MockError(f"mock for {name!r}: a {state.get('Type')} state makes no service call; "
                            "only Task states can be mocked")
        for response in mock.responses:
            if isinstance(response, Return):
                check_mock(name, str(state.get("Resource", "")), response.value, validation)


def _unmockable(mocks: Mapping[str, StateMock], states: Mapping[str, Mapping[str, Any]]) -> dict[str, StateMock]:
    """A mock for each unmocked Task the engine cannot run: it fails the run once that Task is reached."""
    result = {}
    for name, state in states.items():
        if state.get("Type") != "Task" or name in mocks:
            continue
        resource = str(state.get("Resource", ""))
        if resource.endswith(".waitForTaskToken"):
            # Nothing would send its token, and the executor waits for it on the real clock.
            message = (f"state {name!r} waits for a task token ({resource}): mock it with the output "
                       f"SendTaskSuccess would send, e.g. mocks={{{name!r}: {{}}}}, or a Throw for SendTaskFailure")
        elif task_service(resource) not in EMULATED_SERVICES:
            message = (f"state {name!r} calls {resource}, which the local engine does not emulate: "
                       f"mock it, e.g. mocks={{{name!r}: {{...result...}}}} or Throw('Error', 'cause')")
        else:
            continue
        result[name] = StateMock(name, handler=functools.partial(_refuse, message))
    return result


def _refuse(message: str, request: Any) -> Any:
    raise UnmockedTaskError(message)


def _responder(mocks: Mapping[str, StateMock], states: Mapping[str, Mapping[str, Any]], validation: Validation,
               virtual: clock.VirtualClock, failures: list[TestingError],
               stop: Callable[[str], None]) -> instrument.Responder:
    def respond(state: str, call: int, request: Any) -> MockedResponse:
        try:
            mock = mocks[state]
            response = mock.response(call, request)
            if mock.handler is not None and isinstance(response, Return):
                check_mock(state, str(states[state].get("Resource", "")), response.value, validation)
        except TestingError as error:
            failures.append(error)
            stop(error.message)  # a test error ends the run, whatever Catch the state has
            raise
        except Exception as error:
            failure = MockError(f"state {state!r}: the mock raised {type(error).__name__}: {error} "
                                "(raise TaskFailure(error, cause) to fail the task)")
            failures.append(failure)
            stop(failure.message)
            raise
        return _timed(response, states[state], virtual)

    return respond


def _timed(response: Return | Throw, state: Mapping[str, Any], virtual: clock.VirtualClock) -> MockedResponse:
    """The response as moto's mock mode takes it, after ``seconds`` on the virtual clock."""
    timeout = state.get("TimeoutSeconds")
    heartbeat = state.get("HeartbeatSeconds")
    seconds = response.seconds
    # Raised where the executor's own timers would raise them, so it reports them as it does.
    if isinstance(heartbeat, int | float) and seconds > heartbeat:
        virtual.advance(heartbeat)
        raise HeartbeatTimeoutError()
    if isinstance(timeout, int | float) and seconds >= timeout:
        virtual.advance(timeout)
        raise EvalTimeoutError()
    virtual.advance(seconds)
    if isinstance(response, Throw):
        return MockedResponseThrow(0, 0, response.error, response.cause)
    return MockedResponseReturn(0, 0, json.loads(json.dumps(response.value)))


def _result(execution: Any, probe: instrument.Probe, virtual: float, doc: dict[str, Any], workflow: str | None,
            earlier: TestResult | None) -> TestResult:
    described = execution.to_describe_output()
    output = described.get("output")
    history = execution.to_history_output()["events"]
    visits = list(probe.visits)
    before = earlier.states if earlier is not None else ()
    calls = dict(probe.calls)
    return TestResult(
        status=str(getattr(described["status"], "value", described["status"])),
        output=json.loads(output) if isinstance(output, str) else output,
        error=described.get("error"),
        cause=described.get("cause"),
        path=tuple(s.name for s in before) + tuple(v.name for v in visits),
        states=before + tuple(StateInspection.of(v) for v in visits),
        events=tuple(history),
        virtual_seconds=virtual + (earlier.virtual_seconds if earlier is not None else 0.0),
        calls=calls,
        execution_arn=str(execution.exec_arn),
        doc=doc,
        workflow=workflow,
    )
