"""Helpers of the review tests: workflows to draw, summarise and diff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = ("dynamodb-semaphore", "dynamodb-semaphore-cleanfromincomplete", "test-run-semaphore")

# State names that break naive Mermaid/Markdown output: quotes, brackets, the
# entity marker '#', ';', backticks, HTML, pipes, backslashes, keywords, unicode.
TRICKY = [
    'Say "hi" [1] {x} (y)',
    "#tag; `code` <b>bold</b> & |pipe| \\ end",
    "Ünïcödé ✓ 日本語 🚀",
    "end",
    "%% not a comment",
    "subgraph",
    "#quot; literal",
    'Choose: a"b',
    "Done -->",
    "click s0 call alert()",
]


def tricky_document() -> dict[str, Any]:
    """A workflow using every tricky name, with a Parallel of two branches and a Map inside."""
    n = TRICKY
    return {
        "Comment": "tricky *names* <here>",
        "StartAt": n[0],
        "States": {
            n[0]: {"Type": "Pass", "Next": n[1]},
            n[1]: {"Type": "Wait", "Seconds": 1, "Next": n[2]},
            n[2]: {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": n[3], "States": {n[3]: {"Type": "Pass", "Next": n[4]},
                                                 n[4]: {"Type": "Succeed"}}},
                    {"StartAt": n[5], "States": {n[5]: {
                        "Type": "Map", "ItemsPath": "$.items",
                        "ItemProcessor": {"StartAt": n[6], "States": {n[6]: {
                            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "${Fn|`x`}"}, "End": True}}},
                        "End": True}}},
                ],
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["Err;<x>", "States.Timeout"], "Next": n[7]}],
                "Next": n[7],
            },
            n[7]: {
                "Type": "Choice",
                "Choices": [{"Variable": "$.v", "StringEquals": 'a|b"c<d>', "Next": n[9]},
                            {"Not": {"Variable": "$.n", "NumericGreaterThan": 3}, "Next": n[0]}],
                "Default": n[8],
            },
            n[8]: {"Type": "Succeed"},
            n[9]: {"Type": "Fail", "Error": "Bad<Thing>", "Cause": "x"},
        },
    }


def generated(name: str) -> dict[str, Any]:
    """Our generated workflow ``name`` (from generated/)."""
    path = REPO / "generated" / f"{name}.asl.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing; run python -m dsl build")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
