"""The three workflows: structure and every behaviour-relevant field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dsl.build import compile_workflow_files

PLACEHOLDERS = {"${SF_TableSemaphore}", "${SF_LockName}", "${SF_ConcurrentAccessLimit}",
                "${SF_LambdaARN}", "${SF_StateMachineSemaphore}"}


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


def test_file_names_are_the_originals(docs: dict[str, Any]) -> None:
    assert set(docs) == {"dynamodb-semaphore.asl.json",
                         "dynamodb-semaphore-cleanfromincomplete.asl.json",
                         "test-run-semaphore.asl.json", "cleanup-rule.json"}


def test_placeholders_are_the_originals(docs: dict[str, Any]) -> None:
    used = {s for doc in docs.values() for s in _strings(doc) if s.startswith("${")}
    assert used == PLACEHOLDERS


def test_acquire_uses_a_safe_limit_test_and_creates_a_missing_item(docs: dict[str, Any]) -> None:
    acquire = docs["dynamodb-semaphore.asl.json"]["States"]["Acquire Lock"]
    params = acquire["Parameters"]
    assert acquire["Resource"] == "arn:aws:states:::dynamodb:updateItem"
    assert "#currentlockcount < :limit" in params["ConditionExpression"]
    assert "<>" not in params["ConditionExpression"]
    assert "attribute_not_exists(#lockownerid)" in params["ConditionExpression"]
    assert "if_not_exists(#currentlockcount, :zero) + :increase" in params["UpdateExpression"]
    assert params["ExpressionAttributeNames"]["#lockownerid.$"] == "$$.Execution.Id"
    assert params["ExpressionAttributeValues"][":limit"] == {"N": "${SF_ConcurrentAccessLimit}"}
    # No dependency on how the missing-item error is named, and no retry budget burnt on contention.
    text = json.dumps(docs["dynamodb-semaphore.asl.json"])
    assert "AmazonDynamoDBException" not in text and "ValidationException" not in text
    assert "Retry" not in acquire
    assert [c["ErrorEquals"] for c in acquire["Catch"]] == [
        ["DynamoDB.ConditionalCheckFailedException"], ["States.ALL"]]
    assert [c["Next"] for c in acquire["Catch"]] == ["Wait to Get Lock", "Check Lock Ownership"]


def test_already_mine_is_decided_by_dynamodb_not_by_matching_z(docs: dict[str, Any]) -> None:
    machine = docs["dynamodb-semaphore.asl.json"]
    assert "*Z*" not in json.dumps(machine) and "StringMatches" not in json.dumps(machine)
    check = machine["States"]["Check Lock Ownership"]
    assert check["Parameters"]["ConditionExpression"] == "attribute_exists(#lockownerid)"
    assert check["Next"] == "Do Work"
    assert check["Catch"][0]["Next"] == "Wait to Get Lock"
    assert machine["States"]["Wait to Get Lock"] == {
        "Type": "Wait", "Comment": machine["States"]["Wait to Get Lock"]["Comment"], "Seconds": 3,
        "Next": "Acquire Lock"}


def test_release_and_cleanup_release_exactly_their_owner(docs: dict[str, Any]) -> None:
    release = docs["dynamodb-semaphore.asl.json"]["States"]["Release Lock"]
    cleanup = docs["dynamodb-semaphore-cleanfromincomplete.asl.json"]["States"]["Clean Up Lock"]
    for state, owner in ((release, "$$.Execution.Id"), (cleanup, "$.detail.executionArn")):
        params = state["Parameters"]
        assert params["UpdateExpression"] == ("SET #currentlockcount = #currentlockcount - "
                                              ":decrease REMOVE #lockownerid")
        assert params["ConditionExpression"] == "attribute_exists(#lockownerid)"
        assert params["ExpressionAttributeNames"]["#lockownerid.$"] == owner
        assert state["Retry"][0] == {"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                     "MaxAttempts": 0}
        assert state["Retry"][1]["JitterStrategy"] == "FULL"
        assert state["Catch"] == [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                   "ResultPath": None, "Next": "Success State"}]


def test_work_runs_the_lambda_with_service_retries(docs: dict[str, Any]) -> None:
    work = docs["dynamodb-semaphore.asl.json"]["States"]["Do Work"]
    branch = work["Branches"][0]
    assert list(branch["States"]) == ["Here", "You", "Do", "Work",
                                      "Run Lambda Function With Controlled Concurrency"]
    task = branch["States"]["Run Lambda Function With Controlled Concurrency"]
    assert task["Parameters"]["FunctionName"] == "${SF_LambdaARN}"
    assert "RandomSimulatedFailure" not in json.dumps(task["Retry"])
    assert work["Next"] == "Release Lock"


def test_a_failed_worker_releases_at_once_then_fails_with_its_own_error(
        docs: dict[str, Any]) -> None:
    states = docs["dynamodb-semaphore.asl.json"]["States"]
    assert states["Do Work"]["Catch"] == [{"ErrorEquals": ["States.ALL"],
                                           "ResultPath": "$.workerror",
                                           "Next": "Release Lock After Failure"}]
    release = states["Release Lock After Failure"]
    assert release["Parameters"] == states["Release Lock"]["Parameters"]
    assert release["Next"] == "Work Failed" and release["Catch"][0]["Next"] == "Work Failed"
    assert states["Work Failed"] == {"Type": "Fail", "ErrorPath": "$.workerror.Error",
                                     "CausePath": "$.workerror.Cause"}


def test_cleanup_rule_covers_every_status_that_skips_the_release(docs: dict[str, Any]) -> None:
    rule = docs["cleanup-rule.json"]
    assert rule["EventPattern"]["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]
    assert rule["EventPattern"]["detail"]["stateMachineArn"] == ["${SF_StateMachineSemaphore}"]
    assert rule["Target"] == "dynamodb-semaphore-cleanfromincomplete.asl.json"


def test_test_run_generates_its_list_and_never_reruns_a_failed_child(docs: dict[str, Any]) -> None:
    machine = docs["test-run-semaphore.asl.json"]
    assert machine["States"]["GenerateDefaultInput"]["Parameters"] == {
        "iterations.$": "States.ArrayRange(1, 100, 1)"}
    mapped = machine["States"]["StartInParallel"]
    assert mapped["MaxConcurrency"] == 0 and mapped["ItemsPath"] == "$.iterations"
    child = mapped["ItemProcessor"]["States"]["RunChildStateMachine"]
    assert child["Resource"] == "arn:aws:states:::states:startExecution.sync:2"
    retried = {e for r in child["Retry"] for e in r["ErrorEquals"]}
    assert "States.ALL" not in retried and "States.TaskFailed" not in retried
    assert child["Catch"][0]["ErrorEquals"] == ["States.ALL"]
