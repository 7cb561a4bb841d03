"""Fixtures of the local-engine tests: embedded servers, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.server import LocalServer, local_server


@pytest.fixture(scope="module")
def bare_server() -> Iterator[LocalServer]:
    """A server without fidelity shims: a test installs the ones it examines (``installed``)."""
    with local_server(fidelity=()) as running:
        yield running


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    """A server with every fidelity shim, as local runs use it."""
    with local_server() as running:
        yield running
