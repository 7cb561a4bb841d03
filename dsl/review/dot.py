"""Graphviz DOT diagrams of ASL workflows (``python -m dsl graph --format dot``).

Same content as the Mermaid diagram (:mod:`dsl.review.diagram`). Parallel and
Map states are clusters; since a DOT edge cannot end at a cluster, an arrow
into or out of one is drawn to or from a box inside it and clipped at the
cluster's border (``compound=true`` with ``lhead``/``ltail``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dsl.review.diagram import (
    PALETTE,
    TEXT_COLOUR,
    Box,
    Cluster,
    Diagram,
    build_diagram,
)

# Box kind -> DOT shape attributes (colours come from the shared palette).
_SHAPES = {
    "task": 'shape=box, style="filled"',
    "pass": 'shape=box, style="rounded,filled"',
    "wait": 'shape=hexagon, style="filled"',
    "choice": 'shape=diamond, style="filled"',
    "succeed": 'shape=box, style="rounded,filled", peripheries=2',
    "fail": 'shape=box, style="rounded,filled", peripheries=2',
    "terminal": 'shape=oval, style="filled"',
}
_INDENT = "  "


def quote(text: str) -> str:
    """A DOT quoted string whose text Graphviz shows as is (no ``\\N``-style escapes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(doc: Mapping[str, Any]) -> str:
    """The DOT digraph of ``doc`` (text ending in a newline)."""
    return render(build_diagram(doc))


def render(diagram: Diagram) -> str:
    """DOT text of a :class:`~dsl.review.diagram.Diagram`."""
    lines = [
        "digraph workflow {",
        f'{_INDENT}graph [compound=true, rankdir=TB, fontname="Helvetica", fontsize=11];',
        f'{_INDENT}node [fontname="Helvetica", fontsize=11];',
        f'{_INDENT}edge [fontname="Helvetica", fontsize=10];',
    ]
    for item in diagram.items:
        _emit(item, 1, lines)
    for arrow in diagram.arrows:
        source = diagram.anchors.get(arrow.source, arrow.source)
        target = diagram.anchors.get(arrow.target, arrow.target)
        attributes = []
        if arrow.label:
            attributes.append(f"label={quote(arrow.label)}")
        if arrow.style == "dashed":
            attributes.append("style=dashed")
        if arrow.source in diagram.anchors:
            attributes.append(f"ltail=cluster_{arrow.source}")
        if arrow.target in diagram.anchors:
            attributes.append(f"lhead=cluster_{arrow.target}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"{_INDENT}{source} -> {target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _emit(item: Box | Cluster, depth: int, lines: list[str]) -> None:
    pad = _INDENT * depth
    if isinstance(item, Box):
        fill, stroke = PALETTE[item.shape]
        lines.append(f"{pad}{item.id} [label={quote(chr(10).join(item.lines))}, {_SHAPES[item.shape]}, "
                     f'fillcolor="{fill}", color="{stroke}", fontcolor="{TEXT_COLOUR}"];')
        return
    lines.append(f"{pad}subgraph cluster_{item.id} {{")
    lines.append(f'{pad}{_INDENT}label={quote(item.title)}; style="rounded"; color="#9a9a9a";')
    for inner in item.items:
        _emit(inner, depth + 1, lines)
    lines.append(f"{pad}}}")
