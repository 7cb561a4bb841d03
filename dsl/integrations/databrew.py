"""AWS Glue DataBrew optimized integration: ``databrew:startJobRun`` (request-response, ``.sync``)."""

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
    """``databrew.start_job_run("Profile", Name="my-job", sync=True)``."""
    return build(START_JOB_RUN, name, pattern_of(sync=sync), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    job = args.require("Name", "databrew:startJobRun")
    resource = arn("databrew", f"job/{job or '*'}")
    start = Grant(("databrew:StartJobRun",), (resource,), why(args, "Name", "the Task runs this DataBrew job"))
    return (start, *sync_grants(pattern, ("databrew:ListJobRuns", "databrew:StopJobRun"), (resource,), None))


START_JOB_RUN = Optimized("databrew", "startJobRun", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                          model=("databrew", "startJobRun"))
OPTIMIZED = (START_JOB_RUN,)
