"""Lambda optimized integration: ``lambda:invoke``."""

from __future__ import annotations

from typing import Any, Literal

from dsl.states import Task

# Errors AWS recommends retrying for every Lambda task: the service, not the function, failed.
SERVICE_ERRORS = ("Lambda.ServiceException", "Lambda.AWSLambdaException",
                  "Lambda.SdkClientException", "Lambda.TooManyRequestsException")


def invoke(name: str, *, function: str, payload: Any = None, qualifier: str | None = None,
           invocation_type: Literal["RequestResponse", "Event", "DryRun"] | None = None,
           **state: Any) -> Task:
    """``lambda:invoke`` of ``function`` (a name or ARN) with ``payload``.

    The request goes to ``Parameters``, or to ``Arguments`` when the state uses JSONata
    (``query_language="JSONata"``).
    """
    parameters: dict[str, Any] = {"FunctionName": function}
    if payload is not None:
        parameters["Payload"] = payload
    if qualifier is not None:
        parameters["Qualifier"] = qualifier
    if invocation_type is not None:
        parameters["InvocationType"] = invocation_type
    if state.get("query_language") == "JSONata":
        return Task(name, resource="arn:aws:states:::lambda:invoke", arguments=parameters, **state)
    return Task(name, resource="arn:aws:states:::lambda:invoke", parameters=parameters, **state)
