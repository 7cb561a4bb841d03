"""Optimized integration Tasks (``arn:aws:states:::SERVICE:api``) against what each integration declares.

Integrations the registry does not know are left alone; values computed at run time are checked by name only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dsl.document import Document
from dsl.findings import Finding
from dsl.integrations.resource import parse
from dsl.validate.catalogue import RULES
from dsl.validate.rules.aws_sdk import UNVERIFIED, impossible_errors
from dsl.validate.rules.base import Options, finding, quoted

_DOCS = "https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html"

NO_SUCH_PATTERN = RULES.rule(
    "ASL-INT-001", "error", "an optimized integration Task asks for a pattern the integration does not have",
    docs=_DOCS)
UNKNOWN_FIELD = RULES.rule(
    "ASL-INT-002", "error", "an optimized integration Task parameter name (at any depth) is not the integration's",
    docs=_DOCS)
MISSING_FIELD = RULES.rule("ASL-INT-003", "error", "an optimized integration Task lacks a required parameter",
                           docs=_DOCS)
WRONG_TYPE = RULES.rule("ASL-INT-004", "error",
                        "an optimized integration Task parameter holds a literal of the wrong type", docs=_DOCS)
NOT_IN_ENUM = RULES.rule("ASL-INT-005", "error",
                         "an optimized integration Task parameter holds a value outside its enum", docs=_DOCS)

LAMBDA_ARN = RULES.rule(
    "ASL-INT-006", "error", "a Lambda function Resource ARN has a malformed function name or qualifier",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html")

# arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]; the name and qualifier patterns are
# Lambda's (Invoke's FunctionName and Qualifier); the region and account are left to the schema.
_LAMBDA_FUNCTION = re.compile(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:(?P<rest>.*)$")
_NAME_AND_QUALIFIER = re.compile(r"^[a-zA-Z0-9_-]{1,140}(?::(?:\$LATEST|[a-zA-Z0-9_-]{1,128}))?$")

_RULE_OF_KIND = {"name": UNKNOWN_FIELD, "required": MISSING_FIELD, "type": WRONG_TYPE, "enum": NOT_IN_ENUM,
                 "spelling": UNVERIFIED}


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Findings for every optimized-integration Task the registry knows."""
    for state in machine.states:
        resource = state.body.get("Resource")
        if state.type == "Task" and isinstance(resource, str) and "${" not in resource:
            function = _LAMBDA_FUNCTION.match(resource)
            if function and not _NAME_AND_QUALIFIER.match(function["rest"]):
                yield finding(LAMBDA_ARN, (*state.parts, "Resource"),
                              f"state {quoted(state.name)}: {function['rest']!r} is not a function name with an "
                              "optional version or alias (letters, digits, - and _; a version, an alias or $LATEST)")
        call = parse(resource) if state.type == "Task" and isinstance(resource, str) else None
        if call is None or call.sdk:
            continue
        from dsl.integrations import registry
        from dsl.integrations.optimized import PATTERN_NAMES

        spec = registry.optimized(call.service, call.api)
        if spec is None:
            continue
        subject = f"state {quoted(state.name)}:"
        pattern = call.pattern
        if pattern not in spec.patterns:
            allowed = ", ".join(PATTERN_NAMES[p] for p in sorted(spec.patterns))
            yield finding(NO_SUCH_PATTERN, (*state.parts, "Resource"),
                          f"{subject} {spec.service}:{spec.api} has no .{pattern} pattern (the developer guide "
                          f"documents {allowed})")
        field = "Arguments" if state.jsonata else "Parameters"
        # Without the field the state's input is the request: nothing to check until run time.
        for problem in spec.check(state.body.get(field)):
            yield finding(_RULE_OF_KIND[problem.kind], (*state.parts, field, *problem.path),
                          f"{subject} {field}{''.join(f'/{p}' for p in problem.path)}: {problem.message}")
        yield from impossible_errors(state)
