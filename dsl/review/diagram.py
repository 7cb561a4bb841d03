"""What a workflow diagram shows, independent of the drawing language.

Built from :mod:`dsl.graph` (the same model the verifier uses), then written
out by :mod:`dsl.review.mermaid` or :mod:`dsl.review.dot`. Parallel and Map
states become clusters holding their branches; transitions, Choice rules
(labelled with their condition), Default and Catch (labelled with the caught
errors) become edges; Retry policies are listed on their state. Implicit
failure exits, branch joins and retry self-loops are left out: they are facts
about every Task and would bury the workflow's own shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dsl.graph import EdgeKind, Graph, Node, build_graph
from dsl.review.shortform import integration

# Fill and stroke of each box kind, shared by the Mermaid and DOT writers. The
# text colour is fixed so labels stay readable on GitHub's dark theme too.
PALETTE = {
    "task": ("#e8f0fe", "#3b6fd6"),
    "pass": ("#f2f2f2", "#8a8a8a"),
    "wait": ("#f3ecfd", "#7b4fc9"),
    "choice": ("#fff4d6", "#c98a00"),
    "succeed": ("#e3f5e8", "#2e8b57"),
    "fail": ("#fde8e8", "#c0392b"),
    "terminal": ("#ffffff", "#57606a"),
}
TEXT_COLOUR = "#1f2328"
START_ID = "n_start"
END_ID = "n_end"
RETRY_MARK = "↻"
_ERRORS_WIDTH = 48
# Mermaid wraps long labels at spaces; a retry line must not wrap away from its mark.
_NBSP = "\u00a0"


@dataclass(frozen=True)
class Box:
    """One drawn state (or the Start/End marker); ``shape`` is the state's kind."""

    id: str
    lines: tuple[str, ...]
    shape: str


@dataclass(frozen=True)
class Cluster:
    """A Parallel or Map state (or one branch of a Parallel) drawn as a box of boxes.

    ``anchor`` is a box inside, for languages whose edges cannot end at a cluster.
    """

    id: str
    title: str
    items: tuple[Box | Cluster, ...]
    anchor: str
    shape: str


@dataclass(frozen=True)
class Arrow:
    """One drawn transition; ``style`` is ``solid`` or ``dashed`` (a Catch)."""

    source: str
    target: str
    label: str = ""
    style: str = "solid"


@dataclass(frozen=True)
class Diagram:
    """The boxes, clusters and arrows of one workflow, in document order."""

    items: tuple[Box | Cluster, ...]
    arrows: tuple[Arrow, ...]
    anchors: Mapping[str, str]  # cluster id -> the anchor box inside it


# Edge kinds drawn, and how.
_DRAWN = {EdgeKind.NEXT: "solid", EdgeKind.DEFAULT: "solid", EdgeKind.CHOICE: "solid",
          EdgeKind.CATCH: "dashed", EdgeKind.END: "solid"}


def build_diagram(doc: Mapping[str, Any]) -> Diagram:
    """The diagram of one ASL document; raises :class:`dsl.graph.GraphError` if it cannot be followed."""
    graph = build_graph(doc)
    ids = {node.id: f"s{index}" for index, node in enumerate(graph.states())}
    clusters: dict[str, str] = {}
    items: list[Box | Cluster] = [Box(START_ID, ("Start",), "terminal")]
    items += [_item(graph, graph.node(state), ids, clusters) for state in graph.root.states]
    items.append(Box(END_ID, ("End",), "terminal"))
    arrows = [Arrow(START_ID, ids[graph.root.start])]
    for edge in graph.edges:
        style = _DRAWN.get(edge.kind)
        if style is None or edge.source not in ids:
            continue
        if edge.kind is EdgeKind.END:
            if edge.target != graph.root.end:
                continue  # a branch's end: the cluster's own arrow goes on from there
            target = END_ID
        else:
            target = ids[edge.target]
        label = f"catch {edge.label}" if edge.kind is EdgeKind.CATCH else edge.label
        arrows.append(Arrow(ids[edge.source], target, label, style))
    return Diagram(tuple(items), tuple(arrows), clusters)


def _item(graph: Graph, node: Node, ids: Mapping[str, str], clusters: dict[str, str]) -> Box | Cluster:
    box_id = ids[node.id]
    if not node.is_container:
        return Box(box_id, (node.name, *_details(node)), node.type.lower())
    title = " · ".join((node.name, node.type, *_retries(node)))
    scopes = [graph.scopes[child] for child in node.children]
    if len(scopes) == 1:
        inner = tuple(_item(graph, graph.node(s), ids, clusters) for s in scopes[0].states)
        return _cluster(Cluster(box_id, title, inner, _anchor(inner), node.type.lower()), clusters)
    branches = []
    for number, scope in enumerate(scopes, start=1):
        branch_id = f"{box_id}b{number}"
        inner = tuple(_item(graph, graph.node(s), ids, clusters) for s in scope.states)
        branches.append(_cluster(Cluster(branch_id, f"branch {number}", inner, _anchor(inner), "branch"), clusters))
    return _cluster(Cluster(box_id, title, tuple(branches), _anchor(tuple(branches)), node.type.lower()), clusters)


def _cluster(cluster: Cluster, clusters: dict[str, str]) -> Cluster:
    clusters[cluster.id] = cluster.anchor
    return cluster


def _anchor(items: tuple[Box | Cluster, ...]) -> str:
    first = items[0]
    return first.id if isinstance(first, Box) else first.anchor


def _details(node: Node) -> tuple[str, ...]:
    state = node.state
    if node.type == "Task":
        detail = integration(node.resource) or "Task"
    elif node.type == "Wait":
        detail = "Wait " + _wait_text(state)
    elif node.type == "Fail" and isinstance(state.get("Error"), str):
        detail = f"Fail: {state['Error']}"
    elif node.type == "Choice":
        return ()  # the diamond says it
    else:
        detail = node.type
    return (detail, *_retries(node))


def _wait_text(state: Mapping[str, Any]) -> str:
    if "Seconds" in state:
        return f"{state['Seconds']}s"
    if "SecondsPath" in state:
        return f"{state['SecondsPath']} s"
    for key in ("Timestamp", "TimestampPath"):
        if key in state:
            return f"until {state[key]}"
    return ""


def _retries(node: Node) -> tuple[str, ...]:
    # Policies with MaxAttempts 0 say "do not retry these": nothing to draw.
    return tuple(f"{RETRY_MARK}{_NBSP}{_errors_text(policy.errors)}{_NBSP}x{policy.max_attempts}"
                 for policy in node.retry if policy.max_attempts > 0)


def _errors_text(errors: tuple[str, ...]) -> str:
    """The retried errors, kept short enough for a box (the summary table lists them all)."""
    text = ", ".join(errors)
    if len(text) <= _ERRORS_WIDTH or len(errors) < 2:
        return text
    return f"{errors[0]}{_NBSP}+{len(errors) - 1}{_NBSP}more"
