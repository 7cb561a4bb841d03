"""dsl.testing's API: mocks, virtual time, inspection, results, unmocked services, response-shape checks."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsl.testing import (
    Calls,
    Engine,
    MockError,
    Return,
    TaskFailure,
    Throw,
    UnmockedTaskError,
)
from dsl.testing.shapes import java_name

GET_ITEM = "arn:aws:states:::dynamodb:getItem"


def task(resource: str = GET_ITEM, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "Parameters": {"TableName": "t", "Key": {"k": {"S": "1"}}},
            **fields}


def machine(**states: dict[str, Any]) -> dict[str, Any]:
    names = list(states)
    for name, following in zip(names, [*names[1:], None], strict=True):
        body = states[name]
        if body["Type"] not in ("Choice", "Succeed", "Fail") and "Next" not in body and "End" not in body:
            body.update({"Next": following} if following else {"End": True})
    return {"StartAt": names[0], "States": states}


def stamp(event: dict[str, Any]) -> datetime.datetime:
    return datetime.datetime.fromisoformat(str(event["timestamp"]))


def test_waits_and_retries_pass_on_the_virtual_clock(engine: Engine) -> None:
    engine.run(machine(Earlier={"Type": "Wait", "Seconds": 1000}), {})  # moves the clock on before this run
    doc = machine(
        Before={"Type": "Pass", "Parameters": {"at.$": "$$.State.EnteredTime", "start.$": "$$.Execution.StartTime"},
                "ResultPath": "$.before"},
        Pause={"Type": "Wait", "Seconds": 90},
        Flaky=task(Retry=[{"ErrorEquals": ["Busy"], "IntervalSeconds": 10, "BackoffRate": 10,
                           "MaxDelaySeconds": 30, "MaxAttempts": 3}], ResultPath=None),
        After={"Type": "Pass", "Parameters": {"at.$": "$$.State.EnteredTime"}, "ResultPath": "$.after"},
    )
    busy = Throw("Busy", "try later")
    result = engine.run(doc, {}, mocks={"Flaky": Calls(busy, busy, busy, {"Item": {}})})
    assert result.status == "SUCCEEDED"
    # 90 s wait, then retries after 10 s, min(100, 30) s and min(1000, 30) s.
    assert result.virtual_seconds == 160
    flaky = result.state("Flaky")
    assert (flaky.attempts, flaky.retries) == (4, (0, 0, 0))
    before = datetime.datetime.fromisoformat(result.output["before"]["at"])
    after = datetime.datetime.fromisoformat(result.output["after"]["at"])
    assert 160 <= (after - before).total_seconds() < 170
    # The execution starts on the virtual clock too (earlier runs moved it on).
    start = datetime.datetime.fromisoformat(result.output["before"]["start"])
    assert 0 <= (before - start).total_seconds() < 5
    entered = {e["stateEnteredEventDetails"]["name"]: stamp(e) for e in result.history if "stateEnteredEventDetails" in e}
    assert 90 <= (entered["Flaky"] - entered["Pause"]).total_seconds() < 100
    assert result.path == ("Before", "Pause", "Flaky", "After")  # retries are not new entries


def test_inspection_shows_each_step_of_the_data_flow(engine: Engine) -> None:
    doc = machine(Read=task(
        InputPath="$.order",
        Parameters={"TableName": "orders", "Key": {"id": {"S.$": "$.id"}}},
        ResultSelector={"total.$": "$.Item.total.N"},
        ResultPath="$.found",
        OutputPath="$.found",
        Assign={"lastTotal.$": "$.Item.total.N"},
    ))
    seen: list[Any] = []

    def answer(request: Any) -> Any:
        seen.append(request)
        return {"Item": {"total": {"N": "42"}}}

    result = engine.run(doc, {"order": {"id": "o-1"}}, mocks={"Read": answer})
    read = result.state("Read")
    assert seen == [{"TableName": "orders", "Key": {"id": {"S": "o-1"}}}]
    assert read.input == {"order": {"id": "o-1"}}
    assert read.after_input_path == {"id": "o-1"}
    assert read.after_parameters == seen[0]
    assert read.result == {"Item": {"total": {"N": "42"}}}
    assert read.after_result_selector == {"total": "42"}
    # ResultPath writes into the state's raw input, not into what InputPath selected.
    assert read.after_result_path == {"order": {"id": "o-1"}, "found": {"total": "42"}}
    assert read.output == {"total": "42"} == result.output
    assert read.variables == {"lastTotal": "42"}


def test_path_covers_map_iterations_and_parallel_branches(engine: Engine) -> None:
    doc = machine(
        Fan={"Type": "Parallel", "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
            {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": True}}}]},
        Each={"Type": "Map", "ItemsPath": "$$.Execution.Input.items", "MaxConcurrency": 1,
              "ItemProcessor": {"StartAt": "Item", "States": {"Item": {**task(), "End": True}}}},
    )
    result = engine.run(doc, {"items": [1, 2, 3]}, mocks={"Item": Calls({"Item": {}}, {}, {"Item": {}})})
    assert result.status == "SUCCEEDED"
    assert result.path[0] == "Fan" and sorted(result.path[1:3]) == ["Left", "Right"]
    assert result.path[3:] == ("Each", "Item", "Item", "Item")
    assert result.calls == {"Item": 3}
    assert result.output == [{"Item": {}}, {}, {"Item": {}}]


def test_errors_and_timeouts_reach_catch_and_fail(engine: Engine) -> None:
    doc = machine(
        Slow=task(TimeoutSeconds=30, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}]),
        Broken=task(),
        TimedOut={"Type": "Pass", "Next": "Broken"},
    )
    result = engine.run(doc, {}, mocks={"Slow": Return({"Item": {}}, seconds=31), "Broken": Throw("Oops", "it broke")})
    assert (result.status, result.error, result.cause) == ("FAILED", "Oops", "it broke")
    assert result.path == ("Slow", "TimedOut", "Broken")
    assert result.state("Slow").caught_by == 0 and result.virtual_seconds == 30


def test_a_missed_heartbeat_is_its_own_error(engine: Engine) -> None:
    doc = machine(Worker=task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", TimeoutSeconds=600,
                              HeartbeatSeconds=60, Parameters={"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"}))
    result = engine.run(doc, {}, mocks={"Worker": Return({}, seconds=120)})
    assert (result.status, result.error) == ("FAILED", "States.HeartbeatTimeout")
    assert result.virtual_seconds == 60


def test_a_callable_mock_can_fail_the_task(engine: Engine) -> None:
    def refuse(request: Any) -> Any:
        raise TaskFailure("DynamoDB.ConditionalCheckFailedException", "no")

    result = engine.run(machine(A=task()), {}, mocks={"A": refuse})
    assert (result.status, result.error) == ("FAILED", "DynamoDB.ConditionalCheckFailedException")


def test_bad_mocks_are_test_errors(engine: Engine) -> None:
    doc = machine(Fetch=task(), Done={"Type": "Succeed"})
    with pytest.raises(MockError, match=r"'Fetsh' is not a state .* did you mean 'Fetch'"):
        engine.run(doc, {}, mocks={"Fetsh": {}})
    with pytest.raises(MockError, match="only Task states can be mocked"):
        engine.run(doc, {}, mocks={"Done": {}})
    loop = machine(Fetch=task(Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 5}]))
    with pytest.raises(MockError, match=r"state 'Fetch': call 3 made, but its mock has 2 response"):
        engine.run(loop, {}, mocks={"Fetch": Calls(Throw("E"), Throw("E"))})

    def crash(request: Any) -> Any:
        raise KeyError("missing")

    with pytest.raises(MockError, match="the mock raised KeyError"):
        engine.run(doc, {}, mocks={"Fetch": crash})


def test_unemulated_service_without_mock_fails_naming_the_state(engine: Engine) -> None:
    doc = machine(Render={"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
                          "Parameters": {"TaskDefinition": "t"}})
    with pytest.raises(UnmockedTaskError, match=r"state 'Render' calls arn:aws:states:::ecs:runTask.sync.*mock"):
        engine.run(doc, {})
    # A Catch does not swallow it; a branch that is not taken needs no mock.
    caught = machine(Render={**doc["States"]["Render"], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]},
                     Done={"Type": "Succeed"})
    with pytest.raises(UnmockedTaskError, match="state 'Render'"):
        engine.run(caught, {})
    skipped = machine(Go={"Type": "Choice", "Choices": [{"Variable": "$.render", "BooleanEquals": True,
                                                         "Next": "Render"}], "Default": "Done"},
                      Render=doc["States"]["Render"], Done={"Type": "Succeed"})
    assert engine.run(skipped, {"render": False}).path == ("Go", "Done")


def test_an_unmocked_callback_task_fails_before_the_run(engine: Engine) -> None:
    doc = machine(Park=task("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            Parameters={"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"}))
    with pytest.raises(UnmockedTaskError, match=r"state 'Park' waits for a task token .*: mock it"):
        engine.run(doc, {})


def test_unmocked_dynamodb_goes_to_moto(engine: Engine) -> None:
    dynamodb = engine.server.client("dynamodb")
    dynamodb.create_table(TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName="t", Item={"k": {"S": "1"}, "v": {"S": "from moto"}})
    result = engine.run(machine(A=task(OutputPath="$.Item.v.S")), {})
    assert (result.status, result.output) == ("SUCCEEDED", "from moto")


def test_lambda_with_a_registered_handler_runs_in_process(engine: Engine) -> None:
    def handler(event: Any, context: Any) -> Any:
        if event.get("fail"):
            raise ValueError("bad input")
        return {"sum": event["a"] + event["b"]}

    arn = engine.register_lambda("adder", handler)
    doc = machine(Add={"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                       "Parameters": {"FunctionName": arn, "Payload.$": "$"}, "OutputPath": "$.Payload"})
    assert engine.run(doc, {"a": 2, "b": 3}).output == {"sum": 5}
    failed = engine.run(doc, {"fail": True})
    assert (failed.status, failed.error) == ("FAILED", "ValueError")


@pytest.mark.parametrize(("resource", "value", "message"), [
    (GET_ITEM, {"Item": "x"}, r"field Item: expected object, found string"),
    (GET_ITEM, {"Item": {"a": {"N": 1}}}, r"field Item\.a\.N: expected string, found number"),
    (GET_ITEM, {"Itemz": {}}, r"field Itemz: not in the API's response"),
    ("arn:aws:states:::lambda:invoke", {"StatusCode": "200", "Payload": {}}, r"field StatusCode: expected integer"),
    ("arn:aws:states:::aws-sdk:sfn:describeExecution", {"ExecutionArn": "a"}, r"field StateMachineArn: required"),
    ("arn:aws:states:::aws-sdk:sfn:describeExecution",
     {"executionArn": "a", "stateMachineArn": "b", "status": "RUNNING", "startDate": 1}, r"field executionArn: not in"),
    ("arn:aws:states:::aws-sdk:rds:describeDBInstances", {"DBInstances": []}, r"field DBInstances: not in"),
    ("arn:aws:states:::aws-sdk:sfn:describeExecution",
     {"ExecutionArn": "a", "StateMachineArn": "b", "Status": "DONE", "StartDate": 1}, r"field Status: expected one of"),
])
def test_strict_validation_refuses_what_aws_could_not_return(engine: Engine, resource: str, value: Any,
                                                              message: str) -> None:
    with pytest.raises(MockError, match=r"state 'A': mocked result of .*\(STRICT\): " + message):
        engine.run(machine(A=task(resource)), {}, mocks={"A": value})


def test_validation_modes(engine: Engine) -> None:
    describe = machine(A=task("arn:aws:states:::aws-sdk:sfn:describeExecution"))
    partial = {"ExecutionArn": "a", "Status": "RUNNING"}
    assert engine.run(describe, {}, mocks={"A": partial}, validation="PRESENT").status == "SUCCEEDED"
    with pytest.raises(MockError, match="required"):
        engine.run(describe, {}, mocks={"A": partial})
    with pytest.raises(MockError, match="expected string"):
        engine.run(describe, {}, mocks={"A": {"Status": 3}}, validation="PRESENT")
    assert engine.run(describe, {}, mocks={"A": {"Anything": 3}}, validation="NONE").status == "SUCCEEDED"
    sdk = machine(A=task("arn:aws:states:::aws-sdk:rds:describeDBInstances"))
    assert engine.run(sdk, {}, mocks={"A": {"DbInstances": [{"DbInstanceIdentifier": "db"}]}}).status == "SUCCEEDED"
    invoke = machine(A=task("arn:aws:states:::lambda:invoke"))
    lambda_result = {"StatusCode": 200, "Payload": [1, "any JSON"], "SdkHttpMetadata": {}}
    assert engine.run(invoke, {}, mocks={"A": lambda_result}).status == "SUCCEEDED"

    def wrong(request: Any) -> Any:
        return {"Item": 5}

    with pytest.raises(MockError, match="field Item: expected object"):
        engine.run(machine(A=task()), {}, mocks={"A": wrong})


def test_java_v2_member_names() -> None:
    assert java_name("DBInstanceIdentifier") == "DbInstanceIdentifier"
    assert java_name("SSEKMSKeyId") == "SsekmsKeyId"
    assert java_name("executionArn") == "ExecutionArn"
    assert java_name("MD5OfMessageBody") == "Md5OfMessageBody"
    assert java_name("S") == "S"


def test_coverage_reports_mark_what_was_missed(engine: Engine) -> None:
    from dsl.testing.coverage import Coverage

    doc = machine(
        Fetch=task(Retry=[{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
                   Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Recover"}], Next="Ok?"),
        **{"Ok?": {"Type": "Choice", "Choices": [{"Variable": "$.Item", "IsPresent": True, "Next": "Done"}],
                   "Default": "Recover"}},
        Recover={"Type": "Pass", "Next": "Done"},
        Done={"Type": "Succeed"},
    )
    coverage = Coverage("flow", doc)
    coverage.add(engine.run(doc, {}, mocks={"Fetch": Calls(Throw("Busy"), {"Item": {}})}))
    summary = coverage.summary()
    assert summary["states"] == {"covered": 3, "total": 4, "missed": ["Recover"]}
    assert summary["transitions"]["missed"] == ["Fetch -> Recover", "Ok? -> Recover", "Recover -> Done"]
    assert summary["choice_rules"] == {"covered": 1, "total": 2, "missed": ["Ok? Default"]}
    assert summary["catches"]["missed"] == ["Fetch catch 1"]
    assert summary["retries"] == {"covered": 1, "total": 1, "missed": []}
    assert coverage.percent() == 100 * (3 + 2) / (4 + 5)
    assert "| states | 3 | 4 | Recover |" in coverage.markdown()
    mermaid = coverage.mermaid()
    recover = next(line.split("(")[0].strip() for line in mermaid.splitlines() if '"Recover' in line)
    assert f"style {recover} fill:#fde2e2" in mermaid
    assert mermaid.count("linkStyle") == 3
