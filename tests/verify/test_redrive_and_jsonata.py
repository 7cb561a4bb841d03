"""Redrive and JSONata in the verifier: JSONata Output forms (owner tracking), cleanup branches
for an owner found RUNNING again (``revived_edges``), and LOCK-REDRIVE (work under the lock
guarded against a redrive that restarts it after the cleanup released its slot)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from verify_asl import RULE, acquire, errors, good_cleanup, machine, release, state_at

from dsl.graph import EdgeKind, build_graph
from semaphore.verify import verify
from semaphore.verify.jsonata_output import replaced_fields
from semaphore.verify.revived import revived_edges
from tests.samples import SAMPLES, Sample

REPO = Path(__file__).resolve().parents[2]
WORK = "/States/Run Lambda Function With Controlled Concurrency"
CHECK_OWNER = "/States/Check Owner Ended"
OWNER_REDRIVEN = "/States/Owner Redriven?"
QUERY_FAILED = "States.QueryEvaluationError"
Doc = dict[str, Any]


def _generated(name: str) -> Doc:
    doc: Doc = json.loads((REPO / "generated" / name).read_text())
    return doc


@pytest.fixture
def family() -> dict[str, Doc]:
    """The generated semaphore, its cleanup and its rule (fresh copies, free to mutate)."""
    return {"machine": _generated("dynamodb-semaphore.asl.json"),
            "cleanup": _generated("dynamodb-semaphore-cleanfromincomplete.asl.json"),
            "rule": _generated("cleanup-rule.json")}


def _verify(f: dict[str, Doc]) -> list[Any]:
    return verify(f["machine"], cleanup=f["cleanup"], rule=f["rule"])


def _redrive(found: list[Any]) -> list[Any]:
    return [f for f in found if f.rule == "LOCK-REDRIVE"]


# -- replaced_fields: which top-level input fields a JSONata Output may change


@pytest.mark.parametrize(("output", "replaced"), [
    ("{% $states.input %}", set()),
    ("{%   $states.input\n %}", set()),
    ("{% $merge([$states.input, {}]) %}", set()),
    ("{% $merge([$states.input, {'a': 1, \"b\": 2}]) %}", {"a", "b"}),
    # the generated work Task's Output
    ("{% $merge([$states.input, {'work': {'payload': $states.result.Payload}}]) %}", {"work"}),
    # commas, braces, brackets and the other quote inside values are not entries
    (("{% $merge([$states.input, {'note': 'a, b {c} [d', 'n': {'x': [1, {'y': 2}], 'z': \"it's, }\"},"
      " 'f': $string($states.input.lock, true)}]) %}"), {"note", "n", "f"}),
    # an escaped quote does not end its string
    ('{% $merge([$states.input, {"a": "x\\", \'", "lock": 1}]) %}', {"a", "lock"}),
    ("{% $merge([ $states.input ,\n {'workerror': $states.errorOutput} ]) %}", {"workerror"}),
    ("{% $sift($states.input, function($v, $k) { $k != 'workerror' }) %}", {"workerror"}),
    ("{% $sift( $states.input , function( $v , $k ) { $k != \"lock\" } ) %}", {"lock"}),
])
def test_replaced_fields_reads_the_keeping_forms(output: str, replaced: set[str]) -> None:
    assert replaced_fields(output) == replaced


@pytest.mark.parametrize("output", [
    None,
    {"lock": "{% $states.input.lock %}"},
    "$states.input",  # a JSONata state's string without {% %} is a literal
    "{% $states.input %} and more",
    "{% $states.input.lock %}",
    "{% $states.result %}",
    "{% $string($states.input) %}",
    "{% $merge([$states.result, {'a': 1}]) %}",  # merges something other than the input
    "{% $merge([{'a': 1}, $states.input]) %}",  # the input last: it overwrites, but is not kept whole
    "{% $merge([$states.input, $states.result]) %}",
    "{% $merge([$states.input, {'a': 1}, {'lock': 2}]) %}",  # a second object also replaces fields
    "{% $merge([$states.input, {'a': 1}]) & $merge([$states.input, {'lock': 1}]) %}",
    "{% $merge([$states.input, {'lo' & 'ck': 1}]) %}",  # a computed key
    "{% $merge([$states.input, {$k: 1}]) %}",
    "{% $merge([$states.input, {'a': 'unterminated}]) %}",
    "{% $sift($states.input, function($v, $k) { $k = 'lock' }) %}",  # keeps only lock
    "{% $sift($states.result, function($v, $k) { $k != 'lock' }) %}",
])
def test_replaced_fields_refuses_other_forms(output: object) -> None:
    assert replaced_fields(output) is None


# -- JSONata Output in owner tracking: the release must still name the owner


def _work(f: dict[str, Doc]) -> Doc:
    return state_at(f["machine"], WORK)


def test_generated_family_verifies_with_only_the_cleanup_fail_warning(family: dict[str, Doc]) -> None:
    # without a reconciler, nothing covers the cleanup itself failing (LOCK-CLEANUP-FAIL)
    assert [(f.rule, f.severity) for f in _verify(family)] == [("LOCK-CLEANUP-FAIL", "warning")]


@pytest.mark.parametrize("output", [
    "{% $merge([$states.input, {'lock': 1}]) %}",
    "{% $merge([$states.input, {'work': $states.result.Payload}, {'lock': 1}]) %}",
    "{% $sift($states.input, function($v, $k) { $k != 'lock' }) %}",
    "{% {'work': $states.result.Payload} %}",
])
def test_work_output_that_overwrites_the_owner_loses_the_release(family: dict[str, Doc], output: str) -> None:
    _work(family)["Output"] = output
    found = _verify(family)
    release = [f for f in found if f.rule == "LOCK-RELEASE"]
    assert release and "reaches a successful end still holding its slot" in release[0].message


@pytest.mark.parametrize("output", [
    "{% $merge([$states.input, {'work': $states.result.Payload, 'note': 'lock, {x}'}]) %}",
    "{% $sift($states.input, function($v, $k) { $k != 'work' }) %}",
    "{% $states.input %}",
])
def test_work_output_that_keeps_the_owner_verifies(family: dict[str, Doc], output: str) -> None:
    _work(family)["Output"] = output
    assert errors(_verify(family)) == set()


# -- revived_edges: the cleanup skips the release for an owner that runs again


def test_revived_edges_of_the_generated_cleanup(family: dict[str, Doc]) -> None:
    graph = build_graph(family["cleanup"])
    (edge,) = revived_edges(graph, {"{input.lock.owner}"})
    assert (edge.source, edge.kind, edge.index, graph.label(edge.target)) == (
        OWNER_REDRIVEN, EdgeKind.CHOICE, 0, "Success State")
    # the queue head's own RUNNING check is about another execution
    assert edge not in revived_edges(graph, {"{input.successor.owner}"})
    assert revived_edges(graph, {"{input.detail.executionArn}"}) == set()


def _cleanup_rules(f: dict[str, Doc]) -> set[str]:
    return {x.rule for x in _verify(f) if x.document == "cleanup"}


def test_running_check_of_another_execution_is_a_leak(family: dict[str, Doc]) -> None:
    state_at(family["cleanup"], CHECK_OWNER)["Parameters"]["ExecutionArn.$"] = "$.successor.owner"
    assert "LOCK-CLEANUP" in _cleanup_rules(family)


@pytest.mark.parametrize("mutate", [
    # the RUNNING branch tests a field the describe did not write
    lambda s: s["Choices"][0].update(Variable="$.owner.state"),
    # or another status than RUNNING
    lambda s: s["Choices"][0].update(StringEquals="SUCCEEDED"),
], ids=["other field", "other status"])
def test_running_branch_on_another_test_is_a_leak(family: dict[str, Doc], mutate: Any) -> None:
    mutate(state_at(family["cleanup"], OWNER_REDRIVEN))
    assert "LOCK-CLEANUP" in _cleanup_rules(family)


def test_describe_result_placed_elsewhere_is_a_leak(family: dict[str, Doc]) -> None:
    state_at(family["cleanup"], CHECK_OWNER)["ResultPath"] = "$.described"
    assert "LOCK-CLEANUP" in _cleanup_rules(family)


def test_choice_not_directly_after_the_describe_is_a_leak(family: dict[str, Doc]) -> None:
    cleanup = family["cleanup"]
    cleanup["States"]["Pause"] = {"Type": "Pass", "Next": "Owner Redriven?"}
    state_at(cleanup, CHECK_OWNER)["Next"] = "Pause"
    assert "LOCK-CLEANUP" in _cleanup_rules(family)


def test_without_the_recheck_the_cleanup_still_verifies(family: dict[str, Doc]) -> None:
    """Releasing whatever DescribeExecution says is no leak (only a redriven owner loses its slot,
    which LOCK-REDRIVE's guard handles)."""
    state_at(family["cleanup"], OWNER_REDRIVEN)["Choices"][0]["Next"] = "Release Lock"
    assert errors(_verify(family)) == set()


# -- LOCK-REDRIVE


def test_generated_machine_has_no_redrive_finding(family: dict[str, Doc]) -> None:
    assert _redrive(verify(family["machine"])) == []


def test_work_arguments_without_the_guard(family: dict[str, Doc]) -> None:
    _work(family)["Arguments"]["Payload"] = \
        "{% {'Input': $states.input, 'ExecutionId': $states.context.Execution.Id} %}"
    (found,) = _redrive(_verify(family))
    assert (found.pointer, found.severity, found.document) == (WORK, "warning", "")
    assert found.message.startswith("a redrive after the cleanup released this execution's slot restarts "
                                    "'Run Lambda Function With Controlled Concurrency' without a slot (its "
                                    "request does not read the execution's RedriveCount)")
    assert "Semaphore.unless_redriven" in found.message and "Semaphore.hold" in found.message


def test_work_without_a_catch_of_the_query_error(family: dict[str, Doc]) -> None:
    work = _work(family)
    assert work["Catch"][0]["ErrorEquals"] == [QUERY_FAILED]
    del work["Catch"][0]
    # States.ALL still catches the refused Arguments (the execution then fails again: safe)
    assert _redrive(_verify(family)) == []
    work["Catch"][0]["ErrorEquals"] = ["Lambda.Unknown"]
    (found,) = _redrive(_verify(family))
    assert found.pointer == WORK and f"nothing catches {QUERY_FAILED} on the way out of it" in found.message
    del work["Catch"]
    (found,) = _redrive(verify(family["machine"]))
    assert "does not read" not in found.message and "nothing catches" in found.message


def test_guard_in_a_literal_string_is_no_guard(family: dict[str, Doc]) -> None:
    """Only ``{% %}`` expressions are evaluated: the name in plain text guards nothing."""
    _work(family)["Arguments"]["Payload"] = "$states.context.Execution.RedriveCount"
    assert len(_redrive(verify(family["machine"]))) == 1


def _small(work: Doc, *, wrap: str | None = None, catch: list[Doc] | None = None) -> Doc:
    """Acquire -> work (alone, or in a Parallel / Map) -> release -> end; ``catch`` on the container."""
    if wrap is None:
        body = work
    else:
        inner = {"StartAt": "Work", "States": {"Work": {**work, "End": True}}}
        body = {"Type": "Parallel", "Branches": [inner]} if wrap == "Parallel" else \
            {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {
                "ProcessorConfig": {"Mode": wrap, **({"ExecutionType": "STANDARD"} if wrap == "DISTRIBUTED" else {})},
                **inner}}
        if catch:
            body["Catch"] = catch
    return machine({
        "Acquire": acquire(Retry=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                   "MaxAttempts": 100}], Next="Body"),
        "Body": {**body, "Next": "Release"},
        "Release": release(Next="Done"),
        "Done": {"Type": "Succeed"},
    })


def _jsonata_work(payload: str, **extra: Any) -> Doc:
    return {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f", "Payload": payload}, "TimeoutSeconds": 60, **extra}


GUARD = "{% $states.context.Execution.RedriveCount > 0 ? $error('redriven') : $states.input %}"
CATCH_QUERY = [{"ErrorEquals": [QUERY_FAILED], "Next": "Release"}]


def _redrive_pointers(doc: Doc) -> list[str]:
    return [f.pointer for f in _redrive(verify(doc, cleanup=good_cleanup(), rule=RULE))]


def test_guarded_work_alone_and_its_parts() -> None:
    assert _redrive_pointers(_small(_jsonata_work(GUARD, Catch=CATCH_QUERY))) == []
    assert _redrive_pointers(_small(_jsonata_work(GUARD))) == ["/States/Body"]
    assert _redrive_pointers(_small(_jsonata_work("{% $states.input %}", Catch=CATCH_QUERY))) == ["/States/Body"]
    # States.TaskFailed matches every error but the timeouts (see dsl.graph.error_matches)
    task_failed = [{"ErrorEquals": ["States.TaskFailed"], "Next": "Release"}]
    assert _redrive_pointers(_small(_jsonata_work(GUARD, Catch=task_failed))) == []


def test_jsonpath_work_reads_the_count_in_its_parameters() -> None:
    def jsonpath_work(parameters: Doc) -> Doc:
        return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": parameters,
                "TimeoutSeconds": 60, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Release"}]}

    read = jsonpath_work({"FunctionName": "f", "Payload": {"redrive.$": "$$.Execution.RedriveCount"}})
    assert _redrive_pointers(_small(read)) == []
    inside = jsonpath_work({"FunctionName": "f", "Payload.$": "States.Array($$.Execution.RedriveCount, $.x)"})
    assert _redrive_pointers(_small(inside)) == []
    # a plain value (no .$) is not read at run time, and another context field is not the count
    literal = jsonpath_work({"FunctionName": "f", "Payload": {"redrive": "$$.Execution.RedriveCount"}})
    other = jsonpath_work({"FunctionName": "f", "Payload": {"redrive.$": "$$.Execution.RedriveCountX"}})
    assert _redrive_pointers(_small(literal)) == ["/States/Body"]
    assert _redrive_pointers(_small(other)) == ["/States/Body"]


@pytest.mark.parametrize("wrap", ["Parallel", "INLINE"])
def test_the_error_may_be_caught_by_an_enclosing_container(wrap: str) -> None:
    inner = "/States/Body/Branches/0/States/Work" if wrap == "Parallel" else "/States/Body/ItemProcessor/States/Work"
    assert _redrive_pointers(_small(_jsonata_work(GUARD), wrap=wrap, catch=CATCH_QUERY)) == []
    # only the Task is checked: the container itself is not restarted, its failed branch or item is
    assert _redrive_pointers(_small(_jsonata_work(GUARD), wrap=wrap)) == [inner]
    assert _redrive_pointers(_small(_jsonata_work("{% $states.input %}"), wrap=wrap, catch=CATCH_QUERY)) == [inner]


@pytest.mark.parametrize(("mode", "flagged"), [
    ("INLINE", []), ("DISTRIBUTED", ["/States/Items/ItemProcessor/States/Body"])])
def test_a_distributed_map_catch_does_not_see_the_items_error(mode: str, flagged: list[str]) -> None:
    """Each item takes the lock itself; the Map catches the query error. An inline item's error
    is the Map's; a distributed item is a child execution, whose failure the Map sees as another
    error (the tolerated failure threshold), so its work needs a catch of its own."""
    config = {"Mode": mode, **({"ExecutionType": "STANDARD"} if mode == "DISTRIBUTED" else {})}
    item = _small(_jsonata_work(GUARD))
    doc = machine({"Items": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {"ProcessorConfig": config, **item},
                             "Catch": [{"ErrorEquals": [QUERY_FAILED], "Next": "End"}], "Next": "End"},
                   "End": {"Type": "Succeed"}}, start="Items")
    assert _redrive_pointers(doc) == flagged


def test_only_work_tasks_under_the_lock_are_checked() -> None:
    doc = _small(_jsonata_work(GUARD, Catch=CATCH_QUERY))
    states = doc["States"]
    # a Pass and a Wait under the lock, and a Task after the release, are not work under the lock
    states["Body"]["Next"] = "Note"
    states["Note"] = {"Type": "Pass", "Next": "Pause"}
    states["Pause"] = {"Type": "Wait", "Seconds": 1, "Next": "Release"}
    states["Release"]["Next"] = "Notify"
    states["Notify"] = {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "TimeoutSeconds": 5,
                        "Parameters": {"TopicArn": "t", "Message": "done"}, "Next": "Done"}
    assert _redrive_pointers(doc) == []
    # the lock operations themselves are not work: only the unguarded Task is flagged
    assert _redrive_pointers(_small(_jsonata_work("x"))) == ["/States/Body"]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_the_original_sample_is_warned(sample: Sample, request: pytest.FixtureRequest) -> None:
    """The original (skipped when absent) and the counter_lock fixtures that reproduce it."""
    original = sample.load(request, sample.semaphore)
    cleanup = sample.load(request, sample.cleanup)
    (found,) = _redrive(verify(original, cleanup=cleanup))
    assert found.pointer == f"/States/{sample.names['work_box']}/Branches/0/States/{sample.names['work']}"
    assert "does not read" in found.message and "nothing catches" in found.message

