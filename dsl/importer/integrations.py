"""Typed integration helpers an imported Task can be written with.

A Task uses a helper only when the helper writes back exactly its Resource and
request: every request key maps to one keyword, required keys are present,
and each value has the type the helper's signature takes. Otherwise the Task
is written ``Task(name, resource=...)``. Add a helper here as it lands in
:mod:`dsl.integrations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# How a request value must look for the keyword to take it.
STR, BOOL, DICT, ANY = "str", "bool", "dict", "any"


@dataclass(frozen=True)
class Helper:
    """One helper function and the requests it writes."""

    module: str
    function: str
    resources: dict[str, tuple[tuple[str, Any], ...]]  # Resource -> fixed keyword arguments
    keys: dict[str, tuple[str, str]]  # request key -> (keyword, kind)
    required: frozenset[str]
    fixed: dict[str, Any] = field(default_factory=dict)  # request keys the helper always writes so
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # Literal-typed keywords
    arguments_in_jsonata: bool = False  # the helper writes Arguments when query_language="JSONata"


_DDB = "arn:aws:states:::dynamodb:"
_SFN = "arn:aws:states:::aws-sdk:sfn:"
_NAMES_VALUES = {"ExpressionAttributeNames": ("names", DICT),
                 "ExpressionAttributeValues": ("values", DICT)}

HELPERS = (
    Helper("aws_lambda", "invoke", {"arn:aws:states:::lambda:invoke": ()},
           {"FunctionName": ("function", STR), "Payload": ("payload", ANY),
            "Qualifier": ("qualifier", STR), "InvocationType": ("invocation_type", STR)},
           frozenset({"FunctionName"}),
           choices={"InvocationType": ("RequestResponse", "Event", "DryRun")},
           arguments_in_jsonata=True),
    Helper("dynamodb", "get_item", {_DDB + "getItem": ()},
           {"TableName": ("table", STR), "Key": ("key", DICT),
            "ProjectionExpression": ("projection", STR),
            "ExpressionAttributeNames": ("names", DICT), "ConsistentRead": ("consistent_read", BOOL)},
           frozenset({"TableName", "Key"})),
    Helper("dynamodb", "put_item", {_DDB + "putItem": ()},
           {"TableName": ("table", STR), "Item": ("item", DICT),
            "ConditionExpression": ("condition", STR), **_NAMES_VALUES},
           frozenset({"TableName", "Item"})),
    Helper("dynamodb", "update_item",
           {_DDB + "updateItem": (),
            "arn:aws:states:::aws-sdk:dynamodb:updateItem.waitForTaskToken":
                (("wait_for_task_token", True),)},
           {"TableName": ("table", STR), "Key": ("key", DICT), "UpdateExpression": ("update", STR),
            "ConditionExpression": ("condition", STR), **_NAMES_VALUES,
            "ReturnValues": ("return_values", STR)},
           frozenset({"TableName", "Key", "UpdateExpression"})),
    Helper("dynamodb", "delete_item", {_DDB + "deleteItem": ()},
           {"TableName": ("table", STR), "Key": ("key", DICT),
            "ConditionExpression": ("condition", STR), **_NAMES_VALUES},
           frozenset({"TableName", "Key"})),
    Helper("stepfunctions", "start_execution",
           {"arn:aws:states:::states:startExecution": (),
            "arn:aws:states:::states:startExecution.sync": (("mode", "sync"),),
            "arn:aws:states:::states:startExecution.sync:2": (("mode", "sync:2"),)},
           {"StateMachineArn": ("state_machine", STR), "Input": ("input", ANY),
            "Name": ("execution_name", ANY)},
           frozenset({"StateMachineArn"})),
    Helper("stepfunctions", "send_task_success", {_SFN + "sendTaskSuccess": ()},
           {"TaskToken": ("token", ANY), "Output": ("output", ANY)},
           frozenset({"TaskToken", "Output"})),
    Helper("stepfunctions", "describe_execution", {_SFN + "describeExecution": ()},
           {"ExecutionArn": ("execution", ANY)}, frozenset({"ExecutionArn"})),
    Helper("stepfunctions", "list_executions", {_SFN + "listExecutions": ()},
           {"StateMachineArn": ("state_machine", STR), "StatusFilter": ("status", STR)},
           frozenset({"StateMachineArn"}), fixed={"MaxResults": 1000}),
)


@dataclass(frozen=True)
class Match:
    """A helper that writes a Task's request: keyword -> (request key, value, dynamic)."""

    helper: Helper
    fixed: tuple[tuple[str, Any], ...]
    keywords: tuple[tuple[str, str, Any, bool], ...]  # (keyword, request key, value, is ".$")


def find_helper(resource: Any, request: Any, *, jsonata_state: bool, own_jsonata: bool) -> Match | None:
    """The helper that writes ``request`` to ``resource`` exactly, if one does.

    ``request`` is the Parameters (JSONPath) or Arguments (JSONata) object.
    """
    if not isinstance(request, dict):
        return None
    for helper in HELPERS:
        if resource not in helper.resources:
            continue
        if jsonata_state and not (helper.arguments_in_jsonata and own_jsonata):
            continue  # the helper would write Parameters
        match = _match(helper, request)
        if match is not None:
            return Match(helper, helper.resources[resource], match)
    return None


def _match(helper: Helper, request: dict[str, Any]) -> tuple[tuple[str, str, Any, bool], ...] | None:
    found: list[tuple[str, str, Any, bool]] = []
    seen: set[str] = set()
    for key, value in request.items():
        name, dynamic = (key[:-2], True) if key.endswith(".$") else (key, False)
        if name in seen:
            return None
        seen.add(name)
        if name in helper.fixed:
            if dynamic or value != helper.fixed[name] or type(value) is not type(helper.fixed[name]):
                return None
            continue
        if name not in helper.keys:
            return None
        keyword, kind = helper.keys[name]
        if not _fits(kind, value, dynamic) or value is None:
            return None
        if name in helper.choices and value not in helper.choices[name]:
            return None
        found.append((keyword, name, value, dynamic))
    if not helper.required <= seen or not set(helper.fixed) <= seen:
        return None
    # The helper's own keyword order, whatever the source's: a re-import gives the same code.
    order = list(helper.keys)
    return tuple(sorted(found, key=lambda item: order.index(item[1])))


def _fits(kind: str, value: Any, dynamic: bool) -> bool:
    if dynamic:
        return kind == ANY
    if kind == STR:
        return isinstance(value, str)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == DICT:
        return isinstance(value, dict) and bool(value)  # the helper leaves out an empty object
    return True
