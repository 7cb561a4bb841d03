"""One ASL state's own fields -> the keyword arguments of its DSL constructor.

Wiring (Next, End, Retry, Catch, Choices, Default, Branches, the item
processor) is the emitter's; everything else a state may hold is here, in the
order a person writes it: what the state does, its data flow, its limits,
then its comment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dsl.importer.calls import CallHelper, find_call_helper
from dsl.importer.code import CallExpr, Code, Raw, Str, literal
from dsl.importer.conditions import Unsupported
from dsl.importer.integrations import find_helper
from dsl.importer.values import Imports, Values

WIRING = frozenset({"Type", "Next", "End", "Retry", "Catch", "Choices", "Default", "Branches",
                    "ItemProcessor", "Iterator"})

# ASL key -> (keyword, how its value is written), in emission order.
PLAIN, PAYLOAD = "plain", "payload"
_ORDER: tuple[tuple[str, str, str], ...] = (
    ("Resource", "resource", PLAIN),
    ("Seconds", "seconds", PLAIN), ("Timestamp", "timestamp", PLAIN),
    ("SecondsPath", "seconds_path", PLAIN), ("TimestampPath", "timestamp_path", PLAIN),
    ("Error", "error", PLAIN), ("Cause", "cause", PLAIN),
    ("ErrorPath", "error_path", PLAIN), ("CausePath", "cause_path", PLAIN),
    ("ItemReader", "item_reader", PLAIN), ("ItemsPath", "items_path", PLAIN),
    ("Items", "items", PLAIN), ("ItemSelector", "item_selector", PAYLOAD),
    ("ItemBatcher", "item_batcher", PLAIN), ("ResultWriter", "result_writer", PLAIN),
    ("MaxConcurrency", "max_concurrency", PLAIN), ("MaxConcurrencyPath", "max_concurrency_path", PLAIN),
    ("ToleratedFailurePercentage", "tolerated_failure_percentage", PLAIN),
    ("ToleratedFailurePercentagePath", "tolerated_failure_percentage_path", PLAIN),
    ("ToleratedFailureCount", "tolerated_failure_count", PLAIN),
    ("ToleratedFailureCountPath", "tolerated_failure_count_path", PLAIN),
    ("Label", "label", PLAIN),
    ("InputPath", "input_path", PLAIN), ("Parameters", "parameters", PAYLOAD),
    ("Arguments", "arguments", PLAIN), ("Result", "result", PLAIN),
    ("ResultSelector", "result_selector", PAYLOAD), ("ResultPath", "result_path", PLAIN),
    ("OutputPath", "output_path", PLAIN), ("Output", "output", PLAIN), ("Assign", "assign", PLAIN),
    ("TimeoutSeconds", "timeout_seconds", PLAIN), ("TimeoutSecondsPath", "timeout_seconds_path", PLAIN),
    ("HeartbeatSeconds", "heartbeat_seconds", PLAIN),
    ("HeartbeatSecondsPath", "heartbeat_seconds_path", PLAIN),
    ("Credentials", "credentials", PLAIN),
    ("Comment", "comment", PLAIN), ("QueryLanguage", "query_language", PLAIN),
)
# Fields AWS never evaluates as JSONata: a "{% ... %}" there is plain text, written as such.
_NEVER_JSONATA = frozenset({"Comment", "QueryLanguage", "Resource", "Result", "Label"})
_COMMON = {"Comment", "QueryLanguage"}
_IO = {"InputPath", "OutputPath", "Output", "Assign"}
_RESULTS = {"Parameters", "Arguments", "ResultSelector", "ResultPath"}
ALLOWED: dict[str, set[str]] = {
    "Pass": _COMMON | _IO | _RESULTS | {"Result"},
    "Task": _COMMON | _IO | _RESULTS | {"Resource", "TimeoutSeconds", "TimeoutSecondsPath",
                                        "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"},
    "Wait": _COMMON | _IO | {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"},
    "Choice": _COMMON | _IO,
    "Parallel": _COMMON | _IO | _RESULTS,
    "Map": _COMMON | _IO | _RESULTS | {
        "ItemReader", "ItemsPath", "Items", "ItemSelector", "ItemBatcher", "ResultWriter",
        "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath",
        "Label"},
    "Succeed": _COMMON | _IO,
    "Fail": _COMMON | {"Error", "Cause", "ErrorPath", "CausePath"},
}


class FieldError(Unsupported):
    """A field the DSL cannot write as found."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(reason)


def constructor(name: str, state: dict[str, Any], values: Values, *, jsonata_state: bool,
                extra: tuple[tuple[str, Code], ...] = (), keyword_helpers: bool = True) -> Code:
    """The call that builds ``state`` (without its wiring); ``extra`` keywords go after the name.

    ``keyword_helpers``: a Task no typed helper writes may use a keyword-request helper
    (:mod:`dsl.importer.calls`).
    """
    kind = state.get("Type")
    if kind not in ALLOWED:
        raise FieldError("Type", f"unknown state type {kind!r}")
    for key in state:
        if key not in WIRING and key not in ALLOWED[kind]:
            raise FieldError(key, f"is not a field of a {kind} state")
    fields = dict(state)
    legacy = kind == "Map" and "Iterator" in state
    if legacy and "Parameters" in fields:
        fields["ItemSelector"] = fields.pop("Parameters")  # the legacy form's item selector
    special = _dynamodb_values(values) if ":dynamodb:" in str(state.get("Resource", "")) else None
    helper = None
    if kind == "Task":
        request_key = "Arguments" if jsonata_state else "Parameters"
        helper = find_helper(state["Resource"], fields.get(request_key), jsonata_state=jsonata_state,
                             own_jsonata=state.get("QueryLanguage") == "JSONata")
    keywords: list[tuple[str, Code]] = list(extra)
    positional: list[Code] = [Str(name)]
    func = None if helper is None else f"{helper.helper.module}.{helper.helper.function}"
    if helper is None and kind == "Task" and keyword_helpers:
        request_key = "Arguments" if jsonata_state else "Parameters"
        call = _call_helper(state, fields.get(request_key), values, jsonata_state)
        if call is not None:
            values.imports.module(call.module)
            func = f"{call.module}.{call.function}"
            positional += [Str(text) for text in call.leading]
            if call.flag is not None:
                keywords.append((call.flag, Raw("True")))
            for key, value in fields.pop(request_key).items():
                dynamic = key.endswith(".$")
                keywords.append((key.removesuffix(".$"),
                                 _request_value(values, value, dynamic, special, jsonata_state)))
            fields.pop("Resource")
    if helper is not None:
        values.imports.module(helper.helper.module)
        for keyword, value in helper.fixed:
            keywords.append((keyword, literal(value)))
        for keyword, _, value, dynamic in helper.keywords:
            keywords.append((keyword, _request_value(values, value, dynamic, special, jsonata_state)))
        fields.pop("Resource")
        fields.pop("Arguments" if jsonata_state else "Parameters", None)
    if legacy:
        keywords.append(("legacy_iterator", Raw("True")))
    for key, keyword, how in _ORDER:
        if key in fields:
            keywords.append((keyword, _field(values, key, fields[key], how, special, jsonata_state)))
    return CallExpr(func or values.imports.name(kind), tuple(positional), tuple(keywords))


def _call_helper(state: dict[str, Any], request: Any, values: Values, jsonata_state: bool
                 ) -> CallHelper | None:
    """A keyword-request helper, when every ``.$`` value can be written as a path or builder."""
    found = find_call_helper(state.get("Resource"), request, jsonata_state=jsonata_state,
                             own_jsonata=state.get("QueryLanguage") == "JSONata")
    if found is None:
        return None
    probe = Values(Imports())  # a throwaway: trying must not add imports to the module
    for key, value in request.items():
        if key.endswith(".$") and (jsonata_state or probe.dynamic(value) is None):
            return None
    return found


def _request_value(values: Values, value: Any, dynamic: bool, special: Callable[[Any], Code | None] | None,
                   jsonata_state: bool) -> Code:
    if dynamic:
        code = values.dynamic(value)
        if code is None:
            raise FieldError("Parameters", f"the '.$' value {value!r} is neither a path nor an intrinsic")
        return code
    if jsonata_state:
        return values.plain(value, jsonata_strings=True)
    return values.payload(value, special=special)


def _field(values: Values, key: str, value: Any, how: str, special: Callable[[Any], Code | None] | None,
           jsonata_state: bool) -> Code:
    if how == PAYLOAD and not jsonata_state:
        if not isinstance(value, dict):
            raise FieldError(key, f"must be an object, got {type(value).__name__}")
        return values.payload(value, special=special)
    return values.plain(value, jsonata_strings=jsonata_state and key not in _NEVER_JSONATA)


def _dynamodb_values(values: Values) -> Callable[[Any], Code | None]:
    """``{"S": "x"}`` -> ``dynamodb.S("x")``, ``{"N": "1"}`` -> ``dynamodb.N(1)`` (exact forms only)."""

    def render(value: Any) -> Code | None:
        if not isinstance(value, dict) or len(value) != 1:
            return None
        ((key, item),) = value.items()
        kind, dynamic = (key[:-2], True) if key.endswith(".$") else (key, False)
        if kind not in ("S", "N") or not isinstance(item, str):
            return None
        if dynamic:
            argument = values.dynamic(item)
            if argument is None:
                return None
        elif kind == "N" and item.isdigit() and str(int(item)) == item:
            argument = Raw(item)
        else:
            argument = Str(item)
        values.imports.module("dynamodb")
        return CallExpr(f"dynamodb.{kind}", (argument,))

    return render
