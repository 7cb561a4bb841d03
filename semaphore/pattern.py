"""A distributed semaphore on one DynamoDB item, with a FIFO hand-off instead of polling.

One :class:`Semaphore` knows the table, the lock name and the item's layout; the
acquire chain, the release chain, the cleanup workflow, the reconciler and the
EventBridge rules all come from it.

The lock item (created by deploy, which also sets the limit)::

    LockName          the key
    locklimit         N   the limit; read by every condition, so changing it needs no redeploy
    currentlockcount  N   slots held
    lockowners        M   execution ARN -> acquire time, for holders *and* queued waiters
    lockwaiters       L   execution ARNs waiting, oldest first
    waitertokens      L   their task tokens, same order

An owner *holds* a slot when it is in ``lockowners`` and not in ``lockwaiters``.

* **Acquire** takes a slot only while ``count < limit`` and nobody waits (FIFO).
  Otherwise the execution **parks**: one ``updateItem.waitForTaskToken`` call queues its
  ARN and ``$$.Task.Token``, under the condition that the lock is full or has waiters.
  Both conditions are evaluated by DynamoDB in one write, so a slot cannot be freed
  between "it is full" and "I am queued" (no lost wake-up).
* **Release** hands the slot to the oldest waiter in one write (it removes the releaser
  and the queue head; the count does not change), then wakes that waiter with
  ``SendTaskSuccess``. Only with nobody waiting (or the count above a lowered limit) is
  the slot freed (count - 1). A waiter whose token cannot be woken is checked with
  ``DescribeExecution``: if it ended, the slot is released on its behalf; if it runs,
  it finds its slot when its bounded park times out.
* A parked execution costs two history events however long it waits; the park is
  bounded (``park_seconds``), after which the execution checks whether it was handed
  the slot and otherwise polls every ``poll_seconds``. Every loop of waiting adds its
  history events to ``$.lock.events``; once that reaches ``history_budget`` the execution
  fails with ``Semaphore.WaitTimeout``, cleanly, before Step Functions' 25,000-event limit.
* **Redrive** re-runs a failed execution from its unsuccessful state with the same ARN, so
  a redriven work Task would run without the slot a cleanup already released. Every
  holding state records ``$$.Execution.RedriveCount`` in ``$.lock.redrive``; the work
  Task's Arguments are guarded (:meth:`Semaphore.unless_redriven`) so that a redriven
  execution fails them (``States.QueryEvaluationError``) before any work runs, and
  :meth:`Semaphore.hold` sends it back to acquire a slot again. The cleanup checks that
  the execution still ended before releasing it (a redrive may have revived it).

No state reads the item and decides on what it read: every decision is a conditional
write, which DynamoDB evaluates on the latest committed item (strongly consistent).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from dsl.conditions import Condition, Var
from dsl.errors import InvalidField
from dsl.integrations import dynamodb, stepfunctions
from dsl.paths import Context, P, jsonata
from dsl.states import Chain, Choice, Fail, Map, Pass, State, Succeed, Task, Wait
from dsl.workflow import DataFile, Workflow
from semaphore import LOCK_CHECK

CONDITION_FAILED = dynamodb.CONDITION_FAILED
PARK_CONDITION_FAILED = dynamodb.SDK_CONDITION_FAILED
# Statuses after which a semaphore execution can no longer release its own slot.
CLEANUP_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
# Where a status-change event names the execution that ended.
EVENT_EXECUTION = P("$.detail.executionArn")
# Where a holder keeps its owner id (the acquire writes it; the release reads it).
LOCK = "$.lock"
LOCK_OWNER = P("$.lock.owner")
SUCCESSOR = "$.successor"
# The states after which this execution holds a slot record who holds it, and in which
# redrive of the execution (0 before any) it acquired it.
_HOLDING: dict[str, Any] = {"result_selector": {"owner": Context.execution_id,
                                                "redrive": Context.execution_redrive_count},
                            "result_path": LOCK}
# What a JSONata expression that fails raises (catchable, unlike States.Runtime).
QUERY_FAILED = "States.QueryEvaluationError"
WAIT_TIMEOUT = "Semaphore.WaitTimeout"
_REDRIVE_GUARD = "$states.context.Execution.RedriveCount > $states.input.lock.redrive"
# History events each state type adds at most once per visit (a Task: entered, scheduled,
# started, submitted, succeeded or failed, exited); retries of a transient error add 3
# more each and come out of the budget's margin below the 25,000-event limit.
_EVENTS = {Task: 6, Wait: 2, Choice: 2}
HISTORY_LIMIT = 25_000
HOLDS = "attribute_exists(#o.#me) AND NOT contains(#w, :me)"


@dataclass(frozen=True, kw_only=True)
class LockTable(ABC):
    """Where a semaphore lives, whatever its layout: the table, the lock's name, the counter
    item's attribute names, and how long a cleanup waits for a stopped execution's work.

    A layout provides :meth:`acquire` (whose holding ends write ``$.lock = {"owner",
    "redrive"}``) and :meth:`release`; :meth:`hold` wires work between them.
    """

    table: str = "${SF_TableSemaphore}"
    lock_name: str = "${SF_LockName}"
    key_attribute: str = "LockName"
    count_attribute: str = "currentlockcount"
    limit_attribute: str = "locklimit"
    stop_grace_seconds: int = 90

    @abstractmethod
    def acquire(self) -> Chain:
        """The acquire phase; its open ends continue once this execution holds a slot."""

    @abstractmethod
    def release(self, then: State, *, suffix: str = "") -> Task:
        """The release chain for the owner in ``$.lock.owner``; every way out goes to ``then``."""

    @staticmethod
    def unless_redriven(expression: str) -> str:
        """A JSONata ``{% %}`` value: ``expression``, unless the execution was redriven after
        it acquired its slot; then evaluating it fails (``States.QueryEvaluationError``)
        before the Task runs.

        Use it in the work Task's ``Arguments`` (the work Task uses JSONata): a redrive
        restarts the Task that failed, skipping the acquire before it, and the cleanup may
        already have given its slot away. :meth:`hold` catches the error and acquires again.
        """
        return jsonata(f"{_REDRIVE_GUARD} ? $error('redriven after its slot may have been released: "
                       f"acquire again') : {expression.strip()}")

    def hold(self, work: Task, *, then: State, failed: State) -> Chain:
        """Acquire, ``work``, release, then ``then``; a failed ``work`` releases, then ``failed``.

        ``work`` is a JSONata Task whose Arguments use :meth:`unless_redriven`. Its error output
        is kept in ``$.workerror`` for ``failed`` (e.g. a Fail with ``ErrorPath``). A redriven
        execution that restarts at ``work`` first waits ``stop_grace_seconds`` (the stopped
        run's work may still run in its slot), then goes back to acquire a slot.
        """
        if _REDRIVE_GUARD not in json.dumps(work.arguments):
            raise InvalidField("the work Task must build its Arguments with Semaphore.unless_redriven(...): "
                               "a redriven execution would run it without a slot", state=work.name,
                               site=work.site)
        acquire = self.acquire()
        keep_error = jsonata("$merge([$states.input, {'workerror': $states.errorOutput}])")
        on_failure = self.release(failed, suffix=" After Failure")
        # Redriven soon after a stop, this execution may still own its slot (its cleanup leaves a
        # RUNNING owner alone) while the stopped run's work still runs in it: a stop does not
        # stop a Lambda function. Working again at once would put two workers in one slot.
        settle = Wait("Wait For Stopped Work", seconds=self.stop_grace_seconds,
                      comment="Redriven: let the work of the stopped run end (it runs on for up to the "
                              "stop grace) before acquiring and working again.")
        redriven = Choice("Redriven Without Slot?", query_language="JSONata",
                          comment="The work's Arguments refused to run: acquire again if the execution "
                                  "was redriven since it acquired, else it is a real failure.") \
            .when(Condition.jsonata(_REDRIVE_GUARD), settle,
                  output=jsonata("$sift($states.input, function($v, $k) { $k != 'workerror' })")) \
            .otherwise(on_failure)
        settle >> acquire
        work.catch([QUERY_FAILED], redriven, output=keep_error)
        work.catch(["States.ALL"], on_failure, output=keep_error)
        return acquire >> work >> self.release(then)



@dataclass(frozen=True, kw_only=True)
class Semaphore(LockTable):
    """A counting semaphore named ``lock_name`` in ``table``; the limit lives in the lock item.

    ``park_seconds`` bounds one park (a lost wake-up costs at most that long);
    ``poll_seconds`` is the check interval after a park timed out or failed.
    ``stop_grace_seconds`` is how long the cleanup of a stopped or timed-out execution waits
    before releasing: StopExecution does not stop a running Lambda function, so this must be
    at least the TimeoutSeconds of any work Task (and the function's own timeout below that).
    """

    owners_attribute: str = "lockowners"
    waiters_attribute: str = "lockwaiters"
    tokens_attribute: str = "waitertokens"
    park_seconds: int = 300
    poll_seconds: int = 15
    missing_item_wait_seconds: int = 60
    retry_wait_seconds: int = 2
    history_budget: int = 24_000

    def __post_init__(self) -> None:
        if not 0 < self.history_budget < HISTORY_LIMIT:
            raise InvalidField(f"history_budget must be between 1 and {HISTORY_LIMIT - 1} (the "
                               f"history events an execution may spend waiting); got {self.history_budget}")

    @property
    def key(self) -> dict[str, Any]:
        """The lock item's key."""
        return {self.key_attribute: dynamodb.S(self.lock_name)}

    def lock_item(self, limit: int) -> dict[str, Any]:
        """The lock item as deploy creates it (typed attribute values)."""
        return {self.key_attribute: {"S": self.lock_name},
                self.limit_attribute: {"N": str(limit)}, self.count_attribute: {"N": "0"},
                self.owners_attribute: {"M": {}}, self.waiters_attribute: {"L": []},
                self.tokens_attribute: {"L": []}}

    def _names(self, owner: P | None) -> dict[str, Any]:
        names: dict[str, Any] = {"#c": self.count_attribute, "#l": self.limit_attribute,
                                 "#o": self.owners_attribute, "#w": self.waiters_attribute,
                                 "#t": self.tokens_attribute}
        if owner is not None:
            names["#me"] = owner
        return names

    def _update(self, name: str, *, owner: P | None, update: str, condition: str,
                values: dict[str, Any] | None = None, comment: str, **state: Any) -> Task:
        """A conditional update of the lock item; names and values are cut to what it uses."""
        text = update + " " + condition
        names = {k: v for k, v in self._names(owner).items() if k in text}
        return dynamodb.update_item(name, table=self.table, key=self.key, comment=comment,
                                    names=names, values=values or None, update=update,
                                    condition=condition, **state)

    @staticmethod
    def _retry_transient(task: Task, *, answer: str = CONDITION_FAILED) -> Task:
        # The condition failing is an answer, not a fault: never retried.
        task.retry([answer], max_attempts=0)
        task.retry(interval=1, max_attempts=5, backoff=2.0, max_delay=10, jitter="FULL")
        return task

    def _probe(self, name: str, *, condition: str, comment: str, **state: Any) -> Task:
        """A conditional no-op write: DynamoDB answers the condition on the latest item."""
        return self._retry_transient(self._update(
            name, owner=Context.execution_id, update="SET #o.#me = #o.#me", condition=condition,
            values={":me": dynamodb.S(Context.execution_id)} if ":me" in condition else None,
            comment=comment, **state))

    def _acquire_task(self, name: str) -> Task:
        return self._update(
            name, owner=Context.execution_id,
            comment="Take a free slot: count + 1 and this execution added to the owners, only while "
                    "the count is below the lock item's limit and nobody is queued (first come, first "
                    "served).",
            values={":one": dynamodb.N(1), ":zero": dynamodb.N(0),
                    ":since": dynamodb.S(Context.state_entered_time)},
            update="SET #c = #c + :one, #o.#me = :since",
            condition="#c < #l AND size(#w) = :zero AND attribute_not_exists(#o.#me)",
            **_HOLDING)

    def _park_task(self, name: str) -> Task:
        return self._update(
            name, owner=Context.execution_id,
            comment="Queue this execution and its task token, only while the lock is full or others "
                    "wait, then sleep until a releasing execution hands its slot over and sends the "
                    "token back. Bounded: after TimeoutSeconds the execution checks for itself.",
            values={":zero": dynamodb.N(0), ":since": dynamodb.S(Context.state_entered_time),
                    ":queued": {"L": [dynamodb.S(Context.execution_id)]},
                    ":token": {"L": [dynamodb.S(Context.task_token)]}},
            update="SET #o.#me = :since, #w = list_append(#w, :queued), #t = list_append(#t, :token)",
            condition="(#c >= #l OR size(#w) > :zero) AND attribute_not_exists(#o.#me)",
            wait_for_task_token=True, timeout_seconds=self.park_seconds, **_HOLDING)

    def acquire(self) -> Chain:
        """The acquire phase; its open ends continue once this execution holds a slot.

        Each holding end writes ``{"owner": <execution ARN>}`` to ``$.lock``. The execution
        first tries to take a slot, then to park (refused when a slot is free and nobody
        waits); when the lock changed between the two writes, both are tried once more at
        once, and a further refusal takes the slow path that also notices a missing lock item.
        """
        acquire = self._acquire_task("Acquire Lock")
        park = self._park_task("Wait for Lock")
        again = self._acquire_task("Acquire Lock Again")
        park_again = self._park_task("Wait for Lock Again")
        granted = self._probe(
            "Check Lock Granted", condition=HOLDS,
            comment="Does this execution hold a slot (handed over while its park had ended)?",
            **_HOLDING)
        queued = self._probe(
            "Check Still Queued", condition="attribute_exists(#o.#me)", result_path=None,
            comment="Not holding: is this execution still queued (then a slot will be handed to it)?")
        poll = Wait("Wait While Queued", seconds=self.poll_seconds, query_language="JSONata",
                    comment="Queued without a live task token: check again later.")
        item = dynamodb.get_item(
            "Check Lock Item", table=self.table, key=self.key, consistent_read=True,
            projection="#l", names={"#l": self.limit_attribute},
            result_path="$.lockitem",
            comment="Neither acquired nor queued: the lock changed between the two writes (try "
                    "again at once), or the lock item is missing (wait for deploy to restore it).")
        missing = Wait("Wait For Lock Item", seconds=self.missing_item_wait_seconds,
                       query_language="JSONata",
                       comment="The lock item is missing: nobody can acquire until it is restored.")
        retry = Wait("Wait Before Retry", seconds=self.retry_wait_seconds, query_language="JSONata",
                     comment="Refused twice in a row, or the park itself failed (e.g. the queue no "
                             "longer fits in the item): pause before trying again.")
        exists = Choice("Lock Item Exists?").when(Var("$.lockitem.Item").is_present(), retry) \
            .otherwise(missing)
        too_long = Fail("Lock Wait Too Long", error=WAIT_TIMEOUT,
                        cause="Waited for a slot until the execution history neared Step Functions' "
                              "25,000-event limit; start a new execution.")
        keep_trying = self._within_budget("Keep Trying?", acquire, too_long)
        keep_waiting = self._within_budget("Keep Waiting?", granted, too_long)
        retry.next(keep_trying)
        missing.next(keep_trying)
        # Acquire first: parking first saves a write per contended execution, but when many
        # start at once on an empty lock it leaves the slots empty until the parks come back.
        acquire.catch([CONDITION_FAILED], park, result_path=None)
        park.catch([PARK_CONDITION_FAILED], again, result_path=None)
        again.catch([CONDITION_FAILED], park_again, result_path=None)
        for task in (acquire, park, again, park_again):
            task.catch(["States.ALL"], granted, result_path=None)
        granted.catch([CONDITION_FAILED], queued, result_path=None)
        queued.catch([CONDITION_FAILED], item, result_path=None)
        queued.next(poll)
        poll.next(keep_waiting)
        item.next(exists)
        _charge_loops([poll, keep_waiting, granted, queued],
                      [retry, missing, keep_trying, acquire, park, again, park_again, granted, queued,
                       item, exists])
        return Chain(acquire, (acquire, park, again, park_again, granted))

    def _within_budget(self, name: str, target: State, too_long: State) -> Choice:
        return Choice(name, comment="Go on waiting while the events spent waiting leave room below "
                                    "the history limit.") \
            .when(Var(f"{LOCK}.events") < self.history_budget, target).otherwise(too_long)

    def release(self, then: State, *, suffix: str = "") -> Task:
        """The release chain for the owner in ``$.lock.owner``; every way out goes to ``then``.

        ``suffix`` tells the state names of a second copy apart (e.g. " After Failure").
        """
        me = {":me": dynamodb.S(LOCK_OWNER)}
        handover = self._retry_transient(self._update(
            f"Release Lock{suffix}", owner=LOCK_OWNER,
            comment="Hand this owner's slot to the oldest waiter: remove the owner and the queue head "
                    "in one write (the count is unchanged), only while someone waits and the count is "
                    "not above the limit. Returns the waiter and its token.",
            values={**me, ":zero": dynamodb.N(0)},
            update="REMOVE #o.#me, #w[0], #t[0]",
            condition=f"{HOLDS} AND size(#w) > :zero AND #c <= #l",
            return_values="UPDATED_OLD",
            result_selector={"owner": P(f"$.Attributes.{self.waiters_attribute}.L[0].S"),
                             "token": P(f"$.Attributes.{self.tokens_attribute}.L[0].S")},
            result_path=SUCCESSOR))
        free = self._retry_transient(self._update(
            f"Free Slot{suffix}", owner=LOCK_OWNER,
            comment="Nobody waits (or the count is above a lowered limit): give the slot back.",
            values={**me, ":zero": dynamodb.N(0), ":one": dynamodb.N(1)},
            update="SET #c = #c - :one REMOVE #o.#me",
            condition=f"{HOLDS} AND (size(#w) = :zero OR #c > #l)",
            result_path=None))
        held = self._retry_transient(self._update(
            f"Check Lock Still Held{suffix}", owner=LOCK_OWNER,
            comment="Neither write applied: release again if the owner still holds its slot (a "
                    "waiter arrived meanwhile), else it was already released.",
            values=me, update="SET #o.#me = #o.#me", condition=HOLDS, result_path=None))
        wake = stepfunctions.send_task_success(
            f"Wake Next Waiter{suffix}", token=P(f"{SUCCESSOR}.token"), result_path=None,
            comment="Send the waiter its token: its park ends and it holds the slot.")
        # A token can be refused for a moment before the park has registered it (seen on the
        # local engine under load): try a little longer before asking whether the waiter ended.
        wake.retry(list(stepfunctions.TOKEN_GONE), interval=1, max_attempts=3, backoff=2.0)
        _retry_sdk(wake)
        check = describe_owner(
            f"Check Next Waiter{suffix}", execution=P(f"{SUCCESSOR}.owner"),
            comment="The waiter could not be woken: did it end (release its slot) or is it running "
                    "(it finds the slot itself when its park times out)?")
        running = Choice(f"Next Waiter Running?{suffix}").when(
            Var(f"{LOCK}.status") == "RUNNING", then).otherwise(handover)
        handover.catch([CONDITION_FAILED], free, result_path=None)
        free.catch([CONDITION_FAILED], held, result_path=None)
        held.catch([CONDITION_FAILED], then, result_path=None)
        held.next(handover)
        free.next(then)
        wake.catch(["States.ALL"], check, result_path=None)
        check.catch(["States.ALL"], then, result_path=None)
        handover.next(wake)
        wake.next(then)
        check.next(running)
        return handover

    def _grace(self, name: str, release: State, *, comment: str) -> Wait:
        """Wait ``stop_grace_seconds`` (a stopped execution's work may still run), then release."""
        grace = Wait(name, seconds=self.stop_grace_seconds, comment=comment)
        grace.next(release)
        return grace

    def cleanup_workflow(self, name: str, *, owner: P = EVENT_EXECUTION) -> Workflow:
        """The workflow EventBridge starts when a holder ends without releasing."""
        done = Succeed("Success State")
        start = Pass("Read Owner", parameters={"owner": owner}, result_path=LOCK,
                     comment="The execution that ended, as the owner to release.")
        release = self.release(done)
        check = _retry_sdk(stepfunctions.describe_execution(
            "Check Owner Ended", execution=LOCK_OWNER, result_selector={"status": P("$.Status")},
            result_path="$.owner",
            comment="A redrive may have revived the execution since the event: release only if it "
                    "is still not RUNNING (if this check fails, release: the event said it ended)."))
        check.catch(["States.ALL"], release, result_path=None)
        check.next(Choice("Owner Redriven?").when(Var("$.owner.status") == "RUNNING", done)
                   .otherwise(release))
        grace = self._grace("Wait For Work To End", check,
                            comment="A stopped or timed-out execution's Lambda may still run: wait "
                                    "until its Task timeout has passed before its slot goes to "
                                    "someone else.")
        stopped = Choice("Stopped or Timed Out?").when(stopped_status("$.detail.status"), grace).otherwise(check)
        return Workflow(name, start >> stopped, checks=(LOCK_CHECK,),
                        comment="Releases (hands over) the slot of a semaphore execution that ended "
                                "FAILED, TIMED_OUT or ABORTED (started by an EventBridge rule); a queued "
                                "execution that ended is skipped when its turn comes.")

    def reconciler_workflow(self, name: str) -> Workflow:
        """The scheduled backstop: release every owner whose execution is no longer RUNNING.

        Covers what the event-driven cleanup cannot: lost or late status-change events,
        a cleanup that failed, and slots handed to a waiter that ended.
        """
        read = dynamodb.get_item(
            "Read Lock Owners", table=self.table, key=self.key, consistent_read=True,
            projection="#o", names={"#o": self.owners_attribute},
            result_selector={"owners": P(f"$.Item.{self.owners_attribute}.M")}, result_path="$.lockitem",
            comment="Every owner (holders and queued), read consistently.")
        done = Succeed("Owner Checked")
        describe = describe_owner("Describe Owner", execution=P("$.owner"))
        describe.catch(["States.ALL"], done, result_path=None)
        release = self.release(done, suffix=" For Owner")
        grace = self._grace("Wait For Owner Work To End", release,
                            comment="A stopped or timed-out owner's Lambda may still run (see the cleanup).")
        running = Choice("Owner Running?").when(Var(f"{LOCK}.status") == "RUNNING", done) \
            .when(stopped_status(f"{LOCK}.status"), grace).otherwise(release)
        # [...] keeps one owner a list and no owner an empty list: $keys alone returns a single
        # key as a string and nothing for an empty map (JSONata sequences), and both broke the Map.
        owners = Pass("List Owners", query_language="JSONata",
                      output="{% [$keys($states.input.lockitem.owners)] %}",
                      comment="The owner ARNs as a list (JSONata: JSONPath cannot list map keys).")
        each = Map("Check Each Owner", max_concurrency=10, result_path=None,
                   item_selector={"owner": P("$$.Map.Item.Value")},
                   comment="One iteration per owner: release it unless its execution is RUNNING.")
        each.iterate(describe >> running)
        return Workflow(name, read >> owners >> each, checks=(LOCK_CHECK,),
                        comment="Runs on a schedule: releases the slot of every lock owner whose "
                                "execution is no longer RUNNING.")

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

    @staticmethod
    def schedule_rule(*, file_name: str, schedule: str, target_file: str) -> DataFile:
        """An EventBridge schedule that starts ``target_file`` (the reconciler)."""
        return DataFile(file_name, {"ScheduleExpression": schedule, "Target": target_file})


def _charge_loops(*loops: list[State]) -> None:
    """Make each Wait of a waiting loop add the loop's history events to ``$.lock.events``.

    A loop's cost is what one turn through all its states can add (see ``_EVENTS``); a Wait
    shared by two loops would be charged by the last, so loops list their own Waits only.
    """
    for states in loops:
        cost = sum(_EVENTS[type(state)] for state in states)
        for wait in (state for state in states if isinstance(state, Wait)):
            wait.output = jsonata(
                "$merge([$states.input, {'lock': {'events': "
                f"($states.input.lock.events ? $states.input.lock.events : 0) + {cost}}}}}])")


def stopped_status(status: str) -> Condition:
    """The execution status at ``status`` says it was stopped or timed out (its work may run on)."""
    return (Var(status) == "ABORTED") | (Var(status) == "TIMED_OUT")


def _retry_sdk(task: Task) -> Task:
    """Jittered retries for a Step Functions API call (throttling, transient faults)."""
    task.retry(interval=1, max_attempts=3, backoff=2.0, jitter="FULL")
    return task


def describe_owner(name: str, *, execution: P, comment: str | None = None) -> Task:
    """DescribeExecution of ``execution``, kept as ``$.lock`` = {owner, status}: the owner to
    release next if it is no longer RUNNING."""
    return _retry_sdk(stepfunctions.describe_execution(
        name, execution=execution, comment=comment,
        result_selector={"owner": P("$.ExecutionArn"), "status": P("$.Status")}, result_path=LOCK))
