"""Issue 8's hazards, each run end to end on the local engine against the generated stack.

Every run: 9 executions, limit 3, work 0.2 s (the last: 200, limit 10, work 0.05 s), ASL waits
and retry intervals x0.05. Each asserts the promises (never more than the limit held or working, no
work without a held slot, zero leaked slots once everything ended, every execution
accounted for) and that the hazard really happened.

Every run deploys a copy of ``generated/`` whose park TimeoutSeconds is 5 s (3 s where a run
loses wake-ups on purpose) instead of 300 s: Task timeouts are not scaled by the clock, and a
lost wake-up (a hand-off whose answer is lost, or a token the engine refuses under load before
the park registered it) costs one park timeout by design.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from localengine_helpers import assert_promises_kept
from rich.console import Console

from deployer.config import REPO_ROOT
from local.dynamodb_gateway import DynamoFault
from local.eventbridge import EventFaults
from semaphore.local_run.report import Report, RunSettings
from semaphore.local_run.run import Injections, LocalRun, StackOptions, run_local
from semaphore.local_run.stops import StopRule

EXECUTIONS, LIMIT, WORK = 9, 3, 0.2
GENERATED = REPO_ROOT / "generated"
SEMAPHORE_FILE = "dynamodb-semaphore.asl.json"
KEY = {"LockName": {"S": "MySemaphore"}}


def _generated(tmp_path: Path, *, park_seconds: int | None = None) -> Path:
    target = tmp_path / "generated"
    shutil.copytree(GENERATED, target)
    if park_seconds is not None:
        path = target / SEMAPHORE_FILE
        document = json.loads(path.read_text(encoding="utf-8"))
        parks = [s for s in document["States"].values() if s.get("Resource", "").endswith(".waitForTaskToken")]
        assert parks, "no parking state found"
        for state in parks:
            state["TimeoutSeconds"] = park_seconds
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def _run(tmp_path: Path, failure_rate: float, *, executions: int = EXECUTIONS, limit: int = LIMIT,
         work: float = WORK, park_seconds: int | None = 5, **options: Any) -> Report:
    return run_local(RunSettings(requested=executions, limit=limit, work_seconds=work, failure_rate=failure_rate,
                                 seed=11, driver="direct", time_scale=0.05),
                     stack=StackOptions(generated_dir=_generated(tmp_path, park_seconds=park_seconds),
                                        check_definitions=False),
                     inject=Injections(**options),
                     out_dir=tmp_path / "run", console=Console(file=(tmp_path / "console.txt").open("w"), width=120),
                     timeout=240)


def _lock_item(run: LocalRun) -> dict[str, Any]:
    item: dict[str, Any] = run.server.client("dynamodb").get_item(
        TableName=run.table, Key=KEY, ConsistentRead=True).get("Item") or {}
    return item


def _holding(run: LocalRun) -> int:
    item = _lock_item(run)
    return int(item["currentlockcount"]["N"]) if "currentlockcount" in item else 0


def _after(seconds: float, action: Callable[[LocalRun], None]) -> Callable[[LocalRun], None]:
    def during(run: LocalRun) -> None:
        time.sleep(seconds)
        action(run)
    return during


def _lock_is_empty(run: LocalRun) -> bool:
    item = _lock_item(run)
    return _holding(run) == 0 and not item.get("lockowners", {}).get("M")


def test_lowering_the_limit_under_load(tmp_path: Path) -> None:
    counts_after: list[int] = []
    lowered = threading.Event()

    def lower(run: LocalRun) -> None:
        while _holding(run) < LIMIT:
            time.sleep(0.02)
        run.server.client("dynamodb").update_item(
            TableName=run.table, Key=KEY, UpdateExpression="SET locklimit = :one",
            ExpressionAttributeValues={":one": {"N": "1"}})
        lowered.set()
        drained = False
        deadline = time.time() + 60
        while time.time() < deadline and run.server.client("stepfunctions").list_executions(
                stateMachineArn=run.semaphore_arn, statusFilter="RUNNING")["executions"]:
            count = _holding(run)
            drained = drained or count <= 1
            if drained:
                counts_after.append(count)
            time.sleep(0.02)

    report = _run(tmp_path, 0.0, during=lower)
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert lowered.is_set() and report.lock_item_numbers["locklimit"] == 1
    # Once the holders drained to the new limit, it was never exceeded again.
    assert counts_after and max(counts_after) <= 1, counts_after


def test_a_definition_update_mid_run(tmp_path: Path) -> None:
    updated: list[str] = []

    def update(run: LocalRun) -> None:
        sfn = run.server.client("stepfunctions")
        definition = json.loads(sfn.describe_state_machine(stateMachineArn=run.semaphore_arn)["definition"])
        definition["Comment"] = "updated while executions run"
        sfn.update_state_machine(stateMachineArn=run.semaphore_arn, definition=json.dumps(definition))
        updated.append(definition["Comment"])

    report = _run(tmp_path, 0.2, during=_after(0.5, update))
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert updated


def test_lost_cleanup_events_are_covered_by_the_reconciler(tmp_path: Path) -> None:
    report = _run(tmp_path, 0.2, event_faults=EventFaults(lose=lambda event: True),
                  stops=[StopRule(moment="working", count=1), StopRule(moment="acquired", count=1)],
                  during=lambda run: run.server.eventbridge.run_schedules_every(1.0),  # type: ignore[union-attr]
                  wait_for=_lock_is_empty)
    # No status event arrived, so no event-driven cleanup ran: the reconciler released the slots.
    assert_promises_kept(report, EXECUTIONS, LIMIT, cleaned_by_events=False)
    assert report.events_lost > 0 and report.by_status.get("ABORTED") == 2
    assert report.cleanups_by_status.get("SUCCEEDED", 0) >= 1


def test_duplicated_and_delayed_cleanup_events(tmp_path: Path) -> None:
    report = _run(tmp_path, 0.3, event_faults=EventFaults(duplicate=lambda event: 2, delay=lambda event: 0.5),
                  stops=[StopRule(moment="working", count=1), StopRule(moment="waiting", count=1)])
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.by_status.get("ABORTED") == 2


def test_stops_while_waiting_acquiring_and_working(tmp_path: Path) -> None:
    report = _run(tmp_path, 0.0, stops=[StopRule(moment="waiting", count=1), StopRule(moment="acquired", count=1),
                                        StopRule(moment="working", count=1)])
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.stops_injected == 3 and report.by_status.get("ABORTED") == 3


def test_acquire_and_release_that_commit_then_report_an_error(tmp_path: Path) -> None:
    faults = [DynamoFault(error="InternalServerError", state="Acquire Lock", calls=frozenset({2}), after_commit=True),
              DynamoFault(error="InternalServerError", state="Release Lock", calls=frozenset({2, 4}),
                          after_commit=True)]
    # A hand-off whose answer is lost leaves its waiter asleep until its park times out.
    report = _run(tmp_path, 0.0, park_seconds=3, dynamodb_faults=faults)
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.dynamodb_faults_injected == 3 and report.by_status.get("SUCCEEDED") == EXECUTIONS


def test_throttled_dynamodb(tmp_path: Path) -> None:
    faults = [DynamoFault(error="ThrottlingException", state=state, calls=frozenset({1, 3}))
              for state in ("Acquire Lock", "Wait for Lock", "Release Lock", "Free Slot")]
    report = _run(tmp_path, 0.2, park_seconds=3, dynamodb_faults=faults)
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.dynamodb_faults_injected >= 6


def test_a_lock_item_deleted_while_held(tmp_path: Path) -> None:
    restored: list[float] = []

    def delete_then_restore(run: LocalRun) -> None:
        while _holding(run) < LIMIT:
            time.sleep(0.02)
        item = _lock_item(run)
        dynamodb = run.server.client("dynamodb")
        dynamodb.delete_item(TableName=run.table, Key=KEY)
        # The operator restores it (as `python deploy.py` would) once the holders it forgot ended.
        time.sleep(WORK * 4)
        dynamodb.put_item(TableName=run.table, Item={
            **KEY, "locklimit": item["locklimit"], "currentlockcount": {"N": "0"},
            "lockowners": {"M": {}}, "lockwaiters": {"L": []}, "waitertokens": {"L": []}})
        restored.append(time.time())

    report = _run(tmp_path, 0.0, park_seconds=3, during=delete_then_restore)
    # The holders' records went with the item: their work in progress is then measured as
    # "without a held slot" (at most the LIMIT pieces running at the deletion); no new work
    # started until the item was back, so never more than the limit worked at once.
    assert report.peak_workers <= LIMIT and report.work_outside_slot <= LIMIT
    assert report.peak_holders <= LIMIT and report.leaked == []
    assert sum(report.by_status.values()) == EXECUTIONS and report.unaccounted == []
    assert restored and report.by_status.get("SUCCEEDED") == EXECUTIONS


def test_200_executions_on_a_fresh_lock_at_once(tmp_path: Path) -> None:
    # A wider lock and shorter work keep the run short; all 200 still start at once. The park
    # keeps its real timeout: queued this long, a 5 s park would end in the polling fallback.
    report = _run(tmp_path, 0.1, executions=200, limit=10, work=0.05, park_seconds=None)
    assert_promises_kept(report, 200, 10)
    assert report.never_acquired == report.by_status.get("ABORTED", 0) == 0


def _histories_of(run: LocalRun, arns: list[str]) -> dict[str, list[dict[str, Any]]]:
    sfn = run.server.client("stepfunctions")
    return {arn: [event for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
                  for event in page["events"]] for arn in arns}


def _entered(history: list[dict[str, Any]], state: str) -> int:
    return sum(1 for event in history if event.get("stateEnteredEventDetails", {}).get("name") == state)


def test_redrive_after_cleanup_acquires_again(tmp_path: Path) -> None:
    """Executions stopped while working are redriven: one after its cleanup released its slot,
    one at once (its cleanup still in its stop grace, so it finds the owner RUNNING again)."""
    redriven: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, str] = {}
    invocations: list[Any] = []

    def redrive(run: LocalRun) -> None:
        sfn = run.server.client("stepfunctions")
        deadline = time.time() + 120
        waiting = set()
        while time.time() < deadline and len(seen) < 2:
            for arn in list(run.started):
                if arn in seen or arn in waiting:
                    continue
                if sfn.describe_execution(executionArn=arn)["status"] == "ABORTED":
                    waiting.add(arn)
            for arn in sorted(waiting):
                owners = _lock_item(run).get("lockowners", {}).get("M", {})
                # The first stopped is redriven at once, the second once its cleanup released it.
                if not seen or arn not in owners:
                    sfn.redrive_execution(executionArn=arn)
                    seen[arn] = "at once" if not seen else "after cleanup"
                    waiting.discard(arn)
            time.sleep(0.05)

    def redriven_ended(run: LocalRun) -> bool:
        sfn = run.server.client("stepfunctions")
        if len(seen) < 2 or any(sfn.describe_execution(executionArn=arn)["status"] == "RUNNING" for arn in seen):
            return False
        redriven.update(_histories_of(run, list(seen)))
        invocations[:] = run.server.lambda_runtime.invocations
        return True

    # 1 s of work: the one redriven at once comes back while its stopped work still runs (a stop
    # does not stop a Lambda function), under the slot its cleanup leaves alone.
    report = _run(tmp_path, 0.0, work=1.0, stops=[StopRule(moment="working", count=2)], during=redrive,
                  wait_for=redriven_ended)
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert sorted(seen.values()) == ["after cleanup", "at once"]
    at_once = next(arn for arn, when in seen.items() if when == "at once")
    spans = sorted((i.start, i.end) for i in invocations if i.execution_arn == at_once)
    assert len(spans) == 2 and spans[1][0] >= spans[0][1], spans  # redone only after the stopped work ended
    assert report.by_status.get("SUCCEEDED") == EXECUTIONS  # the redriven ones too
    for arn, history in redriven.items():
        assert any(e["type"] == "ExecutionRedriven" for e in history), arn
        # The redriven work refused to run without a slot and went back to acquire one: entered
        # when stopped, when redriven (refused before the Lambda ran), and after acquiring again.
        assert _entered(history, "Redriven Without Slot?") == 1, (seen[arn], arn)
        assert _entered(history, "Run Lambda Function With Controlled Concurrency") == 3, (seen[arn], arn)


def _with_history_budget(tmp_path: Path, budget: int) -> Path:
    target = _generated(tmp_path, park_seconds=1)
    path = target / SEMAPHORE_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    gates = [state for state in document["States"].values()
             if state["Type"] == "Choice" and any(rule.get("Variable") == "$.lock.events" for rule in state["Choices"])]
    assert len(gates) == 2, "expected the Keep Waiting? and Keep Trying? gates"
    for gate in gates:
        gate["Choices"][0]["NumericLessThan"] = budget
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def test_a_long_wait_ends_cleanly_before_the_history_limit(tmp_path: Path) -> None:
    """With a history budget of three polls, executions queued behind long work fail with
    Semaphore.WaitTimeout, are skipped when their turn comes, and nothing leaks."""
    errors: dict[str, str] = {}

    def collect(run: LocalRun) -> bool:
        sfn = run.server.client("stepfunctions")
        for arn in run.started:
            described = sfn.describe_execution(executionArn=arn)
            if described["status"] == "FAILED":
                errors[arn] = described.get("error", "")
        return True

    report = run_local(RunSettings(requested=4, limit=1, work_seconds=6.0, failure_rate=0.0, seed=11,
                                   driver="direct", time_scale=0.05),
                       stack=StackOptions(generated_dir=_with_history_budget(tmp_path, 40), check_definitions=False),
                       inject=Injections(wait_for=collect),
                       out_dir=tmp_path / "run", console=Console(file=(tmp_path / "console.txt").open("w")),
                       timeout=240)
    assert_promises_kept(report, 4, 1)
    assert report.by_status.get("SUCCEEDED", 0) >= 1 and report.by_status.get("FAILED", 0) >= 1
    assert errors and set(errors.values()) == {"Semaphore.WaitTimeout"}, errors
