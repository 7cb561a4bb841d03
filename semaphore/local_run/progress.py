"""Progress of a local run: a live bar on a terminal, plain lines anywhere else.

Written to a file or a pipe, rich's live bar collapses into one truncated line;
there the same numbers are printed as one plain line whenever they change, at
most every few seconds, and once at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

# (executions ended, executions in all, the counts text) -> None
Update = Callable[[int, int, str], None]
PLAIN_EVERY_SECONDS = 5.0


@contextmanager
def progress_display(console: Console, *, show: bool, total: int,
                     every: float = PLAIN_EVERY_SECONDS) -> Iterator[Update]:
    """Yield an ``update(ended, total, counts)`` function that shows progress on ``console``."""
    if not show:
        yield lambda ended, total, counts: None
        return
    if console.is_terminal:
        columns = (TextColumn("executions"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("executions", total=total, counts="")
            yield lambda ended, total, counts: bar.update(task, total=total, completed=ended, counts=counts)
        return
    plain = _PlainLines(console, every)
    yield plain.update
    plain.finish()


class _PlainLines:
    """One line whenever the numbers changed and ``every`` seconds passed; the last numbers at the end."""

    def __init__(self, console: Console, every: float) -> None:
        self.console = console
        self.every = every
        self.began = time.monotonic()
        self.printed_at = -every
        self.printed: tuple[int, int, str] | None = None
        self.latest: tuple[int, int, str] | None = None

    def update(self, ended: int, total: int, counts: str) -> None:
        self.latest = (ended, total, counts)
        if self.latest != self.printed and time.monotonic() - self.printed_at >= self.every:
            self._print()

    def finish(self) -> None:
        if self.latest is not None and self.latest != self.printed:
            self._print()

    def _print(self) -> None:
        assert self.latest is not None
        ended, total, counts = self.latest
        now = time.monotonic()
        self.console.print(f"executions {ended}/{total} ended, {counts} ({now - self.began:.0f} s)",
                           markup=False, highlight=False, soft_wrap=True)
        self.printed, self.printed_at = self.latest, now
