"""A strict reader of the Mermaid subset the renderer writes, for the tests.

Every line must be one of the forms below, labels must be fully escaped, and
the result gives nodes, subgraphs (with nesting) and edges with decoded text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_ID = r"[A-Za-z][A-Za-z0-9_]*"
_LABEL = r'"([^"]*)"'
_NODE = re.compile(rf"^({_ID})(\(\[|\[|\{{\{{|\{{|\()" + _LABEL + r"(\]\)|\]|\}\}|\}|\))$")
_SUBGRAPH = re.compile(rf"^subgraph ({_ID}) \[" + _LABEL + r"\]$")
_EDGE = re.compile(rf"^({_ID}) (-->|-\.->)(?:\|" + _LABEL + rf"\|)? ({_ID})$")
_CLASSDEF = re.compile(rf"^classDef ({_ID}) [a-z-]+:[^ ]+$")
_CLASS = re.compile(rf"^class ({_ID}(?:,{_ID})*) ({_ID})$")
_PAIRS = {"([": "])", "[": "]", "{{": "}}", "{": "}", "(": ")"}
_ENTITY = re.compile(r"#([a-z]+|\d+);")
_UNSAFE = re.compile(r'["`|<>;&\\#]')


@dataclass
class Parsed:
    """What a Mermaid flowchart contains."""

    nodes: dict[str, list[str]] = field(default_factory=dict)  # id -> decoded label lines
    shapes: dict[str, str] = field(default_factory=dict)
    subgraphs: dict[str, str] = field(default_factory=dict)  # id -> decoded title
    parent: dict[str, str | None] = field(default_factory=dict)  # node/subgraph id -> subgraph id
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # (source, link, label, target)
    classes: dict[str, str] = field(default_factory=dict)

    def node_named(self, name: str) -> str:
        found = [i for i, lines in self.nodes.items() if lines[0] == name]
        found += [i for i, title in self.subgraphs.items() if title.split(" · ")[0] == name]
        assert len(found) == 1, f"{name!r} drawn {len(found)} times"
        return found[0]


def decode(text: str) -> str:
    """The text a Mermaid label shows: entity codes (#quot; #35; ...) decoded."""
    unsafe = _UNSAFE.search(_ENTITY.sub("", text))
    assert unsafe is None, f"unescaped {unsafe.group()!r} in label {text!r}"
    return html.unescape(_ENTITY.sub(lambda m: f"&{m.group(1) if not m.group(1).isdigit() else '#' + m.group(1)};",
                                     text))


def _lines(label: str) -> list[str]:
    return [decode(part) for part in label.split("<br/>")]


def parse(text: str) -> Parsed:
    """Read ``text`` or fail an assertion naming the first line that is not understood."""
    lines = text.split("\n")
    assert lines[0] == "flowchart TD", lines[0]
    assert text.endswith("\n") and lines[-1] == ""
    out = Parsed()
    stack: list[str] = []
    for number, raw in enumerate(lines[1:-1], start=2):
        line = raw.strip()
        if match := _NODE.match(line):
            node, opening, label, closing = match.groups()
            assert _PAIRS[opening] == closing, f"line {number}: shape {opening}…{closing}"
            assert node not in out.nodes and node not in out.subgraphs, f"line {number}: {node} twice"
            out.nodes[node] = _lines(label)
            out.shapes[node] = opening
            out.parent[node] = stack[-1] if stack else None
        elif match := _SUBGRAPH.match(line):
            sub, title = match.groups()
            out.subgraphs[sub] = decode(title)
            out.parent[sub] = stack[-1] if stack else None
            stack.append(sub)
        elif line == "end":
            assert stack, f"line {number}: end without subgraph"
            stack.pop()
        elif line == "direction TB":
            assert stack, f"line {number}: direction outside a subgraph"
        elif match := _EDGE.match(line):
            source, link, label, target = match.groups()
            out.edges.append((source, link, decode(label) if label is not None else "", target))
        elif _CLASSDEF.match(line):
            pass
        elif match := _CLASS.match(line):
            for node in match.group(1).split(","):
                out.classes[node] = match.group(2)
        else:
            raise AssertionError(f"line {number} is not understood: {raw!r}")
    assert not stack, f"subgraphs left open: {stack}"
    known = set(out.nodes) | set(out.subgraphs)
    for source, _, _, target in out.edges:
        assert source in known and target in known, f"edge {source} -> {target} to an undefined id"
    assert set(out.classes) <= set(out.nodes)
    return out
