"""One tracked lock and owner in one document: its flow, what is reachable, witnesses."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dsl.graph import Edge, Graph, NodeKind, path_text
from semaphore.verify.binding import Alias, find_alias
from semaphore.verify.flow import (
    FREE,
    Binding,
    Flow,
    Reach,
    build_flow,
    is_state,
    lock_fact,
    search,
    witness_edges,
)
from semaphore.verify.lockops import LockId, LockOp, OpKind, Owner, Recognition
from semaphore.verify.ownership import ownership_tests

__all__ = ["Analysis", "Tracked", "Witness", "analyse", "tracked_locks"]

_TRACKED_KINDS = (OpKind.ACQUIRE, OpKind.RELEASE, OpKind.TRANSFER, OpKind.OWNER_ONLY, OpKind.RECEIVE,
                  OpKind.REFRESH, OpKind.ENQUEUE)


@dataclass(frozen=True)
class Tracked:
    """A lock and the owner whose slot is followed."""

    lock: LockId
    owner: Owner


@dataclass(frozen=True)
class Witness:
    """A path as text, the node it starts from, its last state, and the state whose
    decision trusted a stale read ("" if none)."""

    text: str
    start: str
    last_state: str
    stale_at: str

    @property
    def stale(self) -> bool:
        """Whether the path relies on an eventually consistent read missing the slot."""
        return bool(self.stale_at)


@dataclass
class Analysis:
    """The reachable (position, fact) pairs of one document for one tracked owner."""

    graph: Graph
    tracked: Tracked
    ops: dict[str, LockOp]  # the tracked owner's operations on the tracked lock (direct or through the alias)
    all_ops: dict[str, LockOp]  # every lock operation of the document
    flow: Flow
    reach: Reach
    alias: Alias | None = None  # where the data may name the tracked owner

    def is_owner(self, op: LockOp) -> bool:
        """Whether ``op`` names the tracked owner, directly or through the alias."""
        return op.owner is not None and (op.owner == self.tracked.owner or (
            self.alias is not None and op.owner.expr == self.alias.expr and op.owner.where == self.tracked.owner.where))

    def witness(self, position: int, fact: int, *, from_acquire: bool) -> Witness:
        """A shortest path to (position, fact), from the last acquire on it when asked."""
        path = self.reach.path(position, fact)
        edges, stale = witness_edges(path, from_acquire=from_acquire)
        stale_at = stale.source if stale is not None else ""
        start = edges[0].source if edges else self.flow.node_of[position]
        states = [e.source for e in edges if self.graph.nodes[e.source].kind is NodeKind.STATE]
        last = states[-1] if states else start
        text = path_text(self.graph, edges) if edges else self.graph.label(start)
        return Witness(text, start, last, stale_at)

    def first_held(self) -> tuple[int, int] | None:
        """The nearest state position of the execution itself reachable with the slot (maybe) held."""
        for product in self.reach.order:
            position, fact = divmod(product, self.flow.facts)
            if lock_fact(fact) != FREE and position not in self.flow.child and is_state(self.flow, position):
                return position, fact
        return None

    def reached(self, positions: Iterable[int], *facts: int) -> tuple[int, int] | None:
        """The first of ``positions`` reachable with one of ``facts`` (HELD before MAYBE)."""
        for fact in facts:
            for position in sorted(positions):
                if self.reach.has(position, fact):
                    return position, fact
        return None


def tracked_locks(recognition: Recognition) -> list[Tracked]:
    """Each (lock, owner) some acquire of the document takes, in document order."""
    out: list[Tracked] = []
    for op in recognition.of_kind(OpKind.ACQUIRE):
        if op.lock is not None and op.owner is not None:
            tracked = Tracked(op.lock, op.owner)
            if tracked not in out:
                out.append(tracked)
    return out


def analyse(graph: Graph, recognition: Recognition, tracked: Tracked, acquires: Iterable[LockOp], *,
            start_fact: int = FREE, impossible: Collection[Edge] = ()) -> Analysis:
    """Search ``graph`` for where ``tracked``'s slot can be held.

    ``acquires`` are the family's acquires of the lock (what a slot holds, for
    Choice evaluation); ``start_fact`` is HELD for a cleanup, which starts
    with the failed execution's slot possibly still taken; ``impossible`` are
    edges no run of interest takes.
    """
    on_lock = [op for op in recognition.ops.values() if op.kind in _TRACKED_KINDS and op.lock == tracked.lock]
    alias = find_alias(graph, (op for op in on_lock if op.owner is not None
                               and op.owner.where == tracked.owner.where), tracked.owner.expr)
    ops = {op.node: op for op in on_lock if op.owner == tracked.owner or (
        alias is not None and op.owner is not None and op.owner.expr == alias.expr
        and op.owner.where == tracked.owner.where)}
    binding = Binding(alias, tracked.owner.expr, frozenset(n for n, op in ops.items() if op.owner != tracked.owner)) \
        if alias is not None else None
    choices = ownership_tests(graph, recognition.ops, tracked.owner, acquires,
                              alias=alias.expr if alias is not None else None)
    flow = build_flow(graph, ops, choices, impossible, binding)
    return Analysis(graph, tracked, ops, recognition.ops, flow, search(flow, start_fact), alias)
