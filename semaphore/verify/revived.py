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
from semaphore.verify.describe import described_execution, status_path
from semaphore.verify.refs import canonical

__all__ = ["revived_edges"]

def _describes(graph: Graph, owners: set[str]) -> Iterable[tuple[str, set[str]]]:
    """(node id, where the status lands) of each DescribeExecution of one of ``owners``."""
    for node in graph.states():
        arn, place = described_execution(node), status_path(node)
        if arn is not None and place is not None and "OutputPath" not in node.state \
                and canonical(arn, input_path=node.state.get("InputPath")) in owners:
            yield node.id, {".".join(("$", *place))}


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
