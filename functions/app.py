"""The worker Lambda: the work the semaphore protects.

About 10 % of calls raise ``RandomSimulatedFailure`` (to show that a failed
execution's slot is released by the cleanup workflow); the others sleep and
return 1. Environment variables override the original's constants:

* ``WORK_SECONDS`` (default 15): how long one piece of work takes;
* ``FAILURE_RATE`` (default 0.10): the share of calls that fail;
* ``WORK_LOG`` (unset by default): a file to which each call appends one JSON
  line ``{"execution": ..., "start": ..., "end": ..., "failed": ...}`` (epoch
  seconds), so a local run can count concurrent workers exactly.
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any


class RandomSimulatedFailure(Exception):
    """The simulated failure; its name is the error Step Functions sees."""


def lambda_handler(event: dict[str, Any], context: Any) -> int:
    """Do one piece of work: sleep ``WORK_SECONDS``, or fail at ``FAILURE_RATE``."""
    work_seconds = float(os.environ.get("WORK_SECONDS", "15"))
    failure_rate = float(os.environ.get("FAILURE_RATE", "0.10"))
    execution = event.get("ExecutionId") if isinstance(event, dict) else None
    start = time.time()
    failed = random.random() < failure_rate
    try:
        if failed:
            raise RandomSimulatedFailure("simulated failure of the worker")
        time.sleep(work_seconds)
        return 1
    finally:
        _log(execution, start, failed)


def _log(execution: Any, start: float, failed: bool) -> None:
    path = os.environ.get("WORK_LOG")
    if not path:
        return
    line = json.dumps({"execution": execution, "start": start, "end": time.time(),
                       "failed": failed}) + "\n"
    # One write of one line in append mode: concurrent workers never interleave.
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
