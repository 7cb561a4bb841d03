"""The per-workflow review summary, ``generated/<name>.md``.

What a reviewer needs beside the ASL: the diagram, a table of states (type,
integration, key parameters, retry, catch), the IAM actions the workflow
needs (from :func:`dsl.iam.required_permissions`, the deployer's own
derivation), the ``${...}`` placeholders it uses, and the results of the project's checks
(:mod:`dsl.checks`) that apply to it.
The text is a pure function of its inputs (same bytes everywhere), rendered
from ``templates/workflow.md.j2``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dsl.checks import Outcome
from dsl.document import NESTED_MACHINE_FIELDS, PROCESSOR_FIELDS
from dsl.findings import Finding
from dsl.graph import Graph, Node, build_graph, condition_label
from dsl.placeholders import find_all
from dsl.review.diagram import build_diagram
from dsl.review.location import Enclosing
from dsl.review.mermaid import render as render_mermaid
from dsl.review.shortform import (
    catcher_errors,
    integration,
    leaves,
    retrier_text,
    value_text,
)

# Fields shown in their own columns (or as the diagram's arrows), not as key parameters.
_NOT_PARAMETERS = frozenset({"Type", "Comment", "Next", "End", "Resource", "Retry", "Catch", "Choices",
                             "Default", *NESTED_MACHINE_FIELDS})
# Long enough for a DynamoDB condition or update expression, short enough for a 100-item list.
_VALUE_LIMIT = 160


@dataclass(frozen=True)
class StateRow:
    """One line of the states table; ``parameters``, ``retry`` and ``catch`` are lists of lines."""

    name: str
    where: tuple[Enclosing, ...]
    type: str
    integration: str
    parameters: tuple[tuple[str, str], ...]
    retry: tuple[str, ...]
    catch: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class GrantRow:
    """One IAM grant of one state."""

    state: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class FindingRow:
    """One verifier finding; ``where`` names the document (cleanup, rule) when it is not this workflow."""

    severity: str
    where: str
    rule: str
    message: str


@dataclass(frozen=True)
class CheckRows:
    """One project check's result: the command that reproduces it, its findings, what else it read."""

    command: str
    findings: tuple[FindingRow, ...]
    context_note: str


@dataclass(frozen=True)
class PlaceholderUse:
    """Where one ``${...}`` placeholder appears: (state or ``(workflow)``, field path) pairs."""

    placeholder: str
    uses: tuple[tuple[str, str], ...]


def render_summary(name: str, doc: dict[str, Any], *, outcomes: Sequence[Outcome] = ()) -> str:
    """The Markdown review summary of workflow ``name`` (deterministic text).

    ``outcomes`` are the results of the project checks that apply to it (see :mod:`dsl.checks`);
    none when no check applies. Raises :class:`dsl.graph.GraphError` when ``doc`` cannot be followed.
    """
    from dsl.iam import IamDerivationError, required_permissions
    from dsl.review.templating import render

    graph = build_graph(doc)
    try:
        grants = _grant_rows(required_permissions(doc))
        iam_error = ""
    except IamDerivationError as exc:
        grants, iam_error = [], str(exc)
    return render(
        "workflow.md.j2",
        name=name,
        comment=doc.get("Comment") if isinstance(doc.get("Comment"), str) else "",
        start=graph.node(graph.root.start).name,
        timeout=doc.get("TimeoutSeconds"),
        query_language=doc.get("QueryLanguage", "JSONPath"),
        mermaid=render_mermaid(build_diagram(doc)),
        states=[_row(graph, node) for node in _in_reading_order(graph)],
        grants=grants,
        actions=sorted({a for g in grants for a in g.actions}),
        iam_error=iam_error,
        placeholders=placeholder_uses(graph),
        checks=[CheckRows(o.command, tuple(_finding_row(f) for f in o.findings), o.context_note)
                for o in outcomes],
    )


def _finding_row(finding: Finding) -> FindingRow:
    document = getattr(finding, "document", "")
    where = finding.pointer or "/"
    return FindingRow(finding.severity, f"{document}:{where}" if document else where, finding.rule,
                      finding.message)


def _in_reading_order(graph: Graph) -> Iterator[Node]:
    """States in document order, each Parallel/Map followed by the states inside it."""
    pending = list(reversed(graph.root.states))
    while pending:
        node = graph.node(pending.pop())
        yield node
        for child in reversed(node.children):
            pending.extend(reversed(graph.scopes[child].states))


def scopes_of(graph: Graph, node: Node) -> tuple[Enclosing, ...]:
    """Where ``node`` sits: its enclosing Parallel branches and Map item processors, outermost first."""
    where: list[Enclosing] = []
    scope = graph.scope_of(node.id)
    while scope.owner is not None:
        owner = graph.node(scope.owner)
        where.append(Enclosing(owner.name, scope.index + 1 if owner.type == "Parallel" else None))
        scope = graph.scopes[scope.parent or ""]
    return tuple(reversed(where))


def _row(graph: Graph, node: Node) -> StateRow:
    state = node.state
    retry = state.get("Retry")
    catch = state.get("Catch")
    return StateRow(
        name=node.name,
        where=scopes_of(graph, node),
        type=node.type,
        integration=integration(node.resource) if node.type == "Task" else "",
        parameters=tuple(_parameters(state)),
        retry=tuple(retrier_text(r) for r in retry) if isinstance(retry, list) else (),
        catch=tuple((catcher_errors(c), str(c.get("Next", "?")) if isinstance(c, dict) else "?")
                    for c in catch) if isinstance(catch, list) else (),
    )


def _parameters(state: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, short value) of every field that is not a transition or a nested scope."""
    for index, rule in enumerate(state.get("Choices") or []):
        if isinstance(rule, dict):
            yield f"Choices[{index}]", f"{condition_label(rule)} → {rule.get('Next', '?')}"
    if "Default" in state:
        yield "Default", f"→ {state['Default']}"
    for key, value in state.items():
        if key not in _NOT_PARAMETERS:
            for path, leaf in leaves(value, key):
                yield path, value_text(leaf, limit=_VALUE_LIMIT)
    for key in PROCESSOR_FIELDS:
        processor = state.get(key)
        if isinstance(processor, dict) and "ProcessorConfig" in processor:
            for path, leaf in leaves(processor["ProcessorConfig"], f"{key}.ProcessorConfig"):
                yield path, value_text(leaf, limit=_VALUE_LIMIT)


def _grant_rows(permissions: Any) -> list[GrantRow]:
    return [GrantRow(p.state, g.actions, g.resources, g.why) for p in permissions for g in p.grants]


def placeholder_uses(graph: Graph) -> list[PlaceholderUse]:
    """Every ``${...}`` placeholder in the document, with the states and fields that use it."""
    found: dict[str, list[tuple[str, str]]] = {}
    sources: list[tuple[str, Mapping[str, Any]]] = [
        ("(workflow)", {k: v for k, v in graph.doc.items() if k not in ("States", "StartAt")})]
    sources += [(node.name, _own_fields(node)) for node in _in_reading_order(graph)]
    for owner, fields in sources:
        for path, leaf in leaves(dict(fields)):
            for text in _strings(leaf):
                for placeholder in find_all(text):
                    uses = found.setdefault(placeholder, [])
                    if (owner, path) not in uses:
                        uses.append((owner, path))
    return [PlaceholderUse(p, tuple(found[p])) for p in sorted(found)]


def _own_fields(node: Node) -> dict[str, Any]:
    """A state's fields without its nested states (they are listed as states of their own)."""
    return {key: value for key, value in node.state.items() if key not in NESTED_MACHINE_FIELDS}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
