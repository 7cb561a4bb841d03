"""Service shims (DynamoDB, Lambda) through the real server and the real ASL executor."""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile

import localengine_helpers as sfn
import pytest

from local.server import LocalServer
from local.shims import (
    dynamodb_atomic,
    dynamodb_error_names,
    lambda_unknown_error,
    stop_interrupts_tasks,
    stop_wins,
    task_timeouts,
)

LIMIT = 3


@pytest.fixture(scope="module")
def server(bare_server: LocalServer) -> LocalServer:
    return bare_server


def _contend(server: LocalServer, table: str, threads: int, rounds: int) -> int:
    """Threads acquire ("count < LIMIT", own attribute) and release; returns the highest count seen."""
    ddb = server.client("dynamodb")
    ddb.put_item(TableName=table, Item={"LockName": {"S": "L"}, "count": {"N": "0"}})
    highest = [0]

    def worker(index: int) -> None:
        owner = {"#c": "count", "#o": f"owner{index}"}
        for _ in range(rounds):
            try:
                answer = ddb.update_item(
                    TableName=table, Key={"LockName": {"S": "L"}}, ReturnValues="UPDATED_NEW",
                    UpdateExpression="SET #c = #c + :one, #o = :t",
                    ConditionExpression="#c < :limit AND attribute_not_exists(#o)", ExpressionAttributeNames=owner,
                    ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": str(LIMIT)}, ":t": {"S": "x"}})
            except ddb.exceptions.ConditionalCheckFailedException:
                continue
            highest[0] = max(highest[0], int(answer["Attributes"]["count"]["N"]))
            ddb.update_item(TableName=table, Key={"LockName": {"S": "L"}}, UpdateExpression="SET #c = #c - :one REMOVE #o",
                            ConditionExpression="attribute_exists(#o)", ExpressionAttributeNames=owner,
                            ExpressionAttributeValues={":one": {"N": "1"}})

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return highest[0]


def test_conditional_updates_are_atomic_under_contention(server: LocalServer) -> None:
    sfn.create_lock_table(server, "atomic")
    with sfn.installed(dynamodb_atomic):
        highest = _contend(server, "atomic", threads=24, rounds=12)
    item = server.client("dynamodb").get_item(TableName="atomic", Key={"LockName": {"S": "L"}})["Item"]
    assert highest <= LIMIT
    assert item == {"LockName": {"S": "L"}, "count": {"N": "0"}}  # every release undid its acquire


INCREMENT_MISSING = {"StartAt": "Acquire", "States": {
    "Acquire": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                "Parameters": {"TableName": "names", "Key": {"LockName": {"S": "absent"}},
                               "UpdateExpression": "SET #c = #c + :one",
                               "ExpressionAttributeNames": {"#c": "count"},
                               "ExpressionAttributeValues": {":one": {"N": "1"}}},
                "Catch": [{"ErrorEquals": ["DynamoDB.AmazonDynamoDBException"], "Next": "Caught"}], "End": True},
    "Caught": {"Type": "Pass", "End": True}}}


def test_a_validation_error_is_reported_as_amazon_dynamodb_exception(server: LocalServer) -> None:
    sfn.create_lock_table(server, "names")
    with sfn.installed(dynamodb_error_names):
        described = sfn.run(server, INCREMENT_MISSING)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["Error"] == "DynamoDB.AmazonDynamoDBException"
    assert "ValidationException" in json.loads(described["output"])["Cause"]


def test_without_shim_a_validation_error_keeps_its_code(server: LocalServer) -> None:
    described = sfn.run(server, INCREMENT_MISSING)
    assert (described["status"], described["error"]) == ("FAILED", "DynamoDB.ValidationException")


def test_modeled_errors_keep_their_names(server: LocalServer) -> None:
    sfn.create_lock_table(server, "modeled")
    server.client("dynamodb").put_item(TableName="modeled", Item={"LockName": {"S": "x"}})
    refused = {"StartAt": "Put", "States": {"Put": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {"TableName": "modeled", "Item": {"LockName": {"S": "x"}},
                       "ConditionExpression": "attribute_not_exists(LockName)"}, "End": True}}}
    with sfn.installed(dynamodb_error_names):
        described = sfn.run(server, refused)
    assert described["error"] == "DynamoDB.ConditionalCheckFailedException"


HANDLER = '''
import os, time

class CustomFailure(Exception):
    pass

def handler(event, context):
    time.sleep(float(event.get("sleep", 0)))
    if event.get("fail"):
        raise CustomFailure("asked to fail")
    return {"greeting": os.environ["GREETING"], "request": context.aws_request_id, "got": event}
'''


@pytest.fixture(scope="module")
def function_arn(server: LocalServer) -> str:
    server.client("iam").create_role(RoleName=sfn.ROLE_ARN.rsplit("/", 1)[1], AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("worker.py", HANDLER)
    created = server.client("lambda").create_function(
        FunctionName="worker", Runtime="python3.12", Role=sfn.ROLE_ARN, Handler="worker.handler", Timeout=1,
        Code={"ZipFile": archive.getvalue()}, Environment={"Variables": {"GREETING": "hello"}})
    return str(created["FunctionArn"])


def _invoke_task(function_arn: str) -> dict:
    return {"StartAt": "Work", "States": {"Work": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": function_arn, "Payload.$": "$"}, "End": True}}}


def test_the_deployed_handler_runs_with_its_environment(server: LocalServer, function_arn: str) -> None:
    described = sfn.run(server, _invoke_task(function_arn), {"n": 1})
    assert described["status"] == "SUCCEEDED", described
    payload = json.loads(described["output"])["Payload"]
    assert payload["greeting"] == "hello" and payload["got"] == {"n": 1}
    invocation = next(i for i in server.lambda_runtime.invocations if i.request_id == payload["request"])
    assert invocation.execution_arn == described["executionArn"] and invocation.state_name == "Work"


def test_a_raised_exception_is_a_function_error_as_aws_reports_it(server: LocalServer, function_arn: str) -> None:
    answer = server.client("lambda").invoke(FunctionName=function_arn, Payload=json.dumps({"fail": True}))
    assert answer["FunctionError"] == "Unhandled"
    document = json.loads(answer["Payload"].read())
    assert set(document) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert (document["errorType"], document["errorMessage"]) == ("CustomFailure", "asked to fail")
    described = sfn.run(server, _invoke_task(function_arn), {"fail": True})
    assert (described["status"], described["error"]) == ("FAILED", "CustomFailure")
    assert json.loads(described["cause"])["errorType"] == "CustomFailure"


def test_a_timed_out_function_is_lambda_unknown(server: LocalServer, function_arn: str) -> None:
    with sfn.installed(lambda_unknown_error):
        described = sfn.run(server, _invoke_task(function_arn), {"sleep": 2})
    assert (described["status"], described["error"]) == ("FAILED", "Lambda.Unknown")
    assert "Task timed out after 1.00 seconds" in json.loads(described["cause"])["errorMessage"]
    failed = [e for e in sfn.history(server, described["executionArn"]) if e["type"] == "TaskFailed"]
    assert failed[0]["taskFailedEventDetails"]["error"] == "Lambda.Unknown"


def test_without_shim_a_timed_out_function_is_named_exception(server: LocalServer, function_arn: str) -> None:
    described = sfn.run(server, _invoke_task(function_arn), {"sleep": 2})
    assert described["error"] == "Exception"


def _stopped_while_its_task_fails(server: LocalServer, function_arn: str) -> dict:
    machine = _invoke_task(function_arn)
    machine["States"]["Work"]["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]
    machine["States"]["Handled"] = {"Type": "Pass", "End": True}
    arn = sfn.start(server, sfn.create_machine(server, machine), {"sleep": 0.8, "fail": True})
    time.sleep(0.3)
    server.client("stepfunctions").stop_execution(executionArn=arn)
    return sfn.wait(server, arn)


def test_a_stopped_execution_stays_aborted_when_its_task_then_fails(server: LocalServer, function_arn: str) -> None:
    with sfn.installed(stop_wins):
        assert _stopped_while_its_task_fails(server, function_arn)["status"] == "ABORTED"


def test_without_shim_a_stopped_execution_ends_failed(server: LocalServer, function_arn: str) -> None:
    described = _stopped_while_its_task_fails(server, function_arn)
    assert (described["status"], described["error"]) == ("FAILED", "CustomFailure")


def _stop_during_work(server: LocalServer, function_arn: str) -> tuple[str, float]:
    # 0.9 s of work: inside the function's 1 s timeout, well after the stop at 0.3 s.
    arn = sfn.start(server, sfn.create_machine(server, _invoke_task(function_arn)), {"sleep": 0.9})
    time.sleep(0.3)
    server.client("stepfunctions").stop_execution(executionArn=arn)
    return arn, time.time()


def test_stop_execution_aborts_at_once_while_the_lambda_runs_on(server: LocalServer, function_arn: str) -> None:
    with sfn.installed(stop_wins, stop_interrupts_tasks):
        arn, stopped = _stop_during_work(server, function_arn)
        described = sfn.wait(server, arn, timeout=5)
    assert described["status"] == "ABORTED"
    assert not any(e["type"] == "TaskTimedOut" for e in sfn.history(server, arn))
    [work] = [i for i in server.lambda_runtime.invocations if i.execution_arn == arn]
    # Aborted while its worker still ran: the worker ended after the execution did.
    time.sleep(1.0)
    assert work.end is not None and described["stopDate"].timestamp() < work.end
    assert described["stopDate"].timestamp() - stopped < 2.0


def test_without_shim_a_stopped_execution_waits_for_its_lambda(server: LocalServer, function_arn: str) -> None:
    arn, _ = _stop_during_work(server, function_arn)
    time.sleep(0.3)
    assert server.client("stepfunctions").describe_execution(executionArn=arn)["status"] == "RUNNING"
    assert sfn.wait(server, arn)["status"] == "ABORTED"


def _unanswered_callback(function_arn: str) -> dict:
    """A callback Task whose token nobody sends back: its heartbeat is missed after 1 s."""
    return {"StartAt": "Wait For Token", "States": {"Wait For Token": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": function_arn, "Payload": {"token.$": "$$.Task.Token"}},
        "HeartbeatSeconds": 1, "TimeoutSeconds": 30, "End": True}}}


def test_a_missed_heartbeat_is_states_heartbeat_timeout(server: LocalServer, function_arn: str) -> None:
    with sfn.installed(task_timeouts):
        described = sfn.run(server, _unanswered_callback(function_arn))
    assert (described["status"], described["error"]) == ("FAILED", "States.HeartbeatTimeout")


def test_without_shim_a_missed_heartbeat_is_states_timeout(server: LocalServer, function_arn: str) -> None:
    described = sfn.run(server, _unanswered_callback(function_arn))
    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
