"""Amazon SQS optimized integration: ``sqs:sendMessage`` (request-response, ``.waitForTaskToken``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, queue_arn, why
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task


def send_message(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``sqs.send_message("Queue", QueueUrl=..., MessageBody=...)``: fields as in SQS's SendMessage API.

    ``MessageBody`` may be any JSON; the integration sends it as text.
    """
    return build(SEND_MESSAGE, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    url = args.require("QueueUrl", "sqs:sendMessage")
    return (Grant(("sqs:SendMessage",), (queue_arn(url, f"{args.where}/QueueUrl"),),
                  why(args, "QueueUrl", "the Task sends a message to this queue")),)


# Batch calls are authorised by their single-message action (Service Authorization Reference).
SDK_ACTIONS = {"sendMessageBatch": "sqs:SendMessage", "deleteMessageBatch": "sqs:DeleteMessage",
               "changeMessageVisibilityBatch": "sqs:ChangeMessageVisibility"}


def sdk_grants(api: str, action: str, args: Args, where: str) -> tuple[Grant, ...] | None:
    """aws-sdk:sqs calls that name a queue are scoped to it."""
    if not args.present("QueueUrl"):
        return None
    return (Grant((action,), (queue_arn(args.static("QueueUrl"), f"{args.where}/QueueUrl"),),
                  why(args, "QueueUrl", "the Task calls the API on this queue")),)


# MessageBody is JSON or text in the optimized integration (the API says string).
SEND_MESSAGE = Optimized("sqs", "sendMessage", frozenset({REQUEST_RESPONSE, WAIT}), _grants,
                         model=("sqs", "sendMessage"), free=frozenset({"MessageBody"}))
OPTIMIZED = (SEND_MESSAGE,)
