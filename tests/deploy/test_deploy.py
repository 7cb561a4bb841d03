"""Deploy, redeploy, update, interrupt and destroy against moto."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deployer import Clients, DeployFailure, CallRetry, deploy, destroy, engine, plan
from deployer.resources.function import Function
from deployer.stack import build_stack, prepare

from .conftest import ACCOUNT, REGION, CallLog, Interrupted

PREFIX = "CC"
MACHINES = {
    "semaphore": ("CC-ConcurrencyControlledStateMachine", "dynamodb-semaphore.asl.json", "CC-SemaphoreRole"),
    "cleanup": ("CC-CleanFromIncomplete", "dynamodb-semaphore-cleanfromincomplete.asl.json", "CC-CleanupRole"),
    "reconciler": ("CC-Reconciler", "dynamodb-semaphore-reconciler.asl.json", "CC-ReconcilerRole"),
    "test": ("CC-Test-Run100Executions", "test-run-semaphore.asl.json", "CC-TestRunRole"),
}
ROLES = ["CC-LambdaRole", "CC-SemaphoreRole", "CC-CleanupRole", "CC-ReconcilerRole", "CC-TestRunRole", "CC-EventsRole"]
RULES = ["CC-cleanup-rule", "CC-reconciler-rule"]
# 6 roles, 5 log groups, the table, the lock item, the function, 4 machines, 2 rules.
RESOURCES = 20
LOCK_KEY = {"LockName": {"S": "MySemaphore"}}
HOLDER = f"arn:aws:states:{REGION}:{ACCOUNT}:execution:CC-ConcurrencyControlledStateMachine:holder"


def arn(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


def machine_arn(name: str) -> str:
    return arn("states", f"stateMachine:{name}")


def filled(text: str) -> Any:
    values = {
        "${SF_TableSemaphore}": "CC-locktable",
        "${SF_LockName}": "MySemaphore",
        "${SF_LambdaARN}": arn("lambda", "function:CC-LambdaDoWorkFunction"),
        "${SF_StateMachineSemaphore}": machine_arn("CC-ConcurrencyControlledStateMachine"),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    assert "${" not in text
    return json.loads(text)


def lock_item(clients: Clients) -> Any:
    return clients.dynamodb.get_item(TableName="CC-locktable", Key=LOCK_KEY, ConsistentRead=True).get("Item")


def hold_and_queue(clients: Clients) -> dict[str, Any]:
    """Play a running system: one execution holds a slot, a second one is queued; returns the item."""
    waiter = HOLDER.replace(":holder", ":waiter")
    clients.dynamodb.update_item(
        TableName="CC-locktable", Key=LOCK_KEY,
        UpdateExpression="SET currentlockcount = :one, lockowners = :owners, lockwaiters = :waiters, "
                         "waitertokens = :tokens",
        ExpressionAttributeValues={":one": {"N": "1"},
                                   ":owners": {"M": {HOLDER: {"S": "2024-01-01T00:00:00.000Z"},
                                                     waiter: {"S": "2024-01-01T00:00:01.000Z"}}},
                                   ":waiters": {"L": [{"S": waiter}]}, ":tokens": {"L": [{"S": "token-1"}]}})
    item: dict[str, Any] = lock_item(clients)
    return item


def test_fresh_deploy_creates_everything_configured(clients: Clients, make_config: Any, generated: Path) -> None:
    result = deploy(make_config(), clients)

    assert {c.action for c in result.changes} == {"create"}
    table = clients.dynamodb.describe_table(TableName="CC-locktable")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "LockName", "KeyType": "HASH"}]
    assert table["TableStatus"] == "ACTIVE"
    assert lock_item(clients) == {**LOCK_KEY, "locklimit": {"N": "5"}, "currentlockcount": {"N": "0"},
                                  "lockowners": {"M": {}}, "lockwaiters": {"L": []}, "waitertokens": {"L": []}}

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

    schedule = clients.events.describe_rule(Name="CC-reconciler-rule")
    assert (schedule["ScheduleExpression"], schedule["State"]) == ("rate(1 minute)", "ENABLED")
    assert "EventPattern" not in schedule
    targets = clients.events.list_targets_by_rule(Rule="CC-reconciler-rule")["Targets"]
    assert [(t["Arn"], t["RoleArn"], "Input" in t) for t in targets] == \
        [(machine_arn("CC-Reconciler"), f"arn:aws:iam::{ACCOUNT}:role/CC-EventsRole", False)]
    assert result.rules["CC-reconciler-rule"]["ScheduleExpression"] == "rate(1 minute)"

    trusted = {r: clients.iam.get_role(RoleName=r)["Role"]["AssumeRolePolicyDocument"]["Statement"][0]
               for r in ROLES}
    assert {r: s["Principal"]["Service"] for r, s in trusted.items()} == {
        "CC-LambdaRole": "lambda.amazonaws.com", "CC-SemaphoreRole": "states.amazonaws.com",
        "CC-CleanupRole": "states.amazonaws.com", "CC-ReconcilerRole": "states.amazonaws.com",
        "CC-TestRunRole": "states.amazonaws.com", "CC-EventsRole": "events.amazonaws.com"}
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
    for rule in RULES:
        assert clients.events.list_tags_for_resource(ResourceARN=arn("events", f"rule/{rule}"))["Tags"] == [
            {"Key": "NamePrefix", "Value": PREFIX}]


def test_redeploy_reports_unchanged_and_writes_nothing(clients: Clients, make_config: Any,
                                                       call_log: CallLog) -> None:
    deploy(make_config(), clients)
    call_log.clear()

    again = deploy(make_config(), clients)

    assert [c.action for c in again.changes] == ["unchanged"] * len(again.changes)
    assert len(again.changes) == RESOURCES
    assert call_log.writes == []
    assert call_log.calls  # it did read


def test_limit_change_updates_only_the_lock_item(clients: Clients, make_config: Any, call_log: CallLog,
                                                 generated: Path) -> None:
    deploy(make_config(limit=5), clients)
    before = hold_and_queue(clients)
    call_log.clear()

    result = deploy(make_config(limit=7), clients)

    changed = [(c.resource.key, c.fields) for c in result.changes if c.action != "unchanged"]
    assert changed == [("lock-item", ("limit",))]
    assert call_log.writes == ["dynamodb:UpdateItem"]
    # Only the limit moved: the holder, the queued execution and its token are as they were.
    assert lock_item(clients) == {**before, "locklimit": {"N": "7"}}
    described = clients.sfn.describe_state_machine(stateMachineArn=machine_arn("CC-ConcurrencyControlledStateMachine"))
    assert json.loads(described["definition"]) == filled((generated / MACHINES["semaphore"][1]).read_text())


def test_a_lock_item_created_meanwhile_keeps_what_it_holds(clients: Clients, make_config: Any) -> None:
    """Between plan and apply something else wrote the item (an older layout): only the gaps are filled."""
    config = make_config()
    planned = engine.plan(build_stack(config, ACCOUNT, prepare(config)), clients)
    assert [c.action for c in planned.changes if c.resource.key == "lock-item"] == ["create"]

    def create_table_then_item(change: engine.Change) -> None:
        if change.resource.key == "table:locks":
            clients.dynamodb.put_item(TableName="CC-locktable", Item={
                **LOCK_KEY, "currentlockcount": {"N": "1"}, "lockowners": {"M": {HOLDER: {"S": "t0"}}}})

    engine.apply(planned, clients, progress=create_table_then_item)

    assert lock_item(clients) == {**LOCK_KEY, "locklimit": {"N": "5"}, "currentlockcount": {"N": "1"},
                                  "lockowners": {"M": {HOLDER: {"S": "t0"}}}, "lockwaiters": {"L": []},
                                  "waitertokens": {"L": []}}
    assert {c.action for c in plan(config, clients).changes} == {"unchanged"}


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
        ("machine:dynamodb-semaphore-cleanfromincomplete", ("definition",))]
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
    before = hold_and_queue(clients)
    clients.dynamodb.update_item(TableName="CC-locktable", Key=LOCK_KEY, UpdateExpression="SET locklimit = :l "
                                 "REMOVE waitertokens", ExpressionAttributeValues={":l": {"N": "9"}})
    call_log.clear()

    result = deploy(make_config(), clients)

    assert sorted((c.resource.key, c.fields) for c in result.changes if c.action != "unchanged") == [
        ("lock-item", ("limit", "layout")), ("logs:function:worker", ("retention",)),
        ("role:machine:dynamodb-semaphore-cleanfromincomplete", ("policies",)), ("rule:cleanup-rule", ("pattern", "description"))]
    assert clients.iam.list_role_policies(RoleName="CC-CleanupRole")["PolicyNames"] == ["least-privilege"]
    # The missing list is back, empty; the holder and the queued execution are kept.
    assert lock_item(clients) == {**before, "waitertokens": {"L": []}}
    assert [c.action for c in plan(make_config(), clients).changes] == ["unchanged"] * RESOURCES


# A fresh deploy makes 33 writes; killed before the write named: a role
# without its policy, a log group without retention, the table without the
# lock item, the lock item without the function, a rule without its target.
@pytest.mark.parametrize("writes_before_kill, killed", [
    (1, "iam:PutRolePolicy"), (13, "logs:PutRetentionPolicy"), (23, "dynamodb:PutItem"),
    (24, "lambda:CreateFunction"), (30, "events:PutTargets")])
def test_interrupted_deploy_converges(clients: Clients, make_config: Any, call_log: CallLog,
                                      writes_before_kill: int, killed: str) -> None:
    call_log.interrupt_after_writes = writes_before_kill
    with pytest.raises(Interrupted, match=f"^{killed}$"):
        deploy(make_config(), clients)
    call_log.interrupt_after_writes = None

    resumed = deploy(make_config(), clients)

    assert sum(c.action != "unchanged" for c in resumed.changes) > 0
    assert [c.action for c in plan(make_config(), clients).changes] == ["unchanged"] * RESOURCES
    assert lock_item(clients)["locklimit"] == {"N": "5"}
    assert_all_tagged(clients)


def test_destroy_deletes_everything_then_is_a_no_op(clients: Clients, make_config: Any,
                                                    call_log: CallLog) -> None:
    deploy(make_config(), clients)
    hold_and_queue(clients)
    call_log.clear()
    first = destroy(make_config(), clients)
    assert [c.action for c in first.changes] == ["delete"] * RESOURCES
    kinds = [c.resource.kind for c in first.changes]
    assert kinds[:6] == ["eventbridge rule"] * 2 + ["state machine"] * 4
    assert kinds[7:9] == ["lock item", "dynamodb table"]
    assert [w for w in call_log.writes if w.startswith("dynamodb:")] == ["dynamodb:DeleteItem", "dynamodb:DeleteTable"]
    assert kinds[-6:] == ["iam role"] * 6

    assert [r["RoleName"] for r in clients.iam.list_roles()["Roles"] if r["RoleName"].startswith("CC-")] == []
    assert clients.dynamodb.list_tables()["TableNames"] == []
    assert clients.lambda_.list_functions()["Functions"] == []
    assert clients.sfn.list_state_machines()["stateMachines"] == []
    assert clients.events.list_rules(NamePrefix="CC-")["Rules"] == []
    assert clients.logs.describe_log_groups()["logGroups"] == []

    call_log.clear()
    second = destroy(make_config(), clients)
    assert [c.action for c in second.changes] == ["absent"] * RESOURCES
    assert call_log.writes == []


def test_destroy_leaves_other_prefixes_alone(clients: Clients, make_config: Any) -> None:
    deploy(make_config(prefix="CC"), clients)
    deploy(make_config(prefix="CC2"), clients)
    destroy(make_config(prefix="CC"), clients)
    assert [c.action for c in plan(make_config(prefix="CC2"), clients).changes] == ["unchanged"] * RESOURCES
    assert clients.dynamodb.list_tables()["TableNames"] == ["CC2-locktable"]


def test_a_resource_not_created_by_the_tool_is_never_touched(clients: Clients, make_config: Any,
                                                             call_log: CallLog) -> None:
    clients.dynamodb.create_table(TableName="CC-locktable", BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "LockName", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "LockName", "AttributeType": "S"}])
    theirs = {**LOCK_KEY, "currentlockcount": {"N": "3"}}
    clients.dynamodb.put_item(TableName="CC-locktable", Item=theirs)
    call_log.clear()
    with pytest.raises(DeployFailure, match="CC-locktable exists but is not tagged NamePrefix=CC"):
        deploy(make_config(), clients)
    # Destroy meets the item before the table: the table's tags protect the item too.
    with pytest.raises(DeployFailure, match="^DEPLOY-AWS lock item CC-locktable exists but is not tagged.*not created by deploy.py"):
        destroy(make_config(), clients)
    assert call_log.writes == []
    assert clients.dynamodb.describe_table(TableName="CC-locktable")["Table"]["TableStatus"] == "ACTIVE"
    assert lock_item(clients) == theirs


def test_a_key_change_is_refused_not_attempted(clients: Clients, make_config: Any, call_log: CallLog) -> None:
    clients.dynamodb.create_table(TableName="CC-locktable", BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "Name", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "Name", "AttributeType": "S"}],
                                  Tags=[{"Key": "NamePrefix", "Value": "CC"}])
    call_log.clear()
    with pytest.raises(DeployFailure, match="attributes, keys cannot be changed in place; run with --destroy"):
        deploy(make_config(), clients)
    assert call_log.writes == []
    # The advice works: destroy removes the table (no lock item can be in a table keyed otherwise).
    assert [(c.resource.kind, c.action) for c in destroy(make_config(), clients).changes
            if c.action == "delete"] == [("dynamodb table", "delete")]
    assert clients.dynamodb.list_tables()["TableNames"] == []


def test_role_propagation_delay_is_retried(clients: Clients, make_config: Any) -> None:
    """Lambda refuses a role it cannot see yet; the deploy waits and tries again."""
    config = make_config()
    stack = build_stack(config, ACCOUNT, prepare(config))
    function = stack.get("function:worker")
    role = stack.get("role:function:worker")
    assert isinstance(function, Function)
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # the role becomes visible during the second wait
        waits.append(seconds)
        if len(waits) == 2:
            role.create(clients, CallRetry())

    function.create(clients, CallRetry(sleep=sleep))

    assert waits == [1.0, 2.0]
    assert clients.lambda_.get_function(FunctionName="CC-LambdaDoWorkFunction")["Configuration"]["State"] == "Active"


def test_a_role_that_never_appears_fails_after_the_last_retry(clients: Clients, make_config: Any) -> None:
    config = make_config()
    function = build_stack(config, ACCOUNT, prepare(config)).get("function:worker")
    waits: list[float] = []
    with pytest.raises(Exception, match="cannot be assumed"):
        function.create(clients, CallRetry(delays=(1.0, 2.0, 4.0), sleep=waits.append))
    assert waits == [1.0, 2.0, 4.0]


def test_a_new_rule_file_becomes_a_rule(clients: Clients, make_config: Any, generated: Path,
                                        call_log: CallLog) -> None:
    """Rules are data: a third rule file (a nightly sweep with its own input) needs no code."""
    (generated / "sweep-rule.json").write_text(json.dumps({
        "ScheduleExpression": "cron(0 3 * * ? *)", "Target": MACHINES["cleanup"][1],
        "Input": {"detail": {"executionArn": "none", "status": "FAILED"}}}))

    result = deploy(make_config(), clients)

    rule = clients.events.describe_rule(Name="CC-sweep-rule")
    assert rule["ScheduleExpression"] == "cron(0 3 * * ? *)" and "EventPattern" not in rule
    [target] = clients.events.list_targets_by_rule(Rule="CC-sweep-rule")["Targets"]
    assert (target["Arn"], json.loads(target["Input"])) == (
        machine_arn("CC-CleanFromIncomplete"), {"detail": {"executionArn": "none", "status": "FAILED"}})
    assert result.rules["CC-sweep-rule"]["ScheduleExpression"] == "cron(0 3 * * ? *)"
    call_log.clear()
    assert {c.action for c in plan(make_config(), clients).changes} == {"unchanged"}
    assert call_log.writes == []
    assert [c.action for c in destroy(make_config(), clients).changes].count("delete") == RESOURCES + 1
    assert clients.events.list_rules(NamePrefix="CC-")["Rules"] == []
