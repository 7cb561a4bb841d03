"""DescribeExecution Tasks: which execution they ask about and where its status lands.

Read by the stop-grace check (a reconciler that releases after learning an owner stopped)
and by the redrive check (a cleanup that leaves an owner found RUNNING again).
"""

from __future__ import annotations

from collections.abc import Mapping

from dsl.graph import Node
from semaphore.verify.binding import steps_of

__all__ = ["described_execution", "status_path"]


def described_execution(node: Node) -> str | None:
    """The ``ExecutionArn.$`` expression of a JSONPath DescribeExecution Task, if any."""
    if not (node.resource or "").endswith(":sfn:describeExecution") or node.query_language != "JSONPath":
        return None
    parameters = node.state.get("Parameters")
    arn = parameters.get("ExecutionArn.$") if isinstance(parameters, Mapping) else None
    return arn if isinstance(arn, str) else None


def status_path(node: Node) -> tuple[str, ...] | None:
    """Where a JSONPath DescribeExecution Task puts the execution's Status in its output."""
    if described_execution(node) is None:
        return None
    result_path = node.state.get("ResultPath", "$")
    place = steps_of(result_path) if result_path is not None else None
    selector = node.state.get("ResultSelector")
    if place is None:
        return None
    if selector is None:
        return (*place, "Status")
    key = next((k[:-2] for k, v in selector.items() if k.endswith(".$") and v == "$.Status"), None) \
        if isinstance(selector, Mapping) else None
    return (*place, key) if key is not None else None
