"""Short human forms of ASL pieces, shared by diagrams, summaries and diffs.

They read ASL JSON (not DSL objects), so they work for any ASL file, and they
never raise on odd input: a review tool shows what is there. Choice conditions
use :func:`dsl.graph.condition_label`, the form the verifier prints too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_STATES_PREFIX = "arn:aws:states:::"
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_:$#@-]+$")


def value_text(value: Any, *, limit: int = 80) -> str:
    """Compact one-line JSON of ``value``, cut to ``limit`` characters with an ellipsis."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def retrier_text(retrier: Any, *, with_errors: bool = True) -> str:
    """One Retry entry in short form, e.g. ``States.ALL ×6 (backoff 2)``.

    ``×N`` is ``MaxAttempts`` (ASL default 3); ``×0`` means "never retried".
    """
    if not isinstance(retrier, dict):
        return value_text(retrier)
    text = f"×{retrier.get('MaxAttempts', 3)}"
    if with_errors:
        text = f"{catcher_errors(retrier)} {text}"
    extras = []
    if "IntervalSeconds" in retrier:
        extras.append(f"every {retrier['IntervalSeconds']}s")
    if "BackoffRate" in retrier:
        extras.append(f"backoff {retrier['BackoffRate']}")
    for key in ("MaxDelaySeconds", "JitterStrategy"):
        if key in retrier:
            extras.append(f"{key} {retrier[key]}")
    return text + (f" ({', '.join(extras)})" if extras else "")


def catcher_errors(catcher: Any) -> str:
    """The errors a Retry or Catch entry handles, comma-separated."""
    if not isinstance(catcher, dict):
        return value_text(catcher)
    errors = catcher.get("ErrorEquals")
    if not isinstance(errors, list):
        return value_text(errors) if "ErrorEquals" in catcher else "?"
    return ", ".join(str(e) for e in errors) or "?"


def integration(resource: Any) -> str:
    """The service integration of a Task's ``Resource``, e.g. ``dynamodb:updateItem``."""
    if not isinstance(resource, str):
        return ""
    if resource.startswith(_STATES_PREFIX):
        return resource[len(_STATES_PREFIX):]
    parts = resource.split(":")
    if len(parts) >= 6 and parts[0] == "arn":
        service, kind = parts[2], parts[5]
        if service == "lambda" and kind == "function":
            return "lambda function"
        if service == "states" and kind == "activity":
            return "activity"
        return f"{service} {kind}"
    return resource


def member_path(path: str, key: str) -> str:
    """``path`` extended by ``key``, dotted; a key that is not a plain word is quoted."""
    shown = key if _PLAIN_KEY.match(key) else value_text(key)
    return f"{path}.{shown}" if path else shown


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a JSON value with its dotted path; a list of plain values is one leaf."""
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            yield from leaves(inner, member_path(path, str(key)))
    elif isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value
