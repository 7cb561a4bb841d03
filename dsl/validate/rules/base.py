"""What every rule module shares: options, finding construction, placeholders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dsl.document import Parts
from dsl.findings import Finding, pointer
from dsl.rules import Rule


@dataclass(frozen=True)
class Options:
    """How strictly to validate."""

    strict: bool = False


def finding(rule: Rule, parts: Parts, message: str) -> Finding:
    """A finding of ``rule`` at the JSON Pointer of ``parts``."""
    return rule.at(pointer(*parts), message)


def quoted(name: Any) -> str:
    """A name as messages show it."""
    return f'"{name}"'
