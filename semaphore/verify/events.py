"""Which transitions a cleanup run started by a status-change event can take.

A cleanup may first look at its event: a Choice on ``$.detail.status`` (wait
for a stopped execution's work to end), or a mode switch when the same
workflow also runs on a schedule. Starting from the event as input, the
deterministic head of the workflow (Pass, Wait and Choice states whose data
can be followed) is run for each status; the Choice branches it does not take
are impossible for that status. Where the data cannot be followed the run
stops, and everything after is possible.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from dsl.graph import Edge, EdgeKind, Graph, NodeKind
from semaphore.verify.binding import steps_of
from semaphore.verify.ownership import PathMissing, Undecided, choice_taken, select

__all__ = ["STATUSES", "event_input", "not_for_events", "untaken", "untaken_from"]

STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
_MAX_STEPS = 64


def event_input(status: str) -> dict[str, Any]:
    """A status-change event as the cleanup receives it (its whole input)."""
    arn = "arn:aws:states:us-east-1:111122223333:execution:machine:run-1"
    return {"version": "0", "id": "event-1", "detail-type": "Step Functions Execution Status Change",
            "source": "aws.states", "account": "111122223333", "time": "2024-01-01T00:00:00Z",
            "region": "us-east-1", "resources": [arn],
            "detail": {"executionArn": arn, "stateMachineArn": "arn:aws:states:us-east-1:111122223333:"
                       "stateMachine:machine", "name": "run-1", "status": status, "startDate": 1704067200000,
                       "stopDate": 1704067260000, "input": "{}", "output": None}}


def _pass_output(state: Mapping[str, Any], doc: Any) -> Any:
    """A JSONPath Pass state's output, or raise Undecided."""
    if state.get("InputPath", "$") != "$" or state.get("OutputPath", "$") != "$":
        raise Undecided
    if "Parameters" in state:
        result = select(state["Parameters"], doc)
    elif "Result" in state:
        result = copy.deepcopy(state["Result"])
    else:
        result = doc
    if "ResultPath" in state and state["ResultPath"] is None:
        return doc
    steps = steps_of(state.get("ResultPath", "$"))
    if steps is None:
        raise Undecided
    if not steps:
        return result
    out = copy.deepcopy(doc)
    holder = out
    for step in steps[:-1]:
        if not isinstance(holder, dict):
            raise Undecided
        holder = holder.setdefault(step, {})
    if not isinstance(holder, dict):
        raise Undecided
    holder[steps[-1]] = result
    return out


def untaken(graph: Graph, status: str) -> set[Edge]:
    """The Choice branches a run started by an event with ``status`` never takes."""
    return untaken_from(graph, graph.root.start, event_input(status))


def untaken_from(graph: Graph, start: str, doc: Any) -> set[Edge]:
    """The Choice branches never taken by a run entering ``start`` with input ``doc``."""
    out: set[Edge] = set()
    node = graph.node(start)
    for _ in range(_MAX_STEPS):
        if node.kind is not NodeKind.STATE or node.query_language != "JSONPath":
            break
        edges = graph.out_edges(node.id)
        try:
            if node.type == "Choice":
                if "InputPath" in node.state or "OutputPath" in node.state:
                    break
                index = choice_taken(node, doc)
                taken = [e for e in edges if (e.kind is EdgeKind.CHOICE and e.index == index)
                         or (e.kind is EdgeKind.DEFAULT and index == -1)]
                out.update(e for e in edges if e.kind in (EdgeKind.CHOICE, EdgeKind.DEFAULT) and e not in taken)
            elif node.type == "Pass":
                doc = _pass_output(node.state, doc)
                taken = [e for e in edges if e.kind is EdgeKind.NEXT]
            elif node.type == "Wait" and "InputPath" not in node.state and "OutputPath" not in node.state:
                taken = [e for e in edges if e.kind is EdgeKind.NEXT]
            else:
                break
        except (Undecided, PathMissing):
            break
        if len(taken) != 1:
            break
        node = graph.node(taken[0].target)
    return out


def not_for_events(graph: Graph) -> set[Edge]:
    """The transitions no event-started run takes, whatever the status (a cleanup that also
    runs on a schedule switches on its input; event runs never take the other mode's branches)."""
    per_status = [untaken(graph, status) for status in STATUSES]
    return set.intersection(*per_status)
