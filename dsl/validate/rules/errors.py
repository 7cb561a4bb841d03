"""Error names in Retry and Catch."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from dsl.document import Document, Parts
from dsl.findings import Finding
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

PREDEFINED_ERRORS = (
    "States.ALL", "States.BranchFailed", "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold", "States.HeartbeatTimeout", "States.Http.Socket",
    "States.IntrinsicFailure", "States.ItemReaderFailed", "States.NoChoiceMatched",
    "States.ParameterPathFailure", "States.Permissions", "States.QueryEvaluationError",
    "States.ResultPathMatchFailure", "States.ResultWriterFailed", "States.Runtime",
    "States.TaskFailed", "States.Timeout",
)

STATES_ALL_LAST = RULES.rule(
    "ASL-ERR-001", "error", "States.ALL is not alone in its ErrorEquals, or its Retrier/Catcher is not the last",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html")
UNKNOWN_STATES_ERROR = RULES.rule(
    "ASL-ERR-002", "warning", "ErrorEquals names a States.* error that Step Functions does not define (warning)",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html")


def check(machine: Document, options: Options) -> Iterator[Finding]:
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
            yield finding(STATES_ALL_LAST, where, "States.ALL must be the only name in its ErrorEquals")
        elif "States.ALL" in names and index != last:
            yield finding(STATES_ALL_LAST, where,
                          f"a {kind} matching States.ALL must be the last one in {key}; "
                          f"{kind}s after it can never match")
        for position, name in enumerate(names):
            if isinstance(name, str) and name.startswith("States.") and name not in PREDEFINED_ERRORS:
                close = difflib.get_close_matches(name, PREDEFINED_ERRORS, n=1, cutoff=0.8)
                hint = f"; did you mean {quoted(close[0])}?" if close else ""
                yield finding(UNKNOWN_STATES_ERROR, (*where, position),
                              f"{quoted(name)} is not an error Step Functions defines, so it never matches{hint}")
