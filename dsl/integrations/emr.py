"""Amazon EMR optimized integrations: create a cluster, add a step, terminate a cluster (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    Optimized,
    build,
    events_rule,
    pattern_of,
    sync_grants,
)
from dsl.states import Task

SERVICE = "elasticmapreduce"


def create_cluster(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``emr.create_cluster("Cluster", Name=..., ReleaseLabel=..., Instances=..., sync=True)`` (RunJobFlow's fields)."""
    return build(CREATE_CLUSTER, name, pattern_of(sync=sync), parameters_and_state)


def add_step(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``emr.add_step("Step", ClusterId=P("$.cluster"), Step={...}, sync=True)``: one step, as the guide shows."""
    return build(ADD_STEP, name, pattern_of(sync=sync), parameters_and_state)


def terminate_cluster(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``emr.terminate_cluster("Done", ClusterId=P("$.cluster"), sync=True)``."""
    return build(TERMINATE_CLUSTER, name, pattern_of(sync=sync), parameters_and_state)


def _cluster(args: Args) -> str:
    cluster = args.require("ClusterId", "emr")
    return arn(SERVICE, f"cluster/{cluster or '*'}")


def _create_grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    grants = (
        Grant((f"{SERVICE}:RunJobFlow", f"{SERVICE}:DescribeCluster", f"{SERVICE}:TerminateJobFlows"), ("*",),
              "a new cluster's id is known only once it is created"),
        # The service role and the instance profile's role; the profile names no role ARN.
        Grant(("iam:PassRole",), (arn("iam", "role/*", region=""),),
              "the cluster runs as its service role and instance profile role"),
    )
    if pattern == SYNC:
        return (*grants, events_rule("StepFunctionsGetEventForEMRRunJobFlowRule", pattern))
    return grants


def _step_grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    cluster = _cluster(args)
    add = Grant((f"{SERVICE}:AddJobFlowSteps",), (cluster,), why(args, "ClusterId", "the Task adds a step to this cluster"))
    return (add, *sync_grants(pattern, (f"{SERVICE}:CancelSteps", f"{SERVICE}:DescribeStep"), (cluster,),
                              "StepFunctionsGetEventForEMRAddJobFlowStepsRule"))


def _terminate_grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    cluster = _cluster(args)
    end = Grant((f"{SERVICE}:TerminateJobFlows",), (cluster,), why(args, "ClusterId", "the Task ends this cluster"))
    return (end, *sync_grants(pattern, (f"{SERVICE}:DescribeCluster",), (cluster,),
                              "StepFunctionsGetEventForEMRTerminateJobFlowsRule"))


CREATE_CLUSTER = Optimized("elasticmapreduce", "createCluster", frozenset({REQUEST_RESPONSE, SYNC}), _create_grants,
                           model=("emr", "runJobFlow"))
# The optimized addStep takes one Step, not AddJobFlowSteps' list of Steps.
ADD_STEP = Optimized("elasticmapreduce", "addStep", frozenset({REQUEST_RESPONSE, SYNC}), _step_grants,
                     fields=frozenset({"ClusterId", "Step", "ExecutionRoleArn"}))
TERMINATE_CLUSTER = Optimized("elasticmapreduce", "terminateCluster", frozenset({REQUEST_RESPONSE, SYNC}),
                              _terminate_grants, fields=frozenset({"ClusterId"}))
OPTIMIZED = (CREATE_CLUSTER, ADD_STEP, TERMINATE_CLUSTER)
