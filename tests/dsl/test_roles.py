"""The generated workflows play the original's roles, state by state.

The table below maps every state of the original sample to the state of ours
that plays its role, and a second one gives the role of each state of ours with
no original counterpart; the test checks the tables against both files and then
runs one execution of each semaphore on moto's ASL engine and compares the
sequence of roles they went through. Without the original (../shared/seed absent)
the tables still cover ours, and the run compares ours with the project's
counter_lock fixture written in the original's style (tests/samples.py). (The worker Lambda is replaced by a
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
from local.shims import redrive
from semaphore.pattern import Semaphore
from tests.samples import COUNTER, SAMPLES, Sample

WORKER = "Run Lambda Function With Controlled Concurrency"
LIMIT = 2

# original file -> original state -> (our state, role, how it changed)
ROLES: dict[str, dict[str, tuple[str, str, str]]] = {
    "dynamodb-semaphore.asl.json": {
        "Get Lock": ("Acquire Lock", "acquire",
                     "Parallel wrapper dropped: the acquire chain keeps the input with ResultPath null itself"),
        "Acquire Lock": ("Acquire Lock", "acquire",
                         "limit read from the lock item ('#c < #l', not '<>'); FIFO: no slot while others wait"),
        "Initialize Lock Item": ("Check Lock Item", "acquire",
                                 "deploy creates the item with its limit; a missing item is waited for"),
        "Get Current Lock Record": ("Check Lock Granted", "check", "a conditional update replaces read + match"),
        "Check If Lock Already Acquired": ("Check Lock Granted", "check", "no '*Z*' match"),
        "Continue Because Lock Was Already Acquired": ("Check Lock Granted", "check",
                                                       "its success goes on to the work"),
        "Wait to Get Lock": ("Wait for Lock", "wait",
                             "parks with a task token until a release hands a slot over, instead of polling"),
        "Do Work": (WORKER, "work", "Parallel wrapper dropped"),
        "Here": (WORKER, "work", "demo Pass state dropped"),
        "You": (WORKER, "work", "demo Pass state dropped"),
        "Do": (WORKER, "work", "demo Pass state dropped"),
        "Work": (WORKER, "work", "demo Pass state dropped"),
        WORKER: (WORKER, "work", "retries Lambda service errors only; TimeoutSeconds 90"),
        "Release Lock": ("Release Lock", "release",
                         "hands the slot to the oldest waiter, else Free Slot gives it back"),
        "Success State": ("Success State", "end", "same"),
    },
    "dynamodb-semaphore-cleanfromincomplete.asl.json": {
        "Get Current Lock Item": ("Release Lock", "release",
                                  "no eventually consistent read: the conditional update decides"),
        "Check If Lock Is Held": ("Release Lock", "release", "no '*Z*' match"),
        "Clean Up Lock": ("Release Lock", "release", "the same release chain as the machine's"),
        "Success State": ("Success State", "end", "same"),
    },
    "test-run-semaphore.asl.json": {
        "GenerateDefaultInput": ("GenerateDefaultInput", "input", "States.ArrayRange, no duplicates"),
        "StartInParallel": ("StartInParallel", "fan-out", "ItemProcessor instead of Iterator"),
        "RunChildStateMachine": ("RunChildStateMachine", "child",
                                 "started without waiting (all 100 in contention); a failed child is not re-run"),
        "ClearResults": ("DescribeChild", "child", "each child's status, read once all ended"),
    },
}

_RELEASE_CHAIN = ("Release Lock", "Wake Next Waiter", "Check Next Waiter", "Next Waiter Running?", "Free Slot",
                  "Check Lock Still Held")

# our file -> our state with no original counterpart -> (role, why it exists)
NEW_STATES: dict[str, dict[str, tuple[str, str]]] = {
    "dynamodb-semaphore.asl.json": {
        "Wait for Lock Again": ("wait", "the park once more when the lock changed between the two writes"),
        "Acquire Lock Again": ("acquire", "the acquire once more, for the same reason"),
        "Check Still Queued": ("check", "a park that ended without a slot: still in the queue?"),
        "Wait While Queued": ("wait", "queued without a live token: check again later"),
        "Lock Item Exists?": ("acquire", "a refusal on a missing item"),
        "Wait For Lock Item": ("wait", "until deploy restores the item"),
        "Wait Before Retry": ("wait", "refused twice, or the park failed: pause, then acquire again"),
        **{name: ("release", "the hand-over chain") for name in _RELEASE_CHAIN if name != "Release Lock"},
        **{f"{name} After Failure": ("release", "a failed worker releases at once")
           for name in _RELEASE_CHAIN},
        "Work Failed": ("end", "fails with the worker's own error"),
        "Keep Waiting?": ("wait", "stop polling before the history limit"),
        "Keep Trying?": ("wait", "stop retrying before the history limit"),
        "Lock Wait Too Long": ("end", "fails cleanly with Semaphore.WaitTimeout"),
        "Redriven Without Slot?": ("acquire", "a redriven work Task acquires its slot again"),
        "Wait For Stopped Work": ("acquire", "a redriven execution lets its stopped run's work end first"),
    },
    "dynamodb-semaphore-cleanfromincomplete.asl.json": {
        "Read Owner": ("release", "the execution that ended, as the owner to release"),
        "Stopped or Timed Out?": ("release", "a stopped execution's Lambda may still run"),
        "Wait For Work To End": ("wait", "until the work Task's timeout has passed"),
        "Check Owner Ended": ("check", "a redriven execution runs again: leave its slot to it"),
        "Owner Redriven?": ("check", "the same decision"),
        **{name: ("release", "the hand-over chain") for name in _RELEASE_CHAIN if name != "Release Lock"},
    },
    "test-run-semaphore.asl.json": {
        "CountRunningAtOnce": ("report", "how many semaphore executions ran at once"),
        "WaitForChildren": ("wait", "poll until the semaphore machine has no RUNNING execution"),
        "CountStillRunning": ("wait", "the same count, while waiting"),
        "AllChildrenEnded?": ("wait", "done when nothing runs"),
        "CollectResults": ("child", "each child's status"),
    },
}


# the counter_lock fixture's semaphore: its state -> the role it plays (as the original's do)
COUNTER_ROLES: dict[str, str] = {
    "Take Slot": "acquire", "Claim Slot": "acquire", "Create Lock Item": "acquire", "Read Lock Item": "check",
    "Already Holding?": "check", "Holding Already": "check", "Pause Before Retry": "wait", "Guarded Work": "work",
    "Prepare Input": "work", "Call Worker": "work", "Give Back Slot": "release", "Finished": "end",
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


def _our_roles(file_name: str) -> dict[str, str]:
    """Our state -> its role, from the table and the new states."""
    roles = {mine: role for mine, role, _ in ROLES[file_name].values()}
    return roles | {name: role for name, (role, _) in NEW_STATES[file_name].items()}


def test_role_table_covers_the_original(seed_dir: Path) -> None:
    for file_name, table in ROLES.items():
        original = json.loads((seed_dir / file_name).read_text())
        assert set(table) == _state_names(original), file_name


def test_counter_lock_role_table_covers_its_states(request: pytest.FixtureRequest) -> None:
    assert set(COUNTER_ROLES) == _state_names(COUNTER.load(request, COUNTER.semaphore))


def test_role_table_covers_ours(ours: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    for file_name, table in ROLES.items():
        matched = {ours_name for ours_name, _, _ in table.values()}
        # Every state of ours either plays an original's role or is listed as new, not both.
        assert matched.isdisjoint(NEW_STATES[file_name]), file_name
        assert matched | set(NEW_STATES[file_name]) == _state_names(ours[file_name]), file_name
        # A state of ours plays one role, whichever original states it replaces.
        for mine in matched:
            assert len({role for m, role, _ in table.values() if m == mine}) == 1, mine
        with capsys.disabled():
            print(f"\n{file_name}")
            for name, (mine, role, change) in table.items():
                print(f"  {name:<44} -> {mine:<24} [{role}] {change}")
            for mine, (role, why) in NEW_STATES[file_name].items():
                print(f"  {'(new)':<44} -> {mine:<24} [{role}] {why}")


def _without_worker(states: dict[str, Any], worker: str) -> None:
    """Replace the worker Task, wherever it is, by a Pass that goes on the same way."""
    for name, state in states.items():
        if name == worker:
            states[name] = {"Type": "Pass", **{k: state[k] for k in ("Next", "End") if k in state}}
        for branch in state.get("Branches", []):
            _without_worker(branch["States"], worker)


def _substitute(doc: dict[str, Any], *, worker: str = WORKER, lock: str = "L") -> dict[str, Any]:
    text = json.dumps(doc)
    # The limit placeholder is the original's only: ours reads the limit from the lock item.
    for key, value in {"${SF_TableSemaphore}": "Locks", "${SF_LockName}": lock,
                       "${SF_ConcurrentAccessLimit}": str(LIMIT)}.items():
        text = text.replace(key, value)
    result: dict[str, Any] = json.loads(text)
    _without_worker(result["States"], worker)
    return result


def _roles_run(sfn: Any, arn: str, roles_of: dict[str, str]) -> list[str]:
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
            role = roles_of[event["stateEnteredEventDetails"]["name"]]
            if not roles or roles[-1] != role:
                roles.append(role)
    return roles


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_original_and_generated_semaphores_go_through_the_same_roles(
        sample: Sample, ours: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """Ours and the original (skipped when absent), or ours and the counter_lock fixture."""
    original = sample.load(request, sample.semaphore)
    # moto's config is process-wide: set for this test only, restored afterwards.
    monkeypatch.setitem(default_user_config, "stepfunctions", {"execute_state_machine": True})
    file_name = "dynamodb-semaphore.asl.json"
    # Ours records $$.Execution.RedriveCount, which AWS has and moto 5.2.5 lacks: the local
    # engine's shim adds it.
    undo_redrive = redrive.install()
    request.addfinalizer(undo_redrive)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        ddb.create_table(TableName="Locks", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "LockName", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "LockName", "AttributeType": "S"}])
        # Ours never creates the lock item: deploy does, with the limit in it.
        created = Semaphore(lock_name="L").lock_item(LIMIT)
        ddb.put_item(TableName="Locks", Item=created)
        role = "arn:aws:iam::123456789012:role/sfn"
        ours_arn = sfn.create_state_machine(
            name="ours", roleArn=role,
            definition=json.dumps(_substitute(ours[file_name])))["stateMachineArn"]
        ours_roles = _roles_run(sfn, ours_arn, _our_roles(file_name))
        # Released exactly: the item is back as deploy created it (count 0, no owner, nobody queued).
        item = ddb.get_item(TableName="Locks", Key={"LockName": {"S": "L"}}, ConsistentRead=True)["Item"]
        assert item == created
        # The original-style counter item, under its own name (ours' item has another layout).
        ddb.put_item(TableName="Locks", Item={"LockName": {"S": "C"}, sample.names["count"]: {"N": "0"}})
        original_arn = sfn.create_state_machine(
            name="original", roleArn=role,
            definition=json.dumps(_substitute(original, worker=sample.names["work"], lock="C")))["stateMachineArn"]
        original_roles = _roles_run(sfn, original_arn, COUNTER_ROLES if sample is COUNTER else
                                    {name: role for name, (_, role, _) in ROLES[file_name].items()})
        # Released exactly: the count is back to 0 and no holder is left.
        assert ddb.get_item(TableName="Locks", Key={"LockName": {"S": "C"}}, ConsistentRead=True)["Item"] == {
            "LockName": {"S": "C"}, sample.names["count"]: {"N": "0"}}
    assert ours_roles == original_roles == ["acquire", "work", "release", "end"]
