"""``--run-test``: start the test machine, watch its child executions, report.

The children are the executions of the lock-holding machine that started
after the test execution did; their total comes from the test execution's
``MapStateStarted`` event when it has one. Cleanups are the executions of the
machines that event rules start, reconciler runs those of scheduled rules. The
run ends when the test execution and every child have ended and no cleanup or
reconciler run is still running.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from deployer import catalog
from deployer.clients import Clients
from deployer.engine import DeployResult
from semaphore.pattern import Semaphore

STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


@dataclass(frozen=True)
class LockState:
    """The lock item as the run left it."""

    limit: int | None
    count: int | None
    holders: dict[str, str]  # execution ARN -> acquire time
    waiters: tuple[str, ...]  # execution ARNs, oldest first


@dataclass(frozen=True)
class TestReport:
    """How the test run ended."""

    execution_arn: str
    status: str
    children: dict[str, int]
    cleanups: dict[str, int]
    reconciles: dict[str, int]
    lock: LockState | None


def run_test(clients: Clients, result: DeployResult, *, lock_name: str, console: Console | None = None,
             poll_seconds: float = 2.0, sleep: Callable[[float], None] = time.sleep) -> TestReport:
    """Start the test machine and wait until it and everything it started has ended."""
    console = console or Console()
    lock_holder = next(m for m in catalog.MACHINES if m.acquires_lock)
    cleaners, reconcilers = _rule_targets(result, "EventPattern"), _rule_targets(result, "ScheduleExpression")
    started = clients.sfn.start_execution(stateMachineArn=result.test_machine_arn)
    arn, since = started["executionArn"], started["startDate"]
    console.print(f"test execution: {arn}", markup=False, soft_wrap=True)
    columns = (TextColumn("children"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("children", total=None, counts="")
        total = None
        while True:
            status = clients.sfn.describe_execution(executionArn=arn)["status"]
            total = total or _map_length(clients, arn)
            children = _count(clients, result.machine_arn(lock_holder.key), since)
            cleanups = _count_all(clients, cleaners, since)
            reconciles = _count_all(clients, reconcilers, since)
            done = sum(n for s, n in children.items() if s != "RUNNING")
            progress.update(task, total=total, completed=done, counts=_counts_text(children, cleanups, reconciles))
            if status != "RUNNING" and not any(c.get("RUNNING") for c in (children, cleanups, reconciles)):
                break
            sleep(poll_seconds)
    lock = _lock_state(clients, result.names[f"table:{catalog.TABLES[0].key}"], lock_name)
    return TestReport(arn, status, children, dict(cleanups), dict(reconciles), lock)


def print_report(report: TestReport, console: Console, *, lock_name: str) -> None:
    """The counts by status and the lock item, after the run."""
    def say(text: str) -> None:
        console.print(text, markup=False, soft_wrap=True)

    say(f"test execution {report.status}: {report.execution_arn}")
    say("children by status: " + _counts_text(report.children, Counter(report.cleanups), Counter(report.reconciles)))
    lock = report.lock
    if lock is None:
        say(f"lock item {lock_name!r}: absent")
        return
    say(f"lock item {lock_name!r}: limit={lock.limit}, count={lock.count}, holders={len(lock.holders)}, "
        f"waiters={len(lock.waiters)}"
        + "".join(f"\n  holder {arn} since {since}" for arn, since in sorted(lock.holders.items()))
        + "".join(f"\n  waiter {arn}" for arn in lock.waiters))


def _rule_targets(result: DeployResult, kind: str) -> list[str]:
    """The machines that the deployed rules of ``kind`` (EventPattern or ScheduleExpression) start."""
    return sorted({t["Arn"] for rule in result.rules.values() if kind in rule for t in rule["Targets"]})


def _count_all(clients: Clients, machine_arns: list[str], since: datetime) -> Counter[str]:
    return sum((Counter(_count(clients, arn, since)) for arn in machine_arns), Counter())


def _count(clients: Clients, machine_arn: str, since: datetime) -> dict[str, int]:
    pages = clients.sfn.get_paginator("list_executions").paginate(stateMachineArn=machine_arn)
    counts = Counter(e["status"] for page in pages for e in page["executions"] if e["startDate"] >= since)
    return {s: counts[s] for s in STATUSES if counts[s]}


def _map_length(clients: Clients, arn: str) -> int | None:
    pages = clients.sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    for page in pages:
        for event in page["events"]:
            details = event.get("mapStateStartedEventDetails")
            if details is not None:
                length: int = details["length"]
                return length
    return None


def _counts_text(children: dict[str, int], cleanups: Counter[str], reconciles: Counter[str]) -> str:
    parts = [f"{s.lower().replace('_', ' ')} {n}" for s, n in children.items()]
    parts.append(f"cleanups {sum(cleanups.values())}")
    parts.append(f"reconciler runs {sum(reconciles.values())}")
    return ", ".join(parts)


def _lock_state(clients: Clients, table: str, lock_name: str,
                semaphore: Semaphore = catalog.SEMAPHORE) -> LockState | None:
    item = clients.dynamodb.get_item(TableName=table, Key={semaphore.key_attribute: {"S": lock_name}},
                                     ConsistentRead=True).get("Item")
    if item is None:
        return None

    def number(name: str) -> int | None:
        value = item.get(name, {}).get("N")
        return int(value) if value is not None else None

    waiters = tuple(v.get("S", "") for v in item.get(semaphore.waiters_attribute, {}).get("L", []))
    owners: dict[str, Any] = item.get(semaphore.owners_attribute, {}).get("M", {})
    # An owner holds a slot unless it is queued.
    holders = {arn: value.get("S", "") for arn, value in owners.items() if arn not in waiters}
    return LockState(number(semaphore.limit_attribute), number(semaphore.count_attribute), holders, waiters)
