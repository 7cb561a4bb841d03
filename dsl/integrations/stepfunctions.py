"""Step Functions integrations: ``states:startExecution`` (async, .sync, .sync:2), and the SDK
calls a workflow uses to talk to other executions (``sendTaskSuccess``, ``describeExecution``)."""

from __future__ import annotations

from typing import Any, Literal

from dsl.states import Task

_SUFFIX = {"async": "", "sync": ".sync", "sync:2": ".sync:2"}


def start_execution(name: str, *, state_machine: str, input: Any = None,
                    execution_name: Any = None,
                    mode: Literal["async", "sync", "sync:2"] = "async", **state: Any) -> Task:
    """Start an execution of ``state_machine``; ``mode="sync:2"`` waits and returns JSON output."""
    parameters: dict[str, Any] = {"StateMachineArn": state_machine}
    if input is not None:
        parameters["Input"] = input
    if execution_name is not None:
        parameters["Name"] = execution_name
    resource = "arn:aws:states:::states:startExecution" + _SUFFIX[mode]
    return Task(name, resource=resource, parameters=parameters, **state)


SDK_ARN = "arn:aws:states:::aws-sdk:sfn:"
# Errors of a task token whose task already ended (Sfn.* is the SDK integration's prefix).
TOKEN_GONE = ("Sfn.TaskTimedOutException", "Sfn.InvalidTokenException", "Sfn.TaskDoesNotExistException")


def send_task_success(name: str, *, token: Any, output: Any = "{}", **state: Any) -> Task:
    """Complete the ``.waitForTaskToken`` task holding ``token``; ``output`` is a JSON string."""
    return Task(name, resource=SDK_ARN + "sendTaskSuccess",
                parameters={"TaskToken": token, "Output": output}, **state)


def describe_execution(name: str, *, execution: Any, **state: Any) -> Task:
    """``DescribeExecution`` of the execution ARN ``execution``."""
    return Task(name, resource=SDK_ARN + "describeExecution",
                parameters={"ExecutionArn": execution}, **state)


def list_executions(name: str, *, state_machine: str, status: str | None = None, **state: Any) -> Task:
    """``ListExecutions`` of ``state_machine`` (first page, up to 1,000), optionally by ``status``."""
    parameters: dict[str, Any] = {"StateMachineArn": state_machine, "MaxResults": 1000}
    if status is not None:
        parameters["StatusFilter"] = status
    return Task(name, resource=SDK_ARN + "listExecutions", parameters=parameters, **state)
