"""The code renderer: long strings split without losing a character, any text quoted safely."""

from __future__ import annotations

import ast

import pytest

from dsl.importer.code import WIDTH, CallExpr, Str, render


@pytest.mark.parametrize(("text", "fits"), [
    (" leading and  double  spaces " * 12, True),
    ("word " * 60, True),
    ("quotes \" and \\ backslashes and\nnewlines and unicode é ✓ " * 5, True),
    ("a lone surrogate \ud800 in a long text " * 6, True),
    ("x" * 300, False),  # no space to split at: one long literal
])
def test_strings_survive_rendering(text: str, fits: bool) -> None:
    lines = render(CallExpr("f", (), (("comment", Str(text)),)), prefix="x = ")
    assert all(len(line) <= WIDTH for line in lines) == fits
    call = ast.parse("\n".join(lines)).body[0].value  # type: ignore[attr-defined]
    assert ast.literal_eval(call.keywords[0].value) == text
