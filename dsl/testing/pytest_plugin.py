"""pytest plugin: the ``sfn_engine`` fixture and ``--sfn-coverage`` over the session's runs.

Registered through ``[project.entry-points.pytest11]`` (``dsl-testing = "dsl.testing.pytest_plugin"``),
or loaded with ``-p dsl.testing.pytest_plugin``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from dsl.testing.coverage import Coverage
    from dsl.testing.engine import Engine

# The engine (moto, the shims) is imported only by a session that uses it: a registered
# plugin must not slow every pytest run down.


def _session_coverage() -> list[Coverage]:
    module = sys.modules.get("dsl.testing.coverage")
    return module.SESSION.all() if module is not None else []


def _close_shared_engine() -> None:
    module = sys.modules.get("dsl.testing.engine")
    if module is not None:
        module.close_shared_engine()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the coverage options."""
    group = parser.getgroup("sfn", "Step Functions workflow coverage (dsl.testing)")
    group.addoption("--sfn-coverage", action="store_true", help="report the coverage of every workflow run")
    group.addoption("--sfn-coverage-format", choices=("text", "markdown", "mermaid"), default="text",
                    help="coverage report format (default text)")
    group.addoption("--sfn-fail-under", type=float, metavar="PCT",
                    help="fail the session when a workflow's state and transition coverage is under PCT")


@pytest.fixture(scope="module")
def sfn_engine() -> Iterator[Engine]:
    """A running test engine for the module (the process's one embedded moto server)."""
    from dsl.testing.engine import Engine, close_shared_engine

    close_shared_engine()  # the server is one per process
    with Engine() as engine:
        yield engine


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Apply ``--sfn-fail-under``; stop the shared engine."""
    _close_shared_engine()
    threshold = session.config.getoption("--sfn-fail-under")
    if threshold is not None and any(c.percent() < threshold for c in _session_coverage()) \
            and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print each workflow's coverage."""
    if not config.getoption("--sfn-coverage") and config.getoption("--sfn-fail-under") is None:
        return
    terminalreporter.section("Step Functions workflow coverage")
    fmt = config.getoption("--sfn-coverage-format")
    for coverage in _session_coverage():
        report = {"text": coverage.text, "markdown": coverage.markdown, "mermaid": coverage.mermaid}[fmt]()
        terminalreporter.write(report)
    threshold = config.getoption("--sfn-fail-under")
    for coverage in _session_coverage():
        if threshold is not None and coverage.percent() < threshold:
            terminalreporter.write_line(f"FAIL: {coverage.name} coverage {coverage.percent():.1f} % "
                                        f"is under --sfn-fail-under {threshold:g}", red=True)
