"""Optimized integration Tasks (``arn:aws:states:::SERVICE:api``) against what each integration declares.

ASL-INT-001 the Resource asks for a pattern (.sync, .sync:2, .waitForTaskToken) the integration does not have.
ASL-INT-002 a parameter name (at any depth) is not the integration's.
ASL-INT-003 a required parameter is missing.
ASL-INT-004 a literal value has the wrong type.
ASL-INT-005 a literal value is not one of the parameter's enum values.

Integrations the registry does not know are left alone; values computed at run time are checked by name only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dsl.findings import Finding
from dsl.validate.model import Machine
from dsl.validate.rules.aws_sdk import impossible_errors, without_placeholders
from dsl.validate.rules.base import Options, finding, quoted

_OPTIMIZED = re.compile(r"^arn:[a-z-]+:states:::(?P<service>[a-z0-9-]+):(?P<api>[A-Za-z0-9]+)(?:\.(?P<pattern>.+))?$")
_RULE_OF_KIND = {"name": "ASL-INT-002", "required": "ASL-INT-003", "type": "ASL-INT-004", "enum": "ASL-INT-005",
                 "spelling": "ASL-SDK-007"}


def check(machine: Machine, options: Options) -> Iterator[Finding]:
    """Findings for every optimized-integration Task the registry knows."""
    for state in machine.states:
        resource = state.body.get("Resource")
        match = _OPTIMIZED.match(resource) if state.type == "Task" and isinstance(resource, str) else None
        if match is None or match["service"] == "aws-sdk":
            continue
        from dsl.integrations import registry
        from dsl.integrations.optimized import PATTERN_NAMES

        spec = registry.optimized(match["service"], match["api"])
        if spec is None:
            continue
        subject = f"state {quoted(state.name)}:"
        pattern = match["pattern"] or ""
        if pattern not in spec.patterns:
            allowed = ", ".join(PATTERN_NAMES[p] for p in sorted(spec.patterns))
            yield finding("ASL-INT-001", (*state.parts, "Resource"),
                          f"{subject} {spec.service}:{spec.api} has no .{pattern} pattern (the developer guide "
                          f"documents {allowed})")
        field = "Arguments" if state.jsonata else "Parameters"
        for problem in spec.check(without_placeholders(state.body.get(field, {}))):
            yield finding(_RULE_OF_KIND[problem.kind], (*state.parts, field, *problem.path),
                          f"{subject} {field}{''.join(f'/{p}' for p in problem.path)}: {problem.message}")
        if spec.error_prefix is not None:
            yield from impossible_errors(state, spec.error_prefix, spec.error_names(), complete=False)
