"""Step Functions integrations: ``states:startExecution`` (async, .sync, .sync:2), and the SDK
calls a workflow uses to talk to other executions (``sendTaskSuccess``, ``describeExecution``)."""

from __future__ import annotations

from typing import Any, Literal

from dsl.integrations.grants import (
    ANY_EXECUTION,
    Args,
    Grant,
    IamDerivationError,
    arn,
    executions_of,
    why,
)
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    SYNC2,
    WAIT,
    Optimized,
    sync_grants,
)
from dsl.placeholders import is_placeholder
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


# --- IAM -------------------------------------------------------------------------

# The rule Step Functions manages to learn that a .sync child has finished.
SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule"


def executions_of_machine(machine_arn: str, where: str) -> str:
    """Every execution of the state machine ``machine_arn`` (also through a version or alias)."""
    if is_placeholder(machine_arn):
        # Not yet substituted (review of generated/): the placeholder stands
        # in for the machine's name; the deployer always substitutes first.
        return executions_of(machine_arn)
    parts = machine_arn.split(":")
    if len(parts) < 7 or parts[5] != "stateMachine":
        raise IamDerivationError(where, f"StateMachineArn {machine_arn!r} is not a state machine ARN")
    return ":".join([*parts[:5], "execution", parts[6], "*"])


def _start_grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    machine = args.require("StateMachineArn", "states:startExecution")
    machine_arn = machine if machine is not None else arn("states", "stateMachine:*")
    executions = executions_of_machine(machine, where) if machine is not None else ANY_EXECUTION
    start = Grant(("states:StartExecution",), (machine_arn,),
                  why(args, "StateMachineArn", "the Task starts an execution of this state machine"))
    return (start, *sync_grants(pattern, ("states:DescribeExecution", "states:StopExecution"), (executions,),
                                SYNC_RULE))


def sdk_grants(api: str, action: str, args: Args, where: str) -> tuple[Grant, ...] | None:
    """aws-sdk:sfn calls that name a state machine or an execution are scoped to it."""
    for key, kind in (("StateMachineArn", "stateMachine"), ("ExecutionArn", "execution")):
        if args.present(key):
            return (Grant((action,), (args.static(key) or arn("states", f"{kind}:*"),),
                          why(args, key, f"the Task calls the API on this {kind}")),)
    return None


OPTIMIZED = (Optimized("states", "startExecution", frozenset({REQUEST_RESPONSE, SYNC, SYNC2, WAIT}), _start_grants,
                       model=("sfn", "startExecution"), free=frozenset({"Input"}),
                       error_prefix="StepFunctions"),)
