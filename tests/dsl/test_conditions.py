"""And/Or/Not take their conditions as arguments; a None comparison points to is_null (issue 23, 14)."""

from __future__ import annotations

from datetime import datetime

import pytest

from dsl import And, DslError, Not, Or, Var


def test_and_or_not_take_conditions_as_arguments() -> None:
    a, b, c = Var("$.a") == 1, Var("$.b") == "x", Var("$.c").is_present()
    assert And(a, b, c).to_asl() == {"And": [a.to_asl(), b.to_asl(), c.to_asl()]}
    assert Or(a, b).to_asl() == {"Or": [a.to_asl(), b.to_asl()]}
    assert Not(a).to_asl() == {"Not": a.to_asl()}
    assert And((a, b)) == And(a, b)  # the one-tuple form still works
    assert (a & b & c) == And(a, b, c) and (a | b) == Or(a, b) and ~a == Not(a) and ~~a == a


@pytest.mark.parametrize("make, words", [
    (lambda: Var("$.x") == None, "is_null()"),
    (lambda: Var("$.x") != None, "is_null(False)"),
    (lambda: Var("$.x") == Var("$.y"), "_path"),
    (lambda: Var("$.x") < True, "booleans"),
    (lambda: Var("$.x") == [1], "list"),
    (lambda: Var("$.x") == datetime(2024, 1, 1), "timezone"),
    (lambda: And(), "at least one"),
    (lambda: And(Var("$.x") == 1, "y"), "got str"),
    (lambda: Not(Var("$.x") == 1, Var("$.y") == 2), "exactly one"),
])
def test_a_wrong_condition_is_a_dsl_error_at_the_authors_line(make: object, words: str) -> None:
    with pytest.raises(DslError) as caught:
        make()  # type: ignore[operator]
    assert words in str(caught.value)
    assert caught.value.site is not None and caught.value.site.file.endswith("test_conditions.py")
