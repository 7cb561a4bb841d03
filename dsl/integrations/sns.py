"""Amazon SNS optimized integration: ``sns:publish`` (request-response, ``.waitForTaskToken``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task


def publish(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``sns.publish("Notify", TopicArn=..., Message=...)``: fields as in SNS's Publish API."""
    return build(PUBLISH, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    for key in ("TopicArn", "TargetArn"):
        if args.present(key):
            return (Grant(("sns:Publish",), (args.static(key) or arn("sns", "*"),),
                          why(args, key, "the Task publishes to this topic or endpoint")),)
    return (Grant(("sns:Publish",), ("*",), "an SMS to a phone number has no resource ARN to scope to"),)


# PublishBatch is authorised by sns:Publish (Service Authorization Reference).
SDK_ACTIONS = {"publishBatch": "sns:Publish"}


def sdk_grants(api: str, action: str, args: Args, where: str) -> tuple[Grant, ...] | None:
    """aws-sdk:sns calls that name a topic are scoped to it."""
    if not args.present("TopicArn"):
        return None
    return (Grant((action,), (args.static("TopicArn") or arn("sns", "*"),),
                  why(args, "TopicArn", "the Task calls the API on this topic")),)


# Message may be a JSON object in the optimized integration (the guide's callback example).
PUBLISH = Optimized("sns", "publish", frozenset({REQUEST_RESPONSE, WAIT}), _grants, model=("sns", "publish"),
                    free=frozenset({"Message"}))
OPTIMIZED = (PUBLISH,)
