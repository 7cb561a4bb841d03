"""The rules about one document on its own: operation shapes and paths."""

from __future__ import annotations

from dsl.graph import Graph, Node
from semaphore.verify.analysis import Analysis
from semaphore.verify.conditions import (
    init_guarded,
    limit_problem,
    requires_absent,
    requires_holding,
    requires_present,
    transfer_bounded,
)
from semaphore.verify.flow import FREE, HELD, MAYBE, PENDING
from semaphore.verify.lockops import LockOp, OpKind, Recognition
from semaphore.verify.rules import VerifyFinding, finding

__all__ = ["path_findings", "shape_findings", "work_under_lock"]


def _retried_after_commit(node: Node) -> bool:
    """Whether a Retrier re-runs the state after an error that can follow a committed write."""
    return any(p.max_attempts > 0 and not all(e.endswith("ConditionalCheckFailedException") for e in p.errors)
               for p in node.retry)


def shape_findings(graph: Graph, recognition: Recognition, document: str = "") -> list[VerifyFinding]:
    """Rules each lock operation must satisfy wherever it is."""
    out: list[VerifyFinding] = []
    for problem in recognition.problems:
        out.append(finding("LOCK-EXPR", problem.pointer,
                           f"cannot read this DynamoDB call ({problem.message}); a lock operation here would "
                           "go unverified", document=document))
    for op in recognition.ops.values():
        out.extend(_shape(graph, op, document))
    return out


def _shape(graph: Graph, op: LockOp, document: str) -> list[VerifyFinding]:
    name = graph.label(op.node)
    out: list[VerifyFinding] = []
    if op.kind is OpKind.ACQUIRE:
        problem = limit_problem(op)
        if problem:
            out.append(finding("LOCK-LIMIT", op.limit_pointer, f"acquire {name!r}: {problem}", document=document))
        if not requires_absent(op) and _retried_after_commit(graph.node(op.node)):
            out.append(finding(
                "LOCK-DOUBLE", op.guard_pointer or op.node,
                f"acquire {name!r} is retried after errors that can follow a committed write, and its condition "
                f"does not require attribute_not_exists of the owner's slot: a retry takes a second slot",
                document=document))
    elif op.kind is OpKind.ENQUEUE and not requires_absent(op):
        out.append(finding(
            "LOCK-DOUBLE", op.guard_pointer or op.node,
            f"{name!r} queues owner {op.owner} without requiring attribute_not_exists of its entry: a retry or a "
            "second park queues it twice, and each hand-off to it takes a slot", document=document))
    elif op.kind in (OpKind.RELEASE, OpKind.TRANSFER):
        if not requires_present(op):
            out.append(finding(
                "LOCK-UNDERFLOW", op.guard_pointer or op.node,
                f"release {name!r} gives up a slot without requiring the owner's slot to exist "
                f"(add attribute_exists({op.owner_path or 'the slot'}) to its ConditionExpression): after a "
                "cleanup or a retried release it frees a slot someone else holds", document=document))
        elif not requires_holding(op):
            queues = ", ".join(str(q) for q in op.queue)
            out.append(finding(
                "LOCK-UNDERFLOW", op.guard_pointer or op.node,
                f"release {name!r} requires owner {op.owner}'s entry but not that it holds a slot (add NOT "
                f"contains({queues}, <owner>) to its ConditionExpression): for a queued owner it frees a slot "
                "that was never taken", document=document))
        if op.kind is OpKind.TRANSFER and op.queue and not transfer_bounded(op):
            out.append(finding(
                "LOCK-LIMIT", op.guard_pointer or op.node,
                f"hand-off {name!r} keeps {op.counter} and does not require it to be at most the limit: once the "
                "limit is lowered, slots above it are handed on for as long as anyone waits", document=document))
    elif op.kind is OpKind.DECREMENT:
        out.append(finding(
            "LOCK-UNDERFLOW", op.limit_pointer or op.node,
            f"{name!r} decrements {op.counter} without removing an owner's slot: the count can drop below the "
            "number of holders", document=document))
    elif op.kind is OpKind.ANON_ACQUIRE:
        out.append(finding(
            "LOCK-OWNER", op.node,
            f"{name!r} increments {op.counter} without recording an owner: no release or cleanup can tell "
            "whose slot it is", document=document))
    elif op.kind is OpKind.OWNER_ONLY:
        out.append(finding(
            "LOCK-OWNER", op.guard_pointer or op.node,
            f"{name!r} removes owner {op.owner}'s slot without decrementing {op.counter}: the slot leaks",
            document=document))
    elif op.kind is OpKind.REFRESH and not requires_present(op):
        out.append(finding(
            "LOCK-OWNER", op.guard_pointer or op.node,
            f"{name!r} writes owner {op.owner}'s slot without requiring it to exist: it can create a slot "
            f"that {op.counter} does not count", document=document))
    elif op.kind is OpKind.INIT and not init_guarded(op, (k for k, _ in op.item.key)):
        out.append(finding(
            "LOCK-INIT", op.guard_pointer or op.node,
            f"{name!r} writes the lock item {op.item} (resetting {op.counter}) without requiring that the item "
            "or counter does not exist: it erases the slots held", document=document))
    return out


def path_findings(analysis: Analysis, document: str = "") -> list[VerifyFinding]:
    """LOCK-RELEASE, LOCK-DOUBLE (reached while held, or shared by concurrent items), LOCK-UNGUARDED."""
    graph, flow = analysis.graph, analysis.flow
    tracked = analysis.tracked
    out: list[VerifyFinding] = []
    leaked = analysis.reached(flow.success, HELD, MAYBE, PENDING)
    if leaked is not None:
        witness = analysis.witness(*leaked, from_acquire=True)
        how = {HELD: "still holding its slot", MAYBE: "after a release that may not have happened",
               PENDING: "while it may still be queued (a hand-off can then give it a slot nobody frees)"}[leaked[1]]
        rule = "LOCK-STALE-READ" if witness.stale else "LOCK-RELEASE"
        out.append(finding(rule, witness.stale_at or witness.start,
                           f"lock {tracked.lock} (owner {tracked.owner}) reaches a successful end {how}",
                           document=document, witness=witness.text))
    for op in analysis.ops.values():
        if op.kind is not OpKind.ACQUIRE:
            continue
        position = flow.entry[op.node]
        again = analysis.reached([position], HELD, MAYBE, PENDING)
        if again is not None and not requires_absent(op):
            witness = analysis.witness(*again, from_acquire=True)
            out.append(finding(
                "LOCK-DOUBLE", op.guard_pointer or op.node,
                f"acquire {graph.label(op.node)!r} can run while owner {tracked.owner} already holds a slot, and "
                "its condition does not require attribute_not_exists of that slot", document=document,
                witness=witness.text))
        out.extend(_concurrent(analysis, op, document))
    for node in work_under_lock(analysis):
        bare = analysis.reached([flow.entry[node.id]], FREE, MAYBE, PENDING)
        if bare is not None:
            witness = analysis.witness(*bare, from_acquire=False)
            how = {FREE: "without the lock", MAYBE: "when an acquire may have failed",
                   PENDING: "while it may only be queued for a slot"}[bare[1]]
            out.append(finding(
                "LOCK-UNGUARDED", node.id,
                f"work state {graph.label(node.id)!r} runs under lock {tracked.lock} on some paths but can "
                f"also run {how}", document=document, witness=witness.text))
        if not isinstance(node.timeout_seconds, int):
            why = "without TimeoutSeconds" if node.timeout_seconds is None else \
                "with a TimeoutSeconds computed at run time"
            out.append(finding(
                "LOCK-WORK-BOUND", node.id,
                f"work state {graph.label(node.id)!r} runs under lock {tracked.lock} {why}: StopExecution and a "
                "timeout do not stop the work, so no cleanup can tell when the slot it frees is really free",
                document=document))
    return out


def work_under_lock(analysis: Analysis) -> list[Node]:
    """The Task states that run holding the tracked slot on some path, lock plumbing excluded
    (any read or write of a lock item is plumbing, not work)."""
    return [node for node in analysis.graph.states()
            if node.type == "Task" and node.id not in analysis.all_ops
            and analysis.reach.has(analysis.flow.entry[node.id], HELD)]


def _branches(graph: Graph, node_id: str) -> dict[str, str]:
    """For each enclosing Parallel/Map, the scope of it that holds ``node_id``."""
    out: dict[str, str] = {}
    node = graph.node(node_id)
    while node.parent is not None:
        out[node.parent] = node.scope
        node = graph.node(node.parent)
    return out


def _concurrent(analysis: Analysis, op: LockOp, document: str) -> list[VerifyFinding]:
    """An acquire that runs in several Map items or Parallel branches at once under one owner."""
    graph = analysis.graph
    node = graph.node(op.node)
    others = [_branches(graph, a.node) for a in analysis.ops.values()
              if a.kind is OpKind.ACQUIRE and a.node != op.node]
    for container in graph.ancestors(op.node):
        scope = graph.scopes[node.scope]
        if container.type == "Map":
            if scope.mode == "DISTRIBUTED":
                return []  # each item is its own execution with its own id
            limit = container.state.get("MaxConcurrency", 0)
            if limit != 1:
                return [finding(
                    "LOCK-DOUBLE", container.id,
                    f"acquire {graph.label(op.node)!r} runs in Map {container.name!r} items at once "
                    f"(MaxConcurrency {limit if limit else 'unlimited'}) under one owner {analysis.tracked.owner}: "
                    "the items share one slot (set MaxConcurrency 1 or give each item its own owner)",
                    document=document)]
        elif container.type == "Parallel" and any(b.get(container.id, scope.id) != scope.id for b in others):
            return [finding(
                "LOCK-DOUBLE", container.id,
                f"acquire {graph.label(op.node)!r} and another acquire run in parallel branches of "
                f"{container.name!r} under one owner {analysis.tracked.owner}: they share one slot",
                document=document)]
        node = container
    return []
