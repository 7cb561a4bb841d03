"""Type and range checks for the DSL's field values, run when a value is set.

A wrong value (``Wait(seconds="ten")``, ``retry(max_attempts="3")``) is
refused at the author's line with :class:`~dsl.errors.InvalidField`, rather
than compiled into a document the schema later rejects with no Python line.
The ranges are the ones Step Functions documents (and the ASL schema in
``dsl/validate/schema`` checks).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from dsl.errors import InvalidField, Site, caller_site
from dsl.paths import Intrinsic, P

# A check returns None when the value is fine, else what was expected.
Check = Callable[[Any], "str | None"]

_JSONATA = re.compile(r"^\{%[\s\S]*%\}$")
_LABEL = re.compile(r'^[^\s?*<>{}\[\]:;,\\|^~$#%&`"]{0,40}$')
MAX_SECONDS = 99_999_999
MAX_DELAY_SECONDS = 31_622_400  # one year, as AWS documents for MaxDelaySeconds


def _is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and bool(_JSONATA.match(value))


def _integer(low: int, high: int | None = None, *, jsonata: bool = False) -> Check:
    expected = (f"an integer from {low} to {high}" if high is not None
                else f"an integer >= {low}") + (' or a JSONata expression "{% ... %}"' if jsonata else "")

    def check(value: Any) -> str | None:
        if jsonata and _is_jsonata(value):
            return None
        ok = (isinstance(value, int) and not isinstance(value, bool) and value >= low
              and (high is None or value <= high))
        return None if ok else expected
    return check


def _number(low: float, high: float | None = None, *, jsonata: bool = False) -> Check:
    expected = (f"a number from {low:g} to {high:g}" if high is not None else f"a number >= {low:g}"
                ) + (' or a JSONata expression "{% ... %}"' if jsonata else "")

    def check(value: Any) -> str | None:
        if jsonata and _is_jsonata(value):
            return None
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
              and value >= low and (high is None or value <= high))
        return None if ok else expected
    return check


def _one_of(*choices: Any) -> Check:
    expected = "one of " + ", ".join(repr(c) for c in choices)
    return lambda value: None if value in choices and type(value) is type(choices[0]) else expected


def _instance(kinds: tuple[type, ...], expected: str) -> Check:
    return lambda value: None if isinstance(value, kinds) else expected


def _timestamp(value: Any) -> str | None:
    from dsl.validate.timestamps import problem

    if _is_jsonata(value) or (isinstance(value, str) and problem(value) is None):
        return None
    return 'an RFC 3339 timestamp such as "2016-03-14T01:59:00Z" or a JSONata expression "{% ... %}"'


def _label(value: Any) -> str | None:
    if isinstance(value, str) and _LABEL.match(value):
        return None
    return "a string of at most 40 characters without whitespace or any of ? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` \""


_TEXT = _instance((str,), "a string")
_PATH = _instance((str, P), 'a JSONPath string such as "$.field" (or P(...))')
_OBJECT = _instance((dict,), "a dict (a JSON object)")

# Field name (as the Python keyword is spelled) -> its check; None values mean "not set".
STATE_FIELDS: dict[str, Check] = {
    "comment": _TEXT,
    "query_language": _one_of("JSONPath", "JSONata"),
    "input_path": _PATH, "output_path": _PATH, "items_path": _PATH,
    "timeout_seconds_path": _PATH, "heartbeat_seconds_path": _PATH,
    "seconds_path": _PATH, "timestamp_path": _PATH, "error_path": _PATH, "cause_path": _PATH,
    "max_concurrency_path": _PATH, "tolerated_failure_percentage_path": _PATH,
    "tolerated_failure_count_path": _PATH,
    "assign": _OBJECT, "parameters": _OBJECT, "result_selector": _OBJECT,
    "item_selector": _OBJECT, "item_reader": _OBJECT, "item_batcher": _OBJECT,
    "result_writer": _OBJECT, "credentials": _OBJECT,
    "timeout_seconds": _integer(1, MAX_SECONDS, jsonata=True),
    "heartbeat_seconds": _integer(1, MAX_SECONDS, jsonata=True),
    "seconds": _integer(0, MAX_SECONDS, jsonata=True),
    "timestamp": _timestamp,
    "max_concurrency": _integer(0, jsonata=True),
    "tolerated_failure_count": _integer(0, jsonata=True),
    "tolerated_failure_percentage": _number(0, 100, jsonata=True),
    "label": _label,
    "mode": _one_of("INLINE", "DISTRIBUTED"),
    "execution_type": _one_of("STANDARD", "EXPRESS"),
    "legacy_iterator": _instance((bool,), "True or False"),
    "error": _TEXT, "cause": _TEXT,
    "resource": _TEXT,
}

# ``retry()``'s keywords.
RETRY_FIELDS: dict[str, Check] = {
    "interval": _integer(1, MAX_SECONDS),
    "max_attempts": _integer(0, MAX_SECONDS),
    "backoff": _number(1),
    "max_delay": _integer(1, MAX_DELAY_SECONDS),
    "jitter": _one_of("FULL", "NONE"),
}

# ``Workflow(...)``'s keywords (the top-level TimeoutSeconds takes no JSONata).
WORKFLOW_FIELDS: dict[str, Check] = {
    "comment": _TEXT,
    "query_language": STATE_FIELDS["query_language"],
    "timeout_seconds": _integer(1, MAX_SECONDS),
    "version": _TEXT,
}

_ALWAYS_SET = {"resource", "mode", "legacy_iterator"}


def check_field(checks: dict[str, Check], name: str, value: Any, *, state: str | None,
                site: Site | None = None, owner: str = "") -> None:
    """Raise :class:`InvalidField` when ``value`` does not suit field ``name``.

    Without ``site`` the error names the author's line, found only when there is an error
    (walking the stack for every field set would make building states many times slower).
    ``owner`` starts the message when there is no state to name (``"workflow 'w': "``).
    """
    check = checks.get(name)
    if check is None or (value is None and name not in _ALWAYS_SET) or value is ...:
        return
    expected = check(value)
    if expected is not None:
        raise InvalidField(f"{owner}{name} must be {expected}, got {_shown(value)}", state=state,
                           site=site or caller_site())


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{text[:60]}..." if len(text) > 60 else text


def static_json_problem(value: Any) -> str | None:
    """What in ``value`` is not plain JSON (a path, an intrinsic, NaN, an object), else None.

    For fields written to the document as they are (``Result``, ``Assign``, ...),
    where a :class:`~dsl.paths.P` would never be evaluated.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (P, Intrinsic)):
            return f"the path or intrinsic {str(item)!r}"
        if isinstance(item, float) and not math.isfinite(item):
            return f"{item!r}, which is not JSON"
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return "a key that is not a string"
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif not (item is None or isinstance(item, (str, int, float, bool))):
            return f"a {type(item).__name__} object, which is not JSON"
    return None
