"""Small helpers for tests that run state machines on the local engine's real ASL executor."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from local.server import LocalServer
from semaphore.local_run.report import Report

ROLE_ARN = "arn:aws:iam::123456789012:role/local-test"


@contextlib.contextmanager
def installed(*shims: Any) -> Iterator[None]:
    """Install ``shims`` for the duration of a test (the server itself runs without shims)."""
    undos = [shim.install() for shim in shims]
    try:
        yield
    finally:
        for undo in reversed(undos):
            undo()


def create_machine(server: LocalServer, definition: dict[str, Any], name: str | None = None) -> str:
    """Create a state machine from ``definition``; returns its ARN."""
    sfn = server.client("stepfunctions")
    return str(sfn.create_state_machine(name=name or f"m-{uuid.uuid4().hex[:8]}",
                                        definition=json.dumps(definition), roleArn=ROLE_ARN)["stateMachineArn"])


def start(server: LocalServer, machine_arn: str, document: Any = None, name: str | None = None) -> str:
    """Start an execution; returns its ARN."""
    kwargs: dict[str, Any] = {"stateMachineArn": machine_arn, "input": json.dumps(document or {})}
    if name:
        kwargs["name"] = name
    return str(server.client("stepfunctions").start_execution(**kwargs)["executionArn"])


def wait(server: LocalServer, execution_arn: str, timeout: float = 30.0) -> dict[str, Any]:
    """Wait until the execution ends; returns DescribeExecution."""
    sfn = server.client("stepfunctions")
    deadline = time.time() + timeout
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING" or time.time() > deadline:
            return described
        time.sleep(0.05)


def run(server: LocalServer, definition: dict[str, Any], document: Any = None, timeout: float = 30.0) -> dict[str, Any]:
    """Create a machine, run it once, return DescribeExecution of the ended execution."""
    return wait(server, start(server, create_machine(server, definition), document), timeout)


def history(server: LocalServer, execution_arn: str) -> list[dict[str, Any]]:
    """The execution's history events."""
    sfn = server.client("stepfunctions")
    return [e for page in sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
            for e in page["events"]]


def create_lock_table(server: LocalServer, name: str) -> None:
    """A table keyed like the semaphore's (LockName, string)."""
    server.client("dynamodb").create_table(
        TableName=name, KeySchema=[{"AttributeName": "LockName", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockName", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")


def assert_promises_kept(report: Report, executions: int, limit: int, *, cleaned_by_events: bool = True) -> None:
    """The semaphore's promises: never more than ``limit`` held (ledger and sampled item) or
    working (worker log), no work without a held slot, zero leaked slots, every execution
    accounted for; with ``cleaned_by_events``, every execution that ended badly was cleaned up."""
    assert report.problems == [], report.problems
    assert report.peak_holders <= limit and report.peak_holders_sampled <= limit
    assert report.peak_workers <= limit and report.workers_source == "worker"
    assert report.work_outside_slot == 0
    assert report.leaked == [] and report.lock_item_numbers.get("currentlockcount", 0) == 0
    assert sum(report.by_status.values()) == executions and report.unaccounted == []
    if cleaned_by_events:
        ended_badly = sum(n for status, n in report.by_status.items() if status != "SUCCEEDED")
        assert report.cleanups_by_status.get("SUCCEEDED", 0) >= ended_badly
    assert report.exit_code == 0
