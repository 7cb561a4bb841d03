"""DynamoDB expression parsing (semaphore.verify.expressions)."""

from __future__ import annotations

import pytest

from semaphore.verify.expressions import (
    Arith,
    Cmp,
    ExpressionError,
    Func,
    Part,
    Path,
    ValueRef,
    parse_condition,
    parse_paths,
    parse_update,
    resolvers,
)

NAMES = {"#c": Part("currentlockcount"), "#o": Part("{context.Execution.Id}", True), "#h": Part("holders")}
VALUES = {":one": ValueRef(":one", "N", "1", False), ":limit": ValueRef(":limit", "N", "5", False),
          ":zero": ValueRef(":zero", "N", "0", False), ":t": ValueRef(":t", "S", "{context.State.EnteredTime}", True)}
NAME, VALUE = resolvers(NAMES, VALUES)
COUNT = Path((Part("currentlockcount"),))
OWNER = Path((Part("{context.Execution.Id}", True),))


def test_update_clauses_are_split_and_resolved() -> None:
    update = parse_update("SET #c = if_not_exists(#c, :zero) + :one, #h.#o = :t REMOVE #o, other[2] "
                          "add #c :one delete s :one", NAME, VALUE)
    (counter, counter_value), (holder, holder_value) = update.set
    assert counter == COUNT
    assert isinstance(counter_value, Arith) and counter_value.op == "+"
    assert counter_value.left == Func("if_not_exists", (COUNT, VALUES[":zero"]))
    assert str(holder) == "holders.{context.Execution.Id}" and holder.dynamic and holder_value == VALUES[":t"]
    assert update.remove == (OWNER, Path((Part("other"), Part("[2]"))))
    assert update.add == ((COUNT, VALUES[":one"]),)
    assert update.delete == ((Path((Part("s"),)), VALUES[":one"]),)


def test_conditions_are_in_disjunctive_normal_form() -> None:
    dnf = parse_condition("(attribute_not_exists(#c) OR #c < :limit) AND attribute_not_exists(#o)", NAME, VALUE)
    assert sorted(len(c) for c in dnf) == [2, 2]
    assert all(Func("attribute_not_exists", (OWNER,)) in c for c in dnf)
    assert any(Cmp("<", COUNT, VALUES[":limit"]) in c for c in dnf)


def test_not_is_pushed_down_onto_comparisons_and_functions() -> None:
    dnf = parse_condition("NOT (attribute_exists(#o) OR #c >= :limit)", NAME, VALUE)
    assert dnf == [frozenset({Func("attribute_not_exists", (OWNER,)), Cmp("<", COUNT, VALUES[":limit"])})]


def test_between_and_in() -> None:
    (between,) = parse_condition("#c BETWEEN :zero AND :limit", NAME, VALUE)
    assert between == frozenset({Cmp(">=", COUNT, VALUES[":zero"]), Cmp("<=", COUNT, VALUES[":limit"])})
    assert len(parse_condition("#c IN (:zero, :one)", NAME, VALUE)) == 2


def test_projection_paths() -> None:
    assert parse_paths("#o, #h.#o", NAME) == (OWNER, Path((Part("holders"), Part("{context.Execution.Id}", True))))


@pytest.mark.parametrize(("text", "words"), [
    ("SET #x = :one", "#x is not defined in ExpressionAttributeNames"),
    ("SET #c = :nope", ":nope is not defined in ExpressionAttributeValues"),
    ("SET #c = :one ;", "unexpected character ';'"),
    ("FROB #c", "expected SET, REMOVE, ADD or DELETE"),
    ("", "UpdateExpression is empty"),
])
def test_update_errors_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_update(text, NAME, VALUE)
    assert words in caught.value.message


def test_condition_errors_and_limits() -> None:
    with pytest.raises(ExpressionError, match="expected a comparison"):
        parse_condition("#c", NAME, VALUE)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_condition("(" * 200 + "#c < :one" + ")" * 200, NAME, VALUE)
    with pytest.raises(ExpressionError, match="too many alternatives"):
        parse_condition(" AND ".join(["(#c = :one OR #c = :zero)"] * 10), NAME, VALUE)
