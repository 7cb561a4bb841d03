"""Issue 23 items 12 and 13: lock rules only where a lock is identified; no lock wording elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from dsl.checks import Subject, run_checks
from dsl.review import render_summary
from semaphore.checks import CHECKS, LockCheck
from semaphore.verify import acquired_locks, uses_lock, verify

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = Path(__file__).parent / "fixtures" / "inventory.asl.json"


def _inventory() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(INVENTORY.read_text(encoding="utf-8"))
    return doc


def test_a_stock_counter_is_not_a_lock() -> None:
    # A conditional stock decrement and its compensating increment: no owner anywhere.
    doc = _inventory()
    assert not uses_lock(doc)
    assert verify(doc) == []


def test_the_same_counter_declared_as_a_lock_is_verified() -> None:
    # The rules still fire when the workflow says it is a lock: the fixture does reach them.
    rules = {f.rule for f in verify(_inventory(), declared=True)}
    assert rules == {"LOCK-UNDERFLOW", "LOCK-OWNER"}


def test_verify_cli_passes_the_inventory_workflow() -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", "verify", str(INVENTORY)], check=False, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 verified, 0 with errors, 0 unreadable; 0 errors" in done.stdout


def test_no_lock_check_and_no_lock_wording_for_the_inventory_workflow() -> None:
    doc = _inventory()
    rule = {"EventPattern": {"source": ["aws.states"]}, "Target": "cleanup.asl.json"}
    documents = {"inventory.asl.json": doc, "cleanup.asl.json": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}},
                 "cleanup-rule.json": rule}
    subject = Subject("inventory", "inventory.asl.json", documents)
    assert not LockCheck().applies_to(subject)
    outcomes = run_checks(CHECKS, subject)
    assert outcomes == []
    text = render_summary("inventory", doc, outcomes=outcomes)
    result = text[text.index("## Verify result"):]
    assert "cleanup" not in result and "lock" not in result.lower()
    assert "No project check applies to this workflow" in result


def test_a_workflow_that_asks_for_the_lock_check_gets_it() -> None:
    subject = Subject("inventory", "inventory.asl.json", {"inventory.asl.json": _inventory()}, frozenset({"lock"}))
    [outcome] = run_checks(CHECKS, subject)
    assert {f.rule for f in outcome.findings} == {"LOCK-UNDERFLOW", "LOCK-OWNER"}


def test_summaries_name_the_cleanup_workflow_only_where_the_verifier_read_it() -> None:
    # The verifier reads the cleanup workflow and rule to prove an acquired slot is cleaned up; a
    # workflow that acquires nothing (the reconciler, the test run) was not checked with them.
    generated = ROOT / "generated"
    seen = {}
    for path in sorted(generated.glob("*.asl.json")):
        summary = (generated / path.name.replace(".asl.json", ".md")).read_text(encoding="utf-8")
        seen[path.name] = "checked together with the cleanup workflow" in summary
        assert seen[path.name] == bool(acquired_locks(json.loads(path.read_text(encoding="utf-8")))), path.name
    assert seen["dynamodb-semaphore.asl.json"] and not seen["dynamodb-semaphore-reconciler.asl.json"]
