"""The report of a local run: numbers, correctness checks, a rich table and JSON."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from local.dynamodb_gateway import HoldInterval
from local.shims.lambda_inprocess import Invocation
from semaphore.local_run import measure

TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


@dataclass(frozen=True, kw_only=True)
class RunSettings:
    """What a run is asked to do (``run_local``'s input; the report records it)."""

    requested: int = 100
    limit: int = 5
    work_seconds: float = 1.0
    failure_rate: float = 0.1
    seed: int | None = None
    time_scale: float = 1.0
    """ASL waits and retry intervals run this much faster (< 1 in tests; timings mean something only at 1)."""
    driver: str = "test-machine"
    """``test-machine`` starts the deployed test machine; ``direct`` starts the executions at once."""


@dataclass
class RunRecord:
    """Everything a run observed, before any arithmetic."""

    settings: RunSettings
    executions: list[dict[str, Any]]  # ListExecutions items of the lock-holding machine
    histories: dict[str, list[dict[str, Any]]]
    cleanups: list[dict[str, Any]]  # ListExecutions items of rule-target machines
    holds: list[HoldInterval]
    holders_left: list[str]
    peak_holders: int
    samples: list[tuple[float, int]]  # (time, holders in the lock item)
    lock_item_numbers: dict[str, float]
    invocations: list[Invocation]
    work_log: list[dict[str, Any]]
    dynamodb_faults_injected: int
    stops_injected: int
    events_published: int
    events_lost: int
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a local run showed; ``problems`` lists every broken promise (exit code 1)."""

    settings: RunSettings
    by_status: dict[str, int]
    cleanups_by_status: dict[str, int]
    worker_failures: int
    dynamodb_faults_injected: int
    stops_injected: int
    events_published: int
    events_lost: int
    peak_holders: int
    peak_holders_sampled: int
    peak_workers: int
    workers_source: str
    leaked: list[str]
    lock_item_numbers: dict[str, float]
    work_outside_slot: int
    unaccounted: list[str]
    makespan: float
    ideal_makespan: float
    slot_utilization: float
    work_utilization: float
    transitions_per_execution: float
    dynamodb_per_execution: float
    acquire_wait_p50: float | None
    acquire_wait_p99: float | None
    acquire_wait_max: float | None
    never_acquired: int
    problems: list[str]
    notes: list[str]
    per_execution: list[dict[str, Any]]

    @property
    def exit_code(self) -> int:
        """1 when a promise broke (peak over the limit, a leaked slot, work outside a slot, a lost execution)."""
        return 1 if self.problems else 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def build_report(record: RunRecord) -> Report:
    """Compute the numbers and checks of ``record``."""
    executions = record.executions
    starts = [e["startDate"].timestamp() for e in executions]
    stops = [e["stopDate"].timestamp() for e in executions if e.get("stopDate")]
    begin = min(starts) if starts else 0.0
    end = max(stops) if stops else begin
    makespan = max(0.0, end - begin)
    first_hold: dict[str, float] = {}
    for hold in record.holds:
        first_hold[hold.holder] = min(hold.start, first_hold.get(hold.holder, hold.start))
    per_execution = []
    waits = []
    for execution in executions:
        arn = execution["executionArn"]
        transitions, dynamodb = measure.history_counts(record.histories.get(arn, []))
        acquired = first_hold.get(arn)
        start = execution["startDate"].timestamp()
        if acquired is not None:
            waits.append(acquired - start)
        per_execution.append({
            "executionArn": arn, "status": execution["status"], "start": start,
            "stop": execution["stopDate"].timestamp() if execution.get("stopDate") else None,
            "transitions": transitions, "dynamodb_requests": dynamodb, "acquired": acquired,
        })
    spans, source = measure.work_spans(record.invocations, record.work_log)
    outside = measure.outside_slot(spans, record.holds)
    peak_workers = measure.peak_overlap((s.start, s.end) for s in spans)
    peak_sampled = max((count for _, count in record.samples), default=0)
    settings = record.settings
    capacity = settings.limit * makespan
    ideal = math.ceil(settings.requested / settings.limit) * settings.work_seconds
    unaccounted = [e["executionArn"] for e in executions if e["status"] not in TERMINAL]
    unaccounted += [c["executionArn"] for c in record.cleanups if c["status"] not in TERMINAL]
    count = len(per_execution) or 1
    problems = _problems(record, peak_workers, peak_sampled, outside, unaccounted)
    return Report(
        settings=settings, by_status=dict(Counter(e["status"] for e in executions)),
        cleanups_by_status=dict(Counter(c["status"] for c in record.cleanups)),
        worker_failures=sum(1 for i in record.invocations if i.outcome == "error"),
        dynamodb_faults_injected=record.dynamodb_faults_injected, stops_injected=record.stops_injected,
        events_published=record.events_published, events_lost=record.events_lost,
        peak_holders=record.peak_holders, peak_holders_sampled=peak_sampled,
        peak_workers=peak_workers, workers_source=source,
        leaked=list(record.holders_left), lock_item_numbers=_whole_numbers(record.lock_item_numbers),
        work_outside_slot=len(outside), unaccounted=unaccounted,
        makespan=makespan, ideal_makespan=ideal,
        slot_utilization=measure.held_seconds(record.holds, begin, end) / capacity if capacity else 0.0,
        work_utilization=sum(s.end - s.start for s in spans) / capacity if capacity else 0.0,
        transitions_per_execution=sum(p["transitions"] for p in per_execution) / count,
        dynamodb_per_execution=sum(p["dynamodb_requests"] for p in per_execution) / count,
        acquire_wait_p50=measure.percentile(waits, 0.50), acquire_wait_p99=measure.percentile(waits, 0.99),
        acquire_wait_max=max(waits) if waits else None,
        never_acquired=sum(1 for p in per_execution if p["acquired"] is None),
        problems=problems, notes=list(record.notes), per_execution=per_execution,
    )


def running_at_once_note(count: int) -> str:
    """The note on the test machine's ``runningAtOnce.count``: how much contention there was."""
    return f"when the test machine had started every execution, {count} of them were still running"


def _whole_numbers(numbers: dict[str, float]) -> dict[str, float]:
    """DynamoDB numbers as JSON shows them: a count is ``3``, not ``3.0``."""
    return {name: int(value) if float(value).is_integer() else value for name, value in numbers.items()}


def _problems(record: RunRecord, peak_workers: int, peak_sampled: int, outside: list[measure.WorkSpan],
              unaccounted: list[str]) -> list[str]:
    problems = []
    limit = record.settings.limit
    if record.peak_holders > limit:
        problems.append(f"peak holders {record.peak_holders} > limit {limit} (lock table ledger)")
    if peak_sampled > limit:
        problems.append(f"sampled lock item held {peak_sampled} > limit {limit}")
    if peak_workers > limit:
        problems.append(f"{peak_workers} workers ran at once > limit {limit}")
    if record.holders_left:
        problems.append(f"{len(record.holders_left)} slot(s) leaked: {', '.join(record.holders_left)}")
    for name, value in record.lock_item_numbers.items():
        if "count" in name.lower() and value != len(record.holders_left):
            problems.append(f"lock item {name}={value:g} but {len(record.holders_left)} holder(s) remain")
    if outside:
        problems.append(f"{len(outside)} stretch(es) of work ran without a held slot")
    if unaccounted:
        problems.append(f"{len(unaccounted)} execution(s) never ended")
    return problems


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def render(report: Report, console: Console) -> None:
    """Print the report as a table, then the problems (if any)."""
    table = Table(title="local run", show_header=True, header_style="bold")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("executions requested / observed", f"{report.settings.requested} / {sum(report.by_status.values())}"),
        ("executions by status", _counts(report.by_status)),
        ("cleanups by status", _counts(report.cleanups_by_status) or "none"),
        ("failures injected (worker / DynamoDB / stops)",
         f"{report.worker_failures} / {report.dynamodb_faults_injected} / {report.stops_injected}"),
        ("status events published / lost", f"{report.events_published} / {report.events_lost}"),
        ("peak holders (ledger / sampled item)",
         f"{report.peak_holders} / {report.peak_holders_sampled} of {report.settings.limit}"),
        (f"peak workers (counted by the {report.workers_source})", f"{report.peak_workers} of {report.settings.limit}"),
        ("work without a held slot", str(report.work_outside_slot)),
        ("leaked slots", str(len(report.leaked))),
        ("lock item numbers", ", ".join(f"{k}={v:g}" for k, v in report.lock_item_numbers.items()) or "-"),
        ("makespan / ideal ceil(N/L)·W", f"{report.makespan:.2f} s / {report.ideal_makespan:.2f} s"),
        ("slot utilization / work utilization", f"{report.slot_utilization:.2f} / {report.work_utilization:.2f}"),
        ("state transitions per execution", f"{report.transitions_per_execution:.1f}"),
        ("DynamoDB requests per execution", f"{report.dynamodb_per_execution:.1f}"),
        ("acquire wait p50 / p99 / max", " / ".join(
            _seconds(v) for v in (report.acquire_wait_p50, report.acquire_wait_p99, report.acquire_wait_max))),
        ("executions that never held a slot", str(report.never_acquired)),
    ]
    if report.settings.time_scale != 1.0:
        rows.append(("clock scale (waits and retries)", f"{report.settings.time_scale:g}"))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    for note in report.notes:
        console.print(f"note: {note}")
    for problem in report.problems:
        console.print(f"[bold red]FAIL[/] {problem}")
    if not report.problems:
        console.print("[bold green]OK[/] never more than the limit, no work without a slot, no leak, "
                      "every execution ended")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{status.lower()} {n}" for status, n in sorted(counts.items()))
