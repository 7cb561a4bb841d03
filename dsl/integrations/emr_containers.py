"""Amazon EMR on EKS optimized integration: ``emr-containers:startJobRun`` (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    Optimized,
    build,
    pattern_of,
    sync_grants,
)
from dsl.states import Task


def start_job_run(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``emr_containers.start_job_run("Spark", VirtualClusterId=..., ExecutionRoleArn=..., ReleaseLabel=..., JobDriver=...)``."""
    return build(START_JOB_RUN, name, pattern_of(sync=sync), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    cluster = args.require("VirtualClusterId", "emr-containers:startJobRun") or "*"
    start = Grant(("emr-containers:StartJobRun",), (arn("emr-containers", f"/virtualclusters/{cluster}"),),
                  why(args, "VirtualClusterId", "the Task runs a job on this virtual cluster"))
    runs = (arn("emr-containers", f"/virtualclusters/{cluster}/jobruns/*"),)
    return (start, *sync_grants(pattern, ("emr-containers:CancelJobRun", "emr-containers:DescribeJobRun"), runs, None))


START_JOB_RUN = Optimized("emr-containers", "startJobRun", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                          model=("emrcontainers", "startJobRun"))
OPTIMIZED = (START_JOB_RUN,)
