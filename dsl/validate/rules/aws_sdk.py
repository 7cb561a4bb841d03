"""AWS SDK integration Tasks (``arn:aws:states:::aws-sdk:SERVICE:action``) against botocore's models.

Values computed at run time (``Key.$`` paths and intrinsics, ``{% %}`` JSONata) are checked by name
only. docs/integrations.md gives the naming rules the checks follow.
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.document import DocState, Document
from dsl.findings import Finding
from dsl.integrations import error_names
from dsl.integrations.resource import parse
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

_SDK_DOCS = "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html"

UNKNOWN_SERVICE = RULES.rule(
    "ASL-SDK-001", "error", "an aws-sdk Task names a service the AWS SDK integration cannot call", docs=_SDK_DOCS)
UNKNOWN_ACTION = RULES.rule(
    "ASL-SDK-002", "error", "an aws-sdk Task names an action the service does not have, or a pattern other "
    "than .waitForTaskToken", docs=_SDK_DOCS)
UNKNOWN_PARAMETER = RULES.rule(
    "ASL-SDK-003", "error", "an aws-sdk Task parameter name (at any depth) is not the service's Java SDK v2 name",
    docs=_SDK_DOCS)
MISSING_PARAMETER = RULES.rule("ASL-SDK-004", "error", "an aws-sdk Task lacks a required parameter", docs=_SDK_DOCS)
WRONG_TYPE = RULES.rule("ASL-SDK-005", "error", "an aws-sdk Task parameter holds a literal of the wrong type",
                        docs=_SDK_DOCS)
NOT_IN_ENUM = RULES.rule("ASL-SDK-006", "error", "an aws-sdk Task parameter holds a value outside its enum",
                         docs=_SDK_DOCS)
UNVERIFIED = RULES.rule(
    "ASL-SDK-007", "warning", "a Task parameter uses a spelling or value AWS may accept but that is unverified "
    "(botocore's acronym case, a numeric string) (warning)", docs=_SDK_DOCS)
IMPOSSIBLE_ERROR = RULES.rule(
    "ASL-SDK-008", "warning", "Retry/Catch names an error the Task's integration never raises, e.g. DynamoDb. "
    "on the optimized DynamoDB integration (warning)", docs=_SDK_DOCS)

_RULE_OF_KIND = {"name": UNKNOWN_PARAMETER, "required": MISSING_PARAMETER, "type": WRONG_TYPE,
                 "enum": NOT_IN_ENUM, "spelling": UNVERIFIED}


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Findings for every aws-sdk Task of ``machine``."""
    for state in machine.states:
        resource = state.body.get("Resource")
        call = parse(resource) if state.type == "Task" and isinstance(resource, str) else None
        if call is not None and call.sdk and call.api:
            yield from _check_task(state, call.service, call.api, call.pattern or None)


def _check_task(state: DocState, service: str, action: str, pattern: str | None) -> Iterator[Finding]:
    from dsl.integrations import sdk_model  # botocore only for files that call the SDK

    at_resource = (*state.parts, "Resource")
    subject = f"state {quoted(state.name)}:"
    if pattern is not None and pattern != "waitForTaskToken":
        yield finding(UNKNOWN_ACTION, at_resource,
                      f"{subject} AWS SDK integrations support request-response and .waitForTaskToken "
                      f"only, not .{pattern}")
    try:
        svc = sdk_model.service(service)
        operation = svc.operation(action)
    except sdk_model.UnknownService as err:
        yield finding(UNKNOWN_SERVICE, at_resource, f"{subject} {err}")
        return
    except sdk_model.UnknownAction as err:
        yield finding(UNKNOWN_ACTION, at_resource, f"{subject} {err}")
        return
    field = "Arguments" if state.jsonata else "Parameters"
    # Without the field the state's input is the request: nothing to check until run time.
    parameters = state.body.get(field, "{% the input %}")
    for problem in sdk_model.check_parameters(svc, operation, parameters):
        yield finding(_RULE_OF_KIND[problem.kind], (*state.parts, field, *problem.path),
                      f"{subject} {field}{''.join(f'/{p}' for p in problem.path)}: {problem.message}")
    yield from impossible_errors(state)


def impossible_errors(state: DocState) -> Iterator[Finding]:
    """ASL-SDK-008 for each Retry/Catch error name the Task's integration cannot raise."""
    scope = error_names.scope_of(state.body.get("Resource"))
    if scope is None:
        return
    for key in ("Retry", "Catch"):
        handlers = state.body.get(key)
        if not isinstance(handlers, list):
            continue
        for index, handler in enumerate(handlers):
            names = handler.get("ErrorEquals") if isinstance(handler, dict) else None
            if not isinstance(names, list):
                continue
            for position, name in enumerate(names):
                message = error_names.impossible_error(name, scope)
                if message:
                    yield finding(IMPOSSIBLE_ERROR, (*state.parts, key, index, "ErrorEquals", position),
                                  f"state {quoted(state.name)}: {message}")
