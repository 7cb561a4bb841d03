"""``--run-test``: start the test machine, watch its child executions, report.

The children are the executions of the lock-holding machine that started
after the test execution did; their total comes from the test execution's
``MapStateStarted`` event when it has one. The run ends when the test
execution and every child have ended and no cleanup is still running.
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

STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


@dataclass(frozen=True)
class TestReport:
    """How the test run ended."""

    execution_arn: str
    status: str
    children: dict[str, int]
    cleanups: dict[str, int]
    lock_item: dict[str, Any] | None


def run_test(clients: Clients, result: DeployResult, *, lock_name: str, console: Console | None = None,
             poll_seconds: float = 2.0, sleep: Callable[[float], None] = time.sleep) -> TestReport:
    """Start the test machine and wait until it and everything it started has ended."""
    console = console or Console()
    lock_holder = next(m for m in catalog.MACHINES if m.acquires_lock)
    cleaners = [m for m in catalog.MACHINES if not m.is_test and not m.acquires_lock]
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
            cleanups = sum((Counter(_count(clients, result.machine_arn(m.key), since)) for m in cleaners),
                           Counter())
            done = sum(n for s, n in children.items() if s != "RUNNING")
            progress.update(task, total=total, completed=done, counts=_counts_text(children, cleanups))
            if status != "RUNNING" and not children.get("RUNNING") and not cleanups.get("RUNNING"):
                break
            sleep(poll_seconds)
    item = _lock_item(clients, result.names[f"table:{catalog.TABLES[0].key}"], lock_name)
    return TestReport(arn, status, children, dict(cleanups), item)


def print_report(report: TestReport, console: Console, *, lock_name: str) -> None:
    """The counts by status and the lock item, after the run."""
    def say(text: str) -> None:
        console.print(text, markup=False, soft_wrap=True)

    say(f"test execution {report.status}: {report.execution_arn}")
    say("children by status: " + _counts_text(report.children, Counter(report.cleanups)))
    if report.lock_item is None:
        say(f"lock item {lock_name!r}: absent")
        return
    # Holders are the attributes named by an execution ARN; the rest is bookkeeping.
    holders = sorted(k for k in report.lock_item if k.startswith("arn:"))
    others = ", ".join(f"{k}={v}" for k, v in report.lock_item.items() if not k.startswith("arn:"))
    say(f"lock item: {others}, holders={len(holders)}" + "".join(f"\n  {h} since {report.lock_item[h]}"
                                                                for h in holders))


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


def _counts_text(children: dict[str, int], cleanups: Counter[str]) -> str:
    parts = [f"{s.lower().replace('_', ' ')} {n}" for s, n in children.items()]
    parts.append(f"cleanups {sum(cleanups.values())}")
    return ", ".join(parts)


def _lock_item(clients: Clients, table: str, lock_name: str) -> dict[str, Any] | None:
    key = catalog.TABLES[0].hash_key
    item = clients.dynamodb.get_item(TableName=table, Key={key: {"S": lock_name}}, ConsistentRead=True).get("Item")
    if item is None:
        return None
    return {name: next(iter(value.values())) for name, value in item.items()}
