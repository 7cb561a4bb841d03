"""The original sample's files, verified: what is wrong with them, exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from verify_asl import RULE

from semaphore.verify import VerifyFinding, verify
from semaphore.verify.cli import main

ACQUIRE = "/States/Get Lock/Branches/0/States/Acquire Lock"
WORK = "/States/Do Work/Branches/0/States/Run Lambda Function With Controlled Concurrency"


def _load(seed_dir: Path, name: str) -> dict[str, object]:
    doc: dict[str, object] = json.loads((seed_dir / name).read_text())
    return doc


def test_original_findings(seed_dir: Path) -> None:
    machine = _load(seed_dir, "dynamodb-semaphore.asl.json")
    cleanup = _load(seed_dir, "dynamodb-semaphore-cleanfromincomplete.asl.json")
    found = [f for f in verify(machine, cleanup=cleanup) if isinstance(f, VerifyFinding)]
    assert {(f.document, f.pointer, f.rule, f.severity) for f in found} == {
        # the `<>` limit test admits without bound once the count is above the limit
        ("", ACQUIRE + "/Parameters/ConditionExpression", "LOCK-LIMIT", "error"),
        # the seed has no rule file: cleanup coverage is unproven
        ("", ACQUIRE, "LOCK-CLEANUP-RULE", "error"),
        # the cleanup decides on an eventually consistent getItem
        ("cleanup", "/States/Check If Lock Is Held", "LOCK-STALE-READ", "error"),
        # and nothing covers the cleanup failing after its 20 retries
        ("cleanup", "/States/Get Current Lock Item", "LOCK-CLEANUP-FAIL", "warning"),
        # the Lambda Task has no TimeoutSeconds: a stopped execution's work outlives its slot
        ("", WORK, "LOCK-WORK-BOUND", "warning"),
        # nor a redrive guard: a redrive after the cleanup released its slot runs the work without one
        ("", WORK, "LOCK-REDRIVE", "warning"),
    }
    limit = next(f for f in found if f.rule == "LOCK-LIMIT")
    assert "`currentlockcount <> :limit`" in limit.message and "use `<`" in limit.message
    stale = next(f for f in found if f.rule == "LOCK-STALE-READ")
    assert stale.witness == "Get Current Lock Item -> Check If Lock Is Held -[Default]-> Success State " \
                                        "-> (succeeded)"


def test_original_with_the_deployed_rule(seed_dir: Path) -> None:
    """With the rule the original Terraform creates (as data), only the defects remain."""
    found = verify(_load(seed_dir, "dynamodb-semaphore.asl.json"),
                   cleanup=_load(seed_dir, "dynamodb-semaphore-cleanfromincomplete.asl.json"), rule=RULE,
                   cleanup_name="dynamodb-semaphore-cleanfromincomplete.asl.json")
    assert sorted(f.rule for f in found if f.severity == "error") == ["LOCK-LIMIT", "LOCK-STALE-READ"]


def test_the_test_workflow_takes_no_lock(seed_dir: Path) -> None:
    assert verify(_load(seed_dir, "test-run-semaphore.asl.json")) == []


def test_cli_on_a_copy_of_the_seed_folder(seed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for file in seed_dir.glob("*.asl.json"):
        shutil.copy(file, tmp_path / file.name)
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    machine = str(tmp_path / "dynamodb-semaphore.asl.json")
    cleanup = str(tmp_path / "dynamodb-semaphore-cleanfromincomplete.asl.json")
    assert f"{machine}:{ACQUIRE}/Parameters/ConditionExpression: LOCK-LIMIT" in "\n".join(out)
    assert any(line.startswith(f"{cleanup}:/States/Check If Lock Is Held: LOCK-STALE-READ") for line in out)
    assert any(line.endswith("[warning]") and "LOCK-CLEANUP-FAIL" in line for line in out)
    assert any(line.startswith(f"{machine}:{WORK}: LOCK-WORK-BOUND") and line.endswith("[warning]") for line in out)
    assert any(line.startswith(f"{machine}:{WORK}: LOCK-REDRIVE") and line.endswith("[warning]") for line in out)
    assert len(out) == 6
