"""Shared test fixtures: where the repository and the original sample are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "statemachines"
SEED_MISSING = f"the original sample is not beside this clone ({SEED}); its own fixtures prove the same"


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture
def seed_dir() -> Path:
    """The original sample's three ASL files (reference data, read only in tests)."""
    if not SEED.is_dir():
        pytest.skip(SEED_MISSING)
    return SEED
