"""Every workflow of generated/ deploys, not only the semaphore system's (issue 24), against moto."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deployer import Clients, deploy, destroy, plan, prepare
from deployer.errors import BadGenerated
from deployer.params import MissingPlaceholders

from .conftest import ACCOUNT, REGION, CallLog
from .test_cli import run
from .test_refusals import refuse

ORDERS_TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"
# What `python -m dsl build` writes for
#   Workflow("my-order-flow", dynamodb.get_item("GetOrder", table="${OrdersTable}",
#            key={"OrderId": dynamodb.S(P("$.orderId"))}), comment="Read one order", timeout_seconds=60)
ORDER_FLOW = {
    "Comment": "Read one order",
    "TimeoutSeconds": 60,
    "StartAt": "GetOrder",
    "States": {"GetOrder": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                            "Parameters": {"TableName": "${OrdersTable}", "Key": {"OrderId": {"S.$": "$.orderId"}}},
                            "End": True}},
}
PASS_FLOW = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
# Step Functions' log delivery and X-Ray (tracing) actions, which AWS defines without a resource
# type: every machine's role has them (one statement), beside what its definition needs.
LOGS_AND_XRAY = {"Effect": "Allow", "Action": [
    "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
    "Resource": ["*"]}


def machine_arn(name: str) -> str:
    return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"


def add(generated: Path, name: str, document: dict[str, Any], **extra: Any) -> Path:
    path = generated / f"{name}.asl.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    for suffix, data in extra.items():
        (generated / f"{name}{suffix}").write_text(json.dumps(data))
    return path


def user_machines(clients: Clients) -> list[str]:
    system = {"CC-ConcurrencyControlledStateMachine", "CC-CleanFromIncomplete", "CC-Reconciler",
              "CC-Test-Run100Executions"}
    return sorted(m["name"] for m in clients.sfn.list_state_machines()["stateMachines"] if m["name"] not in system)


def test_a_user_workflow_gets_its_machine_with_the_value_filled_and_exactly_its_role(
        clients: Clients, make_config: Any, generated: Path) -> None:
    add(generated, "my-order-flow", ORDER_FLOW)

    result = deploy(make_config(params={"OrdersTable": "orders"}), clients)

    described = clients.sfn.describe_state_machine(stateMachineArn=machine_arn("CC-my-order-flow"))
    definition = json.loads(described["definition"])
    assert definition["States"]["GetOrder"]["Parameters"]["TableName"] == "orders"
    assert (definition["Comment"], definition["TimeoutSeconds"]) == ("Read one order", 60)
    assert described["type"] == "STANDARD"
    assert described["roleArn"] == f"arn:aws:iam::{ACCOUNT}:role/CC-my-order-flow-role"
    log_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/vendedlogs/states/CC-my-order-flow:*"
    assert described["loggingConfiguration"] == {
        "level": "ALL", "includeExecutionData": True,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": log_arn}}]}
    assert described["tracingConfiguration"] == {"enabled": True}
    assert result.workflow_arn("my-order-flow") == machine_arn("CC-my-order-flow")

    role = clients.iam.get_role(RoleName="CC-my-order-flow-role")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "states.amazonaws.com"}
    assert clients.iam.list_role_policies(RoleName="CC-my-order-flow-role")["PolicyNames"] == ["least-privilege"]
    assert clients.iam.list_attached_role_policies(RoleName="CC-my-order-flow-role")["AttachedPolicies"] == []
    policy = clients.iam.get_role_policy(RoleName="CC-my-order-flow-role", PolicyName="least-privilege")
    assert policy["PolicyDocument"] == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": [ORDERS_TABLE_ARN]}, LOGS_AND_XRAY]}
    for tags in (clients.sfn.list_tags_for_resource(resourceArn=machine_arn("CC-my-order-flow"))["tags"],
                 [{"key": t["Key"], "value": t["Value"]} for t in role["Tags"]]):
        assert tags == [{"key": "NamePrefix", "value": "CC"}]


def test_an_express_workflow_is_deployed_express(clients: Clients, make_config: Any, generated: Path) -> None:
    add(generated, "my-fast-flow", PASS_FLOW, **{".machine.json": {"type": "EXPRESS"}})
    deploy(make_config(), clients)
    assert clients.sfn.describe_state_machine(stateMachineArn=machine_arn("CC-my-fast-flow"))["type"] == "EXPRESS"


def test_without_the_parameter_the_deploy_is_refused_naming_it_and_where(
        make_config: Any, generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = add(generated, "my-order-flow", ORDER_FLOW)
    line = refuse([], make_config(), capsys)
    assert line == (f"deploy.py: error: DEPLOY-PLACEHOLDER {path}: no value for ${{OrdersTable}} (used at "
                    "/States/GetOrder/Parameters/TableName); give --param NAME=VALUE or --params FILE.json")


def test_one_line_per_workflow_with_every_missing_placeholder(make_config: Any, generated: Path) -> None:
    add(generated, "my-order-flow", ORDER_FLOW)
    two = json.loads(json.dumps(ORDER_FLOW).replace("$.orderId", "${KeyPath}"))
    add(generated, "my-other-flow", two)
    with pytest.raises(MissingPlaceholders) as refused:
        prepare(make_config())
    assert refused.value.message.splitlines() == [
        (f"{generated}/my-order-flow.asl.json: no value for ${{OrdersTable}} (used at "
         "/States/GetOrder/Parameters/TableName); give --param NAME=VALUE or --params FILE.json"),
        (f"{generated}/my-other-flow.asl.json: no value for ${{KeyPath}} (used at "
         "/States/GetOrder/Parameters/Key/OrderId/S.$); ${OrdersTable} (used at /States/GetOrder/Parameters/"
         "TableName); give --param NAME=VALUE or --params FILE.json")]


def test_params_come_from_the_stack_then_param_then_the_file(make_config: Any, generated: Path,
                                                           tmp_path: Path) -> None:
    uses = {"TableName": "${OrdersTable}", "Key": {"OrderId": {"S": "${Region}"}, "Lock": {"S": "${SF_LockName}"}}}
    add(generated, "my-order-flow", {**ORDER_FLOW, "States": {"GetOrder": {
        **ORDER_FLOW["States"]["GetOrder"], "Parameters": uses}}})
    file = tmp_path / "params.json"
    file.write_text(json.dumps({"OrdersTable": "from-file", "Region": "eu", "SF_LockName": "from-file"}))

    prepared = prepare(make_config(params={"OrdersTable": "orders", "SF_LockName": "x"}, params_file=file))

    from deployer import build_stack
    machine = build_stack(prepared.config, ACCOUNT, prepared).get("machine:my-order-flow")
    assert machine.desired["definition"]["States"]["GetOrder"]["Parameters"] == {
        "TableName": "orders", "Key": {"OrderId": {"S": "eu"}, "Lock": {"S": "MySemaphore"}}}
    assert prepared.warnings[-1:] == (("--param SF_LockName is filled by the stack (MySemaphore); the given value "
                                       "was ignored"),)


def test_an_unused_param_is_a_warning(clients: Clients, make_config: Any, generated: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    add(generated, "my-order-flow", ORDER_FLOW)
    status, _ = run(["--param", "OrdersTable=orders", "--param", "OrderTable=typo"], clients, make_config())
    assert status == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "--param" in line]
    assert warnings == ["deploy.py: warning: --param OrderTable is used by no workflow or rule file; it was ignored"]


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read it (FileNotFoundError"),
    ('{"OrdersTable": ', "invalid JSON at line 1"),
    ('["orders"]', "found a JSON list; expected an object"),
    ('{"OrdersTable": 5}', "'OrdersTable' is 5; expected a string value"),
    ('{"Orders Table": "x"}', "key 'Orders Table': 'Orders Table' is not a placeholder name"),
])
def test_a_bad_params_file(content: str | None, expected: str, make_config: Any, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "params.json"
    if content is not None:
        file.write_text(content)
    line = refuse(["--params", str(file)], make_config(), capsys)
    assert line.startswith(f"deploy.py: error: DEPLOY-OPTION --params {file}: ") and expected in line


def test_a_param_without_a_value(make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert "expected NAME=VALUE" in refuse(["--param", "OrdersTable"], make_config(), capsys)


def test_redeploy_writes_nothing_a_change_updates_one_machine_a_removal_deletes(
        clients: Clients, make_config: Any, generated: Path, call_log: CallLog) -> None:
    config = make_config(params={"OrdersTable": "orders"})
    order_flow = add(generated, "my-order-flow", ORDER_FLOW)
    add(generated, "my-pass-flow", PASS_FLOW)
    deploy(config, clients)
    assert user_machines(clients) == ["CC-my-order-flow", "CC-my-pass-flow"]

    call_log.clear()
    again = deploy(config, clients)
    assert {c.action for c in again.changes} == {"unchanged"} and call_log.writes == []

    add(generated, "my-order-flow", {**ORDER_FLOW, "TimeoutSeconds": 90})
    call_log.clear()
    changed = deploy(config, clients)
    assert [(c.resource.key, c.action, c.fields) for c in changed.changes if c.action != "unchanged"] == [
        ("machine:my-order-flow", "update", ("definition",))]
    assert call_log.writes == ["stepfunctions:UpdateStateMachine"]

    order_flow.unlink()
    planned = plan(config, clients)
    assert [(c.action, c.resource.kind, c.resource.name) for c in planned.changes if c.action != "unchanged"] == [
        ("delete", "iam role", "CC-my-order-flow-role"),
        ("delete", "log group", "/aws/vendedlogs/states/CC-my-order-flow"),
        ("delete", "state machine", "CC-my-order-flow")]
    call_log.clear()
    deploy(config, clients)
    assert sorted(call_log.writes) == ["iam:DeleteRole", "iam:DeleteRolePolicy", "logs:DeleteLogGroup",
                                       "stepfunctions:DeleteStateMachine"]
    assert user_machines(clients) == ["CC-my-pass-flow"]
    assert "CC-my-order-flow-role" not in [r["RoleName"] for r in clients.iam.list_roles()["Roles"]]
    assert {c.action for c in plan(config, clients).changes} == {"unchanged"}


def test_only_what_carries_the_prefix_and_its_tag_is_deleted(clients: Clients, make_config: Any,
                                                             generated: Path) -> None:
    role = clients.iam.create_role(RoleName="CC-theirs-role", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}]}))["Role"]
    definition = json.dumps(PASS_FLOW)
    clients.sfn.create_state_machine(name="CC-theirs", definition=definition, roleArn=role["Arn"])
    clients.sfn.create_state_machine(name="CC-other-prefix", definition=definition, roleArn=role["Arn"],
                                     tags=[{"key": "NamePrefix", "value": "CC-other"}])
    clients.sfn.create_state_machine(name="XY-flow", definition=definition, roleArn=role["Arn"],
                                     tags=[{"key": "NamePrefix", "value": "CC"}])
    deploy(make_config(), clients)
    destroy(make_config(), clients)
    assert sorted(m["name"] for m in clients.sfn.list_state_machines()["stateMachines"]) == [
        "CC-other-prefix", "CC-theirs", "XY-flow"]
    assert [r["RoleName"] for r in clients.iam.list_roles()["Roles"]] == ["CC-theirs-role"]


def test_a_rule_beside_a_workflow_is_deployed_and_deleted_with_it(clients: Clients, make_config: Any,
                                                                  generated: Path) -> None:
    flow = add(generated, "my-pass-flow", PASS_FLOW)
    rule = generated / "my-pass-flow-rule.json"
    rule.write_text(json.dumps({"ScheduleExpression": "rate(1 hour)", "Target": "my-pass-flow.asl.json"}))
    deploy(make_config(), clients)
    [target] = clients.events.list_targets_by_rule(Rule="CC-my-pass-flow-rule")["Targets"]
    assert target["Arn"] == machine_arn("CC-my-pass-flow")
    policy = clients.iam.get_role_policy(RoleName="CC-EventsRole", PolicyName="least-privilege")["PolicyDocument"]
    assert machine_arn("CC-my-pass-flow") in policy["Statement"][0]["Resource"]

    flow.unlink()
    rule.unlink()
    deleted = [(c.resource.kind, c.resource.name) for c in deploy(make_config(), clients).changes
               if c.action == "delete"]
    assert deleted == [("eventbridge rule", "CC-my-pass-flow-rule"), ("iam role", "CC-my-pass-flow-role"),
                       ("log group", "/aws/vendedlogs/states/CC-my-pass-flow"), ("state machine", "CC-my-pass-flow")]
    assert [r["Name"] for r in clients.events.list_rules(NamePrefix="CC-")["Rules"]] == [
        "CC-cleanup-rule", "CC-reconciler-rule"]


def test_without_rule_files_the_rules_and_their_role_are_deleted(clients: Clients, make_config: Any,
                                                                 generated: Path) -> None:
    deploy(make_config(), clients)
    for name in ("cleanup-rule.json", "reconciler-rule.json"):
        (generated / name).unlink()
    deleted = [(c.resource.kind, c.resource.name) for c in deploy(make_config(), clients).changes
               if c.action == "delete"]
    assert deleted == [("eventbridge rule", "CC-cleanup-rule"), ("eventbridge rule", "CC-reconciler-rule"),
                       ("iam role", "CC-EventsRole")]
    assert clients.events.list_rules(NamePrefix="CC-")["Rules"] == []


def test_destroy_removes_user_machines_also_after_their_definition_went(
        clients: Clients, make_config: Any, generated: Path) -> None:
    flow = add(generated, "my-pass-flow", PASS_FLOW)
    add(generated, "my-order-flow", ORDER_FLOW)
    config = make_config(params={"OrdersTable": "orders"})
    status, _ = run(["--param", "OrdersTable=orders"], clients, config)
    assert status == 0
    flow.unlink()
    status, lines = run(["--destroy"], clients, config)
    assert status == 0
    assert lines[-1] == "Done: 26 deleted, 0 already absent."  # 20 of the system, 3 for each workflow
    assert clients.sfn.list_state_machines()["stateMachines"] == []
    assert not [r for r in clients.iam.list_roles()["Roles"] if r["RoleName"].startswith("CC-")]
    assert clients.logs.describe_log_groups()["logGroups"] == []


@pytest.mark.parametrize("name, expected", [
    ("x" * 78, "workflow '" + "x" * 78 + "' with --prefix 'CC' makes state machine name"),
    ("ConcurrencyControlledStateMachine", ("workflow 'ConcurrencyControlledStateMachine' and the semaphore system "
                                           "both make state machine name 'CC-ConcurrencyControlledStateMachine'")),
    ("my flow", "workflow 'my flow' puts ' ' into state machine name 'CC-my flow'"),
])
def test_a_workflow_name_that_makes_a_bad_resource_name(name: str, expected: str, make_config: Any,
                                                        generated: Path) -> None:
    add(generated, name, PASS_FLOW)
    with pytest.raises(BadGenerated, match="^DEPLOY-GENERATED " + expected.replace("(", r"\(")):
        prepare(make_config())


def test_settings_of_no_workflow_are_refused(make_config: Any, generated: Path) -> None:
    (generated / "gone.machine.json").write_text('{"type": "EXPRESS"}')
    with pytest.raises(BadGenerated, match="gone.machine.json: settings of workflow 'gone', but there is no"):
        prepare(make_config())


def test_dry_run_lists_the_new_machine_its_role_and_log_group(clients: Clients, make_config: Any, generated: Path,
                                                              call_log: CallLog) -> None:
    add(generated, "my-order-flow", ORDER_FLOW)
    status, lines = run(["--dry-run", "--param", "OrdersTable=orders"], clients, make_config())
    assert status == 0 and call_log.writes == []
    assert [line.split() for line in lines if "my-order-flow" in line] == [
        ["create", "iam", "role", "CC-my-order-flow-role"],
        ["create", "log", "group", "/aws/vendedlogs/states/CC-my-order-flow"],
        ["create", "state", "machine", "CC-my-order-flow"]]
    assert lines[-1] == "Plan: 23 to create, 0 to update, 0 to delete, 0 unchanged. Nothing was changed (--dry-run)."
