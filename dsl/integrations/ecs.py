"""Amazon ECS / Fargate optimized integration: ``ecs:runTask`` (request-response, ``.sync``, ``.waitForTaskToken``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    WAIT,
    Optimized,
    build,
    pattern_of,
    sync_grants,
)
from dsl.states import Task

RULE = "StepFunctionsGetEventsForECSTaskRule"
# connect-ecs: with .sync or .waitForTaskToken, a RunTask answer with a non-empty Failures list fails the Task so.
RUN_TASK_FAILURES = "AmazonECS.Unknown"


def run_task(name: str, *, sync: bool = False, wait_for_task_token: bool = False,
             **parameters_and_state: Any) -> Task:
    """``ecs.run_task("Run", Cluster=..., TaskDefinition=..., LaunchType="FARGATE", sync=True)``."""
    return build(RUN_TASK, name, pattern_of(sync=sync, wait_for_task_token=wait_for_task_token),
                 parameters_and_state)


def _task_definition(value: str | None) -> str:
    if value is None:
        return "*"
    if value.startswith("arn:"):
        return value
    # RunTask is authorised on a revision; a family alone may run any of its revisions.
    return arn("ecs", f"task-definition/{value}" + ("" if ":" in value else ":*"))


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    definition = args.require("TaskDefinition", "ecs:runTask")
    run = Grant(("ecs:RunTask",), (_task_definition(definition),),
                "the Task runs this task definition" if definition else
                "TaskDefinition is computed at run time, so any task definition may be run")
    # The task's id is known only once it runs, so the guide grants these on "*".
    return (run, *sync_grants(pattern, ("ecs:DescribeTasks", "ecs:StopTask"), ("*",), RULE))


RUN_TASK = Optimized("ecs", "runTask", frozenset({REQUEST_RESPONSE, SYNC, WAIT}), _grants, model=("ecs", "runTask"),
                    errors=(RUN_TASK_FAILURES,))
OPTIMIZED = (RUN_TASK,)
