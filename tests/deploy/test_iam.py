"""Least privilege: dsl.iam on hand-made definitions, and the deployed role policies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from deployer import Clients, deploy
from dsl import iam

from .conftest import ACCOUNT, REGION, tasks_in

P, R, A = iam.PARTITION, iam.REGION, iam.ACCOUNT
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/CC-locktable"
FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:CC-LambdaDoWorkFunction"
SEMAPHORE = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:CC-ConcurrencyControlledStateMachine"
# Every execution ARN our machines read at run time (owners and waiters in the lock item, the
# execution of a status-change event, the test's children) is one of the semaphore machine.
SEMAPHORE_EXECUTIONS = f"arn:aws:states:{REGION}:{ACCOUNT}:execution:CC-ConcurrencyControlledStateMachine:*"
# Granted on "*" to every machine: log delivery and X-Ray, which AWS defines without a resource type.
STARS = ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
         "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
         "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
         "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
# And to the machines that wake a waiter: AWS defines states:SendTaskSuccess without a resource
# type too (a task token names no resource), so "*" is the only way to grant it.
WAKE = "states:SendTaskSuccess"
STARS_AND_WAKE = sorted([*STARS, WAKE])
MACHINE_ROLES = {"CC-ConcurrencyControlledStateMachine": "CC-SemaphoreRole", "CC-CleanFromIncomplete": "CC-CleanupRole",
                 "CC-Reconciler": "CC-ReconcilerRole", "CC-Test-Run100Executions": "CC-TestRunRole"}


def task(resource: str, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "End": True, **fields}


def machine(**states: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": next(iter(states)), "States": states}


def grants(doc: dict[str, Any]) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(p.state, g.actions, g.resources) for p in iam.required_permissions(doc) for g in p.grants]


# --- dsl.iam on its own -----------------------------------------------------

def test_dynamodb_tasks_in_nested_branches_and_map_processors_are_found() -> None:
    doc = machine(
        Outer={"Type": "Parallel", "End": True, "Branches": [machine(
            Get=task("arn:aws:states:::dynamodb:getItem", Parameters={"TableName": "locks", "Key": {}}),
            Inner={"Type": "Map", "End": True, "ItemProcessor": machine(
                Put=task("arn:aws:states:::dynamodb:putItem", Parameters={"TableName": "locks", "Item": {}}))},
            Old={"Type": "Map", "End": True, "Iterator": machine(
                Delete=task("arn:aws:states:::dynamodb:deleteItem", Parameters={"TableName": "other"}))},
        )]})
    table = f"arn:{P}:dynamodb:{R}:{A}:table/"
    assert grants(doc) == [
        ("Get", ("dynamodb:GetItem",), (table + "locks",)),
        ("Put", ("dynamodb:PutItem",), (table + "locks",)),
        ("Delete", ("dynamodb:DeleteItem",), (table + "other",)),
    ]
    assert iam.required_permissions(doc)[1].pointer == "/States/Outer/Branches/0/States/Inner/ItemProcessor/States/Put"


def test_lambda_names_arns_and_qualifiers() -> None:
    fn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:work"
    doc = machine(
        ByArn=task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": fn}),
        ByName=task("arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters={"FunctionName": "work:live"}),
        Qualified=task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": fn, "Qualifier": "3"}),
        Partial=task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": f"{ACCOUNT}:function:work"}),
        Direct=task(fn),
        Placeholder=task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "${SF_LambdaARN}"}),
        Dynamic=task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName.$": "$.fn"}),
    )
    assert [r for _, _, r in grants(doc)] == [
        (fn,), (f"arn:{P}:lambda:{R}:{A}:function:work:live",), (fn + ":3",),
        (f"arn:{P}:lambda:{R}:{ACCOUNT}:function:work",), (fn,), ("${SF_LambdaARN}",),
        (f"arn:{P}:lambda:{R}:{A}:function:*",)]
    assert {a for _, a, _ in grants(doc)} == {("lambda:InvokeFunction",)}


def test_start_execution_patterns() -> None:
    child = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:child"
    executions = f"arn:aws:states:{REGION}:{ACCOUNT}:execution:child:*"
    rule = f"arn:{P}:events:{R}:{A}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"
    for suffix in (".sync", ".sync:2"):
        doc = machine(Run=task("arn:aws:states:::states:startExecution" + suffix,
                               Parameters={"StateMachineArn": child, "Input": {}}))
        assert grants(doc) == [
            ("Run", ("states:StartExecution",), (child,)),
            ("Run", ("states:DescribeExecution", "states:StopExecution"), (executions,)),
            ("Run", ("events:DescribeRule", "events:PutRule", "events:PutTargets"), (rule,)),
        ]
    for suffix in ("", ".waitForTaskToken"):
        doc = machine(Run=task("arn:aws:states:::states:startExecution" + suffix,
                               Parameters={"StateMachineArn": child}))
        assert grants(doc) == [("Run", ("states:StartExecution",), (child,))]


def test_distributed_map_needs_its_own_child_executions() -> None:
    doc = machine(Fan={"Type": "Map", "End": True, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        **machine(Work=task("arn:aws:states:::dynamodb:getItem", Parameters={"TableName": "t"}))}})
    assert grants(doc) == [
        ("Fan", ("states:StartExecution",), (f"arn:{P}:states:{R}:{A}:stateMachine:{iam.SELF_NAME}",)),
        ("Fan", ("states:DescribeExecution", "states:StopExecution"),
         (f"arn:{P}:states:{R}:{A}:execution:{iam.SELF_NAME}/*",)),
        ("Work", ("dynamodb:GetItem",), (f"arn:{P}:dynamodb:{R}:{A}:table/t",)),
    ]


def test_aws_sdk_integrations() -> None:
    queue = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs"
    doc = machine(
        Query=task("arn:aws:states:::aws-sdk:dynamodb:query", Parameters={"TableName": "t", "IndexName": "byOwner"}),
        Txn=task("arn:aws:states:::aws-sdk:dynamodb:transactWriteItems", Parameters={"TransactItems": [
            {"Update": {"TableName": "t", "Key": {}}}, {"Put": {"TableName": "holders", "Item": {}}}]}),
        Describe=task("arn:aws:states:::aws-sdk:sfn:describeExecution", Parameters={"ExecutionArn.$": "$.owner"}),
        Wake=task("arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", Parameters={"TaskToken.$": "$.t", "Output": "{}"}),
        Send=task("arn:aws:states:::sqs:sendMessage", Parameters={"QueueUrl": queue, "MessageBody": "x"}),
        List=task("arn:aws:states:::aws-sdk:s3:listObjectsV2", Parameters={"Bucket": "b"}),
    )
    table = f"arn:{P}:dynamodb:{R}:{A}:table/"
    assert grants(doc) == [
        ("Query", ("dynamodb:Query",), (table + "t/index/byOwner",)),
        ("Txn", ("dynamodb:UpdateItem",), (table + "t",)),
        ("Txn", ("dynamodb:PutItem",), (table + "holders",)),
        ("Describe", ("states:DescribeExecution",), (f"arn:{P}:states:{R}:{A}:execution:*",)),
        ("Wake", ("states:SendTaskSuccess",), ("*",)),
        ("Send", ("sqs:SendMessage",), (f"arn:{P}:sqs:{REGION}:{ACCOUNT}:jobs",)),
        ("List", ("s3:ListBucket",), (f"arn:{P}:s3:::b",)),
    ]


def test_jsonata_arguments_and_dynamic_values() -> None:
    doc = {"QueryLanguage": "JSONata", **machine(
        Static=task("arn:aws:states:::dynamodb:updateItem", Arguments={"TableName": "t", "Key": "{% $k %}"}),
        Dynamic=task("arn:aws:states:::dynamodb:updateItem", Arguments={"TableName": "{% $states.input.t %}"}),
    )}
    table = f"arn:{P}:dynamodb:{R}:{A}:table/"
    assert grants(doc) == [("Static", ("dynamodb:UpdateItem",), (table + "t",)),
                           ("Dynamic", ("dynamodb:UpdateItem",), (table + "*",))]
    assert "chosen at run time" in iam.required_permissions(doc)[1].grants[0].why
    whole = {"QueryLanguage": "JSONata", **machine(
        Call=task("arn:aws:states:::lambda:invoke", Arguments="{% $states.input.call %}"))}
    assert grants(whole) == [("Call", ("lambda:InvokeFunction",), (f"arn:{P}:lambda:{R}:{A}:function:*",))]


def test_task_credentials_need_assume_role() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/other-account-writer"
    doc = machine(Put=task("arn:aws:states:::dynamodb:putItem", Parameters={"TableName": "t", "Item": {}},
                           Credentials={"RoleArn": role}))
    assert grants(doc)[1] == ("Put", ("sts:AssumeRole",), (role,))


def test_activities_need_nothing_and_unknown_integrations_are_refused() -> None:
    activity = f"arn:aws:states:{REGION}:{ACCOUNT}:activity:review"
    assert grants(machine(Wait=task(activity))) == []
    with pytest.raises(iam.UnsupportedIntegration, match="/States/Call/Resource: IAM002"):
        iam.required_permissions(machine(Call=task("arn:aws:states:::glue:stopJobRun", Parameters={})))
    with pytest.raises(iam.UnsupportedIntegration, match="ecs:runTask"):
        iam.required_permissions(machine(Call=task("arn:aws:states:::ecs:runTask.sync:2", Parameters={})))
    with pytest.raises(iam.IamDerivationError, match="/States/Get/Parameters/TableName: IAM001 .*needs TableName"):
        iam.required_permissions(machine(Get=task("arn:aws:states:::dynamodb:getItem", Parameters={})))


def test_policy_document_merges_deterministically() -> None:
    doc = machine(
        A=task("arn:aws:states:::dynamodb:updateItem", Parameters={"TableName": "t"}),
        B=task("arn:aws:states:::dynamodb:getItem", Parameters={"TableName": "t"}),
        C=task("arn:aws:states:::dynamodb:updateItem", Parameters={"TableName": "t"}),
        D=task("arn:aws:states:::dynamodb:getItem", Parameters={"TableName": "u"}),
    )
    table = f"arn:{P}:dynamodb:{R}:{A}:table/"
    document = iam.policy_document(iam.required_permissions(doc))
    assert document == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": [table + "t", table + "u"]},
        {"Effect": "Allow", "Action": ["dynamodb:UpdateItem"], "Resource": [table + "t"]}]}
    reordered = machine(**dict(reversed(list(doc["States"].items()))))
    assert iam.policy_document(iam.required_permissions(reordered)) == document


# --- the deployed policies ----------------------------------------------------

def role_policies(clients: Clients) -> dict[str, Any]:
    return {role: clients.iam.get_role_policy(RoleName=role, PolicyName="least-privilege")["PolicyDocument"]
            for role in ("CC-LambdaRole", *MACHINE_ROLES.values(), "CC-EventsRole")}


def statements(*items: tuple[list[str], list[str]]) -> dict[str, Any]:
    return {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": a, "Resource": r} for a, r in items]}


def test_deployed_policies_are_exactly_the_needs_of_the_definitions(clients: Clients, make_config: Any) -> None:
    """Each lock write (updateItem, its .waitForTaskToken park, the consistent getItem) on the one table;
    DescribeExecution on the semaphore machine's executions only; SendTaskSuccess on "*", the only
    resource AWS accepts for it."""
    deploy(make_config(), clients)

    expected = {
        "CC-SemaphoreRole": statements(
            (["dynamodb:GetItem", "dynamodb:UpdateItem"], [TABLE]),
            (["lambda:InvokeFunction"], [FUNCTION]),
            (STARS_AND_WAKE, ["*"]),
            (["states:DescribeExecution"], [SEMAPHORE_EXECUTIONS])),
        "CC-CleanupRole": statements(
            (["dynamodb:UpdateItem"], [TABLE]),
            (STARS_AND_WAKE, ["*"]),
            (["states:DescribeExecution"], [SEMAPHORE_EXECUTIONS])),
        "CC-ReconcilerRole": statements(
            (["dynamodb:GetItem", "dynamodb:UpdateItem"], [TABLE]),
            (STARS_AND_WAKE, ["*"]),
            (["states:DescribeExecution"], [SEMAPHORE_EXECUTIONS])),
        "CC-TestRunRole": statements(
            (STARS, ["*"]),
            (["states:DescribeExecution"], [SEMAPHORE_EXECUTIONS]),
            (["states:ListExecutions", "states:StartExecution"], [SEMAPHORE])),
        "CC-LambdaRole": statements(
            (["logs:CreateLogStream", "logs:PutLogEvents"],
             [f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/CC-LambdaDoWorkFunction:*"])),
        "CC-EventsRole": statements(
            (["states:StartExecution"], [f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:CC-CleanFromIncomplete",
                                         f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:CC-Reconciler"])),
    }
    assert role_policies(clients) == expected


def test_every_star_resource_is_log_delivery_xray_or_a_wake_up(clients: Clients, make_config: Any) -> None:
    """Grants on "*" are only of actions AWS defines without a resource type: log delivery, X-Ray,
    and states:SendTaskSuccess, the last only to machines that call it, and for that reason."""
    deploy(make_config(), clients)
    policies = role_policies(clients)
    for role, document in policies.items():
        stars = [s["Action"] for s in document["Statement"] if "*" in s["Resource"]]
        assert stars in ([STARS], [STARS_AND_WAKE], []), role
        assert all(s["Resource"] == ["*"] for s in document["Statement"] if "*" in s["Resource"]), role
    for machine_name, role in MACHINE_ROLES.items():
        described = clients.sfn.describe_state_machine(
            stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine_name}")
        wakes = [g for p in iam.required_permissions(json.loads(described["definition"])) for g in p.grants
                 if WAKE in g.actions]
        granted = any(WAKE in s["Action"] for s in policies[role]["Statement"])
        assert granted == bool(wakes), role
        assert all(g.resources == ("*",) and "without a resource type" in g.why for g in wakes), role


def needed_pairs(document: dict[str, Any]) -> set[tuple[str, str]]:
    """An independent oracle: the (action, ARN) pairs the deployed definition's Tasks need.

    Knows only the integrations the semaphore system uses, and fails on any other.
    """
    needed: set[tuple[str, str]] = set()
    for state in tasks_in(document):
        integration = state["Resource"].split(":::")[1].removeprefix("aws-sdk:")
        service, _, call = integration.partition(":")
        api, _, pattern = call.partition(".")
        params = state.get("Parameters", state.get("Arguments", {}))
        if service == "dynamodb" and api in ("getItem", "updateItem"):
            table = params["TableName"]
            needed.add((f"dynamodb:{api[0].upper()}{api[1:]}", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"))
        elif service == "lambda":
            needed.add(("lambda:InvokeFunction", params["FunctionName"]))
        elif service == "sfn" and api == "sendTaskSuccess":
            needed.add(("states:SendTaskSuccess", "*"))
        elif service == "sfn" and api == "describeExecution":
            needed.add(("states:DescribeExecution", params.get("ExecutionArn", SEMAPHORE_EXECUTIONS)))
        elif service == "sfn" and api == "listExecutions":
            needed.add(("states:ListExecutions", params["StateMachineArn"]))
        elif service == "states" and api == "startExecution":
            machine_arn = params["StateMachineArn"]
            needed.add(("states:StartExecution", machine_arn))
            if pattern.startswith("sync"):
                executions = machine_arn.replace(":stateMachine:", ":execution:") + ":*"
                needed |= {("states:DescribeExecution", executions), ("states:StopExecution", executions)}
                rule = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"
                needed |= {(a, rule) for a in ("events:PutTargets", "events:PutRule", "events:DescribeRule")}
        else:
            raise AssertionError(f"the oracle does not know {state['Resource']}")
    return needed


def assert_roles_grant_exactly_what_tasks_need(clients: Clients) -> None:
    """Each (action, ARN) pair in a machine's role is needed by a Task of its machine, and each need is granted
    (log delivery and X-Ray aside: no Task needs them, every machine has them)."""
    policies = role_policies(clients)
    for machine_name, role in MACHINE_ROLES.items():
        described = clients.sfn.describe_state_machine(
            stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine_name}")
        granted = {(a, r) for s in policies[role]["Statement"] for a in s["Action"] for r in s["Resource"]
                   if a not in STARS}
        assert granted == needed_pairs(json.loads(described["definition"])), role


def test_deployed_policies_match_an_independent_reading_of_the_tasks(clients: Clients, make_config: Any) -> None:
    deploy(make_config(), clients)
    assert_roles_grant_exactly_what_tasks_need(clients)
