"""DynamoDB gateway: injected faults (before or after commit), request log, holder ledger."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from localengine_helpers import create_lock_table, run

from local.dynamodb_gateway import DynamoFault, FaultRuleError
from local.server import LocalServer

ARN = "arn:aws:states:us-east-1:123456789012:execution:m:"


@pytest.fixture(scope="module", autouse=True)
def counters(server: LocalServer) -> None:
    create_lock_table(server, "counters")


@pytest.fixture(autouse=True)
def no_faults(server: LocalServer) -> Iterator[None]:
    yield
    server.dynamodb.clear_faults()


def _increment(name: str) -> dict:
    return {"StartAt": "Inc", "States": {"Inc": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
        "Parameters": {"TableName": "counters", "Key": {"LockName": {"S": name}},
                       "UpdateExpression": "ADD #n :one", "ExpressionAttributeNames": {"#n": "n"},
                       "ExpressionAttributeValues": {":one": {"N": "1"}}},
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 1}],
        "End": True}}}


def _count(server: LocalServer, name: str) -> int:
    item = server.client("dynamodb").get_item(TableName="counters", Key={"LockName": {"S": name}})["Item"]
    return int(item["n"]["N"])


def test_a_fault_before_commit_fails_the_call_and_changes_nothing(server: LocalServer) -> None:
    fault = server.dynamodb.add_fault(DynamoFault(error="ThrottlingException", state="Inc", calls=frozenset({1})))
    described = run(server, _increment("before"))
    assert described["status"] == "SUCCEEDED"
    assert fault.injected == 1 and _count(server, "before") == 1  # the retry's write only
    mine = [r for r in server.dynamodb.requests if r.execution_arn == described["executionArn"]]
    assert [(r.state_name, r.error, r.injected) for r in mine] == [("Inc", "ThrottlingException", True),
                                                                    ("Inc", None, False)]


def test_a_fault_after_commit_applies_the_write_then_reports_the_error(server: LocalServer) -> None:
    fault = server.dynamodb.add_fault(DynamoFault(error="InternalServerError", state="Inc", times=1,
                                                  after_commit=True))
    described = run(server, _increment("after"))
    assert described["status"] == "SUCCEEDED"
    assert fault.injected == 1 and _count(server, "after") == 2  # committed twice: the caller retried


def test_faults_reach_the_state_as_dynamodb_errors(server: LocalServer) -> None:
    server.dynamodb.add_fault(DynamoFault(error="ProvisionedThroughputExceededException", operation="UpdateItem"))
    machine = _increment("never")
    machine["States"]["Inc"]["Retry"] = []
    described = run(server, machine)
    assert (described["status"], described["error"]) == ("FAILED", "DynamoDB.ProvisionedThroughputExceededException")


def test_an_unknown_fault_error_is_refused() -> None:
    with pytest.raises(FaultRuleError, match="ThrottlingException"):
        DynamoFault(error="Oops")


def test_the_ledger_follows_holders_in_the_lock_table(server: LocalServer) -> None:
    create_lock_table(server, "ledgered")
    ledger = server.dynamodb.watch("ledgered")
    ddb = server.client("dynamodb")
    key = {"LockName": {"S": "lock"}}
    for holder in ("a", "b"):
        ddb.update_item(TableName="ledgered", Key=key, UpdateExpression="SET #o = :t",
                        ExpressionAttributeNames={"#o": ARN + holder}, ExpressionAttributeValues={":t": {"S": "x"}})
    ddb.update_item(TableName="ledgered", Key=key, UpdateExpression="REMOVE #o", ExpressionAttributeNames={"#o": ARN + "a"})
    assert ledger.peak == 2 and set(ledger.current) == {ARN + "b"}
    [released] = [i for i in ledger.intervals if i.holder == ARN + "a"]
    assert released.end is not None and released.end >= released.start
    ddb.put_item(TableName="ledgered", Item={"LockName": {"S": ARN + "c"}})  # a holder item keyed by its ARN
    assert set(ledger.current) == {ARN + "b", ARN + "c"}
    assert json.dumps(sorted(ledger.current))  # plain strings
