"""End-to-end runs of the holder-item semaphore (``HolderItemSemaphore``) on the local engine.

moto's real ASL executor runs the compiled machines; DynamoDB's TransactWriteItems is moto's
(serialised like every other request by the atomicity shim). The holder ledger is the
gateway's, fed with this layout's holders (items keyed ``<lock>#<execution ARN>``) and
checking after every write that the counter equals the number of holder items. Clock x0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from localengine_helpers import create_lock_table, create_machine, start, wait

from deployer.templates import substitute
from dsl import Succeed, Wait, Workflow
from local.dynamodb_gateway import DynamoFault, HolderLedger
from local.server import LocalServer, local_server
from semaphore.pattern_items import HolderItemSemaphore

TABLE, LOCK, LIMIT, EXECUTIONS = "items-locks", "batch", 2, 8
SEMAPHORE = HolderItemSemaphore(poll_seconds=1, retry_interval_seconds=1, retry_max_delay_seconds=2,
                                acquire_retries=2, stop_grace_seconds=1)
VALUES = {"SF_TableSemaphore": TABLE, "SF_LockName": LOCK}


@pytest.fixture(scope="module")
def engine() -> Iterator[LocalServer]:
    with local_server(time_scale=0.1) as running:
        create_lock_table(running, TABLE)
        yield running


def _deployable(workflow: Workflow) -> dict[str, Any]:
    return substitute(workflow.to_asl(), VALUES)  # type: ignore[no-any-return]


def _machines(engine: LocalServer, work_seconds: int) -> dict[str, str]:
    work = Wait("Do Work", seconds=work_seconds, comment="The work: 0.1 s per second on this clock.")
    main = Workflow("holder-items", SEMAPHORE.acquire() >> work >> SEMAPHORE.release(Succeed("Done")))
    return {"main": create_machine(engine, _deployable(main)),
            "cleanup": create_machine(engine, _deployable(SEMAPHORE.cleanup_workflow("holder-items-cleanup"))),
            "reconciler": create_machine(engine, _deployable(SEMAPHORE.reconciler_workflow("holder-items-rec")))}


def _reset_lock(engine: LocalServer) -> None:
    dynamodb = engine.client("dynamodb")
    for item in dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]:
        dynamodb.delete_item(TableName=TABLE, Key={"LockName": item["LockName"]})
    lock_item = substitute(SEMAPHORE.lock_item(LIMIT), VALUES)
    dynamodb.put_item(TableName=TABLE, Item=lock_item)


class _Ledger:
    """Holders of this layout after every write, and every write that left counter != holders."""

    def __init__(self, engine: LocalServer) -> None:
        self.mismatches: list[tuple[int, int]] = []
        self.ledger: HolderLedger = engine.dynamodb.watch(TABLE, holders_of=self._holders)

    def _holders(self, items: Iterable[Any]) -> set[str]:
        holders: set[str] = set()
        count = 0
        for item in items:
            key = item.hash_key.value
            if key == LOCK:
                count = int(item.attrs["currentlockcount"].value)
            elif key.startswith(SEMAPHORE.holder_prefix.replace("${SF_LockName}", LOCK)):
                holders.add(item.attrs["owner"].value)
        if count != len(holders):
            self.mismatches.append((count, len(holders)))
        return holders


def _table(engine: LocalServer) -> tuple[int, list[str]]:
    items = engine.client("dynamodb").scan(TableName=TABLE, ConsistentRead=True)["Items"]
    count = next(int(i["currentlockcount"]["N"]) for i in items if i["LockName"]["S"] == LOCK)
    return count, sorted(i["LockName"]["S"] for i in items if i["LockName"]["S"] != LOCK)


def _start_all(engine: LocalServer, machine: str, n: int) -> list[str]:
    arns: list[str] = []
    threads = [threading.Thread(target=lambda: arns.append(start(engine, machine))) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return arns


def test_eight_executions_limit_two_and_an_acquire_that_commits_then_errors(engine: LocalServer) -> None:
    machines = _machines(engine, work_seconds=3)
    _reset_lock(engine)
    watch = _Ledger(engine)
    fault = engine.dynamodb.add_fault(DynamoFault(error="InternalServerError", state="Acquire Slot",
                                                  calls=frozenset({1}), after_commit=True))
    try:
        arns = _start_all(engine, machines["main"], EXECUTIONS)
        ended = [wait(engine, arn, timeout=90) for arn in arns]
    finally:
        engine.dynamodb.clear_faults()
    assert [e["status"] for e in ended] == ["SUCCEEDED"] * EXECUTIONS, [e.get("error") for e in ended]
    assert fault.injected == 1
    # Every execution held a slot exactly once, never more than LIMIT at once, nothing left.
    ledger = watch.ledger
    assert sorted(i.holder for i in ledger.intervals) == sorted(arns)
    assert ledger.peak == LIMIT and ledger.current == {}
    assert watch.mismatches == []
    assert _table(engine) == (0, [])
    # The execution whose acquire committed and then failed found its slot by the probe.
    recovered = [e for e in ended if "Slot Taken" in _visited(engine, e["executionArn"])]
    assert len(recovered) == 1


def _visited(engine: LocalServer, arn: str) -> set[str]:
    sfn = engine.client("stepfunctions")
    events = [e for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
              for e in page["events"]]
    return {e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e}


def _stopped_holders(engine: LocalServer, machine: str, n: int) -> list[str]:
    """Start ``n`` executions, wait until all hold, stop them (their slots leak)."""
    arns = _start_all(engine, machine, n)
    sfn = engine.client("stepfunctions")
    for arn in arns:
        for _ in range(600):  # up to 30 s on a loaded machine
            if "Do Work" in _visited(engine, arn):
                break
            threading.Event().wait(0.05)
        sfn.stop_execution(executionArn=arn)
    return arns


def test_cleanup_releases_once_and_reconciler_releases_what_events_missed(engine: LocalServer) -> None:
    machines = _machines(engine, work_seconds=600)
    _reset_lock(engine)
    stopped = _stopped_holders(engine, machines["main"], LIMIT)
    assert _table(engine)[0] == LIMIT
    event = {"detail": {"executionArn": stopped[0], "status": "ABORTED"}}
    # The status-change event for the first, delivered twice: the second finds nothing to release.
    for _ in range(2):
        assert wait(engine, start(engine, machines["cleanup"], event), timeout=30)["status"] == "SUCCEEDED"
    count, holders = _table(engine)
    assert count == 1 and holders == [f"{LOCK}#{stopped[1]}"]
    # The second's event was lost: the reconciler finds its holder item and releases it.
    ran = wait(engine, start(engine, machines["reconciler"], {}), timeout=30)
    assert ran["status"] == "SUCCEEDED", ran
    assert _table(engine) == (0, [])


def test_reconciler_leaves_running_holders_and_pages_through_many_items(engine: LocalServer) -> None:
    small = HolderItemSemaphore(reconcile_page=3, stop_grace_seconds=1)
    reconciler = create_machine(engine, _deployable(small.reconciler_workflow("holder-items-rec-paged")))
    machines = _machines(engine, work_seconds=600)
    _reset_lock(engine)
    running = _start_all(engine, machines["main"], LIMIT)
    dynamodb = engine.client("dynamodb")
    # Leaked holders of executions that no longer exist in a RUNNING state: stopped ones.
    dynamodb.update_item(TableName=TABLE, Key={"LockName": {"S": LOCK}}, UpdateExpression="SET locklimit = :l",
                         ExpressionAttributeValues={":l": {"N": "10"}})
    stopped = _stopped_holders(engine, machines["main"], 5)
    for _ in range(600):
        if _table(engine)[0] == LIMIT + 5:
            break
        threading.Event().wait(0.05)
    first = start(engine, reconciler, {})
    assert wait(engine, first, timeout=60)["status"] == "SUCCEEDED"
    sfn = engine.client("stepfunctions")
    for _ in range(1200):  # the continuation executions finish the pages (up to 60 s)
        runs = sfn.list_executions(stateMachineArn=reconciler)["executions"]
        if len(runs) > 1 and all(r["status"] != "RUNNING" for r in runs) and _table(engine)[0] == LIMIT:
            break
        threading.Event().wait(0.05)
    runs = sfn.list_executions(stateMachineArn=reconciler)["executions"]
    assert len(runs) >= 3 and {r["status"] for r in runs} == {"SUCCEEDED"}
    count, holders = _table(engine)
    assert count == LIMIT and holders == sorted(f"{LOCK}#{arn}" for arn in running)
    assert not set(holders) & {f"{LOCK}#{arn}" for arn in stopped}
    for arn in running:
        sfn.stop_execution(executionArn=arn)
