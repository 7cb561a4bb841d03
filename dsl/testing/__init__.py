"""Test any workflow on this machine: mocks by state name, virtual time, inspection, coverage.

Runs on the local engine (moto's Step Functions executor with the fidelity shims in
``local/shims``): the same ASL semantics as ``deploy.py --local``. See docs/testing.md.

The names below are imported on first use, so importing the package (as the pytest plugin
does in every session) does not load moto.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # "X as X": the explicit re-exports that mypy --strict wants.
    from dsl.testing.engine import Engine as Engine
    from dsl.testing.engine import close_shared_engine as close_shared_engine
    from dsl.testing.engine import shared_engine as shared_engine
    from dsl.testing.errors import MockConfigError as MockConfigError
    from dsl.testing.errors import MockError as MockError
    from dsl.testing.errors import TestingError as TestingError
    from dsl.testing.errors import UnmockedTaskError as UnmockedTaskError
    from dsl.testing.mocks import Calls as Calls
    from dsl.testing.mocks import MockSpec as MockSpec
    from dsl.testing.mocks import Return as Return
    from dsl.testing.mocks import TaskFailure as TaskFailure
    from dsl.testing.mocks import Throw as Throw
    from dsl.testing.result import StateInspection as StateInspection
    from dsl.testing.result import TestResult as TestResult
    from dsl.testing.shapes import Validation
    from dsl.workflow import Workflow

_EXPORTS = {
    "Engine": "engine", "close_shared_engine": "engine", "shared_engine": "engine",
    "MockConfigError": "errors", "MockError": "errors", "TestingError": "errors", "UnmockedTaskError": "errors",
    "Calls": "mocks", "MockSpec": "mocks", "Return": "mocks", "TaskFailure": "mocks", "Throw": "mocks",
    "StateInspection": "result", "TestResult": "result",
}

__all__ = [
    "Calls", "Engine", "MockConfigError", "MockError", "MockSpec", "Return", "StateInspection", "TaskFailure",
    "TestResult", "TestingError", "Throw", "UnmockedTaskError", "close_shared_engine", "run", "shared_engine",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def run(workflow: Workflow | Mapping[str, Any] | str | Path, input: Any = None, *,
        mocks: Mapping[str, MockSpec] | None = None, validation: Validation = "STRICT",
        execution_name: str | None = None, engine: Engine | None = None) -> TestResult:
    """Execute ``workflow`` (a Workflow, an ASL dict or an ASL file) on ``input`` and return the result.

    ``mocks`` maps state names to a value (:class:`Return`), an error (:class:`Throw`), one
    response per call (:class:`Calls`), or a callable that receives the request the state
    sends and returns the result or raises :class:`TaskFailure`. Unmocked Tasks call the
    services moto emulates. Waits, retry intervals and mock ``seconds`` pass on a virtual
    clock. ``engine`` defaults to the process's shared engine (started on first use).
    """
    from dsl.testing.engine import shared_engine

    chosen = engine if engine is not None else shared_engine()
    return chosen.run(workflow, input, mocks=mocks, validation=validation, execution_name=execution_name)
