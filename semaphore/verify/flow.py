"""Where a lock can be held: reachability over (position, lock fact) pairs.

Each state is a *position*; a Parallel/Map has three (entry, after its
branches joined, its error handling). A lock fact is FREE, HELD, MAYBE
(an acquire or release reported an error after possibly committing) or
PENDING (the owner may be queued: a hand-off can give it a slot at any
time). Where the owner of some operations is read from the data (an alias,
see ``binding``), a fact also carries whether the alias names the tracked
owner: fact = lock fact + 4 x binding.
Transitions carry a transfer table (input fact -> output facts) derived
from the lock operation at their source, or from a Choice that tests the
owner's slot; one breadth-first search over the product (facts x positions)
finds every reachable pair and, through parent pointers, a shortest witness
to each. Linear in states + transitions; no path enumeration.

Parallel branches are composed in sequence (branch 1's end enters branch
2) and a Map's item processor loops (0..n items), so a lock state flowing
out of a container is the effect of all its branches. Because branches
really run at once, a branch whose sibling can fail may be stopped at any
of its positions: each such position also steps to the container's error
handling (see ``_cancellations``). A distributed Map's items are child
executions: they start FREE on their own and do not change the parent's
lock state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from dsl.graph import Edge, EdgeKind, Graph, Node, NodeKind
from semaphore.verify.binding import (
    KEEP,
    SELF,
    TO_OTHER,
    TO_SELF,
    Alias,
    edge_effect,
    touches,
)
from semaphore.verify.conditions import (
    Proof,
    failure_proof,
    requires_absent,
    requires_holding,
    requires_present,
)
from semaphore.verify.lockops import LockOp, OpKind, condition_failed_only
from semaphore.verify.ownership import Refinement, Verdict

__all__ = ["FREE", "HELD", "LOCK_FACTS", "MAYBE", "PENDING", "Flow", "Reach", "Step", "build_flow", "is_state",
           "lock_fact", "search", "witness_edges"]

FREE, HELD, MAYBE, PENDING = 0, 1, 2, 3
LOCK_FACTS = 4
# Input fact -> output facts (over lock facts, or over full facts once lifted).
Table = tuple[tuple[int, ...], ...]
IDENTITY: Table = ((FREE,), (HELD,), (MAYBE,), (PENDING,))
NOWHERE: Table = ((), (), (), ())


def lock_fact(fact: int) -> int:
    """The lock part of a fact (without the alias binding)."""
    return fact % LOCK_FACTS


class Step(NamedTuple):
    """One transition between positions: the graph edges it stands for and its transfer table.

    ``stale`` holds the input lock facts whose transfer trusted an eventually
    consistent read (a slot held but read as absent). A NamedTuple: the
    product graph makes tens of thousands of these.
    """

    source: int
    target: int
    edges: tuple[Edge, ...]
    table: Table = IDENTITY
    stale: frozenset[int] = frozenset()


@dataclass
class Flow:
    """Positions and steps of one document, with its starts and ends."""

    graph: Graph
    node_of: list[str]  # position -> graph node id
    entry: dict[str, int]  # graph node id -> position (a container's entry)
    steps: list[Step]
    out: list[list[int]]
    roots: list[int]  # the machine's start, then each distributed item processor's start
    success: set[int]  # END of the machine / of a child execution
    failure: set[int]  # FAILED of the machine / of a child execution
    child: set[int]  # positions inside a distributed Map's items
    facts: int = LOCK_FACTS  # facts per position (lock facts x bindings)


def _op_table(op: LockOp, node: Node, edge: Edge) -> Table:
    success = edge.kind in (EdgeKind.NEXT, EdgeKind.END)
    errors = edge.errors if edge.kind is EdgeKind.CATCH else ()
    # Only a failed condition proves the last attempt wrote nothing; a retried
    # attempt before it may still have committed and lost its response.
    failed_condition = condition_failed_only(errors) and op.owner is not None \
        and op.owner.where.startswith("attribute ")
    committed_before = any(p.max_attempts > 0 and not condition_failed_only(p.errors) for p in node.retry)
    if op.kind is OpKind.ACQUIRE:
        if success:
            return ((HELD,), () if requires_absent(op) else (HELD,), (HELD,), (HELD,))
        if failed_condition:
            return ((MAYBE,) if committed_before else (FREE,), (HELD,), (MAYBE,), (PENDING,))
        return ((MAYBE,), (HELD,), (MAYBE,), (PENDING,))
    if op.kind is OpKind.RECEIVE:
        return ((HELD,), (HELD,), (HELD,), (HELD,)) if success else ((MAYBE,), (HELD,), (MAYBE,), (PENDING,))
    if op.kind is OpKind.ENQUEUE:
        return _enqueue_table(op, success, failed_condition and not committed_before)
    if op.kind is OpKind.REFRESH:
        return _probe_table(op, success, failed_condition)
    # RELEASE, TRANSFER (the slot leaves this owner), OWNER_ONLY removal
    if success:
        return (() if requires_present(op) else (FREE,), (FREE,), (FREE,), (FREE,))
    proof = failure_proof(op) if failed_condition else None
    if proof is Proof.ABSENT:
        return ((FREE,), (FREE,), (FREE,), (FREE,))
    if proof is Proof.NOT_HOLDING:  # held, the condition holds: an earlier attempt released
        return ((FREE,), (FREE,), (FREE,), (PENDING,))
    if failed_condition:
        return ((FREE,), (MAYBE,) if committed_before else (HELD,), (MAYBE,), (PENDING,))
    return ((FREE,), (MAYBE,), (MAYBE,), (PENDING,))


def _enqueue_table(op: LockOp, success: bool, nothing_written: bool) -> Table:
    """Queueing: queued owners are PENDING; a park that receives returns holding its slot."""
    if success:
        got = HELD if op.receives else PENDING
        return ((got,), () if requires_absent(op) else (HELD,), (got,), (got,))
    if nothing_written:
        return IDENTITY
    return ((PENDING,), (HELD,), (PENDING,), (PENDING,))


def _probe_table(op: LockOp, success: bool, failed_condition: bool) -> Table:
    """A write conditioned on the slot existing is a consistent probe of ownership."""
    if not requires_present(op):
        return IDENTITY
    if success:
        # With a queue, an entry alone may be a queued owner's: only "not queued" proves holding.
        found = HELD if requires_holding(op) else PENDING
        return ((), (HELD,), (HELD,), (found,))
    proof = failure_proof(op) if failed_condition else None
    if proof is Proof.ABSENT:
        return ((FREE,), (), (FREE,), (FREE,))
    if proof is Proof.NOT_HOLDING:
        return ((FREE,), (), (FREE,), (PENDING,))
    return IDENTITY


def _choice_table(refinement: Refinement) -> tuple[Table, frozenset[int]]:
    if refinement.verdict is Verdict.PRESENT:
        return ((), (HELD,), (HELD,), (PENDING,)), frozenset()
    if refinement.consistent:
        return ((FREE,), (), (FREE,), (FREE,)), frozenset()
    return IDENTITY, frozenset({HELD, MAYBE, PENDING})


_OP_KINDS = (OpKind.ACQUIRE, OpKind.RELEASE, OpKind.TRANSFER, OpKind.OWNER_ONLY, OpKind.RECEIVE, OpKind.REFRESH,
             OpKind.ENQUEUE)


def _lift(tables: tuple[Table, ...], effect: int) -> Table:
    """One table per binding (lock facts) and a binding effect, as a table over full facts."""
    out: list[tuple[int, ...]] = []
    for binding, table in enumerate(tables):
        after = binding if effect == KEEP else SELF if effect == TO_SELF else 0
        out.extend(tuple(f + LOCK_FACTS * after for f in table[lock]) for lock in range(LOCK_FACTS))
    return tuple(out)


@dataclass(frozen=True)
class Binding:
    """The alias the flow follows, the tracked owner it may name, and the alias's operations."""

    alias: Alias
    owner: str
    via_alias: frozenset[str]  # nodes whose operation acts for the alias's owner


def build_flow(graph: Graph, ops: Mapping[str, LockOp], choices: Mapping[Edge, Refinement],
               impossible: Collection[Edge] = (), binding: Binding | None = None) -> Flow:
    """The positions and steps of ``graph`` for one tracked lock and owner.

    ``ops`` are that owner's operations on that lock, by node id (those in
    ``binding.via_alias`` act only while the alias names the owner); ``choices``
    the Choice edges that test its slot; ``impossible`` edges no run can take.
    """
    node_of: list[str] = []
    entry: dict[str, int] = {}
    after: dict[str, int] = {}
    handler: dict[str, int] = {}
    for node in graph.nodes.values():
        entry[node.id] = len(node_of)
        node_of.append(node.id)
        if node.is_container:
            after[node.id] = len(node_of)
            node_of.append(node.id)
            handler[node.id] = len(node_of)
            node_of.append(node.id)
    bindings = 2 if binding is not None else 1
    identity = _lift((IDENTITY,) * bindings, KEEP)
    steps: list[Step] = []

    def add(source: int, target: int, edges: tuple[Edge, ...], table: Table = identity,
            stale: frozenset[int] = frozenset()) -> None:
        steps.append(Step(source, target, edges, table, stale))

    roots = [entry[graph.root.start]]
    success = {entry[graph.root.end]}
    failure = {entry[graph.root.failed]}
    for node in graph.states():
        for edge in graph.out_edges(node.id):
            if edge.kind in (EdgeKind.RETRY, EdgeKind.BRANCH):
                continue
            source = entry[node.id]
            if node.is_container:
                source = after[node.id] if edge.kind in (EdgeKind.NEXT, EdgeKind.END) else handler[node.id]
            table, stale = IDENTITY, frozenset[int]()
            op = ops.get(node.id)
            if edge in impossible:
                table = NOWHERE
            elif op is not None and op.kind in _OP_KINDS:
                table = _op_table(op, node, edge)
            elif edge in choices and (binding is not None or not choices[edge].via_alias):
                table, stale = _choice_table(choices[edge])
            if binding is None:
                add(source, entry[edge.target], (edge,), table, stale)
                continue
            aliased = node.id in binding.via_alias or (edge in choices and choices[edge].via_alias)
            own = IDENTITY if aliased and table is not NOWHERE else table
            effect = edge_effect(node, edge, binding.alias, binding.owner)
            add(source, entry[edge.target], (edge,), _lift((own, table), effect), stale)
        if node.is_container:
            _container(graph, node, entry, after[node.id], handler[node.id], add, roots, success, failure,
                       _container_effects(graph, node, ops, binding))
    child = _cancellations(graph, node_of, entry, after, handler, add)
    out: list[list[int]] = [[] for _ in node_of]
    for index, step in enumerate(steps):
        out[step.source].append(index)
    return Flow(graph, node_of, entry, steps, out, roots, success, failure, child, LOCK_FACTS * bindings)


def _container_effects(graph: Graph, node: Node, ops: Mapping[str, LockOp],
                       binding: Binding | None) -> tuple[Table, Table] | None:
    """(entering a branch, joining) tables for the alias binding, None without an alias.

    A container none of whose inner states touches the alias passes the binding
    through; otherwise its branches start without it (a Map item is not the
    container's input) and its output is followed like a Task's."""
    if binding is None:
        return None
    if not any(touches(graph, n, binding.alias, binding.owner, ops) for n in _inside(graph, node)):
        enter = join = KEEP
    else:
        # The binding at the container's entry is not remembered: what leaves it is unknown.
        enter = KEEP if node.type == "Parallel" and "InputPath" not in node.state \
            and "Parameters" not in node.state else TO_OTHER
        join = TO_OTHER
    return _lift((IDENTITY, IDENTITY), enter), _lift((IDENTITY, IDENTITY), join)


def _inside(graph: Graph, node: Node) -> list[Node]:
    """Every state nested in a container, at any depth."""
    out: list[Node] = []
    pending = list(node.children)
    while pending:
        scope = graph.scopes[pending.pop()]
        for state_id in scope.states:
            inner = graph.node(state_id)
            out.append(inner)
            pending.extend(inner.children)
    return out


def _cancellations(graph: Graph, node_of: list[str], entry: dict[str, int], after: dict[str, int],
                   handler: dict[str, int], add: _Adder) -> set[int]:
    """Steps for a branch stopped because a sibling failed; returns the child-execution positions.

    When one branch of a Parallel (or one of several Map items running at
    once) fails, the others stop wherever they are and the container's error
    handling sees their lock state. Each such branch gets one *cancel*
    position: every position inside it steps there, and it steps to the
    container's handler and to the cancel position of the branch around it.
    One step per position, so this stays linear.
    """
    can_fail = {sid for sid, scope in graph.scopes.items() if graph.in_edges(scope.failed)}
    cancel: dict[str, int | None] = {"": None}  # scope id -> where its positions step when cancelled
    in_child: dict[str, bool] = {"": False}
    child: set[int] = set()
    for sid, scope in graph.scopes.items():  # parents come before their children
        if scope.owner is None:
            continue
        owner = graph.node(scope.owner)
        distributed = scope.mode == "DISTRIBUTED"
        in_child[sid] = in_child[scope.parent or ""] or distributed
        inherited = None if distributed else cancel[scope.parent or ""]
        siblings = [c for c in owner.children if c != sid] if owner.type == "Parallel" else \
            [sid] if owner.state.get("MaxConcurrency", 0) != 1 else []
        if distributed or not any(c in can_fail for c in siblings):
            cancel[sid] = inherited
        else:
            position = len(node_of)
            node_of.append(owner.id)
            cancel[sid] = position
            add(position, handler[owner.id], ())
            if inherited is not None:
                add(position, inherited, ())
        positions = [entry[n] for n in (*scope.states, scope.end)] + \
            [p[n] for p in (after, handler) for n in scope.states if n in p]
        if in_child[sid]:
            child.update(positions)
            child.add(entry[scope.failed])
        target = cancel[sid]
        if target is not None:
            stopped = Edge(owner.id, owner.id, EdgeKind.FAIL, "another branch failed")
            for position in positions:
                add(position, target, (stopped,))
    return child


def _container(graph: Graph, node: Node, entry: dict[str, int], after: int, handler: int,
               add: _Adder, roots: list[int], success: set[int], failure: set[int],
               effects: tuple[Table, Table] | None) -> None:
    start = entry[node.id]
    enter_table, join_table = effects if effects is not None else (IDENTITY, IDENTITY)
    edges = {(e.kind, e.index): e for e in graph.out_edges(node.id) if e.kind is EdgeKind.BRANCH}
    joins: dict[tuple[EdgeKind, int, str], Edge] = {}
    for scope_id in node.children:
        scope = graph.scopes[scope_id]
        for exit_id in (scope.end, scope.failed):
            for e in graph.out_edges(exit_id):
                joins[(e.kind, e.index, e.label)] = e
    add(start, handler, ())  # the container's own input/output processing can fail
    add(after, handler, ())
    scopes = [graph.scopes[c] for c in node.children]
    if node.type == "Parallel":
        for index, scope in enumerate(scopes):
            enter = edges[(EdgeKind.BRANCH, index)]
            join = joins[(EdgeKind.JOIN, index, "")]
            if index == 0:
                add(start, entry[scope.start], (enter,), enter_table)
            if index + 1 < len(scopes):
                following = scopes[index + 1]
                add(entry[scope.end], entry[following.start], (join, edges[(EdgeKind.BRANCH, index + 1)]), join_table)
            else:
                add(entry[scope.end], after, (join,), join_table)
            add(entry[scope.failed], handler, (joins[(EdgeKind.PROPAGATE, index, "error")],), join_table)
        return
    scope = scopes[0]
    enter = edges[(EdgeKind.BRANCH, 0)]
    add(start, after, ())  # no items
    if scope.mode == "DISTRIBUTED":
        roots.append(entry[scope.start])
        success.add(entry[scope.end])
        failure.add(entry[scope.failed])
        return
    join = joins[(EdgeKind.JOIN, 0, "")]
    add(start, entry[scope.start], (enter,), enter_table)
    add(entry[scope.end], after, (join,), join_table)
    add(entry[scope.end], entry[scope.start], (join, enter), join_table)  # the next item
    add(entry[scope.failed], handler, (joins[(EdgeKind.PROPAGATE, 0, "error")],), join_table)
    tolerated = joins.get((EdgeKind.JOIN, 0, "tolerated"))
    if tolerated is not None:
        add(entry[scope.failed], after, (tolerated,), join_table)
        add(entry[scope.failed], entry[scope.start], (tolerated, enter), join_table)


class _Adder(Protocol):
    """Type of the ``add`` callback."""

    def __call__(self, source: int, target: int, edges: tuple[Edge, ...], table: Table = IDENTITY,
                 stale: frozenset[int] = frozenset()) -> None: ...


@dataclass
class Reach:
    """Which (position, fact) pairs are reachable, with a shortest way to each.

    Its queries take lock facts: a position has a lock fact when it has it
    with any alias binding.
    """

    flow: Flow
    via: list[int]  # product node -> step index reaching it (-1: a root, -2: unreached)
    prev: list[int]  # product node -> previous product node
    order: list[int]  # product nodes in the order found (so by path length)

    def _node(self, position: int, fact: int) -> int | None:
        base = position * self.flow.facts + fact
        return next((n for n in range(base, (position + 1) * self.flow.facts, LOCK_FACTS) if self.via[n] != -2),
                    None)

    def has(self, position: int, fact: int) -> bool:
        """Whether ``position`` is reachable with lock fact ``fact``."""
        return self._node(position, fact) is not None

    def facts(self, position: int) -> list[int]:
        """The lock facts ``position`` is reachable with."""
        return [f for f in range(LOCK_FACTS) if self.has(position, f)]

    def path(self, position: int, fact: int) -> list[tuple[Step, int, int]]:
        """The steps of a shortest way to (position, lock fact), each with its input and output
        lock fact (empty when unreachable)."""
        out: list[tuple[Step, int, int]] = []
        current = self._node(position, fact)
        while current is not None and self.via[current] >= 0:
            before = self.prev[current]
            out.append((self.flow.steps[self.via[current]], before % LOCK_FACTS, current % LOCK_FACTS))
            current = before
        out.reverse()
        return out


def search(flow: Flow, start_fact: int) -> Reach:
    """Breadth-first search of the product from every root with lock fact ``start_fact``
    (and the alias naming nobody).

    Child-execution roots (distributed Map items) always start FREE.
    """
    width = flow.facts
    size = len(flow.node_of) * width
    via = [-2] * size
    prev = [-1] * size
    queue: deque[int] = deque()
    order: list[int] = []
    for index, root in enumerate(flow.roots):
        node = root * width + (start_fact if index == 0 else FREE)
        if via[node] == -2:
            via[node] = -1
            queue.append(node)
            order.append(node)
    steps, out = flow.steps, flow.out
    while queue:
        current = queue.popleft()
        position, fact = divmod(current, width)
        for index in out[position]:
            step = steps[index]
            base = step.target * width
            for result in step.table[fact]:
                target = base + result
                if via[target] == -2:
                    via[target] = index
                    prev[target] = current
                    queue.append(target)
                    order.append(target)
    return Reach(flow, via, prev, order)


def witness_edges(path: Sequence[tuple[Step, int, int]], *,
                  from_acquire: bool) -> tuple[list[Edge], Edge | None]:
    """The graph edges of a path (from the last step that took the lock, if asked),
    and the first edge on it that trusted a stale read (None if none)."""
    start = 0
    if from_acquire:
        for index, (_, before, after) in enumerate(path):
            if before == FREE and after != FREE:
                start = index
    edges: list[Edge] = []
    stale: Edge | None = None
    for step, before, _ in path[start:]:
        edges.extend(step.edges)
        if stale is None and before in step.stale and step.edges:
            stale = step.edges[0]
    return edges, stale


def is_state(flow: Flow, position: int) -> bool:
    """Whether a position is a state (not a scope's END/FAILED)."""
    return flow.graph.nodes[flow.node_of[position]].kind is NodeKind.STATE
