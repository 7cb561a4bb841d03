"""The library/application split: the library (``dsl`` and the local engine ``local``) never imports the
application, and imports have no cycles."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ("semaphore", "deployer", "definitions", "deploy", "functions")
LIBRARY = ("dsl", "local")


def _metrics() -> ModuleType:
    spec = importlib.util.spec_from_file_location("arch_metrics", ROOT / "tools" / "arch_metrics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["arch_metrics"] = module
    spec.loader.exec_module(module)
    return module


def test_no_library_module_imports_the_application() -> None:
    metrics = _metrics()
    offenders = []
    for path in sorted(p for package in LIBRARY for p in (ROOT / package).rglob("*.py")):
        name = metrics.module_name(ROOT, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for imported in metrics.imported_modules(tree, name, path.name == "__init__.py"):
            if imported.split(".")[0] in APPLICATION:
                offenders.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert offenders == []


def test_the_import_check_sees_imports_inside_functions() -> None:
    # The check above must be able to fail: a lazy import in a function body counts.
    metrics = _metrics()
    tree = ast.parse("def f():\n    from semaphore.verify import verify\n")
    assert "semaphore.verify" in metrics.imported_modules(tree, "dsl.x", False)
    relative = ast.parse("from ..review import diff\n")
    assert "dsl.review.diff" in metrics.imported_modules(relative, "dsl.validate.x", False)


def test_the_import_graph_has_no_cycles() -> None:
    metrics = _metrics()
    graph = metrics.import_graph(ROOT, metrics.python_files(ROOT))
    assert "dsl.compile" in graph and "dsl.review.diff" in graph
    assert metrics.cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    metrics = _metrics()
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "p": set(), "p.x": {"p"}}
    assert metrics.cycles(graph) == [["a", "b", "c"]]


def test_no_class_name_is_defined_twice_in_the_shipped_code() -> None:
    metrics = _metrics()
    files = [p for p in metrics.python_files(ROOT) if p.relative_to(ROOT).parts[0] not in metrics._NOT_CODE]
    duplicates = metrics.duplicated_classes(ROOT, files)
    assert duplicates == {}
