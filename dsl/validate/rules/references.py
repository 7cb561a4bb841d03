"""Transition targets, unique names, reachability and terminal states."""

from __future__ import annotations

from collections.abc import Iterator

from dsl.document import DocScope, DocState, Document, Parts
from dsl.findings import Finding, pointer
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

MISSING_START = RULES.rule(
    "ASL-REF-001", "error",
    "StartAt names a state that is not in its own scope",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")
MISSING_TARGET = RULES.rule(
    "ASL-REF-002", "error",
    "Next, Default or a Catcher's Next names a state that is not in the same scope",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")
DUPLICATE_NAME = RULES.rule(
    "ASL-REF-003", "error",
    "a state name is used twice (names are unique across the whole machine)",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")
UNREACHABLE = RULES.rule(
    "ASL-REF-004", "error",
    "a state cannot be reached from the StartAt of its scope",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")
NO_END = RULES.rule(
    "ASL-REF-005", "error",
    "no reachable state of a scope ends it (End: true, Succeed or Fail)",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """All reference findings for ``machine``."""
    first: dict[str, DocState] = {}
    for state in machine.states:
        earlier = first.setdefault(state.name, state)
        if earlier is not state:
            yield finding(DUPLICATE_NAME, state.parts,
                          f"state name {quoted(state.name)} is already used at {pointer(*earlier.parts)}; "
                          "state names must be unique across the whole machine")
    home = {name: state.scope for name, state in first.items()}
    by_scope: dict[Parts, list[DocState]] = {}
    for state in machine.states:
        by_scope.setdefault(state.scope.parts, []).append(state)
    for scope in machine.scopes:
        yield from _check_scope(scope, by_scope.get(scope.parts, []), home)


def _check_scope(scope: DocScope, states: list[DocState], home: dict[str, DocScope]) -> Iterator[Finding]:
    names = scope.states
    start = scope.body.get("StartAt")
    if isinstance(start, str) and start not in names:
        yield finding(MISSING_START, (*scope.parts, "StartAt"), _missing(start, scope, home))
    edges: dict[str, list[str]] = {}
    broken = False
    for state in states:
        targets = edges.setdefault(state.name, [])
        for parts, target in transitions_of(state):
            if target in names:
                targets.append(target)
            else:
                broken = True
                yield finding(MISSING_TARGET, parts, _missing(target, scope, home))
    if not (isinstance(start, str) and start in names) or not states:
        return
    reached = _reachable(start, edges)
    for state in states:
        if state.name not in reached:
            yield finding(UNREACHABLE, state.parts,
                          f"state {quoted(state.name)} cannot be reached from StartAt {quoted(start)} "
                          f"in {scope.describe()}")
    # With a broken transition the author's intended ending is unknown: report that only.
    if not broken and not any(_is_terminal(state) for state in states if state.name in reached):
        yield finding(NO_END, (*scope.parts, "States"),
                      f"no reachable state in {scope.describe()} ends it; "
                      "add End: true, a Succeed state or a Fail state")


def transitions_of(state: DocState) -> Iterator[tuple[Parts, str]]:
    """(location, target name) of every transition a state declares."""
    body = state.body
    for key in ("Next", "Default"):
        if isinstance(body.get(key), str):
            yield (*state.parts, key), body[key]
    for key in ("Choices", "Catch"):
        entries = body.get(key)
        if isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get("Next"), str):
                    yield (*state.parts, key, index, "Next"), entry["Next"]


def _missing(target: str, scope: DocScope, home: dict[str, DocScope]) -> str:
    other = home.get(target)
    if other is not None and other is not scope:
        return (f"state {quoted(target)} is in {other.describe()}, not in {scope.describe()}; "
                "a transition cannot leave or enter a branch or item processor")
    return f"no state named {quoted(target)} in {scope.describe()}"


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    reached = {start}
    pending = [start]
    while pending:
        for target in edges.get(pending.pop(), []):
            if target not in reached:
                reached.add(target)
                pending.append(target)
    return reached


def _is_terminal(state: DocState) -> bool:
    return state.type in ("Succeed", "Fail") or state.body.get("End") is True
