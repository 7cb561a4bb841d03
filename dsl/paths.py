"""JSONPath values, context-object paths and intrinsic functions.

A ``Path`` or ``Intrinsic`` placed as a value in a payload (Parameters,
ResultSelector, ItemSelector, ...) compiles to a ``"key.$"`` entry, so authors
never type the ``.$`` suffix by hand::

    {"owner": Context.execution_id}        ->  {"owner.$": "$$.Execution.Id"}
    {"text": States.format("{}!", P("$.a"))} ->  {"text.$": "States.Format('{}!', $.a)"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from dsl import jsonpath


def is_path(text: str) -> bool:
    """True when ``text`` is a well-formed ASL JSONPath (``$``, ``$$`` or ``$variable``)."""
    return jsonpath.problem(text) is None


def is_reference_path(text: str) -> bool:
    """True when ``text`` is a reference path: it names exactly one node."""
    return jsonpath.problem(text, jsonpath.REFERENCE) is None


@dataclass(frozen=True)
class P:
    """A JSONPath value, e.g. ``P("$.detail.executionArn")``."""

    path: str

    def __str__(self) -> str:
        return self.path

    def __getattr__(self, name: str) -> P:
        if name.startswith("_"):
            raise AttributeError(name)
        return P(f"{self.path}.{name}")

    def __getitem__(self, index: int | str) -> P:
        return P(f"{self.path}[{index}]" if isinstance(index, int) else f"{self.path}['{index}']")


class Context:
    """Paths into the context object (``$$``) that Step Functions provides."""

    execution_id = P("$$.Execution.Id")
    execution_name = P("$$.Execution.Name")
    execution_input = P("$$.Execution.Input")
    execution_start_time = P("$$.Execution.StartTime")
    execution_role_arn = P("$$.Execution.RoleArn")
    execution_redrive_count = P("$$.Execution.RedriveCount")
    state_entered_time = P("$$.State.EnteredTime")
    state_name = P("$$.State.Name")
    state_retry_count = P("$$.State.RetryCount")
    state_machine_id = P("$$.StateMachine.Id")
    state_machine_name = P("$$.StateMachine.Name")
    task_token = P("$$.Task.Token")
    map_item_index = P("$$.Map.Item.Index")
    map_item_value = P("$$.Map.Item.Value")


Arg = Union["Intrinsic", P, str, int, float, bool, None]


@dataclass(frozen=True)
class Intrinsic:
    """A call of an intrinsic function, e.g. ``States.format("{}", P("$.a"))``."""

    name: str
    args: tuple[Arg, ...]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(_render_arg(a) for a in self.args)})"


class _FormatTemplate(str):
    """The template of States.Format: its ``{}`` are placeholders, not escaped."""


def _render_arg(arg: Arg) -> str:
    if isinstance(arg, _FormatTemplate):
        return "'" + re.sub(r"([\\'])", r"\\\1", str(arg)) + "'"
    if isinstance(arg, (Intrinsic, P)):
        return str(arg)
    if isinstance(arg, str):
        escaped = re.sub(r"([\\'{}])", r"\\\1", arg)
        return f"'{escaped}'"
    if arg is None:
        return "null"
    if isinstance(arg, bool):
        return "true" if arg else "false"
    return repr(arg)


def _call(name: str, *args: Arg) -> Intrinsic:
    return Intrinsic(name, tuple(args))


class States:
    """Builders for the ASL intrinsic functions (``States.*``)."""

    @staticmethod
    def format(template: str, *args: Arg) -> Intrinsic:
        """``States.Format``: ``{}`` in ``template`` replaced by each argument."""
        return Intrinsic("States.Format", (_FormatTemplate(template), *args))

    @staticmethod
    def string_to_json(value: Arg) -> Intrinsic:
        return _call("States.StringToJson", value)

    @staticmethod
    def json_to_string(value: Arg) -> Intrinsic:
        return _call("States.JsonToString", value)

    @staticmethod
    def array(*items: Arg) -> Intrinsic:
        return _call("States.Array", *items)

    @staticmethod
    def array_partition(array: Arg, size: Arg) -> Intrinsic:
        return _call("States.ArrayPartition", array, size)

    @staticmethod
    def array_contains(array: Arg, value: Arg) -> Intrinsic:
        return _call("States.ArrayContains", array, value)

    @staticmethod
    def array_range(first: Arg, last: Arg, step: Arg) -> Intrinsic:
        return _call("States.ArrayRange", first, last, step)

    @staticmethod
    def array_get_item(array: Arg, index: Arg) -> Intrinsic:
        return _call("States.ArrayGetItem", array, index)

    @staticmethod
    def array_length(array: Arg) -> Intrinsic:
        return _call("States.ArrayLength", array)

    @staticmethod
    def array_unique(array: Arg) -> Intrinsic:
        return _call("States.ArrayUnique", array)

    @staticmethod
    def base64_encode(value: Arg) -> Intrinsic:
        return _call("States.Base64Encode", value)

    @staticmethod
    def base64_decode(value: Arg) -> Intrinsic:
        return _call("States.Base64Decode", value)

    @staticmethod
    def hash(value: Arg, algorithm: Arg) -> Intrinsic:
        return _call("States.Hash", value, algorithm)

    @staticmethod
    def json_merge(left: Arg, right: Arg, deep: bool = False) -> Intrinsic:
        return _call("States.JsonMerge", left, right, deep)

    @staticmethod
    def math_random(start: Arg, end: Arg, *seed: Arg) -> Intrinsic:
        return _call("States.MathRandom", start, end, *seed)

    @staticmethod
    def math_add(left: Arg, right: Arg) -> Intrinsic:
        return _call("States.MathAdd", left, right)

    @staticmethod
    def string_split(value: Arg, separator: Arg) -> Intrinsic:
        return _call("States.StringSplit", value, separator)

    @staticmethod
    def uuid() -> Intrinsic:
        return _call("States.UUID")


def jsonata(expression: str) -> str:
    """A JSONata expression as ASL writes it: ``{% expression %}``."""
    return "{% " + expression.strip() + " %}"
