"""Any AWS API through the AWS SDK integration: ``arn:aws:states:::aws-sdk:SERVICE:action``.

``call("Get Object", "s3", "getObject", Bucket="b", Key=P("$.key"), result_path="$.obj")``:
PascalCase keywords are the API's parameters (Java SDK v2 names, see docs/integrations.md),
snake_case keywords are the state's options. Service, action, every parameter name (nested
too), required members, literal types and enum values are checked against botocore's model
when the call is written; values computed at run time are checked by name only.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from dsl.errors import caller_site
from dsl.integrations import sdk_model
from dsl.integrations.problems import IntegrationError, report
from dsl.states import Task

ARN = "arn:aws:states:::aws-sdk:"
WAIT_FOR_TASK_TOKEN = "waitForTaskToken"


def resource(service: str, action: str, *, wait_for_task_token: bool = False) -> str:
    """The Task Resource of an aws-sdk call."""
    suffix = "." + WAIT_FOR_TASK_TOKEN if wait_for_task_token else ""
    return f"{ARN}{service}:{action}{suffix}"


def split_keywords(keywords: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(API parameters, state options): PascalCase keywords are the API's, the rest the state's."""
    api = {k: v for k, v in keywords.items() if k[:1].isupper()}
    state = {k: v for k, v in keywords.items() if not k[:1].isupper()}
    return api, state


def task(name: str, resource_arn: str, parameters: dict[str, Any], state: dict[str, Any]) -> Task:
    """A Task with ``parameters`` in Parameters, or in Arguments for a JSONata state.

    With no parameters at all the Task has neither field, and the state's input is the request.
    """
    if not parameters:
        return Task(name, resource=resource_arn, **state)
    if state.get("query_language") == "JSONata":
        return Task(name, resource=resource_arn, arguments=parameters, **state)
    return Task(name, resource=resource_arn, parameters=parameters, **state)


_STATE_OPTIONS = frozenset(f.name for f in dataclasses.fields(Task) if f.init) - {"name"}


def check_state_options(state: dict[str, Any], parameters: list[str], *, state_name: str) -> None:
    """Refuse a lower-case keyword that is no state option: most often a parameter in the wrong case."""
    for key in state:
        if key in _STATE_OPTIONS:
            continue
        by_case = [p for p in parameters if p.lower() == key.replace("_", "").lower()]
        close = by_case or difflib.get_close_matches(key, [*parameters, *_STATE_OPTIONS], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise IntegrationError(f"{key!r} is neither an API parameter (those are PascalCase) nor a "
                               f"state option{hint}", state=state_name, site=caller_site())


def call(name: str, service: str, action: str, *, wait_for_task_token: bool = False,
         **parameters_and_state: Any) -> Task:
    """A Task calling ``service``'s ``action`` with the PascalCase keywords as parameters.

    ``service`` is the integration's name (``sfn``, ``eventbridge``, ``s3``), ``action`` the
    camelCase API action (``getObject``). Raises IntegrationError (with your file:line and
    the closest right name) when the model has no such service, action or parameter, a
    required member is missing, or a literal has the wrong type or enum value.
    """
    site = caller_site()
    if "." in action:
        base, _, pattern = action.partition(".")
        if pattern != WAIT_FOR_TASK_TOKEN:
            raise IntegrationError(f"aws-sdk:{service}:{action}: AWS SDK integrations support "
                                   "request-response and .waitForTaskToken only, not ." + pattern,
                                   state=name, site=site)
        action, wait_for_task_token = base, True
    if "sync" in parameters_and_state:
        raise IntegrationError("AWS SDK integrations have no .sync pattern; use the optimized "
                               "integration's helper for a .sync call", state=name, site=site)
    parameters, state = split_keywords(parameters_and_state)
    try:
        svc = sdk_model.service(service)
        operation = svc.operation(action)
    except (sdk_model.UnknownService, sdk_model.UnknownAction) as err:
        raise IntegrationError(str(err), state=name, site=site) from None
    check_state_options(state, svc.input_members(operation), state_name=name)
    field = "Arguments" if state.get("query_language") == "JSONata" else "Parameters"
    if parameters:  # none: the state's input is the request, known only at run time
        report(sdk_model.check_parameters(svc, operation, parameters), field=field, state=name, site=site)
    return task(name, resource(service, action, wait_for_task_token=wait_for_task_token),
                parameters, state)


def errors(service: str, action: str) -> tuple[str, ...]:
    """The error names ``aws-sdk:service:action`` can raise (``DynamoDb.ConditionalCheckFailedException``)."""
    svc = sdk_model.service(service)
    return svc.error_names(svc.operation(action))
