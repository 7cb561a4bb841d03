"""What a local run prints and writes for its reader (issue 23, item 19): no moto needed."""

from __future__ import annotations

import io
import json
import re

from rich.console import Console
from test_local_measure import _record

from dsl.jsontext import dumps
from semaphore.local_run import measure
from semaphore.local_run.progress import progress_display
from semaphore.local_run.report import build_report
from semaphore.local_run.timeline import render_svg, tick_step


def test_report_json_keeps_whole_lock_numbers_whole() -> None:
    report = build_report(_record(lock_item_numbers={"currentlockcount": 3.0, "weight": 0.5}))
    text = dumps(report.as_dict())
    assert json.loads(text)["lock_item_numbers"] == {"currentlockcount": 3, "weight": 0.5}
    assert '"currentlockcount": 3,' in text


def test_timeline_ticks_are_round_and_the_axes_are_labelled() -> None:
    assert [tick_step(span) for span in (9.9, 11.9, 23.0, 119.0, 0.5)] == [1, 2, 5, 20, 0.05]
    record = _record()
    report = build_report(record)
    spans, _ = measure.work_spans(record.invocations, [])
    svg = render_svg(report.per_execution, record.holds, spans, limit=1, title="t")
    ticks = re.findall(r">([0-9.]+) s</text>", svg)
    assert ticks == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"], ticks  # a 3 s run: steps of 0.5 s
    assert "slots held</text>" in svg and "executions, one row each</text>" in svg
    assert "seconds since the first execution started" in svg


def test_progress_off_a_terminal_is_plain_lines() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=60)
    with progress_display(console, show=True, total=3, every=0.0) as update:
        update(0, 3, "succeeded 0, slots held 1/5")
        update(0, 3, "succeeded 0, slots held 1/5")  # unchanged: not repeated
        update(3, 3, "succeeded 3, slots held 0/5")
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 2 and "\x1b" not in buffer.getvalue()
    assert lines[0].startswith("executions 0/3 ended, succeeded 0, slots held 1/5 (")
    assert lines[1].startswith("executions 3/3 ended, succeeded 3, slots held 0/5 (")


def test_plain_progress_is_rate_limited_but_prints_the_final_numbers() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=200)
    with progress_display(console, show=True, total=2, every=3600.0) as update:
        update(0, 2, "a")
        update(1, 2, "b")  # within the interval: held back
        update(2, 2, "c")
    assert [line.split(" (")[0] for line in buffer.getvalue().splitlines()] == [
        "executions 0/2 ended, a", "executions 2/2 ended, c"]


def test_the_contention_note_reads_plainly() -> None:
    from semaphore.local_run.report import running_at_once_note

    note = running_at_once_note(98)
    assert note == "when the test machine had started every execution, 98 of them were still running"
    assert "once once" not in note


def test_the_command_line_speaks_before_moto_loads() -> None:
    # Loading moto is most of the seconds before the first line: semaphore.local_run.cli must not import it.
    import subprocess
    import sys

    code = "import sys, semaphore.local_run.cli; print('moto' in sys.modules, 'semaphore.local_run.run' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == ["False", "False"]

