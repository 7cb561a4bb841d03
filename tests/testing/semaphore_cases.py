"""Mocked cases of the semaphore workflow (generated/dynamodb-semaphore.asl.json), one per path.

Each case: execution input, mocks by state name, expected status and path. Together they
enter every state and take every transition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsl.testing import Calls, Return, Throw

GENERATED = Path(__file__).resolve().parents[2] / "generated"
WAITER = "arn:aws:states:us-east-1:123456789012:execution:sem:waiter"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:sem"

ACQUIRE, WORK, RELEASE, WAKE = "Acquire Lock", "Run Lambda Function With Controlled Concurrency", "Release Lock", \
    "Wake Next Waiter"
CHECK_WAITER, FREE, STILL_HELD = "Check Next Waiter", "Free Slot", "Check Lock Still Held"
RELEASE_F, WAKE_F, CHECK_WAITER_F = "Release Lock After Failure", "Wake Next Waiter After Failure", \
    "Check Next Waiter After Failure"
FREE_F, STILL_HELD_F = "Free Slot After Failure", "Check Lock Still Held After Failure"
PARK, ACQUIRE_AGAIN, PARK_AGAIN, GRANTED = "Wait for Lock", "Acquire Lock Again", "Wait for Lock Again", \
    "Check Lock Granted"
QUEUED, LOCK_ITEM = "Check Still Queued", "Check Lock Item"

UPDATED: dict[str, Any] = {"Attributes": {"currentlockcount": {"N": "1"}}}
SUCCESSOR: dict[str, Any] = {"Attributes": {"lockwaiters": {"L": [{"S": WAITER}]},
                                            "waitertokens": {"L": [{"S": "token-of-waiter"}]}}}
DONE: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": {"result": "done"}}
CONDITION_FAILED = Throw("DynamoDB.ConditionalCheckFailedException", "The conditional request failed")
SDK_CONDITION_FAILED = Throw("DynamoDb.ConditionalCheckFailedException", "The conditional request failed")
WORKER_FAILED = Throw("RandomSimulatedFailure", "the worker failed")
NO_TOKEN = Throw("Sfn.TaskDoesNotExistException", "Task does not exist")
NO_EXECUTION = Throw("Sfn.ExecutionDoesNotExistException", "Execution does not exist")


def described(status: str) -> dict[str, Any]:
    """DescribeExecution's result (aws-sdk names) for the next waiter."""
    return {"ExecutionArn": WAITER, "StateMachineArn": MACHINE, "Status": status,
            "StartDate": "2026-01-01T00:00:00.000Z"}


def fails(response: Throw, times: int) -> Calls:
    """``response`` on ``times`` calls in a row (a retry policy's every attempt)."""
    return Calls(*([response] * times))


@dataclass(frozen=True)
class Case:
    """One mocked run and what it must do."""

    mocks: dict[str, Any]
    status: str
    path: tuple[str, ...]
    input: dict[str, Any] = field(default_factory=dict)


# The fast path's tail: the slot is freed (nobody waits).
FREED = (RELEASE, FREE, "Success State")
FAILED_FREED = (RELEASE_F, FREE_F, "Work Failed")

CASES: dict[str, Case] = {
    "fast path, nobody waiting": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, WORK, *FREED)),
    "fast path, hand-off to the next waiter": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: SUCCESSOR, WAKE: {}},
        "SUCCEEDED", (ACQUIRE, WORK, RELEASE, WAKE, "Success State")),
    "waiter cannot be woken but still runs": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: SUCCESSOR, WAKE: fails(NO_TOKEN, 4),
         CHECK_WAITER: described("RUNNING")},
        "SUCCEEDED", (ACQUIRE, WORK, RELEASE, WAKE, CHECK_WAITER, "Next Waiter Running?", "Success State")),
    "waiter gone: its slot is handed on": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: Calls(SUCCESSOR, CONDITION_FAILED), WAKE: fails(NO_TOKEN, 4),
         CHECK_WAITER: described("FAILED"), FREE: {}},
        "SUCCEEDED", (ACQUIRE, WORK, RELEASE, WAKE, CHECK_WAITER, "Next Waiter Running?", *FREED)),
    "waiter cannot be described": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: SUCCESSOR, WAKE: fails(NO_TOKEN, 4),
         CHECK_WAITER: fails(NO_EXECUTION, 4)},
        "SUCCEEDED", (ACQUIRE, WORK, RELEASE, WAKE, CHECK_WAITER, "Success State")),
    "a waiter queued between release and free": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: Calls(CONDITION_FAILED, SUCCESSOR), FREE: CONDITION_FAILED,
         STILL_HELD: {}, WAKE: {}},
        "SUCCEEDED", (ACQUIRE, WORK, RELEASE, FREE, STILL_HELD, RELEASE, WAKE, "Success State")),
    "slot already released by the cleanup": Case(
        {ACQUIRE: UPDATED, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: CONDITION_FAILED,
         STILL_HELD: CONDITION_FAILED},
        "SUCCEEDED", (ACQUIRE, WORK, RELEASE, FREE, STILL_HELD, "Success State")),
    "failed worker hands its slot on": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: SUCCESSOR, WAKE_F: {}},
        "FAILED", (ACQUIRE, WORK, RELEASE_F, WAKE_F, "Work Failed")),
    "failed worker frees its slot": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: CONDITION_FAILED, FREE_F: {}},
        "FAILED", (ACQUIRE, WORK, *FAILED_FREED)),
    "failed worker: a waiter queued between release and free": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: Calls(CONDITION_FAILED, SUCCESSOR),
         FREE_F: CONDITION_FAILED, STILL_HELD_F: {}, WAKE_F: {}},
        "FAILED", (ACQUIRE, WORK, RELEASE_F, FREE_F, STILL_HELD_F, RELEASE_F, WAKE_F, "Work Failed")),
    "failed worker: slot already released": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: CONDITION_FAILED, FREE_F: CONDITION_FAILED,
         STILL_HELD_F: CONDITION_FAILED},
        "FAILED", (ACQUIRE, WORK, RELEASE_F, FREE_F, STILL_HELD_F, "Work Failed")),
    "failed worker: waiter cannot be woken but still runs": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: SUCCESSOR, WAKE_F: fails(NO_TOKEN, 4),
         CHECK_WAITER_F: described("RUNNING")},
        "FAILED", (ACQUIRE, WORK, RELEASE_F, WAKE_F, CHECK_WAITER_F, "Next Waiter Running? After Failure",
                   "Work Failed")),
    "failed worker: waiter gone, slot handed on": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: Calls(SUCCESSOR, CONDITION_FAILED),
         WAKE_F: fails(NO_TOKEN, 4), CHECK_WAITER_F: described("ABORTED"), FREE_F: {}},
        "FAILED", (ACQUIRE, WORK, RELEASE_F, WAKE_F, CHECK_WAITER_F, "Next Waiter Running? After Failure",
                   *FAILED_FREED)),
    "failed worker: waiter cannot be described": Case(
        {ACQUIRE: UPDATED, WORK: WORKER_FAILED, RELEASE_F: SUCCESSOR, WAKE_F: fails(NO_TOKEN, 4),
         CHECK_WAITER_F: fails(NO_EXECUTION, 4)},
        "FAILED", (ACQUIRE, WORK, RELEASE_F, WAKE_F, CHECK_WAITER_F, "Work Failed")),
    "park and wake": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: {}, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, WORK, *FREED)),
    "park refused: the lock freed meanwhile": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: SDK_CONDITION_FAILED, ACQUIRE_AGAIN: UPDATED, WORK: DONE,
         RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, ACQUIRE_AGAIN, WORK, *FREED)),
    "park again and wake": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: SDK_CONDITION_FAILED, ACQUIRE_AGAIN: CONDITION_FAILED, PARK_AGAIN: {},
         WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, ACQUIRE_AGAIN, PARK_AGAIN, WORK, *FREED)),
    "second park times out, slot was granted": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: SDK_CONDITION_FAILED, ACQUIRE_AGAIN: CONDITION_FAILED,
         PARK_AGAIN: Return({}, seconds=400), GRANTED: UPDATED, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, ACQUIRE_AGAIN, PARK_AGAIN, GRANTED, WORK, *FREED)),
    "park times out, slot was granted": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: Return({}, seconds=400), GRANTED: UPDATED, WORK: DONE,
         RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, GRANTED, WORK, *FREED)),
    "acquire fails otherwise: check the grant": Case(
        {ACQUIRE: Throw("DynamoDB.ProvisionedThroughputExceededException", "slow down"), GRANTED: UPDATED,
         WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, GRANTED, WORK, *FREED)),
    "acquire again fails otherwise": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: SDK_CONDITION_FAILED,
         ACQUIRE_AGAIN: Throw("DynamoDB.InternalServerErrorException", "internal"), GRANTED: UPDATED,
         WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, ACQUIRE_AGAIN, GRANTED, WORK, *FREED)),
    "still queued: wait and check again": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: Return({}, seconds=400), GRANTED: Calls(CONDITION_FAILED, UPDATED),
         QUEUED: {}, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, GRANTED, QUEUED, "Wait While Queued", "Keep Waiting?", GRANTED, WORK,
                      *FREED)),
    "history budget's end while queued": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: Return({}, seconds=400), GRANTED: CONDITION_FAILED, QUEUED: {}},
        "FAILED", (ACQUIRE, PARK, GRANTED, QUEUED, "Wait While Queued", "Keep Waiting?", "Lock Wait Too Long"),
        input={"lock": {"events": 23990}}),
    "not queued, lock item exists: try again": Case(
        {ACQUIRE: Calls(CONDITION_FAILED, UPDATED), PARK: Return({}, seconds=400), GRANTED: CONDITION_FAILED,
         QUEUED: CONDITION_FAILED, LOCK_ITEM: {"Item": {"LockName": {"S": "MySemaphore"}}}, WORK: DONE,
         RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, GRANTED, QUEUED, LOCK_ITEM, "Lock Item Exists?", "Wait Before Retry",
                      "Keep Trying?", ACQUIRE, WORK, *FREED)),
    "no lock item yet: wait for it": Case(
        {ACQUIRE: Calls(CONDITION_FAILED, UPDATED), PARK: Return({}, seconds=400), GRANTED: CONDITION_FAILED,
         QUEUED: CONDITION_FAILED, LOCK_ITEM: {}, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}},
        "SUCCEEDED", (ACQUIRE, PARK, GRANTED, QUEUED, LOCK_ITEM, "Lock Item Exists?", "Wait For Lock Item",
                      "Keep Trying?", ACQUIRE, WORK, *FREED)),
    "history budget's end while retrying": Case(
        {ACQUIRE: CONDITION_FAILED, PARK: Return({}, seconds=400), GRANTED: CONDITION_FAILED,
         QUEUED: CONDITION_FAILED, LOCK_ITEM: {}},
        "FAILED", (ACQUIRE, PARK, GRANTED, QUEUED, LOCK_ITEM, "Lock Item Exists?", "Wait For Lock Item",
                   "Keep Trying?", "Lock Wait Too Long"),
        input={"lock": {"events": 23990}}),
    "worker's payload cannot be built": Case(
        # Only a JSONata error in the work state's Arguments/Output reaches this Catch without a
        # redrive; the executor raises it the same way whatever its cause.
        {ACQUIRE: UPDATED, WORK: Throw("States.QueryEvaluationError", "payload expression failed"),
         RELEASE_F: CONDITION_FAILED, FREE_F: {}},
        "FAILED", (ACQUIRE, WORK, "Redriven Without Slot?", *FAILED_FREED)),
}
