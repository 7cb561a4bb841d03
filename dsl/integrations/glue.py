"""AWS Glue optimized integration: ``glue:startJobRun`` (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant
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
    """``glue.start_job_run("ETL", JobName=..., Arguments={"--day": ...}, sync=True)``."""
    return build(START_JOB_RUN, name, pattern_of(sync=sync), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    args.require("JobName", "glue:startJobRun")
    # The developer guide's Glue policies grant on "*": it scopes no Glue job resource.
    start = Grant(("glue:StartJobRun",), ("*",), "the guide's policy for Glue is not scoped to a job")
    return (start, *sync_grants(pattern, ("glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns"),
                                ("*",), None))


START_JOB_RUN = Optimized("glue", "startJobRun", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                          model=("glue", "startJobRun"))
OPTIMIZED = (START_JOB_RUN,)
