"""The run as a picture: one row per execution (waiting, holding, working) and the holder count under the limit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from local.dynamodb_gateway import HoldInterval
from semaphore.local_run.measure import WorkSpan

WIDTH = 1000
LEFT = 60
RIGHT = 20
TOP = 30
ROW = 7
PANEL = 110
COLORS = {
    "waiting": "#f2c14e",
    "holding": "#4f86c6",
    "working": "#1d3557",
    "SUCCEEDED": "#2a9d8f",
    "FAILED": "#e63946",
    "ABORTED": "#8d99ae",
    "TIMED_OUT": "#b5179e",
    "RUNNING": "#000000",
}


def render_svg(per_execution: Sequence[dict[str, Any]], holds: Sequence[HoldInterval],
               spans: Sequence[WorkSpan], *, limit: int, title: str) -> str:
    """An SVG document of the run (deterministic for the same data)."""
    rows = sorted(per_execution, key=lambda p: (p["start"], p["executionArn"]))
    begin = min((p["start"] for p in rows), default=0.0)
    finish = max([p["stop"] or p["start"] for p in rows] + [h.end or h.start for h in holds], default=begin)
    span = max(finish - begin, 1e-6)
    plot = WIDTH - LEFT - RIGHT
    height = TOP + len(rows) * ROW + 30 + PANEL + 58

    def x(t: float) -> float:
        return LEFT + (t - begin) / span * plot

    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
              f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">'),
             f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
             f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>']
    holds_by = _group(holds, lambda h: h.holder)
    work_by = _group(spans, lambda s: s.execution_arn or "")
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        own_holds = holds_by.get(row["executionArn"], [])
        stop = row["stop"] if row["stop"] is not None else finish
        waited_until = min((h.start for h in own_holds), default=stop)
        parts.append(_bar(x(row["start"]), y, x(waited_until), ROW - 1, COLORS["waiting"]))
        for hold in own_holds:
            parts.append(_bar(x(hold.start), y, x(hold.end if hold.end is not None else finish), ROW - 1,
                              COLORS["holding"]))
        for work in work_by.get(row["executionArn"], []):
            parts.append(_bar(x(work.start), y + 2, x(work.end), ROW - 5, COLORS["working"]))
        parts.append(f'<rect x="{x(stop) - 1:.1f}" y="{y}" width="2" height="{ROW - 1}" '
                     f'fill="{COLORS.get(row["status"], "#000")}"/>')
    panel_top = TOP + len(rows) * ROW + 30
    rows_middle = TOP + len(rows) * ROW / 2
    parts.append(f'<text x="14" y="{rows_middle:.1f}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {rows_middle:.1f})">executions, one row each</text>')
    parts.extend(_holder_panel(holds, begin, finish, x, panel_top, limit))
    parts.extend(_axis(begin, span, x, panel_top + PANEL + 4))
    parts.append(_legend(height - 10))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _group(items: Sequence[Any], key: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped


def _bar(x0: float, y: float, x1: float, height: float, color: str) -> str:
    return f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.8):.1f}" height="{height}" fill="{color}"/>'


def _holder_panel(holds: Sequence[HoldInterval], begin: float, finish: float, x: Any, top: float,
                  limit: int) -> list[str]:
    steps = sorted([(h.start, 1) for h in holds] + [(h.end if h.end is not None else finish, -1) for h in holds])
    peak = max(limit + 1, _peak(steps))

    def y(count: float) -> float:
        return top + PANEL - count / peak * PANEL

    points, count = [(x(begin), y(0))], 0
    for moment, step in steps:
        points.append((x(moment), y(count)))
        count += step
        points.append((x(moment), y(count)))
    points.append((x(finish), y(count)))
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return [
        f'<text x="{LEFT}" y="{top - 6}">slots held (lock table) — limit {limit}</text>',
        f'<rect x="{LEFT}" y="{top}" width="{WIDTH - LEFT - RIGHT}" height="{PANEL}" fill="none" stroke="#ccc"/>',
        f'<polyline points="{path}" fill="none" stroke="{COLORS["holding"]}" stroke-width="1.5"/>',
        (f'<line x1="{LEFT}" y1="{y(limit):.1f}" x2="{WIDTH - RIGHT}" y2="{y(limit):.1f}" stroke="#e63946" '
         f'stroke-dasharray="6,3" stroke-width="1.5"/>'),
        f'<text x="{LEFT - 6}" y="{y(limit) + 4:.1f}" text-anchor="end" fill="#e63946">L={limit}</text>',
        f'<text x="{LEFT - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>',
        f'<text x="{LEFT - 6}" y="{y(peak) + 4:.1f}" text-anchor="end">{peak}</text>',
        (f'<text x="14" y="{top + PANEL / 2:.1f}" text-anchor="middle" '
         f'transform="rotate(-90 14 {top + PANEL / 2:.1f})">slots held</text>'),
    ]


def _peak(steps: list[tuple[float, int]]) -> int:
    peak = count = 0
    for _, step in steps:
        count += step
        peak = max(peak, count)
    return peak


def _axis(begin: float, span: float, x: Any, y: float) -> list[str]:
    step = tick_step(span)
    parts = []
    for i in range(int(span / step + 1e-9) + 1):
        offset = i * step
        label = f"{offset:g}" if step >= 1 else f"{offset:.{_decimals(step)}f}"
        parts.append(f'<text x="{x(begin + offset):.1f}" y="{y + 12}" text-anchor="middle">{label} s</text>')
    parts.append(f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2:.0f}" y="{y + 28}" text-anchor="middle">'
                 "seconds since the first execution started</text>")
    return parts


def tick_step(span: float, *, most: int = 10) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving at most ``most`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / most))
    return next(float(m * power) for m in (1, 2, 5, 10) if span / (m * power) <= most)


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _legend(y: float) -> str:
    items = [("waiting for a slot", COLORS["waiting"]), ("holding a slot", COLORS["holding"]),
             ("worker running", COLORS["working"]), ("succeeded", COLORS["SUCCEEDED"]),
             ("failed", COLORS["FAILED"]), ("aborted", COLORS["ABORTED"])]
    parts, left = [], LEFT
    for label, color in items:
        parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{left + 14}" y="{y}">{escape(label)}</text>')
        left += 26 + 7 * len(label)
    return "".join(parts)
