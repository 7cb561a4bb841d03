"""Deploy, redeploy, update, interrupt and destroy against moto."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deployer import Clients, DeployFailure, Retrier, deploy, destroy, plan
from deployer.resources.function import Function
from deployer.stack import build_stack, prepare

from .conftest import ACCOUNT, REGION, CallLog, Interrupted

PREFIX = "CC"
MACHINES = {
    "semaphore": ("CC-ConcurrencyControlledStateMachine", "dynamodb-semaphore.asl.json", "CC-SemaphoreRole"),
    "cleanup": ("CC-CleanFromIncomplete", "dynamodb-semaphore-cleanfromincomplete.asl.json", "CC-CleanupRole"),
    "test": ("CC-Test-Run100Executions", "test-run-semaphore.asl.json", "CC-TestRunRole"),
}
ROLES = ["CC-LambdaRole", "CC-SemaphoreRole", "CC-CleanupRole", "CC-TestRunRole", "CC-EventsRole"]


def arn(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


def machine_arn(name: str) -> str:
    return arn("states", f"stateMachine:{name}")


def filled(text: str, limit: int = 5) -> Any:
    values = {
        "${SF_TableSemaphore}": "CC-locktable",
        "${SF_LockName}": "MySemaphore",
        "${SF_ConcurrentAccessLimit}": str(limit),
        "${SF_LambdaARN}": arn("lambda", "function:CC-LambdaDoWorkFunction"),
        "${SF_StateMachineSemaphore}": machine_arn("CC-ConcurrencyControlledStateMachine"),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return json.loads(text)


def test_fresh_deploy_creates_everything_configured(clients: Clients, make_config: Any, generated: Path) -> None:
    result = deploy(make_config(), clients)

    assert {c.action for c in result.changes} == {"create"}
    table = clients.dynamodb.describe_table(TableName="CC-locktable")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "LockName", "KeyType": "HASH"}]
    assert table["TableStatus"] == "ACTIVE"

    function = clients.lambda_.get_function(FunctionName="CC-LambdaDoWorkFunction")["Configuration"]
    assert (function["Runtime"], function["Handler"], function["Timeout"], function["State"]) == \
        ("python3.13", "app.lambda_handler", 60, "Active")
    assert function["Role"] == f"arn:aws:iam::{ACCOUNT}:role/CC-LambdaRole"

    for key, (name, file, role) in MACHINES.items():
        described = clients.sfn.describe_state_machine(stateMachineArn=machine_arn(name))
        assert "${" not in described["definition"]
        assert json.loads(described["definition"]) == filled((generated / file).read_text())
        assert described["type"] == "STANDARD"
        assert described["roleArn"] == f"arn:aws:iam::{ACCOUNT}:role/{role}"
        log_arn = arn("logs", f"log-group:/aws/vendedlogs/states/{name}:*")
        assert described["loggingConfiguration"] == {
            "level": "ALL", "includeExecutionData": True,
            "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": log_arn}}]}
        assert described["tracingConfiguration"] == {"enabled": True}
        assert result.machine_arn(key) == machine_arn(name)
    assert result.test_machine_arn == machine_arn("CC-Test-Run100Executions")

    groups = clients.logs.describe_log_groups()["logGroups"]
    assert {g["logGroupName"]: g.get("retentionInDays") for g in groups} == {
        "/aws/lambda/CC-LambdaDoWorkFunction": 60,
        **{f"/aws/vendedlogs/states/{name}": 60 for name, _, _ in MACHINES.values()}}

    rule = clients.events.describe_rule(Name="CC-cleanup-rule")
    rule_file = json.loads((generated / "cleanup-rule.json").read_text())
    assert json.loads(rule["EventPattern"]) == filled(json.dumps(rule_file["EventPattern"]))
    assert json.loads(rule["EventPattern"])["detail"]["stateMachineArn"] == \
        [machine_arn("CC-ConcurrencyControlledStateMachine")]
    assert rule["State"] == "ENABLED"
    targets = clients.events.list_targets_by_rule(Rule="CC-cleanup-rule")["Targets"]
    assert [(t["Arn"], t["RoleArn"]) for t in targets] == \
        [(machine_arn("CC-CleanFromIncomplete"), f"arn:aws:iam::{ACCOUNT}:role/CC-EventsRole")]
    assert result.rules["CC-cleanup-rule"]["EventPattern"] == json.loads(rule["EventPattern"])
    assert [t["Arn"] for t in result.rules["CC-cleanup-rule"]["Targets"]] == [machine_arn("CC-CleanFromIncomplete")]

    trusted = {r: clients.iam.get_role(RoleName=r)["Role"]["AssumeRolePolicyDocument"]["Statement"][0]
               for r in ROLES}
    assert {r: s["Principal"]["Service"] for r, s in trusted.items()} == {
        "CC-LambdaRole": "lambda.amazonaws.com", "CC-SemaphoreRole": "states.amazonaws.com",
        "CC-CleanupRole": "states.amazonaws.com", "CC-TestRunRole": "states.amazonaws.com",
        "CC-EventsRole": "events.amazonaws.com"}
    assert_all_tagged(clients)


def assert_all_tagged(clients: Clients) -> None:
    expected = {"NamePrefix": PREFIX}
    for role in ROLES:
        assert {t["Key"]: t["Value"] for t in clients.iam.get_role(RoleName=role)["Role"]["Tags"]} == expected
    table_arn = arn("dynamodb", "table/CC-locktable")
    assert clients.dynamodb.list_tags_of_resource(ResourceArn=table_arn)["Tags"] == [
        {"Key": "NamePrefix", "Value": PREFIX}]
    assert clients.lambda_.get_function(FunctionName="CC-LambdaDoWorkFunction")["Tags"] == expected
    for name, _, _ in MACHINES.values():
        assert clients.sfn.list_tags_for_resource(resourceArn=machine_arn(name))["tags"] == [
            {"key": "NamePrefix", "value": PREFIX}]
        group = arn("logs", f"log-group:/aws/vendedlogs/states/{name}")
        assert clients.logs.list_tags_for_resource(resourceArn=group)["tags"] == expected
    assert clients.logs.list_tags_for_resource(
        resourceArn=arn("logs", "log-group:/aws/lambda/CC-LambdaDoWorkFunction"))["tags"] == expected
    assert clients.events.list_tags_for_resource(ResourceARN=arn("events", "rule/CC-cleanup-rule"))["Tags"] == [
        {"Key": "NamePrefix", "Value": PREFIX}]


def test_redeploy_reports_unchanged_and_writes_nothing(clients: Clients, make_config: Any,
                                                       call_log: CallLog) -> None:
    deploy(make_config(), clients)
    call_log.clear()

    again = deploy(make_config(), clients)

    assert [c.action for c in again.changes] == ["unchanged"] * len(again.changes)
    assert len(again.changes) == 15
    assert call_log.writes == []
    assert call_log.calls  # it did read


def test_limit_change_updates_only_the_semaphore_machine(clients: Clients, make_config: Any,
                                                         call_log: CallLog, generated: Path) -> None:
    deploy(make_config(limit=5), clients)
    call_log.clear()

    result = deploy(make_config(limit=7), clients)

    changed = [(c.resource.key, c.fields) for c in result.changes if c.action != "unchanged"]
    assert changed == [("machine:semaphore", ("definition",))]
    assert call_log.writes == ["stepfunctions:UpdateStateMachine"]
    described = clients.sfn.describe_state_machine(stateMachineArn=machine_arn("CC-ConcurrencyControlledStateMachine"))
    assert json.loads(described["definition"]) == filled((generated / MACHINES["semaphore"][1]).read_text(), 7)


def test_changed_definition_updates_only_its_machine(clients: Clients, make_config: Any, call_log: CallLog,
                                                     generated: Path) -> None:
    deploy(make_config(), clients)
    path = generated / MACHINES["cleanup"][1]
    document = json.loads(path.read_text())
    document["Comment"] = "changed"
    path.write_text(json.dumps(document, indent=2) + "\n")
    call_log.clear()

    result = deploy(make_config(), clients)

    assert [(c.resource.key, c.fields) for c in result.changes if c.action != "unchanged"] == [
        ("machine:cleanup", ("definition",))]
    assert call_log.writes == ["stepfunctions:UpdateStateMachine"]


def test_changed_code_and_environment_update_only_the_function(clients: Clients, make_config: Any,
                                                               call_log: CallLog, source_root: Path) -> None:
    deploy(make_config(), clients)
    (source_root / "functions" / "app.py").write_text("def lambda_handler(event, context):\n    return 2\n")
    call_log.clear()

    result = deploy(make_config(function_env={"WORK_SECONDS": "1"}), clients)

    assert [(c.resource.key, c.fields) for c in result.changes if c.action != "unchanged"] == [
        ("function:worker", ("environment", "code"))]
    assert call_log.writes == ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"]
    conf = clients.lambda_.get_function(FunctionName="CC-LambdaDoWorkFunction")["Configuration"]
    assert conf["Environment"]["Variables"] == {"WORK_SECONDS": "1"}


def test_drift_is_repaired(clients: Clients, make_config: Any, call_log: CallLog) -> None:
    deploy(make_config(), clients)
    clients.logs.put_retention_policy(logGroupName="/aws/lambda/CC-LambdaDoWorkFunction", retentionInDays=1)
    clients.iam.put_role_policy(RoleName="CC-CleanupRole", PolicyName="extra", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}))
    clients.events.put_rule(Name="CC-cleanup-rule", EventPattern=json.dumps({"source": ["aws.states"]}))
    call_log.clear()

    result = deploy(make_config(), clients)

    assert sorted((c.resource.key, c.fields) for c in result.changes if c.action != "unchanged") == [
        ("logs:function:worker", ("retention",)), ("role:CleanupRole", ("policies",)),
        ("rule:cleanup-rule", ("pattern", "description"))]
    assert clients.iam.list_role_policies(RoleName="CC-CleanupRole")["PolicyNames"] == ["least-privilege"]
    assert [c.action for c in plan(make_config(), clients).changes] == ["unchanged"] * 15


# A fresh deploy makes 25 writes; killed before the write named: a role
# without its policy, a log group without retention, the table without the
# function, the rule without its target.
@pytest.mark.parametrize("writes_before_kill, killed", [
    (1, "iam:PutRolePolicy"), (11, "logs:PutRetentionPolicy"), (19, "lambda:CreateFunction"),
    (24, "events:PutTargets")])
def test_interrupted_deploy_converges(clients: Clients, make_config: Any, call_log: CallLog,
                                      writes_before_kill: int, killed: str) -> None:
    call_log.interrupt_after_writes = writes_before_kill
    with pytest.raises(Interrupted, match=f"^{killed}$"):
        deploy(make_config(), clients)
    call_log.interrupt_after_writes = None

    resumed = deploy(make_config(), clients)

    assert sum(c.action != "unchanged" for c in resumed.changes) > 0
    assert [c.action for c in plan(make_config(), clients).changes] == ["unchanged"] * 15
    assert_all_tagged(clients)


def test_destroy_deletes_everything_then_is_a_no_op(clients: Clients, make_config: Any,
                                                    call_log: CallLog) -> None:
    deploy(make_config(), clients)
    first = destroy(make_config(), clients)
    assert [c.action for c in first.changes] == ["delete"] * 15
    assert [c.resource.kind for c in first.changes][:4] == [
        "eventbridge rule", "state machine", "state machine", "state machine"]
    assert [c.resource.kind for c in first.changes][-5:] == ["iam role"] * 5

    assert [r["RoleName"] for r in clients.iam.list_roles()["Roles"] if r["RoleName"].startswith("CC-")] == []
    assert clients.dynamodb.list_tables()["TableNames"] == []
    assert clients.lambda_.list_functions()["Functions"] == []
    assert clients.sfn.list_state_machines()["stateMachines"] == []
    assert clients.events.list_rules(NamePrefix="CC-")["Rules"] == []
    assert clients.logs.describe_log_groups()["logGroups"] == []

    call_log.clear()
    second = destroy(make_config(), clients)
    assert [c.action for c in second.changes] == ["absent"] * 15
    assert call_log.writes == []


def test_destroy_leaves_other_prefixes_alone(clients: Clients, make_config: Any) -> None:
    deploy(make_config(prefix="CC"), clients)
    deploy(make_config(prefix="CC2"), clients)
    destroy(make_config(prefix="CC"), clients)
    assert [c.action for c in plan(make_config(prefix="CC2"), clients).changes] == ["unchanged"] * 15
    assert clients.dynamodb.list_tables()["TableNames"] == ["CC2-locktable"]


def test_a_resource_not_created_by_the_tool_is_never_touched(clients: Clients, make_config: Any,
                                                             call_log: CallLog) -> None:
    clients.dynamodb.create_table(TableName="CC-locktable", BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "LockName", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "LockName", "AttributeType": "S"}])
    call_log.clear()
    with pytest.raises(DeployFailure, match="CC-locktable exists but is not tagged NamePrefix=CC"):
        deploy(make_config(), clients)
    with pytest.raises(DeployFailure, match="not created by deploy.py"):
        destroy(make_config(), clients)
    assert call_log.writes == []
    assert clients.dynamodb.describe_table(TableName="CC-locktable")["Table"]["TableStatus"] == "ACTIVE"


def test_a_key_change_is_refused_not_attempted(clients: Clients, make_config: Any, call_log: CallLog) -> None:
    clients.dynamodb.create_table(TableName="CC-locktable", BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "Name", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "Name", "AttributeType": "S"}],
                                  Tags=[{"Key": "NamePrefix", "Value": "CC"}])
    call_log.clear()
    with pytest.raises(DeployFailure, match="attributes, keys cannot be changed in place; run with --destroy"):
        deploy(make_config(), clients)
    assert call_log.writes == []


def test_role_propagation_delay_is_retried(clients: Clients, make_config: Any) -> None:
    """Lambda refuses a role it cannot see yet; the deploy waits and tries again."""
    config = make_config()
    stack = build_stack(config, ACCOUNT, prepare(config))
    function = stack.get("function:worker")
    role = stack.get("role:LambdaRole")
    assert isinstance(function, Function)
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # the role becomes visible during the second wait
        waits.append(seconds)
        if len(waits) == 2:
            role.create(clients, Retrier())

    function.create(clients, Retrier(sleep=sleep))

    assert waits == [1.0, 2.0]
    assert clients.lambda_.get_function(FunctionName="CC-LambdaDoWorkFunction")["Configuration"]["State"] == "Active"


def test_a_role_that_never_appears_fails_after_the_last_retry(clients: Clients, make_config: Any) -> None:
    config = make_config()
    function = build_stack(config, ACCOUNT, prepare(config)).get("function:worker")
    waits: list[float] = []
    with pytest.raises(Exception, match="cannot be assumed"):
        function.create(clients, Retrier(delays=(1.0, 2.0, 4.0), sleep=waits.append))
    assert waits == [1.0, 2.0, 4.0]


def test_a_scheduled_rule_file_becomes_a_scheduled_rule(clients: Clients, make_config: Any, generated: Path,
                                                        call_log: CallLog) -> None:
    """Rules are data: a second rule file (a reconciler's schedule) needs no code."""
    (generated / "reconcile-rule.json").write_text(json.dumps({
        "ScheduleExpression": "rate(5 minutes)", "Target": MACHINES["cleanup"][1],
        "Input": {"detail": {"executionArn": "none"}}}))

    result = deploy(make_config(), clients)

    rule = clients.events.describe_rule(Name="CC-reconcile-rule")
    assert rule["ScheduleExpression"] == "rate(5 minutes)" and "EventPattern" not in rule
    [target] = clients.events.list_targets_by_rule(Rule="CC-reconcile-rule")["Targets"]
    assert (target["Arn"], json.loads(target["Input"])) == (
        machine_arn("CC-CleanFromIncomplete"), {"detail": {"executionArn": "none"}})
    assert result.rules["CC-reconcile-rule"]["ScheduleExpression"] == "rate(5 minutes)"
    call_log.clear()
    assert {c.action for c in plan(make_config(), clients).changes} == {"unchanged"}
    assert call_log.writes == []
    assert [c.action for c in destroy(make_config(), clients).changes].count("delete") == 16
    assert clients.events.list_rules(NamePrefix="CC-")["Rules"] == []
