"""AWS Elemental MediaConvert optimized integration: ``mediaconvert:createJob`` (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant
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


def create_job(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``mediaconvert.create_job("Transcode", Role=..., Settings={...}, sync=True)``."""
    return build(CREATE_JOB, name, pattern_of(sync=sync), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    create = Grant(("mediaconvert:CreateJob",), ("*",), "a job is created in a queue with presets and "
                                                      "templates the definition may not name")
    return (create, *pass_role(args, "Role"),
            *sync_grants(pattern, ("mediaconvert:CancelJob", "mediaconvert:GetJob"), ("*",),
                         "StepFunctionsGetEventsForMediaConvertJobRule"))


CREATE_JOB = Optimized("mediaconvert", "createJob", frozenset({REQUEST_RESPONSE, SYNC}), _grants,
                       model=("mediaconvert", "createJob"))
OPTIMIZED = (CREATE_JOB,)
