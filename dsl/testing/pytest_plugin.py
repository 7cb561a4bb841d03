"""pytest plugin: the ``sfn_engine`` fixture and ``--sfn-coverage`` over the session's runs.

Registered through ``[project.entry-points.pytest11]`` (``dsl-testing = "dsl.testing.pytest_plugin"``),
or loaded with ``-p dsl.testing.pytest_plugin``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dsl.testing.coverage import SESSION
from dsl.testing.engine import Engine, close_shared_engine


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the coverage options."""
    group = parser.getgroup("sfn", "Step Functions workflow coverage (dsl.testing)")
    group.addoption("--sfn-coverage", action="store_true", help="report the coverage of every workflow run")
    group.addoption("--sfn-coverage-format", choices=("text", "markdown", "mermaid"), default="text",
                    help="coverage report format (default text)")
    group.addoption("--sfn-fail-under", type=float, metavar="PCT",
                    help="fail the session when a workflow's state and transition coverage is under PCT")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start counting from zero."""
    SESSION.clear()


@pytest.fixture(scope="module")
def sfn_engine() -> Iterator[Engine]:
    """A running test engine for the module (the process's one embedded moto server)."""
    close_shared_engine()  # the server is one per process
    with Engine() as engine:
        yield engine


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Apply ``--sfn-fail-under``; stop the shared engine."""
    close_shared_engine()
    threshold = session.config.getoption("--sfn-fail-under")
    if threshold is not None and any(c.percent() < threshold for c in SESSION.all()) \
            and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print each workflow's coverage."""
    if not config.getoption("--sfn-coverage") and config.getoption("--sfn-fail-under") is None:
        return
    terminalreporter.section("Step Functions workflow coverage")
    fmt = config.getoption("--sfn-coverage-format")
    for coverage in SESSION.all():
        report = {"text": coverage.text, "markdown": coverage.markdown, "mermaid": coverage.mermaid}[fmt]()
        terminalreporter.write(report)
    threshold = config.getoption("--sfn-fail-under")
    for coverage in SESSION.all():
        if threshold is not None and coverage.percent() < threshold:
            terminalreporter.write_line(f"FAIL: {coverage.name} coverage {coverage.percent():.1f} % "
                                        f"is under --sfn-fail-under {threshold:g}", red=True)
