"""Lambda functions run in-process: the deployed zip's real handler, not Docker or an echo.

AWS: `Invoke` runs the function's handler with its configured environment; a raised
exception comes back as HTTP 200 with `X-Amz-Function-Error: Unhandled` and the payload
`{"errorMessage", "errorType", "requestId", "stackTrace"}`; a function that outlives its
`Timeout` is killed and reported as `{"errorMessage": "... Task timed out after N.00 seconds"}`.
Step Functions' `lambda:invoke` then fails with error = `errorType` (e.g.
`RandomSimulatedFailure`), or `Lambda.Unknown` when the payload has none (timeouts).
moto 5.2.5: without Docker, `LambdaSimpleBackend.invoke` echoes the request body and never
reports a function error; with Docker it reports `Handled`.
Shim: :class:`InProcessLambdaRuntime` loads the handler from the function's stored zip and
calls it on a thread, with the function's environment (plus ``extra_environment``) in
`os.environ`, an AWS-like context object, and the function's timeout. Every invocation is
recorded with the execution that made it (see :mod:`local.callcontext`).
Known difference: a timed-out handler cannot be killed in-process; its thread runs on,
reported as timed out.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import tempfile
import threading
import time
import traceback
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from moto.awslambda_simple.models import LambdaSimpleBackend

from dsl.errors import CodedError
from local import callcontext
from local.shims._patch import Undo, replace_attr


class LambdaRuntimeError(CodedError):
    """The function's code cannot be loaded."""

    code = "LOCAL-LAMBDA"


@dataclass
class Invocation:
    """One call of a function, as its runtime saw it (epoch seconds)."""

    request_id: str
    function_name: str
    execution_arn: str | None
    state_name: str | None
    start: float
    end: float | None = None  # when the handler really returned (it runs on past a timeout)
    outcome: str = "running"  # running | ok | error
    error_type: str | None = None
    timed_out: bool = False  # the caller was told "Task timed out"


@dataclass
class _Context:
    """The attributes of the Python runtime's context object that handlers use."""

    aws_request_id: str
    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    log_group_name: str
    log_stream_name: str
    deadline: float

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.time()) * 1000))


@dataclass
class InProcessLambdaRuntime:
    """Runs deployed Python handlers inside this process and records every invocation."""

    extra_environment: dict[str, str] = field(default_factory=dict)
    # Handlers registered by name (dsl.testing), used instead of the function's code archive.
    handlers: dict[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    invocations: list[Invocation] = field(default_factory=list)
    on_start: list[Callable[[Invocation], None]] = field(default_factory=list)
    _modules: dict[str, ModuleType] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _code_dir: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def install(self) -> Undo:
        """Answer every Lambda Invoke of the server with this runtime."""
        runtime = self
        self._code_dir = tempfile.TemporaryDirectory(prefix="local-lambda-")

        def invoke(backend: Any, function_name: str, qualifier: str | None, body: Any,
                   headers: Any, response_headers: dict[str, Any]) -> bytes:
            function = backend.get_function(function_name, qualifier)
            return runtime.invoke(function, body, headers, response_headers)

        undo_patch = replace_attr(LambdaSimpleBackend, "invoke", invoke)

        def undo() -> None:
            undo_patch()
            if self._code_dir is not None:
                self._code_dir.cleanup()
            self._modules.clear()

        return undo

    def _handler(self, function: Any) -> Any:
        registered = self.handlers.get(function.function_name)
        if registered is not None:
            return registered
        code: bytes = function.code_bytes
        digest = hashlib.sha256(code).hexdigest()[:16]
        module_path, _, attr = str(function.handler).rpartition(".")
        key = f"{digest}:{function.handler}"
        with self._lock:
            module = self._modules.get(key)
            if module is None:
                module = self._load(code, digest, module_path, function.function_name)
                self._modules[key] = module
        handler = getattr(module, attr, None)
        if not callable(handler):
            raise LambdaRuntimeError(f"function {function.function_name}: handler {function.handler} not found")
        return handler

    def _load(self, code: bytes, digest: str, module_path: str, function_name: str) -> ModuleType:
        assert self._code_dir is not None
        target = Path(self._code_dir.name) / digest
        try:
            with zipfile.ZipFile(io.BytesIO(code)) as archive:
                archive.extractall(target)
        except zipfile.BadZipFile as error:
            raise LambdaRuntimeError(f"function {function_name}: code is not a zip archive") from error
        source = target / (module_path.replace(".", "/") + ".py")
        if not source.is_file():
            raise LambdaRuntimeError(f"function {function_name}: {source.name} is not in the code archive")
        spec = importlib.util.spec_from_file_location(f"_local_lambda_{digest}_{module_path}", source)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def _environment(self, function: Any) -> dict[str, str]:
        env = {str(k): str(v) for k, v in (function.environment_vars or {}).items()}
        env.update({
            "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_REGION": function.region,
        })
        env.update(self.extra_environment)
        return env

    def invoke(self, function: Any, body: Any, headers: Any, response_headers: dict[str, Any]) -> bytes:
        """Run ``function`` on ``body`` and answer as the Lambda Invoke API does."""
        os.environ.update(self._environment(function))
        handler = self._handler(function)
        event = json.loads(body) if body else {}
        caller = callcontext.from_headers(headers)
        request_id = str(uuid.uuid4())
        timeout = float(function.timeout)
        record = Invocation(
            request_id=request_id,
            function_name=function.function_name,
            execution_arn=caller.execution_arn if caller else None,
            state_name=caller.state_name if caller else None,
            start=time.time(),
        )
        self.invocations.append(record)
        for listener in self.on_start:
            listener(record)
        context = _Context(
            aws_request_id=request_id,
            function_name=function.function_name,
            function_version="$LATEST",
            invoked_function_arn=function.function_arn,
            memory_limit_in_mb=int(function.memory_size),
            log_group_name=function.logs_group_name,
            log_stream_name=f"local/{request_id}",
            deadline=record.start + timeout,
        )
        result: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                result["payload"] = json.dumps(handler(event, context)).encode("utf-8")
                record.outcome = "ok"
            except Exception as error:  # noqa: BLE001 - the handler's failure is the function error AWS reports
                record.outcome = "error"
                record.error_type = type(error).__name__
                result["payload"] = _error_payload(error, request_id)
            finally:
                record.end = time.time()
                done.set()

        response_headers["x-amz-executed-version"] = "$LATEST"
        threading.Thread(target=run, daemon=True, name=f"lambda-{request_id}").start()
        if str(headers.get("X-Amz-Invocation-Type", "RequestResponse")) == "Event":
            return b""
        if not done.wait(timeout):
            record.timed_out = True
            response_headers["x-amz-function-error"] = "Unhandled"
            message = f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {request_id} " \
                      f"Task timed out after {timeout:.2f} seconds"
            return json.dumps({"errorMessage": message}).encode("utf-8")
        if record.outcome == "error":
            response_headers["x-amz-function-error"] = "Unhandled"
        return bytes(result["payload"])


def _error_payload(error: Exception, request_id: str) -> bytes:
    """The Python runtime's error document for an unhandled exception."""
    frames = traceback.format_tb(error.__traceback__)[1:]  # drop the runtime's own frame
    return json.dumps({
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": frames,
    }).encode("utf-8")
