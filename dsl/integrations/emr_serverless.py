"""Amazon EMR Serverless optimized integration: ``emr-serverless:startJobRun`` (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    Optimized,
    build,
    pass_role,
    pattern_of,
    sync_grants,
)
from dsl.states import Task


def start_job_run(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``emr_serverless.start_job_run("Spark", ApplicationId=..., ExecutionRoleArn=..., JobDriver=..., sync=True)``."""
    return build(START_JOB_RUN, name, pattern_of(sync=sync), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    application = args.require("ApplicationId", "emr-serverless:startJobRun") or "*"
    start = Grant(("emr-serverless:StartJobRun",), (arn("emr-serverless", f"/applications/{application}"),),
                  why(args, "ApplicationId", "the Task runs a job on this application"))
    runs = (arn("emr-serverless", f"/applications/{application}/jobruns/*"),)
    return (start, *pass_role(args, "ExecutionRoleArn"),
            *sync_grants(pattern, ("emr-serverless:CancelJobRun", "emr-serverless:GetJobRun"), runs,
                         "StepFunctionsGetEventsForEMRServerlessJobRule"))


# The guide documents the same fields as StartJobRun (ApplicationId, ExecutionRoleArn, JobDriver, ...).
START_JOB_RUN = Optimized("emr-serverless", "startJobRun", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                          model=("emrserverless", "startJobRun"))
OPTIMIZED = (START_JOB_RUN,)
