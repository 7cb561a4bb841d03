"""The ASL reader: every scope and state of a document with its JSON Pointer parts.

This is the one module that knows where nested state machines live (each Parallel branch,
each Map's ItemProcessor or Iterator). It reads any document, valid or not, without recursion.
:func:`read` is the tolerant flat view the validator's semantic rules work on: every scope and
every state with its location and effective query language, skipping what it cannot use.
:func:`walk` gives the same in text order with a :class:`Defect` wherever the shape breaks, for
strict readers (IAM) that refuse with their own errors; :func:`nested` gives the scopes one
state runs (the graph, the semantic diff). The document may be schema-invalid, so nothing here
assumes a field has the right type. Walking uses explicit stacks, so a deeply nested document
cannot raise RecursionError.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Part = str | int
Parts = tuple[Part, ...]

# A Parallel's field of branches.
BRANCHES = "Branches"


@dataclass(frozen=True)
class DocScope:
    """One state machine: the top level, a Parallel branch, or a Map's processor."""

    parts: Parts
    body: dict[str, Any]
    owner: str | None

    @property
    def states(self) -> dict[str, Any]:
        """The ``States`` object, or an empty one when it is missing or not an object."""
        states = self.body.get("States")
        return states if isinstance(states, dict) else {}

    @property
    def branch(self) -> int | None:
        """The index of this Parallel branch; None for the top level and for a Map's processor."""
        if len(self.parts) >= 2 and self.parts[-2] == BRANCHES and isinstance(self.parts[-1], int):
            return self.parts[-1]
        return None

    def describe(self) -> str:
        """How messages name this scope."""
        if self.owner is None:
            return "the top level"
        start = self.body.get("StartAt")
        first = f"starting at \"{start}\"" if isinstance(start, str) else ""
        index = self.branch
        if index is not None:
            where = f"Branches[{index}], {first}" if first else f"Branches[{index}]"
            return f"branch {index + 1} ({where}) of state \"{self.owner}\""
        return f"the item processor{f' ({first})' if first else ''} of state \"{self.owner}\""


@dataclass(frozen=True)
class DocState:
    """One state object with where it is and how it is evaluated."""

    name: str
    parts: Parts
    body: dict[str, Any]
    scope: DocScope
    jsonata: bool

    @property
    def type(self) -> str | None:
        """The ``Type`` field when it is a string."""
        value = self.body.get("Type")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Document:
    """The whole document as scopes and states, in document order."""

    doc: dict[str, Any]
    jsonata_default: bool
    scopes: list[DocScope] = field(default_factory=list)
    states: list[DocState] = field(default_factory=list)


def read(doc: dict[str, Any]) -> Document:
    """Find every scope and state of ``doc``."""
    machine = Document(doc, doc.get("QueryLanguage") == "JSONata")
    pending: deque[DocScope] = deque([DocScope((), doc, None)])
    while pending:
        scope = pending.popleft()
        machine.scopes.append(scope)
        for state in _entries(scope, machine.jsonata_default):
            if isinstance(state, DocState):  # the tolerant view skips defects
                machine.states.append(state)
                pending.extend(child_scopes(state))
    return machine


def child_scopes(state: DocState) -> list[DocScope]:
    """The nested state machines of a Parallel or Map state."""
    found: list[DocScope] = []
    branches = state.body.get(BRANCHES)
    if state.type == "Parallel" and isinstance(branches, list):
        for index, branch in enumerate(branches):
            if isinstance(branch, dict):
                found.append(DocScope((*state.parts, BRANCHES, index), branch, state.name))
    if state.type == "Map":
        for key in PROCESSOR_FIELDS:
            processor = state.body.get(key)
            if isinstance(processor, dict):
                found.append(DocScope((*state.parts, key), processor, state.name))
    return found


# A Map's processor field: ItemProcessor, or the legacy Iterator.
PROCESSOR_FIELDS = ("ItemProcessor", "Iterator")
# Fields of a state that hold nested state machines, not values of the state.
NESTED_MACHINE_FIELDS = frozenset({BRANCHES, *PROCESSOR_FIELDS})


@dataclass(frozen=True)
class Defect:
    """A place where a scope, a state or a nested state machine should be, holding something else.

    ``expected`` says what: ``states`` (a scope's States is not an object), ``state`` (a state
    is not an object), ``branches`` (a Parallel's Branches is not an array), ``branch`` (a
    branch is not an object) or ``processor`` (a Map's processor is missing or not an object).
    """

    parts: Parts
    expected: str


def processor_field(body: Mapping[str, Any]) -> str:
    """The field a Map's processor is read from: ItemProcessor, or the legacy Iterator without one."""
    return "ItemProcessor" if "ItemProcessor" in body else "Iterator"


def walk(doc: Mapping[str, Any]) -> Iterator[DocScope | DocState | Defect]:
    """Every scope and state of ``doc`` in text order, and a :class:`Defect` where its shape breaks.

    Text order: a scope, then its states, each Parallel or Map state followed by its own scopes
    (so a nested state comes before the next state of its parent's scope). This is for the
    strict readers (IAM) that refuse a malformed document at its first defect with their own
    error; :func:`read` is the tolerant view. Here a Map's processor is read as AWS reads it
    (:func:`processor_field`), where :func:`read` keeps both fields so validate checks both.
    """
    jsonata_default = doc.get("QueryLanguage") == "JSONata"
    pending: list[Iterator[DocScope | DocState | Defect]] = [iter([DocScope((), dict(doc), None)])]
    while pending:
        item = next(pending[-1], None)
        if item is None:
            pending.pop()
            continue
        yield item
        if isinstance(item, DocScope):
            pending.append(_entries(item, jsonata_default))
        elif isinstance(item, DocState):
            pending.append(iter(nested(item.name, item.body, item.parts)))


def _entries(scope: DocScope, jsonata_default: bool) -> Iterator[DocState | Defect]:
    states = scope.body.get("States")
    if not isinstance(states, dict):
        yield Defect((*scope.parts, "States"), "states")
        return
    for name, body in states.items():
        parts = (*scope.parts, "States", name)
        if not isinstance(body, dict):
            yield Defect(parts, "state")
            continue
        language = body.get("QueryLanguage")
        jsonata = language == "JSONata" or (language is None and jsonata_default)
        yield DocState(name, parts, body, scope, jsonata)


def nested(name: str, body: Mapping[str, Any], parts: Parts, *, as_written: bool = False) -> list[DocScope | Defect]:
    """The scopes the state ``name`` runs, a Defect for each broken one.

    ``body`` is the state object, ``parts`` where it is. A Parallel runs its branches, a Map
    its processor (:func:`processor_field`); other states none. ``as_written=True`` reads
    what the state carries whatever its Type instead: its Branches when an array, and its
    first processor object (the semantic diff compares what each side wrote, so editing a
    state's Type must neither hide its nested states nor remove them).
    """
    kind = body.get("Type")
    found: list[DocScope | Defect] = []
    if kind == "Parallel" or (as_written and BRANCHES in body):
        branches = body.get(BRANCHES)
        if isinstance(branches, list):
            found += [DocScope(where, branch, name) if isinstance(branch, dict) else Defect(where, "branch")
                      for index, branch in enumerate(branches) for where in [(*parts, BRANCHES, index)]]
        else:
            found.append(Defect((*parts, BRANCHES), "branches"))
    if as_written:
        found += [DocScope((*parts, key), body[key], name) for key in PROCESSOR_FIELDS
                  if isinstance(body.get(key), dict)][:1]
    elif kind == "Map":
        key = processor_field(body)
        processor = body.get(key)
        where = (*parts, key)
        found.append(DocScope(where, processor, name) if isinstance(processor, dict) else Defect(where, "processor"))
    return found


def walk_values(value: Any, parts: Parts, *, skip_keys: frozenset[str] = frozenset()) -> Iterator[tuple[Parts, Any]]:
    """Every value nested in ``value`` (itself included) with its path, depth first.

    Keys in ``skip_keys`` are not descended into at the first level only.
    """
    stack: list[tuple[Parts, Any, bool]] = [(parts, value, True)]
    while stack:
        where, node, top = stack.pop()
        yield where, node
        if isinstance(node, dict):
            children = [((*where, key), child, False) for key, child in node.items()
                        if not (top and key in skip_keys)]
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([((*where, index), child, False) for index, child in enumerate(node)]))


def choice_rules(state: DocState) -> Iterator[tuple[Parts, dict[str, Any]]]:
    """Every Choice rule of a Choice state, nested And/Or/Not rules included."""
    choices = state.body.get("Choices")
    pending: list[tuple[Parts, Any]] = (
        [((*state.parts, "Choices", index), rule) for index, rule in enumerate(choices)]
        if isinstance(choices, list) else [])
    while pending:
        parts, rule = pending.pop()
        if not isinstance(rule, dict):
            continue
        yield parts, rule
        for key in ("And", "Or"):
            if isinstance(rule.get(key), list):
                pending.extend(((*parts, key, index), child) for index, child in enumerate(rule[key]))
        if "Not" in rule:
            pending.append(((*parts, "Not"), rule["Not"]))
