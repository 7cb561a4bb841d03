"""A Python DSL for AWS Step Functions.

Write workflows as Python objects, compile them to Amazon States Language::

    from dsl import Pass, Succeed, Workflow
    flow = Workflow("hello", Pass("Hello", result={"hi": 1}) >> Succeed("Done"))
    document = flow.to_asl()

``python -m dsl build`` compiles every workflow in ``definitions/``.

The names below are loaded on first use, so that commands which need none of
them (``build --check`` on an up-to-date tree) start fast.
"""

from __future__ import annotations

import importlib

# Not typing.TYPE_CHECKING: importing typing is a measurable part of a fast start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dsl.conditions import And, Compare, Condition, Not, Or, Var
    from dsl.errors import DslError
    from dsl.paths import Context, P, States, jsonata
    from dsl.states import (
        Chain,
        Choice,
        Fail,
        Map,
        Parallel,
        Pass,
        State,
        Succeed,
        Task,
        Wait,
    )
    from dsl.workflow import DataFile, Workflow

_HOME = {
    "dsl.conditions": ("And", "Compare", "Condition", "Not", "Or", "Var"),
    "dsl.errors": ("DslError",),
    "dsl.paths": ("Context", "P", "States", "jsonata"),
    "dsl.states": ("Chain", "Choice", "Fail", "Map", "Parallel", "Pass", "State", "Succeed",
                   "Task", "Wait"),
    "dsl.workflow": ("DataFile", "Workflow"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

__all__ = [
    "And", "Chain", "Choice", "Compare", "Condition", "Context", "DataFile", "DslError", "Fail",
    "Map", "Not", "Or", "P", "Parallel", "Pass", "State", "States", "Succeed", "Task", "Var",
    "Wait", "Workflow", "jsonata",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'dsl' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
