"""Fixtures of the review tests (helpers are in review_support.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from review_support import WORKFLOWS, tricky_document


@pytest.fixture
def tricky() -> dict[str, Any]:
    """See :func:`tricky_document`."""
    return tricky_document()


@pytest.fixture
def originals(seed_dir: Path, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The original sample's three workflows, copied into a temporary folder and parsed."""
    docs = {}
    for name in WORKFLOWS:
        copy = tmp_path / f"{name}.asl.json"
        shutil.copyfile(seed_dir / f"{name}.asl.json", copy)
        docs[name] = json.loads(copy.read_text(encoding="utf-8"))
    return docs
