"""The graph model of ASL documents (dsl.graph)."""

from __future__ import annotations

from typing import Any

import pytest
from verify_asl import RULE, good_cleanup, good_semaphore

from dsl.graph import (
    EdgeKind,
    GraphError,
    NodeKind,
    build_graph,
    condition_label,
    error_matches,
    path_text,
)
from semaphore.verify import verify
from tests.samples import SAMPLES, Sample


@pytest.fixture(params=SAMPLES, ids=[s.name for s in SAMPLES])
def sample(request: pytest.FixtureRequest) -> Sample:
    """The original sample (skipped when absent) and the project's counter_lock fixtures."""
    the_sample: Sample = request.param
    the_sample.folder(request)
    return the_sample


def _semaphore_graph(sample: Sample, request: pytest.FixtureRequest) -> Any:
    return build_graph(sample.load(request, sample.semaphore))


def _edges(graph: Any, kind: EdgeKind) -> list[tuple[str, str, str]]:
    return [(graph.label(e.source), graph.label(e.target), e.label) for e in graph.edges if e.kind is kind]


def test_seed_semaphore_has_every_state_scope_and_pointer(sample: Sample, request: pytest.FixtureRequest) -> None:
    n = sample.names
    graph = _semaphore_graph(sample, request)
    states = {node.name: node for node in graph.states()}
    assert len(states) == sample.numbers["states"]
    acquire = states[n["acquire"]]
    assert acquire.id == f"/States/{n['lock']}/Branches/0/States/{n['acquire']}"
    assert acquire.parent == f"/States/{n['lock']}" and acquire.depth == 1
    assert acquire.scope == f"/States/{n['lock']}/Branches/0"
    assert [r.label for r in acquire.retry] == ["DynamoDB.AmazonDynamoDBException x0",
                                                f"States.ALL x{sample.numbers['acquire_retries']}"]
    scope = graph.scopes[f"/States/{n['lock']}/Branches/0"]
    assert (scope.kind, scope.label, scope.owner, scope.start) == (
        "branch", f"{n['lock']} branch 1", f"/States/{n['lock']}", acquire.id)
    assert states[n["lock"]].children == (f"/States/{n['lock']}/Branches/0",)
    assert graph.root.start == f"/States/{n['lock']}"
    assert [a.name for a in graph.ancestors(states[n["first_pass"]].id)] == [n["work_box"]]


def test_edges_label_catches_choices_defaults_and_retries(sample: Sample, request: pytest.FixtureRequest) -> None:
    n = sample.names
    graph = _semaphore_graph(sample, request)
    assert (n["acquire"], n["init"], "DynamoDB.AmazonDynamoDBException") in _edges(graph, EdgeKind.CATCH)
    assert (n["release"], n["end"], "DynamoDB.ConditionalCheckFailedException") in _edges(graph, EdgeKind.CATCH)
    (choice,) = _edges(graph, EdgeKind.CHOICE)
    assert choice[:2] == (n["check"], n["held"])
    assert choice[2].startswith(f"IsPresent({n['item_text']}) and ")
    assert _edges(graph, EdgeKind.DEFAULT) == [(n["check"], n["wait"], "Default")]
    assert (n["acquire"], n["acquire"], f"States.ALL x{sample.numbers['acquire_retries']}") in _edges(
        graph, EdgeKind.RETRY)
    # MaxAttempts 0 retries nothing: no loop for it
    assert not any(label.endswith("x0") for _, _, label in _edges(graph, EdgeKind.RETRY))


def test_failure_exits_and_propagation_to_the_enclosing_parallel(sample: Sample,
                                                                 request: pytest.FixtureRequest) -> None:
    n = sample.names
    graph = _semaphore_graph(sample, request)
    fails = _edges(graph, EdgeKind.FAIL)
    # the acquire catches two named errors only: other errors leave its branch
    assert (n["acquire"], f"({n['lock']} branch 1 failed)", "other errors") in fails
    # the init catches States.ALL: no failure exit
    assert not any(src == n["init"] for src, _, _ in fails)
    # Pass and Wait states without intrinsics cannot fail
    assert not any(src in (n["first_pass"], n["wait"]) for src, _, _ in fails)
    assert (f"({n['lock']} branch 1 failed)", n["lock"], "error") in _edges(graph, EdgeKind.PROPAGATE)
    assert (f"({n['lock']} branch 1 end)", n["lock"], "") in _edges(graph, EdgeKind.JOIN)
    assert (n["lock"], "(failed)", "uncaught error") in fails
    assert (n["lock"], n["acquire"], "branch 1") in _edges(graph, EdgeKind.BRANCH)


def test_timeouts_choices_without_default_fail_states_and_intrinsics() -> None:
    doc = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60,
              "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}], "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 3, "Next": "P"}]},
        "P": {"Type": "Pass", "Parameters": {"s.$": "States.Format('{}', $.n)"}, "Next": "F"},
        "F": {"Type": "Fail", "Error": "Boom"},
    }}
    graph = build_graph(doc)
    fails = {src: (label, edge_errors) for src, _, label, edge_errors in
             ((graph.label(e.source), e.target, e.label, e.errors) for e in graph.edges if e.kind is EdgeKind.FAIL)}
    # States.TaskFailed does not catch States.Timeout
    assert fails["T"] == ("uncaught States.Timeout", ("States.Timeout",))
    assert fails["C"][1] == ("States.NoChoiceMatched",)
    assert fails["P"][1] == ("States.IntrinsicFailure",)
    assert fails["F"][0] == "Boom"
    assert graph.node("/States/T").timeout_seconds == 60
    assert graph.node("/States/C").failure == ("no-default",)


def test_map_items_tolerated_failures_and_distributed_mode() -> None:
    inner = {"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                              "End": True}}}
    doc = {"StartAt": "M", "States": {
        "M": {"Type": "Map", "ToleratedFailurePercentage": 10,
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, **inner},
              "Next": "L"},
        "L": {"Type": "Map", "Iterator": inner, "End": True},
    }}
    graph = build_graph(doc)
    assert graph.scopes["/States/M/ItemProcessor"].mode == "DISTRIBUTED"
    assert graph.scopes["/States/L/Iterator"].mode == "INLINE"
    joins = _edges(graph, EdgeKind.JOIN)
    assert ("(M items failed)", "M", "tolerated") in joins
    assert not any(src == "(L items failed)" for src, _, _ in joins)
    assert ("M", "M items/W", "items") in _edges(graph, EdgeKind.BRANCH)
    # the same state name in two scopes is shown with its scope
    assert graph.label("/States/M/ItemProcessor/States/W") == "M items/W"


def test_jsonata_conditions_and_short_forms() -> None:
    assert condition_label({"Condition": "{% $states.input.n > 3 %}", "Next": "x"}) == "$states.input.n > 3"
    assert condition_label({"Not": {"Variable": "$.a", "StringEquals": "b"}}) == 'not ($.a == "b")'
    assert condition_label({"Or": [{"Variable": "$.a", "IsNull": True},
                                   {"Variable": "$.b", "NumericLessThanPath": "$.c"}]}) == "IsNull($.a) or $.b < $.c"
    long = condition_label({"Variable": "$." + "x" * 200, "BooleanEquals": True})
    assert len(long) == 80 and long.endswith("…")


def test_error_matching_follows_the_aws_rules() -> None:
    assert error_matches(["States.ALL"], "Lambda.Unknown")
    assert not error_matches(["States.ALL"], "States.Runtime")
    assert not error_matches(["States.ALL"], "States.DataLimitExceeded")
    assert error_matches(["States.TaskFailed"], "DynamoDB.ConditionalCheckFailedException")
    assert not error_matches(["States.TaskFailed"], "States.Timeout")
    assert error_matches(["States.Timeout"], "States.Timeout")
    assert not error_matches(["A"], "B")


@pytest.mark.parametrize(("doc", "pointer", "words"), [
    ({"States": {"A": {"Type": "Pass", "End": True}}}, "/StartAt", "StartAt None"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}, "/States/A/Next", "'B'"),
    ({"StartAt": "A", "States": {"A": {"Type": "Bogus", "End": True}}}, "/States/A/Type", "not a state type"),
    ({"StartAt": "A", "States": {"A": []}}, "/States/A", "JSON object"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}, "/States/A", "neither Next nor End"),
    ({"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [], "End": True}}},
     "/States/A/Branches", "non-empty array"),
    ({"StartAt": "A", "States": {"A": {"Type": "Map", "End": True}}}, "/States/A/Iterator", "ItemProcessor"),
])
def test_structure_errors_name_the_place(doc: dict[str, Any], pointer: str, words: str) -> None:
    with pytest.raises(GraphError) as caught:
        build_graph(doc)
    assert caught.value.pointer == pointer
    assert words in caught.value.message


def test_deep_nesting_builds_and_verifies_without_recursion() -> None:
    body = good_semaphore()
    body["States"]["Done"] = {"Type": "Pass", "End": True}
    doc: dict[str, Any] = body
    levels = 1100  # beyond Python's default recursion limit of 1000
    for level in range(levels):
        doc = {"StartAt": f"P{level}", "States": {f"P{level}": {"Type": "Parallel", "Branches": [doc],
                                                                  "End": True}}}
    graph = build_graph(doc)
    assert len(graph.scopes) == levels + 1
    deepest = next(n for n in graph.states() if n.name == "Acquire")
    assert deepest.depth == levels and len(graph.ancestors(deepest.id)) == levels
    assert [f.rule for f in verify(doc, cleanup=good_cleanup(), rule=RULE) if f.severity == "error"] == []


def test_path_text_reads_like_the_execution(sample: Sample, request: pytest.FixtureRequest) -> None:
    n = sample.names
    graph = _semaphore_graph(sample, request)
    by = {(graph.label(e.source), graph.label(e.target), e.kind): e for e in graph.edges}
    failed, ended = f"({n['lock']} branch 1 failed)", f"({n['lock']} branch 1 end)"
    path = [by[(n["acquire"], failed, EdgeKind.FAIL)], by[(failed, n["lock"], EdgeKind.PROPAGATE)],
            by[(n["lock"], "(failed)", EdgeKind.FAIL)]]
    assert path_text(graph, path) == f"{n['acquire']} -[other errors]-> {n['lock']} -[uncaught error]-> (failed)"
    path = [by[(n["acquire"], ended, EdgeKind.END)], by[(ended, n["lock"], EdgeKind.JOIN)],
            by[(n["lock"], n["work_box"], EdgeKind.NEXT)]]
    assert path_text(graph, path) == f"{n['acquire']} -> {n['lock']} -> {n['work_box']}"
    assert graph.node(graph.root.end).kind is NodeKind.END and graph.label(graph.root.end) == "(succeeded)"
