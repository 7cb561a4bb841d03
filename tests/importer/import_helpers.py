"""Shared paths and helpers of the import tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dsl.importer.cli import convert
from dsl.importer.sources import Source, read_path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = sorted((REPO / "tests" / "validate" / "corpus").glob("*.asl.json"))
GENERATED = sorted((REPO / "generated").glob("*.asl.json"))
SEED = REPO.parent / "shared" / "seed" / "statemachines"
SEED_FILES = sorted(SEED.glob("*.asl.json")) if SEED.is_dir() else []


def need_seed() -> None:
    """Skip when the original sample is not beside this clone."""
    if not SEED_FILES:
        pytest.skip(f"../shared/seed absent: the original sample's files are not at {SEED}")


def source_of(path: Path) -> Source:
    """The one workflow in an ASL file."""
    (source,) = read_path(str(path))
    assert isinstance(source, Source)
    return source


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def module_text(path: Path) -> str:
    """The checked module text for an ASL file."""
    return convert(source_of(path))
