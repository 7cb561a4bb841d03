"""UpdateItem's ``UPDATED_OLD`` / ``UPDATED_NEW`` return only the updated document paths.

AWS: these return the attributes the update expression names, and for a nested target only
that path inside its hierarchy: ``SET a.b = :v`` answers ``{"a": {"M": {"b": ...}}}`` and
``REMOVE a.c[1]`` answers ``{"a": {"M": {"c": {"L": [<the removed element>]}}}}``, the same
projection a ``ProjectionExpression`` of those paths gives (before the update for OLD, after
it for NEW; a path that does not exist then is left out, and with nothing left there is no
``Attributes``).
moto 5.2.5: answers every changed top-level attribute whole. The semaphore's release
(``REMOVE #o.#me, #w[0], #t[0]``) got the whole owner map, the queue and every queued task
token back: 61 KB at 95 waiters, about 60 ms of serialising inside the DynamoDB request lock,
on the path of every hand-off.
Shim: for ``UpdateExpression`` requests asking for ``UPDATED_OLD`` / ``UPDATED_NEW``, moto
applies the update with ``ReturnValues`` ``NONE`` and the answer's ``Attributes`` are the
projection of the expression's target paths. An expression this module cannot read is left
to moto as it is (it answers the validation error, or its own return values).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.utilities import dynamo_to_dict
from moto.dynamodb.responses import DynamoHandler

from local.shims._patch import Undo, replace_attr

PathElement = str | int  # an attribute name, or a list index
_PROJECTED = frozenset({"UPDATED_OLD", "UPDATED_NEW"})
_CLAUSES = frozenset({"SET", "REMOVE", "ADD", "DELETE"})
_TOKEN = re.compile(r"\s*(#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\d+|[\[\].,()=+\-])")


class UnreadableExpression(ValueError):
    """The update expression is not one this module reads; moto answers it unchanged."""


def _tokens(expression: str) -> list[str]:
    tokens, position = [], 0
    expression = expression.rstrip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            raise UnreadableExpression(expression)
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def target_paths(expression: str, names: Mapping[str, str]) -> list[tuple[PathElement, ...]]:
    """The document path each action of an update expression writes, in order of appearance."""
    tokens = _tokens(expression)
    paths: list[tuple[PathElement, ...]] = []
    index, depth, at_action_start = 0, 0, False
    while index < len(tokens):
        token = tokens[index]
        if depth == 0 and token.upper() in _CLAUSES:
            at_action_start, index = True, index + 1
            continue
        if at_action_start:
            path, index = _path(tokens, index, names)
            paths.append(path)
            at_action_start = False
            continue
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "," and depth == 0:
            at_action_start = True
        index += 1
    if not paths:
        raise UnreadableExpression(expression)
    return paths


def _path(tokens: list[str], index: int, names: Mapping[str, str]) -> tuple[tuple[PathElement, ...], int]:
    elements: list[PathElement] = [_name(tokens[index], names)]
    index += 1
    while index < len(tokens) and tokens[index] in (".", "["):
        if tokens[index] == "." and index + 1 < len(tokens):
            elements.append(_name(tokens[index + 1], names))
            index += 2
        elif index + 2 < len(tokens) and tokens[index + 1].isdigit() and tokens[index + 2] == "]":
            elements.append(int(tokens[index + 1]))
            index += 3
        else:
            raise UnreadableExpression(" ".join(tokens))
    return tuple(elements), index


def _name(token: str, names: Mapping[str, str]) -> str:
    if token.startswith("#"):
        if token not in names:
            raise UnreadableExpression(token)
        return names[token]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token) or token.upper() in _CLAUSES:
        raise UnreadableExpression(token)
    return token


def project(attributes: Mapping[str, DynamoType], paths: list[tuple[PathElement, ...]]) -> dict[str, DynamoType]:
    """The values at ``paths`` in ``attributes``, nested as DynamoDB projects document paths.

    Elements taken from one list keep their index order; paths that do not exist are skipped.
    (Not moto's ``Item.project``: it converts the whole item to plain JSON on every call, the
    cost this shim exists to remove.)
    """
    tree: dict[PathElement, Any] = {}
    for path in paths:
        value = _lookup(attributes, path)
        node: Any = tree
        for element in path[:-1]:
            node = node.setdefault(element, {}) if isinstance(node, dict) else None
        # An overlapping path (AWS refuses those) cannot be placed: moto answers it.
        if value is not None and isinstance(node, dict):
            node[path[-1]] = value
    return {str(name): _typed(node) for name, node in tree.items()}


def _lookup(attributes: Mapping[str, DynamoType], path: tuple[PathElement, ...]) -> DynamoType | None:
    value: DynamoType | None = attributes.get(path[0]) if isinstance(path[0], str) else None
    for element in path[1:]:
        if value is None:
            return None
        if isinstance(element, int):
            items = value.value if value.type == "L" else None
            value = items[element] if items is not None and element < len(items) else None
        else:
            members = value.value if value.type == "M" else None
            value = members.get(element) if members is not None else None
    return value


def _typed(node: DynamoType | dict[PathElement, Any]) -> DynamoType:
    """A projected subtree: index keys make a list (in index order), names a map."""
    if isinstance(node, DynamoType):
        return node
    if all(isinstance(key, int) for key in node):
        return DynamoType({"L": [_typed(node[key]) for key in sorted(node, key=int)]})
    return DynamoType({"M": {str(key): _typed(child) for key, child in node.items()}})


def _items(handler: Any) -> Mapping[str, DynamoType]:
    item = handler.dynamodb_backend.get_item(handler.body["TableName"], handler.body["Key"])
    return item.attrs if item is not None else {}


def install() -> Undo:
    """Answer UPDATED_OLD / UPDATED_NEW with the projection of the updated paths."""
    original = DynamoHandler.update_item

    def update_item(self: Any) -> Any:
        return_values = self.body.get("ReturnValues")
        expression = self.body.get("UpdateExpression")
        if return_values not in _PROJECTED or not expression:
            return original(self)
        try:
            paths = target_paths(expression, self.body.get("ExpressionAttributeNames") or {})
            # Copied out now: the update may change the containers these values sit in.
            before = dynamo_to_dict(project(_items(self), paths)) if return_values == "UPDATED_OLD" else {}
        except (UnreadableExpression, JsonRESTError):
            return original(self)  # moto answers the request's own error (bad table, key or syntax)
        self.body["ReturnValues"] = "NONE"
        try:
            result = original(self)
        finally:
            self.body["ReturnValues"] = return_values
        answer = before if return_values == "UPDATED_OLD" else dynamo_to_dict(project(_items(self), paths))
        if answer:
            cast(dict[str, Any], result.result)["Attributes"] = answer
        return result

    return replace_attr(DynamoHandler, "update_item", update_item)
