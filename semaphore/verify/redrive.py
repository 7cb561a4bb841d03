"""LOCK-REDRIVE: work under the lock refuses to run again after a redrive, and is caught.

Redrive restarts a FAILED, TIMED_OUT or ABORTED execution at its unsuccessful
state, with the same ARN, skipping the acquire before it; the cleanup started
by the earlier status event may already have released its slot. A redrive of a
Parallel or inline Map re-runs only its failed branches or iterations, so the
state that restarts is the failed Task inside. Each work Task under the lock
(:func:`semaphore.verify.checks.work_under_lock`) must therefore read the redrive
count in its request, which is how it can refuse to run (the pattern's
Arguments raise ``States.QueryEvaluationError`` when the count grew since the
acquire), and that error must be caught on the way out of it (by its own
Catch or an enclosing Parallel/Map's) so the execution can acquire again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dsl.graph import Edge, EdgeKind, Graph, Node, error_matches
from semaphore.verify.analysis import Analysis
from semaphore.verify.checks import work_under_lock
from semaphore.verify.refs import canonical
from semaphore.verify.rules import VerifyFinding, finding

__all__ = ["QUERY_FAILED", "REDRIVE_COUNT", "query_failure_caught", "reads_redrive_count", "redrive_findings"]

QUERY_FAILED = "States.QueryEvaluationError"
REDRIVE_COUNT = "{context.Execution.RedriveCount}"  # canonical spelling (semaphore.verify.refs)


def _expressions(value: Any, *, jsonata: bool) -> Iterator[str]:
    """The run-time expressions of a request: JSONata ``{% %}`` strings, or JSONPath ``.$`` values."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Mapping):
            if not jsonata:
                yield from (v for k, v in item.items() if isinstance(k, str) and k.endswith(".$")
                            and isinstance(v, str))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif jsonata and isinstance(item, str) and item.strip().startswith("{%") and item.strip().endswith("%}"):
            yield item


def reads_redrive_count(node: Node) -> bool:
    """Whether the state's request (JSONata Arguments, JSONPath Parameters) reads the redrive count."""
    jsonata = node.query_language == "JSONata"
    request = node.state.get("Arguments" if jsonata else "Parameters")
    return any(REDRIVE_COUNT in canonical(e, jsonata=jsonata) for e in _expressions(request, jsonata=jsonata))


def _catches(edges: Iterable[Edge]) -> bool:
    return any(e.kind is EdgeKind.CATCH and error_matches(e.errors, QUERY_FAILED) for e in edges)


def query_failure_caught(graph: Graph, node: Node) -> bool:
    """Whether ``States.QueryEvaluationError`` raised by ``node`` is caught: by its own Catch, or
    (left uncaught in a branch or inline Map iteration) by an enclosing container's."""
    if _catches(graph.out_edges(node.id)):
        return True
    for container in graph.ancestors(node.id):
        if graph.scopes[node.scope].mode == "DISTRIBUTED":
            return False  # a child execution's error does not leave the Map as this error
        if _catches(graph.out_edges(container.id)):
            return True
        node = container
    return False


def redrive_findings(analysis: Analysis) -> list[VerifyFinding]:
    """LOCK-REDRIVE for each work Task under the tracked lock that a redrive could restart unguarded."""
    graph = analysis.graph
    out: list[VerifyFinding] = []
    for node in work_under_lock(analysis):
        missing = [what for what, ok in (
            ("its request does not read the execution's RedriveCount", reads_redrive_count(node)),
            (f"nothing catches {QUERY_FAILED} on the way out of it", query_failure_caught(graph, node))) if not ok]
        if missing:
            out.append(finding(
                "LOCK-REDRIVE", node.id,
                f"a redrive after the cleanup released this execution's slot restarts {graph.label(node.id)!r} "
                f"without a slot ({'; '.join(missing)}); guard its Arguments with Semaphore.unless_redriven and "
                f"catch {QUERY_FAILED} (see Semaphore.hold)"))
    return out
