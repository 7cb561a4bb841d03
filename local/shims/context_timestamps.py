"""Timestamps in the context object (`$$.State.EnteredTime`, `$$.Execution.StartTime`).

AWS: ISO 8601 in UTC with milliseconds and a `Z`, e.g. `2019-03-26T20:14:13.192Z`.
moto 5.2.5: `EnteredTime` is Python's `isoformat()` (`...13.192345+00:00`: no `Z`, so the
original's "is the lock mine?" test `StringMatches "*Z*"` never matches), and `StartTime`
is a `datetime` object: a machine whose output carries `$$.Execution.StartTime` makes
DescribeExecution fail with HTTP 500 (not JSON serializable).
Shim: write both in AWS's format.
"""

from __future__ import annotations

import datetime
from typing import Any

import moto.stepfunctions.parser.asl.component.state.state as state_module
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

from local.shims._patch import Undo, replace_attr, undo_all


def aws_timestamp(moment: datetime.datetime | str) -> str:
    """``moment`` as Step Functions writes context timestamps: UTC, milliseconds, ``Z``."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def install() -> Undo:
    """Format context-object timestamps as AWS does."""
    original_state_data = getattr(state_module, "StateData")  # noqa: B009 - imported there, not exported

    def state_data(**fields: Any) -> Any:
        if "EnteredTime" in fields:
            fields["EnteredTime"] = aws_timestamp(fields["EnteredTime"])
        return original_state_data(**fields)

    original_environment = ExecutionWorker._get_evaluation_environment

    def evaluation_environment(self: Any) -> Any:
        env = original_environment(self)
        execution = env.states.context_object.context_object_data["Execution"]
        execution["StartTime"] = aws_timestamp(execution["StartTime"])
        return env

    return undo_all([
        replace_attr(state_module, "StateData", state_data),
        replace_attr(ExecutionWorker, "_get_evaluation_environment", evaluation_environment),
    ])
