"""Issue 24's "done when": a new user's DynamoDB getItem workflow, from its definition to AWS (moto) and back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deployer import Clients, DeployConfig
from deployer.cli import main
from dsl import Pass, Workflow
from dsl.build import main as build
from dsl.errors import InvalidField

from .conftest import ACCOUNT, REGION, REPO
from .test_cli import run
from .test_refusals import no_clients, refuse

USER_DEFINITION = '''"""A new user's workflows: read one order (standard) and the same, fast (express)."""

from dsl import P, Workflow
from dsl.integrations import dynamodb

KEY = {"OrderId": dynamodb.S(P("$.orderId"))}
order_flow = Workflow("my-order-flow", dynamodb.get_item("GetOrder", table="${OrdersTable}", key=KEY),
                      comment="Read one order", timeout_seconds=60)
fast_flow = Workflow("my-fast-flow", dynamodb.get_item("GetFast", table="${OrdersTable}", key=KEY), type="EXPRESS")
'''


def machine(clients: Clients, name: str) -> dict[str, object] | None:
    found = [m for m in clients.sfn.list_state_machines()["stateMachines"] if m["name"] == name]
    if not found:
        return None
    described: dict[str, object] = clients.sfn.describe_state_machine(stateMachineArn=found[0]["stateMachineArn"])
    return described


def test_define_build_deploy_refuse_fill_then_remove(clients: Clients, tmp_path: Path, source_root: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    definitions, generated = tmp_path / "definitions", tmp_path / "generated"
    shutil.copytree(REPO / "definitions", definitions, ignore=shutil.ignore_patterns("__pycache__"))
    (definitions / "orders.py").write_text(USER_DEFINITION)
    assert build(["--definitions", str(definitions), "--out", str(generated)]) == 0
    assert json.loads((generated / "my-fast-flow.machine.json").read_text()) == {"type": "EXPRESS"}
    assert not (generated / "my-order-flow.machine.json").exists()
    config = DeployConfig(generated_dir=generated, definitions_dir=definitions, source_root=source_root)
    capsys.readouterr()

    assert main([], defaults=config, make_clients=no_clients) == 2
    assert capsys.readouterr().err.splitlines() == [  # one line per workflow
        f"deploy.py: error: DEPLOY-PLACEHOLDER {generated}/{name}.asl.json: no value for ${{OrdersTable}} "
        f"(used at /States/{state}/Parameters/TableName); give --param NAME=VALUE or --params FILE.json"
        for name, state in (("my-fast-flow", "GetFast"), ("my-order-flow", "GetOrder"))]

    status, _ = run(["--param", "OrdersTable=orders"], clients, config)
    assert status == 0, capsys.readouterr().err
    described = machine(clients, "CC-my-order-flow")
    assert described is not None and described["type"] == "STANDARD"
    definition = json.loads(str(described["definition"]))
    assert definition["States"]["GetOrder"]["Parameters"]["TableName"] == "orders"
    fast = machine(clients, "CC-my-fast-flow")
    assert fast is not None and fast["type"] == "EXPRESS"
    statements = clients.iam.get_role_policy(RoleName="CC-my-order-flow-role",
                                             PolicyName="least-privilege")["PolicyDocument"]["Statement"]
    assert [s for s in statements if s["Resource"] != ["*"]] == [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem"],
         "Resource": [f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"]}]

    (definitions / "orders.py").unlink()
    assert build(["--definitions", str(definitions), "--out", str(generated)]) == 0
    leftovers = sorted(p.name for p in generated.glob("my-*"))
    if leftovers:  # a build that does not yet remove the files of a deleted definition: deploy says so
        line = refuse(["--param", "OrdersTable=orders"], config, capsys)
        assert "not written by the last `python -m dsl build` (their definition was removed)" in line
        for name in leftovers:
            (generated / name).unlink()
    status, lines = run(["--param", "OrdersTable=orders"], clients, config)
    assert status == 0
    assert lines[-2] == "Done: 0 created, 0 updated, 6 deleted, 20 unchanged."
    assert machine(clients, "CC-my-order-flow") is None and machine(clients, "CC-my-fast-flow") is None
    assert "--param OrdersTable is used by no workflow" in capsys.readouterr().err


def test_a_type_other_than_standard_or_express_is_refused_at_its_line() -> None:
    with pytest.raises(InvalidField, match=r"test_new_workflow_end_to_end.py:\d+: .*type 'FAST' must be one of "
                                           "STANDARD, EXPRESS"):
        Workflow("x", Pass("A"), type="FAST")  # type: ignore[arg-type]
