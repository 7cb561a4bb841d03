"""Error names in Retry and Catch.

ASL-ERR-001 States.ALL must be alone in its ErrorEquals and in the last Retrier/Catcher.
ASL-ERR-002 a States.* name that Step Functions does not define (a typo never matches).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from dsl.findings import Finding
from dsl.validate.model import Machine, Parts
from dsl.validate.rules.base import Options, finding, quoted

PREDEFINED_ERRORS = (
    "States.ALL", "States.BranchFailed", "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold", "States.HeartbeatTimeout", "States.Http.Socket",
    "States.IntrinsicFailure", "States.ItemReaderFailed", "States.NoChoiceMatched",
    "States.ParameterPathFailure", "States.Permissions", "States.QueryEvaluationError",
    "States.ResultPathMatchFailure", "States.ResultWriterFailed", "States.Runtime",
    "States.TaskFailed", "States.Timeout",
)


def check(machine: Machine, options: Options) -> Iterator[Finding]:
    """Findings for the ErrorEquals lists of every Retrier and Catcher."""
    for state in machine.states:
        for key in ("Retry", "Catch"):
            handlers = state.body.get(key)
            if isinstance(handlers, list):
                yield from _check_handlers(handlers, (*state.parts, key), key)


def _check_handlers(handlers: list[object], parts: Parts, key: str) -> Iterator[Finding]:
    kind = "Retrier" if key == "Retry" else "Catcher"
    last = len(handlers) - 1
    for index, handler in enumerate(handlers):
        names = handler.get("ErrorEquals") if isinstance(handler, dict) else None
        if not isinstance(names, list):
            continue
        where = (*parts, index, "ErrorEquals")
        if "States.ALL" in names and len(names) > 1:
            yield finding("ASL-ERR-001", where, "States.ALL must be the only name in its ErrorEquals")
        elif "States.ALL" in names and index != last:
            yield finding("ASL-ERR-001", where,
                          f"a {kind} matching States.ALL must be the last one in {key}; "
                          f"{kind}s after it can never match")
        for position, name in enumerate(names):
            if isinstance(name, str) and name.startswith("States.") and name not in PREDEFINED_ERRORS:
                close = difflib.get_close_matches(name, PREDEFINED_ERRORS, n=1, cutoff=0.8)
                hint = f"; did you mean {quoted(close[0])}?" if close else ""
                yield finding("ASL-ERR-002", (*where, position),
                              f"{quoted(name)} is not an error Step Functions defines, so it never matches{hint}")
