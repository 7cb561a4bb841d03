"""A distributed semaphore on one DynamoDB item: acquire, release, cleanup.

One :class:`Semaphore` knows the table, the lock name, the limit and the owner
id; the acquire chain, the release state, the cleanup workflow and the
EventBridge rule that triggers the cleanup all come from it, so changing the
limit or the lock name happens in one place.

The lock item holds ``currentlockcount`` and one attribute per holder, named by
the owner id (the execution ARN) and valued with the time it acquired.

Differences from the AWS sample, each closing one of its defects:

* the limit test is ``count < limit``, never ``count <> limit`` (which admits
  without bound once the count is above a lowered limit);
* the acquire creates the item when it is missing (``if_not_exists``), so it
  does not depend on how DynamoDB's missing-item error is named;
* "is this lock already mine?" is answered by DynamoDB itself (a conditional
  no-op update on the owner attribute), not by matching ``*Z*`` in a
  stringified item, and only after an ambiguous acquire error;
* a contended acquire goes straight to its wait loop instead of burning a
  minute of exponential Retry first;
* the cleanup releases with one conditional update; no eventually consistent read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from dsl.integrations import dynamodb
from dsl.paths import Context, P
from dsl.states import Chain, State, Succeed, Task, Wait
from dsl.workflow import DataFile, Workflow

CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException"
# Statuses after which a semaphore execution can no longer release its own slot.
CLEANUP_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
# Where a status-change event names the execution that ended.
EVENT_EXECUTION = P("$.detail.executionArn")


@dataclass(frozen=True, kw_only=True)
class Semaphore:
    """A counting semaphore named ``lock_name`` in ``table``, at most ``limit`` holders.

    Values default to the deploy-time placeholders of the original sample.
    """

    table: str = "${SF_TableSemaphore}"
    lock_name: str = "${SF_LockName}"
    limit: int | str = "${SF_ConcurrentAccessLimit}"
    owner: P = Context.execution_id
    count_attribute: str = "currentlockcount"
    key_attribute: str = "LockName"
    wait_seconds: int = 3

    @property
    def key(self) -> dict[str, Any]:
        """The lock item's key."""
        return {self.key_attribute: dynamodb.S(self.lock_name)}

    def for_owner(self, owner: P) -> Semaphore:
        """The same lock, with the owner id read from ``owner`` (e.g. in a cleanup)."""
        return replace(self, owner=owner)

    def _retry_transient(self, task: Task) -> Task:
        # The condition failing is an answer, not a fault: never retried.
        task.retry([CONDITION_FAILED], max_attempts=0)
        task.retry(interval=1, max_attempts=5, backoff=2.0, max_delay=10, jitter="FULL")
        return task

    def acquire(self, *, name: str = "Acquire Lock") -> Chain:
        """The acquire loop; its open ends continue once this execution holds a slot."""
        acquire = dynamodb.update_item(
            name, table=self.table, key=self.key,
            comment="Take a slot: count + 1 and an owner attribute named by this execution, only "
                    "while the count is below the limit and this execution holds no slot. Creates "
                    "the lock item when it does not exist yet.",
            names={"#currentlockcount": self.count_attribute, "#lockownerid": self.owner},
            values={":increase": dynamodb.N(1), ":zero": dynamodb.N(0),
                    ":limit": dynamodb.N(self.limit),
                    ":lockacquiredtime": dynamodb.S(Context.state_entered_time)},
            update="SET #currentlockcount = if_not_exists(#currentlockcount, :zero) + :increase, "
                   "#lockownerid = :lockacquiredtime",
            condition="(attribute_not_exists(#currentlockcount) OR #currentlockcount < :limit) "
                      "AND attribute_not_exists(#lockownerid)",
            result_path=None)
        wait = Wait("Wait to Get Lock", seconds=self.wait_seconds,
                    comment="All slots are taken: wait, then try again.")
        check = self._retry_transient(dynamodb.update_item(
            "Check Lock Ownership", table=self.table, key=self.key,
            comment="The acquire failed in a way that may hide a success (a lost response, a "
                    "timeout). Succeeds only if this execution's owner attribute exists.",
            names={"#lockownerid": self.owner},
            update="SET #lockownerid = #lockownerid",
            condition="attribute_exists(#lockownerid)",
            result_path=None))
        acquire.catch([CONDITION_FAILED], wait, result_path=None)
        acquire.catch(["States.ALL"], check, result_path=None)
        check.catch([CONDITION_FAILED], wait, result_path=None)
        wait.next(acquire)
        return Chain(acquire, (acquire, check))

    def release(self, *, not_held: State, name: str = "Release Lock") -> Task:
        """Give the slot back; ``not_held`` is where to go if this owner holds none."""
        release = self._retry_transient(dynamodb.update_item(
            name, table=self.table, key=self.key,
            comment="Give the slot back: count - 1 and remove the owner attribute, only if this "
                    "owner holds a slot (so the count never goes below the holders).",
            names={"#currentlockcount": self.count_attribute, "#lockownerid": self.owner},
            values={":decrease": dynamodb.N(1)},
            update="SET #currentlockcount = #currentlockcount - :decrease REMOVE #lockownerid",
            condition="attribute_exists(#lockownerid)",
            result_path=None))
        release.catch([CONDITION_FAILED], not_held, result_path=None)
        return release

    def cleanup_workflow(self, name: str, *, owner: P = EVENT_EXECUTION) -> Workflow:
        """The workflow EventBridge starts when a holder ends without releasing."""
        done = Succeed("Success State")
        release = self.for_owner(owner).release(name="Clean Up Lock", not_held=done)
        return Workflow(name, release >> done,
                        comment="Releases the slot of a semaphore execution that ended FAILED, "
                                "TIMED_OUT or ABORTED (started by an EventBridge rule).")

    @staticmethod
    def cleanup_rule(*, file_name: str, machine_arn: str, cleanup_file: str) -> DataFile:
        """The EventBridge rule that starts the cleanup, as data for deploy and verify."""
        return DataFile(file_name, {
            "EventPattern": {
                "source": ["aws.states"],
                "detail-type": ["Step Functions Execution Status Change"],
                "detail": {"stateMachineArn": [machine_arn], "status": list(CLEANUP_STATUSES)},
            },
            "Target": cleanup_file,
        })
