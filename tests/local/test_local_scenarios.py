"""End-to-end local runs of the generated stack (generated/ + functions/app.py) with faults.

Each run: 20 executions, limit 3, work 0.2 s, on a compressed clock (ASL waits and retry
intervals x0.05: correctness must not depend on timing). Each asserts the promises: never
more than the limit held (ledger and sampled lock item) or working (worker log), no work
without a held slot, zero leaked slots, every execution accounted for; and that the injected
faults really happened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from localengine_helpers import assert_promises_kept
from rich.console import Console

from deployer.config import REPO_ROOT
from local.dynamodb_gateway import DynamoFault
from semaphore.local_run.report import Report, RunSettings
from semaphore.local_run.run import Injections, StackOptions, run_local
from semaphore.local_run.stops import StopRule

EXECUTIONS, LIMIT, WORK = 20, 3, 0.2
SEMAPHORE = REPO_ROOT / "generated" / "dynamodb-semaphore.asl.json"


def _tasks(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in states.items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from _tasks(branch["States"])


def lock_state(role: str) -> str:
    """The generated semaphore's acquire (count +) or release (REMOVE owner) state."""
    if not SEMAPHORE.is_file():
        pytest.fail(f"{SEMAPHORE} is missing: run `python -m dsl build` first")
    for name, state in _tasks(json.loads(SEMAPHORE.read_text(encoding="utf-8"))["States"]):
        expression = state.get("Parameters", {}).get("UpdateExpression", "")
        if role == "acquire" and "+ :" in expression:
            return name
        if role == "release" and "REMOVE" in expression and "- :" in expression:
            return name
    pytest.fail(f"{SEMAPHORE}: no {role} state (an updateItem that {'adds to' if role == 'acquire' else 'removes'} "
                "the count) found")


def _run(tmp_path: Path, failure_rate: float, **options: Any) -> Report:
    # generated/ as committed (its freshness against definitions/ is CI's `dsl build --check`).
    report = run_local(RunSettings(requested=EXECUTIONS, limit=LIMIT, work_seconds=WORK, failure_rate=failure_rate,
                                   seed=7, driver="direct", time_scale=0.05),
                       stack=StackOptions(generated_dir=SEMAPHORE.parent), inject=Injections(**options),
                       out_dir=tmp_path, console=Console(file=(tmp_path / "console.txt").open("w"), width=120),
                       timeout=240)
    assert (tmp_path / "timeline.svg").is_file() and (tmp_path / "report.json").is_file()
    return report


def test_no_failures_and_executions_stopped_while_waiting(tmp_path: Path) -> None:
    report = _run(tmp_path, 0.0, stops=[StopRule(moment="waiting", count=2)])
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.stops_injected == 2 and report.by_status.get("ABORTED") == 2
    assert report.worker_failures == 0 and report.by_status.get("SUCCEEDED") == EXECUTIONS - 2


def test_worker_failures_throttled_acquires_and_executions_stopped_while_holding(tmp_path: Path) -> None:
    acquire = lock_state("acquire")
    faults = [DynamoFault(error="ThrottlingException", state=acquire, calls=frozenset({2, 5, 9})),
              DynamoFault(error="InternalServerError", state=acquire, calls=frozenset({4}), after_commit=True)]
    report = _run(tmp_path, 0.3, dynamodb_faults=faults, stops=[StopRule(moment="acquired", count=2)])
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.dynamodb_faults_injected == 4 and report.stops_injected == 2
    assert report.worker_failures > 0 and report.by_status.get("ABORTED") == 2


def test_many_worker_failures_and_faulty_releases(tmp_path: Path) -> None:
    release = lock_state("release")
    faults = [DynamoFault(error="ProvisionedThroughputExceededException", state=release, calls=frozenset({1, 3})),
              DynamoFault(error="InternalServerError", state=release, calls=frozenset({2}), after_commit=True)]
    report = _run(tmp_path, 0.6, dynamodb_faults=faults)
    assert_promises_kept(report, EXECUTIONS, LIMIT)
    assert report.dynamodb_faults_injected == 3
    assert report.worker_failures >= 5 and report.by_status.get("FAILED", 0) >= 5
