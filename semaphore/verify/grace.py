"""LOCK-WORK-BOUND in the cleanup: a stopped execution's work is waited out before its slot goes.

StopExecution and an execution timeout end the execution, not the work its
Task started (a Lambda invocation runs on). The slot of an ABORTED or
TIMED_OUT execution is therefore only free once its longest work Task's
TimeoutSeconds has passed. A cleanup run for such an event must pass Wait
states adding up to at least that long on every path to a release: the
shortest such path (Dijkstra over Wait seconds; a Wait whose duration is read
at run time counts as 0) is checked for each of the two statuses. A
scheduled reconciler that releases after DescribeExecution reports such a
status is held to the same bound.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping
from typing import Any

from dsl.graph import Edge, EdgeKind, Graph, Node, path_text
from semaphore.verify.analysis import Analysis
from semaphore.verify.binding import steps_of
from semaphore.verify.checks import work_under_lock
from semaphore.verify.describe import described_execution, status_path
from semaphore.verify.events import untaken, untaken_from
from semaphore.verify.lockops import RELEASING, LockOp
from semaphore.verify.rules import VerifyFinding, finding

__all__ = ["grace_findings", "sweep_findings"]

_STOPPED = ("ABORTED", "TIMED_OUT")


def _wait_seconds(node: Node) -> int:
    seconds = node.state.get("Seconds") if node.type == "Wait" else None
    return seconds if isinstance(seconds, int) and not isinstance(seconds, bool) else 0


def _shortest_wait(graph: Graph, start: str, targets: Collection[str],
                   blocked: Collection[Edge]) -> tuple[int, list[Edge]] | None:
    """The least total Wait time from ``start`` to one of ``targets``, and that path."""
    best = {start: 0}
    came: dict[str, Edge] = {}
    heap = [(0, start)]
    while heap:
        waited, node_id = heapq.heappop(heap)
        if waited > best.get(node_id, waited):
            continue
        if node_id in targets:
            path: list[Edge] = []
            while node_id in came:
                path.append(came[node_id])
                node_id = came[node_id].source
            return waited, path[::-1]
        node = graph.node(node_id)
        for edge in graph.out_edges(node_id):
            if edge.kind in (EdgeKind.RETRY, EdgeKind.FAIL) or edge in blocked:
                continue
            total = waited + (_wait_seconds(node) if edge.kind is EdgeKind.NEXT else 0)
            if total < best.get(edge.target, total + 1):
                best[edge.target] = total
                came[edge.target] = edge
                heapq.heappush(heap, (total, edge.target))
    return None


def _longest_work(machine: Analysis) -> tuple[Node, int] | None:
    """The work Task under the lock with the largest TimeoutSeconds (None when there is no
    work, or some is unbounded: the machine's own LOCK-WORK-BOUND finding says so)."""
    work = work_under_lock(machine)
    bounds = [n.timeout_seconds for n in work]
    if not work or not all(isinstance(b, int) for b in bounds):
        return None
    longest = max(work, key=lambda n: n.timeout_seconds if isinstance(n.timeout_seconds, int) else 0)
    assert isinstance(longest.timeout_seconds, int)
    return longest, longest.timeout_seconds


def _too_soon(machine: Analysis, longest: Node, bound: int, status: str, waited: int, path: list[Edge],
              graph: Graph, start: str, document: str, who: str) -> VerifyFinding:
    target = path[-1].target if path else start
    return finding(
        "LOCK-WORK-BOUND", target,
        f"for an execution that ended {status}, {who} can release after waiting {waited} s, but work state "
        f"{machine.graph.label(longest.id)!r} may still run for up to its TimeoutSeconds {bound} s (a stop "
        "does not end it): the slot is handed on while the work runs", document=document,
        witness=path_text(graph, path) if path else graph.label(target))


def grace_findings(machine: Analysis, cleanup: Analysis) -> list[VerifyFinding]:
    """The cleanup's releases reachable, for a stopped or timed-out execution, sooner than the
    machine's longest work Task can still run."""
    longest = _longest_work(machine)
    if longest is None:
        return []
    graph = cleanup.graph
    releases = {node for node, op in cleanup.ops.items() if op.kind in RELEASING}
    out: list[VerifyFinding] = []
    for status in _STOPPED:
        found = _shortest_wait(graph, graph.root.start, releases, untaken(graph, status))
        if found is not None and found[0] < longest[1]:
            out.append(_too_soon(machine, *longest, status, *found, graph, graph.root.start, "cleanup",
                                 "the cleanup"))
    return out


def sweep_findings(machine: Analysis, graph: Graph, releases: Collection[str],
                   transfers: Collection[LockOp] = ()) -> list[VerifyFinding]:
    """The same for a scheduled sweep (a reconciler): after it learns from DescribeExecution that
    an owner's execution was ABORTED or TIMED_OUT, it must wait out the work before releasing.

    An execution taken from the head of the queue by one of ``transfers`` (a hand-off whose
    wake-up failed) is exempt: it was queued until that write, and a queued execution has no
    work running.
    """
    longest = _longest_work(machine)
    if longest is None:
        return []
    heads = _queue_heads(graph, transfers)
    out: dict[str, VerifyFinding] = {}  # one per status
    for node in graph.states():
        status_at = status_path(node)
        following = [e.target for e in graph.out_edges(node.id) if e.kind is EdgeKind.NEXT]
        arn = described_execution(node)
        if status_at is None or not following or ("InputPath" not in node.state and steps_of(arn) in heads):
            continue
        for status in _STOPPED:
            if status in out:
                continue
            doc: Any = status
            for step in reversed(status_at):
                doc = {step: doc}
            found = _shortest_wait(graph, following[0], releases, untaken_from(graph, following[0], doc))
            if found is not None and found[0] < longest[1]:
                out[status] = _too_soon(machine, *longest, status, *found, graph, following[0], "reconciler",
                                        "the reconciler")
    return list(out.values())


def _queue_heads(graph: Graph, transfers: Collection[LockOp]) -> set[tuple[str, ...]]:
    """Where hand-offs put the execution they popped from the queue's head (e.g. ``$.successor.owner``
    from ``ResultSelector {"owner.$": "$.Attributes.lockwaiters.L[0].S"}``)."""
    heads: set[tuple[str, ...]] = set()
    for op in transfers:
        state = graph.node(op.node).state
        place = steps_of(state.get("ResultPath", "$"))
        selector = state.get("ResultSelector")
        if place is None or not isinstance(selector, Mapping):
            continue
        queues = {str(queue) for queue in op.queue}
        for key, value in selector.items():
            if key.endswith(".$") and isinstance(value, str) \
                    and any(value.startswith(f"$.Attributes.{queue}.L[0]") for queue in queues):
                heads.add((*place, key[:-2]))
    return heads
