"""The integration helpers that take the request as PascalCase keywords.

``sns.publish("Notify", TopicArn=..., Message=P("$.text"))`` for an optimized
integration (``arn:aws:states:::sns:publish``, the helper named after the API in
the module :mod:`dsl.integrations.registry` names), and
``aws_sdk.call("Copy", "s3", "copyObject", Bucket=...)`` for any AWS SDK
integration. These helpers check the request against the service's model, so
the emitter tries them first and, when the module they give is refused, writes
the file again with ``Task(resource=...)`` (see :func:`dsl.importer.cli.convert`).
"""

from __future__ import annotations

import importlib
import inspect
import keyword
import re
from dataclasses import dataclass
from typing import Any

from dsl.importer.naming import snake_case
from dsl.integrations import registry

_ARN = "arn:aws:states:::"
_SDK = "aws-sdk:"
_WAIT = "waitForTaskToken"
# A pattern's keyword on the optimized helpers.
_PATTERN_KEYWORDS = {"": None, "sync": "sync", "sync:2": "sync2", _WAIT: "wait_for_task_token"}
_PARAMETER = re.compile(r"[A-Z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class CallHelper:
    """How to write a Task with a keyword-request helper."""

    module: str
    function: str
    leading: tuple[str, ...]  # positional strings after the state's name (aws_sdk.call's service, action)
    flag: str | None  # the pattern's keyword, set to True


def find_call_helper(resource: Any, request: Any, *, jsonata_state: bool, own_jsonata: bool
                     ) -> CallHelper | None:
    """The keyword-request helper that writes ``resource`` with ``request``, if one may."""
    if not isinstance(resource, str) or not resource.startswith(_ARN) or not _keywords_fit(request):
        return None
    if jsonata_state and not own_jsonata:
        return None  # the helpers write Arguments only when the state itself says JSONata
    rest = resource[len(_ARN):]
    if rest.startswith(_SDK):
        service, _, action = rest[len(_SDK):].partition(":")
        base, _, pattern = action.partition(".")
        if not service or not base or pattern not in ("", _WAIT):
            return None
        return CallHelper("aws_sdk", "call", (service, base), "wait_for_task_token" if pattern else None)
    service, _, action = rest.partition(":")
    api, _, pattern = action.partition(".")
    if pattern not in _PATTERN_KEYWORDS or registry.optimized(service, api) is None:
        return None
    module = next((m for m in registry.MODULES if service in registry.SERVICES.get(m, (m,))), None)
    if module is None:
        return None
    function = getattr(importlib.import_module(f"dsl.integrations.{module}"), snake_case(api), None)
    flag = _PATTERN_KEYWORDS[pattern]
    if not callable(function) or not _takes(function, flag):
        return None
    return CallHelper(module, snake_case(api), (), flag)


def _keywords_fit(request: Any) -> bool:
    if not isinstance(request, dict) or not request:
        return False
    names = [key.removesuffix(".$") for key in request]
    return len(set(names)) == len(names) and all(
        _PARAMETER.fullmatch(name) and not keyword.iskeyword(name) for name in names)


def _takes(function: Any, flag: str | None) -> bool:
    """The helper takes ``**parameters_and_state`` (and the pattern's keyword, if any), and needs
    nothing but the state's name (``aws_lambda.invoke``'s ``function=`` is a typed helper's)."""
    parameters = list(inspect.signature(function).parameters.values())
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return False
    required = [p for p in parameters[1:] if p.default is inspect.Parameter.empty
                and p.kind is not inspect.Parameter.VAR_KEYWORD]
    return not required and (flag is None or any(p.name == flag for p in parameters))
