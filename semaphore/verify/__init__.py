"""Static verification of DynamoDB-semaphore locks in ASL documents.

Public API
----------
``verify(doc, *, cleanup=None, rule=None, cleanup_name=None, reconciler=None, schedule=None, declared=False)``
    Check one ASL document (any machine: ours or hand-written). ``cleanup``
    is the cleanup workflow (parsed ASL), ``rule`` the EventBridge rule data
    (``{"EventPattern": {...}, "Target": "<cleanup file name>"}``) and
    ``cleanup_name`` the cleanup's file name (to check the rule's Target);
    ``reconciler`` a scheduled workflow that releases the lock's stale slots and
    ``schedule`` its rule (``{"ScheduleExpression": ..., "Target": ...}``).
    Returns :class:`~semaphore.verify.rules.VerifyFinding` objects (a
    :class:`dsl.findings.Finding` with ``document`` -- ``""`` for ``doc``,
    ``"cleanup"``, ``"rule"`` or ``"reconciler"`` -- and ``witness``), sorted. Pure; raises
    :class:`dsl.graph.GraphError` when ``doc``'s structure cannot be followed.
``uses_lock(doc) -> bool``
    Whether a lock is identified in ``doc`` (see :func:`~semaphore.verify.lockops.identified_items`):
    the build's lock check applies to such workflows only.
``acquired_locks(doc) -> set[LockId]``
    The locks some acquire of ``doc`` takes.
``event_releases(doc) -> set[LockId]``
    The locks whose slot ``doc`` releases for the execution named by a
    status-change event (how a cleanup workflow is recognised).
``RULES``
    Rule id -> :class:`~semaphore.verify.rules.Rule` (severity, statement).

Lock operations are recognised by what they do to DynamoDB (see
:mod:`semaphore.verify.lockops`), never by state names. Lock rules apply only to an item where a
lock is identified: some operation on it moves a counter *and* an owner's slot together (an
acquire, a release, a hand-off, a queueing), or the caller declares that ``doc`` holds a lock
(``declared=True``, as the Semaphore pattern's workflows do). A plain counter, such as a
conditional stock decrement, is not a lock and gets no finding.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from dsl.findings import Finding
from dsl.graph import GraphError, build_graph
from semaphore.verify.analysis import analyse, tracked_locks
from semaphore.verify.checks import path_findings, shape_findings
from semaphore.verify.cleanup import coverage_findings
from semaphore.verify.lockops import LockId, OpKind, identified_items, recognise
from semaphore.verify.redrive import redrive_findings
from semaphore.verify.refs import EXECUTION_EVENT_FIELDS
from semaphore.verify.rules import RULES, Rule, VerifyFinding

__all__ = ["RULES", "Rule", "VerifyFinding", "acquired_locks", "event_releases", "uses_lock", "verify"]


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
           reconciler: Mapping[str, Any] | None = None, schedule: Mapping[str, Any] | None = None,
           declared: bool = False) -> list[Finding]:
    """Every lock rule violated by ``doc`` (see the module docstring)."""
    with _collector_paused():
        return _verify(doc, cleanup, rule, cleanup_name, reconciler, schedule, declared)


def _verify(doc: Mapping[str, Any], cleanup: Mapping[str, Any] | None, rule: Mapping[str, Any] | None,
            cleanup_name: str | None, reconciler: Mapping[str, Any] | None,
            schedule: Mapping[str, Any] | None, declared: bool) -> list[Finding]:
    graph = build_graph(doc)
    recognition = recognise(graph)
    if not declared:
        recognition = recognition.on_items(identified_items(recognition))
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


def uses_lock(doc: Mapping[str, Any]) -> bool:
    """Whether a lock is identified in ``doc`` (False for a document that cannot be followed)."""
    try:
        graph = build_graph(doc)
    except GraphError:
        return False
    return bool(identified_items(recognise(graph)))


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
