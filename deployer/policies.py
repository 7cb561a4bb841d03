"""IAM documents of the deployed roles.

A state machine's policy is derived from its (filled) definition by
``dsl.iam``; only log delivery and X-Ray, which no definition mentions, are
added here. Those two need ``"Resource": "*"``: AWS defines the CloudWatch
Logs delivery actions and the X-Ray actions below without a resource type.
The one grant narrowed here is a read of executions named at run time, when
the catalog knows whose executions those are (``scope_execution_reads``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from deployer.templates import substitute
from dsl import iam

LOG_DELIVERY = iam.Grant(
    ("logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
     "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
     "logs:PutResourcePolicy", "logs:UpdateLogDelivery"),
    ("*",),
    "Step Functions delivers execution logs through CloudWatch Logs vended-log delivery; AWS defines "
    "these actions without a resource type, so only \"*\" can grant them",
)
XRAY = iam.Grant(
    ("xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords",
     "xray:PutTraceSegments"),
    ("*",),
    "tracing is on for every machine; AWS defines these X-Ray actions without a resource type",
)

# Step Functions actions on the execution resource type whose access level is Read (Service
# Authorization Reference); writes such as StopExecution or RedriveExecution are never narrowed.
EXECUTION_READS = frozenset({"states:DescribeExecution", "states:DescribeStateMachineForExecution",
                             "states:GetExecutionHistory"})

# Services that pass the caller's account with AssumeRole, so the trust
# policy can refuse another account's resources (confused deputy).
_SOURCE_ACCOUNT_AWARE = frozenset({"states.amazonaws.com", "events.amazonaws.com"})


def trust_policy(service: str, account: str) -> dict[str, Any]:
    """The document that lets ``service`` assume a role of ``account``."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if service in _SOURCE_ACCOUNT_AWARE:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account}}
    return {"Version": iam.POLICY_VERSION, "Statement": [statement]}


def location_values(*, partition: str, region: str, account: str, machine_name: str = "") -> dict[str, str]:
    """Values of ``dsl.iam``'s location placeholders."""
    values = {_name(iam.PARTITION): partition, _name(iam.REGION): region, _name(iam.ACCOUNT): account}
    if machine_name:
        values[_name(iam.SELF_NAME)] = machine_name
    return values


def machine_policy(definition: Mapping[str, Any], location: Mapping[str, str], *,
                   reads_executions_of: str | None = None, because: str = "") -> dict[str, Any]:
    """Least privilege for a machine running ``definition`` (placeholders already filled).

    ``reads_executions_of`` names the machine that every execution this one reads by a
    run-time ARN belongs to, ``because`` says how we know
    (``catalog.MachineSpec.describes_executions_of``).
    """
    needs = iam.required_permissions(definition)
    if reads_executions_of is not None:
        needs = scope_execution_reads(needs, machine_name=reads_executions_of, reason=because)
    document = iam.policy_document(needs, extra=(LOG_DELIVERY, XRAY))
    filled: dict[str, Any] = substitute(document, location)
    return filled


def scope_execution_reads(needs: Iterable[iam.StatePermissions], *, machine_name: str,
                          reason: str) -> list[iam.StatePermissions]:
    """``needs`` with reads of any execution (``execution:*``) narrowed to ``machine_name``'s executions.

    Only a grant of nothing but ``EXECUTION_READS`` on exactly ``iam.ANY_EXECUTION`` (what a
    run-time ``ExecutionArn`` gets) changes; ``.sync`` and Distributed Map grants, which also
    stop executions, and every other grant stay as derived.
    """
    scoped = (iam.executions_of(machine_name),)
    why = f"ExecutionArn is computed at run time, but every execution read is one of {machine_name}: {reason}"

    def narrow(grant: iam.Grant) -> iam.Grant:
        if grant.resources == (iam.ANY_EXECUTION,) and EXECUTION_READS.issuperset(grant.actions):
            return iam.Grant(grant.actions, scoped, why)
        return grant

    return [replace(p, grants=tuple(narrow(g) for g in p.grants)) for p in needs]


def function_policy(log_group_arn: str) -> dict[str, Any]:
    """A function may write its own log streams, nothing else."""
    return iam.policy_document((), extra=(iam.Grant(
        ("logs:CreateLogStream", "logs:PutLogEvents"), (f"{log_group_arn}:*",),
        "the function writes its log streams in its own log group"),))


def start_execution_policy(machine_arns: list[str]) -> dict[str, Any]:
    """EventBridge may start executions of exactly these machines."""
    return iam.policy_document((), extra=(iam.Grant(
        ("states:StartExecution",), tuple(sorted(set(machine_arns))),
        "EventBridge rules start these machines"),))


def _name(placeholder: str) -> str:
    return placeholder[2:-1]
