"""A pytest plugin (``-p local.pytest_moto_guard``, in pyproject's addopts): refuse another moto early.

It runs before any conftest imports the local engine, so a wrong moto ends the session with
one line and exit 2 instead of collection errors from inside the shims.
"""

from __future__ import annotations

import sys

import pytest

from local.moto_pin import MotoVersionError, check_moto_version


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Check moto's version before the initial conftests are imported."""
    try:
        check_moto_version()
    except MotoVersionError as exc:
        sys.stderr.write(f"pytest: error: {exc}\n")
        raise SystemExit(2) from None
