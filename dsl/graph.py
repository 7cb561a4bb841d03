"""A graph model of any Amazon States Language document.

Shared by the verifier (``semaphore.verify``) and the review renderer (Mermaid/DOT),
so both see the same states, scopes and transitions.

Public API
----------
``build_graph(doc) -> Graph``
    The model of one ASL document; raises :class:`GraphError` (code
    ``GRAPH``) when the structure cannot be followed (no ``StartAt``, a
    ``Next`` naming no state, a state that is not an object, ...).
:class:`Graph`
    ``nodes`` (id -> :class:`Node`, document order), ``edges`` (tuple of
    :class:`Edge`), ``scopes`` (id -> :class:`GraphScope`), ``root`` (the machine
    scope), ``timeout_seconds`` (machine level), and the look-ups
    ``out_edges(id)``, ``in_edges(id)``, ``node(id)``, ``states()``,
    ``by_name(name)``, ``scope_of(id)``, ``ancestors(id)``, ``label(id)``.
:class:`Node`
    One state (``kind`` ``NodeKind.STATE``) or one exit of a scope
    (``NodeKind.END``: the scope finished; ``NodeKind.FAILED``: an error left
    the scope). ``id`` is the JSON Pointer of the state (``/States/A``,
    ``/States/P/Branches/0/States/B``); an exit's id is its scope id plus
    ``#end`` / ``#failed``. ``scope`` and ``parent`` give the nesting for
    subgraphs; ``retry`` lists the Retry policies; ``failure`` says why the
    state can fail.
:class:`Edge` / :class:`EdgeKind`
    One transition with its ``kind`` and a short ``label``: the errors of a
    Catch (``States.ALL``), a Choice rule's condition in short form
    (``$.n > 3``), ``Default``, a retry policy (``States.ALL x6``), ...
:class:`GraphScope`
    The machine, a Parallel branch or a Map's item processor, with its
    ``start``, ``states``, ``end`` and ``failed`` node ids and its ``owner``
    (the Parallel/Map node that runs it).
:class:`RetryPolicy`
    One Retry entry with the ASL defaults filled in.
``error_matches(error_equals, error) -> bool``
    Whether a Retry/Catch ``ErrorEquals`` list handles a given error name.
``condition_label(rule) -> str``
    The short form of a Choice rule (JSONPath or JSONata).
``path_text(graph, edges) -> str``
    A readable witness path: ``Acquire Lock -> Do Work -[States.ALL]-> Done``.

How control flows (what the edges mean)
---------------------------------------
* ``NEXT`` / ``DEFAULT`` / ``CHOICE``: ordinary transitions in one scope.
* ``END``: ``End: true`` or a Succeed state, to its scope's END node.
* ``CATCH``: one Catcher, labelled with its ``ErrorEquals``; catchers are in
  document order (the first matching one wins at run time).
* ``FAIL``: the implicit failure exit, to the scope's FAILED node: a Fail
  state, or a state that can fail with an error no Catcher handles.
* ``RETRY``: a self loop per Retry policy that can retry (``MaxAttempts`` > 0).
* ``BRANCH``: a Parallel to the start of each branch / a Map to the start of
  its item processor (run once per item, possibly zero times).
* ``JOIN``: a branch's END node back to its Parallel/Map (the container then
  leaves through its own NEXT/END edge); for a Map with a tolerated failure
  threshold also from its FAILED node (label ``tolerated``).
* ``PROPAGATE``: a branch's FAILED node to its Parallel/Map: the error is the
  container's error, so the container's CATCH/FAIL edges apply to it.

Errors that no Catcher can handle (``States.Runtime``,
``States.DataLimitExceeded``) and ends that can happen at any state
(``StopExecution`` -> ABORTED, the machine's ``TimeoutSeconds`` ->
TIMED_OUT) are not drawn as edges; analyses that need them (the verifier)
treat them as possible at every state.

The model is built iteratively (no recursion), so deeply nested documents
do not hit Python's recursion limit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dsl.document import BRANCHES, Defect, nested
from dsl.errors import CodedError

__all__ = [
    "Edge",
    "EdgeKind",
    "Graph",
    "GraphError",
    "GraphScope",
    "Node",
    "NodeKind",
    "RetryPolicy",
    "build_graph",
    "condition_label",
    "error_matches",
    "path_text",
]

STATE_TYPES = frozenset({"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"})
# Errors no Catcher or Retrier can handle (AWS: "States.ALL ... can't catch
# States.DataLimitExceeded or Runtime error types").
UNCATCHABLE_ERRORS = frozenset({"States.Runtime", "States.DataLimitExceeded"})
_LABEL_MAX = 80
# Stands for "an error the state's resource raises that no one named".
_OTHER_ERROR = "Resource.OtherError"
_CONDITION_DEPTH = 6


class GraphError(CodedError):
    """The document's structure cannot be followed; ``pointer`` locates the problem."""

    code = "GRAPH"

    def __init__(self, pointer: str, message: str) -> None:
        self.pointer = pointer
        super().__init__(message, text=f"{pointer or '/'}: {message}")


class NodeKind(enum.StrEnum):
    """What a node stands for."""

    STATE = "state"
    END = "end"  # the scope finished normally
    FAILED = "failed"  # an error left the scope


class EdgeKind(enum.StrEnum):
    """What a transition stands for; see the module docstring."""

    NEXT = "next"
    DEFAULT = "default"
    CHOICE = "choice"
    CATCH = "catch"
    FAIL = "fail"
    RETRY = "retry"
    END = "end"
    BRANCH = "branch"
    JOIN = "join"
    PROPAGATE = "propagate"


@dataclass(frozen=True)
class RetryPolicy:
    """One Retry entry, ASL defaults filled in."""

    errors: tuple[str, ...]
    max_attempts: int
    interval_seconds: float
    backoff_rate: float
    max_delay_seconds: float | None
    jitter: str | None
    pointer: str

    @property
    def label(self) -> str:
        """Short form, e.g. ``States.ALL x6``."""
        return f"{', '.join(self.errors)} x{self.max_attempts}"


@dataclass(frozen=True)
class Node:
    """A state, or the END/FAILED exit of a scope.

    ``failure`` lists why the state can fail: ``task``, ``timeout``,
    ``heartbeat``, ``branch`` (Parallel/Map), ``fail-state``, ``no-default``
    (Choice without Default), ``intrinsic`` (an intrinsic function),
    ``jsonata`` (a JSONata expression), ``path`` (a Wait reading a path).
    """

    id: str
    kind: NodeKind
    name: str
    type: str
    scope: str
    parent: str | None
    depth: int
    state: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    resource: str | None = None
    retry: tuple[RetryPolicy, ...] = ()
    failure: tuple[str, ...] = ()
    timeout_seconds: int | str | None = None
    heartbeat_seconds: int | str | None = None
    query_language: str = "JSONPath"
    children: tuple[str, ...] = ()

    @property
    def pointer(self) -> str:
        """JSON Pointer of the state (of its scope for an END/FAILED node)."""
        return self.id if self.kind is NodeKind.STATE else self.scope

    @property
    def can_fail(self) -> bool:
        """Whether the state can end with an error (before any Catch)."""
        return bool(self.failure)

    @property
    def is_container(self) -> bool:
        """A Parallel or Map: runs child scopes."""
        return bool(self.children)


@dataclass(frozen=True)
class Edge:
    """A transition ``source -> target``.

    ``pointer`` locates the field that defines it (e.g. ``.../Catch/0``);
    ``index`` is the position of the Choice rule, Catcher, Retrier or branch;
    ``errors`` are the handled errors of a CATCH/RETRY edge, or for a FAIL edge
    the known errors of the state that no Catcher handles.
    """

    source: str
    target: str
    kind: EdgeKind
    label: str = ""
    errors: tuple[str, ...] = ()
    pointer: str = ""
    index: int = 0


@dataclass(frozen=True)
class GraphScope:
    """A sequence of states with one start: the machine, a branch, or a Map's items.

    ``kind`` is ``machine``, ``branch`` or ``iteration``; ``mode`` is the Map
    processor mode (``INLINE``/``DISTRIBUTED``; a distributed item runs as a
    child execution with its own execution id).
    """

    id: str
    kind: str
    label: str
    owner: str | None
    parent: str | None
    index: int
    depth: int
    start: str
    states: tuple[str, ...]
    end: str
    failed: str
    mode: str | None = None
    query_language: str = "JSONPath"


class Graph:
    """Nodes, edges and scopes of one ASL document (see the module docstring)."""

    def __init__(self, doc: Mapping[str, Any], nodes: dict[str, Node], edges: list[Edge],
                 scopes: dict[str, GraphScope]) -> None:
        self.doc = doc
        self.nodes: dict[str, Node] = nodes
        self.edges: tuple[Edge, ...] = tuple(edges)
        self.scopes: dict[str, GraphScope] = scopes
        self.root: GraphScope = scopes[""]
        timeout = doc.get("TimeoutSeconds")
        self.timeout_seconds: int | None = timeout if isinstance(timeout, int) else None
        self._out: dict[str, list[Edge]] = {key: [] for key in nodes}
        self._in: dict[str, list[Edge]] = {key: [] for key in nodes}
        for edge in self.edges:
            self._out[edge.source].append(edge)
            self._in[edge.target].append(edge)
        self._names: dict[str, list[str]] = {}
        for node in nodes.values():
            if node.kind is NodeKind.STATE:
                self._names.setdefault(node.name, []).append(node.id)

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if none)."""
        return self.nodes[node_id]

    def out_edges(self, node_id: str) -> Sequence[Edge]:
        """Edges leaving ``node_id``, in document order."""
        return self._out[node_id]

    def in_edges(self, node_id: str) -> Sequence[Edge]:
        """Edges entering ``node_id``."""
        return self._in[node_id]

    def states(self) -> Iterable[Node]:
        """Every state node (no END/FAILED exits), in document order."""
        return (n for n in self.nodes.values() if n.kind is NodeKind.STATE)

    def by_name(self, name: str) -> list[Node]:
        """State nodes with this name (one, unless branches reuse names)."""
        return [self.nodes[i] for i in self._names.get(name, ())]

    def scope_of(self, node_id: str) -> GraphScope:
        """The scope a node belongs to."""
        return self.scopes[self.nodes[node_id].scope]

    def ancestors(self, node_id: str) -> list[Node]:
        """The enclosing Parallel/Map nodes, innermost first."""
        out: list[Node] = []
        parent = self.nodes[node_id].parent
        while parent is not None:
            out.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return out

    def label(self, node_id: str) -> str:
        """A readable name: the state name, or e.g. ``(end)`` / ``(Get Lock branch 1 failed)``."""
        node = self.nodes[node_id]
        if node.kind is NodeKind.STATE:
            if len(self._names.get(node.name, ())) > 1:
                scope = self.scopes[node.scope]
                return f"{scope.label}/{node.name}" if scope.owner else node.name
            return node.name
        scope = self.scopes[node.scope]
        if scope.owner is None:
            return "(succeeded)" if node.kind is NodeKind.END else "(failed)"
        return f"({scope.label} {'end' if node.kind is NodeKind.END else 'failed'})"


def build_graph(doc: Mapping[str, Any]) -> Graph:
    """Build the model of ``doc`` (an ASL state machine as parsed JSON)."""
    if not isinstance(doc, Mapping):
        raise GraphError("", "an ASL document must be a JSON object")
    builder = _GraphBuilder(doc)
    builder.run()
    return Graph(doc, builder.nodes, builder.edges, builder.scopes)


class _GraphBuilder:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.scopes: dict[str, GraphScope] = {}
        # container id -> (its definition, its child scope ids), wired once all scopes exist
        self.containers: list[tuple[Node, tuple[str, ...]]] = []

    def run(self) -> None:
        # A pending scope is its body and its GraphScope with start/states/end/failed still empty.
        pending = [(self.doc, _scope_head("", "machine", "machine", None, None, 0, 0, None,
                                          _language(self.doc, "JSONPath")))]
        while pending:
            pending.extend(self._scope(*pending.pop()))
        for container, children in self.containers:
            self._wire_container(container, children)

    def _scope(self, body: Mapping[str, Any], pending: GraphScope) -> list[tuple[Mapping[str, Any], GraphScope]]:
        sid = pending.id
        states = body.get("States")
        if not isinstance(states, Mapping) or not states:
            raise GraphError(_join(sid, "States"), "expected a non-empty object of states")
        start = body.get("StartAt")
        if not isinstance(start, str) or start not in states:
            raise GraphError(_join(sid, "StartAt"),
                             f"StartAt {start!r} names no state of this scope")
        end_id, failed_id = sid + "#end", sid + "#failed"
        ids: dict[str, str] = {name: _join(sid, "States", name) for name in states}
        children: list[tuple[Mapping[str, Any], GraphScope]] = []
        for name, state in states.items():
            node_id = ids[name]
            if not isinstance(state, Mapping):
                raise GraphError(node_id, "a state must be a JSON object")
            node, kids = self._state(pending, name, node_id, state)
            self.nodes[node_id] = node
            children.extend(kids)
            self._edges(node, state, ids, end_id, failed_id)
        self.nodes[end_id] = Node(end_id, NodeKind.END, "(end)", "End", sid, pending.owner, pending.depth)
        self.nodes[failed_id] = Node(failed_id, NodeKind.FAILED, "(failed)", "Failed", sid, pending.owner,
                                     pending.depth)
        self.scopes[sid] = replace(pending, start=ids[start], states=tuple(ids.values()), end=end_id,
                                   failed=failed_id)
        # Children are processed after this scope; reversed so the stack pops them in order.
        return children[::-1]

    def _state(self, scope: GraphScope, name: str, node_id: str,
               state: Mapping[str, Any]) -> tuple[Node, list[tuple[Mapping[str, Any], GraphScope]]]:
        kind = state.get("Type")
        if not isinstance(kind, str) or kind not in STATE_TYPES:
            raise GraphError(_join(node_id, "Type"),
                             f"Type {kind!r} is not a state type; expected one of {', '.join(sorted(STATE_TYPES))}")
        language = state.get("QueryLanguage", scope.query_language)
        language = language if isinstance(language, str) else scope.query_language
        # Nested states default to the machine's QueryLanguage (AWS), not their parent state's.
        kids = self._child_scopes(scope, name, node_id, kind, state, scope.query_language)
        resource = state.get("Resource")
        node = Node(
            id=node_id, kind=NodeKind.STATE, name=name, type=kind, scope=scope.id, parent=scope.owner,
            depth=scope.depth, state=state,
            resource=resource if isinstance(resource, str) else None,
            retry=_retry_policies(node_id, state),
            failure=_failure_reasons(kind, state, language),
            timeout_seconds=_seconds(state, "TimeoutSeconds"),
            heartbeat_seconds=_seconds(state, "HeartbeatSeconds"),
            query_language=language,
            children=tuple(k.id for _, k in kids),
        )
        return node, kids

    def _child_scopes(self, scope: GraphScope, name: str, node_id: str, kind: str,
                      state: Mapping[str, Any], language: str) -> list[tuple[Mapping[str, Any], GraphScope]]:
        depth = scope.depth + 1
        kids: list[tuple[Mapping[str, Any], GraphScope]] = []
        # The reader finds the nested scopes (relative parts, joined to this state's id here).
        found = nested(name, state, ())
        if kind == "Parallel" and (not found or isinstance(found[0], Defect) and found[0].expected == "branches"):
            raise GraphError(_join(node_id, BRANCHES), "expected a non-empty array of branches")
        for child in found:
            cid = _join(node_id, *(str(part) for part in child.parts))
            if isinstance(child, Defect):
                raise GraphError(cid, "a branch must be an object with StartAt and States" if kind == "Parallel"
                                 else "a Map needs an ItemProcessor (or Iterator) object with StartAt and States")
            if child.branch is not None:
                kids.append((child.body, _scope_head(cid, "branch", f"{name} branch {child.branch + 1}", node_id,
                                                     scope.id, child.branch, depth, None,
                                                     _language(child.body, language))))
            else:
                config = child.body.get("ProcessorConfig")
                mode = config.get("Mode", "INLINE") if isinstance(config, Mapping) else "INLINE"
                kids.append((child.body, _scope_head(cid, "iteration", f"{name} items", node_id, scope.id, 0,
                                                     depth, mode if isinstance(mode, str) else "INLINE",
                                                     _language(child.body, language))))
        return kids

    def _edges(self, node: Node, state: Mapping[str, Any], ids: Mapping[str, str], end_id: str,
               failed_id: str) -> None:
        def target(name: object, where: str) -> str:
            if not isinstance(name, str) or name not in ids:
                raise GraphError(where, f"transition to {name!r}, which is no state of this scope")
            return ids[name]

        nid = node.id
        add = self.edges.append
        if node.type == "Choice":
            rules = state.get("Choices")
            if not isinstance(rules, list) or not rules:
                raise GraphError(_join(nid, "Choices"), "expected a non-empty array of rules")
            for index, rule in enumerate(rules):
                where = _join(nid, "Choices", str(index))
                if not isinstance(rule, Mapping):
                    raise GraphError(where, "a Choice rule must be an object")
                add(Edge(nid, target(rule.get("Next"), where + "/Next"), EdgeKind.CHOICE,
                         condition_label(rule), (), where, index))
            if "Default" in state:
                where = _join(nid, "Default")
                add(Edge(nid, target(state["Default"], where), EdgeKind.DEFAULT, "Default", (), where))
        elif node.type in ("Succeed", "Fail"):
            if node.type == "Succeed":
                add(Edge(nid, end_id, EdgeKind.END, "", (), nid))
        elif state.get("End") is True:
            add(Edge(nid, end_id, EdgeKind.END, "", (), _join(nid, "End")))
        elif "Next" in state:
            where = _join(nid, "Next")
            add(Edge(nid, target(state["Next"], where), EdgeKind.NEXT, "", (), where))
        else:
            raise GraphError(nid, f"{node.type} state {node.name!r} has neither Next nor End: true")
        for policy_index, policy in enumerate(node.retry):
            if policy.max_attempts > 0:
                add(Edge(nid, nid, EdgeKind.RETRY, policy.label, policy.errors, policy.pointer, policy_index))
        handled: list[str] = []
        catchers = state.get("Catch", [])
        if node.type in ("Task", "Parallel", "Map") and isinstance(catchers, list):
            for index, catcher in enumerate(catchers):
                where = _join(nid, "Catch", str(index))
                if not isinstance(catcher, Mapping):
                    raise GraphError(where, "a Catcher must be an object with ErrorEquals and Next")
                errors = _strings(catcher.get("ErrorEquals"))
                handled.extend(errors)
                add(Edge(nid, target(catcher.get("Next"), where + "/Next"), EdgeKind.CATCH,
                         ", ".join(errors), errors, where, index))
        if node.can_fail:
            escaping = tuple(e for e in _known_errors(node) if not error_matches(handled, e))
            if node.type == "Fail" or escaping or not error_matches(handled, _OTHER_ERROR):
                add(Edge(nid, failed_id, EdgeKind.FAIL, _fail_label(node, handled, escaping),
                         escaping, nid))
        if node.is_container:
            self.containers.append((node, node.children))

    def _wire_container(self, node: Node, children: tuple[str, ...]) -> None:
        tolerated = node.type == "Map" and _tolerates_failures(node.state)
        for index, child in enumerate(children):
            scope = self.scopes[child]
            self.edges.append(Edge(node.id, scope.start, EdgeKind.BRANCH,
                                   f"branch {index + 1}" if node.type == "Parallel" else "items",
                                   (), child, index))
            self.edges.append(Edge(scope.end, node.id, EdgeKind.JOIN, "", (), child, index))
            if tolerated:
                self.edges.append(Edge(scope.failed, node.id, EdgeKind.JOIN, "tolerated", (), child, index))
            self.edges.append(Edge(scope.failed, node.id, EdgeKind.PROPAGATE, "error", (), child, index))


def _join(base: str, *parts: str) -> str:
    # base is already a JSON Pointer; parts are raw names, escaped as RFC 6901 says
    for part in parts:
        base += "/" + (part.replace("~", "~0").replace("/", "~1") if "~" in part or "/" in part else part)
    return base


def _scope_head(sid: str, kind: str, label: str, owner: str | None, parent: str | None, index: int, depth: int,
                mode: str | None, language: str) -> GraphScope:
    """A GraphScope whose states are not read yet."""
    return GraphScope(sid, kind, label, owner, parent, index, depth, "", (), "", "", mode, language)


def _language(body: Mapping[str, Any], inherited: str) -> str:
    value = body.get("QueryLanguage", inherited)
    return value if isinstance(value, str) else inherited


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _seconds(state: Mapping[str, Any], key: str) -> int | str | None:
    value = state.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):  # a JSONata expression
        return value
    path = state.get(key + "Path")
    return path if isinstance(path, str) else None


def _retry_policies(node_id: str, state: Mapping[str, Any]) -> tuple[RetryPolicy, ...]:
    retriers = state.get("Retry")
    if not isinstance(retriers, list):
        return ()
    out = []
    for index, entry in enumerate(retriers):
        if not isinstance(entry, Mapping):
            continue
        attempts = entry.get("MaxAttempts", 3)
        interval = entry.get("IntervalSeconds", 1)
        backoff = entry.get("BackoffRate", 2.0)
        delay = entry.get("MaxDelaySeconds")
        jitter = entry.get("JitterStrategy")
        out.append(RetryPolicy(
            errors=_strings(entry.get("ErrorEquals")),
            max_attempts=attempts if isinstance(attempts, int) else 3,
            interval_seconds=float(interval) if isinstance(interval, (int, float)) else 1.0,
            backoff_rate=float(backoff) if isinstance(backoff, (int, float)) else 2.0,
            max_delay_seconds=float(delay) if isinstance(delay, (int, float)) else None,
            jitter=jitter if isinstance(jitter, str) else None,
            pointer=_join(node_id, "Retry", str(index)),
        ))
    return tuple(out)


def _contains(value: object, needle: str) -> bool:
    """Whether any string inside ``value`` (iteratively walked) contains ``needle``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if needle in item:
                return True
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _uses_intrinsic(value: object) -> bool:
    """Whether a ``.$`` field of ``value`` calls an intrinsic function (``States.X(...)``)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            for key, inner in item.items():
                if isinstance(key, str) and key.endswith(".$") and isinstance(inner, str) \
                        and inner.lstrip().startswith("States."):
                    return True
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return False


_JSONATA_FIELDS = ("Arguments", "Output", "Assign", "Condition", "Seconds", "Timestamp", "Items",
                   "Choices", "Error", "Cause", "TimeoutSeconds", "HeartbeatSeconds")


def _failure_reasons(kind: str, state: Mapping[str, Any], language: str) -> tuple[str, ...]:
    reasons: list[str] = []
    if kind == "Task":
        reasons.append("task")
        if _seconds(state, "TimeoutSeconds") is not None:
            reasons.append("timeout")
        if _seconds(state, "HeartbeatSeconds") is not None:
            reasons.append("heartbeat")
    elif kind in ("Parallel", "Map"):
        reasons.append("branch")
    elif kind == "Fail":
        reasons.append("fail-state")
    elif kind == "Choice" and "Default" not in state:
        reasons.append("no-default")
    if kind in ("Pass", "Choice", "Wait", "Succeed"):
        if kind == "Pass" and _uses_intrinsic(state.get("Parameters")):
            reasons.append("intrinsic")
        if kind == "Wait" and ("SecondsPath" in state or "TimestampPath" in state):
            reasons.append("path")
        if language == "JSONata" and any(_contains(state.get(f), "{%") for f in _JSONATA_FIELDS):
            reasons.append("jsonata")
    return tuple(reasons)


def _known_errors(node: Node) -> tuple[str, ...]:
    """Named errors the state is known to be able to raise (beyond its resource's own)."""
    names = {"task": "States.TaskFailed", "timeout": "States.Timeout", "heartbeat": "States.HeartbeatTimeout",
             "branch": "States.BranchFailed", "no-default": "States.NoChoiceMatched",
             "intrinsic": "States.IntrinsicFailure", "jsonata": "States.QueryEvaluationError",
             "path": "States.Runtime", "fail-state": "States.Fail"}
    return tuple(names[r] for r in node.failure if r in names and names[r] not in UNCATCHABLE_ERRORS)


def _fail_label(node: Node, handled: list[str], escaping: tuple[str, ...]) -> str:
    if node.type == "Fail":
        error = node.state.get("Error")
        return error if isinstance(error, str) else "Fail"
    if not handled:
        return "uncaught error"
    if error_matches(handled, _OTHER_ERROR):  # a wildcard catcher: only named errors escape
        return "uncaught " + ", ".join(escaping)
    return "other errors"


def _tolerates_failures(state: Mapping[str, Any]) -> bool:
    for key in ("ToleratedFailurePercentage", "ToleratedFailureCount"):
        value = state.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return True
        if isinstance(value, str) or isinstance(state.get(key + "Path"), str):
            return True  # decided at run time: assume it may tolerate
    return False


def error_matches(error_equals: Iterable[str], error: str) -> bool:
    """Whether an ``ErrorEquals`` list handles ``error``.

    ``States.ALL`` handles every error except ``States.Runtime`` and
    ``States.DataLimitExceeded``; ``States.TaskFailed`` every error except those
    and ``States.Timeout``.
    """
    for pattern in error_equals:
        if pattern == error:
            return error not in UNCATCHABLE_ERRORS
        if pattern == "States.ALL" and error not in UNCATCHABLE_ERRORS:
            return True
        if pattern == "States.TaskFailed" and error not in UNCATCHABLE_ERRORS \
                and error not in ("States.Timeout", "States.HeartbeatTimeout"):
            return True
    return False


_OPERATORS = (
    ("StringEquals", "=="), ("NumericEquals", "=="), ("BooleanEquals", "=="), ("TimestampEquals", "=="),
    ("StringLessThan", "<"), ("NumericLessThan", "<"), ("TimestampLessThan", "<"),
    ("StringGreaterThan", ">"), ("NumericGreaterThan", ">"), ("TimestampGreaterThan", ">"),
    ("StringLessThanEquals", "<="), ("NumericLessThanEquals", "<="), ("TimestampLessThanEquals", "<="),
    ("StringGreaterThanEquals", ">="), ("NumericGreaterThanEquals", ">="),
    ("TimestampGreaterThanEquals", ">="), ("StringMatches", "~"),
)
_TYPE_TESTS = ("IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean", "IsTimestamp")


def condition_label(rule: Mapping[str, Any]) -> str:
    """The short form of a Choice rule: ``$.n > 3``, ``IsPresent($.a) and $.s ~ "*Z*"``.

    JSONata rules give their ``Condition`` without the ``{% %}`` markers.
    Long or deeply nested conditions are shortened with ``…``.
    """
    text = _condition_text(rule, 0)
    return text if len(text) <= _LABEL_MAX else text[:_LABEL_MAX - 1] + "…"


def _condition_text(rule: Mapping[str, Any], depth: int) -> str:
    if depth > _CONDITION_DEPTH:
        return "…"
    condition = rule.get("Condition")
    if isinstance(condition, str):
        return condition.strip().removeprefix("{%").removesuffix("%}").strip()
    if isinstance(condition, bool):
        return str(condition).lower()
    for key, joiner in (("And", " and "), ("Or", " or ")):
        parts = rule.get(key)
        if isinstance(parts, list):
            texts = [_condition_text(p, depth + 1) if isinstance(p, Mapping) else "?" for p in parts]
            return joiner.join(f"({t})" if (" and " in t or " or " in t) else t for t in texts)
    inner = rule.get("Not")
    if isinstance(inner, Mapping):
        return f"not ({_condition_text(inner, depth + 1)})"
    variable = rule.get("Variable", "?")
    for test in _TYPE_TESTS:
        if test in rule:
            return f"{test}({variable})" if rule[test] is not False else f"not {test}({variable})"
    for key, symbol in _OPERATORS:
        if key in rule:
            return f"{variable} {symbol} {_value_text(rule[key])}"
        if key + "Path" in rule:
            return f"{variable} {symbol} {rule[key + 'Path']}"
    return "?"


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def path_text(graph: Graph, edges: Sequence[Edge]) -> str:
    """A witness path as text: ``A -> B -[States.ALL]-> C``.

    Plain transitions print as ``->``; a Catch, Choice rule, Default, failure
    or branch entry prints its label in brackets. END/FAILED exits of inner
    scopes are skipped (the join back to the container is shown as the
    container's name), so the text reads as the execution would be described.
    """
    if not edges:
        return ""
    parts = [graph.label(edges[0].source)]
    carried = ""  # label of a skipped exit edge, shown on the join that follows it
    for edge in edges:
        target = graph.nodes[edge.target]
        label = edge.label if edge.kind not in (EdgeKind.NEXT, EdgeKind.END) else ""
        if target.kind is not NodeKind.STATE and graph.scopes[target.scope].owner is not None:
            carried = label
            continue  # the next edge (JOIN/PROPAGATE) names the container
        if edge.kind in (EdgeKind.JOIN, EdgeKind.PROPAGATE):
            label = edge.label if edge.label == "tolerated" else carried
        carried = ""
        arrow = f"-[{label}]->" if label else "->"
        parts.append(f"{arrow} {graph.label(edge.target)}")
    return " ".join(parts)
