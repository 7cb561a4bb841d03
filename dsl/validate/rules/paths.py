"""JSONPath fields, payload templates and intrinsic function calls (JSONPath states)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dsl import jsonpath
from dsl.document import DocState, Document, Parts, choice_rules, walk_values
from dsl.findings import Finding
from dsl.jsonpath import ANY_PATH, REFERENCE, RESULT_PATH, PathKind
from dsl.placeholders import is_placeholder
from dsl.validate import intrinsics
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

MALFORMED_PATH = RULES.rule(
    "ASL-PATH-001", "error",
    "a path field holds a malformed JSONPath",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html")
NOT_A_REFERENCE_PATH = RULES.rule(
    "ASL-PATH-002", "error",
    "a reference-path field holds a path that may select many nodes, "
    "or uses $$ or a variable where they are not allowed",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html"
         "#amazon-states-language-reference-paths")
NOT_A_PATH_OR_CALL = RULES.rule(
    "ASL-PATH-003", "error",
    "a key ending in .$ holds something other than a path or an intrinsic function call",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html")
COLLIDING_KEYS = RULES.rule(
    "ASL-PATH-004", "error",
    "two keys of one object collide once the .$ suffix is removed",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html")

# State-level path fields and what each accepts.
STATE_PATH_FIELDS: dict[str, PathKind] = {
    "InputPath": ANY_PATH,
    "OutputPath": ANY_PATH,
    "ResultPath": RESULT_PATH,
    "ItemsPath": REFERENCE,
    "TimeoutSecondsPath": REFERENCE,
    "HeartbeatSecondsPath": REFERENCE,
    "SecondsPath": REFERENCE,
    "TimestampPath": REFERENCE,
    "MaxConcurrencyPath": REFERENCE,
    "ToleratedFailureCountPath": REFERENCE,
    "ToleratedFailurePercentagePath": REFERENCE,
}
# Fields that take a reference path or an intrinsic function call.
PATH_OR_CALL_FIELDS = ("ErrorPath", "CausePath")
# (container field, path field) pairs one level down.
NESTED_PATH_FIELDS = (
    (("ItemReader", "ReaderConfig"), "MaxItemsPath"),
    (("ItemBatcher",), "MaxItemsPerBatchPath"),
    (("ItemBatcher",), "MaxInputBytesPerBatchPath"),
)
# Where payload templates (objects whose "key.$" entries are evaluated) live.
TEMPLATE_FIELDS = (
    ("Parameters",), ("ResultSelector",), ("ItemSelector",), ("Assign",), ("Credentials",),
    ("ItemReader", "Parameters"), ("ResultWriter", "Parameters"), ("ItemBatcher", "BatchInput"),
)


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Path, template and intrinsic findings for every JSONPath state."""
    for state in machine.states:
        if state.jsonata:
            continue
        yield from _state_paths(state)
        yield from _templates(state)
        if state.type == "Choice":
            yield from _choice_paths(state)


def _state_paths(state: DocState) -> Iterator[Finding]:
    body = state.body
    for key, kind in STATE_PATH_FIELDS.items():
        yield from _path_value(body.get(key), (*state.parts, key), key, kind)
    for key in PATH_OR_CALL_FIELDS:
        value = body.get(key)
        if isinstance(value, str) and intrinsics.looks_like_call(value):
            yield from _call_value(value, (*state.parts, key))
        else:
            yield from _path_value(value, (*state.parts, key), key, REFERENCE)
    for containers, key in NESTED_PATH_FIELDS:
        holder = _dig(body, containers)
        if holder is not None:
            yield from _path_value(holder.get(key), (*state.parts, *containers, key), key, REFERENCE)
    catchers = body.get("Catch")
    if isinstance(catchers, list):
        for index, catcher in enumerate(catchers):
            if isinstance(catcher, dict):
                yield from _path_value(catcher.get("ResultPath"), (*state.parts, "Catch", index, "ResultPath"),
                                       "ResultPath", RESULT_PATH)


def _choice_paths(state: DocState) -> Iterator[Finding]:
    for parts, rule in choice_rules(state):
        for key, value in rule.items():
            if key == "Variable" or key.endswith("Path"):
                yield from _path_value(value, (*parts, key), key, ANY_PATH)


def _templates(state: DocState) -> Iterator[Finding]:
    places: list[tuple[Parts, Any]] = [((*state.parts, *where), _dig(state.body, where))
                                       for where in TEMPLATE_FIELDS]
    for key in ("Catch", "Choices"):
        entries = state.body.get(key)
        if isinstance(entries, list):
            places.extend(((*state.parts, key, index, "Assign"), entry.get("Assign"))
                          for index, entry in enumerate(entries) if isinstance(entry, dict))
    for parts, template in places:
        if isinstance(template, dict):
            yield from _template(template, parts)


def _template(template: dict[str, Any], parts: Parts) -> Iterator[Finding]:
    for where, node in walk_values(template, parts):
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key.endswith(".$"):
                if key[:-2] in node:
                    yield finding(COLLIDING_KEYS, (*where, key),
                                  f"{quoted(key)} and {quoted(key[:-2])} both become {quoted(key[:-2])} "
                                  "once the .$ suffix is removed; keep one")
                yield from _dynamic_value(value, (*where, key), key)


def _dynamic_value(value: Any, parts: Parts, key: str) -> Iterator[Finding]:
    if is_placeholder(value):
        return
    if isinstance(value, str) and value.startswith("$"):
        yield from _path_value(value, parts, key, ANY_PATH)
    elif isinstance(value, str) and intrinsics.looks_like_call(value):
        yield from _call_value(value, parts)
    else:
        shown = f'"{value}"' if isinstance(value, str) else "a " + type(value).__name__
        yield finding(NOT_A_PATH_OR_CALL, parts,
                      f"{quoted(key)} ends in .$ so it must hold a path ($...) or an intrinsic function "
                      f"call (States....); got {shown[:80]} (drop the .$ for a literal value)")


def _path_value(value: Any, parts: Parts, key: str, kind: PathKind) -> Iterator[Finding]:
    if not isinstance(value, str) or is_placeholder(value):
        return  # missing, null or wrong type: the schema reports types
    reason = jsonpath.problem(value, kind)
    if reason is None:
        return
    if kind is not ANY_PATH and jsonpath.problem(value, ANY_PATH) is None:
        yield finding(NOT_A_REFERENCE_PATH, parts, f"{quoted(key)} needs a reference path: {value!r} {reason}")
    else:
        yield finding(MALFORMED_PATH, parts, f"{quoted(key)} is not a valid JSONPath: {value!r} {reason}")


def _call_value(value: str, parts: Parts) -> Iterator[Finding]:
    for rule, message in intrinsics.problems(value):
        yield finding(rule, parts, message)


def _dig(body: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = body
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None
