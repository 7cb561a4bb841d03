"""Mermaid flowcharts of ASL workflows (rendered by GitHub in Markdown).

Node ids are generated (``s0``, ``s1``, ...), so a state's name never has to
be a Mermaid identifier; names appear only inside quoted labels, with every
character that Mermaid or HTML would read (quote, ``#``, ``;``, ``<``, ``>``,
``&``, backtick, ``|``) written as a Mermaid entity code (``#quot;``,
``#35;``...).
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

_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    ";": "#59;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
    "\\": "#92;",
}
# Shape of each box kind: (opening, closing) around the quoted label.
_SHAPES = {
    "task": ("[", "]"),
    "pass": ("(", ")"),
    "wait": ("{{", "}}"),
    "choice": ("{", "}"),
    "succeed": ("([", "])"),
    "fail": ("([", "])"),
    "terminal": ("([", "])"),
}
_INDENT = "    "


def escape(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label: specials as entity codes, no line breaks."""
    out = []
    for char in text:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char < " " or char == "\x7f" or char in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def label(lines: tuple[str, ...] | list[str]) -> str:
    """Quoted label of several lines (joined with ``<br/>``)."""
    return '"' + "<br/>".join(escape(line) for line in lines) + '"'


def to_mermaid(doc: Mapping[str, Any]) -> str:
    """The Mermaid flowchart of ``doc`` (text ending in a newline)."""
    return render(build_diagram(doc))


def render(diagram: Diagram) -> str:
    """Mermaid text of a :class:`~dsl.review.diagram.Diagram`."""
    lines = ["flowchart TD"]
    kinds: dict[str, list[str]] = {}
    for item in diagram.items:
        _emit(item, 1, lines, kinds)
    for arrow in diagram.arrows:
        link = "-.->" if arrow.style == "dashed" else "-->"
        text = f"|{label([arrow.label])}|" if arrow.label else ""
        lines.append(f"{_INDENT}{arrow.source} {link}{text} {arrow.target}")
    for kind, (fill, stroke) in PALETTE.items():
        if kind in kinds:
            lines.append(f"{_INDENT}classDef {kind} fill:{fill},stroke:{stroke},color:{TEXT_COLOUR}")
            lines.append(f"{_INDENT}class {','.join(kinds[kind])} {kind}")
    return "\n".join(lines) + "\n"


def _emit(item: Box | Cluster, depth: int, lines: list[str], kinds: dict[str, list[str]]) -> None:
    pad = _INDENT * depth
    if isinstance(item, Box):
        opening, closing = _SHAPES[item.shape]
        lines.append(f"{pad}{item.id}{opening}{label(item.lines)}{closing}")
        kinds.setdefault(item.shape, []).append(item.id)
        return
    lines.append(f"{pad}subgraph {item.id} [{label([item.title])}]")
    lines.append(f"{pad}{_INDENT}direction TB")
    for inner in item.items:
        _emit(inner, depth + 1, lines, kinds)
    lines.append(f"{pad}end")
