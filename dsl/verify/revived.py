"""Cleanup branches for an owner that runs again: it was redriven after its status event.

Redrive restarts a FAILED, TIMED_OUT or ABORTED execution with the same ARN. A
cleanup started by the earlier event may then ask ``DescribeExecution`` about the
owner and skip the release when the answer is ``RUNNING``: the execution is alive
and releases its own slot (or fails again, and a new event starts a new cleanup).
Such a branch is not a leak; this module finds it so the cleanup analysis can
leave it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dsl.graph import Edge, EdgeKind, Graph, NodeKind
from dsl.verify.refs import canonical

__all__ = ["revived_edges"]

_DESCRIBE = ("arn:aws:states:::aws-sdk:sfn:describeExecution",)


def _describes(graph: Graph, owners: set[str]) -> Iterable[tuple[str, set[str]]]:
    """(node id, where the status lands) of each describeExecution of one of ``owners``."""
    for node in graph.states():
        state = node.state
        if node.query_language != "JSONPath" or state.get("Resource") not in _DESCRIBE:
            continue
        parameters = state.get("Parameters")
        arn = parameters.get("ExecutionArn.$") if isinstance(parameters, Mapping) else None
        result_path = state.get("ResultPath", "$")
        if not isinstance(arn, str) or not isinstance(result_path, str) or "OutputPath" in state \
                or canonical(arn, input_path=state.get("InputPath")) not in owners:
            continue
        selector = state.get("ResultSelector")
        fields = [key[:-2] for key, value in selector.items() if key.endswith(".$") and value == "$.Status"] \
            if isinstance(selector, Mapping) else ["Status"]
        base = "$" if result_path == "$" else result_path
        yield node.id, {f"{base}.{name}" for name in fields}


def _is_running_rule(rule: Any, paths: set[str]) -> bool:
    return isinstance(rule, Mapping) and rule.get("Variable") in paths and rule.get("StringEquals") == "RUNNING" \
        and set(rule) == {"Variable", "StringEquals", "Next"}


def revived_edges(graph: Graph, owners: Iterable[str]) -> set[Edge]:
    """The branches of the Choice right after a DescribeExecution of one of ``owners``
    (canonical expressions, e.g. ``{input.lock.owner}``) taken when it is RUNNING again."""
    out: set[Edge] = set()
    for describe, paths in _describes(graph, set(owners)):
        for step in graph.out_edges(describe):
            choice = graph.node(step.target)
            if step.kind is not EdgeKind.NEXT or choice.kind is not NodeKind.STATE or choice.type != "Choice" \
                    or choice.query_language != "JSONPath" or "InputPath" in choice.state:
                continue
            rules = choice.state.get("Choices")
            running = {i for i, rule in enumerate(rules) if _is_running_rule(rule, paths)} \
                if isinstance(rules, list) else set()
            out.update(e for e in graph.out_edges(choice.id) if e.kind is EdgeKind.CHOICE and e.index in running)
    return out
