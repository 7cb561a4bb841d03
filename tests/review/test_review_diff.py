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


def _branch(doc: dict[str, Any]) -> dict[str, Any]:
    states: dict[str, Any] = doc["States"]["Get Lock"]["Branches"][0]["States"]
    return states


IN_GET_LOCK = (Enclosing("Get Lock", 1),)


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


def test_changed_limit_and_added_retry(semaphore: dict[str, Any]) -> None:
    new = copy.deepcopy(semaphore)
    _branch(new)["Acquire Lock"]["Parameters"]["ExpressionAttributeValues"][":limit"]["N"] = "3"
    new["States"]["Do Work"]["Branches"][0]["States"]["Run Lambda Function With Controlled Concurrency"]["Retry"] = [
        {"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 4}]
    diff = diff_documents(semaphore, new)
    assert (diff.added, diff.removed, diff.renamed, diff.machine) == ((), (), (), ())
    assert [(c.state.name, c.state.where, c.changes) for c in diff.changed] == [
        ("Acquire Lock", IN_GET_LOCK,
         (FieldChange("field", "Parameters.ExpressionAttributeValues.:limit.N", '"${SF_ConcurrentAccessLimit}"', '"3"'),)),
        ("Run Lambda Function With Controlled Concurrency", (Enclosing("Do Work", 1),),
         (FieldChange("retry", "Retry Lambda.TooManyRequestsException", None, "×4 (every 2s)"),)),
    ]


def test_added_and_removed_states(semaphore: dict[str, Any]) -> None:
    new = copy.deepcopy(semaphore)
    new["States"]["Release Lock"]["Next"] = "Audit"
    new["States"]["Audit"] = {"Type": "Pass", "Next": "Success State"}
    branch = _branch(new)
    del branch["Continue Because Lock Was Already Acquired"]
    branch["Check If Lock Already Acquired"]["Choices"][0]["Next"] = "Wait to Get Lock"
    diff = diff_documents(semaphore, new)
    assert diff.added == (StateRef("Audit", "Pass"),)
    assert diff.removed == (StateRef("Continue Because Lock Was Already Acquired", "Pass", IN_GET_LOCK),)
    changes = {c.state.name: c.changes for c in diff.changed}
    assert changes == {
        "Check If Lock Already Acquired": (
            FieldChange("transition", "Choices[0] Next", "Continue Because Lock Was Already Acquired", "Wait to Get Lock"),),
        "Release Lock": (FieldChange("transition", "Next", "Success State", "Audit"),),
    }


def test_removed_container_lists_its_nested_states(semaphore: dict[str, Any]) -> None:
    new = copy.deepcopy(semaphore)
    del new["States"]["Do Work"]
    new["States"]["Get Lock"]["Next"] = "Release Lock"
    diff = diff_documents(semaphore, new)
    assert [(r.name, r.where) for r in diff.removed] == [
        ("Do Work", ()), *[(n, (Enclosing("Do Work", 1),)) for n in
                           ("Here", "You", "Do", "Work", "Run Lambda Function With Controlled Concurrency")]]


def test_renames_are_found_and_their_transitions_are_not_changes(semaphore: dict[str, Any]) -> None:
    new = copy.deepcopy(semaphore)
    states = new["States"]
    states["Done"] = states.pop("Success State")
    states["Release Lock"]["Next"] = "Done"
    states["Release Lock"]["Catch"][0]["Next"] = "Done"
    branch = _branch(new)
    # A chain: the renamed Wait points at a renamed Acquire, which others point at too.
    branch["Try Lock"] = branch.pop("Acquire Lock")
    branch["Pause"] = branch.pop("Wait to Get Lock")
    branch["Pause"]["Next"] = "Try Lock"
    branch["Initialize Lock Item"]["Next"] = "Try Lock"
    branch["Initialize Lock Item"]["Catch"][0]["Next"] = "Try Lock"
    branch["Check If Lock Already Acquired"]["Default"] = "Pause"
    new["States"]["Get Lock"]["Branches"][0]["StartAt"] = "Try Lock"
    diff = diff_documents(semaphore, new)
    assert (diff.added, diff.removed, diff.changed, diff.machine) == ((), (), (), ())
    assert {(old.name, new.name, new.where) for old, new in diff.renamed} == {
        ("Acquire Lock", "Try Lock", IN_GET_LOCK), ("Wait to Get Lock", "Pause", IN_GET_LOCK),
        ("Success State", "Done", ())}


def test_rename_with_a_changed_target_is_a_rename_and_a_transition_change(semaphore: dict[str, Any]) -> None:
    new = copy.deepcopy(semaphore)
    branch = _branch(new)
    branch["Pause"] = branch.pop("Wait to Get Lock")
    branch["Pause"]["Next"] = "Get Current Lock Record"
    branch["Check If Lock Already Acquired"]["Default"] = "Pause"
    diff = diff_documents(semaphore, new)
    assert [(o.name, n.name) for o, n in diff.renamed] == [("Wait to Get Lock", "Pause")]
    [entry] = diff.changed
    assert (entry.state.name, entry.renamed_from) == ("Pause", "Wait to Get Lock")
    assert entry.changes == (FieldChange("transition", "Next", "Acquire Lock", "Get Current Lock Record"),)


def test_two_equal_candidates_are_not_guessed_as_renames() -> None:
    old = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"},
                                      "C": {"Type": "Succeed"}}}
    new = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}, "X": {"Type": "Succeed"},
                                      "Y": {"Type": "Succeed"}}}
    diff = diff_documents(old, new)
    assert diff.renamed == ()
    assert [r.name for r in diff.added] == ["X", "Y"] and [r.name for r in diff.removed] == ["B", "C"]


def test_retry_and_catch_edits_are_matched_by_their_errors(semaphore: dict[str, Any]) -> None:
    new = copy.deepcopy(semaphore)
    release = new["States"]["Release Lock"]
    release["Retry"] = [release["Retry"][1], release["Retry"][0]]  # order matters: first match wins
    release["Retry"][0]["MaxAttempts"] = 8
    release["Catch"][0]["ResultPath"] = "$.error"
    release["Catch"].append({"ErrorEquals": ["States.ALL"], "Next": "Do Work"})
    [entry] = diff_documents(semaphore, new).changed
    assert entry.changes == (
        FieldChange("retry", "Retry States.ALL › MaxAttempts", "5", "8"),
        FieldChange("retry", "Retry order", "DynamoDB.ConditionalCheckFailedException ; States.ALL",
               "States.ALL ; DynamoDB.ConditionalCheckFailedException"),
        FieldChange("catch", "Catch DynamoDB.ConditionalCheckFailedException › ResultPath", "null", '"$.error"'),
        FieldChange("catch", "Catch States.ALL", None, "→ Do Work"),
    )


def test_choice_condition_and_machine_fields(originals: dict[str, Any]) -> None:
    old = originals["dynamodb-semaphore-cleanfromincomplete"]
    new = copy.deepcopy(old)
    new["TimeoutSeconds"] = 300
    rule = new["States"]["Check If Lock Is Held"]["Choices"][0]
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


def test_list_items_are_compared_one_by_one(originals: dict[str, Any]) -> None:
    old = originals["test-run-semaphore"]
    new = copy.deepcopy(old)
    new["States"]["GenerateDefaultInput"]["Parameters"]["iterations"] = list(range(1, 101))
    [entry] = diff_documents(old, new).changed
    # The original list has 36 twice and 84 twice (37 and 94 missing).
    assert entry.changes == (FieldChange("field", "Parameters.iterations[36]", "36", "37"),
                             FieldChange("field", "Parameters.iterations[93]", "84", "94"))


def test_long_values_that_differ_late_stay_distinguishable(originals: dict[str, Any]) -> None:
    old = originals["test-run-semaphore"]
    new = copy.deepcopy(old)
    new["States"]["GenerateDefaultInput"]["Parameters"]["iterations"].append(101)
    [entry] = diff_documents(old, new).changed
    [change] = entry.changes
    assert change.what == "Parameters.iterations"
    assert change.old is not None and change.new is not None
    assert change.old.startswith("…") and change.old.endswith("99, 100]")
    assert change.new.startswith("…") and change.new.endswith("99, 100, 101]")


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


def test_branch_and_item_processor_changes(originals: dict[str, Any], semaphore: dict[str, Any]) -> None:
    test_run = originals["test-run-semaphore"]
    new = copy.deepcopy(test_run)
    the_map = new["States"]["StartInParallel"]
    the_map["ItemProcessor"] = the_map.pop("Iterator")
    the_map["ItemProcessor"]["ProcessorConfig"] = {"Mode": "INLINE"}
    [entry] = diff_documents(test_run, new).changed
    assert entry.changes == (FieldChange("field", "ItemProcessor", None, "present"),
                             FieldChange("field", "Iterator", "present", None),
                             FieldChange("field", "items › ProcessorConfig", None, '{"Mode": "INLINE"}'))

    new = copy.deepcopy(semaphore)
    branches = new["States"]["Do Work"]["Branches"]
    branches.append({"StartAt": "Extra", "States": {"Extra": {"Type": "Pass", "End": True}}})
    branches[0]["StartAt"] = "You"
    del branches[0]["States"]["Here"]
    diff = diff_documents(semaphore, new)
    assert diff.added == (StateRef("Extra", "Pass", (Enclosing("Do Work", 2),)),)
    assert diff.removed == (StateRef("Here", "Pass", (Enclosing("Do Work", 1),)),)
    [entry] = diff.changed
    assert entry.changes == (FieldChange("transition", "branch 1 StartAt", "Here", "You"),
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
