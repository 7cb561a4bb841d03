"""``deploy.py --local`` deploys the user's workflows into the emulator alongside the system (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console

from semaphore.local_run.report import RunSettings
from semaphore.local_run.run import Injections, LocalRun, StackOptions, run_local

from .conftest import copy_generated
from .test_workflows import ORDER_FLOW, add


def test_extra_workflows_are_deployed_and_the_system_still_runs(tmp_path: Path) -> None:
    generated = copy_generated(tmp_path / "generated")
    add(generated, "my-order-flow", ORDER_FLOW)
    deployed: dict[str, Any] = {}

    def look(run: LocalRun) -> None:
        described = run.clients.sfn.describe_state_machine(stateMachineArn=run.deployed.workflow_arn("my-order-flow"))
        deployed.update(name=described["name"], definition=json.loads(described["definition"]))

    with (tmp_path / "console.txt").open("w") as console:
        report = run_local(RunSettings(requested=4, limit=2, work_seconds=0.1, failure_rate=0.0, seed=3,
                                       driver="direct", time_scale=0.05),
                           stack=StackOptions(generated_dir=generated, params={"OrdersTable": "orders"}),
                           inject=Injections(before_start=look), out_dir=None, progress=False,
                           console=Console(file=console), timeout=120)

    assert deployed["name"] == "CC-my-order-flow"
    assert deployed["definition"]["States"]["GetOrder"]["Parameters"]["TableName"] == "orders"
    assert report.exit_code == 0
    assert report.by_status == {"SUCCEEDED": 4}
