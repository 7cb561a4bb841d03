"""Validate Amazon States Language definitions: JSON Schema plus semantic rules.

``validate(doc)`` checks a parsed definition against the package's Draft 2020-12
schema (``schema/asl.schema.json``) and then the rules a schema cannot express
(transition targets per scope, unique names, reachability, paths, intrinsic
functions, JSONata placement, timeouts, timestamps, Map modes). It is a pure
function: no I/O besides reading the schema once per process.

Importing this package is cheap; ``jsonschema`` is imported on the first call.
"""

from __future__ import annotations

from typing import Any

from dsl.findings import Finding
from dsl.validate.rules import RULES

__all__ = ["RULES", "Finding", "is_valid", "validate"]


def validate(doc: dict[str, Any], *, strict: bool = False) -> list[Finding]:
    """Every problem found in ``doc``, sorted by location then rule.

    ``strict=True`` also rejects ``${Name}`` deploy-time placeholders, which
    are otherwise accepted where a substituted value will stand.
    Findings with severity "warning" do not make a definition invalid.
    """
    from dsl.document import read
    from dsl.validate.rules import CHECKS, Options
    from dsl.validate.schema_check import schema_findings

    if not isinstance(doc, dict):
        raise TypeError(f"validate() needs the parsed definition as a dict, not {type(doc).__name__}")
    found = set(schema_findings(doc))
    machine = read(doc)
    options = Options(strict=strict)
    for check in CHECKS:
        found.update(check(machine, options))
    return sorted(found)


def is_valid(findings: list[Finding]) -> bool:
    """True when ``findings`` holds no error (warnings allowed)."""
    return all(item.severity != "error" for item in findings)
