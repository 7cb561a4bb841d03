"""Fidelity shims: each module closes one measured gap between moto 5.2.6 and AWS.

Every shim patches a named moto internal, so each is tied to the pinned moto version;
:func:`check_moto_version` warns when another version is installed (the patched functions
may have moved or the gap may be closed upstream; the tests in ``tests/local`` tell which).
"""

from __future__ import annotations

import warnings
from typing import Protocol

from local.shims._patch import Undo

PINNED_MOTO_VERSION = "5.2.6"


class Shim(Protocol):
    """A module (or object) with ``install() -> undo``."""

    def install(self) -> Undo: ...


class MotoVersionWarning(UserWarning):
    """The installed moto is not the version the shims were written and tested against."""


def check_moto_version() -> None:
    """Warn clearly when moto is not the pinned version."""
    import moto

    if moto.__version__ != PINNED_MOTO_VERSION:
        warnings.warn(
            f"local engine: moto {moto.__version__} is installed but the shims in local/shims "
            f"patch moto {PINNED_MOTO_VERSION} internals; run tests/local before trusting a run",
            MotoVersionWarning,
            stacklevel=2,
        )


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
