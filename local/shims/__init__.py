"""Fidelity shims: each module closes one measured gap between moto 5.2.6 and AWS.

Every shim patches a named moto internal, so each is tied to the pinned moto version: the
version is checked (:mod:`local.moto_pin`) before any shim module is imported, so another moto
gets one clear line rather than an ImportError from deep inside a shim.
"""

from __future__ import annotations

from typing import Protocol

from local.moto_pin import check_moto_version
from local.shims._patch import Undo

check_moto_version()


class Shim(Protocol):
    """A module (or object) with ``install() -> undo``."""

    def install(self) -> Undo: ...


def _all_shims() -> tuple[Shim, ...]:
    from local.shims import (
        api_casing,
        context_timestamps,
        definite_paths,
        dynamodb_atomic,
        dynamodb_error_names,
        dynamodb_return_values,
        execution_names,
        inline_map_concurrency,
        interruptible_retry,
        jsonata_errors,
        jsonata_python,
        lambda_unknown_error,
        redrive,
        runtime_errors,
        starting_executions,
        stop_interrupts_tasks,
        stop_wins,
        string_output,
        task_token_per_attempt,
    )

    return (
        dynamodb_atomic,
        execution_names,
        api_casing,
        task_token_per_attempt,
        context_timestamps,
        dynamodb_error_names,
        dynamodb_return_values,
        runtime_errors,
        definite_paths,
        jsonata_python,
        interruptible_retry,
        inline_map_concurrency,
        lambda_unknown_error,
        string_output,
        stop_wins,
        stop_interrupts_tasks,
        # After context_timestamps (same ExecutionWorker method) and string_output (same response).
        redrive,
        jsonata_errors,
        starting_executions,
    )


ALL_SHIMS: tuple[Shim, ...] = _all_shims()
