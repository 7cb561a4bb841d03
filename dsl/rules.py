"""Rules: the properties validate and verify check, each declared once, beside its check.

A tool keeps its rules in one :class:`Catalogue`; a check module declares each of its rules
there (``MY_RULE = RULES.rule("ASL-XYZ-001", "error", "what it means", docs=URL)``) and reports
findings with :meth:`Rule.at`. A finding can only name a declared rule, so an uncatalogued id is
impossible; a second declaration of one id is refused when the module is imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from dsl.errors import CODE_FORMAT
from dsl.findings import Finding

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """One property a tool checks: its id, its severity, one line saying it, and where AWS documents it."""

    id: str
    severity: Severity
    text: str
    docs: str = ""

    def at(self, pointer: str, message: str) -> Finding:
        """A finding of this rule at the JSON Pointer ``pointer``."""
        return Finding(pointer, self.id, message, self.severity)


class Catalogue(Mapping[str, Rule]):
    """The rules of one tool by id, in the order they were declared."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self._rules: dict[str, Rule] = {}

    def rule(self, rule_id: str, severity: Severity, text: str, *, docs: str = "") -> Rule:
        """Declare a rule of this tool; returns it, for the check that reports it."""
        if not CODE_FORMAT.fullmatch(rule_id):
            raise ValueError(f"{self.tool}: rule id {rule_id!r} does not match {CODE_FORMAT.pattern}")
        if rule_id in self._rules:
            raise ValueError(f"{self.tool}: rule {rule_id} is declared twice")
        if severity not in ("error", "warning"):
            raise ValueError(f"{self.tool}: rule {rule_id} has severity {severity!r}; expected error or warning")
        declared = Rule(rule_id, severity, text, docs)
        self._rules[rule_id] = declared
        return declared

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)
