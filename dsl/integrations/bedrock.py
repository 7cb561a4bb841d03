"""Amazon Bedrock optimized integration: ``bedrock:invokeModel`` (request-response, ``.waitForTaskToken``).

The request differs from the runtime API: ``Body`` is JSON (or ``Input.S3Uri`` names a file
holding it) and ``Output.S3Uri`` asks for the answer in S3, as the developer guide documents.
"""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import PARTITION, REGION, Args, Grant, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task


def invoke_model(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``bedrock.invoke_model("Ask", ModelId="anthropic.claude-3-haiku-20240307-v1:0", Body={...})``."""
    return build(INVOKE_MODEL, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def _s3_object(uri: str | None) -> str:
    if uri is None or not uri.startswith("s3://"):
        return f"arn:{PARTITION}:s3:::*"
    return f"arn:{PARTITION}:s3:::{uri[len('s3://'):]}"


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    model = args.require("ModelId", "bedrock:invokeModel")
    if model is None:
        resource = f"arn:{PARTITION}:bedrock:{REGION}::foundation-model/*"
    elif model.startswith("arn:"):
        resource = model
    else:
        resource = f"arn:{PARTITION}:bedrock:{REGION}::foundation-model/{model}"
    grants = [Grant(("bedrock:InvokeModel",), (resource,), why(args, "ModelId", "the Task invokes this model"))]
    for key, action in (("Input", "s3:GetObject"), ("Output", "s3:PutObject")):
        location = args.nested(key)
        if location is not None or args.present(key):
            uri = location.static("S3Uri") if location is not None and location.present("S3Uri") else None
            grants.append(Grant((action,), (_s3_object(uri),), f"the model's {key.lower()} is in S3"))
    return tuple(grants)


INVOKE_MODEL = Optimized("bedrock", "invokeModel", frozenset({REQUEST_RESPONSE, WAIT}), _grants,
                         fields=frozenset({"ModelId", "Body", "ContentType", "Accept", "Input", "Output",
                                           "GuardrailIdentifier", "GuardrailVersion", "Trace",
                                           "PerformanceConfigLatency"}))
OPTIMIZED = (INVOKE_MODEL,)
