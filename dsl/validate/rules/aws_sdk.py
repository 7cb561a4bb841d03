"""AWS SDK integration Tasks (``arn:aws:states:::aws-sdk:SERVICE:action``) against botocore's models.

Values computed at run time (``Key.$`` paths and intrinsics, ``{% %}`` JSONata) are checked by name
only. docs/integrations.md gives the naming rules the checks follow.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from dsl.document import DocState, Document
from dsl.findings import Finding
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
    yield from impossible_errors(state, svc.error_prefix, svc.all_error_names, complete=True)


def impossible_errors(state: DocState, prefix: str, known: tuple[str, ...], *, complete: bool) -> Iterator[Finding]:
    """ASL-SDK-008 for each error name the Task's integration cannot raise (see ``impossible_error``)."""
    for key in ("Retry", "Catch"):
        handlers = state.body.get(key)
        if not isinstance(handlers, list):
            continue
        for index, handler in enumerate(handlers):
            names = handler.get("ErrorEquals") if isinstance(handler, dict) else None
            if not isinstance(names, list):
                continue
            for position, name in enumerate(names):
                message = impossible_error(name, prefix, known, complete=complete)
                if message:
                    yield finding(IMPOSSIBLE_ERROR, (*state.parts, key, index, "ErrorEquals", position),
                                  f"state {quoted(state.name)}: {message}")


def impossible_error(name: object, prefix: str, known: tuple[str, ...], *, complete: bool) -> str | None:
    """Why a Task whose errors are named ``prefix.*`` can never raise ``name`` (None if it can).

    A name spelled with the prefix in another case never matches (``DynamoDB.`` vs ``DynamoDb.``);
    when ``known`` is ``complete``, neither does a name of the prefix that is not in it.
    """
    if not isinstance(name, str) or "." not in name:
        return None
    head, _, tail = name.partition(".")
    if head.lower() != prefix.lower() or name in known or tail.startswith("Sdk"):
        return None
    if head != prefix:
        return (f"{quoted(name)} never matches: this integration names its errors {quoted(prefix + '.' + tail)}")
    if not complete:
        return None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    hint = f"; did you mean {quoted(close[0])}?" if close else ""
    return f"{quoted(name)} is not an error the service defines, so it never matches{hint}"
