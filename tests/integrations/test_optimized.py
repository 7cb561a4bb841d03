"""Every optimized-integration helper builds the Task the developer guide shows, with its IAM."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dsl import P, Task, Workflow
from dsl.errors import DslError
from dsl.iam import required_permissions
from dsl.integrations import (
    apigateway,
    athena,
    aws_lambda,
    batch,
    bedrock,
    codebuild,
    databrew,
    ecs,
    eks,
    emr,
    emr_containers,
    emr_serverless,
    events,
    glue,
    http,
    mediaconvert,
    registry,
    s3,
    sagemaker,
    sns,
    sqs,
)
from dsl.validate import validate

HERE = Path(__file__).parent
ROLE = "arn:aws:iam::123456789012:role/job"
RULE_ACTIONS = ("events:PutTargets", "events:PutRule", "events:DescribeRule")
CLUSTER = {"ClusterName": "c", "CertificateAuthority": "ca", "Endpoint": "https://x.eks.amazonaws.com"}

# (helper call, Resource, Parameters the guide shows, the IAM actions it needs)
CASES: list[tuple[Callable[[], Task], str, dict[str, Any], set[str]]] = [
    (lambda: sns.publish("T", TopicArn="arn:aws:sns:us-east-1:123456789012:t", Message=P("$.m")),
     "sns:publish", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.m"}, {"sns:Publish"}),
    (lambda: sns.publish("T", wait_for_task_token=True, TopicArn="arn:aws:sns:us-east-1:123456789012:t",
                         Message={"token": P("$$.Task.Token")}),
     "sns:publish.waitForTaskToken", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
                                      "Message": {"token.$": "$$.Task.Token"}}, {"sns:Publish"}),
    (lambda: sqs.send_message("T", QueueUrl="https://sqs.us-east-1.amazonaws.com/123456789012/q",
                              MessageBody=P("$.body")),
     "sqs:sendMessage", {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody.$": "$.body"},
     {"sqs:SendMessage"}),
    (lambda: events.put_events("T", Entries=[{"Detail": {"Message": "hi"}, "DetailType": "d", "Source": "s"}]),
     "events:putEvents", {"Entries": [{"Detail": {"Message": "hi"}, "DetailType": "d", "Source": "s"}]},
     {"events:PutEvents"}),
    (lambda: aws_lambda.invoke_function("T", FunctionName="f", Payload={"x.$": "$"}),
     "lambda:invoke", {"FunctionName": "f", "Payload": {"x.$": "$"}}, {"lambda:InvokeFunction"}),
    (lambda: ecs.run_task("T", sync=True, LaunchType="FARGATE", Cluster="arn:aws:ecs:us-east-1:123456789012:cluster/c",
                          TaskDefinition="td:1"),
     "ecs:runTask.sync", {"LaunchType": "FARGATE", "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
                          "TaskDefinition": "td:1"},
     {"ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks", "events:PutTargets", "events:PutRule",
      "events:DescribeRule"}),
    (lambda: batch.submit_job("T", sync=True, JobName="n", JobQueue="q", JobDefinition="d",
                              ArrayProperties={"Size": 10}, RetryStrategy={"Attempts": 1}),
     "batch:submitJob.sync", {"JobName": "n", "JobQueue": "q", "JobDefinition": "d", "ArrayProperties": {"Size": 10},
                              "RetryStrategy": {"Attempts": 1}},
     {"batch:SubmitJob", "batch:DescribeJobs", "batch:TerminateJob", "events:PutTargets", "events:PutRule",
      "events:DescribeRule"}),
    (lambda: glue.start_job_run("T", sync=True, JobName="GlueJob-JTrRO5l98qMG"),
     "glue:startJobRun.sync", {"JobName": "GlueJob-JTrRO5l98qMG"},
     {"glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"}),
    (lambda: databrew.start_job_run("T", sync=True, Name="sample-proj-job-1"),
     "databrew:startJobRun.sync", {"Name": "sample-proj-job-1"},
     {"databrew:StartJobRun", "databrew:ListJobRuns", "databrew:StopJobRun"}),
    (lambda: athena.start_query_execution("T", sync=True, QueryString="select 1", WorkGroup="primary",
                                          ResultConfiguration={"OutputLocation": "s3://b/out/"}),
     "athena:startQueryExecution.sync", {"QueryString": "select 1", "WorkGroup": "primary",
                                         "ResultConfiguration": {"OutputLocation": "s3://b/out/"}},
     {"athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution",
      "athena:GetDataCatalog", "lakeformation:GetDataAccess",
      *(f"s3:{a}" for a in ("AbortMultipartUpload", "CreateBucket", "GetBucketLocation", "GetObject", "ListBucket",
                            "ListBucketMultipartUploads", "ListMultipartUploadParts", "PutObject")),
      *(f"glue:{a}" for a in ("BatchCreatePartition", "BatchDeletePartition", "BatchDeleteTable", "BatchGetPartition",
                              "CreateDatabase", "CreatePartition", "CreateTable", "DeleteDatabase", "DeletePartition",
                              "DeleteTable", "GetDatabase", "GetDatabases", "GetPartition", "GetPartitions",
                              "GetTable", "GetTables", "UpdateDatabase", "UpdatePartition", "UpdateTable"))}),
    (lambda: athena.get_query_results("T", QueryExecutionId=P("$.id"), MaxResults=100),
     "athena:getQueryResults", {"QueryExecutionId.$": "$.id", "MaxResults": 100}, {"athena:GetQueryResults"}),
    (lambda: sagemaker.create_training_job(
        "T", sync=True, TrainingJobName="train", RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": "s3://b/out"},
        ResourceConfig={"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600}),
     "sagemaker:createTrainingJob.sync",
     {"TrainingJobName": "train", "RoleArn": ROLE,
      "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
      "OutputDataConfig": {"S3OutputPath": "s3://b/out"},
      "ResourceConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 10},
      "StoppingCondition": {"MaxRuntimeInSeconds": 3600}},
     {"sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob",
      "sagemaker:AddTags", "sagemaker:ListTags", "iam:PassRole", *RULE_ACTIONS}),
    (lambda: emr.add_step("T", sync=True, ClusterId=P("$.cluster"),
                          Step={"Name": "s", "ActionOnFailure": "CONTINUE",
                                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit"]}}),
     "elasticmapreduce:addStep.sync",
     {"ClusterId.$": "$.cluster", "Step": {"Name": "s", "ActionOnFailure": "CONTINUE",
                                           "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit"]}}},
     {"elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep", "elasticmapreduce:CancelSteps",
      *RULE_ACTIONS}),
    (lambda: emr_containers.start_job_run("T", sync=True, VirtualClusterId="vc", ExecutionRoleArn=ROLE,
                                          ReleaseLabel="emr-6.2.0-latest",
                                          JobDriver={"SparkSubmitJobDriver": {"EntryPoint": "local:///pi.py"}}),
     "emr-containers:startJobRun.sync",
     {"VirtualClusterId": "vc", "ExecutionRoleArn": ROLE, "ReleaseLabel": "emr-6.2.0-latest",
      "JobDriver": {"SparkSubmitJobDriver": {"EntryPoint": "local:///pi.py"}}},
     {"emr-containers:StartJobRun", "emr-containers:DescribeJobRun", "emr-containers:CancelJobRun"}),
    (lambda: emr_serverless.start_job_run("T", sync=True, ApplicationId="app", ExecutionRoleArn=ROLE,
                                          JobDriver={"SparkSubmit": {"EntryPoint": "s3://b/job.py"}}),
     "emr-serverless:startJobRun.sync",
     {"ApplicationId": "app", "ExecutionRoleArn": ROLE, "JobDriver": {"SparkSubmit": {"EntryPoint": "s3://b/job.py"}}},
     {"emr-serverless:StartJobRun", "emr-serverless:GetJobRun", "emr-serverless:CancelJobRun", "iam:PassRole",
      "events:PutTargets", "events:PutRule", "events:DescribeRule"}),
    (lambda: eks.run_job("T", sync=True, **CLUSTER, Namespace="jobs", Job={"apiVersion": "batch/v1", "kind": "Job"}),
     "eks:runJob.sync", {**CLUSTER, "Namespace": "jobs", "Job": {"apiVersion": "batch/v1", "kind": "Job"}}, set()),
    (lambda: codebuild.start_build("T", sync=True, ProjectName="p"),
     "codebuild:startBuild.sync", {"ProjectName": "p"},
     {"codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds", "events:PutTargets",
      "events:PutRule", "events:DescribeRule"}),
    (lambda: apigateway.invoke("T", ApiEndpoint="abc123.execute-api.us-east-1.amazonaws.com", Method="GET",
                               Stage="prod", Path="pets", AuthType="IAM_ROLE"),
     "apigateway:invoke", {"ApiEndpoint": "abc123.execute-api.us-east-1.amazonaws.com", "Method": "GET",
                           "Stage": "prod", "Path": "pets", "AuthType": "IAM_ROLE"}, {"execute-api:Invoke"}),
    (lambda: mediaconvert.create_job("T", sync=True, Role=ROLE, Settings={"Inputs": [{"FileInput": "s3://b/in.mp4"}]}),
     "mediaconvert:createJob.sync", {"Role": ROLE, "Settings": {"Inputs": [{"FileInput": "s3://b/in.mp4"}]}},
     {"mediaconvert:CreateJob", "mediaconvert:GetJob", "mediaconvert:CancelJob", "iam:PassRole",
      "events:PutTargets", "events:PutRule", "events:DescribeRule"}),
    (lambda: bedrock.invoke_model("T", ModelId="cohere.command-text-v14",
                                  Body={"prompt": "hi", "max_tokens": 20}),
     "bedrock:invokeModel", {"ModelId": "cohere.command-text-v14", "Body": {"prompt": "hi", "max_tokens": 20}},
     {"bedrock:InvokeModel"}),
    (lambda: http.invoke("T", ApiEndpoint="https://api.example.com/x", Method="GET",
                         Authentication={"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}),
     "http:invoke", {"ApiEndpoint": "https://api.example.com/x", "Method": "GET",
                     "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}},
     {"states:InvokeHTTPEndpoint", "events:RetrieveConnectionCredentials", "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret"}),
    (lambda: s3.get_object("T", Bucket="b", Key="k"), "aws-sdk:s3:getObject", {"Bucket": "b", "Key": "k"},
     {"s3:GetObject"}),
]


def _document(task: Task) -> dict[str, Any]:
    return Workflow("w", start=task).to_asl()


@pytest.mark.parametrize(("make", "resource", "parameters", "actions"), CASES, ids=[c[1] for c in CASES])
def test_helper_builds_the_guides_task_and_its_iam(make: Callable[[], Task], resource: str,
                                                   parameters: dict[str, Any], actions: set[str]) -> None:
    doc = _document(make())
    state = doc["States"]["T"]
    assert state["Resource"] == "arn:aws:states:::" + resource
    assert state["Parameters"] == parameters
    assert [f for f in validate(doc) if f.severity == "error"] == []
    assert {a for p in required_permissions(doc) for a in p.actions} == actions


def test_every_optimized_integration_has_a_case() -> None:
    covered = {resource.split(".")[0] for _, resource, _, _ in CASES}
    missing = {f"{s.service}:{s.api}" for s in registry.all_optimized()} - covered
    # Helpers tested elsewhere (dynamodb, stepfunctions: tests/dsl) or sharing a case's code path.
    assert missing <= {"dynamodb:getItem", "dynamodb:putItem", "dynamodb:updateItem", "dynamodb:deleteItem",
                       "states:startExecution", "athena:getQueryExecution", "athena:stopQueryExecution",
                       "sagemaker:createTransformJob", "elasticmapreduce:createCluster",
                       "elasticmapreduce:terminateCluster", "eks:call"}, missing


@pytest.mark.parametrize(("make", "message"), [
    (lambda: sns.publish("T", TopicArn="t", Mesage="m"), "did you mean 'Message'"),
    (lambda: sqs.send_message("T", QueueUrl="q"), "missing required parameter 'MessageBody'"),
    (lambda: events.put_events("T", Entries={"Source": "s"}), "expected an array"),
    (lambda: ecs.run_task("T", TaskDefinition="td", LaunchType="LAMBDA"), "'LAMBDA' is not one of"),
    (lambda: ecs.run_task("T", TaskDefinition="td", sync=True, wait_for_task_token=True), "choose one of"),
    (lambda: bedrock.invoke_model("T", ModelId="m", Bodyy={}), "did you mean 'Body'"),
    (lambda: ecs.run_task("T", taskDefinition="td"), "did you mean 'TaskDefinition'"),
])
def test_helpers_refuse_mistakes_at_the_authors_line(make: Callable[[], Task], message: str) -> None:
    with pytest.raises(DslError) as caught:
        make()
    assert message in str(caught.value) and "test_optimized.py:" in str(caught.value), str(caught.value)


def test_workflow_with_sdk_sns_sqs_events_builds_and_lists_its_iam(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "dsl", "build", "--definitions", str(HERE / "fixtures" / "notify"),
                          "--out", str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    summary = (out / "notify.md").read_text()
    assert "**Actions:** `events:PutEvents`, `s3:GetObject`, `sns:Publish`, `sqs:SendMessage`" in summary


def test_the_registry_tables_name_every_module_and_service() -> None:
    import importlib

    for module in registry.MODULES:
        loaded = importlib.import_module(f"dsl.integrations.{module}")
        services = {spec.service for spec in getattr(loaded, "OPTIMIZED", ())}
        assert services <= set(registry.SERVICES.get(module, (module,))), module
        if hasattr(loaded, "sdk_grants"):
            assert registry.sdk_scope(registry.SERVICES.get(module, (module,))[-1]) is loaded.sdk_grants
