"""Real definitions validate: the corpus, the original sample and our generated files.

Also: random damage to real definitions never makes the validator fail.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import make_corpus
import pytest

from dsl.aslfile import load
from dsl.document import read
from dsl.findings import Finding
from dsl.jsontext import dumps
from dsl.validate import validate
from dsl.validate.intrinsics import FUNCTIONS
from tests.samples import SAMPLES, Sample

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(make_corpus.CORPUS.glob("*.asl.json"))
GENERATED = sorted((ROOT / "generated").glob("*.asl.json"))
SEED_NAMES = ("dynamodb-semaphore.asl.json", "dynamodb-semaphore-cleanfromincomplete.asl.json",
              "test-run-semaphore.asl.json")


def test_corpus_is_large_and_current() -> None:
    expected = dict(make_corpus.corpus())
    assert len(CORPUS) >= 150
    assert {path.name for path in CORPUS} == set(expected)
    for path in CORPUS:
        assert path.read_text(encoding="utf-8") == dumps(expected[path.name]), f"re-run make_corpus.py: {path.name}"


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_corpus_definition_is_valid(path: Path) -> None:
    assert [item.line(path.name) for item in validate(load(str(path)))] == []


def test_corpus_covers_the_language() -> None:
    seen: set[tuple[str, bool]] = set()
    distributed: set[bool] = set()
    text = ""
    for path in CORPUS:
        text += path.read_text(encoding="utf-8")
        machine = read(load(str(path)))
        for state in machine.states:
            seen.add((str(state.type), state.jsonata))
            processor = state.body.get("ItemProcessor", {})
            if processor.get("ProcessorConfig", {}).get("Mode") == "DISTRIBUTED":
                distributed.add(state.jsonata)
    types = {"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}
    assert {(kind, jsonata) for kind in types for jsonata in (False, True)} <= seen
    assert distributed == {False, True}
    assert all(f"{name}(" in text for name in FUNCTIONS)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_original_files_validate_with_placeholders(sample: Sample, request: pytest.FixtureRequest,
                                                   tmp_path: Path) -> None:
    """The original (skipped when absent) and the counter_lock fixtures written in its style."""
    names = (sample.semaphore, sample.cleanup, sample.test_run)
    for name in names:
        shutil.copy(sample.folder(request) / name, tmp_path / name)
    result = subprocess.run([sys.executable, "-m", "dsl", "validate", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "3 files checked: 3 valid, 0 invalid, 0 unreadable; 0 errors, 0 warnings\n"
    for name in names:
        strict = validate(load(str(tmp_path / name)), strict=True)
        assert strict and {item.rule for item in strict} == {"ASL-PLACEHOLDER-001"}


def test_generated_files_exist() -> None:
    # The originals' machines, plus the reconciler (no original counterpart).
    assert {path.name for path in GENERATED} == {*SEED_NAMES, "dynamodb-semaphore-reconciler.asl.json"}


@pytest.mark.parametrize("path", GENERATED, ids=[path.name for path in GENERATED])
def test_generated_file_validates(path: Path) -> None:
    document = load(str(path))
    assert validate(document) == []
    assert {item.rule for item in validate(document, strict=True)} <= {"ASL-PLACEHOLDER-001"}


def _damage(document: dict[str, Any], rng: random.Random) -> None:
    """One random, structure-aware change: drop, retype or rename something."""
    nodes: list[tuple[Any, Any]] = []
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
        for key in keys:
            nodes.append((node, key))
            stack.append(node[key])
    if not nodes:
        return
    parent, key = rng.choice(nodes)
    action = rng.randrange(5)
    if action == 0 and isinstance(parent, dict):
        del parent[key]
    elif action == 1:
        parent[key] = rng.choice([None, 0, -1, 1.5, "", "$..[", "{% %}", [], {}, True, "States.X(", "${X}"])
    elif action == 2 and isinstance(parent, dict):
        parent[str(key) + rng.choice(["x", ".$", "Path"])] = parent.pop(key)
    elif action == 3:
        parent[key] = copy.deepcopy(document)
    else:
        parent[key] = [parent[key], {"Type": rng.choice(["Map", "Parallel", "Choice", "Nope"])}]


def test_damaged_definitions_never_crash_the_validator() -> None:
    rng = random.Random(20240531)
    sources = [load(str(path)) for path in CORPUS[::5]]
    for round_ in range(200):
        document = copy.deepcopy(rng.choice(sources))
        for _ in range(rng.randint(1, 4)):
            _damage(document, rng)
        found = validate(document, strict=bool(round_ % 2))
        assert all(isinstance(item, Finding) and item.message for item in found)
        json.dumps([item.as_dict() for item in found])
