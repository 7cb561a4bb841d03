"""Least-privilege IAM derived from an ASL document.

``required_permissions(doc)`` walks every Task state (also inside Parallel
branches and Map processors) and returns, per state, exactly the IAM actions
its integration calls and the resources it touches. ``policy_document`` merges
them into one deterministic IAM policy. Both are pure functions of the ASL
dict: the deployer calls them on definitions whose ``${SF_...}`` placeholders
are already filled (so ARNs are concrete), the review renderer on the
generated files (so placeholders show as written).

ARNs that depend on where the machine runs use the placeholders below; the
deployer substitutes them. A field that is one whole ``${...}`` placeholder is
read as an ARN when the field holds ARNs (``StateMachineArn``) or the
placeholder's name ends in ``ARN`` (``${SF_LambdaARN}``), else as a name. A value read from the execution's data (a dynamic
``.$`` key or a JSONata ``{% %}`` expression) cannot be scoped from the
definition, so the grant falls back to every resource of that type in the
account and region, and says so in ``Grant.why`` (Step Functions' own
generated policies fall back to ``*`` in that case).

An integration this module does not know is refused with
``UnsupportedIntegration`` rather than granted nothing or everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dsl.document import Defect, DocState, processor_field, walk
from dsl.findings import pointer as json_pointer
from dsl.integrations.grants import (
    ACCOUNT,
    ANY_EXECUTION,
    PARTITION,
    REGION,
    SELF_NAME,
    Args,
    Grant,
    IamDerivationError,
    UnsupportedIntegration,
    arn,
    executions_of,
    why,
)

__all__ = ["ACCOUNT", "ANY_EXECUTION", "PARTITION", "POLICY_VERSION", "REGION", "SELF_NAME", "Grant",
           "IamDerivationError", "StatePermissions", "UnsupportedIntegration", "executions_of",
           "policy_document", "required_permissions"]

POLICY_VERSION = "2012-10-17"

_LAMBDA_ARN = re.compile(r"^arn:[a-z-]+:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$")
_ACTIVITY_ARN = re.compile(r"^arn:[a-z-]+:states:[^:]+:\d{12}:activity:.+$")


@dataclass(frozen=True)
class StatePermissions:
    """What one state (a Task, or a Map that starts child executions) needs."""

    pointer: str
    state: str
    integration: str
    grants: tuple[Grant, ...]

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action this state needs, sorted, without repeats."""
        return tuple(sorted({a for g in self.grants for a in g.actions}))


def required_permissions(doc: Mapping[str, Any]) -> list[StatePermissions]:
    """The permissions each state of ``doc`` needs, in document order.

    Raises ``IamDerivationError`` for a document whose Task fields are not the
    types ASL requires, and ``UnsupportedIntegration`` for an integration this
    module cannot scope.
    """
    language = _text(doc.get("QueryLanguage"), "JSONPath")
    return list(_walk(doc, language))


def policy_document(permissions: Iterable[StatePermissions],
                    extra: Iterable[Grant] = ()) -> dict[str, Any]:
    """One IAM policy granting exactly ``permissions`` (and ``extra``).

    Actions that need the same set of resources share a statement; actions,
    resources and statements are sorted so the same needs give the same text.
    """
    by_action: dict[str, set[str]] = {}
    for grant in [g for p in permissions for g in p.grants] + list(extra):
        for action in grant.actions:
            by_action.setdefault(action, set()).update(grant.resources)
    by_resources: dict[tuple[str, ...], list[str]] = {}
    for action, resources in by_action.items():
        by_resources.setdefault(tuple(sorted(resources)), []).append(action)
    statements = [
        {"Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}
        for resources, actions in by_resources.items()
    ]
    statements.sort(key=lambda s: (s["Action"], s["Resource"]))
    return {"Version": POLICY_VERSION, "Statement": statements}


# --- walking the document -------------------------------------------------

# How a shape the document reader cannot follow is refused (dsl.document.Defect.expected).
_DEFECTS = {
    "states": "States must be an object of states",
    "state": "a state must be an object",
    "branches": "Branches must be an array",
    "branch": "a branch must be an object with StartAt and States",
}


def _walk(doc: Mapping[str, Any], language: str) -> Iterator[StatePermissions]:
    for item in walk(doc):
        if isinstance(item, Defect):
            field = str(item.parts[-1])
            raise IamDerivationError(json_pointer(*item.parts), _DEFECTS.get(
                item.expected, f"{field} must be an object with StartAt and States"))
        if not isinstance(item, DocState):
            continue
        # Nested states default to the machine's QueryLanguage, not their parent's.
        state_language = _text(item.body.get("QueryLanguage"), language)
        if item.type == "Task":
            yield _task(item.name, item.body, item.parts, state_language)
        elif item.type == "Map":
            yield from _map(item.name, item.body, item.parts)


def _map(name: str, state: Mapping[str, Any], where: tuple[str | int, ...]) -> Iterator[StatePermissions]:
    for field in ("ItemReader", "ResultWriter"):
        if field in state:
            raise UnsupportedIntegration(json_pointer(*where, field),
                                         f"{field} (S3 access of a Distributed Map) is not supported")
    processor = state.get(processor_field(state))
    config = processor.get("ProcessorConfig") if isinstance(processor, Mapping) else None
    if isinstance(config, Mapping) and config.get("Mode") == "DISTRIBUTED":
        # A Distributed Map runs each batch as a child execution of this very
        # state machine, so the role must start, watch and stop those.
        yield StatePermissions(json_pointer(*where), name, "Map (DISTRIBUTED)", (
            Grant(("states:StartExecution",), (arn("states", f"stateMachine:{SELF_NAME}"),),
                  "a Distributed Map starts its child workflows on this state machine"),
            Grant(("states:DescribeExecution", "states:StopExecution"),
                  (arn("states", f"execution:{SELF_NAME}/*"),),
                  "a Distributed Map watches and stops its child workflow executions"),
        ))


def _task(name: str, state: Mapping[str, Any], where: tuple[str | int, ...],
          language: str) -> StatePermissions:
    resource = state.get("Resource")
    if not isinstance(resource, str):
        raise IamDerivationError(json_pointer(*where, "Resource"), "a Task needs a Resource string")
    field = "Arguments" if language == "JSONata" else "Parameters"
    raw = state.get(field, {})
    if language == "JSONata" and isinstance(raw, str):
        args = Args({}, language, json_pointer(*where, field), opaque=True)  # one expression: all dynamic
    elif isinstance(raw, Mapping):
        args = Args(raw, language, json_pointer(*where, field))
    else:
        raise IamDerivationError(json_pointer(*where, field), f"{field} must be an object")
    grants = _integration_grants(resource, args, json_pointer(*where, "Resource"))
    credentials = state.get("Credentials")
    if isinstance(credentials, Mapping):
        creds = Args(credentials, language, json_pointer(*where, "Credentials"))
        role = creds.static("RoleArn")
        grants += (Grant(("sts:AssumeRole",), (role or arn("iam", "role/*", region=""),),
                         why(creds, "RoleArn", "the Task runs with the credentials of this role")),)
    return StatePermissions(json_pointer(*where), name, resource, grants)


# --- integrations ---------------------------------------------------------

def _integration_grants(resource: str, args: Args, where: str) -> tuple[Grant, ...]:
    from dsl.integrations import registry
    from dsl.integrations.resource import parse
    from dsl.integrations.sdk_iam import sdk_grants

    if _LAMBDA_ARN.match(resource):
        return (Grant(("lambda:InvokeFunction",), (resource,), "the Task invokes this function"),)
    if _ACTIVITY_ARN.match(resource):
        return ()  # workers poll the activity with their own credentials
    call = parse(resource)
    if call is None:
        raise UnsupportedIntegration(where, f"Resource {resource!r} is not a service integration, "
                                            "Lambda function or activity ARN")
    if call.sdk:
        if not call.api:
            raise UnsupportedIntegration(where, f"Resource {resource!r}: expected "
                                                "arn:aws:states:::aws-sdk:SERVICE:apiAction")
        return sdk_grants(call.service, call.api, call.pattern, args, where)
    pattern = call.pattern
    spec = registry.optimized(call.service, call.api)
    if spec is None or pattern not in spec.patterns:
        raise UnsupportedIntegration(where, f"Resource {resource!r}: IAM derivation is not known for "
                                            "this integration; supported: "
                                            + ", ".join(f"{s.service}:{s.api}" for s in registry.all_optimized()))
    return spec.grants(pattern, args, where)


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default
