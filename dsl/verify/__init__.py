"""Static verification of DynamoDB-semaphore locks in ASL documents.

Public API
----------
``verify(doc, *, cleanup=None, rule=None, cleanup_name=None, reconciler=None, schedule=None) -> list[Finding]``
    Check one ASL document (any machine: ours or hand-written). ``cleanup``
    is the cleanup workflow (parsed ASL), ``rule`` the EventBridge rule data
    (``{"EventPattern": {...}, "Target": "<cleanup file name>"}``) and
    ``cleanup_name`` the cleanup's file name (to check the rule's Target);
    ``reconciler`` a scheduled workflow that releases the lock's stale slots and
    ``schedule`` its rule (``{"ScheduleExpression": ..., "Target": ...}``).
    Returns :class:`~dsl.verify.rules.VerifyFinding` objects (a
    :class:`dsl.findings.Finding` with ``document`` -- ``""`` for ``doc``,
    ``"cleanup"``, ``"rule"`` or ``"reconciler"`` -- and ``witness``), sorted. Pure; raises
    :class:`dsl.graph.GraphError` when ``doc``'s structure cannot be followed.
``acquired_locks(doc) -> set[LockId]``
    The locks some acquire of ``doc`` takes.
``event_releases(doc) -> set[LockId]``
    The locks whose slot ``doc`` releases for the execution named by a
    status-change event (how a cleanup workflow is recognised).
``RULES``
    Rule id -> :class:`~dsl.verify.rules.Rule` (severity, statement).

Lock operations are recognised by what they do to DynamoDB (see
:mod:`dsl.verify.lockops`), never by state names.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from dsl.findings import Finding
from dsl.graph import GraphError, build_graph
from dsl.verify.analysis import analyse, tracked_locks
from dsl.verify.checks import path_findings, shape_findings
from dsl.verify.cleanup import coverage_findings
from dsl.verify.lockops import LockId, OpKind, recognise
from dsl.verify.redrive import redrive_findings
from dsl.verify.refs import EXECUTION_EVENT_FIELDS
from dsl.verify.rules import RULES, Rule, VerifyFinding

__all__ = ["RULES", "Rule", "VerifyFinding", "acquired_locks", "event_releases", "verify"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    # The analysis allocates many small acyclic objects; full passes of the cyclic
    # collector over them made large machines superlinear (2x at 10,000 states).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def verify(doc: Mapping[str, Any], *, cleanup: Mapping[str, Any] | None = None,
           rule: Mapping[str, Any] | None = None, cleanup_name: str | None = None,
           reconciler: Mapping[str, Any] | None = None, schedule: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every lock rule violated by ``doc`` (see the module docstring)."""
    with _collector_paused():
        return _verify(doc, cleanup, rule, cleanup_name, reconciler, schedule)


def _verify(doc: Mapping[str, Any], cleanup: Mapping[str, Any] | None, rule: Mapping[str, Any] | None,
            cleanup_name: str | None, reconciler: Mapping[str, Any] | None,
            schedule: Mapping[str, Any] | None) -> list[Finding]:
    graph = build_graph(doc)
    recognition = recognise(graph)
    found: list[VerifyFinding] = shape_findings(graph, recognition)
    family = list(recognition.ops.values())
    for tracked in tracked_locks(recognition):
        acquires = [op for op in recognition.of_kind(OpKind.ACQUIRE) if op.lock == tracked.lock]
        analysis = analyse(graph, recognition, tracked, acquires)
        found.extend(path_findings(analysis))
        found.extend(redrive_findings(analysis))
        found.extend(coverage_findings(analysis, cleanup=cleanup, rule=rule, cleanup_name=cleanup_name,
                                       family=family, reconciler=reconciler, schedule=schedule))
    unique = sorted(set(found), key=lambda f: (f.document, f.pointer, f.rule, f.message))
    return list(unique)


def acquired_locks(doc: Mapping[str, Any]) -> set[LockId]:
    """Locks some acquire of ``doc`` takes (empty for a document that cannot be followed)."""
    try:
        graph = build_graph(doc)
    except GraphError:
        return set()
    return {op.lock for op in recognise(graph).of_kind(OpKind.ACQUIRE) if op.lock is not None}


def event_releases(doc: Mapping[str, Any]) -> set[LockId]:
    """Locks whose slot ``doc`` releases for the owner named by a status-change event input."""
    try:
        graph = build_graph(doc)
    except GraphError:
        return set()
    event_fields = set(EXECUTION_EVENT_FIELDS.values())
    return {op.lock for op in recognise(graph).of_kind(OpKind.RELEASE)
            if op.lock is not None and op.owner is not None and op.owner.expr in event_fields}
