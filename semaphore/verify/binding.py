"""Owners named by the execution's data: an *alias* such as ``$.lock.owner``.

A machine may keep its owner id in its data (an acquire's ResultSelector
writes ``{"owner.$": "$$.Execution.Id"}`` to ``$.lock``) and release the owner
named there (``"#me.$": "$.lock.owner"``); after a failed hand-off it may
write another owner there and release on that owner's behalf. Whether such a
release frees the tracked owner's slot depends on the path taken, so the flow
follows a *binding* with the lock fact: SELF while the alias holds the tracked
owner, OTHER otherwise. This module says what each transition does to the
binding. A transformation it cannot follow sets OTHER: the safe side, since a
release through an OTHER alias frees nothing of the tracked owner's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dsl.graph import Edge, EdgeKind, Graph, Node
from semaphore.verify.jsonata_output import replaced_fields
from semaphore.verify.lockops import LockOp
from semaphore.verify.refs import canonical

__all__ = ["KEEP", "OTHER", "SELF", "TO_OTHER", "TO_SELF", "Alias", "edge_effect", "find_alias", "steps_of", "touches"]

OTHER, SELF = 0, 1  # bindings
KEEP, TO_OTHER, TO_SELF = 0, 1, 2  # effects of a transition on the binding

_ALIAS = re.compile(r"\{input((?:\.[A-Za-z0-9_]+)+)\}")
_STEP = re.compile(r"\.([A-Za-z0-9_]+)|\['([^']*)'\]")
_KEEPING_TYPES = ("Choice", "Wait", "Succeed", "Fail")
_INPUT = "{% $states.input %}"  # a JSONata state's output when it has no Output


@dataclass(frozen=True)
class Alias:
    """An owner expression read from the state input and its steps: ``{input.lock.owner}``, or a
    larger expression with one such reference (``States.Format('lock#{}', {input.lock.owner})``:
    a holder item's key), ``ref`` being that reference."""

    expr: str
    steps: tuple[str, ...]
    ref: str = ""

    def names(self, owner: str, written: str) -> bool:
        """Whether ``expr`` names ``owner`` once ``written`` (a canonical reference) is at the alias."""
        return self.expr.replace(self.ref or self.expr, written) == owner


def _alias(expr: str) -> Alias | None:
    matches = list(_ALIAS.finditer(expr))
    if len(matches) != 1:
        return None
    match = matches[0]
    return Alias(expr, tuple(match.group(1)[1:].split(".")), match.group(0))


def steps_of(path: object) -> tuple[str, ...] | None:
    """``$.a['b']`` as ("a", "b"); None for anything else (filters, wildcards, indexes)."""
    if not isinstance(path, str) or not path.startswith("$") or path.startswith("$$"):
        return None
    rest, steps = path[1:], []
    while rest:
        match = _STEP.match(rest)
        if match is None:
            return None
        steps.append(match.group(1) or match.group(2))
        rest = rest[match.end():]
    return tuple(steps)


def _placed(result_path: object, alias: Alias) -> tuple[str, ...] | int:
    """Where the alias lies inside a result placed at ``result_path``, or an effect (KEEP when
    the result goes elsewhere, TO_OTHER when the placement cannot be followed)."""
    if result_path is None:
        return KEEP  # the result is discarded
    steps = steps_of(result_path)
    if steps is None:
        return TO_OTHER
    if alias.steps[:len(steps)] == steps:
        return alias.steps[len(steps):]
    return TO_OTHER if steps[:len(alias.steps)] == alias.steps else KEEP


def _template_value(template: object, rest: tuple[str, ...]) -> str | None:
    """The reference a payload template writes at ``rest`` (None: static, missing or unknown)."""
    if not rest:
        return None
    for step in rest[:-1]:
        if not isinstance(template, Mapping) or not isinstance(template.get(step), Mapping):
            return None
        template = template[step]
    if not isinstance(template, Mapping):
        return None
    value = template.get(rest[-1] + ".$")
    return value if isinstance(value, str) else None


def _result_effect(node: Node, alias: Alias, owner: str) -> int:
    state = node.state
    where = _placed(state.get("ResultPath", "$"), alias)
    if isinstance(where, int):
        effect = where
    elif node.type == "Pass":
        effect = _pass_value(state, where, alias, owner)
    else:
        reference = _template_value(state.get("ResultSelector"), where)
        # In a ResultSelector, $ is the task's result; only context references can name the owner.
        effect = TO_SELF if reference is not None and reference.startswith("$$") \
            and alias.names(owner, canonical(reference)) else TO_OTHER
    return effect if state.get("OutputPath", "$") == "$" else TO_OTHER


def _pass_value(state: Mapping[str, Any], rest: tuple[str, ...], alias: Alias, owner: str) -> int:
    if "Parameters" in state:
        reference = _template_value(state["Parameters"], rest)
        input_path = state.get("InputPath")
        written = canonical(reference, input_path=input_path if isinstance(input_path, str) else None) \
            if reference is not None else None
        return TO_SELF if written is not None and alias.names(owner, written) else TO_OTHER
    if "Result" not in state and not rest and state.get("InputPath", "$") == "$":
        return KEEP  # the whole input is passed on unchanged
    return TO_OTHER


def edge_effect(node: Node, edge: Edge, alias: Alias, owner: str) -> int:
    """What leaving ``node`` by ``edge`` does to the binding of ``alias`` to ``owner``."""
    if edge.kind in (EdgeKind.FAIL, EdgeKind.RETRY):
        return KEEP
    state = node.state
    if node.query_language == "JSONata":
        return _jsonata_effect(node, edge, alias)
    if edge.kind is EdgeKind.CATCH:
        catchers = state.get("Catch")
        catcher = catchers[edge.index] if isinstance(catchers, list) and edge.index < len(catchers) else {}
        where = _placed(catcher.get("ResultPath", "$") if isinstance(catcher, Mapping) else "$", alias)
        return where if isinstance(where, int) else TO_OTHER  # an error object names no owner
    if node.type in _KEEPING_TYPES:
        return KEEP if state.get("InputPath", "$") == "$" and state.get("OutputPath", "$") == "$" else TO_OTHER
    return _result_effect(node, alias, owner)


def _jsonata_effect(node: Node, edge: Edge, alias: Alias) -> int:
    """A JSONata state keeps the alias when its Output (the state's, the Catcher's or the Choice
    rule's, by ``edge``) passes the alias's top-level field on unchanged."""
    state = node.state
    if edge.kind is EdgeKind.CATCH:
        catchers = state.get("Catch")
        catcher = catchers[edge.index] if isinstance(catchers, list) and edge.index < len(catchers) else {}
        output = catcher.get("Output") if isinstance(catcher, Mapping) else None  # none: the error output
    elif edge.kind is EdgeKind.CHOICE:
        rules = state.get("Choices")
        rule = rules[edge.index] if isinstance(rules, list) and edge.index < len(rules) else {}
        output = rule.get("Output", _INPUT) if isinstance(rule, Mapping) else None
    elif node.type in ("Pass", *_KEEPING_TYPES):
        output = state.get("Output", _INPUT)
    else:
        output = state.get("Output")  # none: a Task's output is its result
    replaced = replaced_fields(output)
    return KEEP if replaced is not None and alias.steps and alias.steps[0] not in replaced else TO_OTHER


def touches(graph: Graph, node: Node, alias: Alias, owner: str, ops: Mapping[str, LockOp]) -> bool:
    """Whether ``node`` rebinds ``alias`` or names it as a lock owner."""
    op = ops.get(node.id)
    if op is not None and op.owner is not None and op.owner.expr == alias.expr:
        return True
    return any(edge_effect(node, e, alias, owner) != KEEP for e in graph.out_edges(node.id))


def find_alias(graph: Graph, ops: Iterable[LockOp], owner: str) -> Alias | None:
    """The first owner expression of ``ops`` read from the input into which some state writes
    ``owner`` (so it can stand for the tracked owner), if any."""
    seen: list[Alias] = []
    for op in ops:
        alias = _alias(op.owner.expr) if op.owner is not None and op.owner.expr != owner else None
        if alias is not None and alias not in seen:
            seen.append(alias)
    for alias in seen:
        for node in graph.states():
            if any(edge_effect(node, e, alias, owner) == TO_SELF for e in graph.out_edges(node.id)
                   if e.kind in (EdgeKind.NEXT, EdgeKind.END)):
                return alias
    return None
