"""The workflow under test as an ASL document, and an index of its states (nested included)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dsl.aslfile import AslLoadError, load
from dsl.document import DocState, walk
from dsl.testing.errors import TestingError
from dsl.workflow import Workflow


def asl_of(workflow: Workflow | Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """The ASL document of a :class:`Workflow`, an ASL dict, or an ASL file's path."""
    if isinstance(workflow, Workflow):
        return workflow.to_asl()
    if isinstance(workflow, Mapping):
        copied: dict[str, Any] = json.loads(json.dumps(workflow))  # a private copy, JSON values only
        return copied
    try:
        return load(str(workflow))
    except AslLoadError as error:
        raise TestingError(str(error)) from error


def states_by_name(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every state of ``doc`` by name, nested ones included (a later one of the same name wins)."""
    return {item.name: item.body for item in walk(doc) if isinstance(item, DocState)}


def unknown_state(kind: str, name: str, known: Mapping[str, Any]) -> str:
    """One line saying ``name`` is not a state, with close matches."""
    close = difflib.get_close_matches(name, list(known), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
        f"; states: {', '.join(sorted(known))}"
    return f"{kind} {name!r} is not a state of the workflow{hint}"
