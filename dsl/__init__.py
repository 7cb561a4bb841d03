"""A Python DSL for AWS Step Functions.

Write workflows as Python objects, compile them to Amazon States Language::

    from dsl import Pass, Succeed, Workflow
    flow = Workflow("hello", Pass("Hello", result={"hi": 1}) >> Succeed("Done"))
    document = flow.to_asl()

``python -m dsl build`` compiles every workflow in ``definitions/``.
"""

from dsl.conditions import And, Compare, Condition, Not, Or, Var
from dsl.errors import DslError
from dsl.paths import Context, P, States, jsonata
from dsl.states import Chain, Choice, Fail, Map, Parallel, Pass, State, Succeed, Task, Wait
from dsl.workflow import DataFile, Workflow

__all__ = [
    "And", "Chain", "Choice", "Compare", "Condition", "Context", "DataFile", "DslError", "Fail",
    "Map", "Not", "Or", "P", "Parallel", "Pass", "State", "States", "Succeed", "Task", "Var",
    "Wait", "Workflow", "jsonata",
]
