"""AWS CodeBuild optimized integration: ``codebuild:startBuild`` (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    Optimized,
    build,
    pattern_of,
    sync_grants,
)
from dsl.states import Task

RULE = "StepFunctionsGetEventForCodeBuildStartBuildRule"


def start_build(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``codebuild.start_build("Build", ProjectName=..., sync=True)``."""
    return build(START_BUILD, name, pattern_of(sync=sync), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    project = args.require("ProjectName", "codebuild:startBuild")
    resource = project if project and project.startswith("arn:") else arn("codebuild", f"project/{project or '*'}")
    start = Grant(("codebuild:StartBuild",), (resource,), why(args, "ProjectName", "the Task builds this project"))
    return (start, *sync_grants(pattern, ("codebuild:BatchGetBuilds", "codebuild:StopBuild"), (resource,), RULE))


START_BUILD = Optimized("codebuild", "startBuild", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                        model=("codebuild", "startBuild"))
OPTIMIZED = (START_BUILD,)
