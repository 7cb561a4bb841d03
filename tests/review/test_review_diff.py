"""Semantic diff: added, removed, renamed and changed states; reordering is no change."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from dsl.review.diff import (
    FieldChange,
    SemanticDiff,
    StateRef,
    diff_documents,
    render_diff,
)
from dsl.review.errors import ReviewInputError
from dsl.review.location import Enclosing
from tests.samples import Sample


def _branch(doc: dict[str, Any], n: dict[str, str]) -> dict[str, Any]:
    """The states of the semaphore's lock Parallel (sample state names ``n``)."""
    states: dict[str, Any] = doc["States"][n["lock"]]["Branches"][0]["States"]
    return states


def _in_lock(n: dict[str, str]) -> tuple[Enclosing, ...]:
    return (Enclosing(n["lock"], 1),)


@pytest.fixture
def semaphore(originals: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = originals["dynamodb-semaphore"]
    return doc


def _reordered(value: Any) -> Any:
    """The same JSON value with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {key: _reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(item) for item in value]
    return value


@pytest.mark.parametrize("name", ["dynamodb-semaphore", "dynamodb-semaphore-cleanfromincomplete",
                                  "test-run-semaphore"])
def test_key_order_and_whitespace_are_no_difference(originals: dict[str, Any], name: str) -> None:
    doc = originals[name]
    reparsed = json.loads(json.dumps(_reordered(doc), indent=7, separators=(" ,", " :  ")))
    assert list(reparsed["States"]) != list(doc["States"]) or len(doc["States"]) == 1
    diff = diff_documents(doc, reparsed)
    assert diff.empty and diff == SemanticDiff()
    text = render_diff(diff, old_label="a", new_label="b")
    assert "No semantic differences" in text


def test_changed_limit_and_added_retry(semaphore: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    new = copy.deepcopy(semaphore)
    _branch(new, n)[n["acquire"]]["Parameters"]["ExpressionAttributeValues"][n["limit"]]["N"] = "3"
    new["States"][n["work_box"]]["Branches"][0]["States"][n["work"]]["Retry"] = [
        {"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 4}]
    diff = diff_documents(semaphore, new)
    assert (diff.added, diff.removed, diff.renamed, diff.machine) == ((), (), (), ())
    assert [(c.state.name, c.state.where, c.changes) for c in diff.changed] == [
        (n["acquire"], _in_lock(n),
         (FieldChange("field", f"Parameters.ExpressionAttributeValues.{n['limit']}.N", '"${SF_ConcurrentAccessLimit}"',
                 '"3"'),)),
        (n["work"], (Enclosing(n["work_box"], 1),),
         (FieldChange("retry", "Retry Lambda.TooManyRequestsException", None, "×4 (every 2s)"),)),
    ]


def test_added_and_removed_states(semaphore: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    new = copy.deepcopy(semaphore)
    new["States"][n["release"]]["Next"] = "Audit"
    new["States"]["Audit"] = {"Type": "Pass", "Next": n["end"]}
    branch = _branch(new, n)
    del branch[n["held"]]
    branch[n["check"]]["Choices"][0]["Next"] = n["wait"]
    diff = diff_documents(semaphore, new)
    assert diff.added == (StateRef("Audit", "Pass"),)
    assert diff.removed == (StateRef(n["held"], "Pass", _in_lock(n)),)
    changes = {c.state.name: c.changes for c in diff.changed}
    assert changes == {
        n["check"]: (FieldChange("transition", "Choices[0] Next", n["held"], n["wait"]),),
        n["release"]: (FieldChange("transition", "Next", n["end"], "Audit"),),
    }


def test_removed_container_lists_its_nested_states(semaphore: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    new = copy.deepcopy(semaphore)
    del new["States"][n["work_box"]]
    new["States"][n["lock"]]["Next"] = n["release"]
    diff = diff_documents(semaphore, new)
    nested = list(semaphore["States"][n["work_box"]]["Branches"][0]["States"])  # in document order
    assert nested[0] == n["first_pass"] and nested[-1] == n["work"]
    assert [(r.name, r.where) for r in diff.removed] == [
        (n["work_box"], ()), *[(name, (Enclosing(n["work_box"], 1),)) for name in nested]]


def test_renames_are_found_and_their_transitions_are_not_changes(semaphore: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    new = copy.deepcopy(semaphore)
    states = new["States"]
    states["Done"] = states.pop(n["end"])
    states[n["release"]]["Next"] = "Done"
    states[n["release"]]["Catch"][0]["Next"] = "Done"
    branch = _branch(new, n)
    # A chain: the renamed Wait points at a renamed Acquire, which others point at too.
    branch["Try Lock"] = branch.pop(n["acquire"])
    branch["Pause"] = branch.pop(n["wait"])
    branch["Pause"]["Next"] = "Try Lock"
    branch[n["init"]]["Next"] = "Try Lock"
    branch[n["init"]]["Catch"][0]["Next"] = "Try Lock"
    branch[n["check"]]["Default"] = "Pause"
    new["States"][n["lock"]]["Branches"][0]["StartAt"] = "Try Lock"
    diff = diff_documents(semaphore, new)
    assert (diff.added, diff.removed, diff.changed, diff.machine) == ((), (), (), ())
    assert {(old.name, new.name, new.where) for old, new in diff.renamed} == {
        (n["acquire"], "Try Lock", _in_lock(n)), (n["wait"], "Pause", _in_lock(n)), (n["end"], "Done", ())}


def test_rename_with_a_changed_target_is_a_rename_and_a_transition_change(semaphore: dict[str, Any],
                                                                           sample: Sample) -> None:
    n = sample.names
    new = copy.deepcopy(semaphore)
    branch = _branch(new, n)
    branch["Pause"] = branch.pop(n["wait"])
    branch["Pause"]["Next"] = n["read"]
    branch[n["check"]]["Default"] = "Pause"
    diff = diff_documents(semaphore, new)
    assert [(old.name, renamed.name) for old, renamed in diff.renamed] == [(n["wait"], "Pause")]
    [entry] = diff.changed
    assert (entry.state.name, entry.renamed_from) == ("Pause", n["wait"])
    assert entry.changes == (FieldChange("transition", "Next", n["acquire"], n["read"]),)


def test_two_equal_candidates_are_not_guessed_as_renames() -> None:
    old = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"},
                                      "C": {"Type": "Succeed"}}}
    new = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}, "X": {"Type": "Succeed"},
                                      "Y": {"Type": "Succeed"}}}
    diff = diff_documents(old, new)
    assert diff.renamed == ()
    assert [r.name for r in diff.added] == ["X", "Y"] and [r.name for r in diff.removed] == ["B", "C"]


def test_retry_and_catch_edits_are_matched_by_their_errors(semaphore: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    new = copy.deepcopy(semaphore)
    release = new["States"][n["release"]]
    release["Retry"] = [release["Retry"][1], release["Retry"][0]]  # order matters: first match wins
    release["Retry"][0]["MaxAttempts"] = 8
    release["Catch"][0]["ResultPath"] = "$.error"
    release["Catch"].append({"ErrorEquals": ["States.ALL"], "Next": n["work_box"]})
    [entry] = diff_documents(semaphore, new).changed
    assert entry.changes == (
        FieldChange("retry", "Retry States.ALL › MaxAttempts", str(sample.numbers["release_retries"]), "8"),
        FieldChange("retry", "Retry order", "DynamoDB.ConditionalCheckFailedException ; States.ALL",
               "States.ALL ; DynamoDB.ConditionalCheckFailedException"),
        FieldChange("catch", "Catch DynamoDB.ConditionalCheckFailedException › ResultPath", "null", '"$.error"'),
        FieldChange("catch", "Catch States.ALL", None, f"→ {n['work_box']}"),
    )


def test_choice_condition_and_machine_fields(originals: dict[str, Any], sample: Sample) -> None:
    old = originals["dynamodb-semaphore-cleanfromincomplete"]
    new = copy.deepcopy(old)
    new["TimeoutSeconds"] = 300
    rule = new["States"][sample.names["cleanup_check"]]["Choices"][0]
    rule["And"][1]["StringMatches"] = "*T*"
    diff = diff_documents(old, new)
    assert diff.machine == (FieldChange("field", "TimeoutSeconds", None, "300"),)
    [entry] = diff.changed
    # The short form of this long condition is cut before the pattern, so the changed value is shown.
    assert entry.changes == (FieldChange("choice", "Choices[0].And[1].StringMatches", '"*Z*"', '"*T*"'),)


def test_short_conditions_show_as_conditions() -> None:
    old = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "S"}], "Default": "S"},
        "S": {"Type": "Succeed"}}}
    new = copy.deepcopy(old)
    new["States"]["C"]["Choices"][0]["NumericLessThan"] = 3
    new["States"]["C"]["Choices"].append({"Variable": "$.ok", "IsPresent": False, "Next": "S"})
    [entry] = diff_documents(old, new).changed
    assert entry.changes == (FieldChange("choice", "Choices[0] condition", "$.n < 5", "$.n < 3"),
                             FieldChange("choice", "Choices[1]", None, "not IsPresent($.ok) → S"))


def test_list_items_are_compared_one_by_one(originals: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    old = originals["test-run-semaphore"]
    new = copy.deepcopy(old)
    runs = old["States"][n["run_list"]]["Parameters"][n["runs"]]
    new["States"][n["run_list"]]["Parameters"][n["runs"]] = list(range(1, len(runs) + 1))
    [entry] = diff_documents(old, new).changed
    # Each list has two slips: the seed 36 twice and 84 twice (37 and 94 missing), counter_lock
    # 12 twice and 72 for 27.
    slips = [(index, value) for index, value in enumerate(runs) if value != index + 1]
    assert len(slips) == 2
    assert entry.changes == tuple(FieldChange("field", f"Parameters.{n['runs']}[{index}]", str(value), str(index + 1))
                                  for index, value in slips)


def test_long_values_that_differ_late_stay_distinguishable(originals: dict[str, Any], sample: Sample) -> None:
    n = sample.names
    old = originals["test-run-semaphore"]
    new = copy.deepcopy(old)
    runs = new["States"][n["run_list"]]["Parameters"][n["runs"]]
    last = len(runs)
    runs.append(last + 1)
    [entry] = diff_documents(old, new).changed
    [change] = entry.changes
    assert change.what == f"Parameters.{n['runs']}"
    assert change.old is not None and change.new is not None
    assert change.old.startswith("…") and change.old.endswith(f"{last - 1}, {last}]")
    assert change.new.startswith("…") and change.new.endswith(f"{last - 1}, {last}, {last + 1}]")


def test_markdown_escapes_names_for_tables() -> None:
    old = {"StartAt": "a|b", "States": {"a|b": {"Type": "Succeed"}}}
    new = {"StartAt": "a|b", "States": {"a|b": {"Type": "Succeed", "Comment": "x`y"},
                                        "`odd`": {"Type": "Pass", "End": True},
                                        "p|q": {"Type": "Pass", "End": True}}}
    text = render_diff(diff_documents(old, new), old_label="old.json", new_label="git:HEAD:new.json")
    assert text.startswith("### Semantic diff: `old.json` → `git:HEAD:new.json`\n")
    assert "**2 states added, 1 state changed**" in text
    assert "| `` `odd` `` | Pass | top level |" in text
    assert "| `p\\|q` | Pass | top level |" in text
    assert "**`a|b`** (Succeed, top level)" in text
    assert '| field | `Comment` | — | ``"x`y"`` |' in text
    assert text.endswith("|\n")


def test_not_asl_shaped_input_is_an_error_with_a_pointer() -> None:
    good = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    with pytest.raises(ReviewInputError) as caught:
        diff_documents(good, {"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [{"States": []}]}}})
    assert caught.value.pointer == "/States/A/Branches/0/States"
    with pytest.raises(ReviewInputError, match="expected an object of states"):
        diff_documents({"States": "x"}, good)


def test_branch_and_item_processor_changes(originals: dict[str, Any], semaphore: dict[str, Any],
                                           sample: Sample) -> None:
    n = sample.names
    test_run = originals["test-run-semaphore"]
    new = copy.deepcopy(test_run)
    the_map = new["States"][n["fan_out"]]
    the_map["ItemProcessor"] = the_map.pop("Iterator")
    the_map["ItemProcessor"]["ProcessorConfig"] = {"Mode": "INLINE"}
    [entry] = diff_documents(test_run, new).changed
    assert entry.changes == (FieldChange("field", "ItemProcessor", None, "present"),
                             FieldChange("field", "Iterator", "present", None),
                             FieldChange("field", "items › ProcessorConfig", None, '{"Mode": "INLINE"}'))

    new = copy.deepcopy(semaphore)
    branches = new["States"][n["work_box"]]["Branches"]
    branches.append({"StartAt": "Extra", "States": {"Extra": {"Type": "Pass", "End": True}}})
    second = branches[0]["States"][n["first_pass"]]["Next"]
    branches[0]["StartAt"] = second
    del branches[0]["States"][n["first_pass"]]
    diff = diff_documents(semaphore, new)
    assert diff.added == (StateRef("Extra", "Pass", (Enclosing(n["work_box"], 2),)),)
    assert diff.removed == (StateRef(n["first_pass"], "Pass", (Enclosing(n["work_box"], 1),)),)
    [entry] = diff.changed
    assert entry.changes == (FieldChange("transition", "branch 1 StartAt", n["first_pass"], second),
                             FieldChange("field", "branch 2", None, "present"))


def test_odd_retry_and_catch_values_do_not_break_the_diff() -> None:
    old = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "End": True,
                                            "Retry": [{"ErrorEquals": "States.ALL"}], "Catch": "x"}}}
    new = copy.deepcopy(old)
    new["States"]["T"]["Retry"] = [{"ErrorEquals": ["States.ALL"]}]
    new["States"]["T"]["Catch"] = []
    [entry] = diff_documents(old, new).changed
    assert entry.changes == (FieldChange("retry", "Retry States.ALL", None, "×3"),
                             FieldChange("retry", 'Retry "States.ALL"', "×3", None),
                             FieldChange("catch", "Catch", '"x"', "[]"))
