"""Fixtures of the review tests (helpers are in review_support.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from review_support import WORKFLOWS, tricky_document

from tests.samples import SAMPLES, Sample


@pytest.fixture
def tricky() -> dict[str, Any]:
    """See :func:`tricky_document`."""
    return tricky_document()


@pytest.fixture(params=SAMPLES, ids=[s.name for s in SAMPLES])
def sample(request: pytest.FixtureRequest) -> Sample:
    """The original sample (skipped when ../shared/seed is absent) or the project's counter_lock
    fixtures written in its style (tests/samples.py): every review property is shown on both."""
    the_sample: Sample = request.param
    the_sample.folder(request)
    return the_sample


@pytest.fixture
def originals(sample: Sample, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The sample's three workflows by the role names of WORKFLOWS, copied into a temporary folder and parsed."""
    docs = {}
    for name, file_name in zip(WORKFLOWS, (sample.semaphore, sample.cleanup, sample.test_run), strict=True):
        copy = tmp_path / f"{name}.asl.json"
        shutil.copyfile(sample.folder(request) / file_name, copy)
        docs[name] = json.loads(copy.read_text(encoding="utf-8"))
    return docs
