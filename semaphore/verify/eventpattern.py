"""Does an EventBridge event pattern match a Step Functions status-change event?

Implements the pattern semantics the cleanup rule can use: nested objects,
lists of literal values (any one matches), and the content filters
``prefix``, ``suffix``, ``anything-but``, ``exists``, ``equals-ignore-case``
and ``wildcard``. A filter this module does not know makes the field not
match, so an unreadable rule is never taken as coverage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["UNKNOWN", "status_event", "unmatched"]

# Stands for a value the verifier cannot know (the machine's deployed ARN):
# any literal pattern value is assumed to be it.
UNKNOWN = object()
_DEPTH = 16


def status_event(status: str) -> dict[str, Any]:
    """The fields of a "Step Functions Execution Status Change" event with ``status``."""
    return {"source": "aws.states", "detail-type": "Step Functions Execution Status Change",
            "detail": {"status": status, "stateMachineArn": UNKNOWN, "executionArn": UNKNOWN}}


def _filter(rule: object, value: object) -> bool:
    if not isinstance(rule, Mapping):
        return value is UNKNOWN or rule == value
    if len(rule) != 1:
        return False
    ((name, arg),) = rule.items()
    if name == "exists":
        return (value is not None) == (arg is True)
    if value is None:
        return False
    if value is UNKNOWN:
        return True  # the deployed ARN is unknown: assume the filter names it
    if not isinstance(value, str):
        return name == "anything-but" and value not in (arg if isinstance(arg, list) else [arg])
    if name == "prefix" and isinstance(arg, str):
        return value.startswith(arg)
    if name == "suffix" and isinstance(arg, str):
        return value.endswith(arg)
    if name == "equals-ignore-case" and isinstance(arg, str):
        return value.lower() == arg.lower()
    if name == "wildcard" and isinstance(arg, str):
        return re.fullmatch(".*".join(re.escape(p) for p in arg.split("*")), value, re.DOTALL) is not None
    if name == "anything-but":
        if isinstance(arg, Mapping):
            return not _filter(arg, value)
        return value not in (arg if isinstance(arg, list) else [arg])
    return False


def unmatched(pattern: Mapping[str, Any], event: Mapping[str, Any], where: str = "",
              depth: int = 0) -> str | None:
    """The pointer of the first pattern field ``event`` fails, or None when it matches."""
    if depth > _DEPTH:
        return where or "/"
    for key, rule in pattern.items():
        here = f"{where}/{key}"
        value = event.get(key) if isinstance(event, Mapping) else None
        if isinstance(rule, Mapping):
            if not isinstance(value, Mapping):
                return here
            inner = unmatched(rule, value, here, depth + 1)
            if inner is not None:
                return inner
            continue
        if not isinstance(rule, list) or not any(_filter(r, value) for r in rule):
            return here
    return None
