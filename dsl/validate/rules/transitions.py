"""Next and End: every non-terminal state has exactly one way on."""

from __future__ import annotations

from collections.abc import Iterator

from dsl.document import Document
from dsl.findings import Finding
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

NEXT_AND_END = RULES.rule(
    "ASL-NEXT-001", "error",
    "a state has both Next and End: true",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")
NEITHER_NEXT_NOR_END = RULES.rule(
    "ASL-NEXT-002", "error",
    "a Pass, Task, Wait, Parallel or Map state has neither Next nor End: true",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")

NEEDS_NEXT_OR_END = frozenset({"Pass", "Task", "Wait", "Parallel", "Map"})


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Next/End findings for every state that must say where to go."""
    for state in machine.states:
        if state.type not in NEEDS_NEXT_OR_END:
            continue
        has_next = "Next" in state.body
        ends = state.body.get("End") is True
        if has_next and ends:
            yield finding(NEXT_AND_END, (*state.parts, "End"),
                          f"state {quoted(state.name)} has both Next and End: true; keep exactly one")
        elif not has_next and not ends:
            yield finding(NEITHER_NEXT_NOR_END, state.parts,
                          f"{state.type} state {quoted(state.name)} needs Next (the state to run next) "
                          "or End: true")
