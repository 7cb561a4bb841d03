"""Which error names a Task's integration can raise, and why a Retry/Catch name can never match.

The one judgement behind ``dsl validate``'s ASL-SDK-008 and the DSL's ``ImpossibleErrorWarning``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from dsl.integrations.resource import parse


@dataclass(frozen=True)
class ErrorScope:
    """How a Task's integration names its errors: ``prefix.Name``, for the names ``known()`` lists.

    ``complete``: ``known()`` is every name of the prefix (aws-sdk, from the model); otherwise it is
    the names the integration is known to raise, and others of the prefix may exist.
    """

    prefix: str
    complete: bool
    known: Callable[[], tuple[str, ...]]  # called only when a name has the prefix


def scope_of(resource: object) -> ErrorScope | None:
    """The error scope of a Task ``resource``; None where the integration's error names are unknown."""
    call = parse(resource) if isinstance(resource, str) and "${" not in resource else None
    if call is None or not call.api:
        return None
    if call.sdk:
        # The model only for Tasks that call a service.
        from dsl.integrations import sdk_model

        try:
            svc = sdk_model.service(call.service)
            svc.operation(call.api)
        except (sdk_model.UnknownService, sdk_model.UnknownAction):
            return None
        return ErrorScope(svc.error_prefix, True, lambda: svc.all_error_names)
    # Imports the one integration module the Task calls.
    from dsl.integrations import registry

    spec = registry.optimized(call.service, call.api)
    if spec is None or spec.error_prefix is None:
        return None
    return ErrorScope(spec.error_prefix, False, spec.error_names)


def impossible_error(name: object, scope: ErrorScope) -> str | None:
    """Why a Task of ``scope`` can never raise ``name`` (None if it can).

    ``States.*`` names are always possible. A name spelled with the prefix in another case never
    matches (``DynamoDB.`` vs ``DynamoDb.``); when the scope is ``complete``, neither does a name of
    the prefix that is not known.
    """
    if not isinstance(name, str) or "." not in name or name.startswith("States."):
        return None
    head, _, tail = name.partition(".")
    if head.lower() != scope.prefix.lower() or tail.startswith("Sdk"):
        return None
    if head != scope.prefix:
        return f'"{name}" never matches: this integration names its errors "{scope.prefix}.{tail}"'
    known = scope.known()
    if not scope.complete or name in known:
        return None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f'"{name}" is not an error the service defines, so it never matches{hint}'
