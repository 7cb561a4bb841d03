"""Numbers of a local run, computed from what the engine recorded.

Counting rules (also printed with the report):

* **billed state transitions** of an execution: every ``*StateEntered`` event of its
  history plus every retry attempt (a Task's schedules beyond one per entry);
* **DynamoDB requests** of an execution: its history's ``TaskScheduled`` events whose
  resource type is ``dynamodb`` or ``aws-sdk:dynamodb``;
* **holding intervals / peak holders (exact)**: the holder ledger, recomputed from the lock
  table after every write (writes are serialised, so this is exact);
* **peak holders (sampled)**: the lock item read with ConsistentRead while the run goes;
* **peak workers**: the worker's own start/end log (``WORK_LOG``), or the Lambda runtime's
  invocation records when the worker wrote none;
* **acquire wait**: from an execution's start to the moment it became a holder;
* **makespan**: first start to last stop of the lock-holding machine's executions; ideal
  ``ceil(N/L)·W``; slot utilization = held slot-seconds / (L · makespan); work utilization =
  worker busy seconds / (L · makespan).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.dynamodb_gateway import HoldInterval
from local.shims.lambda_inprocess import Invocation


@dataclass(frozen=True)
class WorkSpan:
    """A stretch of work the worker reported (or the runtime saw), with its execution."""

    execution_arn: str | None
    request_id: str
    start: float
    end: float


@dataclass(frozen=True)
class ExecutionFacts:
    """Per execution: what its history and the ledger say."""

    arn: str
    status: str
    start: float
    stop: float | None
    transitions: int
    dynamodb_requests: int
    acquired_at: float | None


def history_counts(events: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """(billed transitions, DynamoDB requests) of one execution history."""
    entered = sum(1 for e in events if e["type"].endswith("StateEntered"))
    task_entries = sum(1 for e in events if e["type"] == "TaskStateEntered")
    schedules = [e for e in events if e["type"] in ("TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled")]
    retries = max(0, len(schedules) - task_entries)
    dynamodb = sum(
        1 for e in schedules
        if str(e.get("taskScheduledEventDetails", {}).get("resourceType", "")) in ("dynamodb", "aws-sdk:dynamodb")
    )
    return entered + retries, dynamodb


def read_work_log(path: Path) -> list[dict[str, Any]]:
    """The worker's log lines (``{"execution", "start", "end", "failed"}``); a torn or foreign line is skipped."""
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("start"), (int, float)) \
                and isinstance(entry.get("end"), (int, float)):
            entries.append(entry)
    return entries


def work_spans(invocations: Sequence[Invocation], work_log: Sequence[dict[str, Any]]) -> tuple[list[WorkSpan], str]:
    """Work intervals with their executions, and where they come from (``worker`` or ``runtime``).

    A worker line names its execution when the state machine passes ``$$.Execution.Id`` in the
    payload (``ExecutionId``); otherwise (the original sample) it is attributed to the runtime
    invocation that started last before it, within ``_ATTRIBUTION_SECONDS``.
    """
    if work_log:
        starts = sorted((i.start, i.execution_arn or "", i.request_id) for i in invocations)
        spans = []
        for entry in work_log:
            execution = entry.get("execution")
            if not isinstance(execution, str):
                execution = _nearest_invocation(starts, float(entry["start"]))
            spans.append(WorkSpan(execution_arn=execution or None, request_id=str(entry.get("request_id", "")),
                                  start=float(entry["start"]), end=float(entry["end"])))
        return spans, "worker"
    return [WorkSpan(i.execution_arn, i.request_id, i.start, i.end)
            for i in invocations if i.end is not None], "runtime"


_ATTRIBUTION_SECONDS = 0.05


def _nearest_invocation(starts: Sequence[tuple[float, str, str]], moment: float) -> str | None:
    index = bisect.bisect_right(starts, (moment, "\uffff", "")) - 1
    if index >= 0 and moment - starts[index][0] <= _ATTRIBUTION_SECONDS:
        return starts[index][1]
    return None


def peak_overlap(intervals: Iterable[tuple[float, float]]) -> int:
    """The largest number of intervals open at one instant (an end before a start at a tie)."""
    points = []
    for start, end in intervals:
        points.append((start, 1))
        points.append((end, -1))
    peak = current = 0
    for _, step in sorted(points):
        current += step
        peak = max(peak, current)
    return peak


def outside_slot(spans: Sequence[WorkSpan], holds: Sequence[HoldInterval]) -> list[WorkSpan]:
    """Work spans not contained in a holding interval of their own execution."""
    by_holder: dict[str, list[HoldInterval]] = {}
    for hold in holds:
        by_holder.setdefault(hold.holder, []).append(hold)
    bad = []
    for span in spans:
        own = by_holder.get(span.execution_arn or "", [])
        if not any(h.start <= span.start and (h.end is None or span.end <= h.end) for h in own):
            bad.append(span)
    return bad


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def held_seconds(holds: Sequence[HoldInterval], start: float, end: float) -> float:
    """Slot-seconds held inside [start, end] (an open interval counts until ``end``)."""
    total = 0.0
    for hold in holds:
        lo, hi = max(hold.start, start), min(hold.end if hold.end is not None else end, end)
        total += max(0.0, hi - lo)
    return total
