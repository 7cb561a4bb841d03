"""aws_sdk.call and the ASL-SDK rules: real-shaped Tasks pass, each kind of mistake is caught."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from sdk_tasks import SDK_TASKS

from dsl import P, Workflow
from dsl.errors import DslError
from dsl.integrations import aws_sdk, naming, sdk_model
from dsl.integrations.problems import IntegrationWarning
from dsl.validate import validate

HERE = Path(__file__).parent
SDK = "arn:aws:states:::aws-sdk:"


def machine(resource: str, parameters: Any, *, jsonata: bool = False, **more: Any) -> dict[str, Any]:
    field = "Arguments" if jsonata else "Parameters"
    doc: dict[str, Any] = {"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": resource, field: parameters, "End": True, **more}}}
    if jsonata:
        doc["QueryLanguage"] = "JSONata"
    return doc


def rules(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.rule, f.pointer) for f in validate(doc)]


def test_fixtures_cover_thirty_services() -> None:
    assert len({service for service, _, _ in SDK_TASKS}) >= 30


@pytest.mark.parametrize(("service", "action", "parameters"), SDK_TASKS,
                         ids=[f"{s}:{a}" for s, a, _ in SDK_TASKS])
def test_real_shaped_task_is_valid_in_asl_and_in_the_dsl(service: str, action: str,
                                                         parameters: dict[str, Any]) -> None:
    assert rules(machine(f"{SDK}{service}:{action}", parameters)) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        task = aws_sdk.call("Call", service, action, **parameters)
    assert task.resource == f"{SDK}{service}:{action}"


@pytest.mark.parametrize(("service", "action", "parameters"), SDK_TASKS,
                         ids=[f"{s}:{a}" for s, a, _ in SDK_TASKS])
def test_jsonata_arguments_are_checked_alike(service: str, action: str, parameters: dict[str, Any]) -> None:
    arguments = {k.removesuffix(".$"): "{% $states.input.x %}" if k.endswith(".$") else v
                 for k, v in parameters.items()}
    assert rules(machine(f"{SDK}{service}:{action}", arguments, jsonata=True)) == []
    arguments["Unknown"] = "{% 1 %}"
    assert ("ASL-SDK-003", "/States/Call/Arguments/Unknown") in rules(
        machine(f"{SDK}{service}:{action}", arguments, jsonata=True))


def _first_literal_key(parameters: dict[str, Any]) -> str:
    return next(k for k in parameters if not k.endswith(".$"))


def _mutants(parameters: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A typo and a wrong case of every top-level name."""
    out = []
    for key in parameters:
        name = key.removesuffix(".$")
        suffix = key[len(name):]
        for mistake, spelled in (("typo", name[:-1] + name[-1] * 2 + "x"), ("case", name.lower())):
            if spelled == name:
                continue
            mutant = {(spelled + suffix if k == key else k): v for k, v in parameters.items()}
            out.append((mistake, mutant))
    return out


def test_every_misspelt_or_miscased_name_is_caught() -> None:
    caught = total = 0
    for service, action, parameters in SDK_TASKS:
        for _, mutant in _mutants(parameters):
            total += 1
            caught += any(rule == "ASL-SDK-003" for rule, _ in rules(machine(f"{SDK}{service}:{action}", mutant)))
    assert total > 150 and caught == total


# One mutant per mistake kind: (description, resource call, Parameters, rule, pointer)
MISTAKES = [
    ("typo", "s3:getObject", {"Bucket": "b", "Kye": "k"}, "ASL-SDK-003", "/Parameters/Kye"),
    ("wrong case", "sfn:sendTaskSuccess", {"taskToken": "t", "Output": "{}"}, "ASL-SDK-003", "/Parameters/taskToken"),
    ("unknown nested member", "rekognition:detectLabels", {"Image": {"S3Object": {"Bucket": "b", "Key": "k"}}},
     "ASL-SDK-003", "/Parameters/Image/S3Object/Key"),
    ("missing required", "s3:getObject", {"Bucket": "b"}, "ASL-SDK-004", "/Parameters/Key"),
    ("missing nested required", "dynamodb:transactWriteItems", {"TransactItems": [{"Put": {"Item": {}}}]},
     "ASL-SDK-004", "/Parameters/TransactItems/0/Put/TableName"),
    ("wrong literal type", "sqs:receiveMessage", {"QueueUrl": "q", "MaxNumberOfMessages": "ten"},
     "ASL-SDK-005", "/Parameters/MaxNumberOfMessages"),
    ("object for list", "ec2:describeInstances", {"InstanceIds": {"id": "i-1"}}, "ASL-SDK-005",
     "/Parameters/InstanceIds"),
    ("bad enum", "polly:startSpeechSynthesisTask",
     {"OutputFormat": "mp4", "OutputS3BucketName": "b", "Text": "t", "VoiceId": "Joanna"},
     "ASL-SDK-006", "/Parameters/OutputFormat"),
    ("unknown action", "s3:getObjects", {"Bucket": "b", "Key": "k"}, "ASL-SDK-002", "/Resource"),
    ("unknown service", "stepfunctions:sendTaskSuccess", {"TaskToken": "t", "Output": "{}"},
     "ASL-SDK-001", "/Resource"),
    (".sync on aws-sdk", "glue:startJobRun.sync", {"JobName": "j"}, "ASL-SDK-002", "/Resource"),
]


@pytest.mark.parametrize(("kind", "call", "parameters", "rule", "where"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_kind_is_caught_by_validate(kind: str, call: str, parameters: dict[str, Any],
                                                 rule: str, where: str) -> None:
    assert (rule, "/States/Call" + where) in rules(machine(SDK + call, parameters))


@pytest.mark.parametrize(("kind", "call", "parameters", "rule", "where"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_kind_stops_the_dsl_at_the_authors_line(kind: str, call: str, parameters: dict[str, Any],
                                                             rule: str, where: str) -> None:
    service, _, action = call.partition(":")
    with pytest.raises(DslError) as caught:
        aws_sdk.call("Call", service, action, **parameters)  # the line the error must name
    text = str(caught.value)
    assert caught.value.code == "DSL101" and "test_aws_sdk.py:" in text and "\n" not in text, text


def test_did_you_mean_names_the_right_spelling() -> None:
    with pytest.raises(DslError, match="did you mean 'TaskToken'"):
        aws_sdk.call("Wake", "sfn", "sendTaskSuccess", taskToken=P("$.t"), Output="{}")
    with pytest.raises(DslError, match="did you mean 'Key'"):
        aws_sdk.call("Get", "s3", "getObject", Bucket="b", Kye="k")
    with pytest.raises(DslError, match="did you mean 'sfn'"):
        aws_sdk.call("Wake", "stepfunctions", "sendTaskSuccess", TaskToken="t", Output="{}")
    with pytest.raises(DslError, match="did you mean 'getObject'"):
        aws_sdk.call("Get", "s3", "GetObject", Bucket="b", Key="k")
    with pytest.raises(DslError, match="did you mean 'Bucket'"):
        aws_sdk.call("Get", "s3", "getObject", bucket="b", Key="k")
    with pytest.raises(DslError, match="no .sync pattern"):
        aws_sdk.call("Get", "glue", "startJobRun", JobName="j", sync=True)


def test_values_computed_at_run_time_are_checked_by_name_only() -> None:
    task = aws_sdk.call("Q", "sqs", "receiveMessage", QueueUrl=P("$.q"), MaxNumberOfMessages=P("$.n"))
    assert task.parameters == {"QueueUrl": P("$.q"), "MaxNumberOfMessages": P("$.n")}
    assert rules(machine(SDK + "sqs:receiveMessage", {"QueueUrl.$": "$.q", "MaxNumberOfMessages.$": "$.n"})) == []
    assert rules(machine(SDK + "sqs:receiveMessage", {"QueueUrl": "${SF_Queue}",
                                                      "MaxNumberOfMessages": "${SF_Count}"})) == []


def test_wait_for_task_token_is_supported() -> None:
    task = aws_sdk.call("Ask", "sqs", "sendMessage", wait_for_task_token=True, QueueUrl="q",
                        MessageBody=P("$$.Task.Token"))
    assert task.resource == SDK + "sqs:sendMessage.waitForTaskToken"
    assert rules(machine(task.resource, {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"})) == []


def test_botocore_spelling_is_accepted_with_a_warning() -> None:
    with pytest.warns(IntegrationWarning, match="DbInstanceIdentifier"):
        aws_sdk.call("D", "rds", "describeDBInstances", DBInstanceIdentifier="db")
    found = validate(machine(SDK + "rds:describeDBInstances", {"DBInstanceIdentifier": "db"}))
    assert [(f.rule, f.severity) for f in found] == [("ASL-SDK-007", "warning")]


def test_jsonata_state_puts_the_call_in_arguments() -> None:
    task = aws_sdk.call("Get", "s3", "getObject", Bucket="b", Key="{% $states.input.key %}",
                        query_language="JSONata")
    assert task.arguments == {"Bucket": "b", "Key": "{% $states.input.key %}"}


def test_impossible_error_names_warn() -> None:
    doc = machine(SDK + "dynamodb:updateItem", {"TableName": "t", "Key": {}},
                  Retry=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException",
                                          "DynamoDb.ConditionalCheckFailedExceptoin",
                                          "DynamoDb.ConditionalCheckFailedException", "States.Timeout"]}])
    found = [(f.rule, f.pointer, f.severity) for f in validate(doc)]
    assert found == [("ASL-SDK-008", "/States/Call/Retry/0/ErrorEquals/0", "warning"),
                     ("ASL-SDK-008", "/States/Call/Retry/0/ErrorEquals/1", "warning")]


def test_error_names_come_from_the_model() -> None:
    names = aws_sdk.errors("dynamodb", "updateItem")
    assert "DynamoDb.ConditionalCheckFailedException" in names and "DynamoDb.DynamoDbException" in names
    assert "Sfn.TaskTimedOutException" in aws_sdk.errors("sfn", "sendTaskSuccess")
    assert "S3.NoSuchKeyException" in aws_sdk.errors("s3", "getObject")


def test_misspelt_parameter_stops_the_build_with_the_line(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "dsl", "build", "--definitions", str(HERE / "fixtures" / "misspelt"),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert run.returncode == 2, run.stderr
    assert "flow.py:4" in run.stderr and "did you mean 'Key'" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- the naming rules ---------------------------------------------------------

@pytest.mark.parametrize(("botocore", "java"), [
    ("DBInstanceIdentifier", "DbInstanceIdentifier"), ("SSEKMSKeyId", "SsekmsKeyId"), ("taskToken", "TaskToken"),
    ("Bucket", "Bucket"), ("ACL", "Acl"), ("VPCSecurityGroupIds", "VpcSecurityGroupIds"),
    ("MaxKeys", "MaxKeys"), ("S3Object", "S3Object"), ("KMSKeyId", "KmsKeyId"), ("IOPS", "Iops"),
])
def test_member_name(botocore: str, java: str) -> None:
    assert naming.member_name(botocore) == java


@pytest.mark.parametrize(("operation", "action"), [("GetObject", "getObject"), ("ListObjectsV2", "listObjectsV2"),
                                                   ("DescribeDBInstances", "describeDBInstances")])
def test_action_name(operation: str, action: str) -> None:
    assert naming.action_name(operation) == action


def test_service_exceptions_follow_the_rule() -> None:
    for name, botocore in sdk_model.SERVICE_EXCEPTIONS.items():
        assert sdk_model.service(name).botocore_name == botocore
    for name in ("redshiftdata", "emrserverless", "bedrockagent", "sfn", "eventbridge", "s3", "dynamodb"):
        assert sdk_model.service(name).name == name
    assert sdk_model.service("dynamodb").error_prefix == "DynamoDb"
    assert sdk_model.service("sfn").error_prefix == "Sfn"


def test_models_load_only_for_the_services_used() -> None:
    code = ("from dsl.integrations import sdk_model as m; m.service('s3'); m.service('sfn'); "
            "print(m._model_or_none.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "2"


def test_reserved_java_names_take_the_value_suffix() -> None:
    # AWS documents Equals -> EqualsValue; DynamoDB's NULL is Java's keyword null.
    assert naming.member_name("Equals") == "EqualsValue"
    assert naming.member_name("NULL") == "NullValue"
    assert naming.member_name("BOOL") == "Bool"


def test_optimized_error_prefix_in_the_sdk_spelling_warns() -> None:
    doc = machine("arn:aws:states:::dynamodb:updateItem", {"TableName": "t", "Key": {}},
                  Retry=[{"ErrorEquals": ["DynamoDb.ConditionalCheckFailedException",
                                          "DynamoDB.ConditionalCheckFailedException", "DynamoDB.SomethingNew"]}])
    found = [(f.rule, f.pointer) for f in validate(doc)]
    assert found == [("ASL-SDK-008", "/States/Call/Retry/0/ErrorEquals/0")]


def test_optimized_error_names_come_from_the_model() -> None:
    from dsl.integrations import dynamodb, stepfunctions

    names = dynamodb.OPTIMIZED[2].error_names()
    assert dynamodb.CONDITION_FAILED in names and "DynamoDB.ProvisionedThroughputExceededException" in names
    assert "StepFunctions.ExecutionLimitExceededException" in stepfunctions.OPTIMIZED[0].error_names()


def test_resource_parsing_is_one_function() -> None:
    from dsl.integrations.resource import IntegrationCall, parse

    assert parse("arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken") == IntegrationCall(True, "s3", "getObject",
                                                                                   "waitForTaskToken")
    assert parse("arn:aws-cn:states:::states:startExecution.sync:2") == IntegrationCall(False, "states", "startExecution",
                                                                             "sync:2")
    assert parse("arn:aws:lambda:us-east-1:123456789012:function:f") is None


def test_a_task_without_parameters_sends_its_input() -> None:
    # The state's input is the request (statelint's succeed-with-comment-in-catcher.json): no finding.
    for resource in (SDK + "s3:getObject", "arn:aws:states:::lambda:invoke"):
        doc = {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": resource, "End": True}}}
        assert rules(doc) == []
    assert "Parameters" not in Workflow("w", start=aws_sdk.call("Call", "s3", "getObject")).to_asl()["States"]["Call"]


def test_a_non_string_for_a_string_member_is_only_a_warning() -> None:
    # aws-samples' parallel-agent-early-stopping sends an object as SendTaskSuccess's Output.
    found = validate(machine(SDK + "sfn:sendTaskSuccess", {"TaskToken.$": "$.t", "Output": {"a.$": "$.a"}}))
    assert [(f.rule, f.severity) for f in found] == [("ASL-SDK-007", "warning")]


def test_a_misspelt_required_parameter_is_one_finding_not_two() -> None:
    assert rules(machine(SDK + "s3:getObject", {"Bucket": "b", "Kye": "k"})) == [
        ("ASL-SDK-003", "/States/Call/Parameters/Kye")]
    assert rules(machine(SDK + "sfn:sendTaskSuccess", {"taskToken": "t", "Output": "{}"})) == [
        ("ASL-SDK-003", "/States/Call/Parameters/taskToken")]
