"""AWS Batch optimized integration: ``batch:submitJob`` (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    Optimized,
    build,
    pattern_of,
    sync_grants,
)
from dsl.states import Task

RULE = "StepFunctionsGetEventsForBatchJobsRule"


def submit_job(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``batch.submit_job("Submit", JobName=..., JobQueue=..., JobDefinition=..., sync=True)``."""
    return build(SUBMIT_JOB, name, pattern_of(sync=sync), parameters_and_state)


def _named(kind: str, value: str | None, revisioned: bool) -> str:
    if value is None:
        return "*"
    if value.startswith("arn:"):
        return value
    return arn("batch", f"{kind}/{value}" + (":*" if revisioned and ":" not in value else ""))


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    queue = args.require("JobQueue", "batch:submitJob")
    definition = args.require("JobDefinition", "batch:submitJob")
    submit = Grant(("batch:SubmitJob",), tuple(sorted({_named("job-queue", queue, False),
                                                       _named("job-definition", definition, True)})),
                   "the Task submits to this queue with this job definition" if queue and definition else
                   "the queue or job definition is computed at run time, so any may be used")
    return (submit, *sync_grants(pattern, ("batch:DescribeJobs", "batch:TerminateJob"), ("*",), RULE))


SUBMIT_JOB = Optimized("batch", "submitJob", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                       model=("batch", "submitJob"))
OPTIMIZED = (SUBMIT_JOB,)
