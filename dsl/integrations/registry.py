"""The one place that knows every integration module.

``dsl.iam`` and ``dsl validate`` find an optimized integration with :func:`optimized`, and the
per-service IAM scoping of an aws-sdk call with :func:`sdk_scope`. Adding an integration is
adding its module to ``MODULES``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import ModuleType

from dsl.integrations import (
    apigateway,
    athena,
    aws_lambda,
    batch,
    bedrock,
    codebuild,
    databrew,
    dynamodb,
    ecs,
    eks,
    emr,
    emr_containers,
    emr_serverless,
    events,
    glue,
    http,
    mediaconvert,
    s3,
    sagemaker,
    sns,
    sqs,
    stepfunctions,
)
from dsl.integrations.grants import Args, Grant
from dsl.integrations.optimized import Optimized

MODULES: tuple[ModuleType, ...] = (
    apigateway, athena, aws_lambda, batch, bedrock, codebuild, databrew, dynamodb, ecs, eks, emr,
    emr_containers, emr_serverless, events, glue, http, mediaconvert, s3, sagemaker, sns, sqs, stepfunctions,
)

SdkGrants = Callable[[str, str, Args, str], "tuple[Grant, ...] | None"]
"""(api, IAM action, arguments, Resource pointer) -> grants, or None to fall back to the generic rule."""

# aws-sdk service names of the modules that scope their own aws-sdk calls.
_SDK_SERVICE = {"aws_lambda": "lambda", "stepfunctions": "sfn"}


@functools.lru_cache(maxsize=1)
def _optimized() -> dict[tuple[str, str], Optimized]:
    table: dict[tuple[str, str], Optimized] = {}
    for module in MODULES:
        for spec in getattr(module, "OPTIMIZED", ()):
            table[spec.key] = spec
    return table


def optimized(service: str, api: str) -> Optimized | None:
    """The optimized integration ``arn:aws:states:::service:api``, if there is one."""
    return _optimized().get((service, api))


def all_optimized() -> list[Optimized]:
    """Every optimized integration, by service and API."""
    return sorted(_optimized().values(), key=lambda spec: spec.key)


@functools.lru_cache(maxsize=1)
def _sdk_scopes() -> dict[str, SdkGrants]:
    scopes: dict[str, SdkGrants] = {}
    for module in MODULES:
        hook = getattr(module, "sdk_grants", None)
        if hook is not None:
            short = module.__name__.rsplit(".", 1)[-1]
            scopes[_SDK_SERVICE.get(short, short)] = hook
    return scopes


@functools.lru_cache(maxsize=1)
def _sdk_actions() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for api, action in getattr(module, "SDK_ACTIONS", {}).items():
            found[(_SDK_SERVICE.get(short, short), api)] = action
    return found


def sdk_action(service: str, api: str) -> str | None:
    """The IAM action of ``aws-sdk:service:api`` when it is not the operation's own name."""
    return _sdk_actions().get((service, api))


def sdk_scope(service: str) -> SdkGrants | None:
    """How ``aws-sdk:service`` calls are scoped, when its module knows better than the generic rule."""
    return _sdk_scopes().get(service)
