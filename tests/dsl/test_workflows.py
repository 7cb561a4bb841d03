"""The workflows: structure and every behaviour-relevant field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dsl.build import compile_workflow_files

# The originals' placeholders except the limit, which lives in the lock item (deploy sets it).
PLACEHOLDERS = {"${SF_TableSemaphore}", "${SF_LockName}", "${SF_LambdaARN}", "${SF_StateMachineSemaphore}"}
WORKER = "Run Lambda Function With Controlled Concurrency"
CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException"
# The owner holds a slot: it has an entry and is not queued.
HOLDS = "attribute_exists(#o.#me) AND NOT contains(#w, :me)"
# The release chain: one copy per way out (the success path, the failure path, the cleanup, the reconciler).
RELEASE_CHAIN = ("Release Lock", "Wake Next Waiter", "Check Next Waiter", "Next Waiter Running?", "Free Slot",
                 "Check Lock Still Held")
HOLDING_STATES = {"Acquire Lock", "Wait for Lock", "Acquire Lock Again", "Wait for Lock Again", "Check Lock Granted"}


@pytest.fixture(scope="module")
def docs() -> dict[str, Any]:
    return compile_workflow_files(Path(__file__).resolve().parents[2] / "definitions")


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def _targets(state: dict[str, Any]) -> set[str]:
    """Every state ``state`` can go to next."""
    found = {state[key] for key in ("Next", "Default") if key in state}
    return found | {c["Next"] for c in state.get("Choices", []) + state.get("Catch", [])}


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every transition target in ``names`` replaced."""
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: names.get(v, v) if k in ("Next", "Default") and isinstance(v, str) else _renamed(v, names)
            for k, v in value.items()}


def _assert_release_copy(states: dict[str, Any], main: dict[str, Any], suffix: str, exit_state: str) -> None:
    """``states`` hold the ``main`` machine's release chain, named with ``suffix`` and every way out to ``exit_state``."""
    names = {name: name + suffix for name in RELEASE_CHAIN} | {"Success State": exit_state}
    for name in RELEASE_CHAIN:
        assert states[name + suffix] == _renamed(main[name], names), name + suffix


def test_file_names_are_the_originals_plus_the_reconciler(docs: dict[str, Any]) -> None:
    assert set(docs) == {"dynamodb-semaphore.asl.json",
                         "dynamodb-semaphore-cleanfromincomplete.asl.json",
                         "test-run-semaphore.asl.json", "cleanup-rule.json",
                         "dynamodb-semaphore-reconciler.asl.json", "reconciler-rule.json"}


def test_placeholders_are_the_originals_but_the_limit(docs: dict[str, Any]) -> None:
    used = {s for doc in docs.values() for s in _strings(doc) if s.startswith("${")}
    assert used == PLACEHOLDERS
    # Not even inside a longer string: the limit is read from the item by every condition.
    assert "ConcurrentAccessLimit" not in json.dumps(docs)


def test_acquire_tests_the_items_limit_and_never_creates_the_item(docs: dict[str, Any]) -> None:
    machine = docs["dynamodb-semaphore.asl.json"]
    states = machine["States"]
    assert machine["StartAt"] == "Acquire Lock"
    for name, park in (("Acquire Lock", "Wait for Lock"), ("Acquire Lock Again", "Wait for Lock Again")):
        acquire = states[name]
        params = acquire["Parameters"]
        assert acquire["Resource"] == "arn:aws:states:::dynamodb:updateItem"
        assert params["ConditionExpression"] == ("#c < #l AND size(#w) = :zero AND "
                                                 "attribute_not_exists(#o.#me)")
        assert params["ExpressionAttributeNames"]["#c"] == "currentlockcount"
        assert params["ExpressionAttributeNames"]["#l"] == "locklimit"
        assert params["ExpressionAttributeNames"]["#me.$"] == "$$.Execution.Id"
        # Count and owner only: no if_not_exists, so a missing item is never created here.
        assert params["UpdateExpression"] == "SET #c = #c + :one, #o.#me = :since"
        assert set(params["ExpressionAttributeValues"]) == {":one", ":zero", ":since"}
        # No retry budget burnt on contention; a refusal parks, anything else checks ownership.
        assert "Retry" not in acquire
        assert [(c["ErrorEquals"], c["Next"]) for c in acquire["Catch"]] == [
            ([CONDITION_FAILED], park), (["States.ALL"], "Check Lock Granted")]
    # No state creates or initialises the lock item, and none depends on how its absence is named.
    text = json.dumps(machine)
    assert "if_not_exists" not in text and "putItem" not in text
    assert "AmazonDynamoDBException" not in text and "ValidationException" not in text
    # A missing item is noticed by a consistent read and waited for.
    item = states["Check Lock Item"]
    assert item["Resource"] == "arn:aws:states:::dynamodb:getItem"
    assert item["Parameters"]["ConsistentRead"] is True and item["Next"] == "Lock Item Exists?"
    assert states["Lock Item Exists?"]["Choices"] == [
        {"Variable": "$.lockitem.Item", "IsPresent": True, "Next": "Wait Before Retry"}]
    assert states["Wait Before Retry"]["Next"] == "Keep Trying?" and states["Wait Before Retry"]["Seconds"] > 0
    assert states["Lock Item Exists?"]["Default"] == "Wait For Lock Item"
    assert states["Wait For Lock Item"]["Next"] == "Keep Trying?"
    assert states["Keep Trying?"]["Choices"] == [
        {"Variable": "$.lock.events", "NumericLessThan": 24000, "Next": "Acquire Lock"}]
    assert states["Keep Trying?"]["Default"] == "Lock Wait Too Long"


def test_a_refused_acquire_parks_with_its_task_token_and_bounded(docs: dict[str, Any]) -> None:
    states = docs["dynamodb-semaphore.asl.json"]["States"]
    for name, refused in (("Wait for Lock", "Acquire Lock Again"), ("Wait for Lock Again", None)):
        park = states[name]
        params = park["Parameters"]
        assert park["Resource"] == "arn:aws:states:::aws-sdk:dynamodb:updateItem.waitForTaskToken"
        # Exactly the acquire's refusal (full, or others queued first), decided in the same write as the queueing.
        assert params["ConditionExpression"] == "(#c >= #l OR size(#w) > :zero) AND attribute_not_exists(#o.#me)"
        assert params["UpdateExpression"] == ("SET #o.#me = :since, #w = list_append(#w, :queued), "
                                              "#t = list_append(#t, :token)")
        assert params["ExpressionAttributeValues"][":queued"] == {"L": [{"S.$": "$$.Execution.Id"}]}
        assert params["ExpressionAttributeValues"][":token"] == {"L": [{"S.$": "$$.Task.Token"}]}
        assert 0 < park["TimeoutSeconds"] <= 3600
        catches = [(c["ErrorEquals"], c["Next"]) for c in park["Catch"]]
        # The aws-sdk integration names the error DynamoDb.*, not DynamoDB.*.
        expected = [(["DynamoDb.ConditionalCheckFailedException"], refused)] if refused else []
        assert catches == expected + [(["States.ALL"], "Check Lock Granted")]


def test_already_mine_is_decided_by_dynamodb_not_by_matching_z(docs: dict[str, Any]) -> None:
    machine = docs["dynamodb-semaphore.asl.json"]
    states = machine["States"]
    assert "*Z*" not in json.dumps(machine) and "StringMatches" not in json.dumps(machine)
    granted = states["Check Lock Granted"]
    assert granted["Parameters"]["UpdateExpression"] == "SET #o.#me = #o.#me"
    assert granted["Parameters"]["ConditionExpression"] == HOLDS
    assert granted["Parameters"]["ExpressionAttributeValues"] == {":me": {"S.$": "$$.Execution.Id"}}
    assert granted["Next"] == WORKER
    assert [(c["ErrorEquals"], c["Next"]) for c in granted["Catch"]] == [([CONDITION_FAILED], "Check Still Queued")]
    queued = states["Check Still Queued"]
    assert queued["Parameters"]["ConditionExpression"] == "attribute_exists(#o.#me)"
    assert queued["Next"] == "Wait While Queued"
    assert [(c["ErrorEquals"], c["Next"]) for c in queued["Catch"]] == [([CONDITION_FAILED], "Check Lock Item")]
    poll = states["Wait While Queued"]
    assert poll["Seconds"] == 15 and poll["Next"] == "Keep Waiting?" and poll["QueryLanguage"] == "JSONata"
    assert states["Keep Waiting?"]["Choices"] == [
        {"Variable": "$.lock.events", "NumericLessThan": 24000, "Next": "Check Lock Granted"}]
    # Only a write that DynamoDB applied for this execution leads to the work, and each
    # records the owner the release will free.
    into_work = {name for name, state in states.items() if WORKER in _targets(state)}
    assert into_work == HOLDING_STATES
    for name in into_work:
        assert states[name]["Next"] == WORKER
        assert WORKER not in {c["Next"] for c in states[name].get("Catch", [])}
        assert states[name]["ResultSelector"] == {"owner.$": "$$.Execution.Id",
                                                  "redrive.$": "$$.Execution.RedriveCount"}
        assert states[name]["ResultPath"] == "$.lock"


def test_release_and_cleanup_release_exactly_their_owner(docs: dict[str, Any]) -> None:
    states = docs["dynamodb-semaphore.asl.json"]["States"]
    cleanup = docs["dynamodb-semaphore-cleanfromincomplete.asl.json"]["States"]
    release = states["Release Lock"]
    params = release["Parameters"]
    assert params["ExpressionAttributeNames"]["#me.$"] == "$.lock.owner"
    assert params["ExpressionAttributeValues"][":me"] == {"S.$": "$.lock.owner"}
    # The hand-over: the owner and the queue's head go in one write, the count stays.
    assert params["UpdateExpression"] == "REMOVE #o.#me, #w[0], #t[0]"
    assert params["ConditionExpression"] == f"{HOLDS} AND size(#w) > :zero AND #c <= #l"
    free = states["Free Slot"]["Parameters"]
    assert free["UpdateExpression"] == "SET #c = #c - :one REMOVE #o.#me"
    assert free["ConditionExpression"] == f"{HOLDS} AND (size(#w) = :zero OR #c > #l)"
    assert free["ExpressionAttributeNames"]["#me.$"] == "$.lock.owner"
    held = states["Check Lock Still Held"]
    assert held["Parameters"]["ConditionExpression"] == HOLDS and held["Next"] == "Release Lock"
    for name, after in (("Release Lock", "Free Slot"), ("Free Slot", "Check Lock Still Held"),
                        ("Check Lock Still Held", "Success State")):
        assert states[name]["Retry"][0] == {"ErrorEquals": [CONDITION_FAILED], "MaxAttempts": 0}
        assert states[name]["Retry"][1]["JitterStrategy"] == "FULL"
        assert states[name]["Catch"] == [{"ErrorEquals": [CONDITION_FAILED], "ResultPath": None, "Next": after}]
    # Where $.lock.owner comes from: this execution's id when it took a slot, or the waiter it
    # handed its slot to when that waiter has ended (released on its behalf).
    writers = {name: state.get("ResultSelector", {}).get("owner.$") for name, state in states.items()
               if state.get("ResultPath") == "$.lock"}
    assert writers == {**{name: "$$.Execution.Id" for name in HOLDING_STATES},
                       "Check Next Waiter": "$.ExecutionArn", "Check Next Waiter After Failure": "$.ExecutionArn"}
    assert states["Check Next Waiter"]["Parameters"] == {"ExecutionArn.$": "$.successor.owner"}
    # The cleanup releases the execution named by the event, with the very same chain.
    assert cleanup["Read Owner"]["Type"] == "Pass"
    assert cleanup["Read Owner"]["Parameters"] == {"owner.$": "$.detail.executionArn"}
    assert cleanup["Read Owner"]["ResultPath"] == "$.lock"
    assert not any(s.get("ResultPath") == "$.lock" for n, s in cleanup.items()
                   if n not in ("Read Owner", "Check Next Waiter"))
    _assert_release_copy(cleanup, states, "", "Success State")


def test_a_release_wakes_the_waiter_it_handed_its_slot_to(docs: dict[str, Any]) -> None:
    states = docs["dynamodb-semaphore.asl.json"]["States"]
    assert states["Release Lock"]["ResultSelector"] == {"owner.$": "$.Attributes.lockwaiters.L[0].S",
                                                        "token.$": "$.Attributes.waitertokens.L[0].S"}
    assert states["Release Lock"]["Next"] == "Wake Next Waiter"
    wake = states["Wake Next Waiter"]
    assert wake["Resource"] == "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess"
    assert wake["Parameters"]["TaskToken.$"] == "$.successor.token"
    # A token that is gone is not retried: the waiter is checked instead.
    # A refused token is tried a few more times (a park may not have registered it yet), then the
    # waiter is checked: the retry is bounded.
    assert "Sfn.TaskTimedOutException" in wake["Retry"][0]["ErrorEquals"]
    assert 1 <= wake["Retry"][0]["MaxAttempts"] <= 3 and "JitterStrategy" not in wake["Retry"][0]
    assert wake["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": None, "Next": "Check Next Waiter"}]
    running = states["Next Waiter Running?"]
    assert running["Choices"] == [{"Variable": "$.lock.status", "StringEquals": "RUNNING", "Next": "Success State"}]
    assert running["Default"] == "Release Lock"


def test_work_runs_the_lambda_with_service_retries(docs: dict[str, Any]) -> None:
    states = docs["dynamodb-semaphore.asl.json"]["States"]
    assert "Do Work" not in states and all(s["Type"] != "Parallel" for s in states.values())
    task = states[WORKER]
    assert task["Resource"] == "arn:aws:states:::lambda:invoke" and task["QueryLanguage"] == "JSONata"
    assert task["Arguments"]["FunctionName"] == "${SF_LambdaARN}"
    # A redriven execution's Arguments fail before the Lambda runs (it acquires again first).
    assert task["Arguments"]["Payload"].startswith(
        "{% $states.context.Execution.RedriveCount > $states.input.lock.redrive ? $error(")
    # Its result goes beside $.lock, which the release reads.
    assert task["Output"] == "{% $merge([$states.input, {'work': {'payload': $states.result.Payload}}]) %}"
    assert task["TimeoutSeconds"] == 90
    retried = {e for r in task["Retry"] for e in r["ErrorEquals"]}
    assert retried and all(e.startswith("Lambda.") for e in retried)
    assert "RandomSimulatedFailure" not in json.dumps(task["Retry"])
    assert task["Next"] == "Release Lock"


def test_a_failed_worker_releases_at_once_then_fails_with_its_own_error(
        docs: dict[str, Any]) -> None:
    states = docs["dynamodb-semaphore.asl.json"]["States"]
    keep_error = "{% $merge([$states.input, {'workerror': $states.errorOutput}]) %}"
    assert states[WORKER]["Catch"] == [
        {"ErrorEquals": ["States.QueryEvaluationError"], "Output": keep_error, "Next": "Redriven Without Slot?"},
        {"ErrorEquals": ["States.ALL"], "Output": keep_error, "Next": "Release Lock After Failure"}]
    redriven = states["Redriven Without Slot?"]
    # A redriven execution lets its stopped run's work end (the stop grace), then acquires again.
    assert redriven["Choices"][0]["Next"] == "Wait For Stopped Work"
    assert states["Wait For Stopped Work"]["Seconds"] == 90
    assert states["Wait For Stopped Work"]["Next"] == "Acquire Lock"
    assert redriven["Default"] == "Release Lock After Failure"
    assert states["Release Lock After Failure"]["Parameters"] == states["Release Lock"]["Parameters"]
    _assert_release_copy(states, states, " After Failure", "Work Failed")
    assert states["Work Failed"] == {"Type": "Fail", "ErrorPath": "$.workerror.Error",
                                     "CausePath": "$.workerror.Cause"}
    # The failure path never reaches the success state.
    assert not any("Success State" in _targets(states[name + " After Failure"]) for name in RELEASE_CHAIN)


def test_cleanup_waits_for_a_stopped_executions_work_before_releasing(docs: dict[str, Any]) -> None:
    cleanup = docs["dynamodb-semaphore-cleanfromincomplete.asl.json"]
    states = cleanup["States"]
    assert cleanup["StartAt"] == "Read Owner" and states["Read Owner"]["Next"] == "Stopped or Timed Out?"
    stopped = states["Stopped or Timed Out?"]
    assert stopped["Choices"] == [{"Or": [{"Variable": "$.detail.status", "StringEquals": "ABORTED"},
                                          {"Variable": "$.detail.status", "StringEquals": "TIMED_OUT"}],
                                   "Next": "Wait For Work To End"}]
    assert stopped["Default"] == "Check Owner Ended"
    # A stopped execution's Lambda runs on: wait at least as long as the work Task may take.
    work_timeout = docs["dynamodb-semaphore.asl.json"]["States"][WORKER]["TimeoutSeconds"]
    assert states["Wait For Work To End"]["Seconds"] >= work_timeout
    assert states["Wait For Work To End"]["Next"] == "Check Owner Ended"
    # A redrive may have revived the execution meanwhile: it then keeps its slot.
    check = states["Check Owner Ended"]
    assert check["Parameters"] == {"ExecutionArn.$": "$.lock.owner"} and check["ResultPath"] == "$.owner"
    assert check["Next"] == "Owner Redriven?"
    assert check["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": None, "Next": "Release Lock"}]
    assert states["Owner Redriven?"]["Choices"] == [
        {"Variable": "$.owner.status", "StringEquals": "RUNNING", "Next": "Success State"}]
    assert states["Owner Redriven?"]["Default"] == "Release Lock"


def test_cleanup_rule_covers_every_status_that_skips_the_release(docs: dict[str, Any]) -> None:
    rule = docs["cleanup-rule.json"]
    assert rule["EventPattern"]["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]
    assert rule["EventPattern"]["detail"]["stateMachineArn"] == ["${SF_StateMachineSemaphore}"]
    assert rule["Target"] == "dynamodb-semaphore-cleanfromincomplete.asl.json"


def test_reconciler_releases_every_owner_that_no_longer_runs(docs: dict[str, Any]) -> None:
    assert docs["reconciler-rule.json"] == {"ScheduleExpression": "rate(1 minute)",
                                            "Target": "dynamodb-semaphore-reconciler.asl.json"}
    reconciler = docs["dynamodb-semaphore-reconciler.asl.json"]["States"]
    read = reconciler["Read Lock Owners"]
    assert read["Parameters"]["ConsistentRead"] is True and read["Parameters"]["ProjectionExpression"] == "#o"
    each = reconciler["Check Each Owner"]
    assert each["ItemSelector"] == {"owner.$": "$$.Map.Item.Value"}
    inner = each["ItemProcessor"]["States"]
    assert inner["Describe Owner"]["Parameters"] == {"ExecutionArn.$": "$.owner"}
    assert inner["Describe Owner"]["ResultSelector"]["owner.$"] == "$.ExecutionArn"
    running = inner["Owner Running?"]
    assert running["Choices"][0] == {"Variable": "$.lock.status", "StringEquals": "RUNNING",
                                     "Next": "Owner Checked"}
    assert running["Default"] == "Release Lock For Owner"
    _assert_release_copy(inner, docs["dynamodb-semaphore.asl.json"]["States"], " For Owner", "Owner Checked")


def test_test_run_puts_every_child_in_contention_and_reports_it(docs: dict[str, Any]) -> None:
    machine = docs["test-run-semaphore.asl.json"]
    states = machine["States"]
    assert states["GenerateDefaultInput"]["Parameters"] == {"iterations.$": "States.ArrayRange(1, 100, 1)"}
    mapped = states["StartInParallel"]
    assert mapped["MaxConcurrency"] == 0 and mapped["ItemsPath"] == "$.iterations"
    child = mapped["ItemProcessor"]["States"]["RunChildStateMachine"]
    # Started without waiting: an inline Map's 40 iterations at a time can start all 100 children.
    assert child["Resource"] == "arn:aws:states:::states:startExecution"
    retried = {e for r in child["Retry"] for e in r["ErrorEquals"]}
    assert "States.ALL" not in retried and "States.TaskFailed" not in retried
    counted = states["CountRunningAtOnce"]
    assert counted["Resource"] == "arn:aws:states:::aws-sdk:sfn:listExecutions"
    assert counted["Parameters"]["StatusFilter"] == "RUNNING"
    assert counted["ResultSelector"] == {"count.$": "States.ArrayLength($.Executions)"}
    assert counted["ResultPath"] == "$.runningAtOnce" and counted["Next"] == "WaitForChildren"
    assert states["WaitForChildren"]["Next"] == "CountStillRunning"
    assert states["CountStillRunning"]["Next"] == "AllChildrenEnded?"
    ended = states["AllChildrenEnded?"]
    assert ended["Choices"] == [{"Variable": "$.stillRunning.count", "NumericEquals": 0, "Next": "CollectResults"}]
    assert ended["Default"] == "WaitForChildren"
    collect = states["CollectResults"]
    assert collect["ItemsPath"] == "$.children" and collect["End"] is True

