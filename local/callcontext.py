"""Which execution and state made a service call: carried from moto's executor to the server.

moto's ASL executor calls DynamoDB and Lambda over HTTP, so the server thread answering a
request cannot see which execution sent it. While a Task attempt runs, its thread records
the execution ARN, state name and retry count; every boto3 client the executor creates adds
them as request headers. The DynamoDB gateway (fault rules, request counts, holder ledger)
and the in-process Lambda runtime (work attributed to executions) read them back. The headers
are local bookkeeping only: the services ignore them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
    StateTaskService,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import (
    StateTaskLambda,
)
from moto.stepfunctions.parser.asl.utils import boto_client

from local.shims._patch import Undo, replace_attr, replace_function, undo_all

HEADER_EXECUTION = "x-local-sfn-execution-arn"
HEADER_STATE = "x-local-sfn-state-name"
HEADER_RETRY = "x-local-sfn-retry-count"

_current = threading.local()


@dataclass(frozen=True)
class CallContext:
    """The Task attempt that made a call."""

    execution_arn: str
    state_name: str
    retry_count: int


def from_headers(headers: Mapping[str, Any]) -> CallContext | None:
    """The context carried by a request's headers, or None for calls from outside the executor."""
    arn = headers.get(HEADER_EXECUTION)
    if not arn:
        return None
    return CallContext(
        execution_arn=str(arn),
        state_name=str(headers.get(HEADER_STATE, "")),
        retry_count=int(headers.get(HEADER_RETRY, 0)),
    )


def _add_headers(request: Any, **_: Any) -> None:
    context: CallContext | None = getattr(_current, "context", None)
    if context is not None:
        request.headers[HEADER_EXECUTION] = context.execution_arn
        request.headers[HEADER_STATE] = context.state_name
        request.headers[HEADER_RETRY] = str(context.retry_count)


def _traced(original: Any) -> Any:
    def eval_execution(self: Any, env: Any) -> None:
        data = env.states.context_object.context_object_data
        state = data.get("State") or {}
        _current.context = CallContext(
            execution_arn=data["Execution"]["Id"],
            state_name=state.get("Name", ""),
            retry_count=int(state.get("RetryCount", 0)),
        )
        try:
            original(self, env)
        finally:
            _current.context = None

    return eval_execution


def install() -> Undo:
    """Tag every executor-made request with its execution, state and retry count."""
    original_client_for = boto_client.boto_client_for

    def boto_client_for(*args: Any, **kwargs: Any) -> Any:
        client = original_client_for(*args, **kwargs)
        client.meta.events.register("before-sign", _add_headers, unique_id="local-callcontext")
        return client

    return undo_all([
        replace_function(original_client_for, boto_client_for, package="moto.stepfunctions.parser"),
        replace_attr(StateTaskService, "_eval_execution", _traced(StateTaskService.__dict__["_eval_execution"])),
        replace_attr(StateTaskLambda, "_eval_execution", _traced(StateTaskLambda.__dict__["_eval_execution"])),
    ])
