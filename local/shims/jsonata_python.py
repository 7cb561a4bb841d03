"""JSONata (`"QueryLanguage": "JSONata"`, `{% ... %}` expressions).

AWS: evaluates JSONata 2.0 expressions.
moto 5.2.5: evaluates them through a JVM bridge it never initialises; every expression
fails with `'NoneType' object is not callable` (a `States.Runtime` error).
Shim: evaluate with `jsonata-python` (pure Python JSONata). An evaluation error keeps
moto's `JSONataException`; :mod:`local.shims.jsonata_errors` then names it
`States.QueryEvaluationError`, as AWS does.
"""

from __future__ import annotations

from typing import Any

from jsonata.jsonata import Jsonata  # type: ignore[import-untyped]
from moto.stepfunctions.parser.asl.jsonata import jsonata as moto_jsonata

from local.shims._patch import Undo, replace_function


def evaluate(expression: str) -> Any:
    """Evaluate one JSONata ``expression`` (moto has already inlined every binding)."""
    try:
        return Jsonata(expression).evaluate(None)
    except Exception as error:  # jsonata-python raises its own and Python's errors alike
        raise moto_jsonata.JSONataException("UNKNOWN", str(error)) from error


def install() -> Undo:
    """Back moto's JSONata evaluation with jsonata-python."""
    return replace_function(moto_jsonata.eval_jsonata_expression, evaluate, package="moto.stepfunctions.parser")
