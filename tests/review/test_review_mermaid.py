"""Mermaid diagrams: structure, labels, nesting and escaping."""

from __future__ import annotations

from typing import Any

import pytest
from mermaid_parse import Parsed, parse
from review_support import TRICKY, WORKFLOWS, generated

from dsl.graph import build_graph
from dsl.review.mermaid import escape, to_mermaid
from tests.samples import Sample


def _check_every_state_drawn_once(doc: dict[str, Any], drawn: Parsed) -> None:
    graph = build_graph(doc)
    for node in graph.states():
        item = drawn.node_named(node.name)
        if node.is_container:
            assert item in drawn.subgraphs, f"{node.name} should be a subgraph"
        if node.parent is not None:
            owner = drawn.node_named(graph.node(node.parent).name)
            ancestors = []
            parent = drawn.parent[item]
            while parent is not None:
                ancestors.append(parent)
                parent = drawn.parent[parent]
            assert owner in ancestors, f"{node.name} is not drawn inside {graph.node(node.parent).name}"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_original_workflows_draw_every_state_in_its_scope(originals: dict[str, Any], name: str) -> None:
    _check_every_state_drawn_once(originals[name], parse(to_mermaid(originals[name])))


@pytest.mark.parametrize("name", WORKFLOWS)
def test_generated_workflows_draw_every_state_in_its_scope(name: str) -> None:
    doc = generated(name)
    _check_every_state_drawn_once(doc, parse(to_mermaid(doc)))


def _edge(drawn: Parsed, source: str, target: str) -> list[tuple[str, str]]:
    s, t = drawn.node_named(source), drawn.node_named(target)
    return [(link, label) for a, link, label, b in drawn.edges if a == s and b == t]


def test_semaphore_original_catches_choices_and_retries(originals: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    drawn = parse(to_mermaid(originals["dynamodb-semaphore"]))
    assert drawn.subgraphs[drawn.node_named(n["lock"])] == f"{n['lock']} · Parallel"
    assert _edge(drawn, n["acquire"], n["init"]) == [("-.->", "catch DynamoDB.AmazonDynamoDBException")]
    assert _edge(drawn, n["acquire"], n["read"]) == [("-.->", "catch DynamoDB.ConditionalCheckFailedException")]
    # Next and a Catch to the same state are two arrows.
    assert _edge(drawn, n["init"], n["acquire"]) == [("-->", ""), ("-.->", "catch States.ALL")]
    [(link, condition)] = _edge(drawn, n["check"], n["held"])
    assert link == "-->" and condition.startswith(f"IsPresent({n['item_text']}) and ")
    assert _edge(drawn, n["check"], n["wait"]) == [("-->", "Default")]
    # Containers connect as boxes; the machine has Start and End markers.
    assert _edge(drawn, n["lock"], n["work_box"]) == [("-->", "")]
    assert ("n_start", "-->", "", drawn.node_named(n["lock"])) in drawn.edges
    assert (drawn.node_named(n["end"]), "-->", "", "n_end") in drawn.edges
    # MaxAttempts 0 retries nothing, so only the States.ALL policy is shown.
    acquire = drawn.nodes[drawn.node_named(n["acquire"])]
    assert acquire == [n["acquire"], "dynamodb:updateItem",
                       f"↻\u00a0States.ALL\u00a0x{sample.numbers['acquire_retries']}"]
    assert drawn.nodes[drawn.node_named(n["wait"])] == [n["wait"], f"Wait {sample.numbers['wait_seconds']}s"]
    assert drawn.shapes[drawn.node_named(n["check"])] == "{"
    assert drawn.classes[drawn.node_named(n["end"])] == "succeed"


def test_map_is_a_subgraph_with_its_retries(originals: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    drawn = parse(to_mermaid(originals["test-run-semaphore"]))
    run = drawn.node_named(n["child"])
    assert drawn.subgraphs[drawn.parent[run] or ""] == f"{n['fan_out']} · Map"
    assert drawn.nodes[run][2:] == [
        f"↻\u00a0StepFunctions.ExecutionAlreadyExistsException\u00a0x{sample.numbers['child_retries_exists']}",
        f"↻\u00a0States.ALL\u00a0x{sample.numbers['child_retries_all']}"]
    assert _edge(drawn, n["child"], n["after_child"]) == [("-->", ""), ("-.->", "catch States.TaskFailed")]
    assert _edge(drawn, n["fan_out"], n["run_list"]) == []
    assert (drawn.node_named(n["fan_out"]), "-->", "", "n_end") in drawn.edges


def test_tricky_names_round_trip_through_escaped_labels(tricky: dict[str, Any]) -> None:
    text = to_mermaid(tricky)
    drawn = parse(text)  # fails on any unescaped character in a label
    for name in TRICKY:
        drawn.node_named(name)
    assert "[Fn" not in text and "${" not in text  # parameters are not part of the diagram
    parallel = drawn.node_named("Ünïcödé ✓ 日本語 🚀")
    assert drawn.subgraphs[parallel] == "Ünïcödé ✓ 日本語 🚀 · Parallel · ↻\u00a0States.ALL\u00a0x2"
    branches = [s for s, parent in drawn.parent.items() if parent == parallel]
    assert [drawn.subgraphs[b] for b in branches] == ["branch 1", "branch 2"]
    the_map = drawn.node_named("subgraph")
    assert drawn.parent[the_map] == branches[1]
    assert drawn.parent[drawn.node_named("#quot; literal")] == the_map
    assert _edge(drawn, "Choose: a\"b", "click s0 call alert()") == [("-->", '$.v == "a|b"c<d>"')]
    assert _edge(drawn, "Choose: a\"b", 'Say "hi" [1] {x} (y)') == [("-->", "not ($.n > 3)")]
    assert _edge(drawn, "Ünïcödé ✓ 日本語 🚀", "Choose: a\"b") == [
        ("-->", ""), ("-.->", "catch Err;<x>, States.Timeout")]
    assert drawn.nodes[drawn.node_named("click s0 call alert()")] == ["click s0 call alert()", "Fail: Bad<Thing>"]


@pytest.mark.parametrize(("raw", "escaped"), [
    ('a"b', "a#quot;b"),
    ("#quot;", "#35;quot#59;"),
    ("<br/>", "#lt;br/#gt;"),
    ("a`b|c\\d&e", "a#96;b#124;c#92;d#amp;e"),
    ("line\nbreak\ttab", "line break tab"),
    ("日本 🚀 [x] {y} (z)", "日本 🚀 [x] {y} (z)"),
])
def test_escape(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


def test_small_workflow_exact_text() -> None:
    doc = {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Next": "B",
              "Retry": [{"ErrorEquals": ["States.ALL"]}], "Catch": [{"ErrorEquals": ["X"], "Next": "C"}]},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "C"}],
              "Default": "D"},
        "C": {"Type": "Succeed"},
        "D": {"Type": "Fail"}}}
    assert to_mermaid(doc) == """flowchart TD
    n_start(["Start"])
    s0["A<br/>dynamodb:getItem<br/>↻\u00a0States.ALL\u00a0x3"]
    s1{"B"}
    s2(["C<br/>Succeed"])
    s3(["D<br/>Fail"])
    n_end(["End"])
    n_start --> s0
    s0 --> s1
    s0 -.->|"catch X"| s2
    s1 -->|"$.n #lt; 5"| s2
    s1 -->|"Default"| s3
    s2 --> n_end
    classDef task fill:#e8f0fe,stroke:#3b6fd6,color:#1f2328
    class s0 task
    classDef choice fill:#fff4d6,stroke:#c98a00,color:#1f2328
    class s1 choice
    classDef succeed fill:#e3f5e8,stroke:#2e8b57,color:#1f2328
    class s2 succeed
    classDef fail fill:#fde8e8,stroke:#c0392b,color:#1f2328
    class s3 fail
    classDef terminal fill:#ffffff,stroke:#57606a,color:#1f2328
    class n_start,n_end terminal
"""
