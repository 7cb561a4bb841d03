"""The JSONPath scanner, the intrinsic function parser and the timestamp check."""

from __future__ import annotations

import pytest

from dsl import jsonpath
from dsl.jsonpath import ANY_PATH, REFERENCE, RESULT_PATH
from dsl.validate import intrinsics, timestamps


@pytest.mark.parametrize("path", [
    "$", "$.a", "$.a.b[0]", "$['a b'].c", '$["x"]', "$..name", "$.items[*].id", "$.a[1:3]", "$.a[-1:]",
    "$.a[0,2]", "$.a[?(@.price < 10)]", "$.a[?(@.tag == 'x)y')]", "$$.Execution.Id", "$myVar.field",
    "$.detail-type", "$.a.length()", "$..[0]", "$.a[(@.length-1)]",
])
def test_valid_paths(path: str) -> None:
    assert jsonpath.problem(path, ANY_PATH) is None


@pytest.mark.parametrize(("path", "reason"), [
    ("a.b", "must start with $"),
    ("$.", "missing member name"),
    ("$.a[", "unclosed '['"),
    ("$.a[0", "unclosed '['"),
    ("$.a['b]", "unclosed quote"),
    ("$.a b", "whitespace in a member name"),
    ("$.a[?(@.b]", "unbalanced"),
    ("$.a[x y]", "invalid selector"),
    ("$.a[]", "invalid selector"),
    ("$#", "unexpected '#'"),
    ("$.a)", "unexpected ')'"),
])
def test_invalid_paths(path: str, reason: str) -> None:
    problem = jsonpath.problem(path, ANY_PATH)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(("path", "kind", "ok"), [
    ("$.a.b[3]['c d']", REFERENCE, True),
    ("$$.Map.Item.Value", REFERENCE, True),
    ("$var.x", REFERENCE, True),
    ("$.a[*]", REFERENCE, False),
    ("$..a", REFERENCE, False),
    ("$.a[0,1]", REFERENCE, False),
    ("$.a[-1]", REFERENCE, False),
    ("$.a.*", REFERENCE, False),
    ("$.result", RESULT_PATH, True),
    ("$$.Execution", RESULT_PATH, False),
    ("$var.x", RESULT_PATH, False),
])
def test_reference_paths(path: str, kind: jsonpath.PathKind, ok: bool) -> None:
    assert (jsonpath.problem(path, kind) is None) == ok


def test_long_paths_are_linear_and_safe() -> None:
    assert jsonpath.problem("$" + ".a" * 50_000, REFERENCE) is None
    assert jsonpath.problem("$" + "[" * 50_000, ANY_PATH) is not None


@pytest.mark.parametrize("call", [
    "States.Format('Hello {}', $.name)",
    "States.Format('a\\{b\\}c \\' \\\\ {}', $$.Execution.Id)",
    "States.Array()",
    "States.Array($.a, 'b', 3, -4.5, true, false, null, States.UUID())",
    "States.MathRandom($.a, $.b, 7)",
    "States.ArrayGetItem(States.StringSplit($.csv, ','), 0)",
    " States.UUID( ) ",
    "States.JsonToString($.a[?(@.x, 1)])",
])
def test_valid_intrinsics(call: str) -> None:
    assert intrinsics.problems(call) == []


@pytest.mark.parametrize(("call", "rule", "text"), [
    ("States.Format('a'", "ASL-FN-001", "expected ',' or ')'"),
    ("States.Format('a)", "ASL-FN-001", "unclosed string literal"),
    ("States.Format('\\n')", "ASL-FN-001", "invalid escape"),
    ("States.Format('a') x", "ASL-FN-001", "unexpected text after"),
    ("States.Format(,)", "ASL-FN-001", "expected an argument"),
    ("States.Array($.a[)", "ASL-FN-001", "expected ',' or ')'"),
    ("States.Format", "ASL-FN-001", "expected '('"),
    ("States.JsonToString($.a b)", "ASL-FN-001", "argument 1 of States.JsonToString"),
    ("States.Unknown()", "ASL-FN-002", "unknown intrinsic function States.Unknown"),
    ("States.ArrayLenght($.a)", "ASL-FN-002", "did you mean States.ArrayLength?"),
    ("States.Array(States.Nope())", "ASL-FN-002", "States.Nope"),
    ("States.StringToJson()", "ASL-FN-003", "takes 1 argument; got 0"),
    ("States.MathRandom(1)", "ASL-FN-003", "takes 2 to 3 arguments"),
    ("States.Format()", "ASL-FN-003", "takes at least 1 argument"),
    ("States.Format('{}')", "ASL-FN-004", "1 '{}' placeholder but 0 values follow"),
    ("States.Format('\\{}', $.a)", "ASL-FN-004", "0 '{}' placeholders but 1 value follows"),
    ("States.Hash($.a, 'SHA-999')", "ASL-FN-004", "States.Hash algorithm must be one of"),
    ("States.JsonMerge($.a, $.b, true)", "ASL-FN-004", "shallow merge"),
    ("States.ArrayRange(1, 5000, 1)", "ASL-FN-004", "more than 1000 items"),
    ("States.ArrayRange(1, 5, 0)", "ASL-FN-004", "step must not be 0"),
])
def test_invalid_intrinsics(call: str, rule: str, text: str) -> None:
    found = intrinsics.problems(call)
    assert any(found_rule.id == rule and text in message for found_rule, message in found), found


def test_deeply_nested_intrinsics_do_not_recurse() -> None:
    call = "States.Array(" * 5000 + ")" * 5000
    assert intrinsics.problems(call) == []


@pytest.mark.parametrize(("stamp", "ok"), [
    ("2016-03-14T01:59:00Z", True),
    ("2016-03-14T01:59:00.123456Z", True),
    ("2016-03-14T01:59:00+05:30", True),
    ("2016-12-31T23:59:60Z", True),
    ("2024-02-29T00:00:00Z", True),
    ("2023-02-29T00:00:00Z", False),
    ("2016-03-14t01:59:00z", False),
    ("2016-03-14 01:59:00Z", False),
    ("2016-03-14T01:59:00", False),
    ("2016-13-01T00:00:00Z", False),
    ("2016-01-01T24:00:00Z", False),
    ("2016-01-01T00:00:00+24:00", False),
    ("0000-01-01T00:00:00Z", False),
    ("yesterday", False),
])
def test_timestamps(stamp: str, ok: bool) -> None:
    assert (timestamps.problem(stamp) is None) == ok
