"""Coverage of failed ends: the cleanup workflow and the EventBridge rule that starts it.

An execution can end while holding its slot in three ways the machine
cannot catch: FAILED (an uncaught error, a Fail state, and at any state
``States.Runtime``/``States.DataLimitExceeded``, which no Catcher handles),
TIMED_OUT (the machine's TimeoutSeconds, or the execution time limit) and
ABORTED (``StopExecution``, possible at any state). Each is covered only
when the rule routes that status of this machine to a cleanup that
releases exactly the failed execution's slot on every path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from dsl.graph import GraphError, build_graph
from semaphore.verify.analysis import Analysis, Tracked, analyse
from semaphore.verify.checks import shape_findings
from semaphore.verify.eventpattern import status_event, unmatched
from semaphore.verify.events import STATUSES, not_for_events
from semaphore.verify.flow import HELD, MAYBE, PENDING
from semaphore.verify.grace import grace_findings
from semaphore.verify.lockops import RELEASING, LockOp, OpKind, Owner, recognise
from semaphore.verify.reconciler import reconciler_findings
from semaphore.verify.refs import event_owner
from semaphore.verify.revived import revived_edges
from semaphore.verify.rules import VerifyFinding, finding

__all__ = ["STATUSES", "coverage_findings"]

_RELEASING = (*RELEASING, OpKind.DECREMENT)


def _status_witnesses(analysis: Analysis, held: tuple[int, int]) -> dict[str, str]:
    """For each status, a path on which the execution ends that way holding the slot."""
    base = analysis.witness(*held, from_acquire=True).text
    main_failures = [p for p in analysis.flow.failure if p not in analysis.flow.child]
    explicit = analysis.reached(main_failures, HELD, MAYBE, PENDING)
    failed = (analysis.witness(*explicit, from_acquire=True).text if explicit is not None
              else f"{base} -[States.Runtime]-> (failed)")
    limit = analysis.graph.timeout_seconds
    timed_out = f"{base} -[{f'TimeoutSeconds {limit}' if limit else 'execution time limit'}]-> (timed out)"
    return {"FAILED": failed, "TIMED_OUT": timed_out, "ABORTED": f"{base} -[StopExecution]-> (aborted)"}


def coverage_findings(analysis: Analysis, *, cleanup: Mapping[str, Any] | None, rule: Mapping[str, Any] | None,
                      cleanup_name: str | None, family: Iterable[LockOp],
                      reconciler: Mapping[str, Any] | None = None,
                      schedule: Mapping[str, Any] | None = None) -> list[VerifyFinding]:
    """LOCK-CLEANUP, LOCK-CLEANUP-RULE, LOCK-STALE-READ, LOCK-CLEANUP-FAIL and LOCK-WORK-BOUND (of
    the cleanup and the reconciler) for one tracked lock.

    ``family`` are the machine's lock operations (so the cleanup's reads of
    the same item are recognised); ``reconciler`` and its ``schedule`` rule,
    when given, may cover a failing cleanup.
    """
    held = analysis.first_held()
    out: list[VerifyFinding] = []
    tracked = analysis.tracked
    for position in sorted(analysis.flow.failure & analysis.flow.child):
        for fact in (HELD, MAYBE, PENDING):
            if analysis.reach.has(position, fact):
                witness = analysis.witness(position, fact, from_acquire=True)
                out.append(finding(
                    "LOCK-CLEANUP", witness.start,
                    f"a distributed Map item holding lock {tracked.lock} can fail as a child execution; its "
                    "status events name the Map Run, not this machine, so the cleanup never sees it",
                    witness=witness.text))
                break
    if held is None:
        return out
    witnesses = _status_witnesses(analysis, held)
    start = analysis.witness(*held, from_acquire=True).start
    family = list(family)
    covered = False
    if reconciler is not None:
        covered, found = reconciler_findings(analysis, reconciler, schedule, family)
        out.extend(found)
    if cleanup is None:
        out.append(finding(
            "LOCK-CLEANUP", start,
            f"no cleanup workflow for lock {tracked.lock} (give --cleanup FILE or put one beside the machine): "
            "an execution that fails, times out or is stopped while holding its slot leaks it",
            witness=witnesses["FAILED"]))
    else:
        found = _cleanup_workflow(analysis, cleanup, start, [op for op in family if op.kind is OpKind.ACQUIRE
                                                             and op.lock == tracked.lock], family)
        out.extend(f for f in found if not (covered and f.rule == "LOCK-CLEANUP-FAIL"))
    out.extend(_rule(rule, cleanup_name, start, witnesses))
    return out


def _cleanup_workflow(analysis: Analysis, cleanup: Mapping[str, Any], start: str, acquires: list[LockOp],
                      family: list[LockOp]) -> list[VerifyFinding]:
    tracked = analysis.tracked
    expected = event_owner(tracked.owner.expr)
    if expected is None:
        return [finding(
            "LOCK-CLEANUP", start,
            f"owner {tracked.owner} is not derived from the execution's id, so a status-change event cannot name "
            "it: no cleanup can release this slot")]
    try:
        graph = build_graph(cleanup)
    except GraphError as exc:
        return [finding("LOCK-CLEANUP", exc.pointer, f"cannot analyse the cleanup workflow: {exc.message}",
                        document="cleanup")]
    recognition = recognise(graph, related=family)
    out = shape_findings(graph, recognition, "cleanup")
    wanted = Owner(expected, tracked.owner.where)
    releases = [op for op in recognition.ops.values() if op.kind in _RELEASING and op.lock == tracked.lock]
    if not releases:
        out.append(finding("LOCK-CLEANUP", "", f"the cleanup workflow releases no slot of lock {tracked.lock}",
                           document="cleanup"))
        return out
    # A branch for an owner found RUNNING again (redriven) is not a leak: it releases itself.
    owners = {expected, *(op.owner.expr for op in releases if op.owner is not None)}
    inner = analyse(graph, recognition, Tracked(tracked.lock, wanted), acquires, start_fact=HELD,
                    impossible=not_for_events(graph) | revived_edges(graph, owners))
    if not any(inner.is_owner(op) for op in releases):
        op = releases[0]
        out.append(finding(
            "LOCK-CLEANUP", op.node,
            f"the cleanup's release {graph.label(op.node)!r} frees owner {op.owner}, but the failed execution's "
            f"slot is {wanted} (the machine's owner {tracked.owner})", document="cleanup"))
        return out
    out.extend(grace_findings(analysis, inner))
    leak = inner.reached(inner.flow.success, HELD, MAYBE, PENDING)
    if leak is not None:
        witness = inner.witness(*leak, from_acquire=False)
        if witness.stale:
            out.append(finding(
                "LOCK-STALE-READ", witness.stale_at,
                f"the cleanup can finish without releasing {wanted}'s slot because it decides on an eventually "
                "consistent read that can miss a slot written just before (set ConsistentRead: true)",
                document="cleanup", witness=witness.text))
        else:
            out.append(finding(
                "LOCK-CLEANUP", witness.last_state,
                f"the cleanup can finish without releasing {wanted}'s slot", document="cleanup",
                witness=witness.text))
    failed = inner.reached(inner.flow.failure, HELD, MAYBE, PENDING)
    if failed is not None:
        witness = inner.witness(*failed, from_acquire=False)
        out.append(finding(
            "LOCK-CLEANUP-FAIL", witness.last_state,
            f"the cleanup itself can fail before releasing {wanted}'s slot; nothing retries it (a reconciler "
            "that frees the slots of executions no longer RUNNING would)", document="cleanup",
            witness=witness.text))
    return out


def _rule(rule: Mapping[str, Any] | None, cleanup_name: str | None, start: str,
          witnesses: Mapping[str, str]) -> list[VerifyFinding]:
    if rule is None:
        return [finding(
            "LOCK-CLEANUP-RULE", start,
            "no EventBridge rule given (--rule FILE, or cleanup-rule.json beside the machine): nothing is known "
            "to start the cleanup, so cleanup coverage is unproven", witness=witnesses["FAILED"])]
    pattern: object = rule.get("EventPattern")
    if isinstance(pattern, str):
        try:
            pattern = json.loads(pattern)
        except ValueError:
            pattern = None
    if not isinstance(pattern, Mapping):
        return [finding("LOCK-CLEANUP-RULE", "/EventPattern",
                        "the rule has no EventPattern object; expected source, detail-type and detail.status",
                        document="rule")]
    out: list[VerifyFinding] = []
    if rule.get("State", "ENABLED") != "ENABLED":
        out.append(finding("LOCK-CLEANUP-RULE", "/State", f"the rule is {rule.get('State')}, so it starts nothing",
                           document="rule"))
    for status in STATUSES:
        where = unmatched(pattern, status_event(status))
        if where is not None:
            out.append(finding(
                "LOCK-CLEANUP-RULE", "/EventPattern" + where,
                f"the rule does not start the cleanup for {status} executions of this machine",
                document="rule", witness=witnesses[status]))
    target = rule.get("Target")
    if not isinstance(target, str) or not target:
        out.append(finding("LOCK-CLEANUP-RULE", "/Target", "the rule names no Target cleanup workflow",
                           document="rule"))
    elif cleanup_name is not None and PurePath(target).name != cleanup_name:
        out.append(finding("LOCK-CLEANUP-RULE", "/Target",
                           f"the rule starts {target!r}, not the cleanup workflow {cleanup_name!r}", document="rule"))
    return out
