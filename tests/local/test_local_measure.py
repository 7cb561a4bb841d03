"""The arithmetic of a local run's report, on hand-made records."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from local.dynamodb_gateway import HoldInterval
from local.shims.lambda_inprocess import Invocation
from semaphore.local_run import measure
from semaphore.local_run.report import RunRecord, RunSettings, build_report
from semaphore.local_run.timeline import render_svg

A = "arn:aws:states:us-east-1:123456789012:execution:sem:a"
B = "arn:aws:states:us-east-1:123456789012:execution:sem:b"


def test_history_counts_states_entered_plus_retries_and_dynamodb_schedules() -> None:
    events = [
        {"type": "ExecutionStarted"},
        {"type": "TaskStateEntered"},
        {"type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "dynamodb"}},
        {"type": "TaskFailed"},
        {"type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "dynamodb"}},  # a retry
        {"type": "PassStateEntered"},
        {"type": "TaskStateEntered"},
        {"type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "lambda"}},
    ]
    assert measure.history_counts(events) == (3 + 1, 2)


def test_peak_overlap_counts_touching_intervals_once() -> None:
    assert measure.peak_overlap([(0, 1), (1, 2), (0.5, 1.5)]) == 2
    assert measure.peak_overlap([]) == 0


def test_work_outside_the_executions_own_holding_interval_is_found() -> None:
    holds = [HoldInterval(A, 1.0, 3.0), HoldInterval(B, 2.0, None)]
    inside = measure.WorkSpan(A, "", 1.5, 2.5)
    after_release = measure.WorkSpan(A, "", 2.5, 3.5)
    other_slot = measure.WorkSpan(None, "", 2.5, 2.6)
    open_hold = measure.WorkSpan(B, "", 2.5, 9.0)
    assert measure.outside_slot([inside, after_release, other_slot, open_hold], holds) == [after_release, other_slot]


def test_worker_lines_without_execution_are_attributed_to_the_runtime_invocation(tmp_path: Path) -> None:
    log = tmp_path / "work.jsonl"
    log.write_text('{"execution": null, "start": 10.001, "end": 11.0, "failed": false}\n'
                   '{"execution": "' + B + '", "start": 10.5, "end": 11.5, "failed": false}\n'
                   'torn line\n', encoding="utf-8")
    invocations = [Invocation("r1", "f", A, "Work", start=10.0, end=11.0),
                   Invocation("r2", "f", B, "Work", start=10.49, end=11.5)]
    spans, source = measure.work_spans(invocations, measure.read_work_log(log))
    assert source == "worker" and [s.execution_arn for s in spans] == [A, B]


def test_percentile_is_nearest_rank() -> None:
    assert measure.percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert measure.percentile([1, 2], 0.99) == 2
    assert measure.percentile([], 0.5) is None


def _at(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _record(**changes: object) -> RunRecord:
    record = RunRecord(
        settings=RunSettings(requested=2, limit=1, work_seconds=1.0, failure_rate=0.0, seed=1, time_scale=1.0,
                             driver="direct"),
        executions=[{"executionArn": A, "status": "SUCCEEDED", "startDate": _at(0), "stopDate": _at(1.5)},
                    {"executionArn": B, "status": "SUCCEEDED", "startDate": _at(0), "stopDate": _at(3.0)}],
        histories={}, cleanups=[], holds=[HoldInterval(A, 0.2, 1.4), HoldInterval(B, 1.5, 2.9)], holders_left=[],
        peak_holders=1, samples=[(1.0, 1)], lock_item_numbers={"currentlockcount": 0.0},
        invocations=[Invocation("r1", "f", A, "W", 0.3, 1.3, "ok"), Invocation("r2", "f", B, "W", 1.6, 2.6, "ok")],
        work_log=[], dynamodb_faults_injected=0, stops_injected=0, events_published=4, events_lost=0)
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def test_a_clean_run_reports_no_problem_and_its_numbers() -> None:
    report = build_report(_record())
    assert report.problems == [] and report.exit_code == 0
    assert report.makespan == 3.0 and report.ideal_makespan == 2.0
    assert abs(report.slot_utilization - 2.6 / 3.0) < 1e-9 and abs(report.work_utilization - 2.0 / 3.0) < 1e-9
    assert report.acquire_wait_max == 1.5 and report.peak_workers == 1


def test_each_broken_promise_is_a_problem() -> None:
    report = build_report(_record(
        peak_holders=2, holders_left=[B], lock_item_numbers={"currentlockcount": 2.0},
        invocations=[Invocation("r1", "f", A, "W", 0.3, 1.45, "ok"), Invocation("r2", "f", B, "W", 1.0, 2.0, "ok")],
        executions=[{"executionArn": A, "status": "RUNNING", "startDate": _at(0)}]))
    text = " | ".join(report.problems)
    for expected in ("peak holders 2 > limit 1", "2 workers ran at once", "1 slot(s) leaked",
                     "currentlockcount=2 but 1 holder(s) remain", "without a held slot", "never ended"):
        assert expected in text
    assert report.exit_code == 1


def test_the_timeline_is_deterministic_and_shows_the_limit() -> None:
    record = _record()
    report = build_report(record)
    spans, _ = measure.work_spans(record.invocations, [])
    first = render_svg(report.per_execution, record.holds, spans, limit=1, title="t")
    assert first == render_svg(report.per_execution, record.holds, spans, limit=1, title="t")
    assert first.startswith("<svg") and "L=1" in first and 'stroke-dasharray="6,3"' in first

