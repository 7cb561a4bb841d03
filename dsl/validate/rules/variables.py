"""Variables read before anything assigns them.

ASL-VAR-001 (warning) a JSONPath or JSONata expression reads a variable (``$order``) that no
            ``Assign`` of a state that can run earlier defines: most often a missing dot
            (``$order.id`` for ``$.order.id``).

A state sees the variables assigned by every state that can run before it: its
predecessors in its own scope and, inside a Parallel branch or a Map's item
processor, the states before that Parallel or Map. A state's own ``Assign``
counts only when a loop brings the execution back to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dsl.document import NESTED_MACHINE_FIELDS, DocState, Document, Parts, walk_values
from dsl.findings import Finding
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding
from dsl.validate.rules.references import transitions_of

UNASSIGNED_VARIABLE = RULES.rule(
    "ASL-VAR-001", "warning", "an expression reads a variable ($name) that no Assign of an earlier state "
    "defines, often a missing dot ($order.id for $.order.id) (warning)",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html")
_JSONPATH_VARIABLE = re.compile(r"(?<![\w$])\$([A-Za-z_]\w*)\b")
_JSONATA_VARIABLE = re.compile(r"(?<![\w$])\$([A-Za-z_]\w*)\b(?!\s*\()")
_JSONATA_BOUND = re.compile(r"\$([A-Za-z_]\w*)\s*:=")
_JSONATA_PARAMETERS = re.compile(r"function\s*\(([^)]*)\)")
_SINGLE_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")
_ANY_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# $states, and the functions JSONata and Step Functions define: a function may be named without
# being called (``$map($xs, $string)``), so these names are never variables.
_JSONATA_FUNCTIONS = """
    sum count max min average string substring substringBefore substringAfter lowercase uppercase
    length trim pad contains split join match replace eval base64encode base64decode
    encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl number abs floor ceil round power sqrt
    random formatNumber formatBase formatInteger parseInteger boolean not exists keys lookup spread
    merge sift each error assert type sort reverse shuffle distinct zip append map filter single
    reduce now millis fromMillis toMillis clone partition range hash uuid parse"""
_JSONATA_RESERVED = frozenset({"states", *_JSONATA_FUNCTIONS.split()})


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """One warning per read of a variable that nothing assigns earlier."""
    for state, parts, name in unassigned_reads(machine):
        yield finding(UNASSIGNED_VARIABLE, parts, _message(state, name))


def unassigned_reads(machine: Document) -> Iterator[tuple[DocState, Parts, str]]:
    """(state, where, variable name) of every read no earlier Assign defines."""
    reading = [(state, reads) for state in machine.states if (reads := list(_reads(state)))]
    if not reading:
        return
    visible_at = _Graph(machine).visible()
    for state, reads in reading:
        visible = visible_at.get(id(state), set())
        reported: set[tuple[Parts, str]] = set()
        for parts, name in reads:
            if name not in visible and (parts, name) not in reported:
                reported.add((parts, name))
                yield state, parts, name


def _message(state: DocState, name: str) -> str:
    hint = (f"; for the state input write $states.input.{name}" if state.jsonata
            else f"; for a field of the input write $.{name}")
    return (f"variable ${name} is read, but no Assign in a state that runs before state "
            f"\"{state.name}\" defines it{hint}")


def assigned_names(state: DocState) -> set[str]:
    """Variable names the state's Assign, its Catchers' and its Choice rules' Assign define."""
    blocks = [state.body.get("Assign")]
    for key in ("Catch", "Choices"):
        entries = state.body.get(key)
        if isinstance(entries, list):
            blocks.extend(entry.get("Assign") for entry in entries if isinstance(entry, dict))
    names: set[str] = set()
    for block in blocks:
        if isinstance(block, dict):
            names.update(str(key).removesuffix(".$") for key in block)
    return names


def _reads(state: DocState) -> Iterator[tuple[Parts, str]]:
    for parts, value in walk_values(state.body, state.parts, skip_keys=NESTED_MACHINE_FIELDS):
        if not isinstance(value, str) or "$" not in value:
            continue
        if state.jsonata:
            if value.startswith("{%"):
                yield from ((parts, name) for name in jsonata_variables(value))
        elif _is_read_position(parts):
            yield from ((parts, name) for name in jsonpath_variables(value))


def _is_read_position(parts: Parts) -> bool:
    key = parts[-1] if parts else ""
    return isinstance(key, str) and (key.endswith(".$") or key == "Variable"
                                     or (key.endswith("Path") and key != "ResultPath"))


def jsonpath_variables(text: str) -> list[str]:
    """Variables a JSONPath or intrinsic call reads (``$$`` and ``$.x`` are not variables)."""
    return _JSONPATH_VARIABLE.findall(_SINGLE_QUOTED.sub("''", text))


def jsonata_variables(text: str) -> list[str]:
    """Variables a ``{% %}`` expression reads, less those it binds itself and ``$states``."""
    code = _ANY_QUOTED.sub("''", text)
    bound = set(_JSONATA_BOUND.findall(code)) | _JSONATA_RESERVED
    for parameters in _JSONATA_PARAMETERS.findall(code):
        bound.update(re.findall(r"\$([A-Za-z_]\w*)", parameters))
    return [name for name in _JSONATA_VARIABLE.findall(code) if name not in bound]


class _Graph:
    """Who can run before whom, across scopes."""

    def __init__(self, machine: Document) -> None:
        self.states = machine.states
        by_scope: dict[Parts, dict[str, DocState]] = {}
        for state in machine.states:
            by_scope.setdefault(state.scope.parts, {}).setdefault(state.name, state)
        self.predecessors: dict[int, list[DocState]] = {}
        for state in machine.states:
            local = by_scope.get(state.scope.parts, {})
            for _, target in transitions_of(state):
                if target in local:
                    self.predecessors.setdefault(id(local[target]), []).append(state)
        # A nested scope's StartAt runs after whatever runs before its Parallel or Map.
        self.owner_of_start: dict[int, DocState] = {}
        owners = {state.parts: state for state in machine.states}
        for scope in machine.scopes:
            start = scope.body.get("StartAt")
            owner = next((owners[scope.parts[:cut]] for cut in range(len(scope.parts) - 1, 0, -1)
                          if scope.parts[:cut] in owners), None)
            if owner is not None and isinstance(start, str) and start in by_scope.get(scope.parts, {}):
                self.owner_of_start[id(by_scope[scope.parts][start])] = owner

    def visible(self) -> dict[int, set[str]]:
        """For each state (by id), the names assigned by some state that can run before it.

        A forward data-flow fixpoint: a state sees what its predecessors see plus what they
        assign. Linear in the edges times the variables, however long the chains.
        """
        successors: dict[int, list[DocState]] = {}
        for state in self.states:
            for before in self._before(state):
                successors.setdefault(id(before), []).append(state)
        seen: dict[int, set[str]] = {id(state): set() for state in self.states}
        pending = list(self.states)
        while pending:
            current = pending.pop()
            out = seen[id(current)] | assigned_names(current)
            for after in successors.get(id(current), []):
                if not out <= seen[id(after)]:
                    seen[id(after)] |= out
                    pending.append(after)
        return seen

    def _before(self, state: DocState) -> list[DocState]:
        found = list(self.predecessors.get(id(state), []))
        owner: Any = self.owner_of_start.get(id(state))
        while owner is not None:  # the owner itself runs its branches first: skip its own Assign
            found.extend(self.predecessors.get(id(owner), []))
            owner = self.owner_of_start.get(id(owner))
        return found
