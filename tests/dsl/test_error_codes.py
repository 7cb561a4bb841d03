"""One error base: every error class has a code in one format, and docs/architecture.md lists them all."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dsl.errors import CODE_FORMAT, CodedError

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("dsl", "semaphore", "deployer", "local")


def _load_everything() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)


def _subclasses(cls: type[CodedError]) -> Iterator[type[CodedError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _coded_classes() -> dict[str, str]:
    _load_everything()
    found: dict[str, str] = {}
    for cls in _subclasses(CodedError):
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name.split(".")[0] in PACKAGES:
            assert cls.code not in found, f"{name} reuses {cls.code} of {found.get(cls.code)}"
            found[cls.code] = name
    return found


def test_every_error_class_has_its_own_well_formed_code() -> None:
    codes = _coded_classes()
    assert {"DSL001", "ASL-LOAD", "GRAPH", "IAM001", "DEPLOY-REFUSED", "LOCAL-STOP"} <= set(codes)
    assert all(CODE_FORMAT.fullmatch(code) for code in codes)


def test_the_docs_table_lists_every_code() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([A-Z0-9-]+)` \| `([\w.]+)` \|", text, re.MULTILINE))
    assert table == _coded_classes()


def test_a_code_in_another_format_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match="does not match"):
        type("Bad", (CodedError,), {"code": "local-thing"})


def test_the_message_and_the_text_are_kept_apart() -> None:
    from dsl.graph import GraphError

    error = GraphError("/States/A", "no such state")
    assert error.message == "no such state" and str(error) == "/States/A: no such state"
    assert isinstance(error, CodedError) and error.code == "GRAPH"
