"""IAM of aws-sdk calls: the action from botocore's signing name, the resource scoped where the call names it."""

from __future__ import annotations

from typing import Any

import pytest
from sdk_tasks import SDK_TASKS

from dsl.iam import UnsupportedIntegration, required_permissions
from dsl.integrations import sdk_iam

SDK = "arn:aws:states:::aws-sdk:"
P = "${AWS_Partition}"


def grants(call: str, parameters: dict[str, Any]) -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
    doc = {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": SDK + call,
                                                  "Parameters": parameters, "End": True}}}
    return [(g.actions, g.resources, g.why) for p in required_permissions(doc) for g in p.grants]


@pytest.mark.parametrize(("service", "action", "parameters"), SDK_TASKS, ids=[f"{s}:{a}" for s, a, _ in SDK_TASKS])
def test_every_real_shaped_call_gets_its_action_and_a_reason(service: str, action: str,
                                                           parameters: dict[str, Any]) -> None:
    found = grants(f"{service}:{action}", parameters)
    assert found and all(why for _, _, why in found)
    expected = sdk_iam.iam_action(service, action)
    # DynamoDB transactions are granted per item action instead
    assert any(expected in actions for actions, _, _ in found) or action.startswith("transact"), found


@pytest.mark.parametrize(("service", "action", "iam"), [
    ("sfn", "startExecution", "states:StartExecution"), ("eventbridge", "putRule", "events:PutRule"),
    ("elasticloadbalancingv2", "describeTargetHealth", "elasticloadbalancing:DescribeTargetHealth"),
    ("sagemakerruntime", "invokeEndpoint", "sagemaker:InvokeEndpoint"), ("cloudwatchlogs", "putLogEvents",
                                                                         "logs:PutLogEvents"),
    ("redshiftdata", "executeStatement", "redshift-data:ExecuteStatement"), ("iotdataplane", "publish", "iot:Publish"),
    ("rds", "describeDBInstances", "rds:DescribeDBInstances"), ("lambda", "invoke", "lambda:InvokeFunction"),
    ("s3", "copyObject", "s3:PutObject"), ("sqs", "sendMessageBatch", "sqs:SendMessage"), ("costexplorer", "getCostAndUsage", "ce:GetCostAndUsage"),
])
def test_iam_prefix_is_the_signing_name_with_documented_exceptions(service: str, action: str, iam: str) -> None:
    assert sdk_iam.iam_action(service, action) == iam


def test_resources_are_scoped_where_the_call_names_them() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:alerts"
    assert grants("sns:tagResource", {"ResourceArn": topic, "Tags": []}) == [
        (("sns:TagResource",), (topic,), "aws-sdk:sns:tagResource names these resources")]
    assert grants("s3:getObject", {"Bucket": "b", "Key": "k"})[0][:2] == (("s3:GetObject",), (f"arn:{P}:s3:::b/k",))
    assert grants("s3:copyObject", {"Bucket": "b", "Key": "k", "CopySource": "src/x"})[1][:2] == (
        ("s3:GetObject",), (f"arn:{P}:s3:::src/x",))
    assert grants("s3:listObjectsV2", {"Bucket": "b"})[0][:2] == (("s3:ListBucket",), (f"arn:{P}:s3:::b",))
    # an ARN parameter computed at run time may name the resource: no narrowing
    assert grants("sns:tagResource", {"ResourceArn.$": "$.arn", "Tags": []})[0][1] == ("*",)
    ((_, resources, why),) = grants("ec2:describeInstances", {})
    assert resources == ("*",) and "no parameter names the resource" in why
    assert grants("sfn:sendTaskSuccess", {"TaskToken": "t", "Output": "{}"})[0][1] == ("*",)


def test_unknown_service_or_action_is_refused_with_the_closest_name() -> None:
    with pytest.raises(UnsupportedIntegration, match="did you mean 'sfn'"):
        grants("stepfunctions:startExecution", {})
    with pytest.raises(UnsupportedIntegration, match="did you mean 'getObject'"):
        grants("s3:getObjekt", {})
    with pytest.raises(UnsupportedIntegration, match="waitForTaskToken only"):
        grants("glue:startJobRun.sync", {})
