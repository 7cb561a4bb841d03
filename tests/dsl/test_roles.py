"""The generated workflows play the original's roles, state by state.

The table below maps every state of the original sample to the state of ours
that plays its role; the test checks the table against both files and then
runs one execution of each semaphore on moto's ASL engine and compares the
sequence of roles they went through. (The worker Lambda is replaced by a
Pass here; the local-run tests execute the real worker.)
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.config import default_user_config

from dsl.build import compile_workflow_files

WORKER = "Run Lambda Function With Controlled Concurrency"

# original file -> original state -> (our state, role, how it changed)
ROLES: dict[str, dict[str, tuple[str, str, str]]] = {
    "dynamodb-semaphore.asl.json": {
        "Get Lock": ("Acquire Lock", "acquire", "Parallel wrapper dropped: the acquire chain keeps "
                                                "the input with ResultPath null itself"),
        "Acquire Lock": ("Acquire Lock", "acquire", "limit test '<' instead of '<>'; no Retry"),
        "Initialize Lock Item": ("Acquire Lock", "acquire", "folded in: if_not_exists creates "
                                                            "the item"),
        "Get Current Lock Record": ("Check Lock Ownership", "check", "a conditional update "
                                                                     "replaces read + match"),
        "Check If Lock Already Acquired": ("Check Lock Ownership", "check", "no '*Z*' match"),
        "Continue Because Lock Was Already Acquired": ("Check Lock Ownership", "check",
                                                       "its success goes on to Do Work"),
        "Wait to Get Lock": ("Wait to Get Lock", "wait", "same"),
        "Do Work": ("Do Work", "work", "same"),
        "Here": ("Here", "work", "same"),
        "You": ("You", "work", "same"),
        "Do": ("Do", "work", "same"),
        "Work": ("Work", "work", "same"),
        WORKER: (WORKER, "work", "retries Lambda service errors only"),
        "Release Lock": ("Release Lock", "release", "jittered retry"),
        "Success State": ("Success State", "end", "same"),
    },
    "dynamodb-semaphore-cleanfromincomplete.asl.json": {
        "Get Current Lock Item": ("Clean Up Lock", "release", "no eventually consistent read: "
                                                              "the conditional update decides"),
        "Check If Lock Is Held": ("Clean Up Lock", "release", "no '*Z*' match"),
        "Clean Up Lock": ("Clean Up Lock", "release", "same"),
        "Success State": ("Success State", "end", "same"),
    },
    "test-run-semaphore.asl.json": {
        "GenerateDefaultInput": ("GenerateDefaultInput", "input", "States.ArrayRange, no "
                                                                  "duplicates"),
        "StartInParallel": ("StartInParallel", "fan-out", "ItemProcessor instead of Iterator"),
        "RunChildStateMachine": ("RunChildStateMachine", "child", "a failed child is not re-run"),
        "ClearResults": ("RunChildStateMachine", "child", "its ResultSelector keeps the status"),
    },
}


def _state_names(doc: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for name, state in doc["States"].items():
        names.add(name)
        for branch in state.get("Branches", []):
            names |= _state_names(branch)
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                names |= _state_names(state[key])
    return names


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    return compile_workflow_files(Path(__file__).resolve().parents[2] / "definitions")


def test_role_table_covers_both_sides(seed_dir: Path, ours: dict[str, Any],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    for file_name, table in ROLES.items():
        original = json.loads((seed_dir / file_name).read_text())
        assert set(table) == _state_names(original), file_name
        assert {ours_name for ours_name, _, _ in table.values()} <= _state_names(ours[file_name])
        with capsys.disabled():
            print(f"\n{file_name}")
            for name, (mine, role, change) in table.items():
                print(f"  {name:<44} -> {mine:<24} [{role}] {change}")


def _substitute(doc: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(doc)
    for key, value in {"${SF_TableSemaphore}": "Locks", "${SF_LockName}": "L",
                       "${SF_ConcurrentAccessLimit}": "2"}.items():
        text = text.replace(key, value)
    result: dict[str, Any] = json.loads(text)
    branch = result["States"]["Do Work"]["Branches"][0]["States"]
    branch[WORKER] = {"Type": "Pass", "End": True}
    return result


def _roles_run(sfn: Any, arn: str, table: dict[str, tuple[str, str, str]]) -> list[str]:
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    for _ in range(200):
        if sfn.describe_execution(executionArn=execution)["status"] != "RUNNING":
            break
        time.sleep(0.05)
    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    roles: list[str] = []
    for event in events:
        if event["type"].endswith("StateEntered"):
            role = table[event["stateEnteredEventDetails"]["name"]][1]
            if not roles or roles[-1] != role:
                roles.append(role)
    return roles


def test_original_and_generated_semaphores_go_through_the_same_roles(
        seed_dir: Path, ours: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # moto's config is process-wide: set for this test only, restored afterwards.
    monkeypatch.setitem(default_user_config, "stepfunctions", {"execute_state_machine": True})
    table = ROLES["dynamodb-semaphore.asl.json"]
    mine = {name: (name, role, "") for name, role in
            {v[0]: v[1] for v in table.values()}.items()}
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        ddb.create_table(TableName="Locks", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "LockName", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "LockName", "AttributeType": "S"}])
        role = "arn:aws:iam::123456789012:role/sfn"
        ours_arn = sfn.create_state_machine(
            name="ours", roleArn=role,
            definition=json.dumps(_substitute(ours["dynamodb-semaphore.asl.json"])))["stateMachineArn"]
        # Ours starts with no lock item at all: the acquire creates it.
        ours_roles = _roles_run(sfn, ours_arn, mine)
        item = ddb.get_item(TableName="Locks", Key={"LockName": {"S": "L"}})["Item"]
        assert item["currentlockcount"] == {"N": "0"} and len(item) == 2
        original = json.loads((seed_dir / "dynamodb-semaphore.asl.json").read_text())
        original_arn = sfn.create_state_machine(
            name="original", roleArn=role,
            definition=json.dumps(_substitute(original)))["stateMachineArn"]
        original_roles = _roles_run(sfn, original_arn, table)
    assert ours_roles == original_roles == ["acquire", "work", "release", "end"]
