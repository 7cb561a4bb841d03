"""A counting semaphore with one DynamoDB item per holder (issue 8 item 5; an option, off by default).

The single-item layout (:mod:`semaphore.pattern`) keeps every owner in the lock item,
so DynamoDB's 400 KB item limit caps the holders and every write is billed by the size of
the whole item. This layout keeps a small **counter item** and one small **holder item**
per holder, and writes both in one ``TransactWriteItems`` call:

    counter item   LockName = <lock>              currentlockcount N, locklimit N
    holder item    LockName = <lock>#<execution>  owner S (the execution ARN), since S

* **Acquire**: one transaction: counter ``count + 1`` under ``count < limit`` and the
  holder item put under ``attribute_not_exists``. The holder condition makes the write
  idempotent: a second attempt after one that committed (and then reported an error) is
  cancelled, never counted twice. There is no queue (a queue in one item would be capped
  by 400 KB again): a refused acquire is retried with full jitter, then the execution
  checks for its holder item (consistent read: did an earlier attempt commit?) and waits
  ``poll_seconds`` before the next round. The rounds are bounded so that a long wait ends
  in ``Semaphore.WaitTimeout`` before the execution's 25,000-event history limit.
* **Release**: one transaction deletes the holder item (``attribute_exists``) and counts
  ``count - 1``; a cancelled release (already released, or a concurrent transaction on the
  counter) checks the holder item and tries again while it exists; idempotent.
* **Cleanup** (EventBridge, FAILED/TIMED_OUT/ABORTED) and **reconciler** (schedule: a
  consistent Scan of this lock's holder items, ``DescribeExecution`` of each, release
  unless RUNNING), as for the single-item layout.

AWS facts this relies on (checked in the AWS documentation):

* AWS SDK integration errors are named ``ServiceName.ErrorName`` in PascalCase, with an
  ``Exception`` suffix (Step Functions developer guide, "AWS SDK service integrations"), so a
  cancelled transaction is ``DynamoDb.TransactionCanceledException``, as the existing park's
  ``DynamoDb.ConditionalCheckFailedException``.
* DynamoDB cancels a TransactWriteItems when a condition fails, when it conflicts with a
  concurrent transaction on the same item, on insufficient capacity, or when an item would
  exceed 400 KB (API reference, TransactionCanceledException): a cancelled release is not
  proof that the holder was already released, hence the check.
* A transactional write of an item up to 1 KB takes two write units; an update is billed
  on the larger of the item before and after (developer guide, "DynamoDB read and write
  operations"). Item sizes: ``benchmarks/lock_layout.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dsl import placeholders
from dsl.conditions import Var
from dsl.errors import InvalidField, caller_site
from dsl.integrations import dynamodb
from dsl.integrations.dynamodb import N, S
from dsl.paths import Context, P, States
from dsl.states import Chain, Choice, Fail, Map, Pass, State, Succeed, Task, Wait
from dsl.workflow import Workflow
from semaphore import LOCK_CHECK
from semaphore.pattern import (
    EVENT_EXECUTION,
    LOCK,
    LOCK_OWNER,
    LockTable,
    Semaphore,
    describe_owner,
    stopped_status,
)

TRANSACTION_CANCELLED = "DynamoDb.TransactionCanceledException"
WAIT_TIMEOUT = "Semaphore.WaitTimeout"
RELEASE_FAILED = "Semaphore.ReleaseFailed"
TRANSACT_WRITE = dynamodb.SDK_ARN + "transactWriteItems"
SCAN = dynamodb.SDK_ARN + "scan"
# Step Functions ends an execution at 25,000 history events (service quota).
HISTORY_LIMIT = 25_000
# History events, at most: entering and leaving a state; one service call attempt
# (scheduled, started, submitted, succeeded or failed).
_EVENTS_PER_STATE = 2
_EVENTS_PER_CALL = 4
# States one wait round passes (acquire, probe, two Choices, counter Pass, Wait).
_STATES_PER_ROUND = 6
# Attempts of a consistent holder-item read (first try and its retries).
_PROBE_ATTEMPTS = 4
# Where the wait and release loops count their rounds.
WAIT_ROUNDS = "$.lockwait"
RELEASE_ROUNDS = "$.lockrelease"


@dataclass(frozen=True, kw_only=True)
class HolderItemSemaphore(LockTable):
    """A counting semaphore ``lock_name`` in ``table`` with one item per holder.

    The public methods match :class:`~semaphore.pattern.Semaphore`'s: ``acquire()``
    ends write ``{"owner": <execution ARN>}`` to ``$.lock``; ``release(then)`` releases the
    owner named there. ``acquire_retries`` refused attempts are retried with full jitter
    (``retry_interval_seconds`` doubling up to ``retry_max_delay_seconds``) before each wait
    of ``poll_seconds``; ``history_reserve`` events are kept for what the execution does
    after a long wait, and the rest of the 25,000 bounds the rounds (:attr:`wait_rounds`).
    The reconciler checks at most ``reconcile_page`` items per execution and continues in a
    new execution (bounded history however many hold).
    """

    owner_attribute: str = "owner"
    since_attribute: str = "since"
    separator: str = "#"
    acquire_retries: int = 4
    retry_interval_seconds: int = 1
    retry_max_delay_seconds: int = 20
    poll_seconds: int = 15
    release_rounds: int = 10
    history_reserve: int = 1_000
    reconcile_page: int = 200

    def __post_init__(self) -> None:
        site = caller_site()
        for name in ("acquire_retries", "retry_interval_seconds", "retry_max_delay_seconds", "poll_seconds",
                     "release_rounds", "history_reserve", "stop_grace_seconds", "reconcile_page"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < (0 if name == "acquire_retries" else 1):
                raise InvalidField(f"HolderItemSemaphore {name}={value!r}: expected a whole number "
                                   f"{'>= 0' if name == 'acquire_retries' else '>= 1'}", site=site)
        # The holder key is built by States.Format, whose template cannot hold these unescaped.
        if any(c in placeholders.PATTERN.sub("", self.holder_prefix) for c in "{}'\\"):
            raise InvalidField(f"HolderItemSemaphore lock_name={self.lock_name!r} separator={self.separator!r}: "
                               "expected no { } ' or \\ (outside a ${...} placeholder)", site=site)
        if self.wait_rounds < 1:
            raise InvalidField(f"HolderItemSemaphore: one wait round takes up to {self.events_per_round} history "
                               f"events; with history_reserve={self.history_reserve} none fits in "
                               f"{HISTORY_LIMIT:,}: lower acquire_retries or history_reserve", site=site)

    # -- layout -------------------------------------------------------------
    @property
    def counter_key(self) -> dict[str, Any]:
        """The counter item's key."""
        return {self.key_attribute: S(self.lock_name)}

    def holder_key(self, owner: P) -> dict[str, Any]:
        """The key of the holder item of the execution ARN at ``owner``."""
        return {self.key_attribute: S(States.format(self.holder_prefix + "{}", owner))}

    @property
    def holder_prefix(self) -> str:
        """Every holder item's key starts with this (the lock's name and the separator)."""
        return self.lock_name + self.separator

    def lock_item(self, limit: int) -> dict[str, Any]:
        """The counter item as deploy creates it (typed attribute values); holders are items of their own."""
        return {self.key_attribute: {"S": self.lock_name}, self.limit_attribute: {"N": str(limit)},
                self.count_attribute: {"N": "0"}}

    def holder_item(self, owner: str, since: str) -> dict[str, Any]:
        """One holder item as the acquire writes it (typed attribute values)."""
        return {self.key_attribute: {"S": self.holder_prefix + owner}, self.owner_attribute: {"S": owner},
                self.since_attribute: {"S": since}}

    # -- history bound --------------------------------------------------------
    @property
    def events_per_round(self) -> int:
        """History events one wait round can take, at most."""
        calls = (1 + self.acquire_retries) + _PROBE_ATTEMPTS
        return _STATES_PER_ROUND * _EVENTS_PER_STATE + calls * _EVENTS_PER_CALL

    @property
    def wait_rounds(self) -> int:
        """Wait rounds before ``Semaphore.WaitTimeout``: what fits in the history beside the reserve."""
        return (HISTORY_LIMIT - self.history_reserve) // self.events_per_round

    # -- the calls -----------------------------------------------------------
    def _counter_update(self, *, update: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
        names = {k: v for k, v in (("#c", self.count_attribute), ("#l", self.limit_attribute))
                 if k in update + condition}
        return {"Update": _request(self.table, {"Key": self.counter_key}, names=names, values=values,
                                   expressions={"UpdateExpression": update, "ConditionExpression": condition})}

    def _transaction(self, name: str, items: list[dict[str, Any]], *, comment: str, **state: Any) -> Task:
        return Task(name, resource=TRANSACT_WRITE, parameters={"TransactItems": items}, comment=comment, **state)

    def _probe(self, name: str, owner: P, *, comment: str) -> Task:
        """Consistent read of the holder item's key: does ``owner`` hold a slot now?"""
        probe = dynamodb.get_item(name, table=self.table, key=self.holder_key(owner), consistent_read=True,
                                  projection="#k", names={"#k": self.key_attribute}, result_path="$.holder",
                                  comment=comment)
        probe.retry(interval=1, max_attempts=_PROBE_ATTEMPTS - 1, backoff=2.0, jitter="FULL")
        return probe

    def _rounds(self, prefix: str, counter: str, *, limit: int, again: State, wait: Wait, error: str,
                cause: str) -> Choice:
        """Count one more round at ``counter`` and wait, or fail with ``error`` after ``limit`` rounds."""
        rounds = f"{counter}.rounds"
        first = Pass(f"First {prefix} Round", result={"rounds": 1}, result_path=counter)
        more = Pass(f"Count {prefix} Round", parameters={"rounds": States.math_add(P(rounds), 1)},
                    result_path=counter)
        first.next(wait)
        more.next(wait)
        wait.next(again)
        give_up = Fail(f"{prefix} Rounds Exhausted", error=error, cause=cause)
        return Choice(f"{prefix} Rounds Left?").when(Var(rounds).is_present() & (Var(rounds) >= limit), give_up) \
            .when(Var(rounds).is_present(), more).otherwise(first)

    # -- acquire --------------------------------------------------------------
    def acquire(self) -> Chain:
        """The acquire phase; its open ends continue once this execution holds a slot.

        Each holding end writes ``{"owner": <execution ARN>}`` to ``$.lock``.
        """
        holding: dict[str, Any] = {"owner": Context.execution_id, "redrive": Context.execution_redrive_count}
        take = self._transaction(
            "Acquire Slot", [
                self._counter_update(update="SET #c = #c + :one", condition="#c < #l", values={":one": N(1)}),
                {"Put": _request(self.table, {"Item": {
                    **self.holder_key(Context.execution_id),
                    self.owner_attribute: S(Context.execution_id),
                    self.since_attribute: S(Context.state_entered_time)}},
                    names={"#k": self.key_attribute}, values=None,
                    expressions={"ConditionExpression": "attribute_not_exists(#k)"})},
            ],
            comment="One transaction: count + 1 while the count is below the counter item's limit, and this "
                    "execution's holder item, only if it does not exist yet (a repeat after a commit is "
                    "cancelled, never counted twice).",
            result_selector=holding, result_path=LOCK)
        # A refused acquire (lock full, or a concurrent transaction) is worth a few quick tries.
        take.retry([TRANSACTION_CANCELLED], interval=self.retry_interval_seconds, max_attempts=self.acquire_retries,
                   backoff=2.0, max_delay=self.retry_max_delay_seconds, jitter="FULL")
        probe = self._probe("Check Slot Taken", Context.execution_id,
                            comment="Refused, or an error after which the write may have committed: read "
                                    "(consistently) whether this execution's holder item exists.")
        held = Pass("Slot Taken", parameters=holding, result_path=LOCK,
                    comment="An earlier attempt committed: this execution holds a slot.")
        wait = Wait("Wait For Slot", seconds=self.poll_seconds, comment="The lock is full: try again later.")
        rounds = self._rounds("Wait", WAIT_ROUNDS, limit=self.wait_rounds, again=take, wait=wait,
                              error=WAIT_TIMEOUT,
                              cause=f"no slot after {self.wait_rounds} rounds: the execution ends before its "
                                    f"history reaches {HISTORY_LIMIT:,} events")
        # Every error goes to the probe, never to a blind retry of the write (it may have committed).
        take.catch(["States.ALL"], probe, result_path=None)
        probe.catch(["States.ALL"], rounds, result_path=None)
        probe.next(Choice("Slot Taken?").when(Var("$.holder.Item").is_present(), held).otherwise(rounds))
        return Chain(take, (take, held))

    # -- release --------------------------------------------------------------
    def release(self, then: State, *, suffix: str = "") -> Task:
        """The release for the owner in ``$.lock.owner``; every way out goes to ``then``, except
        ``Semaphore.ReleaseFailed`` after ``release_rounds`` cancelled rounds (the execution
        then fails, and the cleanup or the reconciler releases it).

        ``suffix`` tells the state names of a second copy apart (e.g. " After Failure").
        """
        free = self._transaction(
            f"Release Slot{suffix}", [
                {"Delete": _request(self.table, {"Key": self.holder_key(LOCK_OWNER)},
                                    names={"#k": self.key_attribute}, values=None,
                                    expressions={"ConditionExpression": "attribute_exists(#k)"})},
                self._counter_update(update="SET #c = #c - :one", condition="#c > :zero",
                                     values={":one": N(1), ":zero": N(0)}),
            ],
            comment="One transaction: delete the owner's holder item (only if it exists) and count - 1.",
            result_path=None)
        # Retrying is safe: a repeat after a commit finds no holder item and is cancelled.
        free.retry([TRANSACTION_CANCELLED], max_attempts=0)
        free.retry(interval=1, max_attempts=5, backoff=2.0, max_delay=10, jitter="FULL")
        probe = self._probe(f"Check Slot Released{suffix}", LOCK_OWNER,
                            comment="Cancelled: already released, or a concurrent transaction on the counter? "
                                    "Read (consistently) whether the holder item still exists.")
        wait = Wait(f"Wait Before Release{suffix}", seconds=self.retry_interval_seconds,
                    comment="The holder item is still there: release again.")
        rounds = self._rounds(f"Release{suffix}", RELEASE_ROUNDS, limit=self.release_rounds, again=free,
                              wait=wait, error=RELEASE_FAILED,
                              cause=f"the holder item could not be released in {self.release_rounds} rounds")
        free.catch(["States.ALL"], probe, result_path=None)
        probe.catch(["States.ALL"], rounds, result_path=None)
        probe.next(Choice(f"Slot Still Held?{suffix}").when(Var("$.holder.Item").is_present(), rounds)
                   .otherwise(then))
        free.next(then)
        return free

    # -- cleanup and reconciler ---------------------------------------------------
    def _release_after_grace(self, *, status: str, then: State, suffix: str, grace_name: str,
                             comment: str) -> Choice:
        """Release now, or (ABORTED / TIMED_OUT: the work may still run) after ``stop_grace_seconds``."""
        release = self.release(then, suffix=suffix)
        grace = Wait(grace_name, seconds=self.stop_grace_seconds, comment=comment)
        grace.next(release)
        return Choice(f"Stopped or Timed Out?{suffix}").when(stopped_status(status), grace).otherwise(release)

    def cleanup_workflow(self, name: str, *, owner: P = EVENT_EXECUTION) -> Workflow:
        """The workflow EventBridge starts when a holder ends without releasing."""
        start = Pass("Read Owner", parameters={"owner": owner}, result_path=LOCK,
                     comment="The execution that ended, as the owner to release.")
        stopped = self._release_after_grace(
            status="$.detail.status", then=Succeed("Success State"), suffix="", grace_name="Wait For Work To End",
            comment="A stopped or timed-out execution's Lambda may still run: wait until its Task timeout has "
                    "passed before its slot goes to someone else.")
        return Workflow(name, start >> stopped, checks=(LOCK_CHECK,),
                        comment="Releases the holder item of a semaphore execution that ended FAILED, TIMED_OUT "
                                "or ABORTED (started by an EventBridge rule); nothing to do if it held none.")

    def reconciler_workflow(self, name: str) -> Workflow:
        """The scheduled backstop: release every holder whose execution is no longer RUNNING.

        Each execution checks one Scan page of up to ``reconcile_page`` items and starts a new
        execution of itself for the rest, so its history stays bounded however many hold.
        """
        scan: dict[str, Any] = {
            "TableName": self.table, "Limit": self.reconcile_page, "ConsistentRead": True,
            "ProjectionExpression": "#o", "FilterExpression": "begins_with(#k, :prefix)",
            "ExpressionAttributeNames": {"#k": self.key_attribute, "#o": self.owner_attribute},
            "ExpressionAttributeValues": {":prefix": S(self.holder_prefix)}}
        first = Task("List Holders", resource=SCAN, parameters=scan, result_path="$.page",
                     comment="This lock's holder items (a consistent Scan: the table has a hash key only).")
        rest = Task("List More Holders", resource=SCAN, parameters={**scan, "ExclusiveStartKey": P("$.next")},
                    result_path="$.page", comment="The next page, where the previous execution stopped.")
        for scan_task in (first, rest):
            scan_task.retry(interval=1, max_attempts=3, backoff=2.0, jitter="FULL")
        done = Succeed("Holder Checked")
        describe = describe_owner("Describe Holder", execution=P("$.owner"))
        describe.catch(["States.ALL"], done, result_path=None)
        running = Choice("Holder Running?").when(Var(f"{LOCK}.status") == "RUNNING", done).otherwise(
            self._release_after_grace(status=f"{LOCK}.status", then=done, suffix=" For Holder",
                                      grace_name="Wait For Holder Work To End",
                                      comment="A stopped or timed-out holder's Lambda may still run (see the "
                                              "cleanup)."))
        each = Map("Check Each Holder", items_path="$.page.Items", max_concurrency=10, result_path=None,
                   item_selector={"owner": P(f"$$.Map.Item.Value.{self.owner_attribute}.S")},
                   comment="One iteration per holder: release it unless its execution is RUNNING.")
        each.iterate(describe >> running)
        first.next(each)
        rest.next(each)
        carry_on = Task("Continue In New Execution", resource="arn:aws:states:::states:startExecution",
                        parameters={"StateMachineArn": Context.state_machine_id,
                                    "Input": {"next": P("$.page.LastEvaluatedKey")}},
                        result_path=None,
                        comment="More items: a new execution checks them (this one's history stays short).")
        carry_on.retry(interval=1, max_attempts=3, backoff=2.0, jitter="FULL")
        carry_on.end()
        each.next(Choice("More Holders?").when(Var("$.page.LastEvaluatedKey").is_present(), carry_on)
                  .otherwise(Succeed("All Holders Checked")))
        start = Choice("Continuing?").when(Var("$.next").is_present(), rest).otherwise(first)
        return Workflow(name, start, checks=(LOCK_CHECK,),
                        comment="Runs on a schedule: releases the holder item of every execution that is no "
                                "longer RUNNING.")

    # The EventBridge rules are the single-item layout's: the cleanup's (status-change events of
    # FAILED, TIMED_OUT and ABORTED executions) and the reconciler's schedule.
    cleanup_rule = staticmethod(Semaphore.cleanup_rule)
    schedule_rule = staticmethod(Semaphore.schedule_rule)


def _request(table: str, head: dict[str, Any], *, names: dict[str, Any] | None, values: dict[str, Any] | None,
             expressions: dict[str, str | None]) -> dict[str, Any]:
    """One transaction item's request, in DynamoDB's request order (as the single-item calls)."""
    return dynamodb.request(table, head, names=names, values=values, expressions=expressions, options={})
