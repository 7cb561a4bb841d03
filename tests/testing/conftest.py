"""Fixtures of the dsl.testing tests: one test engine per module (the embedded server is one per process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dsl.testing import Engine, close_shared_engine


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    """A running test engine, stopped at the end of the module."""
    close_shared_engine()
    with Engine() as running:
        yield running
