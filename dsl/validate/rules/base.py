"""What every rule module shares: options, finding construction, placeholders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dsl.findings import Finding, pointer
from dsl.validate.catalogue import WARNINGS
from dsl.validate.model import Parts


@dataclass(frozen=True)
class Options:
    """How strictly to validate."""

    strict: bool = False


def finding(rule: str, parts: Parts, message: str) -> Finding:
    """A finding of ``rule`` at the JSON Pointer of ``parts``."""
    return Finding(pointer(*parts), rule, message, "warning" if rule in WARNINGS else "error")


def quoted(name: Any) -> str:
    """A name as messages show it."""
    return f'"{name}"'
