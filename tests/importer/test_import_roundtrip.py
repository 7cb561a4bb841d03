"""Import then build gives back the source document, exactly, for every real file we have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_helpers import CORPUS, GENERATED, SEED_FILES, load, module_text, need_seed, source_of

from dsl.importer.cli import convert
from dsl.importer.roundtrip import build_module, first_difference, same
from dsl.importer.sources import Source
from dsl.validate import is_valid, validate

VALID_CORPUS = [p for p in CORPUS if is_valid(validate(load(p)))]


def test_the_corpus_is_there() -> None:
    assert len(VALID_CORPUS) >= 150
    assert len(GENERATED) == 4


@pytest.mark.parametrize("path", VALID_CORPUS + GENERATED, ids=lambda p: p.name)
def test_round_trip_is_exact(path: Path) -> None:
    text = module_text(path)
    assert first_difference(load(path), build_module(text)) is None


@pytest.mark.parametrize("name", ["dynamodb-semaphore", "dynamodb-semaphore-cleanfromincomplete",
                                  "test-run-semaphore"])
def test_original_sample_round_trips(name: str) -> None:
    need_seed()
    (path,) = [p for p in SEED_FILES if p.name == f"{name}.asl.json"]
    assert same(load(path), build_module(module_text(path)))


@pytest.mark.parametrize("path", VALID_CORPUS + GENERATED + SEED_FILES, ids=lambda p: p.name)
def test_import_of_the_build_gives_the_same_source(path: Path, tmp_path: Path) -> None:
    first = module_text(path)
    rebuilt = tmp_path / path.name
    rebuilt.write_text(json.dumps(build_module(first)), encoding="utf-8")
    assert module_text(rebuilt) == first


def test_same_bytes_twice() -> None:
    for path in VALID_CORPUS[:40]:
        assert module_text(path) == module_text(path)


def test_json_values_are_compared_strictly() -> None:
    assert not same({"a": 1}, {"a": 1.0})
    assert not same({"a": 1}, {"a": True})
    assert same({"a": 1, "b": [2.5]}, {"b": [2.5], "a": 1})
    assert first_difference({"States": {"A": {"Seconds": 1}}}, {"States": {"A": {"Seconds": 2}}}) \
        == ("States", "A", "Seconds")


def test_key_order_of_the_source_does_not_change_the_module() -> None:
    path = GENERATED[0]
    document = load(path)
    shuffled = {key: document[key] for key in reversed(document)}
    shuffled["States"] = {key: document["States"][key] for key in reversed(document["States"])}
    source = source_of(path)
    again = Source(source.label, source.module, source.workflow, shuffled, source.origin)
    assert convert(again) == module_text(path)
