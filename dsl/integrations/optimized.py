"""What an optimized integration declares, and how its helpers build and check a Task.

An optimized integration is a Resource ``arn:aws:states:::SERVICE:api[.pattern]``. Each
integration module declares its APIs as :class:`Optimized` entries: the patterns the
developer guide documents, the IAM grants, and what the parameters follow (the service
API's model, or the guide's own field list where the integration differs from the API).
``dsl.integrations.registry`` collects them; ``dsl.iam`` and ``dsl validate`` look them up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from dsl.errors import Site, caller_site
from dsl.integrations import sdk_model
from dsl.integrations.grants import Args, Grant, arn
from dsl.integrations.problems import IntegrationError, report
from dsl.integrations.sdk_model import ERROR, ParameterProblem
from dsl.states import Task

ARN = "arn:aws:states:::"
REQUEST_RESPONSE = ""
SYNC = "sync"
SYNC2 = "sync:2"
WAIT = "waitForTaskToken"
PATTERN_NAMES = {REQUEST_RESPONSE: "request-response", SYNC: ".sync", SYNC2: ".sync:2", WAIT: ".waitForTaskToken"}

GrantsOf = Callable[[str, Args, str], tuple[Grant, ...]]
"""(pattern, the Task's arguments, the Resource's JSON pointer) -> grants."""


@dataclass(frozen=True)
class Optimized:
    """One optimized API: ``arn:aws:states:::service:api``."""

    service: str
    api: str
    patterns: frozenset[str]
    grants: GrantsOf
    # (aws-sdk service, action) whose input shape the parameters follow, if any.
    model: tuple[str, str] | None = None
    # The guide's top-level fields, where the integration's request is not the API's.
    fields: frozenset[str] = frozenset()
    # Model fields the integration takes as any JSON (Lambda's Payload, Bedrock's Body).
    free: frozenset[str] = frozenset()
    errors: tuple[str, ...] = ()
    # The prefix of the integration's error names (``DynamoDB``; the aws-sdk integration says ``DynamoDb``).
    error_prefix: str | None = None
    # Rewrites what the integration accepts beyond the API (EventBridge's object Detail) before the check.
    adapt: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def key(self) -> tuple[str, str]:
        """(service, api) as in the Resource."""
        return self.service, self.api

    def resource(self, pattern: str = REQUEST_RESPONSE) -> str:
        """The Task Resource for ``pattern``."""
        return f"{ARN}{self.service}:{self.api}" + (f".{pattern}" if pattern else "")

    def check(self, parameters: object) -> list[ParameterProblem]:
        """Problems of a Task's Parameters/Arguments for this API."""
        if sdk_model.is_dynamic(parameters) or not isinstance(parameters, dict):
            return []
        if self.model is not None:
            svc = sdk_model.service(self.model[0])
            # A free field is checked by name only, as a value computed at run time is.
            checked = {k: "{% any JSON %}" if k.removesuffix(".$") in self.free else v
                       for k, v in parameters.items()}
            checked = self.adapt(checked) if self.adapt else checked
            return sdk_model.check_parameters(svc, svc.operation(self.model[1]), checked, optimized=True)
        return [ParameterProblem((key,), "name", ERROR, f"unknown field {key.removesuffix('.$')!r} of {self.service}:"
                                               f"{self.api}{sdk_model.suggestion(key.removesuffix('.$'), self.fields)}"
                                               f" (expected one of {', '.join(sorted(self.fields))})")
                for key in parameters if key.removesuffix(".$") not in self.fields]


    def error_names(self) -> tuple[str, ...]:
        """The errors this integration is known to raise: the declared ones and the model's, with its prefix."""
        return _error_names(self)


@functools.cache
def _error_names(spec: Optimized) -> tuple[str, ...]:
    names = set(spec.errors)
    if spec.model is not None and spec.error_prefix is not None:
        svc = sdk_model.service(spec.model[0])
        operation = svc.model["operations"][svc.operation(spec.model[1])]
        # AWS: error names always end in "Exception", even where the API's do not.
        names.update(f"{spec.error_prefix}.{e['shape'].removesuffix('Exception')}Exception"
                     for e in operation.get("errors", []))
    return tuple(sorted(names))


def pattern_of(*, sync: bool = False, sync2: bool = False, wait_for_task_token: bool = False) -> str:
    """The pattern a helper's keyword options ask for."""
    chosen = [p for p, on in ((SYNC, sync), (SYNC2, sync2), (WAIT, wait_for_task_token)) if on]
    if len(chosen) > 1:
        raise IntegrationError("choose one of sync, sync2 and wait_for_task_token", site=caller_site())
    return chosen[0] if chosen else REQUEST_RESPONSE


def build(spec: Optimized, name: str, pattern: str, keywords: dict[str, Any]) -> Task:
    """A Task for ``spec``: PascalCase keywords are its parameters, the rest state options; checked."""
    from dsl.integrations.aws_sdk import split_keywords, task

    site = caller_site()
    if pattern not in spec.patterns:
        allowed = ", ".join(PATTERN_NAMES[p] for p in sorted(spec.patterns))
        raise IntegrationError(f"{spec.service}:{spec.api} has no {PATTERN_NAMES[pattern]} pattern "
                               f"(the developer guide documents {allowed})", state=name, site=site)
    parameters, state = split_keywords(keywords)
    _check(spec, name, parameters, state, site)
    return task(name, spec.resource(pattern), parameters, state)


def _check(spec: Optimized, name: str, parameters: dict[str, Any], state: dict[str, Any], site: Site) -> None:
    from dsl.integrations.aws_sdk import check_state_options

    known = list(spec.fields) if spec.model is None else _model_members(spec)
    check_state_options(state, known, state_name=name)
    field_name = "Arguments" if state.get("query_language") == "JSONata" else "Parameters"
    if parameters:  # none: the state's input is the request, known only at run time
        report(spec.check(parameters), field=field_name, state=name, site=site)


def _model_members(spec: Optimized) -> list[str]:
    assert spec.model is not None
    svc = sdk_model.service(spec.model[0])
    return svc.input_members(svc.operation(spec.model[1]))


# --- grants shared by the job-running integrations ------------------------------

def events_rule(rule: str, pattern: str) -> Grant:
    """The EventBridge rule Step Functions manages to learn that a ``.sync`` job ended."""
    return Grant(("events:DescribeRule", "events:PutRule", "events:PutTargets"), (arn("events", f"rule/{rule}"),),
                 f"{PATTERN_NAMES[pattern]} learns of the job's end through this rule, which Step Functions manages")


def pass_role(args: Args, key: str) -> tuple[Grant, ...]:
    """iam:PassRole for the role the job runs as (named by ``key``), when the Task names one."""
    if not args.present(key):
        return ()
    role = args.static(key)
    return (Grant(("iam:PassRole",), (role or arn("iam", "role/*", region=""),),
                  f"the job runs as this role ({key})" if role else
                  f"{key} is computed at run time, so any role may be passed"),)


def sync_grants(pattern: str, actions: Iterable[str], resources: tuple[str, ...], rule: str | None) -> tuple[Grant, ...]:
    """What ``.sync`` adds: the polling/stopping ``actions`` on ``resources``, and the events rule."""
    if pattern not in (SYNC, SYNC2):
        return ()
    grants = [Grant(tuple(actions), resources, f"{PATTERN_NAMES[pattern]} watches the job and stops it "
                                               "when the execution stops")]
    if rule:
        grants.append(events_rule(rule, pattern))
    return tuple(grants)
