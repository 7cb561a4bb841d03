"""Write the validator's corpus of realistic ASL definitions to ``tests/validate/corpus/``.

Run from the repository root: ``python tests/validate/make_corpus.py``. The
output is deterministic (sorted names, fixed parameters), so re-running it gives
the same bytes; the files are committed and the tests read them.

Each family below is a workflow shape seen in real Step Functions projects
(order processing, job polling, human approval callbacks, inline and
distributed Map fan-out, intrinsic functions, variables, JSONata, ...). The
variants change the services, retry policies, timeouts and names, so every
file is a plausible, different definition. All of them must be valid.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsl.jsontext import dumps, write_atomic

CORPUS = Path(__file__).with_name("corpus")
Doc = dict[str, Any]

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1")
ACCOUNTS = ("123456789012", "210987654321", "111122223333")
RETRIES: dict[str, list[Doc]] = {
    "none": [],
    "lambda": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
    "jitter": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0},
               {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 5, "BackoffRate": 1.5,
                "MaxDelaySeconds": 30, "JitterStrategy": "FULL"}],
    "throttle": [{"ErrorEquals": ["ThrottlingException", "States.TaskFailed"], "IntervalSeconds": 3,
                  "MaxAttempts": 6, "BackoffRate": 2.5, "Comment": "back off on throttling"}],
}


def arn(service: str, region: str, account: str, resource: str) -> str:
    """An ARN for ``service`` in ``region``/``account``."""
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def lambda_task(function: str, region: str, account: str, *, retry: str, nxt: str | None,
                result_path: str | None = "$.result") -> Doc:
    """A Lambda invoke through the optimized integration."""
    state: Doc = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": arn("lambda", region, account, f"function:{function}"), "Payload.$": "$"},
        "ResultSelector": {"body.$": "$.Payload", "status.$": "$.StatusCode"},
        "ResultPath": result_path,
    }
    if RETRIES[retry]:
        state["Retry"] = RETRIES[retry]
    state.update({"Next": nxt} if nxt else {"End": True})
    return state


# ---------------------------------------------------------------- JSONPath families

def order_processing(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    retry = list(RETRIES)[variant % 4]
    threshold = 100 * (variant + 1)
    notify: Doc = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn": arn("sns", region, account, "order-events"),
                       "Message.$": "States.Format('Order {} is confirmed for {}', $.orderId, $.customer.email)",
                       "Subject": "Order confirmed"},
        "End": True,
    }
    record: Doc = {
        "Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {"TableName": f"orders-{variant}",
                       "Item": {"orderId": {"S.$": "$.orderId"}, "status": {"S": "CONFIRMED"},
                                "total": {"N.$": "States.Format('{}', $.total)"},
                                "createdAt": {"S.$": "$$.State.EnteredTime"}}},
        "ResultPath": None,
        "End": True,
    }
    return {
        "Comment": f"Order processing with manual review above {threshold}",
        "StartAt": "Validate Order",
        "States": {
            "Validate Order": lambda_task("validate-order", region, account, retry=retry, nxt="Check Amount",
                                          result_path="$.validation"),
            "Check Amount": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.validation.body.valid", "BooleanEquals": False, "Next": "Reject Order"},
                    {"And": [{"Variable": "$.total", "IsNumeric": True},
                             {"Variable": "$.total", "NumericGreaterThan": threshold}],
                     "Next": "Manual Review"},
                ],
                "Default": "Charge Payment",
            },
            "Manual Review": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": f"https://sqs.{region}.amazonaws.com/{account}/order-review",
                               "MessageBody": {"taskToken.$": "$$.Task.Token", "order.$": "$"}},
                "TimeoutSeconds": 86400 * (1 + variant % 3),
                "HeartbeatSeconds": 3600,
                "ResultPath": "$.review",
                "Catch": [{"ErrorEquals": ["States.Timeout", "States.HeartbeatTimeout"],
                           "ResultPath": "$.error", "Next": "Reject Order"}],
                "Next": "Charge Payment",
            },
            "Charge Payment": {
                "Type": "Task",
                "Resource": arn("lambda", region, account, "function:charge-payment"),
                "InputPath": "$.payment",
                "ResultPath": "$.charge",
                "TimeoutSeconds": 30,
                "Retry": RETRIES["jitter"],
                "Catch": [{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.error", "Next": "Reject Order"},
                          {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Payment Failed"}],
                "Next": "Confirm",
            },
            "Confirm": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Notify Customer", "States": {"Notify Customer": notify}},
                    {"StartAt": "Record Order", "States": {"Record Order": record}},
                ],
                "ResultPath": None,
                "Next": "Done",
            },
            "Reject Order": {"Type": "Fail", "Error": "OrderRejected", "Cause": "Validation or review refused"},
            "Payment Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"},
            "Done": {"Type": "Succeed", "OutputPath": "$.charge"},
        },
    }


JOB_KINDS: dict[str, tuple[str, Doc, str, Doc, str]] = {
    # name: (start resource, start parameters, status resource, status parameters, status path)
    "glue": ("arn:aws:states:::glue:startJobRun", {"JobName": "nightly-etl", "Arguments": {"--day.$": "$.day"}},
             "arn:aws:states:::aws-sdk:glue:getJobRun", {"JobName": "nightly-etl", "RunId.$": "$.job.JobRunId"},
             "$.status.JobRun.JobRunState"),
    "athena": ("arn:aws:states:::athena:startQueryExecution",
               {"QueryString.$": "States.Format('SELECT * FROM sales WHERE day = \\'{}\\'', $.day)",
                "WorkGroup": "primary"},
               "arn:aws:states:::athena:getQueryExecution", {"QueryExecutionId.$": "$.job.QueryExecutionId"},
               "$.status.QueryExecution.Status.State"),
    "batch": ("arn:aws:states:::aws-sdk:batch:submitJob",
              {"JobName.$": "States.Format('report-{}', $.day)", "JobQueue": "reports", "JobDefinition": "report:3"},
              "arn:aws:states:::aws-sdk:batch:describeJobs", {"Jobs.$": "States.Array($.job.JobId)"},
              "$.status.Jobs[0].Status"),
    "emr": ("arn:aws:states:::aws-sdk:emrserverless:startJobRun",
            {"ApplicationId": "00f1abc", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/emr",
             "JobDriver": {"SparkSubmit": {"EntryPoint": "s3://jobs/main.py"}}, "ClientToken.$": "States.UUID()"},
            "arn:aws:states:::aws-sdk:emrserverless:getJobRun",
            {"ApplicationId": "00f1abc", "JobRunId.$": "$.job.JobRunId"}, "$.status.JobRun.State"),
}


def job_polling(variant: int) -> Doc:
    kind = list(JOB_KINDS)[variant % len(JOB_KINDS)]
    start_resource, start_parameters, status_resource, status_parameters, status_path = JOB_KINDS[kind]
    wait: Doc = {"Type": "Wait", "Next": "Get Status"}
    if variant % 2:
        wait["SecondsPath"] = "$.pollSeconds"
    else:
        wait["Seconds"] = 15 * (variant + 1)
    return {
        "Comment": f"Start a {kind} job and poll until it finishes",
        "StartAt": "Start Job",
        "TimeoutSeconds": 3600 * (variant + 1),
        "States": {
            "Start Job": {"Type": "Task", "Resource": start_resource, "Parameters": start_parameters,
                          "ResultPath": "$.job", "Retry": RETRIES["throttle"], "Next": "Wait For Job"},
            "Wait For Job": wait,
            "Get Status": {"Type": "Task", "Resource": status_resource, "Parameters": status_parameters,
                           "ResultPath": "$.status", "Retry": RETRIES["jitter"], "Next": "Job Finished?"},
            "Job Finished?": {
                "Type": "Choice",
                "Choices": [
                    {"Or": [{"Variable": status_path, "StringEquals": "SUCCEEDED"},
                            {"Variable": status_path, "StringEquals": "SUCCESS"}], "Next": "Job Succeeded"},
                    {"Or": [{"Variable": status_path, "StringEquals": "FAILED"},
                            {"Variable": status_path, "StringEquals": "CANCELLED"},
                            {"Variable": status_path, "StringMatches": "*ERROR*"}], "Next": "Job Failed"},
                ],
                "Default": "Wait For Job",
            },
            "Job Succeeded": {"Type": "Succeed"},
            "Job Failed": {"Type": "Fail", "Error": f"{kind.capitalize()}JobFailed",
                           "CausePath": "States.Format('Job ended in state {}', " + status_path + ")"},
        },
    }


def approval_callback(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    channel = ("sqs", "sns", "lambda", "events")[variant % 4]
    if channel == "sqs":
        resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
        parameters: Doc = {"QueueUrl": f"https://sqs.{region}.amazonaws.com/{account}/approvals",
                           "MessageBody": {"token.$": "$$.Task.Token", "request.$": "$.request"}}
    elif channel == "sns":
        resource = "arn:aws:states:::sns:publish.waitForTaskToken"
        parameters = {"TopicArn": arn("sns", region, account, "approvals"),
                      "Message": {"token.$": "$$.Task.Token", "request.$": "$.request"}}
    elif channel == "lambda":
        resource = "arn:aws:states:::lambda:invoke.waitForTaskToken"
        parameters = {"FunctionName": arn("lambda", region, account, "function:ask-approver"),
                      "Payload": {"token.$": "$$.Task.Token", "request.$": "$.request"}}
    else:
        resource = "arn:aws:states:::events:putEvents.waitForTaskToken"
        parameters = {"Entries": [{"Source": "approvals", "DetailType": "ApprovalRequested",
                                   "Detail": {"token.$": "$$.Task.Token", "request.$": "$.request"},
                                   "EventBusName": "default"}]}
    return {
        "Comment": f"Human approval through {channel} with a task token",
        "StartAt": "Request Approval",
        "States": {
            "Request Approval": {
                "Type": "Task", "Resource": resource, "Parameters": parameters,
                "TimeoutSeconds": 3600 * 24 * (variant % 7 + 1), "HeartbeatSeconds": 3600,
                "ResultPath": "$.decision",
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Escalate"},
                          {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Approval Error"}],
                "Next": "Approved?",
            },
            "Approved?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.decision.approved", "BooleanEquals": True, "Next": "Apply Change"},
                            {"Not": {"Variable": "$.decision.approved", "IsPresent": True}, "Next": "Escalate"}],
                "Default": "Rejected",
            },
            "Escalate": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                         "Parameters": {"TopicArn": arn("sns", region, account, "escalations"),
                                        "Message.$": "States.JsonToString($.request)"},
                         "ResultPath": None, "Next": "Rejected"},
            "Apply Change": lambda_task("apply-change", region, account, retry="lambda", nxt="Approved"),
            "Approved": {"Type": "Succeed"},
            "Rejected": {"Type": "Fail", "Error": "ChangeRejected"},
            "Approval Error": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"},
        },
    }


def inline_map(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    use_iterator = variant % 3 == 0
    processor: Doc = {
        "StartAt": "Resize Image",
        "States": {
            "Resize Image": lambda_task("resize-image", region, account, retry="lambda", nxt="Store Thumbnail",
                                        result_path="$.resized"),
            "Store Thumbnail": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:copyObject",
                "Parameters": {"Bucket": "thumbnails", "CopySource.$": "States.Format('uploads/{}', $.key)",
                               "Key.$": "$.resized.body.key"},
                "ResultSelector": {"etag.$": "$.CopyObjectResult.ETag"},
                "End": True,
            },
        },
    }
    state: Doc = {
        "Type": "Map",
        "ItemsPath": "$.images",
        "MaxConcurrency": (0, 5, 10, 40)[variant % 4],
        "ResultPath": "$.thumbnails",
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Report Failure"}],
        "Next": "Summarize",
    }
    if use_iterator:
        state["Iterator"] = processor
        state["Parameters"] = {"key.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}
    else:
        state["ItemProcessor"] = {"ProcessorConfig": {"Mode": "INLINE"}, **processor}
        state["ItemSelector"] = {"key.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index",
                                 "bucket.$": "$.bucket"}
    return {
        "Comment": "Make a thumbnail of every uploaded image",
        "StartAt": "Process Images",
        "States": {
            "Process Images": state,
            "Summarize": {"Type": "Pass",
                          "Parameters": {"count.$": "States.ArrayLength($.thumbnails)", "bucket.$": "$.bucket"},
                          "End": True},
            "Report Failure": {"Type": "Fail", "Error": "ThumbnailFailed",
                               "CausePath": "$.error.Cause"},
        },
    }


READERS: list[Doc] = [
    {"Resource": "arn:aws:states:::s3:getObject",
     "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
     "Parameters": {"Bucket": "sales-data", "Key.$": "$.key"}},
    {"Resource": "arn:aws:states:::s3:getObject",
     "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN",
                      "CSVHeaders": ["id", "customer", "amount"], "CSVDelimiter": "SEMICOLON", "MaxItems": 5000},
     "Parameters": {"Bucket": "sales-data", "Key": "exports/orders.csv"}},
    {"Resource": "arn:aws:states:::s3:listObjectsV2",
     "Parameters": {"Bucket": "uploads", "Prefix.$": "$.prefix"}},
    {"Resource": "arn:aws:states:::s3:getObject",
     "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.limit"},
     "Parameters": {"Bucket": "events", "Key": "batch.json"}},
    {"Resource": "arn:aws:states:::s3:getObject",
     "ReaderConfig": {"InputType": "JSONL"},
     "Parameters": {"Bucket": "events", "Key.$": "$.manifestKey"}},
    {"Resource": "arn:aws:states:::s3:getObject",
     "ReaderConfig": {"InputType": "MANIFEST", "ManifestType": "S3_INVENTORY"},
     "Parameters": {"Bucket": "inventory", "Key": "daily/manifest.json"}},
]


def distributed_map(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    reader = READERS[variant % len(READERS)]
    state: Doc = {
        "Type": "Map",
        "Label": f"Batch{variant}",
        "ItemReader": reader,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": ("EXPRESS", "STANDARD")[variant % 2]},
            "StartAt": "Handle Batch",
            "States": {"Handle Batch": lambda_task("handle-batch", region, account, retry="lambda", nxt=None,
                                                   result_path=None)},
        },
        "MaxConcurrency": 100 * (variant % 5 + 1),
        "ResultPath": "$.mapRun",
        "Next": "Finished",
    }
    if variant % 2 == 0:
        state["ItemBatcher"] = {"MaxItemsPerBatch": 50, "MaxInputBytesPerBatch": 131072,
                                "BatchInput": {"runId.$": "$$.Execution.Name"}}
    if variant % 3 != 2:
        state["ResultWriter"] = {"Resource": "arn:aws:states:::s3:putObject",
                                 "Parameters": {"Bucket": "map-results", "Prefix": f"runs/{variant}"}}
    if variant % 4 == 1:
        state["ToleratedFailurePercentage"] = 5
    elif variant % 4 == 2:
        state["ToleratedFailureCountPath"] = "$.maxFailures"
    else:
        state["ToleratedFailureCount"] = 10
    return {
        "Comment": "Distributed Map over a data set in Amazon S3",
        "StartAt": "Process Data Set",
        "States": {"Process Data Set": state,
                   "Finished": {"Type": "Succeed", "OutputPath": "$.mapRun"}},
    }


def intrinsics_showcase(variant: int) -> Doc:
    calls = [
        ("greeting.$", "States.Format('Hello {}, you have {} items', $.name, $.count)"),
        ("parsed.$", "States.StringToJson($.payload)"),
        ("text.$", "States.JsonToString($.config)"),
        ("pair.$", "States.Array($.a, $.b, 'literal', 3, true, null)"),
        ("chunks.$", "States.ArrayPartition($.ids, 4)"),
        ("hasAdmin.$", "States.ArrayContains($.roles, 'admin')"),
        ("range.$", "States.ArrayRange(1, 99, 2)"),
        ("second.$", "States.ArrayGetItem($.ids, 1)"),
        ("size.$", "States.ArrayLength($.ids)"),
        ("unique.$", "States.ArrayUnique($.tags)"),
        ("encoded.$", "States.Base64Encode($.name)"),
        ("decoded.$", "States.Base64Decode($.blob)"),
        ("digest.$", "States.Hash($.name, 'SHA-256')"),
        ("merged.$", "States.JsonMerge($.defaults, $.overrides, false)"),
        ("dice.$", "States.MathRandom(1, 6)"),
        ("next.$", "States.MathAdd($.counter, 1)"),
        ("words.$", "States.StringSplit($.sentence, ' ')"),
        ("id.$", "States.UUID()"),
        ("nested.$", "States.Format('{}-{}', States.UUID(), States.ArrayLength(States.StringSplit($.csv, ',')))"),
        ("escaped.$", "States.Format('It\\'s {} \\{literal\\}', $.name)"),
    ]
    chosen = calls[variant % 5:] + calls[:variant % 5]
    first, second = dict(chosen[:10]), dict(chosen[10:])
    return {
        "Comment": "Data shaping with intrinsic functions only",
        "StartAt": "Shape Input",
        "States": {
            "Shape Input": {"Type": "Pass", "Parameters": first, "ResultPath": "$.shaped", "Next": "Shape More"},
            "Shape More": {"Type": "Pass", "Parameters": {"context": {"execution.$": "$$.Execution.Id",
                                                                      "started.$": "$$.Execution.StartTime"},
                                                          **second},
                           "ResultPath": "$.more", "Next": "Keep"},
            "Keep": {"Type": "Pass", "InputPath": "$.shaped", "Result": {"kept": True}, "ResultPath": "$.flag",
                     "OutputPath": "$", "End": True},
        },
    }


def etl_pipeline(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    return {
        "Comment": "Extract with ECS, transform with Glue, load and announce",
        "StartAt": "Extract",
        "States": {
            "Extract": {
                "Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask.sync",
                "Parameters": {
                    "LaunchType": "FARGATE",
                    "Cluster": arn("ecs", region, account, "cluster/etl"),
                    "TaskDefinition": arn("ecs", region, account, f"task-definition/extract:{variant + 1}"),
                    "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-0a1b2c3d"],
                                                                     "AssignPublicIp": "DISABLED"}},
                    "Overrides": {"ContainerOverrides": [{"Name": "extract", "Environment": [
                        {"Name": "SOURCE", "Value.$": "$.source"},
                        {"Name": "RUN_ID", "Value.$": "$$.Execution.Name"}]}]},
                },
                "TimeoutSecondsPath": "$.limits.extractSeconds",
                "ResultPath": None,
                "Retry": RETRIES["throttle"],
                "Next": "Transform",
            },
            "Transform": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync",
                          "Parameters": {"JobName": f"transform-{variant}",
                                         "Arguments": {"--source.$": "$.source"}},
                          "TimeoutSeconds": 7200, "ResultPath": "$.glue", "Next": "Load"},
            "Load": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                     "Parameters": {"StateMachineArn": arn("states", region, account, "stateMachine:loader"),
                                    "Input": {"table.$": "$.target",
                                              "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}},
                     "ResultSelector": {"output.$": "States.StringToJson($.Output)"},
                     "ResultPath": "$.load", "Next": "Announce"},
            "Announce": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
                         "Parameters": {"Entries": [{"Source": "etl", "DetailType": "LoadFinished",
                                                     "Detail": {"rows.$": "$.load.output.rows"}}]},
                         "ResultPath": None, "End": True},
        },
    }


def wait_until(variant: int) -> Doc:
    stamp = f"20{25 + variant % 5}-0{1 + variant % 9}-1{variant % 9}T0{variant % 10}:30:00Z"
    wait: Doc = {"Type": "Wait", "Next": "Send Reminder"}
    if variant % 2:
        wait["Timestamp"] = stamp
    else:
        wait["TimestampPath"] = "$.remindAt"
    return {
        "Comment": "Send a reminder at a given time unless the deadline passed",
        "StartAt": "Deadline Passed?",
        "States": {
            "Deadline Passed?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.deadline", "TimestampLessThanPath": "$$.Execution.StartTime",
                             "Next": "Too Late"},
                            {"Variable": "$.remindAt", "TimestampGreaterThan": stamp, "Next": "Too Late"}],
                "Default": "Wait Until",
            },
            "Wait Until": wait,
            "Send Reminder": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                              "Parameters": {"TopicArn": arn("sns", REGIONS[variant % 5], ACCOUNTS[0], "reminders"),
                                             "Message.$": "$.message"}, "End": True},
            "Too Late": {"Type": "Succeed", "Comment": "nothing to do"},
        },
    }


def variables_jsonpath(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    return {
        "Comment": "Workflow variables in a JSONPath machine",
        "StartAt": "Load Profile",
        "States": {
            "Load Profile": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": "profiles", "Key": {"userId": {"S.$": "$.userId"}}},
                "Assign": {"profile.$": "$.Item", "attempts": 0, "userId.$": "$$.Execution.Input.userId"},
                "ResultPath": None,
                "Next": "Has Email?",
            },
            "Has Email?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$profile.email.S", "IsPresent": True, "Next": "Send Email",
                             "Assign": {"channel": "email"}}],
                "Default": "Send Sms",
                "Assign": {"checkedAt.$": "$$.State.EnteredTime"},
            },
            "Send Email": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail",
                           "Parameters": {"FromEmailAddress": "noreply@example.com",
                                          "Destination": {"ToAddresses.$": "States.Array($profile.email.S)"},
                                          "Content": {"Simple": {"Subject": {"Data": "Hello"},
                                                                 "Body": {"Text": {"Data.$": "$.text"}}}}},
                           "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Send Sms",
                                      "Assign": {"channel": "sms"}, "ResultPath": "$.emailError"}],
                           "ResultPath": None, "Next": "Done"},
            "Send Sms": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                         "Parameters": {"PhoneNumber.$": "$profile.phone.S", "Message.$": "$.text"},
                         "Retry": RETRIES["jitter"],
                         "ResultPath": None, "Next": "Done"},
            "Done": {"Type": "Pass", "Parameters": {"user.$": "$userId", "channel.$": "$channel"},
                     "End": True},
        },
    } if variant % 2 == 0 else {
        "Comment": "Counting retries with a variable",
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"tries": 0}, "Next": "Call Api"},
            "Call Api": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                         "Parameters": {"ApiEndpoint": "https://api.example.com/v1/orders", "Method": "GET",
                                        "Authentication": {"ConnectionArn": arn("events", region, account,
                                                                                "connection/api/abc")}},
                         "Assign": {"tries.$": "States.MathAdd($tries, 1)"},
                         "ResultSelector": {"code.$": "$.StatusCode", "body.$": "$.ResponseBody"},
                         "Next": "Ok?"},
            "Ok?": {"Type": "Choice",
                    "Choices": [{"Variable": "$.code", "NumericEquals": 200, "Next": "Done"},
                                {"Variable": "$tries", "NumericLessThan": 3 + variant % 4, "Next": "Back Off"}],
                    "Default": "Give Up"},
            "Back Off": {"Type": "Wait", "Seconds": 10, "Next": "Call Api"},
            "Give Up": {"Type": "Fail", "Error": "ApiUnavailable", "Cause": "Too many failed calls"},
            "Done": {"Type": "Succeed"},
        },
    }


def choice_matrix(variant: int) -> Doc:
    tiers = ("bronze", "silver", "gold", "platinum")
    return {
        "Comment": "Route a request through every kind of Choice rule",
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "InputPath": "$.request",
                "Choices": [
                    {"Variable": "$.customer", "IsNull": True, "Next": "Anonymous"},
                    {"And": [{"Variable": "$.tier", "StringEquals": tiers[variant % 4]},
                             {"Or": [{"Variable": "$.amount", "NumericGreaterThanEquals": 1000 + variant},
                                     {"Variable": "$.amount", "NumericGreaterThanEqualsPath": "$.limits.vip"}]}],
                     "Next": "Priority"},
                    {"Not": {"Variable": "$.region", "StringMatches": "eu-*"}, "Next": "Elsewhere"},
                    {"Variable": "$.flags.beta", "BooleanEqualsPath": "$.flags.enabled", "Next": "Beta"},
                    {"Variable": "$.code", "StringLessThanEquals": "M", "Next": "Standard"},
                    {"Variable": "$.score", "IsNumeric": False, "Next": "Standard"},
                ],
                "Default": "Standard",
            },
            "Anonymous": {"Type": "Pass", "Result": {"route": "anonymous"}, "End": True},
            "Priority": {"Type": "Pass", "Result": {"route": "priority"}, "End": True},
            "Elsewhere": {"Type": "Pass", "Result": {"route": "elsewhere"}, "End": True},
            "Beta": {"Type": "Pass", "Result": {"route": "beta"}, "End": True},
            "Standard": {"Type": "Pass", "Result": {"route": "standard"}, "End": True},
        },
    }


def semaphore(variant: int) -> Doc:
    limit = str(variant + 2)
    table = f"locks-{variant}"
    key = {"LockName": {"S": f"lock-{variant}"}}
    release = {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
        "Parameters": {"TableName": table, "Key": key,
                       "ExpressionAttributeNames": {"#count": "currentlockcount", "#owner.$": "$$.Execution.Id"},
                       "ExpressionAttributeValues": {":one": {"N": "1"}},
                       "UpdateExpression": "SET #count = #count - :one REMOVE #owner",
                       "ConditionExpression": "attribute_exists(#owner)"},
        "Retry": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "MaxAttempts": 0},
                  {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5, "BackoffRate": 1.5}],
        "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Released",
                   "ResultPath": None}],
        "ResultPath": None, "Next": "Released",
    }
    return {
        "Comment": "A counting semaphore in DynamoDB around a unit of work",
        "StartAt": "Acquire",
        "States": {
            "Acquire": {
                "Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                "Parameters": {"TableName": table, "Key": key,
                               "ExpressionAttributeNames": {"#count": "currentlockcount",
                                                            "#owner.$": "$$.Execution.Id"},
                               "ExpressionAttributeValues": {":one": {"N": "1"}, ":limit": {"N": limit},
                                                             ":zero": {"N": "0"},
                                                             ":now": {"S.$": "$$.State.EnteredTime"}},
                               "UpdateExpression": "SET #count = if_not_exists(#count, :zero) + :one, #owner = :now",
                               "ConditionExpression": "(attribute_not_exists(#count) OR #count < :limit) "
                                                      "AND attribute_not_exists(#owner)"},
                "Retry": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "MaxAttempts": 0},
                          {"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Wait For Slot",
                           "ResultPath": "$.lockError"}],
                "ResultPath": None, "Next": "Work",
            },
            "Wait For Slot": {"Type": "Wait", "Seconds": 2 + variant % 3, "Next": "Acquire"},
            "Work": {"Type": "Parallel", "Branches": [{"StartAt": "Do Work", "States": {
                "Do Work": lambda_task("do-work", REGIONS[variant % 5], ACCOUNTS[variant % 3], retry="lambda",
                                       nxt=None)}}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Release After Failure",
                                "ResultPath": "$.workError"}],
                     "ResultPath": None, "Next": "Release"},
            "Release": release,
            "Release After Failure": {**release, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Work Failed"}],
                                      "Next": "Work Failed"},
            "Released": {"Type": "Succeed"},
            "Work Failed": {"Type": "Fail", "Error": "WorkFailed", "CausePath": "$.workError.Cause"},
        },
    }


# ---------------------------------------------------------------- JSONata families

def jsonata_order(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    return {
        "Comment": "Order processing written in JSONata",
        "QueryLanguage": "JSONata",
        "StartAt": "Validate",
        "States": {
            "Validate": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": arn("lambda", region, account, "function:validate"),
                              "Payload": "{% $states.input %}"},
                "Assign": {"order": "{% $states.input %}", "valid": "{% $states.result.Payload.valid %}"},
                "Output": "{% $states.result.Payload %}",
                "Retry": RETRIES["lambda"],
                "TimeoutSeconds": 20 + variant,
                "Next": "Valid?",
            },
            "Valid?": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $valid and $order.total > " + str(50 * (variant + 1)) + " %}",
                             "Next": "Review"},
                            {"Condition": "{% $valid %}", "Next": "Ship", "Assign": {"reviewed": False}}],
                "Default": "Invalid",
            },
            "Review": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Arguments": {"QueueUrl": f"https://sqs.{region}.amazonaws.com/{account}/review",
                              "MessageBody": {"token": "{% $states.context.Task.Token %}", "order": "{% $order %}"}},
                "TimeoutSeconds": "{% $order.priority = 'high' ? 3600 : 86400 %}",
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Invalid",
                           "Output": "{% $states.errorOutput %}"}],
                "Next": "Ship",
            },
            "Ship": {
                "Type": "Map",
                "Items": "{% $order.lines %}",
                "MaxConcurrency": 5,
                "ItemSelector": {"line": "{% $states.context.Map.Item.Value %}", "orderId": "{% $order.id %}"},
                "ItemProcessor": {"StartAt": "Reserve", "States": {"Reserve": {
                    "Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                    "Arguments": {"TableName": "stock", "Key": {"sku": {"S": "{% $states.input.line.sku %}"}},
                                  "UpdateExpression": "SET qty = qty - :n",
                                  "ExpressionAttributeValues": {":n": {"N": "{% $string($states.input.line.qty) %}"}}},
                    "End": True}}},
                "Output": {"orderId": "{% $order.id %}", "lines": "{% $count($states.result) %}"},
                "Next": "Done",
            },
            "Invalid": {"Type": "Fail", "Error": "InvalidOrder",
                        "Cause": "{% 'Order ' & $order.id & ' failed validation' %}"},
            "Done": {"Type": "Succeed", "Output": "{% $states.input %}"},
        },
    }


def jsonata_distributed(variant: int) -> Doc:
    return {
        "Comment": "Distributed Map in JSONata with a CSV reader",
        "QueryLanguage": "JSONata",
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Assign": {"bucket": "{% $states.input.bucket %}",
                                                   "runId": "{% $uuid() %}"}, "Next": "Process"},
            "Process": {
                "Type": "Map",
                "Label": f"Rows{variant}",
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                               "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW",
                                                "MaxItems": "{% $states.input.limit %}"},
                               "Arguments": {"Bucket": "{% $bucket %}", "Key": "{% $states.input.key %}"}},
                "ItemBatcher": {"MaxItemsPerBatch": 10 * (variant + 1),
                                "BatchInput": {"runId": "{% $runId %}"}},
                "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                                 "Arguments": {"Bucket": "{% $bucket %}", "Prefix": "results"},
                                 "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                                  "StartAt": "Score", "States": {"Score": {
                                      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "score-rows", "Payload": "{% $states.input %}"},
                                      "Output": "{% $states.result.Payload %}", "End": True}}},
                "MaxConcurrency": "{% $states.input.concurrency %}",
                "ToleratedFailurePercentage": "{% $states.input.tolerance %}",
                "Retry": [{"ErrorEquals": ["States.ItemReaderFailed"], "MaxAttempts": 2}],
                "Next": "Report",
            },
            "Report": {"Type": "Wait", "Seconds": "{% $states.input.delay ? $states.input.delay : 1 %}",
                       "Next": "Finish"},
            "Finish": {"Type": "Succeed"},
        },
    }


def mixed_languages(variant: int) -> Doc:
    region, account = REGIONS[variant % 5], ACCOUNTS[variant % 3]
    return {
        "Comment": "A JSONPath machine with one state written in JSONata",
        "StartAt": "Fetch",
        "States": {
            "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                      "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"},
                      "ResultSelector": {"body.$": "States.StringToJson($.Body)"},
                      "ResultPath": "$.file", "Next": "Summarize"},
            "Summarize": {"Type": "Pass", "QueryLanguage": "JSONata",
                          "Output": {"total": "{% $sum($states.input.file.body.items.price) %}",
                                     "count": "{% $count($states.input.file.body.items) %}"},
                          "Next": "Large?"},
            "Large?": {"Type": "Choice", "QueryLanguage": "JSONata",
                       "Choices": [{"Condition": "{% $states.input.total > " + str(1000 * (variant + 1)) + " %}",
                                    "Next": "Alert"}],
                       "Default": "Done"},
            "Alert": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                      "Parameters": {"TopicArn": arn("sns", region, account, "large-files"),
                                     "Message.$": "States.Format('Total {}', $.total)"},
                      "End": True},
            "Done": {"Type": "Succeed"},
        },
    }


def jsonata_wait_and_fail(variant: int) -> Doc:
    return {
        "QueryLanguage": "JSONata",
        "Comment": "Timed retries in JSONata",
        "StartAt": "Schedule",
        "States": {
            "Schedule": {"Type": "Pass", "Assign": {"attempt": 0, "until": "{% $states.input.until %}"},
                         "Next": "Wait Until"},
            "Wait Until": {"Type": "Wait", "Timestamp": "{% $until %}", "Next": "Try"},
            "Try": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                    "Arguments": {"ApiEndpoint": "https://status.example.com/health", "Method": "GET",
                                  "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:"
                                                                      "connection/status/xyz"}},
                    "Assign": {"attempt": "{% $attempt + 1 %}"},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Again?",
                               "Assign": {"lastError": "{% $states.errorOutput %}"}}],
                    "Next": "Healthy"},
            "Again?": {"Type": "Choice",
                       "Choices": [{"Condition": "{% $attempt < " + str(3 + variant % 3) + " %}", "Next": "Pause"}],
                       "Default": "Unhealthy"},
            "Pause": {"Type": "Wait", "Seconds": 5 * (variant + 1), "Next": "Try"},
            "Unhealthy": {"Type": "Fail", "Error": "{% $lastError.Error %}", "Cause": "{% $lastError.Cause %}"},
            "Healthy": {"Type": "Succeed"},
        },
    }


def jsonata_parallel(variant: int) -> Doc:
    return {
        "QueryLanguage": "JSONata",
        "Comment": "Enrich a customer from three sources at once",
        "StartAt": "Enrich",
        "States": {
            "Enrich": {
                "Type": "Parallel",
                "Arguments": {"customerId": "{% $states.input.id %}"},
                "Branches": [
                    {"StartAt": "Profile", "States": {"Profile": {
                        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                        "Arguments": {"TableName": "customers", "Key": {"id": {"S": "{% $states.input.customerId %}"}}},
                        "Output": "{% $states.result.Item %}", "End": True}}},
                    {"StartAt": "Orders", "States": {"Orders": {
                        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
                        "Arguments": {"TableName": "orders", "KeyConditionExpression": "customerId = :c",
                                      "ExpressionAttributeValues": {":c": {"S": "{% $states.input.customerId %}"}}},
                        "Output": "{% $states.result.Items %}", "End": True}}},
                    {"StartAt": "Score", "States": {"Score": {
                        "Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
                        "Arguments": {"ModelId": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1",
                                      "Body": {"inputText": "{% 'Rate customer ' & $states.input.customerId %}"}},
                        "TimeoutSeconds": 60 + variant,
                        "Output": "{% $states.result.Body %}", "End": True}}},
                ],
                "Output": {"profile": "{% $states.result[0] %}", "orders": "{% $states.result[1] %}",
                           "score": "{% $states.result[2] %}"},
                "Catch": [{"ErrorEquals": ["States.BranchFailed"], "Next": "Partial"},
                          {"ErrorEquals": ["States.ALL"], "Next": "Partial",
                           "Output": {"error": "{% $states.errorOutput %}"}}],
                "End": True,
            },
            "Partial": {"Type": "Pass", "Output": {"partial": True}, "End": True},
        },
    }


FAMILIES: dict[str, tuple[Callable[[int], Doc], int]] = {
    "order-processing": (order_processing, 12),
    "job-polling": (job_polling, 12),
    "approval-callback": (approval_callback, 10),
    "inline-map": (inline_map, 10),
    "distributed-map": (distributed_map, 12),
    "intrinsics": (intrinsics_showcase, 10),
    "etl-pipeline": (etl_pipeline, 8),
    "wait-until": (wait_until, 8),
    "variables": (variables_jsonpath, 10),
    "choice-matrix": (choice_matrix, 8),
    "semaphore": (semaphore, 8),
    "jsonata-order": (jsonata_order, 10),
    "jsonata-distributed": (jsonata_distributed, 10),
    "mixed-languages": (mixed_languages, 8),
    "jsonata-wait-fail": (jsonata_wait_and_fail, 8),
    "jsonata-parallel": (jsonata_parallel, 8),
}


def corpus() -> Iterator[tuple[str, Doc]]:
    """(file name, definition) for every corpus entry."""
    for family, (make, count) in FAMILIES.items():
        for variant in range(count):
            yield f"{family}-{variant:02d}.asl.json", make(variant)


def main() -> int:
    """Write the corpus; returns the exit status."""
    CORPUS.mkdir(exist_ok=True)
    names = set()
    for name, document in corpus():
        write_atomic(CORPUS / name, dumps(document))
        names.add(name)
    for stale in CORPUS.glob("*.asl.json"):
        if stale.name not in names:
            stale.unlink()
    print(f"wrote {len(names)} definitions to {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
