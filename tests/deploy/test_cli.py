"""``deploy.py`` end to end against moto: dry run, deploy, destroy, run the test."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from deployer import Clients, deploy
from deployer.cli import main
from deployer.runtest import LockState, print_report, run_test

from .conftest import ACCOUNT, REGION, CallLog
from .test_deploy import HOLDER, hold_and_queue

TEST_MACHINE = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:CC-Test-Run100Executions"
SEMAPHORE = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:CC-ConcurrencyControlledStateMachine"


def run(argv: list[str], clients: Clients, config: Any) -> tuple[int, list[str]]:
    buffer = io.StringIO()
    status = main(argv, defaults=config, make_clients=lambda **_: clients,
                  console=Console(file=buffer, width=300, highlight=False))
    return status, buffer.getvalue().splitlines()


def test_dry_run_prints_the_plan_and_writes_nothing(clients: Clients, make_config: Any, call_log: CallLog) -> None:
    status, lines = run(["--dry-run"], clients, make_config())

    assert status == 0
    assert call_log.writes == []
    assert lines[0] == f"Plan prefix 'CC' in {REGION}, account {ACCOUNT}:"
    planned = [line.split() for line in lines if line.startswith("  ")]
    assert len(planned) == 20 and {p[0] for p in planned} == {"create"}
    assert ["create", "state", "machine", "CC-ConcurrencyControlledStateMachine"] in planned
    assert ["create", "lock", "item", "CC-locktable"] in planned
    assert lines[1] == "lock 'MySemaphore', limit 5 (at most 157); 169 executions can queue in the lock item"
    assert lines[-1] == "Plan: 20 to create, 0 to update, 0 to delete, 0 unchanged. Nothing was changed (--dry-run)."


def test_deploy_then_dry_run_then_destroy(clients: Clients, make_config: Any, call_log: CallLog) -> None:
    status, lines = run(["--limit", "3"], clients, make_config())
    assert status == 0
    assert lines[-2] == "Done: 20 created, 0 updated, 0 deleted, 0 unchanged."
    assert lines[-1] == f"test state machine: {TEST_MACHINE}"

    call_log.clear()
    status, lines = run(["--dry-run", "--limit", "4"], clients, make_config())
    assert status == 0 and call_log.writes == []
    changed = [line.split() for line in lines if line.startswith("  ") and "unchanged" not in line]
    # The limit lives in the lock item: no state machine changes.
    assert changed == [["update", "lock", "item", "CC-locktable", "(limit)"]]
    assert lines[-1] == "Plan: 0 to create, 1 to update, 0 to delete, 19 unchanged. Nothing was changed (--dry-run)."

    status, lines = run(["--destroy"], clients, make_config())
    assert status == 0 and lines[-1] == "Done: 20 deleted, 0 already absent."
    status, lines = run(["--destroy"], clients, make_config())
    assert status == 0 and lines[-1] == "Done: 0 deleted, 20 already absent."


def test_an_aws_failure_is_one_line_and_exit_1(clients: Clients, make_config: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    clients.logs.create_log_group(logGroupName="/aws/lambda/CC-LambdaDoWorkFunction")  # someone else's
    status, _ = run([], clients, make_config())
    errors = [line for line in capsys.readouterr().err.splitlines() if "warning" not in line]
    assert status == 1
    assert errors == [("deploy.py: error: DEPLOY-AWS log group /aws/lambda/CC-LambdaDoWorkFunction exists but is "
                       "not tagged NamePrefix=CC: it was not created by deploy.py for this prefix; refusing to change "
                       "or delete it")]


def test_run_test_watches_the_children_and_reports_the_lock(clients: Clients, make_config: Any) -> None:
    """Without moto's executor the executions stay RUNNING until stopped: the test plays the workflow's part."""
    result = deploy(make_config(), clients)
    hold_and_queue(clients)  # a holder that leaked, and an execution queued behind it
    queued = HOLDER.replace(":holder", ":waiter")
    children: list[str] = []
    polls: list[float] = []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 1:  # the test machine starts three children
            children.extend(clients.sfn.start_execution(stateMachineArn=SEMAPHORE)["executionArn"] for _ in range(3))
        elif len(polls) == 2:  # two of them are stopped, then the test execution and the last child
            for arn in children[:2]:
                clients.sfn.stop_execution(executionArn=arn)
        elif len(polls) == 3:
            test_execution = clients.sfn.list_executions(stateMachineArn=TEST_MACHINE)["executions"][0]
            clients.sfn.stop_execution(executionArn=test_execution["executionArn"])
            clients.sfn.stop_execution(executionArn=children[2])

    output = io.StringIO()
    console = Console(file=output, width=200, highlight=False)
    report = run_test(clients, result, lock_name="MySemaphore", console=console, poll_seconds=0.5, sleep=sleep)
    print_report(report, console, lock_name="MySemaphore")

    assert polls == [0.5, 0.5, 0.5]
    assert report.status == "ABORTED"
    assert report.children == {"ABORTED": 3}
    assert (report.cleanups, report.reconciles) == ({}, {})
    assert report.lock == LockState(limit=5, count=1, holders={HOLDER: "2024-01-01T00:00:00.000Z"}, waiters=(queued,))
    text = output.getvalue()
    assert "children by status: aborted 3, cleanups 0, reconciler runs 0" in text
    assert "lock item 'MySemaphore': limit=5, count=1, holders=1, waiters=1" in text
    assert f"holder {HOLDER} since 2024-01-01T00:00:00.000Z" in text and f"waiter {queued}" in text
