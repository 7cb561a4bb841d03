"""The holder-item semaphore (``HolderItemSemaphore``): compiled shape, validation, IAM, bounds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dsl import Succeed, Wait, Workflow
from dsl.errors import InvalidField
from dsl.iam import required_permissions
from dsl.jsontext import dumps
from dsl.validate import validate
from semaphore.pattern_items import (
    HISTORY_LIMIT,
    RELEASE_FAILED,
    TRANSACT_WRITE,
    TRANSACTION_CANCELLED,
    WAIT_TIMEOUT,
    HolderItemSemaphore,
)

TABLE_ARN = "arn:${AWS_Partition}:dynamodb:${AWS_Region}:${AWS_AccountId}:table/${SF_TableSemaphore}"


def _main(semaphore: HolderItemSemaphore) -> dict[str, Any]:
    work = Wait("Do Work", seconds=1)
    return Workflow("items", semaphore.acquire() >> work >> semaphore.release(Succeed("Done"))).to_asl()


def _states(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in doc["States"].items():
        yield name, state
        processor = state.get("ItemProcessor")
        if processor:
            yield from _states(processor)


def _all(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(_states(doc))


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[str, Any]]:
    semaphore = HolderItemSemaphore()
    return {"main": _main(semaphore), "cleanup": semaphore.cleanup_workflow("items-cleanup").to_asl(),
            "reconciler": semaphore.reconciler_workflow("items-reconciler").to_asl()}


def test_acquire_is_one_transaction_counter_then_holder(docs: dict[str, dict[str, Any]]) -> None:
    acquire = docs["main"]["States"]["Acquire Slot"]
    assert docs["main"]["StartAt"] == "Acquire Slot" and acquire["Resource"] == TRANSACT_WRITE
    update, put = (item for entry in acquire["Parameters"]["TransactItems"] for item in entry.items())
    assert update[0] == "Update" and put[0] == "Put"
    assert update[1]["Key"] == {"LockName": {"S": "${SF_LockName}"}}
    assert (update[1]["UpdateExpression"], update[1]["ConditionExpression"]) == ("SET #c = #c + :one", "#c < #l")
    assert update[1]["ExpressionAttributeNames"] == {"#c": "currentlockcount", "#l": "locklimit"}
    assert put[1]["ConditionExpression"] == "attribute_not_exists(#k)"
    assert put[1]["Item"]["LockName"] == {"S.$": "States.Format('${SF_LockName}#{}', $$.Execution.Id)"}
    assert put[1]["Item"]["owner"] == {"S.$": "$$.Execution.Id"}
    assert acquire["ResultSelector"] == {"owner.$": "$$.Execution.Id", "redrive.$": "$$.Execution.RedriveCount"}
    assert acquire["ResultPath"] == "$.lock"


def test_acquire_waits_with_jitter_and_probes_before_trying_again(docs: dict[str, dict[str, Any]]) -> None:
    states = docs["main"]["States"]
    [retry] = states["Acquire Slot"]["Retry"]
    assert retry["ErrorEquals"] == [TRANSACTION_CANCELLED] and retry["JitterStrategy"] == "FULL"
    assert retry["MaxDelaySeconds"] == 20 and retry["MaxAttempts"] == 4
    # Every error (an ambiguous one may have committed) goes to a consistent read of the holder item.
    assert states["Acquire Slot"]["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": None,
                                                "Next": "Check Slot Taken"}]
    probe = states["Check Slot Taken"]
    assert probe["Resource"] == "arn:aws:states:::dynamodb:getItem" and probe["Parameters"]["ConsistentRead"] is True
    assert probe["Parameters"]["Key"] == {"LockName": {"S.$": "States.Format('${SF_LockName}#{}', $$.Execution.Id)"}}
    taken = states["Slot Taken?"]
    assert taken["Choices"][0]["Next"] == "Slot Taken" and taken["Default"] == "Wait Rounds Left?"
    assert states["Slot Taken"]["Next"] == "Do Work" and states["Slot Taken"]["ResultPath"] == "$.lock"
    assert states["Wait For Slot"] == {"Type": "Wait", "Comment": states["Wait For Slot"]["Comment"],
                                       "Seconds": 15, "Next": "Acquire Slot"}


def test_long_waits_fail_clearly_before_the_history_limit(docs: dict[str, dict[str, Any]]) -> None:
    semaphore = HolderItemSemaphore()
    states = docs["main"]["States"]
    left = states["Wait Rounds Left?"]
    give_up = left["Choices"][0]
    assert give_up["Next"] == "Wait Rounds Exhausted"
    assert {"Variable": "$.lockwait.rounds", "NumericGreaterThanEquals": semaphore.wait_rounds} in give_up["And"]
    assert states["Wait Rounds Exhausted"]["Error"] == WAIT_TIMEOUT
    # The bound: every round at its most expensive, plus the reserve, stays below 25,000 events.
    assert semaphore.wait_rounds * semaphore.events_per_round + semaphore.history_reserve <= HISTORY_LIMIT
    assert (semaphore.wait_rounds + 1) * semaphore.events_per_round + semaphore.history_reserve > HISTORY_LIMIT
    # More retries per round: fewer rounds.
    assert HolderItemSemaphore(acquire_retries=8).wait_rounds < semaphore.wait_rounds


def test_release_is_one_transaction_and_bounded(docs: dict[str, dict[str, Any]]) -> None:
    states = docs["main"]["States"]
    release = states["Release Slot"]
    (delete_kind, delete), (update_kind, update) = (
        next(iter(entry.items())) for entry in release["Parameters"]["TransactItems"])
    assert (delete_kind, update_kind) == ("Delete", "Update")
    assert delete["Key"] == {"LockName": {"S.$": "States.Format('${SF_LockName}#{}', $.lock.owner)"}}
    assert delete["ConditionExpression"] == "attribute_exists(#k)"
    assert (update["UpdateExpression"], update["ConditionExpression"]) == ("SET #c = #c - :one", "#c > :zero")
    assert release["Retry"][0] == {"ErrorEquals": [TRANSACTION_CANCELLED], "MaxAttempts": 0}
    assert release["Catch"][0]["Next"] == "Check Slot Released" and release["Next"] == "Done"
    still = states["Slot Still Held?"]
    assert still["Choices"][0]["Next"] == "Release Rounds Left?" and still["Default"] == "Done"
    assert states["Release Rounds Exhausted"]["Error"] == RELEASE_FAILED
    assert states["Wait Before Release"]["Next"] == "Release Slot"


def test_cleanup_waits_for_stopped_work_then_releases_the_event_owner(docs: dict[str, dict[str, Any]]) -> None:
    states = docs["cleanup"]["States"]
    assert states["Read Owner"]["Parameters"] == {"owner.$": "$.detail.executionArn"}
    stopped = states["Stopped or Timed Out?"]
    assert stopped["Choices"][0]["Next"] == "Wait For Work To End" and stopped["Default"] == "Release Slot"
    assert states["Wait For Work To End"]["Seconds"] == 90


def test_reconciler_scans_this_locks_holders_one_page_per_execution(docs: dict[str, dict[str, Any]]) -> None:
    doc = docs["reconciler"]
    states = _all(doc)
    scan = states["List Holders"]
    assert scan["Resource"] == "arn:aws:states:::aws-sdk:dynamodb:scan"
    parameters = scan["Parameters"]
    assert parameters["ConsistentRead"] is True and parameters["Limit"] == 200
    assert parameters["FilterExpression"] == "begins_with(#k, :prefix)"
    assert parameters["ExpressionAttributeValues"] == {":prefix": {"S": "${SF_LockName}#"}}
    assert states["List More Holders"]["Parameters"]["ExclusiveStartKey.$"] == "$.next"
    carry_on = states["Continue In New Execution"]
    assert carry_on["Parameters"] == {"StateMachineArn.$": "$$.StateMachine.Id",
                                      "Input": {"next.$": "$.page.LastEvaluatedKey"}}
    running = states["Holder Running?"]
    assert running["Choices"][0] == {"Variable": "$.lock.status", "StringEquals": "RUNNING", "Next": "Holder Checked"}
    assert "Release Slot For Holder" in states


def test_every_workflow_validates_clean(docs: dict[str, dict[str, Any]]) -> None:
    for name, doc in docs.items():
        assert validate(doc) == [], name


def test_iam_grants_exactly_the_item_operations(docs: dict[str, dict[str, Any]]) -> None:
    def grants(doc: dict[str, Any]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for permissions in required_permissions(doc):
            for grant in permissions.grants:
                for action in grant.actions:
                    found.setdefault(action, set()).update(grant.resources)
        return found

    main = grants(docs["main"])
    assert set(main) == {"dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem"}
    assert all(resources == {TABLE_ARN} for resources in main.values())
    reconciler = grants(docs["reconciler"])
    assert {"dynamodb:Scan", "states:DescribeExecution", "states:StartExecution"} <= set(reconciler)
    assert reconciler["dynamodb:Scan"] == {TABLE_ARN}


def test_layout_and_determinism() -> None:
    semaphore = HolderItemSemaphore(lock_name="batch")
    assert semaphore.lock_item(5) == {"LockName": {"S": "batch"}, "locklimit": {"N": "5"},
                                      "currentlockcount": {"N": "0"}}
    arn = "arn:aws:states:us-east-1:123456789012:execution:m:e"
    assert semaphore.holder_item(arn, "2026-01-01T00:00:00Z") == {
        "LockName": {"S": f"batch#{arn}"}, "owner": {"S": arn}, "since": {"S": "2026-01-01T00:00:00Z"}}
    assert dumps(_main(semaphore)) == dumps(_main(HolderItemSemaphore(lock_name="batch")))


@pytest.mark.parametrize("options, message", [
    ({"poll_seconds": 0}, "poll_seconds=0: expected a whole number >= 1"),
    ({"acquire_retries": -1}, "acquire_retries=-1: expected a whole number >= 0"),
    ({"reconcile_page": True}, "reconcile_page=True"),
    ({"history_reserve": HISTORY_LIMIT}, "none fits in 25,000"),
    ({"lock_name": "it's"}, "expected no { } ' or \\"),
])
def test_bad_options_are_refused_with_a_code(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidField) as refused:
        HolderItemSemaphore(**options)
    assert refused.value.code == "DSL012" and message in str(refused.value)


def _benchmark() -> Any:
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "lock_layout.py"
    spec = importlib.util.spec_from_file_location("lock_layout", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lock_layout"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_benchmark_sizes_items_by_the_documented_rules() -> None:
    bench = _benchmark()
    # name + UTF-8 bytes; name + 1 byte per two significant digits + 1; lists and maps 3 + 1 per element.
    assert bench.item_size({"ab": {"S": "héllo"}}) == 2 + 6
    assert bench.item_size({"n": {"N": "12345"}, "z": {"N": "0.0100"}}) == (1 + 3 + 1) + (1 + 1 + 1)
    assert bench.item_size({"m": {"M": {"k": {"S": "v"}}}, "l": {"L": [{"BOOL": True}]}}) == (1 + 3 + 1 + 2) + (1 + 3 + 1 + 1)
    assert bench.write_units({"s": {"S": "x" * 1500}}, None, transactional=True) == 4
    assert bench.write_units(None, {"s": {"S": "x"}}, transactional=False) == 1


def test_benchmark_measures_both_layouts(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    bench = _benchmark()
    assert bench.main(["--limits", "5,3000", "--json", str(tmp_path / "b.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "lock_layout: acquire+release write units at limits 5/3000: single 2/no-fit, items 8/8"
    results = {(r["layout"], r["limit"]): r for r in json.loads((tmp_path / "b.json").read_text())["results"]}
    assert results[("single item", 3000)]["fits"] is False and results[("single item", 3000)]["total"] is None
    assert results[("single item", 3000)]["largest_item_bytes"] > 400 * 1024
    assert results[("holder items", 3000)]["acquire_units"] == 4 and results[("holder items", 3000)]["release_units"] == 4
