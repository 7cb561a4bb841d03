"""Each ASL field is declared once, on its dataclass field, and compiled generically."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pytest

from dsl import Choice, Fail, Map, Parallel, Pass, Succeed, Task, Var, Wait, Workflow
from dsl.errors import QueryLanguageMismatch
from dsl.states import asl, asl_fields

STATE_TYPES = (Pass, Task, Wait, Choice, Parallel, Map, Succeed, Fail)
# Fields that are not an ASL field of their own: the name is the key, the site is Python's;
# a Map's mode and execution type go inside ItemProcessor.ProcessorConfig.
NOT_ASL = {"name", "site", "mode", "execution_type", "legacy_iterator"}


@pytest.mark.parametrize("cls", STATE_TYPES, ids=lambda c: c.__name__)
def test_every_field_says_how_it_compiles(cls: type[Any]) -> None:
    undeclared = {f.name for f in fields(cls) if "asl" not in f.metadata} - NOT_ASL
    assert undeclared == set()
    names = [spec.name for spec, _ in asl_fields(cls)]
    assert len(names) == len(set(names))


def test_a_new_field_is_one_declaration() -> None:
    @dataclass(eq=False, kw_only=True)
    class Labelled(Task):
        note: str | None = asl("Note", 32)  # between Credentials (31) and InputPath (50)

    Labelled.__name__ = "Task"
    state = Labelled("T", resource="arn:aws:states:::lambda:invoke", note="hi", credentials={"RoleArn": "r"},
                     input_path="$.a")
    doc = Workflow("w", state).to_asl()
    assert list(doc["States"]["T"]) == ["Type", "Resource", "Credentials", "Note", "InputPath", "End"]


def test_the_query_language_of_a_field_comes_from_its_declaration() -> None:
    state = Pass("P", output={"a": 1})  # Output is JSONata only
    with pytest.raises(QueryLanguageMismatch, match="Output is a JSONata field but the state uses JSONPath"):
        Workflow("w", state).to_asl()
    task = Task("T", resource="arn:aws:states:::lambda:invoke", query_language="JSONata", result_path="$.r")
    with pytest.raises(QueryLanguageMismatch, match=r"ResultPath is a JSONPath field .* \(use Output\)"):
        Workflow("w2", task).to_asl()


def test_key_order_of_every_state_type() -> None:
    done = Succeed("Done", output_path="$.x")
    each = Map("M", items_path="$.items", max_concurrency=2, label="L", result_path="$.r").iterate(Pass("I"))
    par = Parallel("Par").branch(Pass("B1"))
    wait = Wait("W", seconds=1, input_path="$")
    fail = Fail("F", error="E", cause="C")
    choice = Choice("C").when(Var("$.ok") == True, done).otherwise(fail)
    doc = Workflow("w", each >> par >> wait >> choice).to_asl()
    states = doc["States"]
    assert list(states["M"]) == ["Type", "ItemProcessor", "ItemsPath", "MaxConcurrency", "Label", "ResultPath",
                                 "Next"]
    assert list(states["Par"]) == ["Type", "Branches", "Next"]
    assert list(states["W"]) == ["Type", "Seconds", "InputPath", "Next"]
    assert list(states["C"]) == ["Type", "Choices", "Default"]
    assert list(states["F"]) == ["Type", "Error", "Cause"]
    assert list(states["Done"]) == ["Type", "OutputPath"]
