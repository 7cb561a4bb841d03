"""A scheduled reconciler: the backstop for a cleanup that itself fails or never starts.

A workflow that releases the lock's slots (for owners it finds in the lock
item, not for one named by an event) and is started by an enabled
EventBridge schedule (``{"ScheduleExpression": ..., "Target": ...}``) covers
what LOCK-CLEANUP-FAIL warns about. It is held to LOCK-WORK-BOUND like the
cleanup: an owner it finds ABORTED or TIMED_OUT may still be working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dsl.graph import GraphError, build_graph
from semaphore.verify.analysis import Analysis
from semaphore.verify.grace import sweep_findings
from semaphore.verify.lockops import RELEASING, LockOp, OpKind, recognise
from semaphore.verify.rules import VerifyFinding, finding

__all__ = ["reconciler_findings"]



def reconciler_findings(analysis: Analysis, reconciler: Mapping[str, Any], schedule: Mapping[str, Any] | None,
                        family: Iterable[LockOp]) -> tuple[bool, list[VerifyFinding]]:
    """(whether ``reconciler`` covers the tracked lock on a schedule, its findings)."""
    try:
        graph = build_graph(reconciler)
    except GraphError as exc:
        return False, [finding("LOCK-CLEANUP", exc.pointer, f"cannot analyse the reconciler: {exc.message}",
                               document="reconciler")]
    recognition = recognise(graph, related=family)
    releases = [op.node for op in recognition.ops.values()
                if op.kind in RELEASING and op.lock == analysis.tracked.lock]
    if not releases:
        return False, []
    scheduled = schedule is not None and isinstance(schedule.get("ScheduleExpression"), str) \
        and schedule.get("State", "ENABLED") == "ENABLED"
    transfers = [op for op in recognition.ops.values()
                 if op.kind is OpKind.TRANSFER and op.lock == analysis.tracked.lock]
    return scheduled, sweep_findings(analysis, graph, releases, transfers)
