"""Lambda optimized integration: ``lambda:invoke`` (request-response and ``.waitForTaskToken``)."""

from __future__ import annotations

from typing import Any, Literal

from dsl.integrations.grants import (
    PARTITION,
    REGION,
    Args,
    Grant,
    arn,
    is_arn_placeholder,
    why,
)
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task

# Errors AWS recommends retrying for every Lambda task: the service, not the function, failed.
SERVICE_ERRORS = ("Lambda.ServiceException", "Lambda.AWSLambdaException",
                  "Lambda.SdkClientException", "Lambda.TooManyRequestsException")
# The guide's Lambda best practice also names these (bp-lambda-serviceexception): a client-side timeout of
# the invocation, and the function's own unhandled failures (out of memory, its timeout).
CLIENT_EXECUTION_TIMEOUT = "Lambda.ClientExecutionTimeoutException"
UNKNOWN = "Lambda.Unknown"


def invoke(name: str, *, function: str, payload: Any = None, qualifier: str | None = None,
           invocation_type: Literal["RequestResponse", "Event", "DryRun"] | None = None,
           **state: Any) -> Task:
    """``lambda:invoke`` of ``function`` (a name or ARN) with ``payload``.

    The request goes to ``Parameters``, or to ``Arguments`` when the state uses JSONata
    (``query_language="JSONata"``). ``invoke_function`` is the same call written with the
    API's PascalCase keywords, as every other helper is.
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


def invoke_function(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``lambda:invoke``: ``invoke_function("Work", FunctionName="f", Payload={...})``.

    ``Payload`` is any JSON (the integration serialises it); the other fields are checked
    against Lambda's Invoke API.
    """
    return build(INVOKE, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def function_arn(args: Args, where: str) -> str:
    """The function (and qualifier) a Task names, as an ARN; any function when computed at run time."""
    name = args.require("FunctionName", "lambda:invoke")
    if name is None:
        return arn("lambda", "function:*")
    qualifier = args.static("Qualifier") if args.present("Qualifier") else ""
    if args.present("Qualifier") and qualifier is None:
        qualifier = "*"
    if name.startswith("arn:") or is_arn_placeholder(name):
        full = name
    else:
        parts = name.split(":")
        # name, name:qualifier, ACCOUNT:function:name[:qualifier] are the accepted forms
        if len(parts) >= 3 and parts[1] == "function":
            full = f"arn:{PARTITION}:lambda:{REGION}:{':'.join(parts)}"
        else:
            full = arn("lambda", f"function:{name}")
    return f"{full}:{qualifier}" if qualifier else full


def _invoke_grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    return (Grant(("lambda:InvokeFunction",), (function_arn(args, where),),
                  why(args, "FunctionName", "the Task invokes this function")),)


# aws-sdk calls authorised by an action of another name (Service Authorization Reference).
SDK_ACTIONS = {"invoke": "lambda:InvokeFunction", "invokeWithResponseStream": "lambda:InvokeFunction"}


def sdk_grants(api: str, action: str, args: Args, where: str) -> tuple[Grant, ...] | None:
    """aws-sdk:lambda calls that name a function are scoped to it."""
    if not args.present("FunctionName"):
        return None
    return (Grant((action,), (function_arn(args, where),),
                  why(args, "FunctionName", "the Task calls the API on this function")),)


INVOKE = Optimized("lambda", "invoke", frozenset({REQUEST_RESPONSE, WAIT}), _invoke_grants,
                   model=("lambda", "invoke"), free=frozenset({"Payload"}),
                   errors=(*SERVICE_ERRORS, CLIENT_EXECUTION_TIMEOUT, UNKNOWN),
                   error_prefix="Lambda")
OPTIMIZED = (INVOKE,)
