"""Workflow coverage: which states, transitions, Choice rules, Catch edges and Retries a suite reached.

The items come from the workflow's graph (:mod:`dsl.graph`), the hits from the engine's
per-state inspection: a state entered, the state entered after it, the Choice rule taken
(or the Default), the catcher that caught, the retriers that fired.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dsl.graph import EdgeKind, build_graph
from dsl.review.diagram import END_ID, START_ID, build_diagram
from dsl.review.mermaid import render
from dsl.testing.result import TestResult

KINDS = ("states", "transitions", "choice_rules", "catches", "retries")
_TRANSITIONS = (EdgeKind.NEXT, EdgeKind.DEFAULT, EdgeKind.CHOICE, EdgeKind.CATCH)
_MISSED_STYLE = "fill:#fde2e2,stroke:#c62828,stroke-width:3px,color:#000"


@dataclass
class Coverage:
    """Coverage of one workflow, accumulated over runs."""

    name: str
    doc: Mapping[str, Any]
    items: dict[str, list[str]] = field(default_factory=dict)
    hits: dict[str, set[str]] = field(default_factory=dict)
    runs: int = 0

    def __post_init__(self) -> None:
        graph = build_graph(self.doc)
        names = {node.id: node.name for node in graph.states()}
        self.items = {kind: [] for kind in KINDS}
        self.hits = {kind: set() for kind in KINDS}
        self.items["states"] = list(names.values())
        for edge in graph.edges:
            if edge.source not in names:
                continue
            source = names[edge.source]
            if edge.kind in _TRANSITIONS and edge.target in names:
                self.items["transitions"].append(transition(source, names[edge.target]))
            if edge.kind is EdgeKind.CHOICE:
                self.items["choice_rules"].append(f"{source} rule {edge.index + 1}")
            elif edge.kind is EdgeKind.DEFAULT:
                self.items["choice_rules"].append(f"{source} Default")
            elif edge.kind is EdgeKind.CATCH:
                self.items["catches"].append(f"{source} catch {edge.index + 1}")
            elif edge.kind is EdgeKind.RETRY:
                self.items["retries"].append(f"{source} retry {edge.index + 1}")
        self.items = {kind: list(dict.fromkeys(values)) for kind, values in self.items.items()}

    def add(self, result: TestResult) -> None:
        """Count what ``result`` reached."""
        self.runs += 1
        for state in result.states:
            self.hits["states"].add(state.name)
            if state.next is not None:
                self.hits["transitions"].add(transition(state.name, state.next))
            if state.choice == "Default":
                self.hits["choice_rules"].add(f"{state.name} Default")
            elif isinstance(state.choice, int):
                self.hits["choice_rules"].add(f"{state.name} rule {state.choice + 1}")
            if state.caught_by is not None:
                self.hits["catches"].add(f"{state.name} catch {state.caught_by + 1}")
            for retrier in state.retries:
                self.hits["retries"].add(f"{state.name} retry {retrier + 1}")

    def missed(self, kind: str) -> list[str]:
        """The items of ``kind`` no run reached, in document order."""
        return [item for item in self.items[kind] if item not in self.hits[kind]]

    def summary(self) -> dict[str, dict[str, Any]]:
        """``{kind: {"covered", "total", "missed"}}`` (the CLI's JSON shape)."""
        return {kind: {"covered": len(self.items[kind]) - len(self.missed(kind)), "total": len(self.items[kind]),
                       "missed": self.missed(kind)} for kind in KINDS}

    def percent(self, kinds: Iterable[str] = ("states", "transitions")) -> float:
        """Covered items of ``kinds`` as a percentage of their total (100 when there are none)."""
        chosen = list(kinds)
        total = sum(len(self.items[k]) for k in chosen)
        missed = sum(len(self.missed(k)) for k in chosen)
        return 100.0 if total == 0 else 100.0 * (total - missed) / total

    def text(self) -> str:
        """A plain-text report."""
        lines = [f"coverage of {self.name} ({self.runs} run(s)): {self.percent():.1f} % of states and transitions"]
        for kind, counts in self.summary().items():
            lines.append(f"  {kind:<13} {counts['covered']}/{counts['total']}")
            lines.extend(f"    missed: {item}" for item in counts["missed"])
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        """A Markdown report: a table of counts and the missed items."""
        lines = [f"### Coverage of `{self.name}`", "",
                 f"{self.runs} run(s); states and transitions: **{self.percent():.1f} %**", "",
                 "| | covered | total | missed |", "|---|---:|---:|---|"]
        for kind, counts in self.summary().items():
            missed = "<br>".join(_md(item) for item in counts["missed"]) or "-"
            lines.append(f"| {kind.replace('_', ' ')} | {counts['covered']} | {counts['total']} | {missed} |")
        return "\n".join(lines) + "\n"

    def mermaid(self) -> str:
        """The workflow's Mermaid diagram with missed states and transitions drawn in red."""
        diagram = build_diagram(self.doc)
        graph = build_graph(self.doc)
        # build_diagram numbers the states s0, s1... in graph order.
        box_name = {f"s{index}": node.name for index, node in enumerate(graph.states())}
        missed_states = set(self.missed("states"))
        missed_edges = set(self.missed("transitions"))
        lines = render(diagram).rstrip("\n").split("\n")
        boxes = [box for box, name in box_name.items() if name in missed_states]
        lines.extend(f"    style {box} {_MISSED_STYLE}" for box in boxes)
        for index, arrow in enumerate(diagram.arrows):
            if arrow.source in (START_ID, END_ID) or arrow.target in (START_ID, END_ID):
                continue
            source, target = box_name.get(arrow.source), box_name.get(arrow.target)
            if source is not None and target is not None and transition(source, target) in missed_edges:
                lines.append(f"    linkStyle {index} stroke:#c62828,stroke-width:3px,stroke-dasharray:4")
        return "\n".join(lines) + "\n"


def transition(source: str, target: str) -> str:
    """How a transition is named in reports."""
    return f"{source} -> {target}"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


class Session:
    """Coverage of every workflow run in this process (what ``pytest --sfn-coverage`` reports)."""

    def __init__(self) -> None:
        self._by_doc: dict[str, Coverage] = {}
        self._lock = threading.Lock()

    def add(self, doc: Mapping[str, Any], result: TestResult, *, name: str | None = None,
            key: str | None = None) -> Coverage:
        """Count ``result`` against the coverage of ``doc`` (``key``: its canonical JSON text, if known)."""
        key = key if key is not None else json.dumps(doc, sort_keys=True)
        with self._lock:
            coverage = self._by_doc.get(key)
            if coverage is None:
                label = name or str(doc.get("Comment") or f"workflow {len(self._by_doc) + 1}")
                coverage = self._by_doc[key] = Coverage(label, doc)
            coverage.add(result)
            return coverage

    def all(self) -> list[Coverage]:
        """Every workflow's coverage, in the order first run."""
        with self._lock:
            return list(self._by_doc.values())

    def clear(self) -> None:
        """Forget every run."""
        with self._lock:
            self._by_doc.clear()


SESSION = Session()
