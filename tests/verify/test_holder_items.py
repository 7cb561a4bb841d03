"""``verify`` on the holder-item semaphore (one item per holder, TransactWriteItems).

The machines come from ``HolderItemSemaphore`` (compiled here); each mutant breaks one promise
and must be caught by the rule named for it; the unmutated family verifies clean.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from dsl import Fail, Succeed, Workflow, jsonata
from dsl.integrations import aws_lambda
from semaphore.pattern import Semaphore
from semaphore.pattern_items import HolderItemSemaphore
from semaphore.verify import verify

WORK = "Run Lambda Function With Controlled Concurrency"
Docs = dict[str, dict[str, Any]]


def _family() -> Docs:
    semaphore = HolderItemSemaphore()
    work = aws_lambda.invoke(
        WORK, function="${SF_LambdaARN}", query_language="JSONata", timeout_seconds=90,
        payload=semaphore.unless_redriven("{'ExecutionId': $states.context.Execution.Id}"),
        output=jsonata("$merge([$states.input, {'work': {'payload': $states.result.Payload}}])"))
    failed = Fail("Work Failed", error_path="$.workerror.Error", cause_path="$.workerror.Cause")
    main = Workflow("items", semaphore.hold(work, then=Succeed("Success State"), failed=failed))
    cleanup = semaphore.cleanup_workflow("items-cleanup")
    reconciler = semaphore.reconciler_workflow("items-reconciler")
    rule = semaphore.cleanup_rule(file_name="cleanup-rule.json", machine_arn="${SF_StateMachineSemaphore}",
                                  cleanup_file=cleanup.file_name)
    schedule = Semaphore.schedule_rule(file_name="reconciler-rule.json", schedule="rate(1 minute)",
                                       target_file=reconciler.file_name)
    return {"main": main.to_asl(), "cleanup": cleanup.to_asl(), "reconciler": reconciler.to_asl(),
            "rule": rule.document, "schedule": schedule.document}


FAMILY = _family()
# The work is guarded against a redrive (LockTable.hold): no LOCK-REDRIVE besides a mutant's own.
UNGUARDED_WORK: set[str] = set()


def _rules(docs: Docs) -> set[str]:
    findings = verify(docs["main"], cleanup=docs["cleanup"], rule=docs["rule"], reconciler=docs["reconciler"],
                      schedule=docs["schedule"])
    return {f.rule for f in findings}


def _swap(state: dict[str, Any]) -> None:
    first = state["Choices"][0]["Next"]
    state["Choices"][0]["Next"], state["Default"] = state["Default"], first


def _states(docs: Docs, doc: str = "main") -> dict[str, Any]:
    return docs[doc]["States"]  # type: ignore[no-any-return]


MUTANTS: dict[str, tuple[Callable[[Docs], None], set[str]]] = {
    "work ends without the release": (
        lambda d: _states(d)[WORK].update(Next="Success State"), {"LOCK-RELEASE"}),
    "the holder probe's present branch waits, its absent branch works": (
        lambda d: _swap(_states(d)["Slot Taken?"]), {"LOCK-UNGUARDED"}),
    "a failed acquire goes straight to the work": (
        lambda d: _states(d)["Acquire Slot"]["Catch"][0].update(Next=WORK), {"LOCK-UNGUARDED", "LOCK-RELEASE"}),
    "the release probe's branches swapped": (
        lambda d: _swap(_states(d)["Slot Still Held?"]), {"LOCK-RELEASE"}),
    "a cancelled release is taken as done": (
        lambda d: _states(d)["Release Slot"]["Catch"][0].update(Next="Success State"), {"LOCK-RELEASE"}),
    "the release probe reads eventually consistently": (
        lambda d: _states(d)["Check Slot Released"]["Parameters"].update(ConsistentRead=False),
        {"LOCK-STALE-READ"}),
    "the acquire ignores the limit": (
        lambda d: _states(d)["Acquire Slot"]["Parameters"]["TransactItems"][0]["Update"].pop("ConditionExpression"),
        {"LOCK-LIMIT"}),
    "the cleanup releases the wrong owner": (
        lambda d: _states(d, "cleanup")["Read Owner"]["Parameters"].update({"owner.$": "$.detail.name"}),
        {"LOCK-CLEANUP"}),
    "the cleanup's release probe branches swapped": (
        lambda d: _swap(_states(d, "cleanup")["Slot Still Held?"]), {"LOCK-CLEANUP"}),
}


def test_the_family_verifies_clean() -> None:
    found = verify(FAMILY["main"], cleanup=FAMILY["cleanup"], rule=FAMILY["rule"], reconciler=FAMILY["reconciler"],
                   schedule=FAMILY["schedule"])
    assert found == []


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_each_mutant_is_caught_by_its_rule(name: str) -> None:
    mutate, expected = MUTANTS[name]
    docs = copy.deepcopy(FAMILY)
    mutate(docs)
    assert _rules(docs) == expected | UNGUARDED_WORK, name


def test_the_acquire_and_release_are_recognised_as_a_holder_item_lock() -> None:
    from dsl.graph import build_graph
    from semaphore.verify.lockops import OpKind, recognise

    ops = recognise(build_graph(FAMILY["main"])).ops
    by_name = {op.node.rsplit("/", 1)[-1]: op for op in ops.values()}
    acquire, release = by_name["Acquire Slot"], by_name["Release Slot"]
    assert acquire.kind is OpKind.ACQUIRE and release.kind is OpKind.RELEASE
    assert acquire.lock == release.lock and acquire.lock is not None and acquire.lock.counter == "currentlockcount"
    assert acquire.owner is not None and acquire.owner.where == "item ${SF_TableSemaphore} LockName={owner}"
    probe = by_name["Check Slot Taken"]
    assert probe.kind is OpKind.READ and probe.consistent and probe.owner == acquire.owner
