"""dsl.document: the one ASL reader, and the rule that no other module walks nested state machines itself."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from dsl.document import Defect, DocScope, DocState, nested, read, walk
from dsl.testing.definition import states_by_name

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("dsl", "local", "semaphore", "deployer", "definitions", "functions", "tools", "deploy.py")
NESTING_KEYS = frozenset({"Branches", "ItemProcessor", "Iterator"})
# Modules that may spell a nesting key, and why none of them walks nested state machines through it.
ALLOWED = {
    "dsl/document.py": "the reader itself",
    "dsl/states.py": "declares the DSL fields' ASL names (asl('Branches', ...)): the writer side",
    "dsl/compile.py": "writes Branches/ItemProcessor/Iterator into the compiled ASL",
    "dsl/validate/messages.py": "lists Iterator among the JSONPath-only field names its messages explain",
    "dsl/validate/rules/map_config.py": "reads ItemProcessor.ProcessorConfig, a setting of the processor, "
                                        "not its states (the Map's states come from dsl.document)",
    "dsl/importer/fields.py": "the importer converts ASL into DSL source, refusing with its own Refused "
                              "errors as it goes; it was not moved onto the reader",
    "dsl/importer/emit.py": "as dsl/importer/fields.py",
}

MAP: dict[str, Any] = {"Type": "Map", "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Pass", "End": True}}},
       "Next": "D"}
DOC: dict[str, Any] = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "P"},
    "P": {"Type": "Parallel", "Next": "M", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": True}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": True}}}]},
    "M": MAP,
    "D": {"Type": "Succeed"}}}


def _nesting_keys_spelt(source: str) -> list[int]:
    """Lines where a string literal is exactly a nesting key (docstrings are not code)."""
    tree = ast.parse(source)
    docstrings = {id(body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and (body := node.body) and isinstance(body[0], ast.Expr)
                  and isinstance(body[0].value, ast.Constant)}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in NESTING_KEYS and id(node) not in docstrings]


def test_no_module_outside_the_reader_walks_nesting_keys_itself() -> None:
    paths = [p for entry in SHIPPED for p in
             ([ROOT / entry] if entry.endswith(".py") else sorted((ROOT / entry).rglob("*.py")))]
    offenders = []
    for path in paths:
        name = path.relative_to(ROOT).as_posix()
        if name not in ALLOWED and (lines := _nesting_keys_spelt(path.read_text(encoding="utf-8"))):
            offenders.append(f"{name}:{lines[0]}")
    assert offenders == [], "read nested state machines through dsl.document (walk, nested, read)"
    stale = sorted(name for name in ALLOWED if not _nesting_keys_spelt((ROOT / name).read_text(encoding="utf-8")))
    assert stale == [], "these no longer spell a nesting key: drop them from ALLOWED"


def test_the_nesting_key_check_can_fail() -> None:
    walker = '"""Docstring: Branches."""\nfor b in state.get("Branches", []):\n    pass\n'
    assert _nesting_keys_spelt(walker) == [2]
    assert _nesting_keys_spelt('message = "Branches must be an array"\n') == []


def test_walk_is_text_order_with_scopes() -> None:
    items = list(walk(DOC))
    names = [i.name if isinstance(i, DocState) else ("scope", i.parts) for i in items
             if not isinstance(i, Defect)]
    assert names == [("scope", ()), "A", "P", ("scope", ("States", "P", "Branches", 0)), "B1",
                     ("scope", ("States", "P", "Branches", 1)), "B2", "M",
                     ("scope", ("States", "M", "ItemProcessor")), "C", "D"]
    # The tolerant view keeps its breadth-first order (validate's findings depend on it).
    assert [s.name for s in read(DOC).states] == ["A", "P", "M", "D", "B1", "B2", "C"]


def test_walk_reports_each_defect_where_it_is() -> None:
    doc: dict[str, Any] = {"StartAt": "A", "States": {
        "A": 5,
        "P": {"Type": "Parallel", "Branches": [{"States": []}, "x"]},
        "Q": {"Type": "Parallel", "Branches": {}},
        "M": {"Type": "Map"}}}
    defects = [(d.parts, d.expected) for d in walk(doc) if isinstance(d, Defect)]
    assert defects == [(("States", "A"), "state"),
                       (("States", "P", "Branches", 0, "States"), "states"),
                       (("States", "P", "Branches", 1), "branch"),
                       (("States", "Q", "Branches"), "branches"),
                       (("States", "M", "Iterator"), "processor")]


def test_nested_by_type_and_as_written() -> None:
    branch = {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}}
    task = {"Type": "Task", "Branches": [branch]}
    assert nested("T", task, ()) == []
    assert nested("T", task, (), as_written=True) == [DocScope(("Branches", 0), branch, "T")]
    both = {"Type": "Map", "ItemProcessor": 3, "Iterator": branch}
    assert nested("M", both, ()) == [Defect(("ItemProcessor",), "processor")]
    assert nested("M", both, (), as_written=True) == [DocScope(("Iterator",), branch, "M")]
    [first, second] = nested("P", DOC["States"]["P"], ("States", "P"))
    assert isinstance(first, DocScope) and isinstance(second, DocScope)
    assert (first.branch, second.branch) == (0, 1)
    assert DocScope(("States", "M", "ItemProcessor"), MAP["ItemProcessor"], "M").branch is None


def test_states_by_name_reads_a_malformed_document() -> None:
    # Regression: dsl.testing's own walk raised AttributeError on a state that is not an object.
    doc = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}, "B": 5,
                                      "P": {"Type": "Parallel", "Branches": ["x"]}}}
    assert sorted(states_by_name(doc)) == ["A", "P"]
    assert sorted(states_by_name(DOC)) == ["A", "B1", "B2", "C", "D", "M", "P"]
