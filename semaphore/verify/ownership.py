"""Which Choice branches mean "this owner holds a slot" after reading the lock item
(or the owner's holder item, in a lock with one item per holder).

A machine that lost an acquire's response reads the lock item (projecting
its own slot) and branches on the result. Rather than trusting state names
or a fixed idiom, each Choice fed by such a read is *evaluated*: once on
the read results of worlds where the slot exists (with the value the
acquire writes) and once where it does not (item present without the slot;
item missing). A branch taken only in slot-present worlds means "held", a
branch taken only in slot-absent worlds means "not held". Anything the
evaluator cannot follow (JSONata, references outside the read's result,
unknown intrinsics) gives no refinement, which is the safe answer.
"""

from __future__ import annotations

import enum
import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dsl.graph import Edge, EdgeKind, Graph, Node, NodeKind
from semaphore.verify.lockops import LockOp, OpKind, Owner

__all__ = ["PathMissing", "Refinement", "Undecided", "Verdict", "choice_taken", "ownership_tests", "select"]

_MAX_DEPTH = 32
_MAX_WAIT_CHAIN = 8
_OWNER_NAME = "arn:aws:states:us-east-1:111122223333:execution:machine:run-1"
_TIMESTAMP = "2024-01-01T00:00:00.000Z"
_KEY_NAME = "LockName"
_TIME_REFS = ("State.EnteredTime", "Execution.StartTime")


class Verdict(enum.StrEnum):
    """What taking a Choice branch tells about the owner's slot."""

    PRESENT = "present"
    ABSENT = "absent"


@dataclass(frozen=True)
class Refinement:
    """A Choice branch that decides on the slot read by ``read`` (``consistent`` if that read is)."""

    verdict: Verdict
    read: str
    consistent: bool
    via_alias: bool = False  # the read names the owner through the alias: it decides only while bound


class Undecided(Exception):
    """The evaluator cannot tell (the branch then gets no refinement)."""


class PathMissing(Exception):
    """The state fails in this world (e.g. a path that does not exist)."""


_MISSING = object()


def _lookup(doc: Any, path: str) -> Any:
    """``$.a.b[0]`` in ``doc``; _MISSING when absent."""
    if path == "$":
        return doc
    if not path.startswith("$"):
        raise Undecided
    current = doc
    for step in re.findall(r"\.([^.\[]+)|\[(\d+)\]|\['([^']*)'\]", path[1:]):
        name, index, quoted = step
        if index:
            if not isinstance(current, list) or int(index) >= len(current):
                return _MISSING
            current = current[int(index)]
            continue
        key = name or quoted
        if not isinstance(current, Mapping) or key not in current:
            return _MISSING
        current = current[key]
    return current


def select(template: Any, raw: Any, depth: int = 0) -> Any:
    """Apply a payload template (a ResultSelector, a Pass's Parameters) to ``raw``; raises
    :class:`Undecided` for what it cannot evaluate (context references, most intrinsics)."""
    if depth > _MAX_DEPTH:
        raise Undecided
    if isinstance(template, list):
        return [select(t, raw, depth + 1) for t in template]
    if not isinstance(template, Mapping):
        return template
    out: dict[str, Any] = {}
    for key, value in template.items():
        if key.endswith(".$") and isinstance(value, str):
            out[key[:-2]] = _reference(value, raw)
        else:
            out[key] = select(value, raw, depth + 1)
    return out


def _reference(text: str, raw: Any) -> Any:
    text = text.strip()
    match = re.fullmatch(r"States\.JsonToString\((\$[^)]*)\)", text)
    if match:
        value = _reference(match.group(1), raw)
        return json.dumps(value, separators=(",", ":"))
    if text.startswith("$$") or not text.startswith("$"):
        raise Undecided
    value = _lookup(raw, text)
    if value is _MISSING:
        raise PathMissing
    return value


def _place(result: Any, result_path: object) -> tuple[Any, str]:
    """The state output holding ``result`` at ``result_path``, and that path."""
    if result_path is None:
        raise Undecided  # the result is discarded
    if not isinstance(result_path, str) or not result_path.startswith("$"):
        raise Undecided
    if result_path == "$":
        return result, "$"
    doc: Any = result
    for step in reversed(re.findall(r"\.([^.\[]+)", result_path)):
        doc = {step: doc}
    return doc, result_path


def _glob(pattern: str, text: str) -> bool:
    regex = "".join(".*" if part == "*" else re.escape(part.replace("\\*", "*"))
                    for part in re.split(r"(?<!\\)(\*)", pattern))
    return re.fullmatch(regex, text, re.DOTALL) is not None


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq, "LessThan": operator.lt, "GreaterThan": operator.gt,
    "LessThanEquals": operator.le, "GreaterThanEquals": operator.ge,
}
_KINDS: dict[str, type | tuple[type, ...]] = {"String": str, "Numeric": (int, float), "Boolean": bool,
                                              "Timestamp": str}
_TYPE_TESTS: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("IsNull", type(None)), ("IsString", str), ("IsNumeric", (int, float)), ("IsBoolean", bool),
    ("IsTimestamp", str))


class _Evaluator:
    def __init__(self, doc: Any, prefix: str) -> None:
        self.doc = doc
        self.prefix = prefix

    def var(self, path: object) -> Any:
        if not isinstance(path, str):
            raise Undecided
        if self.prefix != "$" and not (path == self.prefix or path.startswith((self.prefix + ".",
                                                                               self.prefix + "["))):
            raise Undecided  # outside what the read produced
        return _lookup(self.doc, path)

    def rule(self, rule: object, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH or not isinstance(rule, Mapping) or "Condition" in rule:
            raise Undecided
        if isinstance(rule.get("And"), list):
            return all(self.rule(r, depth + 1) for r in rule["And"])
        if isinstance(rule.get("Or"), list):
            return any(self.rule(r, depth + 1) for r in rule["Or"])
        if isinstance(rule.get("Not"), Mapping):
            return not self.rule(rule["Not"], depth + 1)
        value = self.var(rule.get("Variable"))
        if "IsPresent" in rule:
            return (value is not _MISSING) == (rule["IsPresent"] is True)
        for test, kind in _TYPE_TESTS:
            if test in rule:
                present = value is not _MISSING and isinstance(value, kind)
                if kind == (int, float) and isinstance(value, bool):
                    present = False
                return present == (rule[test] is True)
        if value is _MISSING:
            raise PathMissing  # a comparison on a missing variable is a run-time error
        if "StringMatches" in rule:
            return isinstance(value, str) and _glob(str(rule["StringMatches"]), value)
        for type_name, kind in _KINDS.items():
            for op, compare in _COMPARE.items():
                key = type_name + op
                if key in rule or key + "Path" in rule:
                    other = rule[key] if key in rule else self.var(rule[key + "Path"])
                    if type_name == "Timestamp":
                        raise Undecided
                    if not isinstance(value, kind) or not isinstance(other, kind):
                        return False
                    return bool(compare(value, other))
        raise Undecided


def choice_taken(node: Node, doc: Any, prefix: str = "$") -> int | None:
    """Index of the Choice rule ``node`` takes on input ``doc`` (-1 for Default), None when
    the Choice fails. Raises :class:`Undecided` when a rule cannot be evaluated (JSONata,
    timestamps, a variable outside ``prefix``)."""
    evaluator = _Evaluator(doc, prefix)
    rules = node.state.get("Choices", [])
    for index, rule in enumerate(rules):
        try:
            if isinstance(rule, Mapping) and evaluator.rule(rule):
                return index
        except PathMissing:
            return None
    return -1 if "Default" in node.state else None


def _samples(acquires: Iterable[LockOp]) -> list[Any]:
    """Values an owner's slot can hold, from what the acquires write."""
    out: list[Any] = []
    for op in acquires:
        written = op.owner_value
        if not isinstance(written, Mapping) or len(written) != 1:
            raise Undecided
        ((kind, inner),) = written.items()
        if not kind.endswith(".$") and not (isinstance(inner, str) and inner.strip().startswith("{%")):
            out.append({kind: inner})
            continue
        kind = kind.removesuffix(".$")
        if isinstance(inner, str) and any(ref in inner for ref in _TIME_REFS):
            out.append({kind: _TIMESTAMP})
        else:
            out.extend({kind: v} for v in ("", "x", "0", _TIMESTAMP))
    if not out:
        raise Undecided
    return out


def _source_read(graph: Graph, choice: Node, reads: Mapping[str, LockOp]) -> LockOp | None:
    """The read whose result alone feeds ``choice`` (through Wait states only), if any."""
    current = choice
    for _ in range(_MAX_WAIT_CHAIN):
        incoming = graph.in_edges(current.id)
        if len(incoming) != 1 or incoming[0].kind is not EdgeKind.NEXT:
            return None
        before = graph.node(incoming[0].source)
        if before.id in reads:
            return reads[before.id]
        if before.type != "Wait" or "InputPath" in before.state or "OutputPath" in before.state:
            return None
        current = before
    return None


def _worlds(graph: Graph, read: LockOp, present_results: Iterable[Any],
            absent_results: Iterable[Any]) -> tuple[list[tuple[Any, str]], list[tuple[Any, str]]]:
    """(present worlds, absent worlds) as (choice input, result path prefix), from the read's
    results where the slot exists and where it does not."""
    state = graph.node(read.node).state
    output_path = state.get("OutputPath", "$")
    if output_path != "$":
        raise Undecided

    def world(raw: Any) -> tuple[Any, str] | None:
        try:
            selected = select(state["ResultSelector"], raw) if "ResultSelector" in state else raw
        except PathMissing:
            return None  # the read state fails in this world: its Choice is not reached
        return _place(selected, state.get("ResultPath", "$"))

    present = [w for raw in present_results if (w := world(raw)) is not None]
    absent = [w for raw in absent_results if (w := world(raw)) is not None]
    return present, absent


def _results(read: LockOp, acquires: Iterable[LockOp]) -> tuple[list[Any], list[Any]]:
    """What ``read`` returns where the slot exists and where it does not."""
    if _is_holder(read):
        # A holder item: present (whatever the projection keeps of it) or missing.
        return [{"Item": {}}, {"Item": {_KEY_NAME: {"S": _OWNER_NAME}}}], [{}]
    return [{"Item": {_OWNER_NAME: v}} for v in _samples(acquires)], [{"Item": {}}, {}]


def _is_holder(op: LockOp) -> bool:
    return op.owner is not None and op.owner.where.startswith("item ")


def ownership_tests(graph: Graph, ops: Mapping[str, LockOp], owner: Owner,
                    acquires: Iterable[LockOp], *, alias: str | None = None) -> dict[Edge, Refinement]:
    """Choice edges that decide on ``owner``'s slot, with what each one means.

    ``ops`` are the document's lock operations by node id; ``acquires`` the
    family's acquires of the lock (what a slot holds); ``alias`` an owner
    expression that names the owner while the flow's alias binding holds (a
    holder-item read through it refines only then).
    """
    reads = {op.node: op for op in ops.values() if op.kind is OpKind.READ and (
        (len(op.projection) == 1 and op.projection[0].dynamic
         and any(p.dynamic and p.name == owner.expr for p in op.projection[0].parts))
        or (_is_holder(op) and op.owner is not None and op.owner.where == owner.where
            and op.owner.expr in (owner.expr, alias)))}
    if not reads:
        return {}
    acquires = list(acquires)
    out: dict[Edge, Refinement] = {}
    for choice in graph.states():
        if choice.type != "Choice" or choice.kind is not NodeKind.STATE:
            continue
        read = _source_read(graph, choice, reads)
        if read is None:
            continue
        try:
            present, absent = _worlds(graph, read, *_results(read, acquires))
            taken_present = {choice_taken(choice, doc, prefix) for doc, prefix in present}
            taken_absent = {choice_taken(choice, doc, prefix) for doc, prefix in absent}
        except Undecided:
            continue
        for edge in graph.out_edges(choice.id):
            index = edge.index if edge.kind is EdgeKind.CHOICE else -1 if edge.kind is EdgeKind.DEFAULT else None
            if index is None:
                continue
            via_alias = read.owner is not None and _is_holder(read) and read.owner.expr != owner.expr
            if index in taken_present and index not in taken_absent:
                out[edge] = Refinement(Verdict.PRESENT, read.node, read.consistent, via_alias)
            elif index in taken_absent and index not in taken_present:
                out[edge] = Refinement(Verdict.ABSENT, read.node, read.consistent, via_alias)
    return out
