"""Amazon SageMaker optimized integrations: training and transform jobs (request-response, ``.sync``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    GrantsOf,
    Optimized,
    build,
    pass_role,
    pattern_of,
    sync_grants,
)
from dsl.states import Task


def create_training_job(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``sagemaker.create_training_job("Train", TrainingJobName=..., AlgorithmSpecification=..., ...)``."""
    return build(CREATE_TRAINING_JOB, name, pattern_of(sync=sync), parameters_and_state)


def create_transform_job(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``sagemaker.create_transform_job("Transform", TransformJobName=..., ModelName=..., ...)``."""
    return build(CREATE_TRANSFORM_JOB, name, pattern_of(sync=sync), parameters_and_state)


def _job_grants(kind: str, name_key: str, noun: str, rule: str, role_key: str | None) -> GrantsOf:
    def grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
        job = args.require(name_key, f"sagemaker:create{noun}")
        resource = arn("sagemaker", f"{kind}/{job or ''}*")
        return (
            Grant((f"sagemaker:Create{noun}",), (resource,), why(args, name_key, f"the Task creates this {kind}")),
            Grant(("sagemaker:AddTags", "sagemaker:ListTags"), ("*",), "the job's tags are read and written by id"),
            *(pass_role(args, role_key) if role_key else ()),
            *sync_grants(pattern, (f"sagemaker:Describe{noun}", f"sagemaker:Stop{noun}"), (resource,), rule),
        )
    return grants


CREATE_TRAINING_JOB = Optimized(
    "sagemaker", "createTrainingJob", frozenset({REQUEST_RESPONSE, SYNC}),
    _job_grants("training-job", "TrainingJobName", "TrainingJob", "StepFunctionsGetEventsForSageMakerTrainingJobsRule",
                "RoleArn"),
    model=("sagemaker", "createTrainingJob"))
CREATE_TRANSFORM_JOB = Optimized(
    "sagemaker", "createTransformJob", frozenset({REQUEST_RESPONSE, SYNC}),
    _job_grants("transform-job", "TransformJobName", "TransformJob",
                "StepFunctionsGetEventsForSageMakerTransformJobsRule", None),
    model=("sagemaker", "createTransformJob"))
OPTIMIZED = (CREATE_TRAINING_JOB, CREATE_TRANSFORM_JOB)
