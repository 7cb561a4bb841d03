"""Every rule fails on a definition with the mistake and passes once it is fixed."""

from __future__ import annotations

import pytest
from validate_cases import PLACEHOLDER_CASE, RULE_CASES

from dsl.validate import RULES, is_valid, validate

CASES = [pytest.param(rule, bad, good, where, id=f"{rule}-{index}")
         for rule, cases in RULE_CASES.items() for index, (bad, good, where) in enumerate(cases)]


def test_every_rule_has_cases() -> None:
    assert set(RULE_CASES) | {"ASL-PLACEHOLDER-001"} == set(RULES)


@pytest.mark.parametrize(("rule", "bad", "good", "where"), CASES)
def test_rule_fails_then_passes(rule: str, bad: dict, good: dict, where: str) -> None:
    found = validate(bad)
    assert (where, rule) in {(item.pointer, item.rule) for item in found}, [item.line("bad") for item in found]
    assert validate(good) == []


@pytest.mark.parametrize(("rule", "bad", "good", "where"), CASES)
def test_messages_are_one_clear_line(rule: str, bad: dict, good: dict, where: str) -> None:
    for item in validate(bad):
        assert "\n" not in item.message and 10 < len(item.message) < 300, item.message
        assert not item.message.startswith(("{", "[")), item.message


def test_placeholders_accepted_unless_strict() -> None:
    document, where = PLACEHOLDER_CASE
    assert validate(document) == []
    strict = validate(document, strict=True)
    assert [(item.pointer, item.rule) for item in strict] == [(where, "ASL-PLACEHOLDER-001")]
    assert "${SF_LambdaARN}" in strict[0].message


def test_placeholder_in_a_numeric_field_is_refused_with_a_reason() -> None:
    document = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${SF_LambdaARN}",
                                                 "TimeoutSeconds": "${Timeout}", "End": True}}}
    found = validate(document)
    assert [(item.pointer, item.rule) for item in found] == [("/States/A/TimeoutSeconds", "SCHEMA")]
    assert "still a string after substitution" in found[0].message


def test_placeholder_resource_needs_a_real_arn_in_strict_mode() -> None:
    document = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${SF_LambdaARN}", "End": True}}}
    assert validate(document) == []
    assert {item.rule for item in validate(document, strict=True)} == {"ASL-PLACEHOLDER-001"}


def test_unknown_states_error_is_only_a_warning() -> None:
    bad, _, _ = RULE_CASES["ASL-ERR-002"][0]
    found = validate(bad)
    assert [item.severity for item in found] == ["warning"]
    assert is_valid(found)
    assert not is_valid(validate(RULE_CASES["ASL-ERR-001"][0][0]))


def test_a_transition_out_of_a_branch_names_both_scopes() -> None:
    bad = RULE_CASES["ASL-REF-002"][1][0]
    message = next(item.message for item in validate(bad) if item.rule == "ASL-REF-002")
    assert "the top level" in message and 'branch 1 (Branches[0], starting at' in message


def test_a_transition_between_branches_says_which_branches() -> None:
    branch = lambda name, nxt: {"StartAt": name, "States": {name: {"Type": "Pass", **nxt}}}
    document = {"StartAt": "Fan Out", "States": {"Fan Out": {"Type": "Parallel", "End": True, "Branches": [
        branch("A", {"Next": "B"}), branch("B", {"End": True})]}}}
    message = next(item.message for item in validate(document) if item.rule == "ASL-REF-002")
    assert ('is in branch 2 (Branches[1], starting at "B") of state "Fan Out", not in branch 1 '
            '(Branches[0], starting at "A") of state "Fan Out"') in message


def test_findings_are_sorted_and_unique() -> None:
    bad = RULE_CASES["ASL-REF-003"][0][0]
    found = validate(bad)
    assert found == sorted(set(found))


def test_validate_refuses_a_non_object() -> None:
    with pytest.raises(TypeError):
        validate([])  # type: ignore[arg-type]
