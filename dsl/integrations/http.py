"""The HTTP Task: ``http:invoke`` (request-response, ``.waitForTaskToken``), through an EventBridge connection."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import PARTITION, SELF_NAME, Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task

# concepts-error-handling: the HTTP Task's request timed out (after 60 seconds).
SOCKET = "States.Http.Socket"


def invoke(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``http.invoke("Call", ApiEndpoint=..., Method="POST", Authentication={"ConnectionArn": ...})``."""
    return build(INVOKE, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    authentication = args.nested("Authentication")
    connection = authentication.static("ConnectionArn") if authentication is not None else None
    return (
        Grant(("states:InvokeHTTPEndpoint",), (arn("states", f"stateMachine:{SELF_NAME}"),),
              "the state machine calls the HTTPS endpoint"),
        Grant(("events:RetrieveConnectionCredentials",), (connection or arn("events", "connection/*"),),
              why(authentication, "ConnectionArn", "the Task signs its request with this connection")
              if authentication is not None else "the connection is computed at run time"),
        Grant(("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
              (f"arn:{PARTITION}:secretsmanager:*:*:secret:events!connection/*",),
              "EventBridge keeps the connection's credentials in this secret"),
    )


INVOKE = Optimized("http", "invoke", frozenset({REQUEST_RESPONSE, WAIT}), _grants,
                   fields=frozenset({"ApiEndpoint", "Method", "Authentication", "Headers", "QueryParameters",
                                     "RequestBody", "Transform", "InvocationConfig"}), errors=(SOCKET,))
OPTIMIZED = (INVOKE,)
