"""Run-time references in one canonical spelling, whatever the query language.

``$$.Execution.Id`` (JSONPath) and ``{% $states.context.Execution.Id %}``
(JSONata) both become ``{context.Execution.Id}``; ``$.detail.executionArn``
(after the state's InputPath) and ``$states.input.detail.executionArn``
become ``{input.detail.executionArn}``. Larger expressions keep their text
with each reference replaced, so two spellings of the same computation
compare equal.
"""

from __future__ import annotations

import re

__all__ = ["EXECUTION_EVENT_FIELDS", "canonical", "event_owner", "is_execution_owner"]

_JSONPATH_REF = re.compile(r"\$\$?(?:\.[A-Za-z0-9_]+|\['[^']*'\])*")
_JSONATA_REF = re.compile(r"\$states\.(context|input)((?:\.[A-Za-z0-9_]+)*)")

# What identifies an execution in the context object, and the field of the
# EventBridge "Step Functions Execution Status Change" event that carries the
# same value for the execution the event is about.
EXECUTION_EVENT_FIELDS = {
    "{context.Execution.Id}": "{input.detail.executionArn}",
    "{context.Execution.Name}": "{input.detail.name}",
}


def _jsonpath_ref(path: str, input_path: str | None) -> str:
    steps = re.sub(r"\['([^']*)'\]", r".\1", path)
    if steps.startswith("$$"):
        return "{context" + steps[2:] + "}"
    base = "" if input_path in (None, "$") else re.sub(r"\['([^']*)'\]", r".\1", input_path or "")[1:]
    return "{input" + base + steps[1:] + "}"


def canonical(expr: str, *, jsonata: bool = False, input_path: str | None = None) -> str:
    """The canonical spelling of a run-time expression (see the module docstring).

    ``input_path`` is the state's InputPath (JSONPath ``$.x`` references are
    relative to the input after it).
    """
    text = expr.strip()
    if jsonata or (text.startswith("{%") and text.endswith("%}")):
        inner = text.removeprefix("{%").removesuffix("%}").strip()
        return _JSONATA_REF.sub(lambda m: "{" + m.group(1) + m.group(2) + "}", inner)
    if text.startswith("$"):
        match = _JSONPATH_REF.fullmatch(text)
        if match:
            return _jsonpath_ref(text, input_path)
    # An intrinsic such as States.Format('{}', $$.Execution.Id): rewrite each reference.
    return _JSONPATH_REF.sub(lambda m: _jsonpath_ref(m.group(0), input_path) if m.group(0) != "$" else "$", text)


def is_execution_owner(expr: str) -> bool:
    """Whether an owner expression is derived from the execution's own identity."""
    return any(ref in expr for ref in EXECUTION_EVENT_FIELDS)


def event_owner(expr: str) -> str | None:
    """The same owner as read from a status-change event given as input, or None."""
    if not is_execution_owner(expr):
        return None
    for ref, field in EXECUTION_EVENT_FIELDS.items():
        expr = expr.replace(ref, field)
    return expr
