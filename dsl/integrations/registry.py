"""The one place that knows every integration module.

``dsl.iam`` and ``dsl validate`` find an optimized integration with :func:`optimized`, and the
per-service IAM of an aws-sdk call with :func:`sdk_scope` and :func:`sdk_action`. Adding an
integration is adding its module to ``MODULES`` (and its Resource services to ``SERVICES``).
Modules are imported when first asked for, so a file that calls one service imports one module.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from dsl.integrations.grants import Args, Grant

if TYPE_CHECKING:
    from dsl.integrations.optimized import Optimized

MODULES = ("apigateway", "athena", "aws_lambda", "batch", "bedrock", "codebuild", "databrew", "dynamodb", "ecs",
           "eks", "emr", "emr_containers", "emr_serverless", "events", "glue", "http", "mediaconvert", "s3",
           "sagemaker", "sns", "sqs", "stepfunctions")

# The service part of each module's Resources (optimized) or aws-sdk calls, where it is not the module's name.
SERVICES = {"aws_lambda": ("lambda",), "emr": ("elasticmapreduce",), "emr_containers": ("emr-containers",),
            "emr_serverless": ("emr-serverless",), "stepfunctions": ("states", "sfn")}

SdkGrants = Callable[[str, str, Args, str], "tuple[Grant, ...] | None"]
"""(api, IAM action, arguments, Resource pointer) -> grants, or None to fall back to the generic rule."""


def _names(module: str) -> tuple[str, ...]:
    return SERVICES.get(module, (module,))


@functools.cache
def _module_of(service: str) -> ModuleType | None:
    for module in MODULES:
        if service in _names(module):
            return importlib.import_module(f"dsl.integrations.{module}")
    return None


def optimized(service: str, api: str) -> Optimized | None:
    """The optimized integration ``arn:aws:states:::service:api``, if there is one."""
    specs: tuple[Optimized, ...] = getattr(_module_of(service), "OPTIMIZED", ())
    return next((spec for spec in specs if spec.key == (service, api)), None)


def all_optimized() -> list[Optimized]:
    """Every optimized integration, by service and API (imports every module)."""
    found: list[Optimized] = [spec for module in MODULES for spec in getattr(
        importlib.import_module(f"dsl.integrations.{module}"), "OPTIMIZED", ())]
    return sorted(found, key=lambda spec: spec.key)


def sdk_action(service: str, api: str) -> str | None:
    """The IAM action of ``aws-sdk:service:api`` when it is not the operation's own name."""
    actions: dict[str, str] = getattr(_module_of(service), "SDK_ACTIONS", {})
    return actions.get(api)


def sdk_scope(service: str) -> SdkGrants | None:
    """How ``aws-sdk:service`` calls are scoped, when its module knows better than the generic rule."""
    hook: SdkGrants | None = getattr(_module_of(service), "sdk_grants", None)
    return hook

