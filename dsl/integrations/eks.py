"""Amazon EKS optimized integrations: run a Kubernetes job (all three patterns), call the Kubernetes API.

The request is not an AWS API: Step Functions talks to the cluster's Kubernetes endpoint,
so the fields are the developer guide's, and the permissions are the cluster's RBAC
mapping of the state machine's role (``aws-auth`` / access entries), not IAM actions.
"""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task

_CLUSTER = frozenset({"ClusterName", "CertificateAuthority", "Endpoint", "Namespace"})


def run_job(name: str, *, sync: bool = False, wait_for_task_token: bool = False,
            **parameters_and_state: Any) -> Task:
    """``eks.run_job("Job", ClusterName=..., CertificateAuthority=..., Endpoint=..., Job={...}, sync=True)``."""
    return build(RUN_JOB, name, pattern_of(sync=sync, wait_for_task_token=wait_for_task_token),
                 parameters_and_state)


def call(name: str, **parameters_and_state: Any) -> Task:
    """``eks.call("Get Pods", ClusterName=..., CertificateAuthority=..., Endpoint=..., Method="GET", Path=...)``."""
    return build(CALL, name, REQUEST_RESPONSE, parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    args.require("ClusterName", "eks")
    return ()  # Kubernetes RBAC authorises the call, not an IAM policy on the role


RUN_JOB = Optimized("eks", "runJob", frozenset({REQUEST_RESPONSE, SYNC, WAIT}), _grants,
                    fields=_CLUSTER | {"Job", "LogOptions"})
CALL = Optimized("eks", "call", frozenset({REQUEST_RESPONSE}), _grants,
                 fields=_CLUSTER | {"Method", "Path", "QueryParameters", "RequestBody"})
OPTIMIZED = (RUN_JOB, CALL)
